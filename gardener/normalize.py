"""Masking: the readable, versioned signature text of a failure, and its digest.

Masks run in a fixed order (ANSI, timestamps and durations, UUIDs, digests, long hex and
base64, git SHAs, pointers, IPs and ports, temp and checkout paths, pids, numbers) so the same
input always masks the same way. Categorical integers (exit codes, HTTP statuses, errnos,
signals) are never masked: they carry the category.

Versions: `MASK_VERSIONS` maps each version to its masking function. The current version is
`CURRENT_VERSION`; when the masks change, add "sig-v2" beside "sig-v1" and keep the old entry, so
`signatures(text)` still yields the digest an issue filed under the old version carries.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from gardener.model import Signature

CURRENT_VERSION = "sig-v1"

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")

_TIMESTAMP = re.compile(
    r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\b"
    r"|\b\d{4}[-/]\d{2}[-/]\d{2}\b"
    r"|\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b"
    r"|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? \d{1,2} \w{3} \d{4}\b"
)
_DURATION = re.compile(
    r"(?<![\w.])\d+(?:\.\d+)?\s?(?:ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?)\b"
    r"|\b\d+m\d+(?:\.\d+)?s\b"
)
_UUID = re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")
_DIGEST = re.compile(r"\b(sha(?:1|256|384|512)|md5):[0-9a-fA-F]{16,}\b")
_LONG_HEX = re.compile(r"\b[0-9a-fA-F]{16,}\b")
_BASE64 = re.compile(r"(?<![\w+/])[A-Za-z0-9+/]{32,}={0,2}(?![\w+/])")
_GIT_SHA = re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,15}\b")
_POINTER = re.compile(r"\b0x[0-9a-fA-F]{4,}\b")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b")
_IPV6 = re.compile(r"\[(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}\](?::\d{1,5})?")
_HOST_PORT = re.compile(
    r"\b(localhost|[a-z][\w.-]{0,253}\.(?:local|internal|svc|com|io|net|org)|[a-z][\w-]{0,63}):(\d{2,5})\b"
)
_PORT_WORD = re.compile(r"\b(port)(\s*[=:]?\s*)\d{2,5}\b", re.IGNORECASE)
# CI checkout roots: everything up to the repository root goes, so paths are repo-relative.
_CHECKOUT = re.compile(
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
_SITE_PACKAGES = re.compile(
    r"(?<![^\s\"'(=])(?:[^\s\"'(=]{0,400}?[/\\])?(site-packages|dist-packages|node_modules)[/\\]"
)
_TEMP = re.compile(
    r"(?:/tmp|/var/folders/[\w]+/[\w]+/T|/private/var/folders/[\w]+/[\w]+/T"
    r"|[A-Za-z]:\\Users\\[^\\\s]+\\AppData\\Local\\Temp|/runner/_work/_temp|/home/runner/work/_temp)"
    r"[/\\][^\s\"':,)\]]*"
)
_PID = re.compile(r"\b(pid|PID|process|thread|tid|Thread)([ =:#-]*)\d+\b")
# Integers that carry the category: kept verbatim by the number mask.
_CATEGORICAL = re.compile(
    r"(?:exit(?:ed)?(?: with)?(?: code| status)?|return(?:ed)? (?:non-zero )?(?:exit )?(?:code|status)"
    r"|rc|status(?: code)?|code|errno|\[Errno|HTTP(?:/\d(?:\.\d)?)?|signal|SIG\w*|error|killed by signal)"
    r"[\s:=()]*-?\d+"
    r"|\b[1-5]\d\d (?=[A-Z][a-z])"
    r"|\bE\d{3,4}\b|\bTS\d{4}\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\w.<])\d+(?:[.,]\d+)*(?![\w>])")
_SPACES = re.compile(r"[ \t]+")


def strip_ansi(text: str) -> str:
    """ANSI colour and cursor codes removed; the text a person sees in the log."""
    return _ANSI.sub("", text)


def _mask_base64(m: re.Match[str]) -> str:
    s = m.group(0)
    mixed = any(c.isdigit() for c in s) and any(c.isupper() for c in s) and any(c.islower() for c in s)
    return "<b64>" if mixed and s.count("/") < 3 else s


def _mask_numbers(text: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _CATEGORICAL.finditer(text):
        out.append(_NUMBER.sub("<n>", text[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_NUMBER.sub("<n>", text[pos:]))
    return "".join(out)


def mask_v1(text: str) -> str:
    """The sig-v1 masks, in their fixed order."""
    text = strip_ansi(text)
    text = _TIMESTAMP.sub("<ts>", text)
    text = _UUID.sub("<uuid>", text)
    text = _DIGEST.sub(r"\1:<digest>", text)
    text = _LONG_HEX.sub("<hex>", text)
    text = _BASE64.sub(_mask_base64, text)
    text = _GIT_SHA.sub("<sha>", text)
    text = _POINTER.sub("<ptr>", text)
    text = _IPV6.sub("<ip>", text)
    text = _IPV4.sub(lambda m: "<ip>:<port>" if ":" in m.group(0) else "<ip>", text)
    text = _HOST_PORT.sub(r"\1:<port>", text)
    text = _PORT_WORD.sub(r"\1\2<port>", text)
    text = _CHECKOUT.sub("", text)
    text = _SITE_PACKAGES.sub(r"\1/", text)
    text = _TEMP.sub("<tmp>", text)
    text = _PID.sub(r"\1\2<pid>", text)
    text = _DURATION.sub("<dur>", text)
    text = _mask_numbers(text)
    return _SPACES.sub(" ", text).strip()


MASK_VERSIONS: dict[str, Callable[[str], str]] = {"sig-v1": mask_v1}


@dataclass(frozen=True, slots=True)
class ProjectMask:
    """A project's own mask from config: a compiled pattern and its replacement."""

    pattern: re.Pattern[str]
    replacement: str


# A key may mark a value to keep out of the masks: one that names the cause, such as a service's
# fixed port (see the rules' `{port|port}` key filter). Text without marks masks exactly as it
# always did, so no digest moves.
_KEEP_OPEN, _KEEP_CLOSE, _SLOT = "\ue000", "\ue001", "\ue002"
_KEPT = re.compile("\ue000([^\ue000\ue001\ue002]*)\ue001")


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


def current_signature(key_text: str, extra: Sequence[ProjectMask] = ()) -> Signature:
    """The current signature, carrying the digests of the older versions as `aliases`."""
    current, *older = signatures(key_text, extra)
    aliases = tuple(dict.fromkeys(s.digest for s in older if s.digest != current.digest))
    return replace(current, aliases=aliases)
