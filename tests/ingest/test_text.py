"""Text helpers: ANSI and prefix stripping, timestamps, safe decoding, the streaming text reader."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from gardener.errors import InputError
from gardener.ingest.textfile import TextFile
from gardener.text import (
    clean_line,
    decode_utf8,
    parse_timestamp,
    strip_ansi,
    strip_ansi_lines,
    terminal_view,
    text_problem,
)


def test_strip_ansi_removes_colours_cursor_moves_and_hyperlinks() -> None:
    coloured = "\x1b[31m\x1b[1mFAILED\x1b[0m tests/a.py::\x1b[1mtest_x\x1b[0m\x1b[K"
    assert strip_ansi(coloured) == "FAILED tests/a.py::test_x"
    link = "\x1b]8;;https://example.org\x07docs\x1b]8;;\x07 here"
    assert strip_ansi(link) == "docs here"
    assert strip_ansi("plain [1m text") == "plain [1m text"


def test_strip_ansi_removes_string_sequences_such_as_buildkites_timestamps() -> None:
    stamped = "\x1b_bk;t=1733580000123\x07error[E0308]: mismatched types"
    assert strip_ansi(stamped) == "error[E0308]: mismatched types"
    assert strip_ansi_lines(f"{stamped}\n{stamped}").split("\n") == ["error[E0308]: mismatched types"] * 2
    assert clean_line(stamped).text == "error[E0308]: mismatched types"
    assert strip_ansi("\x1bPq#0;2;0;0;0\x1b\\done") == "done"  # a DCS string ended by ST


def test_terminal_view_keeps_what_a_progress_bar_finally_shows() -> None:
    assert terminal_view("Downloading 10%\rDownloading 55%\rDownloading 100%\r\n") == "Downloading 100%"
    assert terminal_view("line with windows ending\r\n") == "line with windows ending"


def test_github_actions_timestamp_and_error_markup_are_peeled_off() -> None:
    line = clean_line("2024-05-01T12:00:00.1234567Z ##[error]Process completed with exit code 1.")
    assert line.text == "Process completed with exit code 1."
    assert line.marker == "error"
    assert line.timestamp == datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "text", "marker"),
    [
        ("##[group]Run pytest -v", "Run pytest -v", "group"),
        ("##[endgroup]", "", "endgroup"),
        ("::error file=app.py,line=3::Something broke", "Something broke", "error"),
        ("[command]/usr/bin/docker build .", "/usr/bin/docker build .", "command"),
    ],
)
def test_runner_markup_forms(raw: str, text: str, marker: str) -> None:
    line = clean_line(raw)
    assert (line.text, line.marker) == (text, marker)


def test_bracketed_and_logging_timestamps_become_aware_datetimes() -> None:
    line = clean_line("[2025-09-11 13:04:46] Ensuring Docker services")
    assert line.text == "Ensuring Docker services"
    assert line.timestamp == datetime(2025, 9, 11, 13, 4, 46, tzinfo=UTC)
    logged = clean_line("2025-01-20 07:12:03,118 ERROR migrate failed")
    assert logged.text == "ERROR migrate failed"
    assert logged.timestamp == datetime(2025, 1, 20, 7, 12, 3, 118000, tzinfo=UTC)


def test_compose_service_prefixes_v1_and_v2_with_timestamps() -> None:
    v2 = clean_line("api-1  | psycopg2.OperationalError: connection refused")
    assert (v2.stream, v2.text) == ("api-1", "psycopg2.OperationalError: connection refused")
    v1 = clean_line("\x1b[36mshop_web_1 |\x1b[0m Starting")
    assert (v1.stream, v1.text) == ("shop_web_1", "Starting")
    stamped = clean_line("db-1  | 2024-05-01T12:00:00.000000000Z LOG:  database system is ready")
    assert stamped.text == "LOG:  database system is ready"
    assert stamped.timestamp == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_buildkit_step_prefixes() -> None:
    step = clean_line("#8 1.908 ERROR: No matching distribution found for foo==9.9")
    assert (step.stream, step.text) == ("#8", "ERROR: No matching distribution found for foo==9.9")
    header = clean_line("#8 [4/6] RUN pip install -r requirements.txt")
    assert header.text == "[4/6] RUN pip install -r requirements.txt"


def test_an_ordinary_line_is_left_alone() -> None:
    line = clean_line('  File "app.py", line 3, in <module>')
    assert line == clean_line(line.text)
    assert line.text == '  File "app.py", line 3, in <module>'
    assert (line.timestamp, line.marker, line.stream) == (None, "", "")


def test_parse_timestamp_offsets_and_nonsense() -> None:
    assert parse_timestamp("2024-05-01T14:00:00+02:00") == datetime(2024, 5, 1, 14, tzinfo=timezone(timedelta(hours=2)))
    assert parse_timestamp("2024-05-01 12:00:00 UTC") == datetime(2024, 5, 1, 12, tzinfo=UTC)
    assert parse_timestamp("2024-13-45T99:00:00Z") is None
    assert parse_timestamp("no time here") is None


def test_decode_utf8_counts_what_it_replaced_and_where() -> None:
    decoded = decode_utf8("caf\u00e9 ok".encode() + b" \xe9t\xe9", offset=100)
    assert decoded.text == "café ok \ufffdt\ufffd"
    assert decoded.bad_bytes == 2
    assert decoded.first_bad == (0xE9, 100 + len("café ok ".encode()))
    assert decode_utf8(b"clean").bad_bytes == 0


def test_text_problem_tolerates_stray_bytes_but_refuses_non_text() -> None:
    log = b"building...\n" * 400 + b"caf\xe9 au lait\n"
    assert text_problem(log, complete=True) is None
    latin1 = "Größe überschritten; Fehler bei Übertragung\n".encode("latin-1") * 40
    assert text_problem(latin1, complete=True) == "not valid UTF-8 text (byte 0xf6 at offset 2)"
    controls = bytes(range(1, 8)) * 50 + b"text"
    assert (problem := text_problem(controls, complete=True)) is not None
    assert problem.startswith("binary data, not text (control byte 0x01 at offset 0)")


def test_a_head_cut_inside_a_multibyte_character_is_not_an_error() -> None:
    head = ("é" * 100).encode()[:-1]
    assert text_problem(head, complete=False) is None


def test_textfile_streams_lines_and_reports_repairs(tmp_path: Path) -> None:
    path = tmp_path / "build.log"
    path.write_bytes(b"\xef\xbb\xbffirst\r\nsecond \xff line\n" + b"x" * 300 + b"\nlast")
    text = TextFile(path, max_line=100)
    assert list(text.lines()) == [(1, "first"), (2, "second \ufffd line"), (3, "x" * 100), (4, "last")]
    assert text.warning() == (
        "1 byte(s) of invalid UTF-8 replaced (first 0xff at offset 17); 1 line(s) longer than 100 bytes cut"
    )


def test_textfile_reads_utf16_with_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "powershell.log"
    path.write_bytes("Build started\r\nError: disk full\r\n".encode("utf-16"))
    assert list(TextFile(path).lines()) == [(1, "Build started"), (2, "Error: disk full")]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file"),
        (b"ELF\x00\x01\x02binary", "binary file (NUL bytes), not text"),
        (bytes(range(128, 256)) * 4, "not valid UTF-8 text (byte 0x80 at offset 0)"),
    ],
)
def test_textfile_refuses_what_is_not_text(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "input.log"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        TextFile(path)
    assert caught.value.reason == reason
    assert caught.value.path == str(path)


def test_textfile_names_a_vanished_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file vanished"):
        TextFile(tmp_path / "gone.log")


def test_gitlab_timestamped_trace_lines_lose_their_stream_tag():
    from gardener.text import clean_line

    line = clean_line("2024-05-01T12:00:00.123456Z 00O $ poetry run pytest")
    assert line.text == "$ poetry run pytest"
    assert line.timestamp is not None
    assert clean_line("2024-05-01T12:00:00.123456Z 01E+continued").text == "continued"
    assert clean_line("2024-05-01T12:00:00Z 0 tests collected").text == "0 tests collected"


def test_a_log_whose_lines_carry_bel_terminated_escapes_is_text() -> None:
    # Buildkite stamps every line `ESC _bk;t=<ms> BEL`; terminals set titles with `ESC ]0;... BEL`.
    log = b"".join(b"\x1b_bk;t=17335190%05d\x07line %d\r\n" % (i, i) for i in range(500))
    assert text_problem(log, True) is None
    assert text_problem(b"\x00\x01\x02\x03" * 100, True) is not None  # NULs and the like still are not
