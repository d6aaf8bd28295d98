"""What a department's template.pptx holds: its slide size and its master's colour scheme."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from studypack import inputs

# Our colours <-> the Office theme slots they live in: read from a template's master here,
# written into every deck's theme by the deck renderer.
SCHEME_SLOTS = {
    "text": "dk1",
    "background": "lt1",
    "primary": "accent1",
    "accent": "accent2",
    "muted": "dk2",
}

MAX_TEMPLATE_BYTES = 64 * 1024 * 1024
_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")
_NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def is_pptx(path: Path) -> bool:
    """Whether a file is a PowerPoint package (a zip holding ppt/presentation.xml)."""
    try:
        with zipfile.ZipFile(io.BytesIO(inputs.read(path, MAX_TEMPLATE_BYTES))) as z:
            return "ppt/presentation.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False



def slide_size(path: Path) -> tuple[int, int] | None:
    """The template's slide size in EMU, from ppt/presentation.xml's p:sldSz."""
    root = _part(path, "presentation")
    size = root.find("p:sldSz", _NS) if root is not None else None
    try:
        cx, cy = int(size.get("cx")), int(size.get("cy"))  # type: ignore[union-attr,arg-type]
    except (AttributeError, TypeError, ValueError):
        return None
    return (cx, cy) if cx > 0 and cy > 0 else None


def color_scheme(path: Path) -> dict[str, str]:
    """{'dk1': '#000000', 'accent1': '#4472C4', …} from the first slide master's theme part."""
    from lxml import etree

    root = _part(path, "theme")
    scheme = root.find(".//a:clrScheme", _NS) if root is not None else None
    out: dict[str, str] = {}
    for slot in scheme if scheme is not None else ():
        colour = slot.find("a:srgbClr", _NS)
        value = colour.get("val") if colour is not None else None
        if colour is None and (system := slot.find("a:sysClr", _NS)) is not None:
            value = system.get("lastClr")  # windowText / window: the colour last resolved
        if value and _HEX.match(value):
            out[etree.QName(slot).localname] = f"#{value.upper()}"
    return out


def scheme_colors(path: Path, wanted: list[str]) -> dict[str, str]:
    """Our colours (named as in SCHEME_SLOTS) that the template's master gives, of those wanted."""
    scheme = color_scheme(path) if wanted else {}
    return {key: scheme[SCHEME_SLOTS[key]] for key in wanted if SCHEME_SLOTS[key] in scheme}


def _part(path: Path, which: str) -> Any:
    """The parsed ppt/presentation.xml ('presentation') or first master's theme part ('theme')."""
    from lxml import etree  # only themes with a template need it

    # No entities, no DTD, no network: a template is a stranger's file.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        with zipfile.ZipFile(io.BytesIO(inputs.read(path, MAX_TEMPLATE_BYTES))) as z:
            if which == "presentation":
                return etree.fromstring(z.read("ppt/presentation.xml"), parser)
            rels = etree.fromstring(z.read("ppt/slideMasters/_rels/slideMaster1.xml.rels"), parser)
            target = next(
                (r.get("Target") for r in rels if (r.get("Type") or "").endswith("/theme")), None
            )
            if target is None:
                return None
            return etree.fromstring(z.read("ppt/theme/" + target.rsplit("/", 1)[-1]), parser)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, etree.XMLSyntaxError):
        return None
