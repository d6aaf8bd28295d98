"""Image references: stay inside the pack, exist, decode, and are not decompression bombs."""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image as PILImage

from studypack.errors import Report, Span

MAX_IMAGE_BYTES = 30 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # ~ 8000 x 5000; anything larger is a bomb or a mistake
FORMATS = {"PNG", "JPEG", "GIF"}  # what both reportlab and PowerPoint take


def check_image(
    root: Path, rel: str, span: Span, where: str, report: Report
) -> tuple[Path, int, int, str] | None:
    """(absolute path, width, height, format) of a usable image, else report and None."""
    candidate = Path(rel)
    if candidate.is_absolute():
        report.error(span, f"{where}: '{rel}' must be a path relative to the pack folder")
        return None
    path = (root / candidate).resolve()
    if not path.is_relative_to(root):
        report.error(span, f"{where}: '{rel}' leaves the pack folder")
        return None
    if not path.is_file():
        report.error(span, f"{where}: image '{rel}' not found")
        return None
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            report.error(span, f"{where}: image '{rel}' is too large ({size} bytes; limit {MAX_IMAGE_BYTES})")
            return None
        # Header only first: the pixel count is checked (by us, below) before anything is decoded.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            im = PILImage.open(path)
        with im:
            width, height, fmt = im.width, im.height, im.format or "?"
            if width * height > MAX_IMAGE_PIXELS:
                report.error(
                    span,
                    f"{where}: image '{rel}' is {width}x{height} pixels, over the limit of "
                    f"{MAX_IMAGE_PIXELS} (decompression bomb?)",
                )
                return None
            if fmt not in FORMATS:
                report.error(span, f"{where}: image '{rel}' is {fmt}; use PNG, JPEG or GIF")
                return None
            im.load()  # decode fully now so a corrupt file fails here, not mid-render
    except PILImage.DecompressionBombError:
        report.error(span, f"{where}: image '{rel}' is a decompression bomb")
        return None
    except (OSError, SyntaxError, ValueError):
        # PIL's own wording varies by version and format; say what the user can act on.
        report.error(span, f"{where}: image '{rel}' cannot be read: corrupt, truncated or not an image")
        return None
    return path, width, height, fmt
