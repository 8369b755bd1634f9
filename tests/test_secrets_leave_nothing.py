"""Redact, then mask: no secret reaches any output, signatures included (issue 10 items 5 and 9).

A failing JUnit report carries a JWT, a Slack bot token, a Discord webhook and a URL password
holding `/` in its failure messages; `classify --json`, `run --json`, plan.json, the worklog and
`explain` run as a user runs them, and none of the secrets' parts appear anywhere.

Fake credentials are assembled from pieces so this file never holds a literal a scanner flags.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import gardener
from gardener.normalize import mask, run_signatures
from gardener.redact import redact_secrets

JWT_PAYLOAD = "eyJ" + "zdWIiOiIxMjM0NTY3ODkwIn0"
JWT_SIG = "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
JWT = "eyJ" + "hbGciOiJIUzI1NiJ9." + JWT_PAYLOAD + "." + JWT_SIG
SLACK_SECRET = "AbCdEfGhIjKlMnOpQrStUvWx"
SLACK = "xo" + "xb-123456789012-1234567890123-" + SLACK_SECRET
DISCORD_TOKEN = "Zx9_" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ-kl"
DISCORD = "https://discord.com/api/webhooks/123456789012345678/" + DISCORD_TOKEN
URL_PASSWORD = "s3cr/et" + "Pa55"
DB_URL = f"postgres://app:{URL_PASSWORD}@db.internal:5432/app"
SECRETS = (JWT_PAYLOAD, "dozjgNryP4J3jVmNHl0w5N", SLACK_SECRET, DISCORD_TOKEN, URL_PASSWORD)

SG_TAIL = "ABCDEFGHIJKLMNOPQRSTUV" + "WXYZabcdefghijklmnopq"
TELEGRAM = "Hdqtv0gXy5cMzq0I9kPQ3bBzYxWvUtsRq"
TEAMS = "IncomingWebhook/0f0f/aa-bb"

ENV = {**os.environ, "PYTHONPATH": str(Path(gardener.__file__).parent.parent)}


def _junit(tmp_path: Path) -> Path:
    cases = [
        ("test_login", f"AuthError: token rejected: Bearer {JWT}"),
        ("test_notify", f"SlackApiError: invalid_auth for {SLACK}"),
        ("test_hook", f"HTTPError: 401 posting to {DISCORD}"),
        ("test_db", f"OperationalError: could not connect to {DB_URL}"),
        # Keys that hold the message itself: masking alone kept the token's secret part (issue 10 item 5).
        ("test_assert", f"AssertionError: assert 'Bearer {JWT}' == 'x'"),
        ("test_slack", f"assert token == '{SLACK}'"),
        ("test_unknown", f"weird failure {SLACK} and {JWT}"),
        ("test_conn", f"ConnectionRefusedError: connect to {DB_URL} refused"),
    ]
    body = "".join(
        f'<testcase classname="tests.test_x" name="{name}"><failure message="{msg}">{msg}\nat line 3</failure>'
        "</testcase>"
        for name, msg in cases
    )
    path = tmp_path / "junit.xml"
    path.write_text(f'<?xml version="1.0"?><testsuite name="s" tests="8" failures="8">{body}</testsuite>')
    return path


def _log(tmp_path: Path) -> Path:
    path = tmp_path / "ci.log"
    path.write_text(
        f"step 1\nError: upload failed with {JWT}\nfatal: {SLACK} rejected\nProcess completed with exit code 1\n"
    )
    return path


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "gardener", *args], capture_output=True, text=True, cwd=cwd,
                          env=ENV, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc


def _assert_clean(where: str, text: str) -> None:
    leaked = [s for s in SECRETS if s in text]
    assert leaked == [], f"{where} leaks {leaked}"


def test_no_output_holds_a_secret(tmp_path: Path) -> None:
    inputs = (str(_junit(tmp_path)), str(_log(tmp_path)))
    _assert_clean("classify --json", _run("classify", "--json", *inputs, cwd=tmp_path).stdout)
    _assert_clean("classify", _run("classify", *inputs, cwd=tmp_path).stdout)
    _assert_clean("explain", _run("explain", *inputs, cwd=tmp_path).stdout)
    out = tmp_path / "reports"
    _assert_clean("run --json", _run("run", "--json", "--out", str(out), *inputs, cwd=tmp_path).stdout)
    written = sorted(p for p in out.rglob("*") if p.is_file())
    assert any(p.name == "plan.json" for p in written)
    for path in written:
        _assert_clean(str(path.relative_to(tmp_path)), path.read_text(encoding="utf-8"))


def test_signatures_are_computed_on_redacted_text() -> None:
    for secret_text in (f"token rejected: {JWT}", f"invalid_auth for {SLACK}", f"post to {DISCORD}", DB_URL):
        masked = mask(secret_text)
        _assert_clean("signature", masked)
        assert "[REDACTED:" in masked
    # The secret's random part no longer splits one cause into many findings.
    sigs = run_signatures([f"invalid_auth for {SLACK}", f"invalid_auth for {SLACK[:-4]}wxyz"])
    assert len({s.digest for s in sigs.values()}) == 1


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        (f"webhook {DISCORD} failed", DISCORD_TOKEN, "discord-webhook"),
        ("https://discordapp.com/api/webhooks/1/" + DISCORD_TOKEN, DISCORD_TOKEN, "discord-webhook"),
        (f"DATABASE_URL {DB_URL}", URL_PASSWORD, "url-password"),
        ("git clone https://bot:" + "ab/cd+ef==" + "@github.com/o/r", "ab/cd+ef==", "url-password"),
        ("runner token glrt-" + "Abcdefghij0123456789xyz", "Abcdefghij0123456789xyz", "gitlab-token"),
        ("xapp-1-" + "A0123456789-0123456789-abcdef", "A0123456789-0123456789-abcdef", "slack-token"),
        ("SG." + "abcdefghijklmnopqrstuv." + SG_TAIL, SG_TAIL, "sendgrid-key"),
        ("bot 123456789:AA" + TELEGRAM, TELEGRAM, "telegram-token"),
        ("token ya29." + "a0AfH6SMBx0123456789abcdefghij", "a0AfH6SMBx0123456789", "google-oauth"),
        ("dapi" + "0123456789abcdef" * 2, "0123456789abcdef" * 2, "databricks-token"),
        ("https://acme.webhook.office.com/webhookb2/abc-123@def/" + TEAMS, TEAMS, "teams-webhook"),
    ],
)
def test_redaction_gaps_are_closed(text: str, secret: str, kind: str) -> None:
    redacted = redact_secrets(text)
    assert secret not in redacted and f"[REDACTED:{kind}]" in redacted
    assert redact_secrets(redacted) == redacted
