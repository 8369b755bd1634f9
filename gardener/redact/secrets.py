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
Errs on the side of redacting: `key=value` loses its value. Placeholders are never rewritten, so
redacting twice gives the same text.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterable
from urllib.parse import quote

from gardener.redact.names import PLACEHOLDER, is_harmless_value, placeholder, redact_named_values

MIN_KNOWN_VALUE = 4  # shorter known values would blank ordinary words
_MIN_KNOWN_LINE = 8  # lines of a multi-line known value (a JSON key file) count from here


_L = r"(?<![A-Za-z0-9])"  # a token is not the tail of a longer word
_R = r"(?![A-Za-z0-9])"
_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            "private-key",
            r"-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----(?s:.*?)"
            r"(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|\Z)",
        ),
        ("github-token", _L + r"(?:gh[pousr]_[A-Za-z0-9]{10,}|github_pat_[A-Za-z0-9_]{20,})"),
        ("gitlab-token", _L + r"glpat-[A-Za-z0-9_-]{20,}"),
        ("slack-token", _L + r"xox[abposr]-[A-Za-z0-9-]{10,}"),
        ("slack-webhook", r"(?<=hooks\.slack\.com/services/)[A-Za-z0-9_/-]+"),
        ("npm-token", _L + r"npm_[A-Za-z0-9]{20,}"),
        ("pypi-token", _L + r"pypi-[A-Za-z0-9_-]{32,}"),
        ("google-api-key", _L + r"AIza[0-9A-Za-z_-]{30,}"),
        ("stripe-key", _L + r"(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}"),
        ("api-key", _L + r"sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}"),
        ("huggingface-token", _L + r"hf_[A-Za-z0-9]{30,}"),
        ("docker-token", _L + r"dckr_pat_[A-Za-z0-9_-]{20,}"),
        ("aws-access-key-id", _L + r"(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}" + _R),
        ("jwt", _L + r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),
    )
)

# A header name, then the value to the closing quote, backslash or end of line; the scheme word
# (Bearer, token, Basic, ...) stays so the text still says what kind of credential it was.
_HEADER = re.compile(
    r"(?i)(?P<head>(?<![A-Za-z0-9])(?P<header>(?:proxy-)?authori[sz]ation|set-cookie|cookie)"
    r"\\?[\"']?[ \t]*[:=][ \t]*[\"']?[ \t]*)"
    r"(?:(?P<scheme>bearer|token|basic|digest|negotiate|ntlm|apikey|aws4-hmac-sha256)[ \t]+)?"
    r"(?P<value>[^\s\"'\\][^\"'\\\r\n]*)"
)
# A bearer token outside a header; the digit keeps prose ("a bearer credential") intact.
_BEARER = re.compile(r"(?i)\b(?P<head>bearer[ \t]+)(?P<value>(?=[A-Za-z0-9._~+/-]*[0-9])[A-Za-z0-9._~+/-]{8,}=*)")
_URL_PASSWORD = re.compile(
    r"(?i)(?<![a-z0-9+.-])(?P<head>[a-z][a-z0-9+.-]*://[^\s:/?#@\"'<>\[\]]*:)(?P<value>[^\s/?#\"'<>]+)(?=@)"
)
# A user-only URL ("https://<token>@github.com") is redacted when the user looks random.
_URL_USER = re.compile(r"(?i)(?<![a-z0-9+.-])(?P<head>[a-z][a-z0-9+.-]*://)(?P<value>[A-Za-z0-9_-]{16,})(?=@)")
_CURL_USER = re.compile(r"(?<!\S)(?P<head>(?:-u|--user)[ \t=]+[\"']?[^\s:\"'\[\]]+:)(?P<value>[^\s\"']+)")


def redact_secrets(text: str, extra_values: Iterable[str] = ()) -> str:
    """`text` with every secret this module recognises replaced by `[REDACTED:<kind>]`."""
    known = _known_values_pattern(extra_values)
    if known is not None:
        text = known.sub(lambda m: m[0] if m[0].startswith("[REDACTED:") else placeholder("known-secret"), text)
    for kind, shape in _SHAPES:
        text = shape.sub(placeholder(kind), text)
    text = _HEADER.sub(_redact_header, text)
    for kind, pattern in (
        ("bearer-token", _BEARER),
        ("url-password", _URL_PASSWORD),
        ("url-credential", _URL_USER),
        ("password", _CURL_USER),
    ):
        text = pattern.sub(_keep_head(kind), text)
    return redact_named_values(text)


def _keep_head(kind: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        if PLACEHOLDER.fullmatch(match["value"]):
            return match[0]
        looks_random = re.search(r"[0-9]", match["value"]) and re.search(r"[A-Za-z]", match["value"])
        if kind == "url-credential" and not looks_random:
            return match[0]  # "https://deploy-bot-account@host" is a user name, not a token
        return match["head"] + placeholder(kind)

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
