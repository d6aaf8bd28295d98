"""deck.pptx: draws a finished deck plan into the placeholders of real slide layouts."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TARGET_MODE as RTM
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import _Relationship
from pptx.opc.packuri import PackURI
from pptx.opc.serialized import PackageWriter
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn as _qn
from pptx.oxml.shapes.picture import CT_Picture
from pptx.oxml.slide import CT_NotesSlide
from pptx.parts.image import ImagePart
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.util import Emu

from studypack.errors import Report, Span
from studypack.fonts import OFFICE_CODE_FONT, OFFICE_EA_FONT
from studypack.inline import Run, plain_text
from studypack.model import Image, Pack
from studypack.plan.deck import HANGING, Box, Geometry, Para, SlidePlan, plan_deck
from studypack.render.pptx_layouts import LayoutProfile, profile_layouts
from studypack.theme import Theme

qn = lru_cache(maxsize=None)(_qn)  # tags are built ~30 times per slide

EMU_PER_PT = 12700
SIZES = {"16:9": (12192000, 6858000), "4:3": (9144000, 6858000)}
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SLIDENUM_FIELD_ID = "{6D3E5C52-6A37-4D1B-9C1E-5F0B5B7A1C01}"  # fixed: reproducible bytes


def _emu(pt: float) -> int:
    return round(pt * EMU_PER_PT)


def _pt(emu: Any) -> float:
    return int(emu or 0) / EMU_PER_PT


@dataclass
class _Role:
    """A chosen layout and the idx of each placeholder we fill, in reading order."""

    layout: Any
    title: int | None
    bodies: list[int]  # left to right
    picture: int | None
    footer: Any  # the layout's footer placeholder (inherits its frame), or None
    number: Any
    date: Any


def _role(layout: Any) -> _Role:
    title = picture = None
    bodies: list[Any] = []
    furniture: dict[Any, Any] = {}
    for ph in layout.placeholders:
        t = ph.placeholder_format.type
        if t in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
            title = ph
        elif t in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE):
            bodies.append(ph)
        elif t == PP_PLACEHOLDER.PICTURE:
            picture = ph
        else:
            furniture[t] = ph
    bodies.sort(key=lambda p: (p.left or 0, p.top or 0))
    return _Role(
        layout, title.placeholder_format.idx if title is not None else None,
        [b.placeholder_format.idx for b in bodies], picture.placeholder_format.idx if picture is not None else None,
        furniture.get(PP_PLACEHOLDER.FOOTER), furniture.get(PP_PLACEHOLDER.SLIDE_NUMBER), furniture.get(PP_PLACEHOLDER.DATE),
    )  # fmt: skip


def _box(ph: Any) -> Box:
    return Box(_pt(ph.left), _pt(ph.top), _pt(ph.width), _pt(ph.height))


def _ph(layout: Any, idx: int | None) -> Any:
    return next((p for p in layout.placeholders if p.placeholder_format.idx == idx), None)


def _geometry(prs: Any, roles: dict[str, _Role]) -> Geometry:
    def box(role: str, which: str, n: int = 0) -> Box | None:
        r = roles[role]
        idx = (
            r.title
            if which == "title"
            else r.picture
            if which == "picture"
            else (r.bodies[n] if len(r.bodies) > n else None)
        )
        ph = _ph(r.layout, idx) if idx is not None else None
        return _box(ph) if ph is not None else None

    content_body = box("content", "body")
    assert content_body is not None
    cols = (
        tuple(b for b in (box("two", "body", 0), box("two", "body", 1)) if b)
        if roles["two"] is not roles["content"]
        else (content_body,)
    )
    footer = roles["content"].footer
    return Geometry(
        _pt(prs.slide_width), _pt(prs.slide_height),
        box("title", "title") or box("content", "title"), box("title", "body"),  # type: ignore[arg-type]
        box("section", "title"), box("section", "body"),  # type: ignore[arg-type]
        box("content", "title"), content_body,  # type: ignore[arg-type]
        box("two", "title"), cols or (content_body,),  # type: ignore[arg-type]
        box("picture", "title"), box("picture", "picture") or content_body,  # type: ignore[arg-type]
        box("picture", "body") if roles["picture"].picture is not None else None,
        _box(footer) if footer is not None else None,
    )  # fmt: skip


def _open(theme: Theme) -> Any:
    """The theme's template (its slides dropped) or python-pptx's default, sized to the aspect."""
    if theme.slides.template is not None:
        prs = Presentation(str(theme.slides.template))
        sld_ids = prs.slides._sldIdLst
        for sld_id in list(sld_ids):
            sld_ids.remove(sld_id)
            prs.part.drop_rel(sld_id.rId)
        return prs
    prs = Presentation()
    width, height = SIZES[theme.slides.aspect]
    factor = width / prs.slide_width
    if factor != 1:  # widen the default 4:3 master and layouts in place
        for part in [prs.slide_master, *prs.slide_layouts]:
            for xfrm in part._element.iter(qn("a:xfrm")):
                off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
                if off is not None and ext is not None:
                    off.set("x", str(round(int(off.get("x")) * factor)))
                    ext.set("cx", str(round(int(ext.get("cx")) * factor)))
    prs.slide_width, prs.slide_height = Emu(width), Emu(height)
    return prs


def _restyle_theme(prs: Any, theme: Theme) -> None:
    """Theme colours and fonts into every master's theme part, so slides a teacher adds match."""
    c = theme.colors
    colours = {"dk1": c.text, "lt1": c.background, "dk2": c.primary, "accent1": c.primary, "accent2": c.accent,
               "accent3": c.muted, "hlink": c.accent, "folHlink": c.muted}  # fmt: skip
    fonts = {"majorFont": theme.slides.heading_font, "minorFont": theme.slides.body_font}
    for master in prs.slide_masters:
        part = master.part.part_related_by(RT.THEME)
        root = etree.fromstring(part.blob)
        for name, value in colours.items():
            for el in root.iter(qn(f"a:{name}")):
                for child in list(el):
                    el.remove(child)
                etree.SubElement(el, qn("a:srgbClr"), val=value.lstrip("#").upper())
        for name, family in fonts.items():
            for el in root.iter(qn(f"a:{name}")):
                for tag, face in (("a:latin", family), ("a:ea", OFFICE_EA_FONT)):
                    node = el.find(qn(tag))
                    if node is not None:
                        node.set("typeface", face)
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _text_body(sp: Any) -> Any:
    """The shape's txBody; python-pptx creates footer and slide-number placeholders without one."""
    body = sp.find(qn("p:txBody"))
    if body is None:
        body = etree.SubElement(sp, qn("p:txBody"))
        etree.SubElement(body, qn("a:bodyPr"))
        etree.SubElement(body, qn("a:lstStyle"))
    return body


def _placeholders(slide: Any) -> dict[int, Any]:
    """idx -> placeholder element of a new slide (a plain walk: python-pptx's xpath is slow)."""
    found = {}
    for sp in slide.shapes._spTree.iterchildren(_SP, _PIC):
        ph = sp.find(_PH_PATH)
        if ph is not None:
            found[int(ph.get("idx", "0"))] = sp
    return found


_SP, _PIC, _CNVPR = qn("p:sp"), qn("p:pic"), qn("p:cNvPr")
_PH_PATH = f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}"


class _SlideMaker:
    """Adds slides in O(1) each: python-pptx's add_slide rescans every rId and part name."""

    def __init__(self, prs: Any):
        self.prs_part = prs.part
        self.package = prs.part.package
        self.sld_ids = prs.slides._sldIdLst
        rels = self.prs_part.rels
        self.next_rid = 1 + max([int(k[3:]) for k in rels if k[3:].isdigit()] + [0])
        self.next_id = 1 + max([int(s.get("id")) for s in self.sld_ids] + [255])
        self.count = 0
        self.notes_master: Any = None
        self.notes_proto: bytes | None = None
        self.slide_protos: dict[int, bytes] = {}  # per layout: a fresh slide with its placeholders

    def add(self, layout: Any) -> Any:
        self.count += 1
        partname = PackURI(f"/ppt/slides/slide{self.count}.xml")
        proto = self.slide_protos.get(id(layout))
        if (
            proto is None
        ):  # the first slide of a layout is built by python-pptx, later ones parsed from it
            slide_part = SlidePart.new(partname, self.package, layout.part)
            slide_part.slide.shapes.clone_layout_placeholders(layout)
            self.slide_protos[id(layout)] = etree.tostring(slide_part._element)
        else:
            slide_part = SlidePart(partname, CT.PML_SLIDE, self.package, parse_xml(proto))
            slide_part.relate_to(layout.part, RT.SLIDE_LAYOUT)
        rid = f"rId{self.next_rid}"
        self.next_rid += 1
        rels = self.prs_part.rels
        rels._rels[rid] = _Relationship(rels._base_uri, rid, RT.SLIDE, RTM.INTERNAL, slide_part)
        self.sld_ids._add_sldId(id=self.next_id, rId=rid)
        self.next_id += 1
        return slide_part.slide

    def notes(self, slide: Any) -> Any:
        """A notes slide for `slide`, named by count instead of by scanning the package."""
        if self.notes_master is None:
            self.notes_master = self.prs_part.notes_master_part
        partname = PackURI(f"/ppt/notesSlides/notesSlide{self.count}.xml")
        element = parse_xml(self.notes_proto) if self.notes_proto else CT_NotesSlide.new()
        part = NotesSlidePart(partname, CT.PML_NOTES_SLIDE, self.package, element)
        part.relate_to(self.notes_master, RT.NOTES_MASTER)
        part.relate_to(slide.part, RT.SLIDE)
        if self.notes_proto is None:
            part.notes_slide.clone_master_placeholders(self.notes_master.notes_master)
            self.notes_proto = etree.tostring(part._element)
        slide.part.relate_to(part, RT.NOTES_SLIDE)
        return part.notes_slide


class _Drawer:
    def __init__(self, prs: Any, pack: Pack, theme: Theme, roles: dict[str, _Role], report: Report):
        self.prs, self.pack, self.theme, self.roles, self.report = prs, pack, theme, roles, report
        self.maker = _SlideMaker(prs)
        self.images: dict[Path, Any] = {}
        self.lang = pack.language

    # --- text -------------------------------------------------------------------------------
    def fill(
        self,
        sp: Any,
        paras: tuple[Para, ...],
        font: str,
        color: str | None = None,
        level_attr: bool = True,
    ) -> None:
        body = _text_body(sp)
        body_pr = body.find(qn("a:bodyPr"))
        for child in list(body_pr):
            body_pr.remove(child)
        for k, v in (("lIns", 91440), ("tIns", 45720), ("rIns", 91440), ("bIns", 45720)):
            body_pr.set(k, str(v))  # = Box's default insets; measured with exactly these
        body_pr.set("wrap", "square")
        etree.SubElement(body_pr, qn("a:noAutofit"))  # fitted at build time; no shrink-on-overflow
        for p in body.findall(qn("a:p")):
            body.remove(p)
        for i, para in enumerate(paras):
            self.paragraph(body, para, font, color, first=i == 0, level_attr=level_attr)

    def paragraph(
        self, body: Any, para: Para, font: str, color: str | None, first: bool, level_attr: bool
    ) -> None:
        p = etree.SubElement(body, qn("a:p"))
        ppr = etree.SubElement(p, qn("a:pPr"))
        if level_attr:
            ppr.set("lvl", str(para.level))
        ppr.set("marL", str(_emu(para.margin)))
        ppr.set(
            "indent", str(-_emu(HANGING)) if para.bullet else "0"
        )  # the bullet hangs in the margin
        etree.SubElement(
            etree.SubElement(ppr, qn("a:lnSpc")),
            qn("a:spcPts"),
            val=str(round(para.line_height * 100)),
        )
        etree.SubElement(
            etree.SubElement(ppr, qn("a:spcBef")),
            qn("a:spcPts"),
            val="0" if first else str(round(para.space_before * 100)),
        )
        etree.SubElement(etree.SubElement(ppr, qn("a:spcAft")), qn("a:spcPts"), val="0")
        if para.bullet:
            etree.SubElement(ppr, qn("a:buFont"), typeface="Arial")
            etree.SubElement(ppr, qn("a:buChar"), char=para.bullet)
        else:
            etree.SubElement(ppr, qn("a:buNone"))
        hex_color = getattr(self.theme.colors, color or para.color).lstrip("#").upper()
        for run in para.runs:
            self.run(p, run, para.size, font, hex_color, para.bold)

    def run(self, p: Any, run: Run, size: float, font: str, hex_color: str, bold: bool) -> None:
        r = etree.SubElement(p, qn("a:r"))
        rpr = etree.SubElement(r, qn("a:rPr"), lang=self.lang, sz=str(round(size * 100)), dirty="0")
        # Explicit, so a layout's bold or all-caps style cannot widen text we measured plain.
        rpr.set("b", "1" if run.bold or bold else "0")
        rpr.set("i", "1" if run.italic else "0")
        rpr.set("cap", "none")
        etree.SubElement(etree.SubElement(rpr, qn("a:solidFill")), qn("a:srgbClr"), val=hex_color)
        latin = OFFICE_CODE_FONT if run.code else font
        etree.SubElement(rpr, qn("a:latin"), typeface=latin)
        etree.SubElement(rpr, qn("a:ea"), typeface=OFFICE_EA_FONT)
        etree.SubElement(rpr, qn("a:cs"), typeface=latin)
        if run.href:
            rid = self.slide.part.relate_to(run.href, RT.HYPERLINK, is_external=True)
            etree.SubElement(rpr, qn("a:hlinkClick"), {qn("r:id"): rid})
        etree.SubElement(r, qn("a:t")).text = _XML_UNSAFE.sub("", run.text)

    def next_shape_id(self) -> int:
        """python-pptx finds the next id with an xpath over the whole slide on every call."""
        if self.shape_id == 0:
            self.shape_id = max(int(e.get("id", "0")) for e in self.slide._element.iter(_CNVPR))
        self.shape_id += 1
        return self.shape_id

    # --- slides -----------------------------------------------------------------------------
    def draw(self, plan: SlidePlan, number: int) -> None:
        kind = {"title": "title", "section": "section", "image": "picture", "terms": "two"}.get(
            plan.kind, "content"
        )
        role = self.roles[kind]
        self.slide = slide = self.maker.add(role.layout)
        self.shape_id = 0
        shapes = _placeholders(slide)
        heading, body_font = self.theme.slides.heading_font, self.theme.slides.body_font
        title_sp = shapes.pop(role.title, None)
        if title_sp is not None:
            self.fill(
                title_sp,
                (Para(plan.title, plan.title_size, color="primary"),),
                heading,
                level_attr=False,
            )
        texts = [plan.body] if not plan.columns else list(plan.columns)
        for idx, paras in zip(role.bodies, texts):
            sp = shapes.pop(idx)
            if paras:
                self.fill(sp, paras, body_font, "muted" if plan.kind == "title" else None)
        if plan.image is not None and plan.picture is not None:
            self.picture(shapes.pop(role.picture, None), plan.image, plan.picture)
        for sp in shapes.values():  # placeholders left empty would show "Click to add text"
            sp.getparent().remove(sp)
        if plan.footer is not None and role.footer is not None:
            self.furniture(role.footer, "ftr", (plan.footer,))
        if role.number is not None and plan.kind != "title":
            self.furniture(role.number, "sldNum", None, number)
        if self.theme.logo is not None and role.date is not None:
            self.logo(role.date)
        if plan.notes:
            self.maker.notes(slide).notes_text_frame.text = _XML_UNSAFE.sub(
                "", "\n".join(plan.notes)
            )

    def furniture(
        self, layout_ph: Any, kind: str, paras: tuple[Para, ...] | None, number: int = 0
    ) -> None:
        """A footer or slide-number placeholder; python-pptx does not copy these from the layout."""
        tree = self.slide.shapes._spTree
        sp_id = self.next_shape_id()
        idx = layout_ph.placeholder_format.idx
        name = "Footer Placeholder" if kind == "ftr" else "Slide Number Placeholder"
        sp = tree.add_placeholder(
            sp_id, f"{name} {sp_id}", layout_ph.placeholder_format.type, "horz", "quarter", idx
        )
        self.fill(sp, paras or (), self.theme.slides.body_font, level_attr=False)
        if paras is not None:
            return
        p = etree.SubElement(_text_body(sp), qn("a:p"))
        fld = etree.SubElement(p, qn("a:fld"), id=_SLIDENUM_FIELD_ID, type="slidenum")
        rpr = etree.SubElement(fld, qn("a:rPr"), lang=self.lang)
        etree.SubElement(
            etree.SubElement(rpr, qn("a:solidFill")),
            qn("a:srgbClr"),
            val=self.theme.colors.muted.lstrip("#").upper(),
        )
        etree.SubElement(rpr, qn("a:latin"), typeface=self.theme.slides.body_font)
        etree.SubElement(rpr, qn("a:ea"), typeface=OFFICE_EA_FONT)
        etree.SubElement(fld, qn("a:t")).text = str(number)

    def image_rid(self, path: Path) -> str:
        part = self.images.get(path)
        if part is None:  # one part per file; python-pptx would rescan the package per picture
            from pptx.parts.image import Image as PptxImage

            part = self.images[path] = ImagePart.new(
                self.prs.part.package, PptxImage.from_file(str(path))
            )
        return self.slide.part.relate_to(part, RT.IMAGE)

    def picture(self, ph_sp: Any, image: Image, frame: Box) -> None:
        rid = self.image_rid(image.path)
        x, y, cx, cy = _emu(frame.x), _emu(frame.y), _emu(frame.w), _emu(frame.h)
        sp_id = self.next_shape_id()
        if ph_sp is not None:  # stays the layout's picture placeholder, at the letterboxed frame
            pic = CT_Picture.new_ph_pic(sp_id, f"Picture {sp_id}", "", rid)
            pic.nvPicPr.nvPr._insert_ph(ph_sp.ph)
            ph_sp.addprevious(pic)
            ph_sp.getparent().remove(ph_sp)
            pic.spPr.get_or_add_xfrm()
            pic.x, pic.y, pic.cx, pic.cy = x, y, cx, cy
        else:
            pic = self.slide.shapes._spTree.add_pic(
                sp_id, f"Picture {sp_id}", "", rid, x, y, cx, cy
            )
        pic.nvPicPr.cNvPr.set("descr", _XML_UNSAFE.sub("", plain_text(image.alt)))

    def logo(self, date_ph: Any) -> None:
        assert self.theme.logo is not None
        from PIL import Image as PILImage

        with PILImage.open(self.theme.logo) as im:
            w, h = im.size
        frame = _box(date_ph)
        scale = min(frame.w / w, frame.h / h)
        rid = self.image_rid(self.theme.logo)
        sp_id = self.next_shape_id()
        pic = self.slide.shapes._spTree.add_pic(
            sp_id,
            f"Logo {sp_id}",
            "",
            rid,
            _emu(frame.x),
            _emu(frame.y),
            _emu(w * scale),
            _emu(h * scale),
        )
        pic.nvPicPr.cNvPr.set("descr", "Logo")


def _core_properties(prs: Any, pack: Pack) -> None:
    def clip(text: str | None) -> str:  # python-pptx refuses longer property values
        text = _XML_UNSAFE.sub("", plain_text(text or ""))
        return text if len(text) <= 255 else text[:254] + "…"

    cp = prs.core_properties
    when = pack.build_time().replace(tzinfo=None)
    cp.title = clip(pack.title)
    cp.author = cp.last_modified_by = clip(pack.author)
    cp.subject = clip(pack.subtitle or pack.course)
    cp.category = clip(pack.course)
    keywords = ""
    for term in pack.glossary:
        word = plain_text(term.term)
        if len(keywords) + len(word) + 2 > 255:
            break
        keywords = f"{keywords}; {word}" if keywords else word
    cp.keywords = clip(keywords)
    cp.language = clip(pack.language)
    cp.created = cp.modified = cp.last_printed = when
    cp.revision = 1


class _FixedDateZip:
    """python-pptx's zip writer, but every entry dated `when`: equal inputs give equal bytes."""

    def __init__(self, when: tuple[int, ...]):
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", zipfile.ZIP_DEFLATED)
        self.when = when

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        entry = zipfile.ZipInfo(pack_uri.membername, date_time=self.when)  # type: ignore[arg-type]
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.create_system = 0  # the same bytes whatever OS built them
        self.zip.writestr(entry, blob)


def _save(prs: Any, when: tuple[int, ...]) -> bytes:
    """The package as python-pptx's PackageWriter lays it out, written once with fixed dates."""
    package = prs.part.package
    writer = PackageWriter(io.BytesIO(), package._rels, tuple(package.iter_parts()))
    out = _FixedDateZip(when)
    with out.zip:
        writer._write_content_types_stream(out)  # type: ignore[arg-type]
        writer._write_pkg_rels(out)  # type: ignore[arg-type]
        writer._write_parts(out)  # type: ignore[arg-type]
    return out.buffer.getvalue()


def roles_of(profile: LayoutProfile) -> dict[str, _Role]:
    """Each role's layout, falling back on title-and-content where the template lacks one."""
    content = _role(profile.content)
    return {name: (_role(getattr(profile, name)) if getattr(profile, name) is not None else content)
            for name in ("title", "section", "content", "two", "picture")}  # fmt: skip


def render(pack: Pack, theme: Theme, report: Report) -> bytes:
    prs = _open(theme)
    profile = profile_layouts(prs)
    if not profile.usable():
        where = theme.slides.template or theme.files[0]
        report.error(
            Span(str(where)), "slide template has no layout with a title and a body placeholder"
        )
        return b""
    roles = roles_of(profile)
    plans = plan_deck(pack, theme, _geometry(prs, roles), report)
    _restyle_theme(prs, theme)
    drawer = _Drawer(prs, pack, theme, roles, report)
    for number, plan in enumerate(plans, 1):
        drawer.draw(plan, number)
    _core_properties(prs, pack)
    when = pack.build_time()
    return _save(
        prs, (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    )
