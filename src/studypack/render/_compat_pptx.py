"""python-pptx internals studypack relies on, all in this file (tested against the pinned 1.0).

python-pptx has no public API to drop a template's slides, to read or replace a part's XML
or bytes, or to list a package's relationships as written. tests/test_compat.py names every
one, so an upgrade that moves one fails there first.
"""

from __future__ import annotations

from typing import Any


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
