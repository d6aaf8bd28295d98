"""Pictures an imported source holds or names -> image files a pack can show."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from pathlib import Path

from PIL import Image as PILImage

from studypack.errors import Report, Span
from studypack.load.images import FORMATS, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, check_image
from studypack.model import Image

_EXT = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif"}


def cache_dir() -> Path:
    """Where pictures taken out of .docx/.pptx files live until an import copies them."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "studypack" / "pictures"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    except OSError:  # a read-only home: a private folder in the temporary directory
        folder = Path(tempfile.gettempdir()) / f"studypack-{os.getuid()}-pictures"
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder


def picture_file(data: bytes) -> tuple[Path | None, str | None]:
    """(a file holding the picture as PNG, JPEG or GIF, None) or (None, why it cannot be shown).

    Files are named by their content, so one picture is written once and builds stay stable."""
    if len(data) > MAX_IMAGE_BYTES:
        return None, f"is too large ({len(data)} bytes; limit {MAX_IMAGE_BYTES})"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            im = PILImage.open(io.BytesIO(data))
        with im:
            fmt = im.format or "?"
            if im.width * im.height > MAX_IMAGE_PIXELS:
                return (
                    None,
                    f"is {im.width}x{im.height} pixels, over the limit of {MAX_IMAGE_PIXELS}",
                )
            if fmt not in FORMATS:  # BMP, TIFF, WebP: converted; vector WMF/EMF cannot be
                out = io.BytesIO()
                im.convert("RGBA" if "A" in im.getbands() else "RGB").save(out, "PNG")
                data, fmt = out.getvalue(), "PNG"
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError):
        return None, "is in a format that cannot be shown (use PNG, JPEG or GIF)"
    path = cache_dir() / (hashlib.sha256(data).hexdigest()[:24] + _EXT[fmt])
    if not path.is_file():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return path, None


def is_extracted(path: Path) -> bool:
    """Is this a picture taken out of a document (rather than a file the source named)?"""
    return path.parent == cache_dir()


def usable_image(path: Path, alt: str, span: Span, report: Report, what: str) -> Image | None:
    """The image block for a picture file, or a located warning (never an error) and None."""
    found_report = Report()
    found = check_image(path.parent, path.name, span, what, found_report)
    for d in found_report.diagnostics:
        report.warning(span, f"{d.message}; skipped")
    if found is None:
        return None
    file, width, height, fmt = found
    return Image(file, alt, None, width, height, fmt, span)
