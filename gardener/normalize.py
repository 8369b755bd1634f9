"""Masking: the readable, versioned signature text of a failure, and its digest.

Masks run in a fixed order (ANSI, timestamps and durations, UUIDs, digests, long hex and
base64, git SHAs, pointers, IPs and ports, temp and checkout paths, pids, numbers) so the same
input always masks the same way. Categorical integers (exit codes, HTTP statuses, errnos,
signals) are never masked: they carry the category.

Versions: `MASK_VERSIONS` maps each version to its masking function. The current version is
`CURRENT_VERSION`; the old entries stay, so `signatures(text)` still yields the digest an issue
filed under an old version carries.

sig-v2 (current): the text is redacted before any mask (no secret survives in a signature, and
a secret's random part never splits a finding); `file.ext:71` is a file and line, not a host and
port; and within a run, `run_signatures` masks a token that varies across many otherwise
identical keys (ephemeral ports, hex stems, temp names) as `<var>`, while a token that takes
few values (a service's fixed port) keeps naming what it names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from gardener import regex as re
from gardener.model import Signature
from gardener.redact import redact_secrets

CURRENT_VERSION = "sig-v2"

_ANSI = re.lazy(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")

_TIMESTAMP = re.lazy(
    r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\b"
    r"|\b\d{4}[-/]\d{2}[-/]\d{2}\b"
    r"|\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b"
    r"|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? \d{1,2} \w{3} \d{4}\b"
)
# Python's `\w` reads Unicode letters and digits; RE2's is ASCII. `_WORDISH` keeps the old meaning where a
# lookbehind used to say "not after a word character", so sig-v1 digests do not move.
_WORDISH = r"\pL\pN_"
_DURATION = re.lazy(
    rf"(?P<pre>^|[^{_WORDISH}.])\d+(?:\.\d+)?\s?(?:ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?)\b"
    r"|\b\d+m\d+(?:\.\d+)?s\b"
)
_UUID = re.lazy(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")
_DIGEST = re.lazy(r"\b(sha(?:1|256|384|512)|md5):[0-9a-fA-F]{16,}\b")
_LONG_HEX = re.lazy(r"\b[0-9a-fA-F]{16,}\b")
_BASE64 = re.lazy(r"[A-Za-z0-9+/]{32,}={0,2}")  # a whole run: see _mask_base64
_GIT_SHA = re.lazy(r"\b[0-9a-f]{7,15}\b")  # with a letter and a digit: see _mask_sha
_POINTER = re.lazy(r"\b0x[0-9a-fA-F]{4,}\b")
_IPV4 = re.lazy(r"\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b")
_IPV6 = re.lazy(r"\[(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}\](?::\d{1,5})?")
_HOST_PORT = re.lazy(
    r"\b(localhost|[a-z][\w.-]{0,253}\.(?:local|internal|svc|com|io|net|org)|[a-z][\w-]{0,63}):(\d{2,5})\b"
)
_PORT_WORD = re.lazy(r"\b(port)(\s*[=:]?\s*)\d{2,5}\b", re.IGNORECASE)
# CI checkout roots: everything up to the repository root goes, so paths are repo-relative.
_CHECKOUT = re.lazy(
    r"(?:/home/runner/work/[^/\s]+/[^/\s]+/"
    r"|/__w/[^/\s]+/[^/\s]+/"
    r"|[A-Za-z]:\\a\\[^\\\s]+\\[^\\\s]+\\"
    r"|/github/workspace/"
    r"|/builds/[^/\s]+/[^/\s]+/"
    r"|/home/circleci/(?:project|repo)/"
    r"|/var/lib/jenkins/workspace/[^/\s]+/"
    r"|/drone/src/"
    r"|/buildkite/builds/[^/\s]+/[^/\s]+/[^/\s]+/"
    r"|/opt/atlassian/pipelines/agent/build/)"
)
# Anchored at a token start and bounded, so a long token cannot make the scan quadratic.
_SITE_PACKAGES = re.lazy(
    r"(?P<pre>^|[\s\"'(=])(?:[^\s\"'(=]{0,400}?[/\\])?(?P<dir>site-packages|dist-packages|node_modules)[/\\]"
)
_TEMP = re.lazy(
    r"(?:/tmp|/var/folders/[\w]+/[\w]+/T|/private/var/folders/[\w]+/[\w]+/T"
    r"|[A-Za-z]:\\Users\\[^\\\s]+\\AppData\\Local\\Temp|/runner/_work/_temp|/home/runner/work/_temp)"
    r"[/\\][^\s\"':,)\]]*"
)
_PID = re.lazy(r"\b(pid|PID|process|thread|tid|Thread)([ =:#-]*)\d+\b")
# Integers that carry the category: kept verbatim by the number mask.
_CATEGORICAL = re.lazy(
    r"(?:exit(?:ed)?(?: with)?(?: code| status)?|return(?:ed)? (?:non-zero )?(?:exit )?(?:code|status)"
    r"|rc|status(?: code)?|code|errno|\[Errno|HTTP(?:/\d(?:\.\d)?)?|signal|SIG\w*|error|killed by signal)"
    r"[\s:=()]*-?\d+"
    r"|\b[1-5]\d\d (?P<ahead>[A-Z][a-z])"  # a status then its reason phrase (`404 Not Found`)
    r"|\bE\d{3,4}\b|\bTS\d{4}\b",
    re.IGNORECASE,
)
_SPACES = re.lazy(r"[ \t]+")


def strip_ansi(text: str) -> str:
    """ANSI colour and cursor codes removed; the text a person sees in the log."""
    return _ANSI.sub("", text) if "\x1b" in text else text  # every code starts with ESC


def _wordish(c: str) -> bool:
    return c.isalnum() or c == "_"


def _mask_base64(m: re.Match[str]) -> str:
    s = m.group(0)
    text, a, b = m.string, m.start(), m.end()
    before, after = text[a - 1 : a] if a else "", text[b : b + 1]
    if (before and (_wordish(before) or before in "+/")) or (after and (_wordish(after) or after in "+/")):
        return s  # part of a longer word, not a token of its own
    mixed = any(c.isdigit() for c in s) and any(c.isupper() for c in s) and any(c.islower() for c in s)
    return "<b64>" if mixed and s.count("/") < 3 else s


def _mask_sha(m: re.Match[str]) -> str:
    s = m.group(0)
    return "<sha>" if any(c.isdigit() for c in s) and any(c.isalpha() for c in s) else s


def _mask_number(text: str, a: int, b: int) -> str:
    """`<n>` for the number text[a:b] when it is a token of its own: not after a word character, `.` or `<`,
    and not before a word character or `>` (a run followed by one keeps its last part: `<n>.5x`)."""
    run = text[a:b]
    before = text[a - 1] if a else ""
    after = text[b : b + 1]
    start = 0
    if before and (_wordish(before) or before in ".<"):
        comma = run.find(",")  # only a ',' lets a number start inside the run
        if comma < 0:
            return run
        start = comma + 1
    if not after or not (_wordish(after) or after == ">"):
        return run[:start] + "<n>"
    last = max(run.rfind("."), run.rfind(","))
    if last < start:
        return run
    return run[:start] + "<n>" + run[last:]


# Every ASCII digit as "0" (RE2's \d is [0-9]): in the mapped text, str.find("0") finds the next digit.
_DIGITS_AS_ZERO = str.maketrans("123456789", "000000000")


def _sub_numbers(text: str) -> str:
    """Each whole run of digits and separators in `text` (`\\d+(?:[.,]\\d+)*`, as RE2 finds it: leftmost, greedy)
    replaced by _mask_number. The runs are found by str.find on the text with every digit mapped to "0", not as
    one regex Match object per number (the masks' main cost on keys full of numbers); tests/test_normalize_numbers.py
    holds it to the regex."""
    zeros = text.translate(_DIGITS_AS_ZERO)
    i = zeros.find("0")
    if i < 0:
        return text
    n = len(text)
    out: list[str] = []
    at = 0
    while i >= 0:
        j = i + 1
        while j < n and zeros[j] == "0":
            j += 1
        while j + 1 < n and zeros[j] in ".," and zeros[j + 1] == "0":
            j += 2
            while j < n and zeros[j] == "0":
                j += 1
        out.append(text[at:i])
        out.append(_mask_number(text, i, j))
        at = j
        i = zeros.find("0", j)
    out.append(text[at:])
    return "".join(out)


def _mask_numbers(text: str) -> str:
    out: list[str] = []
    pos = 0
    while (m := _CATEGORICAL.search(text, pos)) is not None:
        end = m.start("ahead") if m.group("ahead") is not None else m.end()
        out.append(_sub_numbers(text[pos : m.start()]))
        out.append(text[m.start() : end])
        pos = end if end > m.start() else end + 1
    out.append(_sub_numbers(text[pos:]))
    return "".join(out)


def _has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None


_DIGIT = re.lazy(r"[0-9]")
# The masks _masked runs, in its order, as one pattern Set (indices below).
_ORDERED = (_TIMESTAMP, _UUID, _DIGEST, _LONG_HEX, _BASE64, _GIT_SHA, _POINTER, _IPV6, _IPV4, _HOST_PORT, _PORT_WORD,
            _CHECKOUT, _SITE_PACKAGES, _TEMP, _PID, _DURATION)
_TS, _ID, _DG, _LH, _B64, _SHA, _PTR, _V6, _V4, _HP, _PW, _CO, _SP, _TMP, _PD, _DUR = range(len(_ORDERED))
_TEMP_NEEDLES = ("/tmp", "/var/folders", "\\Temp", "/_temp")
_PID_NEEDLES = ("pid", "process", "thread", "tid")


class _Answer:
    """Which masks can match the text as it stands, from one Set pass, asked again only when a mask
    changed the text: most masks are then skipped without running (regex.PatternSet is exact).

    Compiling the Set costs as much as ~40,000 characters searched mask by mask (about 3% of a `gardener
    run` on the bundled example, which masks a few short texts): until the texts asked about add up to
    that, each mask asked is searched on its own, which answers the same (a mask is in the Set's answer
    exactly when its search finds a match), and only the masks asked are compiled."""

    __slots__ = ("found", "text")

    def __init__(self) -> None:
        self.text: str | None = None
        self.found: frozenset[int] | None = None

    def may(self, index: int, text: str) -> bool:
        global _UNSET_BUDGET
        if _MASK_SET is None and len(text) <= _UNSET_BUDGET:
            _UNSET_BUDGET -= len(text) + 64
            return _ORDERED[index].search(text) is not None
        if text != self.text:
            self.text, self.found = text, _mask_set().matching(text)
        return self.found is None or index in self.found


_MASK_SET: re.PatternSet | None = None
_UNSET_BUDGET = 40_000  # characters searched mask by mask before the Set is compiled (see _Answer)


def _mask_set() -> re.PatternSet:
    global _MASK_SET
    if _MASK_SET is None:
        _MASK_SET = re.PatternSet(tuple((p.pattern, p.flags) for p in _ORDERED))
    return _MASK_SET


def _masked(text: str, host_port: Callable[[re.Match[str]], str] | str) -> str:
    """The masks in their fixed order. Each runs only when a literal it cannot match without is in the
    text as it stands at its turn, and the pattern Set says it matches there (exact skips: the result is
    the same, most masks are never run)."""
    if "\x1b" in text:
        text = strip_ansi(text)
    may = _Answer().may
    digits = _has_digit(text)  # masks only ever remove digits, so none can appear later
    if digits and may(_TS, text):
        text = _TIMESTAMP.sub("<ts>", text)
    if "-" in text and may(_ID, text):
        text = _UUID.sub("<uuid>", text)
    if ":" in text and may(_DG, text):
        text = _DIGEST.sub(r"\1:<digest>", text)
    if may(_LH, text):
        text = _LONG_HEX.sub("<hex>", text)
    if may(_B64, text):
        text = _BASE64.sub(_mask_base64, text)
    if digits and may(_SHA, text):
        text = _GIT_SHA.sub(_mask_sha, text)
    if ("0x" in text or "0X" in text) and may(_PTR, text):
        text = _POINTER.sub("<ptr>", text)
    if "[" in text and may(_V6, text):
        text = _IPV6.sub("<ip>", text)
    if digits and "." in text and may(_V4, text):
        text = _IPV4.sub(lambda m: "<ip>:<port>" if ":" in m.group(0) else "<ip>", text)
    if ":" in text and may(_HP, text):
        text = _HOST_PORT.sub(host_port, text)
    lower = text.lower()
    if "port" in lower and may(_PW, text):
        text = _PORT_WORD.sub(r"\1\2<port>", text)
    if "/" in text or "\\" in text:
        if may(_CO, text):
            text = _CHECKOUT.sub("", text)
        if ("-packages" in text or "node_modules" in text) and may(_SP, text):
            text = _SITE_PACKAGES.sub(r"\g<pre>\g<dir>/", text)
        if any(n in text for n in _TEMP_NEEDLES) and may(_TMP, text):
            text = _TEMP.sub("<tmp>", text)
    if any(n in lower for n in _PID_NEEDLES) and may(_PD, text):
        text = _PID.sub(r"\1\2<pid>", text)
    if digits:
        if may(_DUR, text):
            text = _DURATION.sub(lambda m: (m["pre"] or "") + "<dur>", text)
        text = _mask_numbers(text)
    if "\t" in text or "  " in text:  # otherwise every run of blanks is one space already
        text = _SPACES.sub(" ", text)
    return text.strip()


def mask_v1(text: str) -> str:
    """The sig-v1 masks, in their fixed order."""
    return _masked(text, r"\1:<port>")


def _host_port_v2(m: re.Match[str]) -> str:
    before = m.string[m.start() - 1 : m.start()] if m.start() else ""
    if before in (".", "/", "\\"):
        return m.group(0)  # `Foo.java:71`, `src/main:12`: a file and its line (the number mask takes it)
    return f"{m.group(1)}:<port>"


def mask_v2(text: str) -> str:
    """The sig-v2 masks: redaction first, then the sig-v1 masks with file:line kept apart from host:port."""
    return _masked(redact_secrets(text if "\x1b" not in text else strip_ansi(text)), _host_port_v2)


MASK_VERSIONS: dict[str, Callable[[str], str]] = {"sig-v1": mask_v1, "sig-v2": mask_v2}

# A token that may be volatile: a number (masks kept it: a service's port), a hex stem (`3f9a2c`), a
# generated name (`tmpx8k2p9`: letters and digits alternating), or a mask's placeholder, so `api:<port>`
# (an ephemeral port) and `api:31337` (a kept one) are values of the same position. Names that merely
# hold a digit (`boto3`, `oauth2client`, `pkg10`) are words, never volatile.
_CANDIDATE = re.lazy(r"[A-Za-z0-9_]*[0-9][A-Za-z0-9_]*|<(?:port|n|hex|sha|b64|ptr|uuid|tmp|pid)>")
_HEX_STEM = re.lazy(r"[0-9a-f]*[0-9][0-9a-f]*[a-f][0-9a-f]*|[0-9a-f]*[a-f][0-9a-f]*[0-9][0-9a-f]*")
_ALTERNATION = re.lazy(r"[0-9]+|[A-Za-z]+")


def _volatile_like(token: str) -> bool:
    if token.startswith("<") or token.isdigit():
        return True
    if len(token) >= 4 and _HEX_STEM.fullmatch(token):
        return True
    return len(token) >= 6 and len(_ALTERNATION.spans(token)) >= 5
VOLATILE_MIN_DISTINCT = 5  # distinct values at one position, in one run, that make it volatile
_MAX_CANDIDATES = 32  # tokens per key considered; a key with more is left as it is
VOLATILE = "<var>"


def volatile_masked(texts: Iterable[str]) -> dict[str, str]:
    """Each masked text, with every token position that varies across many otherwise identical texts
    (at least VOLATILE_MIN_DISTINCT values in this set) replaced by `<var>`. Pure in the set of texts."""
    # Nearly every key of a large run has a shape (the literals between its candidate tokens) of its own,
    # and only a shape shared by VOLATILE_MIN_DISTINCT texts can have a volatile position. So the first
    # pass keeps no split text: it counts texts per hash of their shape; only texts whose hash reached
    # the threshold (a collision merely adds a candidate) are split again and compared exactly. Holding
    # every text's literals and tokens at once was most of this step's memory, while the run's keys live.
    unique = dict.fromkeys(texts)
    like: dict[str, bool] = {}  # per token: keys of one run repeat their class names, modules, placeholders
    hashes: list[int | None] = []
    counts: dict[int, int] = {}
    for text in unique:
        split = _split(text, like)
        h = hash(split[0]) if split is not None else None
        hashes.append(h)
        if h is not None:
            counts[h] = counts.get(h, 0) + 1
    rows: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    candidates: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for text, h in zip(unique, hashes, strict=True):
        if h is not None and counts[h] >= VOLATILE_MIN_DISTINCT:
            again = _split(text, like)
            assert again is not None  # its hash came from a split
            candidates[text] = again
            rows.setdefault(again[0], []).append(again[1])
    varies = {shape: tuple(_distinct_at_least(kept, i, VOLATILE_MIN_DISTINCT) for i in range(len(kept[0])))
              for shape, kept in rows.items() if len(kept) >= VOLATILE_MIN_DISTINCT}
    out: dict[str, str] = {}
    for text in unique:
        split = candidates.get(text)
        which = varies.get(split[0]) if split is not None else None
        if split is None or which is None or not any(which):
            out[text] = text
            continue
        shape, kept = split
        parts = [shape[0]]
        for position, token in enumerate(kept):
            parts += [VOLATILE if which[position] else token, shape[position + 1]]
        out[text] = "".join(parts)
    return out


def _split(text: str, like: dict[str, bool]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """`text`'s shape (the literals around its volatile-like tokens) and those tokens; None without
    any, or with more than _MAX_CANDIDATES."""
    found = []
    for start, end in _CANDIDATE.spans(text):  # no Match object per token: every key of a run is split
        token = text[start:end]
        known = like.get(token)
        if known is None:
            known = like[token] = _volatile_like(token)
        if known:
            found.append((start, end, token))
    if not found or len(found) > _MAX_CANDIDATES:
        return None
    literals, tokens, at = [], [], 0
    for start, end, token in found:
        literals.append(text[at:start])
        tokens.append(token)
        at = end
    literals.append(text[at:])
    return tuple(literals), tuple(tokens)


def _distinct_at_least(rows: list[tuple[str, ...]], position: int, n: int) -> bool:
    seen: set[str] = set()
    for row in rows:
        seen.add(row[position])
        if len(seen) >= n:
            return True
    return False


@dataclass(frozen=True, slots=True)
class ProjectMask:
    """A project's own mask from config: a compiled pattern and its replacement."""

    pattern: re.Pattern[str]
    replacement: str


# A key may mark a value to keep out of the masks: one that names the cause, such as a service's
# fixed port (see the rules' `{port|port}` key filter). Text without marks masks exactly as it
# always did, so no digest moves.
_KEEP_OPEN, _KEEP_CLOSE, _SLOT = "\ue000", "\ue001", "\ue002"
_KEPT = re.lazy("\ue000([^\ue000\ue001\ue002]*)\ue001")


def keep_verbatim(value: str) -> str:
    """`value` marked so the masks leave it as it is."""
    return f"{_KEEP_OPEN}{value}{_KEEP_CLOSE}"


def _mask_keeping(text: str, masker: Callable[[str], str]) -> str:
    if _KEEP_OPEN not in text:
        return masker(text)
    kept = _KEPT.findall(text)
    masked = masker(_KEPT.sub(_SLOT, text))
    parts = masked.split(_SLOT)
    if len(parts) != len(kept) + 1:  # a mask swallowed a mark: mask the whole text instead
        return masker(_KEPT.sub(r"\1", text))
    return "".join(part + (kept[i] if i < len(kept) else "") for i, part in enumerate(parts))


def mask(text: str, extra: Sequence[ProjectMask] = (), version: str = CURRENT_VERSION) -> str:
    """Masked text under one version, then the project's own masks (always last)."""
    masked = _mask_keeping(text, MASK_VERSIONS[version])
    for m in extra:
        masked = m.pattern.sub(m.replacement, masked)
    return masked


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def signature(key_text: str, extra: Sequence[ProjectMask] = (), version: str = CURRENT_VERSION) -> Signature:
    """The signature of an (unmasked) key text under one mask version."""
    masked = mask(key_text, extra, version)
    return Signature(text=masked, version=version, digest=digest_of(f"{version}\n{masked}"))


def signatures(key_text: str, extra: Sequence[ProjectMask] = ()) -> tuple[Signature, ...]:
    """The key under every known version, current first: how issues filed under old versions match."""
    order = [CURRENT_VERSION, *(v for v in MASK_VERSIONS if v != CURRENT_VERSION)]
    return tuple(signature(key_text, extra, v) for v in order)


def run_signatures(keys: Iterable[str], extra: Sequence[ProjectMask] = ()) -> dict[str, Signature]:
    """Every (unmasked) key of one run → its current signature, volatile tokens masked across the run.
    `with_aliases` adds what issues filed under older versions carry (done per finding, not per key)."""
    distinct = list(dict.fromkeys(keys))
    masked = {k: mask(k, extra, CURRENT_VERSION) for k in distinct}
    final = volatile_masked(masked.values())
    out: dict[str, Signature] = {}
    for k in distinct:
        text = final[masked[k]]
        out[k] = Signature(text=text, version=CURRENT_VERSION, digest=digest_of(f"{CURRENT_VERSION}\n{text}"))
    return out


def with_aliases(sig: Signature, key_text: str, extra: Sequence[ProjectMask] = ()) -> Signature:
    """`sig` (a run signature of `key_text`) carrying, as aliases, the key's digest before run-wide volatile
    masks and its digests under every older version: how issues filed under those are still matched."""
    alone = signature(key_text, extra, CURRENT_VERSION).digest
    older = [signature(key_text, extra, v).digest for v in MASK_VERSIONS if v != CURRENT_VERSION]
    return replace(sig, aliases=tuple(d for d in dict.fromkeys((alone, *older)) if d != sig.digest))


def current_signature(key_text: str, extra: Sequence[ProjectMask] = ()) -> Signature:
    """The current signature, carrying the digests of the older versions as `aliases`."""
    current, *older = signatures(key_text, extra)
    aliases = tuple(dict.fromkeys(s.digest for s in older if s.digest != current.digest))
    return replace(current, aliases=aliases)
