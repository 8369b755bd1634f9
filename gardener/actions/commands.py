"""GitHub Actions workflow commands, written so that nothing untrusted can become one.

The runner reads a line of a step's output as a command when, left-trimmed, it starts with `::`.
Its rules (the actions toolkit's `command.ts`): in a command's data `%`, `\\r` and `\\n` are written
`%25`, `%0D`, `%0A`; in a property value `:` and `,` are escaped too (`%3A`, `%2C`), since they end a
property. Text gardener did not write (test output, file names, finding titles) is echoed between
`::stop-commands::<token>` and `::<token>::`: the runner ignores every command in between, and the
token is random, so the text cannot guess it to resume commands early.

Pure: each function returns the lines; the caller writes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

# Values shorter than this would mask ordinary words all over the log.
MIN_MASK_CHARS = 4


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str = "", properties: Mapping[str, str | int | None] | None = None) -> str:
    """`::name key=value,key=value::message`, every part escaped; None-valued properties left out."""
    props = ",".join(
        f"{key}={escape_property(str(value))}" for key, value in (properties or {}).items() if value is not None
    )
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def mask_commands(values: Iterable[str]) -> list[str]:
    """`::add-mask::` for each value and, for multi-line values, for each of its lines.

    The runner matches a mask within one line of output, so a multi-line secret (a private key)
    is only hidden line by line.
    """
    pieces: dict[str, None] = {}
    for value in values:
        for piece in (value, *value.splitlines()):
            piece = piece.strip()
            if len(piece) >= MIN_MASK_CHARS:
                pieces[piece] = None
    return [command("add-mask", piece) for piece in pieces]


def new_stop_token() -> str:
    """A token no test output can predict (the runner resumes commands only on `::<token>::`)."""
    import secrets  # hmac and hashlib's OpenSSL: only inside Actions

    return "gardener-" + secrets.token_hex(16)


def stop_commands(token: str) -> str:
    return f"::stop-commands::{token}"


def resume_commands(token: str) -> str:
    return f"::{token}::"


def guarded(text: str, token: str) -> Iterator[str]:
    """The lines of `text` with workflow commands switched off around them.

    A line equal to the resume marker cannot occur unless the token leaked; it is broken anyway,
    so even then the text cannot switch commands back on.
    """
    yield stop_commands(token)
    resume = resume_commands(token)
    for line in text.splitlines():
        yield line.replace(resume, ":\u200b:" + token + "::") if resume in line else line
    yield resume
