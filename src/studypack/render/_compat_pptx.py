"""python-pptx internals studypack relies on, all in this file (tested against the pinned 1.0).

python-pptx has no public API to drop a template's slides, to read or replace a part's XML
or bytes, or to list a package's relationships as written. tests/test_compat.py names every
one, so an upgrade that moves one fails there first.

One speed fix: python-pptx finds a shape's placeholder element (`ph`) by an XPath it compiles
anew at every call, thousands of times a deck (each placeholder property looks up the layout's
and master's); compiled once, the same lookup takes a fifth of a deck's drawing time less.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from pptx.oxml.shapes.shared import BaseShapeElement

_PLACEHOLDER = etree.XPath("./*[1]/p:nvPr/p:ph", namespaces={"p": "http://schemas.openxmlformats.org/presentationml/2006/main"})
STOCK_PH = BaseShapeElement.ph


def _placeholder(shape: Any) -> Any:
    """The `p:ph` element of a shape, or None: python-pptx's BaseShapeElement.ph, compiled once."""
    found = _PLACEHOLDER(shape)
    return found[0] if found else None


BaseShapeElement.ph = property(_placeholder, doc=STOCK_PH.__doc__)


def slide_id_list(prs: Any) -> Any:
    """presentation.xml's p:sldIdLst, where slides are listed in order."""
    return prs.slides._sldIdLst


def part_element(part: Any) -> Any:
    """An XML part's root element (a slide, notes or presentation part)."""
    return part._element


def replace_blob(part: Any, blob: bytes) -> None:
    """New bytes for a part python-pptx keeps as bytes (the theme part)."""
    part._blob = blob


def relationships(owner: Any) -> Any:
    """A part's or the package's relationships, by rId, as they will be written."""
    return owner._rels


RELIED_ON = (
    "pptx.slide.Slides._sldIdLst", "pptx.opc.package.XmlPart._element",
    "pptx.opc.package.Part._blob", "pptx.opc.package.Part._rels", "pptx.opc.package.OpcPackage._rels",
)  # fmt: skip
