"""A secret written in an encoding untrusted text carries (HTML numeric and named entities, percent-encoding, JSON
`\\uXXXX` and `\\/` escapes) is redacted as its plain form is, through `clean` and through the real CLI.

Fake credentials are assembled from pieces so this file never holds a literal a scanner flags.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import gardener
from gardener.redact import clean, clean_all, redact_secrets

BODY36 = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
PASSWORD = "hunter2s3cr3t"
JWT_SIG = "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
JWT_BODY = "eyJ" + "hbGciOiJIUzI1NiJ9&#46;eyJ" + "zdWIiOiIxMjM0NTY3ODkwIn0&#46;" + JWT_SIG
SLACK_SECRET = "AbCdEfGhIjKlMnOpQrStUvWx"

# (text, the secret that must vanish, the placeholder kind that replaces it): the shapes of tests/test_redact.py's
# SECRETS, each written in an encoding.
ENCODED = [
    ("remote: invalid credentials ghp&#95;" + BODY36 + " for push", BODY36, "github-token"),
    ("remote: invalid credentials ghp&#x5F;" + BODY36, BODY36, "github-token"),
    ("remote: invalid credentials ghp&#95" + BODY36, BODY36, "github-token"),  # no `;`: browsers still read it
    ("token ghp&lowbar;" + BODY36, BODY36, "github-token"),
    ("token ghp&UnderBar;" + BODY36, BODY36, "github-token"),
    ("GET /x?next=ghp%5F" + BODY36, BODY36, "github-token"),
    ("GET https://api.example/x?t=ghp%5f" + BODY36 + "&page=2", BODY36, "github-token"),
    ('{"message": "bad credentials ghp\\u005f' + BODY36 + '"}', BODY36, "github-token"),
    ("xox" + "b&#45;123456789012-1234567890123-" + SLACK_SECRET, SLACK_SECRET, "slack-token"),
    ("sending Bearer " + JWT_BODY + " upstream", "dozjgNryP4J3jVmNHl0w5N", "jwt"),
    # A URL's credentials behind an escaped `@`, `/` or `:`, or the whole URL percent-encoded in a query.
    (f"git clone https://x-access-token:{PASSWORD}&#64;github.com/o/r.git", PASSWORD, "url-password"),
    (f"git clone https://x-access-token:{PASSWORD}&commat;github.com/o/r.git", PASSWORD, "url-password"),
    (f'&lt;a href=&quot;https:&#x2F;&#x2F;bot:{PASSWORD}@github.com&quot;&gt;', PASSWORD, "url-password"),
    (f"https:&sol;&sol;bot:{PASSWORD}&commat;host/x", PASSWORD, "url-password"),
    (f"GET /login?redirect=https%3A%2F%2Fx-access-token%3A{PASSWORD}%40github.com%2Fo", PASSWORD, "url-password"),
    (f"https://bot:hunter2&#47;{PASSWORD}@host/", PASSWORD, "url-password"),
    (f'{{"url": "https:\\/\\/bot:{PASSWORD}@host\\/x"}}', PASSWORD, "url-password"),
    # Contexts whose separator is escaped.
    (f"Authorization&#58; token {PASSWORD}", PASSWORD, "authorization"),
    (f"password&#61;{PASSWORD}", PASSWORD, "secret"),
    (f"{{&quot;password&quot;: &quot;{PASSWORD}&quot;}}", PASSWORD, "secret"),
    (f'{{"client_secret\\u0022: \\u0022{PASSWORD}\\u0022}}', PASSWORD, "secret"),
    # Twice encoded: an HTML page quoting a percent-encoded URL.
    (f"redirect=https%3A%2F%2Fbot%3A{PASSWORD}%2540host", PASSWORD, "url-password"),
    ("token ghp&amp;#95;" + BODY36, BODY36, "github-token"),
]

# Encoded text that holds no secret stays as it is: decoding is only how redaction looks, never what it shows.
UNCHANGED = [
    "GET /search?q=a%20b&amp;page=2 returned 500",
    "expected &lt;div&gt; but got &lt;span&gt; (&#39;x&#39;)",
    '{"path": "C:\\\\build\\\\out", "msg": "caf\\u00e9 \\u002f 100%"}',
    "coverage 100% &amp; 98%",
    "ghp&#95; prefix only",
    "assert '&#0;' == '&#27;[31m'",
]


@pytest.mark.parametrize(("text", "secret", "kind"), ENCODED)
def test_an_encoded_secret_is_redacted(text: str, secret: str, kind: str) -> None:
    cleaned = clean(text)
    assert secret not in cleaned and f"[REDACTED:{kind}]" in cleaned, cleaned
    assert clean(cleaned) == cleaned
    assert clean_all(["tests/test_a.py::test_one", text]) == ["tests/test_a.py::test_one", cleaned]


@pytest.mark.parametrize("text", UNCHANGED)
def test_encoded_text_without_a_secret_is_kept_as_it_is(text: str) -> None:
    assert redact_secrets(text) == text


ENV = {**os.environ, "PYTHONPATH": str(Path(gardener.__file__).parent.parent)}


def test_no_cli_output_holds_an_encoded_secret(tmp_path: Path) -> None:
    # In XML `&amp;#95;` is read as `&#95;`: the failure message holds the HTML-escaped token, as an HTML error
    # page quoted in a test's output does.
    messages = [
        "HTTPError: 401 for ghp&amp;#95;" + BODY36,
        f"ConnectionError: https://bot:{PASSWORD}&amp;#64;github.com refused",
        "AssertionError: redirect to https%3A%2F%2Fbot%3A" + PASSWORD + "%40host",
    ]
    body = "".join(
        f'<testcase classname="tests.test_x" name="test_{n}"><failure message="{m}">{m}</failure></testcase>'
        for n, m in enumerate(messages)
    )
    junit = tmp_path / "junit.xml"
    junit.write_text(f'<?xml version="1.0"?><testsuite name="s" tests="3" failures="3">{body}</testsuite>')
    for args in (("classify", "--json"), ("explain",), ("run", "--json", "--out", str(tmp_path / "out"))):
        proc = subprocess.run([sys.executable, "-m", "gardener", *args, str(junit)], capture_output=True, text=True,
                              cwd=tmp_path, env=ENV, timeout=120, check=False)
        assert proc.returncode == 0, proc.stderr
        assert BODY36 not in proc.stdout and PASSWORD not in proc.stdout, args
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert BODY36 not in text and PASSWORD not in text, path
    assert json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))


def test_a_line_whose_escapes_hid_a_secret_is_shown_decoded_and_the_others_as_written() -> None:
    text = "GET /a?q=x%20y\ntoken ghp&#95;" + BODY36 + " in &lt;b&gt;\nok &amp; done"
    assert clean(text) == "GET /a?q=x%20y\ntoken [REDACTED:github-token] in <b>\nok &amp; done"


@pytest.mark.parametrize(
    "hostile",
    ["%25" * 30_000 + "41", "&amp;" * 20_000 + "#95;", "&#95;" * 20_000 + "ghp", "\\u005f" * 20_000 + "token=",
     ("ghp&#95;" + BODY36 + "\n") * 2_000, "&#" + "9" * 50_000 + ";", "&#x" + "f" * 50_000 + ";"],
    ids=lambda hostile: repr(hostile[:12]),
)
def test_hostile_escapes_are_handled_in_a_few_passes(hostile: str) -> None:
    assert clean(clean(hostile)) == clean(hostile)
    assert BODY36 not in clean(hostile)


def test_the_prefilter_lets_through_every_text_whose_escapes_hide_a_secret() -> None:
    """`redact_secrets` skips a text with no secret trigger and no escape; over random texts built of escapes
    and secret fragments the result is what every step gives, and a text a step changes is one let through."""
    import random

    from gardener.redact.encoded import may_be_encoded
    from gardener.redact.secrets import every_step, may_hold_secret

    rng = random.Random(14)
    parts = ["g", "h", "p", "ghp", "ghp&#95;", "password&#61;", "&quot;token&quot;: ", "&#95;", "&#x5F;", "_", "%5F",
             "%5f", "\\u005f", "&lowbar;", "&amp;", "%25", "&#",
             "&#104;", "%67", "://", "%3A%2F%2F", "&#64;", "@", ":", "=", "&#61;", "pass", "word", "token", " ",
             "\n", BODY36[:12], BODY36, "x", "%", "&", "\\", "\\/", "&quot;", '"', "%0A", "&#10;", "&#0;"]
    changed = 0
    for _ in range(3000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(1, 16)))
        full = every_step(text)
        assert redact_secrets(text) == full, text
        assert redact_secrets(full) == full, text
        if full != text:
            changed += 1
            assert may_hold_secret(text) or may_be_encoded(text), text
    assert changed > 300


def test_a_placeholder_kind_is_not_a_secret_name() -> None:
    """`password=pass = x` once redacted reads `[REDACTED:secret] = x`, where `secret` is no setting's name."""
    once = redact_secrets("password=pass = x")
    assert once == "password=[REDACTED:secret] = x"
    assert redact_secrets(once) == once
