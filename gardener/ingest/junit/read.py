"""Drive the safe reader over a file and turn every way it can fail into a one-line reason.

A truncated or corrupt file that already gave complete testcases is not rejected: what was read
is returned with the reason, and the caller marks the file partial.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from xml.sax import SAXParseException

from defusedxml.common import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from gardener import regex as re
from gardener.errors import InputError
from gardener.ingest.base import unreadable_reason
from gardener.ingest.junit.runs import Abandon, RunFeeder
from gardener.ingest.junit.stream import BatchSink, CaseReader, NotJUnitRoot, SafeReader, StreamState

REFUSED = "refused: XML declares a DTD/entities (possible XML bomb or external entity)"
_CHUNK = 64 * 1024
_RUNS_CHUNK = _CHUNK
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_DECLARED_ENCODING = re.lazy(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")
# Roots of other test and tool formats, named so the user knows what they passed.
_OTHER_FORMATS = {
    "test-run": "NUnit",
    "test-results": "NUnit",
    "assemblies": "xUnit.net",
    "assembly": "xUnit.net",
    "TestRun": "MSTest TRX",
    "testng-results": "TestNG",
    "coverage": "Cobertura coverage",
    "checkstyle": "Checkstyle",
    "html": "HTML",
    "testcase": "a bare testcase without a suite",
}


def read_cases(path: Path, batches: BatchSink) -> tuple[StreamState, str | None]:
    """Stream every testcase of `path` into `batches`, in document order; (state, reason the file
    is only partly read)."""
    reader = CaseReader(batches=batches)
    parser = SafeReader(reader)
    head = b""
    final = False
    try:
        with path.open("rb") as fh:
            head = chunk = fh.read(_CHUNK)
            _reject_unreadable(path, head)
            while chunk:
                parser.feed(chunk)
                chunk = fh.read(_CHUNK)
            final = True
            parser.close()
            reader.finish()
    except DTDForbidden as exc:
        html = (exc.name or "").lower() == "html"
        raise InputError(str(path), "not a JUnit report: an HTML page" if html else REFUSED) from None
    except (EntitiesForbidden, ExternalReferenceForbidden):
        raise InputError(str(path), REFUSED) from None
    except NotJUnitRoot as exc:
        raise InputError(str(path), not_junit(exc.tag)) from None
    except SAXParseException as exc:
        reason = _malformed(path, head, exc, final, reader.state.root_tag is not None)
        if reader.state.root_tag is not None:
            reader.salvage()
            reader.finish()
            if reader.state.cases:
                return reader.state, reason
        raise InputError(str(path), reason) from None
    except LookupError:
        raise InputError(str(path), f"unknown encoding declared: {_declared_encoding(head)}") from None
    except ValueError as exc:
        if "encoding" not in str(exc):  # pyexpat's "multi-byte encodings are not supported"
            raise
        raise InputError(str(path), f"unsupported encoding {_declared_encoding(head)}: {exc}") from None
    except OSError as exc:
        raise InputError(str(path), unreadable_reason(exc)) from None
    return reader.state, None


def read_runs(path: Path, batches: BatchSink) -> tuple[StreamState, None]:
    """`read_cases` of a well-formed file, with runs of plain testcases read from the bytes (runs.py).
    Raises runs.Abandon on anything else (a parse error, a refused DTD, a file that is not JUnit): the
    caller reads the file again with `read_cases`, which reports it exactly."""
    reader = CaseReader(batches=batches)
    parser = SafeReader(reader, runs=True)
    feeder = RunFeeder(parser.feed, lambda: reader.state.root_tag is not None, reader.runs)
    try:
        with path.open("rb") as fh:
            chunk = fh.read(_RUNS_CHUNK)
            _reject_unreadable(path, chunk)
            if not _utf8(chunk):
                feeder.give_up()
            while chunk:
                feeder.feed(chunk)
                chunk = fh.read(_RUNS_CHUNK)
            feeder.close()
            parser.close()
    except (SAXParseException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden, NotJUnitRoot,
            LookupError, ValueError, OSError) as exc:
        raise Abandon(str(exc)) from None
    reader.finish()
    return reader.state, None


def _utf8(head: bytes) -> bool:
    """Whether the file is in UTF-8, as expat reads it: no UTF-16 byte order mark, UTF-8 declared or none."""
    if head.startswith(_UTF16_BOMS):
        return False
    return _declared_encoding(head).lower() in ("utf-8", "utf8", "(none)")


def not_junit(tag: str) -> str:
    hint = _OTHER_FORMATS.get(tag)
    return f"not a JUnit report: root element <{tag}>" + (f" ({hint}?)" if hint else "")


def _reject_unreadable(path: Path, head: bytes) -> None:
    if not head.strip():
        raise InputError(str(path), "empty file")
    if b"\x00" in head and not head.startswith(_UTF16_BOMS):
        raise InputError(str(path), "binary file (NUL bytes), not a JUnit XML report")


def _malformed(path: Path, head: bytes, exc: SAXParseException, final: bool, rooted: bool) -> str:
    where = f"line {exc.getLineNumber()}, column {exc.getColumnNumber()}"
    bad = _invalid_utf8(path, head, exc.getLineNumber() or 1)
    if bad is not None:
        line, byte = bad
        return f"not valid UTF-8 at line {line} (byte 0x{byte:02X}): the file is not in the encoding it declares"
    if not rooted:
        return f"not XML: {exc.getMessage()} at {where}"
    if final:
        return f"truncated XML: {exc.getMessage()} at {where} (the file ends inside the document)"
    return f"malformed XML: {exc.getMessage()} at {where}"


def _declared_encoding(head: bytes) -> str:
    declared = _DECLARED_ENCODING.match(head.removeprefix(codecs.BOM_UTF8))
    return declared.group(1).decode("ascii") if declared else "(none)"


def _invalid_utf8(path: Path, head: bytes, upto_line: int) -> tuple[int, int] | None:
    """(line, byte) of the first byte that is not UTF-8, in a file that is meant to be UTF-8."""
    if head.startswith(_UTF16_BOMS):
        return None
    if _declared_encoding(head).lower().replace("_", "-") not in ("utf-8", "utf8", "(none)"):
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    try:
        with path.open("rb") as fh:
            while line <= upto_line and (chunk := fh.read(_CHUNK)):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    # exc.object is the decoder's buffer: bytes carried from the last chunk
                    # (never a newline: they start a multi-byte sequence) followed by this chunk.
                    found = line + exc.object[: exc.start].count(b"\n")
                    return (found, exc.object[exc.start]) if found <= upto_line else None
                line += chunk.count(b"\n")
    except OSError:
        return None
    return None
