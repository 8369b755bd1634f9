"""Values stored under secret-like names, and which names (environment variables, config
keys, JSON fields, CLI flags, XML elements) those are.

A name is split into words (on `_ - .` and camelCase) and is secret-like when a word is a
secret word (`key`, `auth`, `pwd`, ...) or ends in one of the unambiguous ones (`token`,
`password`, `secret`, ... so `githubtoken` counts). Whole words keep look-alikes out:
`KEYBOARD`, `keyword`, `monkeypatch`, `author`, `tokenizer`, `max_tokens` are not secret.

`redact_named_values` then blanks what follows such a name in the usual notations (shell, env
files, YAML, JSON, Python, CLI flags, XML), unless the value is harmless (`true`, `***`,
`$OTHER`), already redacted, or source code (`token = get_token()` in a traceback).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from gardener import regex as re

PLACEHOLDER = re.lazy(r"\[REDACTED:[a-z0-9-]+\]")  # what every redaction leaves behind


def placeholder(kind: str) -> str:
    return f"[REDACTED:{kind}]"


# A word that is one of these, or ends with one, names a secret ("githubtoken", "dbpassword").
_SECRET_SUFFIXES = (
    "token",
    "secret",
    "secrets",
    "password",
    "passwords",
    "passwd",
    "passphrase",
    "credential",
    "credentials",
    "apikey",
    "privatekey",
    "accesskey",
    "secretkey",
    "sessionkey",
    "signingkey",
    "encryptionkey",
    "masterkey",
    "authkey",
    "sshkey",
)
# Short words that only count on their own: "key" but not "monkey", "auth" but not "author".
_SECRET_WORDS = frozenset({"key", "pwd", "pw", "pass", "auth", "oauth", "authorization", "cred", "creds", "pat"})
# Every secret name holds one of these (lower-cased): the prefilter of redaction (secrets.may_hold_secret).
SECRET_NAME_WORDS = frozenset({*_SECRET_WORDS, *_SECRET_SUFFIXES})
# The shell's working directories are paths, not passwords.
_NOT_SECRET_NAMES = frozenset({"PWD", "OLDPWD"})
# Exception class names ("KeyError: 'x'", "InvalidTokenError: ...") are diagnostics, not settings.
_EXCEPTION_NAME = re.lazy(r"(?:Error|Exception|Warning)\Z")
_WORD = re.lazy(r"(?P<caps>[A-Z]*)[a-z]+|[A-Z]+|[0-9]+")

# Values that are never secrets: booleans, masks, references to other variables.
_HARMLESS_VALUE = re.lazy(
    r"(?i:true|false|null|none|nil|undefined|yes|no|on|off)"
    r"|\*+|(?i:x{3,})"
    r"|\$|\$[A-Z_][A-Z0-9_]*|\$\{[^{}]*\}|\$\{\{.*\}\}|%[A-Z_][A-Z0-9_]*%"
)


def name_words(name: str) -> tuple[str, ...]:
    """The lower-case words of a name: `X-Api-Key` -> (x, api, key), `clientSecret` -> (client, secret)."""
    words: list[str] = []
    for m in _WORD.finditer(name):
        caps = m["caps"]
        if caps and len(caps) > 1:  # `APIKey`: the acronym, then the capitalised word
            words += [caps[:-1], m[0][len(caps) - 1 :]]
        else:
            words.append(m[0])
    return tuple(word.lower() for word in words)


@lru_cache(maxsize=4096)  # logs repeat the same few names many times
def is_secret_name(name: str) -> bool:
    """True when a value stored under `name` must be treated as a secret."""
    if name.upper() in _NOT_SECRET_NAMES or _EXCEPTION_NAME.search(name):
        return False
    return any(word in _SECRET_WORDS or word.endswith(_SECRET_SUFFIXES) for word in name_words(name))


def is_harmless_value(value: str) -> bool:
    """True for values that reveal nothing even under a secret name (`true`, `***`, `$TOKEN`)."""
    return not value.strip() or _HARMLESS_VALUE.fullmatch(value.strip()) is not None


def secret_env_values(environ: Mapping[str, str]) -> tuple[str, ...]:
    """The values of secret-named variables in `environ`, for `redact_secrets(extra_values=...)`.

    Harmless values (`true`, `$OTHER`), values under 4 characters and short numbers (a
    `TOKEN_TTL=3600` is not worth blanking every `3600` in a log) are left out.
    """
    values = {
        value.strip()
        for name, value in environ.items()
        if is_secret_name(name)
        and len(value.strip()) >= 4
        and not is_harmless_value(value)
        and not (value.strip().isdigit() and len(value.strip()) < 8)
    }
    return tuple(sorted(values))


_VALUE = (
    "(?P<value>"
    + "|".join(
        (
            PLACEHOLDER.pattern,  # already redacted: kept as it is
            r"\\\"(?:[^\\\n]|\\+[^\\\"\n])*(?:\\*\\\"|\\+)?",  # \"...\" inside an escaped JSON string
            r"\"(?:[^\"\\\n]|\\.)*\"?",  # quoted: to the closing quote or the end of the line
            r"'(?:[^'\\\n]|\\.)*'?",
            r"[^\s\"'`,;&<>(){}\[\]]+",  # bare: one word
        )
    )
    + ")"
)
_QUOTED_VALUE = r"(?P<value>\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')"


def _always(text: str, name: re.Match[str], rest: re.Match[str]) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class _NamedValue:
    """A place where a value follows its name: `name` finds the name (a whole run of name
    characters, so nothing can start inside a refused one); `rest` then matches the separator and
    the value at its end; `fits` says what the lookarounds RE2 lacks used to say."""

    name: re.Pattern[str]
    rest: re.Pattern[str]
    fits: Callable[[str, re.Match[str], re.Match[str]], bool] = _always
    needles: tuple[str, ...] = ()  # one of these is in any text the rule can change


def _before(text: str, m: re.Match[str]) -> str:
    return text[m.start() - 1] if m.start() else ""


def _starts_a_name(text: str, start: int) -> bool:
    """The name found at `start` is not the tail of a longer one: `-` and `.` before it (`-Dspring.x.password`,
    `;.password`) join a longer name only after a character that can be in one."""
    i = start
    while i > 0 and text[i - 1] in "-.":
        i -= 1
    return i == 0 or text[i - 1] not in _NAME_CHARS_AND_DOLLAR


def _assignment_fits(text: str, name: re.Match[str], rest: re.Match[str]) -> bool:
    if not _starts_a_name(text, name.start()):
        return False  # the tail of a longer name, or `$NAME`
    op, after = rest["op"], text[rest.end("op") : rest.end("op") + 2]
    if op == "=":
        return after[:1] != "="  # `a == b` compares
    if op == ":":  # a ':' needs a space or a quote after it, so `tests/test_token.py:42` stays a location
        if _TEST_FUNCTION.fullmatch(name["name"]):  # `test_expired_token_rejected: the request ...` names a test
            return False
        return after[:1] in (" ", "\t", '"', "'") or after in ('\\"', "\\'")
    return True


def _flag_fits(text: str, name: re.Match[str], rest: re.Match[str]) -> bool:
    before = _before(text, name)
    return (
        not (before.isalnum() or before in ("_", "-"))
        and not name["name"].startswith("no-")
        and not rest["value"].startswith("-")
    )


# A test function's name (pytest, unittest: lower case, `test_` first), as titles and reports write it before a
# colon; a setting holding a secret is not spelled so (`TEST_PYPI_TOKEN`, `test_token=...` still are redacted).
_TEST_FUNCTION = re.lazy(r"test_[a-z0-9_]+")
_NAME_CHARS_AND_DOLLAR = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.$-")
_ASSIGNMENT_SEPARATOR = r"\\?[\"']?\]?[ \t]*(?P<op>:=|=>|=|:)[ \t]*"
_QUOTED_NAME_REST = r"[ \t]*,[ \t]*" + _QUOTED_VALUE  # after the name's closing quote
_NAMED_VALUES = (
    # NAME=value, NAME: value, "NAME": "value", os.environ["NAME"] = value, NAME := value, 'NAME' => value
    _NamedValue(
        re.lazy(r"(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)" + _ASSIGNMENT_SEPARATOR.replace("?P<op>", "")),
        re.lazy(_ASSIGNMENT_SEPARATOR + _VALUE),
        _assignment_fits,
        ("=", ":"),
    ),
    # --password abc, --api-key=abc (but not --no-auth)
    _NamedValue(
        re.lazy(r"--(?P<name>[A-Za-z][\w-]*)[= \t]"),
        re.lazy(r"(?:=|[ \t]+)" + _VALUE),
        _flag_fits,
        ("--",),
    ),
    # setenv("API_KEY", "abc"), ("password", "abc")
    _NamedValue(re.lazy(r'"(?P<name>[A-Za-z_][\w.-]*)'), re.lazy('"' + _QUOTED_NAME_REST), needles=('"',)),
    _NamedValue(re.lazy(r"'(?P<name>[A-Za-z_][\w.-]*)"), re.lazy("'" + _QUOTED_NAME_REST), needles=("'",)),
    # <password>abc</password>
    _NamedValue(
        re.lazy(r"<(?P<name>[A-Za-z_][\w.-]*)>"),
        re.lazy(r">(?P<value>[^<\n]+)</(?P<close>[A-Za-z_][\w.-]*)>"),
        needles=("</",),
    ),
)


def redact_named_values(text: str) -> str:
    """`text` with the value after every secret-like name replaced by `[REDACTED:secret]`."""
    for rule in _NAMED_VALUES:
        if any(n in text for n in rule.needles):
            text = _redact_after_names(rule, text)
    return text


def _redact_after_names(rule: _NamedValue, text: str) -> str:
    """Redact the value after each secret-like name that `rule` finds."""
    parts: list[str] = []
    emitted = 0
    for found in rule.name.finditer(text):
        if found.start() < emitted or not is_secret_name(found["name"]):
            continue
        if text.endswith("[REDACTED:", 0, found.start()):
            continue  # `[REDACTED:secret] = x`: a placeholder's kind names no setting (redacting twice is once)
        rest = rule.rest.match(text, found.end("name"))
        if rest is None or rest.groupdict().get("close", found["name"]) != found["name"]:
            continue
        if not rule.fits(text, found, rest) or _is_count(found["name"], rest, text, found.end("name")):
            continue
        if not _keeps_value(rest, text):
            parts += [text[emitted : rest.start("value")], _replace_value(rest["value"])]
            emitted = rest.end("value")
    return "".join(parts) + text[emitted:] if parts else text


# A count of tests is never a secret, even after a secret word: Julia's `Some tests did not pass: 1 passed, 0 failed`,
# a tally's `Pass: 4, Fail: 1`. A number is a count when a tally word (a word, not a `tests/` path) follows it, or when
# the name is the outcome `pass` itself beside a failure tally. Never an assignment's value: `PASS=1234`, `--pass=1234`
# and `DB_PASS=1234 tests/run.sh` are a numeric password, and `KEY_COUNT=3` loses its value too.
_TALLY_WORD = re.lazy(
    r"[ \t]+(?i:passed|failed|failing|errored|broken|skipped|pending|tests?|cases?|errors?|failures?|assertions?"
    r"|examples?|checks?|specs?)(?:[ \t,;:.)]|$)"
)
_FAIL_TALLY = re.lazy(r"(?i)\b(?:fail(?:ed|ures?)?|errors?|errored)\b")


def _is_count(name: str, rest: re.Match[str], text: str, name_end: int) -> bool:
    value = rest["value"]
    if not (value.isascii() and value.isdigit()) or "=" in text[name_end : rest.start("value")]:
        return False
    if name.lower() == "pass":
        return _FAIL_TALLY.search(text) is not None
    return _TALLY_WORD.match(text, rest.end("value")) is not None


# `Authorization: Bearer [REDACTED:...]`: the word is the scheme, its credential is gone already.
_SCHEME_THEN_PLACEHOLDER = re.lazy(r"[\w-]+[ \t]+" + PLACEHOLDER.pattern)
_ESCAPES = re.lazy(r"\\[nrt]")
# A CSI sequence's tail: `[0m`, `[0;32m`, `[?25h`, or `[m`, `[K` not followed by more of a name (`tokens[i]`).
_LOST_ESCAPE = re.lazy(r"\[(?:[0-9;?]+[A-Za-z]|[A-Za-z](?:[^A-Za-z0-9_\]]|\z))")


def _keeps_value(match: re.Match[str], text: str) -> bool:
    value = match["value"]
    inner = _unquote(value)
    if PLACEHOLDER.fullmatch(value) or is_harmless_value(inner) or _SCHEME_THEN_PLACEHOLDER.fullmatch(inner):
        return True
    if PLACEHOLDER.search(inner) and not re.search(r"[A-Za-z0-9]", _ESCAPES.sub("", PLACEHOLDER.sub("", inner))):
        return True  # "[REDACTED:private-key]\n": a more specific rule got here first
    if value[0] in "\"'\\":
        return False
    rest = text[match.end("value") : match.end("value") + 40]
    # Source code in a traceback: `token = get_token()` / `key = os.environ["X"]` names no secret. A colour
    # code whose escape byte was lost (`PASSWORD=abc[0m`, a log copied from a web view) is no subscript.
    code = rest[:1] == "(" or (rest[:1] == "[" and not _LOST_ESCAPE.match(rest))
    return code or _SCHEME_THEN_PLACEHOLDER.match(value + rest) is not None


def _unquote(value: str) -> str:
    for quote_mark in ('\\"', '"', "'"):
        if value.startswith(quote_mark):
            inner = value[len(quote_mark) :]
            return inner[: -len(quote_mark)] if inner.endswith(quote_mark) and inner else inner
    return value


def _replace_value(value: str) -> str:
    for quote_mark in ('\\"', '"', "'"):
        if value.startswith(quote_mark):
            closed = len(value) > len(quote_mark) and value.endswith(quote_mark)
            return quote_mark + placeholder("secret") + (quote_mark if closed else "")
    return placeholder("secret")
