"""Pure text helpers shared by the text ingesters and later stages.

What a person sees in a CI log is not what the file holds: colour codes, carriage-return
progress bars, runner timestamps, `##[group]` markup, BuildKit step numbers and compose
service names wrap every line. These functions peel that off, keep what carries meaning
(the time, the stream the line came from) and decode bytes without ever raising.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from gardener import regex as re

# CSI sequences (colours, cursor moves), string sequences (OSC titles and hyperlinks; APC, such as
# Buildkite's `ESC _bk;t=<ms> BEL` timestamps; DCS, PM, SOS), lone two-byte escapes.
_ANSI = re.lazy(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]_^PX][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
# The same over many lines at once: no code reaches past its line's end.
_ANSI_LINES = re.lazy(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]_^PX][^\x07\x1b\n]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")

_GHA_TIMESTAMP = re.lazy(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) ?")
# `gh run view --log` / `--log-failed` (GitHub CLI), the form people save and paste: every line is
# `JOB<TAB>STEP<TAB>` before the runner's own timestamp. The two columns only repeat what the job's
# `##[group]` markup already says, so they are peeled like any other prefix.
_GH_COLUMNS = re.lazy(r"^[^\t\n]{1,256}\t[^\t\n]{0,256}\t(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) ?")
# GitLab's FF_TIMESTAMPS trace: the timestamp is followed by a stream tag (`00O `, `01E+`: stream
# number, stdout/stderr, `+` when the line continues the previous one).
_GITLAB_STREAM_TAG = re.lazy(r"^[0-9a-f]{2}[OE](?:\+| )")
# `##[error]` as the runner writes it, `::error ...::` as a script prints it.
_GHA_MARKUP = re.lazy(r"^(?:##\[(\w+)\]|::(\w+)(?: [^:]*)?::|\[(command)\])")
_TIMESTAMP_TEXT = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2}| ?UTC)?"
_BRACKET_TIMESTAMP = re.lazy(rf"^\[({_TIMESTAMP_TEXT})\] ?")  # one space: the line keeps its own indentation
_LEADING_TIMESTAMP = re.lazy(rf"^({_TIMESTAMP_TEXT})(?:\s+|\s*[|:-]\s+)")
# A time of day alone (Jenkins' Timestamper `10:00:01 `, `[10:00:01] `; Netlify's 12-hour `9:58:27 PM: `): no
# date, so no timestamp is kept.
_CLOCK_PREFIX = re.lazy(r"^\[?(?:\d{1,2}:\d{2}:\d{2} [AP]M:|\d{2}:\d{2}:\d{2}(?:[.,]\d{1,6})?)\]? {1,2}")
# Compose v1 (`web_1  | `) and v2 (`web-1  | `) always end the service name in a replica number.
_COMPOSE_PREFIX = re.lazy(r"^([A-Za-z0-9][\w.-]*?[-_]\d+)\s*\| ?")
# BuildKit plain progress: `#12 3.456 output`, `#12 [stage 2/5] RUN ...`, `#12 DONE 0.5s`.
_BUILDKIT_PREFIX = re.lazy(r"^#(\d+) (?:\d+\.\d+ )?")
_TIMESTAMP_PARTS = re.lazy(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|UTC|[+-]\d{2}:?\d{2})?"
)


# The kernel's printk time since boot, and with CONFIG_PRINTK_CALLER the task or CPU that printed
# (`[    7.088822][  T113] BUG: kernel NULL pointer dereference`): a kernel console's prefix, not its message. Also as
# `dmesg -H` prints it (`[  +0.000029]`, the time since the line before) and after the record's syslog priority
# (`<6>[   69.762232]`: `dmesg -r`, a console printing it as KernelCI's LAVA logs show).
_PRINTK = re.lazy(r"^(?:<\d\d?\d?>)?\[ *\+?\d+\.\d{6}\](?:\[ *[TC]\d+\])? ?")
_PRINTK_SECOND = frozenset(" +0123456789")


def _may_be_printk(text: str) -> bool:
    """`text` opens as `_PRINTK` does (a cheap test before the match)."""
    return text[1:2] in _PRINTK_SECOND if text[:1] == "[" else text[:1] == "<" and text[1:2].isdigit()


def _without_printk(text: str) -> str:
    return text[m.end() :] if _may_be_printk(text) and (m := _PRINTK.match(text)) else text


# A markdown quote's `> ` before a pasted line.
_MARKDOWN_QUOTE = re.lazy(r"^\s*>\s?")


def markdown_unquoted(text: str) -> str:
    """`text` without the one markdown quote mark (`> `) a poster put before a pasted line (pure)."""
    return _MARKDOWN_QUOTE.sub("", text, count=1) if text.lstrip().startswith(">") else text


def strip_ansi(text: str) -> str:
    """ANSI colour, cursor and OSC codes removed: the text a person sees."""
    return _ANSI.sub("", text) if "\x1b" in text else text


def strip_ansi_lines(text: str) -> str:
    """`strip_ansi` of each line of `text` (lines end at `\\n`), in one pass."""
    return _ANSI_LINES.sub("", text) if "\x1b" in text else text


def terminal_view(line: str) -> str:
    """What a terminal shows for a line rewritten with carriage returns (progress bars)."""
    line = line.rstrip("\r\n")
    if "\r" not in line:
        return line
    parts = [p for p in line.split("\r") if p.strip()]
    return parts[-1] if parts else ""


def parse_timestamp(text: str) -> datetime | None:
    """A timezone-aware datetime from the ISO-like stamps logs use; UTC when none is given."""
    try:  # the common forms, fast: runner stamps (7 fraction digits, Z), `2025-09-11 13:04:46,118`
        stamp = datetime.fromisoformat(text.strip())
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    except ValueError:
        pass
    m = _TIMESTAMP_PARTS.search(text)
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    micro = int((m.group(7) or "0")[:6].ljust(6, "0"))
    zone = m.group(8)
    tz: timezone = UTC
    if zone and zone not in ("Z", "UTC"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class CleanLine:
    """One log line with its wrapping peeled off.

    `marker` is the GitHub Actions command (`group`, `endgroup`, `error`, `warning`, `command`...),
    `stream` the compose service (`web-1`) or BuildKit step (`#12`) the line belongs to.
    """

    text: str
    timestamp: datetime | None = None
    marker: str = ""
    stream: str = ""


def clean_line(raw: str) -> CleanLine:
    """Strip ANSI codes and the prefixes runners and tools put in front of a line."""
    text = strip_ansi(terminal_view(raw))
    stamp: datetime | None = None
    marker = ""
    stream = ""
    # Cheap first-character tests first: most lines carry one prefix or none.
    if "\t" in text and (m := _GH_COLUMNS.match(text)):
        stamp = parse_timestamp(m.group(1))
        text = text[m.end() :]
    elif text[:1].isdigit() and (m := _GHA_TIMESTAMP.match(text)):
        stamp = parse_timestamp(m.group(1))
        text = text[m.end() :]
        if (m := _GITLAB_STREAM_TAG.match(text)) is not None:
            text = text[m.end() :]
    if text.startswith(("##[", "::", "[command]")) and (m := _GHA_MARKUP.match(text)):
        marker = (m.group(1) or m.group(2) or m.group(3)).lower()
        text = text[m.end() :]
    if (text[:2].isdigit() or text[1:3].isdigit()) and (
        m := _BRACKET_TIMESTAMP.match(text) or _LEADING_TIMESTAMP.match(text)
    ):
        stamp = parse_timestamp(m.group(1)) or stamp
        text = _without_printk(text[m.end() :])  # LAVA's time of a console line: `2022-10-28T14:42:53.292992  <6>[`
    elif _may_be_printk(text) and (m := _PRINTK.match(text)):
        text = text[m.end() :]
    elif (text[2:3] == ":" or text[3:4] == ":" or text[1:2] == ":") and (m := _CLOCK_PREFIX.match(text)):
        text = text[m.end() :]
        if text == "\u200b":  # Netlify writes its blank lines as a zero-width space
            text = ""
    if text.startswith("#"):
        if m := _BUILDKIT_PREFIX.match(text):
            stream = f"#{m.group(1)}"
            text = text[m.end() :]
    elif "|" in text and (m := _COMPOSE_PREFIX.match(text)):
        stream = m.group(1)
        text = text[m.end() :]
        if text[:1].isdigit() and (m := _LEADING_TIMESTAMP.match(text)):
            stamp = parse_timestamp(m.group(1)) or stamp
            text = text[m.end() :]
    return CleanLine(text=text.rstrip(), timestamp=stamp, marker=marker, stream=stream)


def clean_plain(raw: str) -> CleanLine:
    """`clean_line` for a line the runner-log prefilter found plain (prefilter.py, STRUCTURE): no escape
    code, no carriage return, no `|`, and either a runner timestamp in its one full form and a space
    (`2024-05-01T08:00:00.1234567Z `) or no leading digit; then no stream tag, no `##[`/`::` markup,
    no second timestamp follows it. Only a printk or BuildKit prefix can remain to peel. The same result as
    `clean_line(raw)` for such a line, without the tests that cannot match it.
    """
    stamp = None
    text = raw
    if "0" <= raw[:1] <= "9":
        try:  # parse_timestamp's first try, on a stamp that has its zone and nothing to strip
            stamp = datetime.fromisoformat(raw[:28])
        except ValueError:
            stamp = parse_timestamp(raw[:28])
        text = raw[29:]
    if _may_be_printk(text):  # a kernel console's line (`[    7.088822] BUG: ...`): peeled as clean_line peels it
        text = _without_printk(text)
    stream = ""
    if text.startswith("#") and (m := _BUILDKIT_PREFIX.match(text)):
        stream = f"#{m.group(1)}"
        text = text[m.end() :]
    return CleanLine(text=text.rstrip(), timestamp=stamp, stream=stream)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Bytes decoded as UTF-8 with replacement, and what had to be replaced."""

    text: str
    bad_bytes: int = 0
    first_bad: tuple[int, int] | None = None  # (byte value, offset in the input)


def decode_utf8(data: bytes, offset: int = 0) -> Decoded:
    """Decode, replacing invalid sequences with U+FFFD and counting them; never raises.

    `offset` is where `data` starts in its file, so `first_bad` names a file offset.
    """
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    bad = 0
    first: tuple[int, int] | None = None
    pos = 0
    while pos < len(data):
        try:
            parts.append(data[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            start, end = pos + exc.start, pos + exc.end
            parts.append(data[pos:start].decode("utf-8"))
            parts.append("\ufffd")
            bad += end - start
            if first is None:
                first = (data[start], offset + start)
            pos = end
    return Decoded("".join(parts), bad, first)


# Bytes a text file holds only by accident; BEL (0x07) is not one: it ends the escape strings terminals
# read (OSC titles, Buildkite's `ESC _bk;t=<ms> BEL` timestamps on every line of its logs).
_CONTROL_BYTES = frozenset(range(0x20)) - {0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}


def text_problem(head: bytes, complete: bool) -> str | None:
    """Why `head` (the start of a file) is not text, or None when it reads as text.

    A few stray bytes in a log are common (a tool printed Latin-1); many mean it is not text.
    `complete` says whether `head` is the whole file: if not, a sequence cut at the end is fine.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 with a BOM: read as such
    if not complete:
        head = head[: len(head) - incomplete_tail(head)]
    if not head:
        return None
    decoded = decode_utf8(head)
    if decoded.first_bad and decoded.bad_bytes > max(8, len(head) // 50):
        value, where = decoded.first_bad
        return f"not valid UTF-8 text (byte 0x{value:02x} at offset {where})"
    controls = [i for i, b in enumerate(head) if b in _CONTROL_BYTES]
    if len(controls) > max(8, len(head) // 100):
        return f"binary data, not text (control byte 0x{head[controls[0]]:02x} at offset {controls[0]})"
    return None


def incomplete_tail(data: bytes) -> int:
    """How many bytes at the end belong to a multi-byte sequence cut short."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0xC0 == 0xC0:  # a lead byte: is its sequence complete?
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return back if back < need else 0
        if byte & 0xC0 != 0x80:
            return 0
    return 0
