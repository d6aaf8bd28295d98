"""The .pptx zip: a template's parts as python-pptx holds them, plus slide parts made as bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.spec import default_content_types

from studypack.render._compat_pptx import relationships

DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS_CT = "application/vnd.openxmlformats-package.relationships+xml"
# Measured on the 100x benchmark deck (53 MB of XML): level 1 0.46 s / 14.3 MB, level 4
# 0.54 s / 13.5 MB, level 6 (zlib's default) 0.57 s / 13.3 MB. 4 keeps most of the size.
COMPRESSION = 4
_COMPRESSED = (".png", ".jpg", ".jpeg", ".gif")

Rel = tuple[str, str, str, bool]  # rId, type, target (relative or external URL), external

_APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
APP_PART = "/docProps/app.xml"
# PowerPoint's names for slide sizes, by width / height to 3 decimals.
PRESENTATION_FORMATS = {1.778: "Widescreen", 1.333: "On-screen Show (4:3)",
                        1.6: "On-screen Show (16:10)", 1.5: "35mm Slides"}  # fmt: skip


def attr(value: str) -> str:
    """An attribute value escaped exactly as lxml writes it (so bytes match python-pptx's)."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        .replace("\n", "&#10;").replace("\t", "&#9;").replace("\r", "&#13;")
    )  # fmt: skip


def text(value: str) -> str:
    """Element text escaped exactly as lxml writes it."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def rels_xml(rels: Iterable[Rel]) -> bytes:
    """A .rels item, byte for byte as python-pptx writes it."""
    items = [
        f'<Relationship Id="{rid}" Type="{reltype}" Target="{attr(target)}"'
        + (' TargetMode="External"/>' if external else "/>")
        for rid, reltype, target, external in sorted(rels, key=_numeric)
    ]
    body = f">{''.join(items)}</Relationships>" if items else "/>"
    return f'{DECLARATION}<Relationships xmlns="{_RELS_NS}"{body}'.encode()


def _numeric(rel: Rel) -> tuple[int, str]:
    """python-pptx lists relationships in numerical rId order."""
    rid = rel[0]
    return (int(rid[3:]) if rid.startswith("rId") and rid[3:].isdigit() else 0, rid)


def content_types_xml(parts: Iterable[tuple[str, str]]) -> bytes:
    """[Content_Types].xml for (partname, content type) pairs, laid out as python-pptx does."""
    defaults = {"rels": _RELS_CT, "xml": "application/xml"}
    overrides: dict[str, str] = {}
    for partname, content_type in parts:
        ext = partname.rsplit(".", 1)[-1]
        if (ext.lower(), content_type) in default_content_types:
            defaults[ext] = content_type
        else:
            overrides[partname] = content_type
    out = [f'{DECLARATION}<Types xmlns="{_TYPES_NS}">']
    out += [f'<Default Extension="{e}" ContentType="{c}"/>' for e, c in sorted(defaults.items())]
    out += [f'<Override PartName="{p}" ContentType="{c}"/>' for p, c in sorted(overrides.items())]
    out.append("</Types>")
    return "".join(out).encode("utf-8")


@dataclass
class NewPart:
    """A part made here: its bytes, content type and relationships, written in one go."""

    partname: str
    content_type: str
    blob: bytes
    rels: Sequence[Rel] = ()


class Package:
    """Zip entries compressed as they arrive, each dated `when`, so equal inputs give equal bytes.

    Content types and the template's parts go first (readers such as PowerPoint expect
    [Content_Types].xml early), then each slide as soon as it is made, so no slide stays
    in memory.
    """

    def __init__(self, when: tuple[int, ...], level: int = COMPRESSION):
        self.when, self.level = when, level
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", zipfile.ZIP_DEFLATED)

    def write(self, membername: str, blob: bytes) -> None:
        entry = zipfile.ZipInfo(membername, date_time=self.when)  # type: ignore[arg-type]
        # pictures are compressed already: deflating them again costs time and saves nothing
        packed = membername.lower().endswith(_COMPRESSED)
        entry.compress_type = zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED
        entry.create_system = 0  # the same bytes whatever OS built them
        self.zip.writestr(entry, blob, compresslevel=None if packed else self.level)

    def start(
        self,
        prs: Any,
        types: Iterable[tuple[str, str]],
        extra_rels: Sequence[Rel],
        slide_titles: Sequence[str] = (),
    ) -> None:
        """Content types (the template's and `types`), package rels and every template part;
        `extra_rels` are added to the presentation part's relationships. docProps/app.xml is
        written true to this deck (its slides, notes, size and `slide_titles`); a template's
        printer settings are dropped (they describe the printer of whoever made it)."""
        package = prs.part.package
        parts = [p for p in package.iter_parts() if p.content_type != CT.PML_PRINTER_SETTINGS]
        all_types = [(str(p.partname), p.content_type) for p in parts] + list(types)
        self.write("[Content_Types].xml", content_types_xml(all_types))
        self.write("_rels/.rels", rels_xml(_rels_of(relationships(package))))
        app = app_xml(prs, all_types, slide_titles)
        for part in parts:
            blob = app if str(part.partname) == APP_PART else part.blob
            self.write(part.partname.membername, blob)
            rels = _rels_of(relationships(part)) + (list(extra_rels) if part is prs.part else [])
            if rels:
                self.write(part.partname.rels_uri.membername, rels_xml(rels))

    def add(self, part: NewPart) -> None:
        """Write a made part and its rels now."""
        self.write(part.partname.lstrip("/"), part.blob)
        if part.rels:
            folder, name = part.partname.rsplit("/", 1)
            self.write(f"{folder.lstrip('/')}/_rels/{name}.rels", rels_xml(part.rels))

    def close(self) -> bytes:
        self.zip.close()
        return self.buffer.getvalue()


def _rels_of(rels: Any) -> list[Rel]:
    return [
        (r.rId, r.reltype, r.target_ref, r.is_external)
        for r in rels.values()
        if r.reltype != RT.PRINTER_SETTINGS
    ]


def presentation_format(width: int, height: int) -> str:
    """PowerPoint's name for a slide size (16:9 is "Widescreen")."""
    return PRESENTATION_FORMATS.get(round(width / height, 3), "Custom")


def app_xml(prs: Any, types: Sequence[tuple[str, str]], slide_titles: Sequence[str]) -> bytes:
    """docProps/app.xml as PowerPoint writes it: this application, the deck's format, its
    slide and notes counts, and the titles of its parts (fonts, themes, slides) by heading."""
    slides = sum(1 for _, t in types if t == CT.PML_SLIDE)
    notes = sum(1 for _, t in types if t == CT.PML_NOTES_SLIDE)
    fonts: list[str] = []
    themes: list[str] = []
    for master in prs.slide_masters:
        theme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
        themes.append(theme.get("name") or "Theme")
        for tag in ("latin", "ea"):  # the script fonts listed there are PowerPoint's own
            for face in theme.iterfind(f".//{{{_A_NS}}}fontScheme/*/{{{_A_NS}}}{tag}"):
                if face.get("typeface") and face.get("typeface") not in fonts:
                    fonts.append(face.get("typeface"))
    headings = [("Fonts Used", fonts), ("Theme", themes), ("Slide Titles", list(slide_titles))]
    headings = [(name, titles) for name, titles in headings if titles]
    pairs = "".join(
        f"<vt:variant><vt:lpstr>{name}</vt:lpstr></vt:variant>"
        f"<vt:variant><vt:i4>{len(titles)}</vt:i4></vt:variant>"
        for name, titles in headings
    )
    titles = [text(t) for _, group in headings for t in group]
    return (
        f'{DECLARATION}<Properties xmlns="{_APP_NS}" xmlns:vt="{_VT_NS}">'
        "<Application>studypack</Application>"
        f"<PresentationFormat>{presentation_format(prs.slide_width, prs.slide_height)}"
        f"</PresentationFormat><Slides>{slides}</Slides><Notes>{notes}</Notes>"
        "<HiddenSlides>0</HiddenSlides><MMClips>0</MMClips><ScaleCrop>false</ScaleCrop>"
        f'<HeadingPairs><vt:vector size="{2 * len(headings)}" baseType="variant">{pairs}'
        f'</vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="{len(titles)}" '
        f'baseType="lpstr">{"".join(f"<vt:lpstr>{t}</vt:lpstr>" for t in titles)}</vt:vector>'
        "</TitlesOfParts><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode()


__all__ = ["RT", "NewPart", "Package", "app_xml", "attr", "content_types_xml", "rels_xml", "text"]
