"""Image references: stay inside the pack, exist, decode, and are not decompression bombs."""

from __future__ import annotations

import hashlib
import io
import warnings
from functools import lru_cache
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageOps

from studypack import inputs
from studypack.errors import Report, Span
from studypack.paths import confined_file

MAX_IMAGE_BYTES = 30 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # ~ 8000 x 5000; anything larger is a bomb or a mistake
FORMATS = {"PNG", "JPEG", "GIF"}  # what both reportlab and PowerPoint take


def check_image(
    root: Path, rel: str, span: Span, where: str, report: Report
) -> tuple[Path, int, int, str] | None:
    """(absolute path, width, height, format) of a usable image, else report and None."""
    path, problem = confined_file(root, rel, "pack")
    if problem is not None:
        subject = f"'{rel}'" if "folder" in problem else f"image '{rel}'"
        report.error(span, f"{where}: {subject} {problem}")
        return None
    try:
        stat = path.stat()
    except OSError as e:
        report.error(span, f"{where}: image '{rel}' cannot be read ({e.strerror})")
        return None
    problem, found, digest = _inspect(path, stat.st_size, stat.st_mtime_ns)
    if digest is not None:
        inputs.note(path, digest)  # the width and height below are of these bytes
    if problem:
        report.error(span, f"{where}: image '{rel}' {problem}")
    return found


_QUARTER_TURNS = (5, 6, 7, 8)  # EXIF orientations that swap width and height


def _orientation(im: PILImage.Image) -> int:
    try:
        return int(im.getexif().get(0x0112, 1))
    except (ValueError, TypeError, OSError, SyntaxError):  # a broken EXIF block: taken as upright
        return 1


@lru_cache(maxsize=64)
def upright_bytes(path: Path) -> bytes | None:
    """The image turned as its EXIF orientation says (as cameras mean it), re-encoded in its
    own format; None when it is upright already (then its file is used as it is)."""
    with PILImage.open(path) as im:
        if _orientation(im) in (None, 1):
            return None
        fmt = im.format or "PNG"
        turned = ImageOps.exif_transpose(im)
    out = io.BytesIO()
    turned.save(out, fmt, **({"quality": 95} if fmt == "JPEG" else {}))
    return out.getvalue()


def upright(path: Path) -> str | io.BytesIO:
    """What renderers open for a pack image: its file's name, or its upright bytes."""
    data = upright_bytes(path)
    return str(path) if data is None else io.BytesIO(data)


@lru_cache(maxsize=256)  # a pack may show one image many times; it is decoded once
def _inspect(path: Path, size: int, mtime_ns: int) -> tuple[str | None, tuple[Path, int, int, str] | None, bytes | None]:
    """(problem, None, digest) or (None, (path, width, height, format), digest)."""
    digest = None
    try:
        if size > MAX_IMAGE_BYTES:
            return f"is too large ({size} bytes; limit {MAX_IMAGE_BYTES})", None, None
        data = inputs.read_regular(path, MAX_IMAGE_BYTES)
        digest = hashlib.sha256(data).digest()
        # Header only first: the pixel count is checked (by us, below) before anything is decoded.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            im = PILImage.open(io.BytesIO(data))
        with im:
            width, height, fmt = im.width, im.height, im.format or "?"
            if width * height > MAX_IMAGE_PIXELS:
                return (
                    f"is {width}x{height} pixels, over the limit of {MAX_IMAGE_PIXELS} (decompression bomb?)",
                    None,
                    digest,
                )
            if fmt not in FORMATS:
                return f"is {fmt}; use PNG, JPEG or GIF", None, digest
            im.load()  # decode fully now so a corrupt file fails here, not mid-render
            if _orientation(im) in _QUARTER_TURNS:  # shown turned a quarter: its size as shown
                width, height = height, width
    except PILImage.DecompressionBombError:
        return "is a decompression bomb", None, digest
    except OSError as e:
        if digest is None:  # the file itself, not its content
            return f"cannot be read ({e.strerror or e})", None, None
        return "cannot be read: corrupt, truncated or not an image", None, digest
    except (SyntaxError, ValueError):
        # PIL's own wording varies by version and format; say what the user can act on.
        return "cannot be read: corrupt, truncated or not an image", None, digest
    return None, (path, width, height, fmt), digest
