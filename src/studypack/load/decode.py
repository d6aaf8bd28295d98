"""Bytes of a source file -> text: bounded reads, byte-order marks, located decoding errors."""

from __future__ import annotations

from pathlib import Path

from studypack import inputs
from studypack.errors import Report, Span

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def read_bounded(path: Path, name: str, report: Report, limit: int, what: str = "") -> bytes | None:
    """The file's bytes (recorded as an input), or a located error when too large or unreadable."""
    try:
        return inputs.read(path, limit)
    except inputs.TooLarge:
        report.error(Span(name), f"file is too large{what} (over {limit} bytes)")
    except OSError as e:
        report.error(Span(name), f"cannot read file: {e.strerror or e}")
    return None


def position(data: bytes, at: int) -> tuple[int, int]:
    """(line, column) of byte offset `at`, both from 1."""
    return data[:at].count(b"\n") + 1, at - (data.rfind(b"\n", 0, at) + 1) + 1


def decode_utf8(data: bytes, name: str, report: Report, advice: str = "") -> str | None:
    """UTF-8 text (a BOM dropped), or a located error at the first bad byte."""
    return _decode(data.removeprefix(b"\xef\xbb\xbf"), "utf-8", name, report, advice)


def decode_text(data: bytes, name: str, report: Report) -> str | None:
    """Text in the encoding its BOM names (UTF-8 without one), \\n line ends; binary is an error."""
    encoding = "utf-8"
    for bom, codec in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], codec
            break
    if encoding == "utf-8" and b"\0" in data:
        report.error(
            Span(name, *position(data, data.index(b"\0"))),
            "this is a binary file, not a study guide (expected UTF-8 text or Markdown)",
        )
        return None
    text = _decode(data, encoding, name, report, " (save it as UTF-8 and import again)")
    return None if text is None else text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, encoding: str, name: str, report: Report, advice: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        report.error(
            Span(name, *position(data, e.start)), f"file is not {encoding.upper()} text{advice}"
        )
        return None
