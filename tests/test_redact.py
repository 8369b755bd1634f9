"""The safety layer: every secret form, the look-alikes that must survive, mentions and
references, workflow commands, control codes, fences, budgets, idempotence, and seeded
random property tests (stdlib random, fixed seeds).

Fake credentials are assembled from pieces so this file itself never holds a literal that
secret scanners would flag.
"""

from __future__ import annotations

import base64
import random
import re

import pytest

from gardener.redact import (
    ZWSP,
    clean,
    clean_all,
    clip,
    fence,
    is_secret_name,
    neutralise_markup,
    neutralise_mentions,
    redact_secrets,
    safe_inline,
    secret_env_values,
    strip_control,
)
from gardener.redact.text import cut_raw, tail_raw

BODY36 = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
GH = "gh" + "p_" + BODY36
JWT = "eyJ" + "hbGciOiJIUzI1NiJ9" + ".eyJ" + "zdWIiOiIxMjM0NTY3ODkwIn0" + ".dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
AWS_ID = "AK" + "IA" + "IOSFODNN7Q2X4Z6W"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYzz88example"
PEM_BODY = "MIIEowIBAAKCAQEA7bq0" + "Zx8vQ3rT5yU"
LIVE_MENTION = re.compile(r"(?<![A-Za-z0-9_])@[A-Za-z0-9]")
LIVE_REFERENCE = re.compile(r"(?<!&)#[0-9]")

# (text, the secret that must vanish, the placeholder kind that replaces it)
SECRETS = [
    (f"remote: invalid credentials {GH} for push", BODY36, "github-token"),
    *((f"token={p}_{BODY36}", BODY36, "github-token") for p in ("gho", "ghu", "ghs", "ghr")),
    ("using github_" + "pat_11ABCDEFG0123456789_" + BODY36 + BODY36, BODY36, "github-token"),
    ("curl -H 'Authorization: token hunter2-s3cr3t' https://api.example", "hunter2-s3cr3t", "authorization"),
    ('curl -H "authorization: Bearer hunter2-s3cr3t" x', "hunter2-s3cr3t", "authorization"),
    ('{"Authorization": "Basic dXNlcjpodW50ZXIy", "Accept": "json"}', "dXNlcjpodW50ZXIy", "authorization"),
    ("> Proxy-Authorization: Digest username=bob, response=6629fae4939", "6629fae4939", "authorization"),
    ("HTTP_AUTHORIZATION: Bearer hunter2-s3cr3t", "hunter2-s3cr3t", "authorization"),
    (f"sending Bearer {JWT} upstream", "dozjgNryP4J3jVmNHl0w5N", "jwt"),
    ("retrying with bearer abc123def456ghi789 now", "abc123def456ghi789", "bearer-token"),
    ("Cookie: sessionid=9f8e7d6c5b4a; csrftoken=abc", "9f8e7d6c5b4a", "cookie"),
    ("git clone https://x-access-token:hunter2s3cr3t@github.com/o/r.git", "hunter2s3cr3t", "url-password"),
    ("DATABASE_URL postgres://app:p@ss:w0rd@db:5432/app", "ss:w0rd", "url-password"),
    ("fetch https://0123456789abcdef0123456789abcdef01234567@github.com/o/r", "0123456789abcdef01", "url-credential"),
    ("curl -u admin:hunter2s3cr3t http://localhost", "hunter2s3cr3t", "password"),
    (f"key id {AWS_ID} used", AWS_ID, "aws-access-key-id"),
    ("AS" + "IA" + "Y34FZKBOKMUTVV7A in session", "Y34FZKBOKMUTVV7A", "aws-access-key-id"),
    (f"aws_secret_access_key = {AWS_SECRET}", AWS_SECRET, "secret"),
    (f"AWS_SECRET_ACCESS_KEY={AWS_SECRET}", AWS_SECRET, "secret"),
    (f"a\n-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\nxyz\n-----END RSA PRIVATE KEY-----\nb", PEM_BODY, "private-key"),
    (f"cut off\n-----BEGIN OPENSSH PRIVATE KEY-----\n{PEM_BODY}\n", PEM_BODY, "private-key"),
    (
        f"-----BEGIN PGP PRIVATE KEY BLOCK-----\n{PEM_BODY}\n-----END PGP PRIVATE KEY BLOCK-----",
        PEM_BODY,
        "private-key",
    ),
    (
        f'"private_key": "-----BEGIN PRIVATE KEY-----\\n{PEM_BODY}\\n-----END PRIVATE KEY-----\\n"',
        PEM_BODY,
        "private-key",
    ),
    ("FOO_TOKEN=hunter2-s3cr3t", "hunter2-s3cr3t", "secret"),
    ('export API_KEY="hunter2 s3cr3t"', "hunter2 s3cr3t", "secret"),
    ("password: hunter2-s3cr3t", "hunter2-s3cr3t", "secret"),
    ('{"client_secret": "hunter2-s3cr3t", "id": 1}', "hunter2-s3cr3t", "secret"),
    ("{'token': 'hunter2-s3cr3t'}", "hunter2-s3cr3t", "secret"),
    ('{\\"password\\": \\"hunter2-s3cr3t\\"}', "hunter2-s3cr3t", "secret"),
    ("mytool --password hunter2-s3cr3t --verbose", "hunter2-s3cr3t", "secret"),
    ("mytool --api-key=hunter2-s3cr3t", "hunter2-s3cr3t", "secret"),
    ("set DB_PASSWORD=hunter2-s3cr3t", "hunter2-s3cr3t", "secret"),
    ("$env:API_KEY = 'hunter2-s3cr3t'", "hunter2-s3cr3t", "secret"),
    ('os.environ["GITHUB_TOKEN"] = "hunter2-s3cr3t"', "hunter2-s3cr3t", "secret"),
    ('monkeypatch.setenv("API_KEY", "hunter2-s3cr3t")', "hunter2-s3cr3t", "secret"),
    ("<password>hunter2-s3cr3t</password>", "hunter2-s3cr3t", "secret"),
    ("secretKey: hunter2-s3cr3t", "hunter2-s3cr3t", "secret"),
    ("docker run -e MYSQL_ROOT_PASSWORD=hunter2-s3cr3t db", "hunter2-s3cr3t", "secret"),
    ("GET /cb?access_token=hunter2s3cr3t&state=1", "hunter2s3cr3t", "secret"),
    ("creds := hunter2-s3cr3t", "hunter2-s3cr3t", "secret"),
    ("xo" + "xb-123456789012-1234567890123-" + BODY36[:24], BODY36[:24], "slack-token"),
    ("post to https://hooks.slack.com/services/T000/B000/" + BODY36[:24], BODY36[:24], "slack-webhook"),
    ("npm" + "_" + BODY36, BODY36, "npm-token"),
    ("pypi" + "-AgEIcHlwaS5vcmcCJDAwMDAwMDAwLTAw" + BODY36, BODY36, "pypi-token"),
    ("AI" + "za" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p", "SyA1b2C3d4E5f6G7h8I9j0", "google-api-key"),
    ("sk" + "_live_" + BODY36[:24], BODY36[:24], "stripe-key"),
    ("rk" + "_test_" + BODY36[:24], BODY36[:24], "stripe-key"),
    ("sk" + "-proj-" + BODY36, BODY36, "api-key"),
    (f"token in cookie: {JWT}", "dozjgNryP4J3jVmNHl0w5N", "jwt"),
]


@pytest.mark.parametrize(("text", "secret", "kind"), SECRETS)
def test_every_secret_form_is_replaced(text: str, secret: str, kind: str) -> None:
    redacted = redact_secrets(text)
    assert secret not in redacted
    assert f"[REDACTED:{kind}]" in redacted
    assert secret not in clean(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "git clone https://x-access-token:hunter2@github.com/o/r.git",
            "git clone https://x-access-token:[REDACTED:url-password]@github.com/o/r.git",
        ),
        ('export API_KEY="abc"; FOO_TOKEN=abc', 'export API_KEY="[REDACTED:secret]"; FOO_TOKEN=[REDACTED:secret]'),
        ("curl -H 'Authorization: token abc'", "curl -H 'Authorization: token [REDACTED:authorization]'"),
        (f"Authorization: Bearer {JWT}", "Authorization: Bearer [REDACTED:jwt]"),
        ("x\n-----BEGIN EC PRIVATE KEY-----\nabc\n-----END EC PRIVATE KEY-----\ny", "x\n[REDACTED:private-key]\ny"),
        ("password: 'unterminated", "password: '[REDACTED:secret]"),
    ],
)
def test_redaction_keeps_the_words_around_the_secret(text: str, expected: str) -> None:
    assert redact_secrets(text) == expected


LOOK_ALIKES = [
    "monkeypatch.setattr(module, 'keyboard', None)",
    "KEYBOARD_LAYOUT=us keyword: parametrize hotkey=F5",
    "author: Jane Doe",
    "max_tokens=256 tokenizer=bert-base",
    "AUTH_ENABLED=true verify_password: false",
    "PWD=/home/runner/work/repo OLDPWD=/tmp",
    "GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }} TOKEN=$GITHUB_TOKEN",
    "password: ******** api_key=***",
    "token = get_token()",
    "api_key = os.environ['API_KEY']",
    "this endpoint requires a bearer credential; Bearer token auth is required",
    "commit 3f786850e387550fdab836ed7e6dc881de23001b",
    "image sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "request 123e4567-e89b-12d3-a456-426614174000 failed",
    "tests/test_token.py:42: AssertionError",
    "KeyError: 'api_key'",
    "InvalidTokenError: signature expired",
    "ssh://git@github.com/o/r.git and http://localhost:8080/health",
    "pk" + "_test_" + BODY36[:24],
    "task-1234567890abcdefghijkl and ghp_ prefix",
    "assert d['key'] == 3 and token != expected",
    "pytest --keyword foo --no-auth tests/",
    "payload aGVsbG8gd29ybGQ= version 1.2.3",
    "The password reset test failed",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_survive(text: str) -> None:
    assert clean(text) == text


def test_documented_choice_key_named_values_are_redacted_even_when_they_look_harmless() -> None:
    # "key" is a secret word on its own; we do not guess secrecy from the value.
    assert redact_secrets("KEY_COUNT=3") == "KEY_COUNT=[REDACTED:secret]"
    assert redact_secrets("a dict maps key=value") == "a dict maps key=[REDACTED:secret]"


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("GITHUB_TOKEN", True),
        ("GH_TOKEN", True),
        ("githubtoken", True),
        ("DB_PASSWORD", True),
        ("mysql_passwd", True),
        ("PGPASS", False),
        ("DB_PASS", True),
        ("apiKey", True),
        ("X-Api-Key", True),
        ("client_secret", True),
        ("AWS_SECRET_ACCESS_KEY", True),
        ("GOOGLE_APPLICATION_CREDENTIALS", True),
        ("OAUTH", True),
        ("SSH_AUTH_SOCK", True),
        ("NPM_PAT", True),
        ("KEYBOARD", False),
        ("keyword", False),
        ("monkeypatch", False),
        ("author", False),
        ("tokenizer", False),
        ("max_tokens", False),
        ("PWD", False),
        ("OLDPWD", False),
        ("PATH", False),
        ("KeyError", False),
        ("HOME", False),
    ],
)
def test_is_secret_name(name: str, secret: bool) -> None:
    assert is_secret_name(name) is secret


def test_secret_env_values_picks_secret_named_variables() -> None:
    environ = {
        "GITHUB_TOKEN": "ghs_abc123xyz",
        "DB_PASSWORD": "hunter22",
        "HOME": "/root",
        "PWD": "/work",
        "FEATURE_AUTH": "true",
        "TOKEN_TTL": "3600",
        "SHORT_KEY": "ab",
        "ALIAS_TOKEN": "$GITHUB_TOKEN",
    }
    assert secret_env_values(environ) == ("ghs_abc123xyz", "hunter22")


def test_extra_values_are_replaced_wherever_they_appear() -> None:
    known = "c0rrect h0rse/42"
    encoded = base64.b64encode(known.encode()).decode()
    text = f"x{known}y url=c0rrect%20h0rse%2F42 b64={encoded} short=abc"
    redacted = redact_secrets(text, extra_values=[known, "abc"])
    assert redacted == (
        "x[REDACTED:known-secret]y url=[REDACTED:known-secret] b64=[REDACTED:known-secret] short=abc"
    )  # "abc" is under the minimum length: left alone
    multi_line = "line-one-secret\nline-two-secret"
    assert "line-two" not in redact_secrets("saw line-two-secret", extra_values=[multi_line])


def test_an_extra_value_that_looks_like_a_placeholder_stays_idempotent() -> None:
    once = clean("REDACTED token=abc", extra_values=["REDACTED", "secret"])
    assert once == clean(once, extra_values=["REDACTED", "secret"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ping @octocat now", f"ping @{ZWSP}octocat now"),
        ("cc @org/team-name,(@user)", f"cc @{ZWSP}org/team-name,(@{ZWSP}user)"),
        ("@pytest.mark.parametrize('x', [1])", f"@{ZWSP}pytest.mark.parametrize('x', [1])"),
        ("node_modules/@types/node, ü@user, @@twice", f"node_modules/@{ZWSP}types/node, ü@{ZWSP}user, @@{ZWSP}twice"),
        ("fixes #123, owner/repo#45, GH-7, gh-8", f"fixes #{ZWSP}123, owner/repo#{ZWSP}45, GH-{ZWSP}7, gh-{ZWSP}8"),
        ("see https://github.com/o/r/issues/9, /pull/10", f"see https://github.com/o/r/issues/{ZWSP}9, /pull/{ZWSP}10"),
        ("mail a@b.com or first.last@example.org", "mail a@b.com or first.last@example.org"),
        ("it&#39;s C# and #abc, @ alone, @-x", "it&#39;s C# and #abc, @ alone, @-x"),
    ],
)
def test_neutralise_mentions(text: str, expected: str) -> None:
    assert neutralise_mentions(text) == expected
    assert neutralise_mentions(expected) == expected


def test_neutralise_markup_blocks_workflow_commands_and_html_comments() -> None:
    text = '::set-output name=x::y\n  ::add-mask::z\nlog ##[error]boom a::b\n<!-- gardener:{"v":1} -->'
    assert neutralise_markup(text) == (
        f":{ZWSP}:set-output name=x::y\n  :{ZWSP}:add-mask::z\nlog #{ZWSP}#[error]boom a::b\n"
        f'<!{ZWSP}-- gardener:{{"v":1}} -->'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\x1b[1;31mFAILED\x1b[0m test", "FAILED test"),
        ("\x1b]8;;https://evil.example\x1b\\link text\x1b]8;;\x1b\\!", "link text!"),
        ("\x1b]0;window title\x07rest", "rest"),
        ("\x1bc\x1b(B\x1b7a\x1b[?25lb\x9b31mc", "abc"),
        ("a\x00b\x07c\x08d\x0be\x0cf\x7fg\x85h\tI\n", "abcdefgh\tI\n"),
        ("a\r\nb\r\r\nc", "a\nb\nc"),
        ("Downloading  10%\rDownloading  50%\rDownloading 100%\ndone\r", "Downloading 100%\ndone"),
        ("\x1b[2K\rstep 1\r\x1b[2K\rstep 2   \r   \n", "step 2   \n"),
        ("user\u202eevil\u2066x", "userevilx"),
        (f"keeps @{ZWSP}zero width", f"keeps @{ZWSP}zero width"),
    ],
)
def test_strip_control(text: str, expected: str) -> None:
    assert strip_control(text) == expected


def test_clean_joins_a_token_split_by_ansi_codes_before_redacting() -> None:
    split = f"token {GH[:9]}\x1b[31m{GH[9:20]}\x1b[0m{GH[20:]} and {AWS_ID[:6]}\x1b]8;;x\x1b\\{AWS_ID[6:]} end"
    cleaned = clean(split)
    assert cleaned == "token [REDACTED:github-token] and [REDACTED:aws-access-key-id] end"


def test_clean_redacts_before_neutralising() -> None:
    assert clean("password: abc@def #1 @me") == f"password: [REDACTED:secret] #{ZWSP}1 @{ZWSP}me"


@pytest.mark.parametrize("text", [s for s, _, _ in SECRETS] + LOOK_ALIKES)
def test_clean_is_idempotent(text: str) -> None:
    once = clean(text + " @user #12\n::cmd \x1b[31mred")
    assert clean(once) == once


def test_fence_outruns_every_backtick_run_inside() -> None:
    assert fence("plain") == "```\nplain\n```"
    assert fence("") == "```\n```"
    assert fence("ends with newline\n", "text") == "```text\nends with newline\n```"
    hostile = "```\nclosed?\n````\n`` inline ``"
    fenced = fence(hostile, "py")
    assert fenced == f"`````py\n{hostile}\n`````"
    assert fence("x", "py`\nevil lang") == "```pyevillang\nx\n```"


def test_fence_cannot_be_closed_from_inside() -> None:
    rng = random.Random(7)
    for _ in range(200):
        content = "".join(rng.choice(["`", "``", "```", "````", "\n", "x", " ", "~~~"]) for _ in range(30))
        lines = fence(content).split("\n")
        opening = len(lines[0])
        # CommonMark: a closing fence is a line of at least as many backticks as the opening one.
        inner_closers = [ln for ln in lines[1:-1] if re.fullmatch(rf" {{0,3}}`{{{opening},}}\s*", ln)]
        assert inner_closers == [] and lines[-1] == "`" * opening


def _split_clip(out: str) -> tuple[str, int, str]:
    match = re.search(r"[ \n]?… \[([0-9,]+) characters? cut\] …[ \n]?", out)
    assert match is not None, out
    return out[: match.start()], int(match[1].replace(",", "")), out[match.end() :]


def test_clip_keeps_whole_lines_and_counts_what_it_cut() -> None:
    text = "\n".join(f"line {i:03d}" for i in range(200))
    out = clip(text, 200)
    head, cut, tail = _split_clip(out)
    assert len(out) <= 200
    assert head.startswith("line 000") and tail.endswith("line 199")
    assert all(re.fullmatch(r"line \d{3}", ln) for ln in head.split("\n") + tail.split("\n"))
    assert len(head) + cut + len(tail) == len(text)
    assert "\n… [" in out and "] …\n" in out
    assert clip(text, len(text)) == text


@pytest.mark.parametrize("keep", ["head", "tail"])
def test_clip_one_sided(keep: str) -> None:
    text = "abcdefghij" * 30
    out = clip(text, 60, keep=keep)  # type: ignore[arg-type]
    head, cut, tail = _split_clip(out)
    assert len(out) <= 60 and len(head) + cut + len(tail) == len(text)
    assert (tail == "") if keep == "head" else (head == "")


def test_clip_edge_cases() -> None:
    assert clip("abcdefghij" * 3, 5) == "abcde"  # too small for the marker: plain truncation
    with pytest.raises(ValueError):
        clip("x", -1)
    with pytest.raises(ValueError):
        clip("x", 1, keep="middle")  # type: ignore[arg-type]


def test_clip_never_stays_over_budget_or_uncovers_a_mention() -> None:
    rng = random.Random(11)
    pieces = ["word ", "a@bob.org ", "\n", "x" * 30, "é", "#", "@", "[REDACTED:secret]"]
    for _ in range(300):
        text = clean("".join(rng.choice(pieces) for _ in range(rng.randint(1, 60))))
        for keep in ("head", "tail", "head+tail"):
            limit = rng.randint(0, 200)
            out = clip(text, limit, keep=keep)  # type: ignore[arg-type]
            assert len(out) <= limit
            assert LIVE_MENTION.search(out) is None
            if "cut] …" in out:
                head, cut, tail = _split_clip(out)
                assert len(head) + cut + len(tail) == len(text)


def test_safe_inline_makes_one_safe_table_cell() -> None:
    text = f"FAILED test_x\n  | broken |\t@octocat #12 {GH}\x1b[0m"
    cell = safe_inline(text, 200)
    assert cell == f"FAILED test_x \\| broken \\| @{ZWSP}octocat #{ZWSP}12 [REDACTED:github-token]"
    assert safe_inline(cell, 200) == cell
    assert safe_inline("ends with \\", 50) == "ends with \\" + ZWSP  # the cell's closing pipe is not escaped
    assert safe_inline("already \\| escaped", 50) == "already \\| escaped"
    long = safe_inline("word " * 100, 60)
    assert len(long) <= 60 and "\n" not in long and long.startswith("word word")


def _plant(rng: random.Random) -> tuple[str, str]:
    """A secret in one of its forms, and the part of it that must never be seen again."""
    body = "".join(rng.choice("abcdefghijkLMNOPQRSTUVWXYZ0123456789") for _ in range(30))
    upper = body.upper()[:16]
    forms = [
        ("gh" + rng.choice("pousr") + "_" + body, body),
        ("AK" + "IA" + upper, upper),
        ("xo" + "xp-" + body, body),
        ("npm" + "_" + body, body),
        (f"eyJ{body}.eyJ{body[::-1]}.{body}", body),
        (f"https://bot:{body}@example.com/x", body),
        (f"DEPLOY_TOKEN={body}", body),
        (f'"db_password": "{body}"', body),
        (f"-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----", body),
        (f"Authorization: Bearer {body}", body),
    ]
    return rng.choice(forms)


NOISE = [
    "word",
    "token",
    "key",
    ":",
    "=",
    " ",
    "\n",
    "\t",
    '"',
    "'",
    "`",
    "```",
    "@dev",
    "#42",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    "|",
    "::warning::",
    "\x1b[31m",
    "\x1b[0m",
    "\r",
    "ü",
    "https://x.org/a",
    "user@mail.org",
    "<!--",
    "&#39;",
    "Bearer",
    "\x00",
]


def test_property_planted_secrets_never_get_through() -> None:
    rng = random.Random(20241121)
    for _ in range(600):
        left = "".join(rng.choice(NOISE) for _ in range(rng.randint(0, 12)))
        right = "".join(rng.choice(NOISE) for _ in range(rng.randint(0, 12)))
        planted, core = _plant(rng)
        if rng.random() < 0.3:  # colour codes inside the secret itself
            at = rng.randint(1, len(planted) - 1)
            planted = planted[:at] + "\x1b[1;32m" + planted[at:]
        text = f"{left}\n{planted}\n{right}"
        cleaned = clean(text)
        assert core not in cleaned and core[:12] not in cleaned, text
        assert clean(cleaned) == cleaned
        assert LIVE_MENTION.search(cleaned) is None and LIVE_REFERENCE.search(cleaned) is None


def test_property_random_text_never_raises_and_stays_clean() -> None:
    rng = random.Random(5)
    alphabet = [chr(c) for c in range(0x20)] + ["\x1b", "\x9b", "@", "#", "`", "\r", "\n", "\u202e", "é", "ü"]
    alphabet += [*"abcXYZ019:=/\\\"'[]()<>-_.|$*{}", "token", "key", "Bearer ", "ghp_", "-----BEGIN "]
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        known = rng.choice([(), ("token",), ("REDACTED", "abcd")])
        cleaned = clean(text, extra_values=known)
        assert clean(cleaned, extra_values=known) == cleaned
        assert re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", cleaned) is None
        assert LIVE_MENTION.search(cleaned) is None and LIVE_REFERENCE.search(cleaned) is None
        inline = safe_inline(text, 40)
        assert len(inline) <= 40 and "\n" not in inline


@pytest.mark.parametrize(
    "hostile",
    [
        "a." * 50_000,
        "a=" * 50_000,
        "key=" * 25_000,
        "<password>" * 10_000,
        "\r" * 50_000 + "x\n",
        "x://b:" * 20_000,
        '"token", ' * 10_000,
        "--password " * 10_000,
        "@a" * 50_000,
        "eyJaaaaaaaaa." * 10_000,
    ],
    ids=lambda hostile: repr(hostile[:12]),
)
def test_hostile_input_is_handled_in_one_pass(hostile: str) -> None:
    # Shapes that once made a rule rescan the rest of the text at every position; a quadratic
    # rule would run into the suite's timeout here instead of finishing in a blink.
    assert clean(clean(hostile)) == clean(hostile)


def test_the_one_pass_prefilter_changes_nothing_redaction_does() -> None:
    """`redact_secrets` skips a text when no step's literal is in it (one automaton pass); over every
    text these tests use, and random ones built from secret fragments, the result is the one every
    step gives, and each text a step changes is one the prefilter lets through."""
    from gardener.redact.secrets import every_step, may_hold_secret

    rng = random.Random(11)
    texts = [s for s, _, _ in SECRETS] + LOOK_ALIKES
    texts += [_plant(rng)[0] for _ in range(400)]
    parts = [*NOISE, "ghp_", "glpat-", "xoxb-", "sk-", "AIza", "eyJ", "SG.", "-u ", "://", "Cookie:", "APIKey",
             "clientSecret", "PWD=", "pat: ", "Pass=", "creds", "<token>", "</token>", "--auth ", "x" * 24, "A1b2"]
    texts += ["".join(rng.choice(parts) for _ in range(rng.randint(1, 14))) for _ in range(3000)]
    changed = 0
    for text in texts:
        full = every_step(text)
        assert redact_secrets(text) == full, text
        if full != text:
            changed += 1
            assert may_hold_secret(text), text
    assert changed > 500  # the texts exercise the steps, not only the skip
    assert not may_hold_secret("tests/test_mod.py::TestThing::test_case_33[p1]")  # what it saves: test ids


def test_mention_and_markup_prefilters_skip_only_texts_their_pattern_cannot_match() -> None:
    from gardener import redact

    rng = random.Random(12)
    parts = ["/", "::", " ", "\t", "\f", "\r", "\n", "issues", "ISSUES", "Pull", "pulls", "discussions", "1", "x",
             "gh", "GH", "-", "h-", "İ", "ı", "\u00a0", "##[", "#vso[", "<!--"]
    for _ in range(4000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(1, 10)))
        mentions = redact._ISSUE_URL.sub(redact._break_before_last, text)
        if "@" not in text and "#" not in text and "-" not in text:
            assert redact.neutralise_mentions(text) == mentions, text
        markup = redact._WORKFLOW_COMMAND.sub(lambda m: m[1] + ":" + ZWSP + ":", text)
        if "##" not in text and "<!--" not in text:
            assert redact.neutralise_markup(text) == markup, text


def test_clean_all_is_clean_of_each_text_with_one_prefilter_pass() -> None:
    """`clean_all` (a finding's test ids) gives what `clean` gives each text, whether the batch holds a
    secret, a control code, a mention, or only plain ids (where the one shared prefilter pass skips
    every secret step)."""
    rng = random.Random(13)
    ids = [f"pkg{i}/test_mod.py::TestThing{i}::test_case_{i}[p{i}]" for i in range(200)]
    assert clean_all(ids) == [clean(t) for t in ids]
    batches = [ids, [*ids, GH], [*ids, f"test_x[{AWS_ID}]"], [*ids, "a\x1bb"], [*ids, "@team"], [], [""],
               ["to\x00ken=abc123def456ghi789"], ["::set-output name=x::1", "##[group]", "<!-- x"]]
    parts = [*NOISE, "ghp_", "token=", "@a", "#1", "::", "\x00", "é", "/issues/1", "x" * 24, "A1b2"]
    batches += [["".join(rng.choice(parts) for _ in range(rng.randint(0, 8))) for _ in range(20)] for _ in range(200)]
    for batch in batches:
        assert clean_all(batch) == [clean(t) for t in batch], batch
    assert GH not in "".join(clean_all([*ids, GH]))


def test_a_test_name_holding_a_secret_word_before_a_colon_is_a_test_not_a_setting() -> None:
    """Titles and reports write `test_expired_token_rejected: message`; a setting is not spelled so."""
    title = "Status-code assertion fails in test_expired_token_rejected: the request was refused"
    assert redact_secrets(title) == title
    assert redact_secrets("test_token=s3cr3tvalue") == "test_token=[REDACTED:secret]"
    assert redact_secrets("TEST_PYPI_TOKEN: pypi-AgEIcHlwaS5vcmc") == "TEST_PYPI_TOKEN: [REDACTED:secret]"


# --- cut_raw: a cut of raw text never ends inside a word (fuzz-10) ----------------------------------------

def test_cut_raw_keeps_what_fits_and_cuts_back_to_a_whole_word() -> None:
    assert cut_raw("abc def", 7) == "abc def"  # fits: unchanged
    assert cut_raw("abc def", 3) == "abc"  # the cut falls on a space: nothing dropped
    assert cut_raw("abc def ghi", 9) == "abc def"  # inside `ghi`: back to the word before it
    assert cut_raw("Could not find module glpat-Zq9Xw7V3fuzzTOKENbody01 x", 40) == "Could not find module"


def test_cut_raw_of_one_long_word_keeps_only_what_no_token_body_holds() -> None:
    assert cut_raw("/nix/store/glpat-Zq9Xw7V3fuzzTOKENbody01.drv", 30) == "/nix/store/"
    assert cut_raw("AKIAZQ9XW7V3FUZZ1234", 10) == ""  # all token characters: nothing of it
    assert cut_raw("path/to/some_module-name.hs:27:18:", 30) == "path/to/some_module-name.hs:"


# --- invisible characters inside a word: joined, so a split token is seen whole (fuzz-10) -----------------

@pytest.mark.parametrize("invisible", ["\u00ad", "\u034f", "\u061c", "\u115f", "\u17b4", "\u180e", "\u200e", "\u2063",
                                       "\u3164", "\ufe0f", "\uffa0", "\U0001d173", "\U000e0041"])
def test_a_default_ignorable_character_inside_a_token_is_dropped_and_the_token_redacted(invisible: str) -> None:
    token = "ghp_Zq9Xw7V3fuzzTOKENbody0000000000001"
    assert clean(f"token {token[:10]}{invisible}{token[10:]} here") == "token [REDACTED:github-token] here"


def test_an_invisible_character_outside_a_word_stays_where_it_means_something() -> None:
    assert clean("I \u2764\ufe0f it") == "I \u2764\ufe0f it"  # an emoji's variation selector
    assert clean("\ud55c\u3164\uae00") == "\ud55c\u3164\uae00"  # a Hangul filler between Hangul, not ASCII words
    assert clean(clean("ping @user and GH-12")) == clean("ping @user and GH-12")  # gardener's own ZWSP kept


def test_tail_raw_keeps_the_end_and_never_starts_inside_a_word() -> None:
    assert tail_raw("abc def", 7) == "abc def"
    assert tail_raw("abc def ghi", 9) == "def ghi"  # starts inside `abc`: from the word after it
    assert tail_raw("x glpat-Zq9Xw7V3fuzzTOKENbody01 failed here", 30) == "failed here"
    assert tail_raw("/nix/store/glpat-Zq9Xw7V3fuzzTOKENbody01.drv", 10) == ".drv"


# --- workflow commands after any white space the runner trims (fuzz-10) -----------------------------------

@pytest.mark.parametrize("blank", ["\u00a0", "\u1680", "\u2003", "\u202f", "\u205f", "\u3000", " \u3000\t"])
def test_a_workflow_command_after_unicode_white_space_at_a_line_start_is_neutralised(blank: str) -> None:
    assert clean(f"{blank}::add-mask::v") == f"{blank}:{ZWSP}:add-mask::v"
    assert clean(f"ok\n{blank}::error::x") == f"ok\n{blank}:{ZWSP}:error::x"


def test_a_double_colon_inside_a_line_stays_after_unicode_white_space_too() -> None:
    assert clean("std::vector<int> and x \u3000::y") == "std::vector<int> and x \u3000::y"
    assert clean("a\nvalue\u00a0a::b") == "a\nvalue\u00a0a::b"


def test_a_teamcity_service_message_is_neutralised_anywhere_and_a_lone_hash_is_not() -> None:
    assert clean("x ##teamcity[setParameter name='a']") == f"x #{ZWSP}#teamcity[setParameter name='a']"
    assert clean("##TeamCity[buildStatus status='SUCCESS']") == f"#{ZWSP}#TeamCity[buildStatus status='SUCCESS']"
    assert clean("#teamcity[ok] and ##teamcity docs") == "#teamcity[ok] and ##teamcity docs"  # no `##…[`: no message
