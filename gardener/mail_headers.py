"""A report delivered by mail (a kernel CI bot's: syzbot, 0day, LKFT, patchew; a list archive's copy) without its
header block: `Received: by mail-il1-f199.google.com with SMTP id ...`, `X-Google-DKIM-Signature: ...`, `Subject: Re:
UBSAN: ...` are how the message travelled, not what failed (pure).

The block is the message's first lines (after the mbox envelope line of a message saved from a mailbox), each a
`Name: value` field or a field's folded continuation (a line that starts with white space), up to the first blank line
(RFC 5322). It counts as one only when it holds the fields every delivered message has (`From:`, `Subject:`, `Date:`,
with `Message-ID:` or `Received:`), so a log that opens with a `Key: value` line or two is left as it is.
"""

from __future__ import annotations

from gardener import regex as re

_FIELD = re.lazy(r"^([A-Za-z][A-Za-z0-9-]*):")
# The mbox envelope line a message saved from a mailbox opens with (RFC 4155's `From_` line: lore's raw message and
# b4's mbox, `From mboxrd@z Thu Jan  1 00:00:00 1970`): where the mailbox's message starts, no field of it.
_ENVELOPE = "From "
_ALWAYS = frozenset({"from", "subject", "date"})
_DELIVERED = frozenset({"message-id", "received"})


def header_lines(lines: list[str]) -> int:
    """How many of `lines` the mail header block at their top takes (its closing blank line included); 0 when they
    do not open with one."""
    names: set[str] = set()
    first = 1 if lines and lines[0].startswith(_ENVELOPE) else 0
    for i in range(first, len(lines)):
        line = lines[i]
        if not line.strip():
            delivered = names >= _ALWAYS and bool(names & _DELIVERED)
            return i + 1 if delivered else 0
        if line[:1] in (" ", "\t") and i > first:
            continue  # a folded continuation of the field above
        m = _FIELD.match(line)
        if m is None:
            return 0
        names.add(m.group(1).lower())
    return 0


def without_mail_headers(text: str) -> str:
    """`text` with its mail header block left blank (blank, not gone: lines keep their numbers)."""
    if ":" not in text[:200]:
        return text
    lines = text.split("\n")
    n = header_lines(lines)
    return text if n == 0 else "\n" * n + "\n".join(lines[n:])
