"""Replace secrets in untrusted text with `[REDACTED:<kind>]`, keeping the words around them.

Three kinds of rule, applied in this order:
1. exact values the caller knows (`extra_values`: the token gardener runs with, secret-named
   environment variables) wherever they appear, also URL-, JSON- and base64-encoded;
2. shapes that are secrets wherever they appear: private key blocks, GitHub/GitLab/Slack/npm/
   PyPI/Google/Stripe/OpenAI/Hugging Face/Docker tokens, AWS access key ids, JWTs;
3. contexts that hold secrets whatever they look like: `Authorization:`/`Cookie:` header
   values, `Bearer <token>`, the password in `scheme://user:password@host`, `curl -u user:pw`,
   and values assigned to secret-like names (see redact/names.py): `FOO_TOKEN=abc`,
   `export API_KEY="abc"`, `password: abc`, `"client_secret": "abc"`, `--password abc`,
   `setenv("API_KEY", "abc")`, `<password>abc</password>`.
Each applies to the text as written and, on a line holding escapes (HTML references, percent-encoding, JSON
`\\uXXXX`), to the line as decoded (redact/encoded.py): `ghp&#95;...` is a GitHub token too.
Errs on the side of redacting: `key=value` loses its value. Placeholders are never rewritten, so
redacting twice gives the same text.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from urllib.parse import quote

from gardener import regex as re
from gardener.redact.encoded import decode, may_be_encoded
from gardener.redact.names import (
    PLACEHOLDER,
    SECRET_NAME_WORDS,
    is_harmless_value,
    placeholder,
    redact_named_values,
)

MIN_KNOWN_VALUE = 4  # shorter known values would blank ordinary words
_MIN_KNOWN_LINE = 8  # lines of a multi-line known value (a JSON key file) count from here


# A token is not the tail or the head of a longer word. RE2 has no lookaround, so a shape is
# `(?P<pre>...)(?P<tok>...)` and the replacement keeps what `pre` consumed; `tail` shapes are
# vetoed in code when a word character follows (the match is then one whole word: nothing else
# could start inside it).
_L = r"(?P<pre>^|[^A-Za-z0-9])"


class _Shape:
    __slots__ = ("kind", "needles", "pattern", "whole_word")

    def __init__(self, kind: str, pattern: str, needles: tuple[str, ...], whole_word: bool = False) -> None:
        self.kind = kind
        self.pattern = re.lazy(pattern)  # most texts hold none of the needles: never compiled then
        self.needles = needles  # one of these literals is in every match: the cheap prefilter
        self.whole_word = whole_word

    def sub(self, text: str) -> str:
        if not any(n in text for n in self.needles):
            return text
        return self.pattern.sub(self._replace, text)

    def _replace(self, m: re.Match[str]) -> str:
        if self.whole_word and m.string[m.end() : m.end() + 1].isascii() and m.string[m.end() : m.end() + 1].isalnum():
            return m[0]
        return m[0][: m.start("tok") - m.start()] + placeholder(self.kind)


_SHAPES: tuple[_Shape, ...] = (
    _Shape(
        "private-key",
        r"(?P<tok>-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----(?s:.*?)"
        r"(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|\z))",
        ("-----BEGIN",),
    ),
    _Shape(
        "github-token",
        _L + r"(?P<tok>gh[pousr]_[A-Za-z0-9]{10,}|github_pat_[A-Za-z0-9_]{20,})",
        ("gh", "github_pat_"),
    ),
    # GitLab personal, runner, deploy, trigger, CI-build, feed, incoming-mail and OAuth tokens.
    _Shape(
        "gitlab-token",
        _L + r"(?P<tok>gl(?:pat|rt|dt|ptt|cbt|ft|imt|oas|soat)-[A-Za-z0-9_-]{20,})",
        ("gl",),
    ),
    _Shape("slack-token", _L + r"(?P<tok>(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,})", ("xox", "xapp-")),
    _Shape("slack-webhook", r"hooks\.slack\.com/services/(?P<tok>[A-Za-z0-9_/-]+)", ("hooks.slack.com",)),
    # https://discord.com/api/webhooks/<id>/<token>: the id and the token together post to the channel.
    _Shape(
        "discord-webhook",
        r"(?i)discord(?:app)?\.com/api/(?:v\d+/)?webhooks/(?P<tok>[A-Za-z0-9_/-]+)",
        ("discord",),
    ),
    # Microsoft Teams incoming webhooks (office.com / webhook.office.com).
    _Shape(
        "teams-webhook",
        r"(?i)(?:outlook\.office(?:365)?\.com|\.webhook\.office\.com)/webhook(?:b2)?/(?P<tok>[A-Za-z0-9@/_-]+)",
        ("webhook",),
    ),
    _Shape("npm-token", _L + r"(?P<tok>npm_[A-Za-z0-9]{20,})", ("npm_",)),
    _Shape("pypi-token", _L + r"(?P<tok>pypi-[A-Za-z0-9_-]{32,})", ("pypi-",)),
    _Shape("nuget-key", _L + r"(?P<tok>oy2[a-z0-9]{43})", ("oy2",), whole_word=True),
    _Shape("google-api-key", _L + r"(?P<tok>AIza[0-9A-Za-z_-]{30,})", ("AIza",)),
    _Shape("google-oauth", _L + r"(?P<tok>ya29\.[0-9A-Za-z_-]{20,}|GOCSPX-[0-9A-Za-z_-]{20,})", ("ya29.", "GOCSPX-")),
    # Stripe secret and restricted keys, and webhook signing secrets (`whsec_...`: whoever holds one can forge
    # the events an endpoint trusts).
    _Shape(
        "stripe-key",
        _L + r"(?P<tok>(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}|whsec_[0-9A-Za-z]{20,})",
        ("_live_", "_test_", "whsec_"),
    ),
    _Shape("api-key", _L + r"(?P<tok>sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,})", ("sk-",)),
    _Shape("huggingface-token", _L + r"(?P<tok>hf_[A-Za-z0-9]{30,})", ("hf_",)),
    _Shape("docker-token", _L + r"(?P<tok>dckr_pat_[A-Za-z0-9_-]{20,})", ("dckr_pat_",)),
    _Shape("sendgrid-key", _L + r"(?P<tok>SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,})", ("SG.",)),
    _Shape("databricks-token", _L + r"(?P<tok>dapi[0-9a-f]{32}(?:-\d+)?)", ("dapi",), whole_word=True),
    _Shape("shopify-token", _L + r"(?P<tok>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})", ("shp",), whole_word=True),
    # Telegram bot tokens: `123456789:AA...` (the bot id, a colon, 35 characters).
    _Shape("telegram-token", _L + r"(?P<tok>[0-9]{8,10}:AA[A-Za-z0-9_-]{33})", (":AA",), whole_word=True),
    _Shape(
        "aws-access-key-id",
        _L + r"(?P<tok>(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16})",
        ("AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "AROA", "APKA"),
        whole_word=True,
    ),
    _Shape("jwt", _L + r"(?P<tok>eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*)", ("eyJ",)),
)

# A header name, then the value to the closing quote, backslash or end of line; the scheme word
# (Bearer, token, Basic, ...) stays so the text still says what kind of credential it was.
_HEADER = re.lazy(
    r"(?i)(?P<head>(?:^|[^a-z0-9])(?P<header>(?:proxy-)?authori[sz]ation|set-cookie|cookie)"
    r"\\?[\"']?[ \t]*[:=][ \t]*[\"']?[ \t]*)"
    r"(?:(?P<scheme>bearer|token|basic|digest|negotiate|ntlm|apikey|aws4-hmac-sha256)[ \t]+)?"
    r"(?P<value>[^\s\"'\\][^\"'\\\r\n]*)"
)
# A bearer token outside a header; a digit in it keeps prose ("a bearer credential") intact.
_BEARER = re.lazy(r"(?i)\b(?P<head>bearer[ \t]+)(?P<value>[A-Za-z0-9._~+/-]{8,}=*)")
# `scheme://user:password@host`: the password runs to the last `@` of the authority, and may
# hold `/`, `:` or `@` (unencoded, as people write them); `?`, `#` and whitespace end it.
_URL_PASSWORD = re.lazy(
    r"(?i)(?P<head>(?:^|[^a-z0-9+.-])[a-z][a-z0-9+.-]*://[^\s:/?#@\"'<>\[\]]*:)(?P<value>[^\s/?#\"'<>][^\s?#\"'<>]*)@"
)
# A user-only URL ("https://<token>@github.com") is redacted when the user looks random.
_URL_USER = re.lazy(r"(?i)(?P<head>(?:^|[^a-z0-9+.-])[a-z][a-z0-9+.-]*://)(?P<value>[A-Za-z0-9_-]{16,})@")
_CURL_USER = re.lazy(r"(?P<head>(?:^|\s)(?:-u|--user)[ \t=]+[\"']?[^\s:\"'\[\]]+:)(?P<value>[^\s\"']+)")
# Context rules and the literals (lower-case) one of which each needs.
_CONTEXTS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("bearer-token", _BEARER, ("bearer",)),
    ("url-password", _URL_PASSWORD, ("://",)),
    ("url-credential", _URL_USER, ("://",)),
    ("password", _CURL_USER, ("-u",)),
)
_HEADER_NEEDLES = ("authori", "cookie")


def _triggers() -> re.LiteralSet:
    """Every literal (lower-cased) that some step below needs before it can change a text: the shapes'
    needles, the header and context needles, and the secret words one of which is in every secret name
    (a name is secret only when one of its words is or ends with one, so the word is in the text).
    Built on first use: the set compiles in milliseconds, and most runs redact nothing."""
    global _TRIGGERS
    if _TRIGGERS is None:
        literals = {n.lower() for shape in _SHAPES for n in shape.needles}
        literals |= {*_HEADER_NEEDLES, *(n for _, _, needles in _CONTEXTS for n in needles), *SECRET_NAME_WORDS}
        _TRIGGERS = re.LiteralSet(tuple(sorted(literals)))
    return _TRIGGERS


_TRIGGERS: re.LiteralSet | None = None


def may_hold_secret(text: str) -> bool:
    """False when no step of `redact_secrets` (without extra values) could change `text`: one pass of
    one automaton over the lower-cased text instead of a test per step. An ASCII needle in the text is
    in its lower-cased form too, so a False is exact; a True only means the steps run as before."""
    return bool(_triggers().find(text.lower()))


def redact_secrets(text: str, extra_values: Iterable[str] = ()) -> str:
    """`text` with every secret this module recognises replaced by `[REDACTED:<kind>]`, also one written
    with escapes (`ghp&#95;...`, `%40`, `\\u005f`: see redact/encoded.py)."""
    known = _known_values_pattern(extra_values) if extra_values else None
    if known is None and not may_hold_secret(text) and not may_be_encoded(text):
        return text
    return every_step(text, known)


def _decode_where_escapes_hide(text: str, known: re.Pattern[str] | None) -> str:
    """`text` with each line whose escapes hide a secret decoded, the others as they are.

    Escapes hide something when redacting commutes with decoding no longer: the line redacted then decoded shows
    what the line decoded then redacted does not (`ghp&#95;...` untouched, or `Bearer eyJ..&#46;..` redacted only to
    its first escape). Such a line is shown decoded, and redacted as any other; decoded to a fixpoint, it holds no
    escape any more, so redacting twice changes nothing. A line whose escapes hide nothing keeps them.

    What redacting the line as written took out goes too, decoded: a URL's password written as a URL must write it
    (`s3cr%23t%40x`) decodes to text no URL-credential shape matches (`s3cr#t@x@db`)."""
    lines = text.split("\n")
    changed = False
    for i, line in enumerate(lines):
        if not may_be_encoded(line):
            continue
        plain = decode(line)
        if plain == line or (known is None and not may_hold_secret(plain)):
            continue
        as_written, redacted = _steps(line, known), _steps(plain, known)
        if redacted != decode(as_written):
            lines[i] = _without(redacted, _taken_out(line, as_written))  # (redacting it again changes nothing)
            changed = True
    return "\n".join(lines) if changed else text


_MIN_TAKEN = 4  # a shorter value taken out (a one-digit port?) is not looked for elsewhere in the line


def _taken_out(line: str, redacted: str) -> list[tuple[str, str]]:
    """(the value decoded, its placeholder) for each value redacting `line` replaced, in `redacted` (pure): the text
    between two placeholders is the line's own, so each placeholder stands for what lies between them in `line`."""
    taken: list[tuple[str, str]] = []
    pieces = PLACEHOLDER.split(redacted)
    marks = [m[0] for m in PLACEHOLDER.finditer(redacted)]
    if len(pieces) != len(marks) + 1 or not line.startswith(pieces[0]):
        return taken
    at = len(pieces[0])
    for n, (mark, piece) in enumerate(zip(marks, pieces[1:], strict=True)):
        last = n == len(marks) - 1
        end = len(line) if last and not piece else line.find(piece, at + 1) if piece else -1
        if end < 0:
            break  # two placeholders side by side: where one value ends is not known
        value = decode(line[at:end])
        if len(value) >= _MIN_TAKEN and not PLACEHOLDER.search(value):
            taken.append((value, mark))
        at = end + len(piece)
    return taken


def _without(text: str, taken: list[tuple[str, str]]) -> str:
    for value, mark in taken:
        text = text.replace(value, mark)
    return text


def every_step(text: str, known: re.Pattern[str] | None = None) -> str:
    """Every redaction step, each behind its own literal check (what `redact_secrets` runs when the
    prefilter lets a text through), on the text with the lines whose escapes hide a secret decoded."""
    if may_be_encoded(text):
        if known is not None:
            # A known value is secret as written, escapes and all (`xK%3Fz9`): it goes before decoding could change it.
            text = _redact_known(text, known)
        text = _decode_where_escapes_hide(text, known)
    return _steps(text, known)


def _redact_known(text: str, known: re.Pattern[str]) -> str:
    return known.sub(lambda m: m[0] if m[0].startswith("[REDACTED:") else placeholder("known-secret"), text)


def _steps(text: str, known: re.Pattern[str] | None) -> str:
    if known is not None:
        text = _redact_known(text, known)
    if "\n" in text:
        text = _join_wrapped(text)
    for shape in _SHAPES:
        text = shape.sub(text)
    lower = text.lower()
    if any(n in lower for n in _HEADER_NEEDLES):
        text = _HEADER.sub(_redact_header, text)
        lower = text.lower()
    for kind, pattern, needles in _CONTEXTS:
        if any(n in lower for n in needles):
            text = pattern.sub(_keep_head(kind), text)
    return redact_named_values(text)


def _keep_head(kind: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        value = match["value"]
        if PLACEHOLDER.fullmatch(value):
            return match[0]
        has_digit = any(c.isdigit() for c in value)
        if kind == "url-credential" and not (has_digit and any(c.isalpha() for c in value)):
            return match[0]  # "https://deploy-bot-account@host" is a user name, not a token
        if kind == "bearer-token" and not has_digit:
            return match[0]  # "Bearer authentication" is prose
        return match["head"] + placeholder(kind) + match[0][match.end("value") - match.start() :]

    return replace


def _redact_header(match: re.Match[str]) -> str:
    value = match["value"].rstrip()
    if PLACEHOLDER.fullmatch(value) or is_harmless_value(value):
        return match[0]
    kind = "cookie" if "cookie" in match["header"].lower() else "authorization"
    scheme = f"{match['scheme']} " if match["scheme"] else ""
    return match["head"] + scheme + placeholder(kind) + match["value"][len(value) :]


def _known_values_pattern(values: Iterable[str]) -> re.Pattern[str] | None:
    variants: set[str] = set()
    for raw in values:
        value = raw.strip()
        if len(value) < MIN_KNOWN_VALUE:
            continue
        encoded = base64.b64encode(value.encode()).decode()
        variants |= {value, quote(value, safe=""), json.dumps(value)[1:-1], encoded, encoded.rstrip("=")}
        variants |= {line.strip() for line in value.splitlines() if len(line.strip()) >= _MIN_KNOWN_LINE}
    if not variants:
        return None
    # Existing placeholders first so they are consumed, not rewritten; longest values next.
    alternatives = [PLACEHOLDER.pattern, *(re.escape(v) for v in sorted(variants, key=lambda v: (-len(v), v)))]
    return re.compile("|".join(alternatives))


# A token wrapped onto the next line (a fixed-width console, a copied terminal) where neither part is a token
# alone (`ghp_` and four characters, then the rest): the parts are read as one word, and the line break kept.
_WRAPPED = re.lazy(
    r"(?m)(?P<pre>^|[^A-Za-z0-9])(?P<head>(?:gh[pousr]_|github_pat_|gl(?:pat|rt|dt|ptt|cbt|ft|imt|oas|soat)-"
    r"|xox[abposre]-|xapp-|AKIA|ASIA|npm_|pypi-|AIza|ya29\.|GOCSPX-|sk-|hf_|dckr_pat_|SG\.|eyJ)[A-Za-z0-9_.-]*)"
    r"(?P<brk>\r?\n)(?P<tail>[A-Za-z0-9_.-]+)"
)


def _join_wrapped(text: str) -> str:
    return _WRAPPED.sub(_rejoin, text) if _WRAPPED.search(text) else text


def _tokens_out(word: str) -> str:
    for shape in _SHAPES:
        word = shape.sub(word)
    return word


def _rejoin(m: re.Match[str]) -> str:
    head, tail = m["head"], m["tail"]
    if _tokens_out(head) != head:
        return m[0]  # the head is a token alone: its shape redacts it where it stands
    joined = _tokens_out(head + tail)
    return m[0] if joined == head + tail else m["pre"] + joined + m["brk"]
