"""Checks every Office file (.docx, .pptx) passes before its library opens it."""

from __future__ import annotations

import io
import zipfile
import zlib

from studypack.errors import Report, Span

MAX_UNPACKED = 512 * 1024 * 1024  # all parts together, unpacked: more is a zip bomb
MAX_PARTS = 20_000
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted Office files and old .doc/.ppt


def check_package(data: bytes, name: str, report: Report, main_part: str, what: str) -> bool:
    """Is `data` an Office package holding `main_part`? Otherwise a located error, and False."""
    span = Span(name)
    if data.startswith(_OLE):
        report.error(
            span,
            f"cannot open this {what}: it is password-protected (encrypted) or in the old binary "
            f"format; save it without a password as {main_part.split('/')[0] == 'word' and '.docx' or '.pptx'}",
        )
        return False
    if not data.startswith(b"PK"):
        report.error(
            span, f"this is not a {what} (not a zip package); save it again from the application"
        )
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            unpacked = sum(i.file_size for i in infos)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as e:
        report.error(
            span, f"this {what} is corrupt or incomplete ({e}); save it again from the application"
        )
        return False
    if len(infos) > MAX_PARTS or unpacked > MAX_UNPACKED:
        report.error(
            span,
            f"this {what} unpacks to {unpacked} bytes in {len(infos)} parts (a zip bomb?); not read",
        )
        return False
    if main_part not in names:
        report.error(span, f"this {what} is incomplete: it has no part '{main_part}'")
        return False
    return True


def package_errors() -> tuple[type[Exception], ...]:
    """What python-docx and python-pptx raise on a damaged package (beside their own
    PackageNotFoundError): broken zip streams, XML, missing parts, bad values."""
    from lxml.etree import XMLSyntaxError

    return (XMLSyntaxError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, EOFError)


def broken(report: Report, name: str, what: str, error: Exception) -> None:
    """The located error for a package its library could not read."""
    detail = str(error).strip().split("\n", 1)[0][:120] or type(error).__name__
    report.error(
        Span(name),
        f"this {what} is corrupt or incomplete ({detail}); save it again from the application",
    )
