"""Text hygiene for untrusted output: terminal control codes out, fences that hold, size budgets.

Pure string functions with no notion of secrets; gardener.redact combines them with
redaction and neutralising into `clean()`.
"""

from __future__ import annotations

from typing import Literal

from gardener import regex as re

_ESCAPE_SEQUENCE = re.lazy(
    # CSI: colours, cursor moves, erase-line. One with no parameters whose next byte is a space is cut
    # short (`\x1b[ ghp_...`): it must not eat the next word's first letter as its final byte.
    r"\x1b\[(?:[0-?]+[ -/]*|[!-/][ -/]*|)[@-~]"
    r"|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlink targets (link text is kept)
    r"|\x1b[PX^_][^\x1b\n]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]"  # other escapes: ESC c, ESC ( B, ESC 7, and the ESC [ of a cut-off CSI
    r"|\x9b(?:[0-?]+[ -/]*|[!-/][ -/]*|)[@-~]"  # 8-bit CSI, cut short the same way
)
# C0 except \t and \n, DEL, C1, and bidi overrides that make shown text differ from stored text.
_CONTROL = re.lazy(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CARRIAGE_RETURNS_BEFORE_NEWLINE = re.lazy(r"\r+\n")  # leftmost: always the whole run
# Characters nothing draws (Unicode's Default_Ignorable_Code_Point: zero-width spaces and joiners, the soft hyphen,
# invisible operators, variation selectors, Hangul fillers, tags): `ghp_ab<ZWSP>cd` or `ghp_ab<SHY>cd` shows a whole
# token that no secret shape matches.
_ZERO_WIDTH = re.lazy(
    r"[\x{00ad}\x{034f}\x{061c}\x{115f}\x{1160}\x{17b4}\x{17b5}\x{180b}-\x{180f}\x{200b}-\x{200f}\x{202a}-\x{202e}"
    r"\x{2060}-\x{206f}\x{3164}\x{fe00}-\x{fe0f}\x{feff}\x{ffa0}\x{fff0}-\x{fff8}\x{1bca0}-\x{1bca3}"
    r"\x{1d173}-\x{1d17a}\x{e0000}-\x{e0fff}]+")
_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_WORD_OR_DASH = _WORD | {"-"}
ZWSP = "\u200b"  # what gardener's own neutralising (mentions, references, comments) inserts


def strip_control(text: str) -> str:
    """`text` without escape sequences and control characters, as a reader would see it.

    `\\r\\n` becomes `\\n`; a line rewritten in place with lone `\\r` (a progress bar) keeps its
    last non-blank state, the one a terminal would end up showing.
    """
    if text.isascii() and text.isprintable():  # no escape, no control, no bidi character (one C scan)
        return text
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPE_SEQUENCE.sub("", text)
    if "\r" in text:
        text = _CARRIAGE_RETURNS_BEFORE_NEWLINE.sub("\n", text)
    if "\r" in text:
        text = "\n".join(_final_state(line) for line in text.split("\n"))
    if _ZERO_WIDTH.search(text):
        text = _ZERO_WIDTH.sub(_join_word, text)
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def _join_word(m: re.Match[str]) -> str:
    """Out between two word characters (one token again); kept elsewhere, where gardener's own neutralising
    puts them (`@<ZWSP>user`, `GH-<ZWSP>12`, `<!<ZWSP>--`), so cleaning stays idempotent."""
    text = m.string
    # Before a `-` too (`xoxb<ZWSP>-…`); after one only when the run is not gardener's own ZWSP: `GH-<ZWSP>12` is
    # neutralising, and plan/wording.own_line strips control characters from text already cleaned.
    before = _WORD_OR_DASH if m[0].strip(ZWSP) else _WORD
    joined = m.start() > 0 and m.end() < len(text) and text[m.start() - 1] in before and text[m.end()] in _WORD_OR_DASH
    return "" if joined else m[0]


def _final_state(line: str) -> str:
    states = line.split("\r")
    return next((state for state in reversed(states) if state.strip()), states[-1])


def fence(text: str, lang: str = "") -> str:
    """A fenced code block that `text` cannot close: the fence outruns every backtick run inside."""
    longest_run = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest_run + 1)
    info = re.sub(r"[^\w+.#-]", "", lang)  # an info string may not hold backticks or end the line
    body = text if not text or text.endswith("\n") else text + "\n"
    return f"{ticks}{info}\n{body}{ticks}"


Keep = Literal["head", "tail", "head+tail"]
_HEAD_SHARE = 0.4  # the end of a log (the error, the summary) is worth more than its start


def cut_marker(count: int) -> str:
    return f"… [{count:,} character{'' if count == 1 else 's'} cut] …"


def clip(text: str, max_chars: int, keep: Keep = "head+tail") -> str:
    """`text` shortened to at most `max_chars` characters, the cut shown by `cut_marker`.

    Cuts fall on line boundaries when that keeps at least half of each kept part; the marker
    then sits on its own line. Below the marker's own size the text is simply truncated.
    Clip clean text, never raw text: cutting a token in half can hide it from redaction.
    """
    if max_chars < 0:
        raise ValueError(f"max_chars must be >= 0, not {max_chars}")
    if keep not in ("head", "tail", "head+tail"):
        raise ValueError(f"keep must be head, tail or head+tail, not {keep!r}")
    if len(text) <= max_chars:
        return text
    separators = 2 if keep == "head+tail" else 1
    budget = max_chars - len(cut_marker(len(text))) - separators
    if budget <= 0:
        return text[:max_chars]
    head_size = {"head": budget, "tail": 0, "head+tail": int(budget * _HEAD_SHARE)}[keep]
    head, head_on_line = _head(text, head_size)
    tail, tail_on_line = _tail(text, budget - head_size)
    if re.match(r"@[A-Za-z0-9]", tail):
        tail = tail[1:]  # a cut inside "a@name.org" must not leave a live "@name" behind
    marker = cut_marker(len(text) - len(head) - len(tail))
    parts = []
    if keep != "tail":
        parts += [head, "\n" if head_on_line else " "]
    parts.append(marker)
    if keep != "head":
        parts += ["\n" if tail_on_line else " ", tail]
    return "".join(parts)


def cut_raw(text: str, max_chars: int) -> str:
    """Raw (unredacted) `text` cut to at most `max_chars` characters, never inside a word.

    A token cut in half loses the shape redaction knows it by (`glpat-` needs twenty characters after it), so a cut
    of raw text that is shown later must drop the word it falls in: back to the last whitespace, or, when the first
    word alone is longer, back to the last character no token body holds (`/`, `.`, `:`, `'`). What a reader or a
    rule quotes from a line (a finding's words, a message kept to a size) is cut here, never with `text[:n]`.
    """
    if len(text) <= max_chars:
        return text
    head = text[:max_chars]
    if text[max_chars].isspace():
        return head.rstrip()
    end = len(head)
    while end and not head[end - 1].isspace():
        end -= 1
    if end:
        return head[:end].rstrip()
    while end < len(head) and head[len(head) - 1 - end] in _WORD_OR_DASH:  # a token body's characters
        end += 1
    return head[:len(head) - end]


def tail_raw(text: str, max_chars: int) -> str:
    """The end of raw `text` in at most `max_chars` characters, never starting inside a word (cut_raw's mirror)."""
    if len(text) <= max_chars:
        return text
    return cut_raw(text[-max_chars - 1:][::-1], max_chars)[::-1]


def _head(text: str, size: int) -> tuple[str, bool]:
    newline = text.rfind("\n", 0, size + 1)
    if size and newline >= size // 2:
        return text[:newline], True
    return text[:size], False


def _tail(text: str, size: int) -> tuple[str, bool]:
    start = len(text) - size
    newline = text.find("\n", start - 1)
    if size and newline != -1 and len(text) - newline - 1 >= size // 2:
        return text[newline + 1 :], True
    return text[start:] if size else "", False
