"""deck.pptx: draws a finished deck plan into the placeholders of real slide layouts.

python-pptx opens the template (or its default) and keeps the masters, layouts and theme;
slides are written as text from one prototype per layout (render/pptx_slides.py) straight
into the zip (render/pptx_package.py), each as soon as it is made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn as _qn
from pptx.util import Emu

from studypack.ahead import Ahead
from studypack.errors import Report, Span
from studypack.fonts import OFFICE_CODE_FONT, OFFICE_EA_FONT
from studypack.inline import Run, plain_text
from studypack.load.images import upright
from studypack.math.unicode import plain_readable
from studypack.model import Pack
from studypack.picture import Picture
from studypack.plan.deck import HANGING, Box, Fitter, Para, SlidePlan, plan_deck
from studypack.plan.deck_math import PlacedEquation, drawn_width
from studypack.plan.deck_table import TableSlice, cell_box
from studypack.render._compat_pptx import relationships, replace_blob, slide_id_list
from studypack.render.pptx_blocks import shape_properties, table_xml, text_box
from studypack.render.pptx_design import NUMBER_SIZE, design_default, number_box, number_frame
from studypack.render.pptx_inline_math import (
    Look,
    alternate_shape,
    has_inline_math,
    inherited_look,
    readable_text,
    shape_picture,
)
from studypack.render.pptx_layouts import Role, box_of, geometry, profile_layouts, roles_of
from studypack.render.pptx_math import equation_key, equation_png, equation_xml
from studypack.render.pptx_package import NewPart, Package, Rel
from studypack.render.pptx_picture_fonts import picture_font
from studypack.render.pptx_slides import (
    BODY_PR,
    XML_UNSAFE,
    NotesProto,
    SlideProto,
    Writer,
    emu,
    furniture,
    notes_proto,
    notes_xml,
    picture,
    slide_proto,
    tile,
)
from studypack.render.pptx_table_math import alternate_table, table_has_math, table_picture
from studypack.theme import SCHEME_SLOTS, Theme

qn = lru_cache(maxsize=None)(_qn)

SIZES = {"16:9": (12192000, 6858000), "4:3": (9144000, 6858000)}
_XML_UNSAFE = XML_UNSAFE
LOGO_PAD = 4.0  # pt of tile around the logo on a filled slide
_KIND_ROLE = {"title": "title", "section": "section", "image": "picture", "terms": "two"}


def _open(theme: Theme) -> Any:
    """The theme's template (its slides dropped) or python-pptx's default, sized to the aspect."""
    if theme.slides.template is not None:
        prs = Presentation(str(theme.slides.template))
        sld_ids = slide_id_list(prs)
        for sld_id in list(sld_ids):
            sld_ids.remove(sld_id)
            prs.part.drop_rel(sld_id.rId)
        return prs
    prs = Presentation()
    width, height = SIZES[theme.slides.aspect]
    factor = width / prs.slide_width
    if factor != 1:  # widen the default 4:3 master and layouts in place
        for part in [prs.slide_master, *prs.slide_layouts]:
            for xfrm in part.element.iter(qn("a:xfrm")):
                off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
                if off is not None and ext is not None:
                    off.set("x", str(round(int(off.get("x")) * factor)))
                    ext.set("cx", str(round(int(ext.get("cx")) * factor)))
    prs.slide_width, prs.slide_height = Emu(width), Emu(height)
    design_default(prs, theme.style.fills, keep_logo_room=theme.logo is not None)
    return prs


def _restyle_theme(prs: Any, theme: Theme) -> None:
    """Theme colours and fonts into every master's theme part, so slides a teacher adds match."""
    c = theme.colors
    # The slots theme.py reads a template's colours from; a department master keeps the rest
    # of its scheme (accents 3-6, link colours) as designed, python-pptx's gets ours.
    colours = {slot: getattr(c, key) for key, slot in SCHEME_SLOTS.items()}
    if theme.slides.template is None:
        colours |= {"accent3": c.muted, "hlink": c.accent, "folHlink": c.muted}
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
        replace_blob(part, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _core_properties(prs: Any, plan: DeckPlan) -> None:
    cp = prs.core_properties
    when = plan.built.replace(tzinfo=None)
    cp.title = plan.title
    cp.author = cp.last_modified_by = plan.author
    cp.subject = plan.subject
    cp.category = plan.category
    cp.keywords = plan.keywords
    cp.language = _clip(plan.language)
    cp.comments = plan.comments  # else python-pptx's "generated using …"
    cp.created = cp.modified = cp.last_printed = when
    cp.revision = 1
    # The template's thumbnail shows python-pptx's blank deck in file browsers: better none.
    rels = relationships(prs.part.package)
    for rId, rel in list(rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            rels.pop(rId)


class _Deck:
    """Part names, ids and relationship ids for every slide, fixed before the first is drawn."""

    def __init__(self, prs: Any, theme: Theme, roles: dict[str, Role], plans: list[SlidePlan]):
        self.prs, self.theme, self.roles = prs, theme, roles
        package = prs.part.package
        self.notes_master = prs.part.notes_master_part if any(p.notes for p in plans) else None
        rels = prs.part.rels
        first_rid = 1 + max([int(k[3:]) for k in rels if k[3:].isdigit()] + [0])
        sld_ids = slide_id_list(prs)
        first_id = 1 + max([int(s.get("id")) for s in sld_ids] + [255])
        self.slide_rels: list[Rel] = []
        for n in range(1, len(plans) + 1):
            rid = f"rId{first_rid + n - 1}"
            self.slide_rels.append((rid, RT.SLIDE, f"slides/slide{n}.xml", False))
            etree.SubElement(sld_ids, qn("p:sldId"), id=str(first_id + n - 1)).set(qn("r:id"), rid)
        if self.notes_master is not None:
            self._list_notes_master(rels)
        self.types = [(f"/ppt/slides/slide{n}.xml", CT.PML_SLIDE) for n in range(1, len(plans) + 1)]
        self.types += [(f"/ppt/notesSlides/notesSlide{n}.xml", CT.PML_NOTES_SLIDE)
                       for n, p in enumerate(plans, 1) if p.notes]  # fmt: skip
        self.images: dict[Path, tuple[str, Any]] = {}  # path -> (partname, python-pptx Image)
        taken = {
            p.partname.idx
            for p in package.iter_parts()
            if p.partname.startswith("/ppt/media/image")
        }
        for plan in plans:
            paths = [plan.image.path] if plan.image is not None and plan.picture is not None else []
            for path in paths:
                if path not in self.images:
                    from pptx.parts.image import Image as PptxImage

                    image = PptxImage.from_file(upright(path))  # a camera's sideways JPEG, turned as it means
                    n = next(i for i in range(1, len(taken) + 2) if i not in taken)
                    taken.add(n)
                    self.images[path] = (f"/ppt/media/image{n}.{image.ext}", image)
                    self.types.append((self.images[path][0], image.content_type))
        self.written: set[Path] = set()
        # Equation pictures: one part per equation, size and colour.
        self.equation_parts: dict[tuple[str, float, str], str] = {}
        text_hex = theme.colors.text.lstrip("#").upper()
        for plan in plans:
            for eq in plan.equations:
                key = equation_key(eq, text_hex)
                if key not in self.equation_parts:
                    n = next(i for i in range(1, len(taken) + 2) if i not in taken)
                    taken.add(n)
                    self.equation_parts[key] = f"/ppt/media/image{n}.png"
                    self.types.append((self.equation_parts[key], CT.PNG))
        self.written_equations: set[str] = set()
        # Pictures of text shapes holding inline math: (slide number, body index) -> partname.
        self.shape_pictures: dict[tuple[int, int], str] = {}
        for number, plan in enumerate(plans, 1):
            for k, paras in enumerate([plan.body] if not plan.columns else plan.columns):
                if has_inline_math(paras):
                    self.shape_pictures[(number, k)] = self._new_png(taken)
            if plan.table is not None and table_has_math(plan.table):  # its picture: key -1
                self.shape_pictures[(number, -1)] = self._new_png(taken)

    def _new_png(self, taken: set[int]) -> str:
        n = next(i for i in range(1, len(taken) + 2) if i not in taken)
        taken.add(n)
        self.types.append((f"/ppt/media/image{n}.png", CT.PNG))
        return f"/ppt/media/image{n}.png"

    def _list_notes_master(self, rels: Any) -> None:
        """PowerPoint lists the notes master in presentation.xml as well as in its rels."""
        rid = next(r.rId for r in rels.values() if r.reltype == RT.NOTES_MASTER)
        root = self.prs.element
        if root.find(qn("p:notesMasterIdLst")) is None:
            lst = etree.Element(qn("p:notesMasterIdLst"))
            etree.SubElement(lst, qn("p:notesMasterId")).set(qn("r:id"), rid)
            root.find(qn("p:sldMasterIdLst")).addnext(lst)

    def role(self, plan: SlidePlan) -> Role:
        return self.roles[_KIND_ROLE.get(plan.kind, "content")]


class _Drawer:
    """Each slide as text from its layout's prototype, handed to the package at once."""

    def __init__(self, deck: _Deck, plan: DeckPlan, theme: Theme, out: Package):
        self.deck, self.theme, self.out = deck, theme, out
        self.writer = Writer(theme.colors, plan.language)
        self.language = plan.language
        self.protos: dict[tuple[int, bool], SlideProto] = {}
        # The title slide on primary (style.fills); a template brings its own look.
        self.fills = theme.style.fills and theme.slides.template is None
        self.sections = 0  # section slides drawn so far: the number in a designed section band
        self.notes: NotesProto | None = None
        self.fitter = Fitter(theme)
        self.layout_boxes: dict[tuple[int, int], Box] = {}
        calls = self.picture_calls(plan.slides)
        self.picture_order = {partname: i for i, partname in enumerate(calls)}
        # drawn ahead by a spare process from the last slide back, here as each slide needs one
        self.pictures: Ahead[Any] = Ahead(list(calls.values()))

    def picture_calls(self, slides: list[SlidePlan]) -> dict[str, Callable[[], Any]]:
        """The call drawing each fallback picture of the slides, by part name, in the order
        the slides need them."""
        calls: dict[str, Callable[[], Any]] = {}
        text_hex = self.theme.colors.text.lstrip("#").upper()
        for number, plan in enumerate(slides, 1):
            role = self.deck.role(plan)
            for k, (idx, paras) in enumerate(zip(role.bodies, _texts(plan))):
                partname = self.deck.shape_pictures.get((number, k))
                if partname is not None and paras:
                    calls[partname] = partial(self.shape_picture, plan, role.layout, idx, paras)
            partname = self.deck.shape_pictures.get((number, -1))
            if partname is not None and plan.table is not None:
                calls[partname] = partial(self.table_picture, plan.table)
            for eq in plan.equations:
                calls.setdefault(self.deck.equation_parts[equation_key(eq, text_hex)], partial(equation_png, eq, text_hex))
        return calls

    def shape_picture(self, plan: SlidePlan, layout: Any, idx: int, paras: tuple[Para, ...]) -> Picture:
        """The picture of a text shape holding inline equations (its fallback), as a client sets it."""
        filled, _, color = self.colors(plan)
        frame = self.body_frame(plan, layout, idx)
        look = self.look(*inherited_look(layout, idx), filled)
        return shape_picture(paras, frame, self.fitter.body, look, lambda p: self.writer.hex(color or p.color),
                             lambda p: drawn_width(self.fitter, p, frame))  # fmt: skip

    def table_picture(self, piece: TableSlice) -> bytes:
        return table_picture(piece, self.fitter.body, self.look("l", "ctr", False), self.theme.colors,
                             self.theme.style.fills, lambda p: self.writer.hex(p.color),
                             lambda p, w: self.fitter.width(p, cell_box(w)))  # fmt: skip

    def picture(self, partname: str) -> Any:
        """A fallback picture's result, added as the part `partname`."""
        made = self.pictures.get(self.picture_order[partname])
        self.out.add(NewPart(partname, CT.PNG, made if isinstance(made, bytes) else made.png))
        return made

    def colors(self, plan: SlidePlan) -> tuple[bool, str | None, str | None]:
        """Whether the slide is filled with the primary colour, the colour of every run on it
        (None: their own), and its body text's colour."""
        filled = self.fills and plan.kind == "title"
        on = "background" if filled else None
        return filled, on, on or ("muted" if plan.kind == "title" else None)

    def body_frame(self, plan: SlidePlan, layout: Any, idx: int) -> Box:
        if plan.body_frame is not None:
            return plan.body_frame
        if (id(layout), idx) not in self.layout_boxes:
            self.layout_boxes[(id(layout), idx)] = _layout_box(layout, idx)
        return self.layout_boxes[(id(layout), idx)]

    def proto(self, layout: Any, filled: bool) -> SlideProto:
        proto = self.protos.get((id(layout), filled))
        if proto is None:
            background = self.theme.colors.primary if filled else None
            proto = self.protos[(id(layout), filled)] = slide_proto(
                layout, self.deck.prs.part.package, background
            )
        return proto

    def draw(self, plan: SlidePlan, number: int) -> None:
        role = self.deck.role(plan)
        filled, on, body_color = self.colors(plan)
        proto = self.proto(role.layout, filled)
        partname = f"/ppt/slides/slide{number}.xml"
        rels: list[Rel] = [
            ("rId1", RT.SLIDE_LAYOUT, role.layout.part.partname.relative_ref("/ppt/slides"), False)
        ]
        targets: dict[str, str] = {}

        def relate(reltype: str, target: str, external: bool) -> str:
            rid = targets.get(target)
            if rid is None:  # python-pptx reuses a relationship to the same target
                rid = targets[target] = f"rId{len(rels) + 1}"
                rels.append((rid, reltype, target, external))
            return rid

        link: Callable[[str], str] = lambda url: relate(RT.HYPERLINK, url, True)
        heading, body_font = self.theme.slides.heading_font, self.theme.slides.body_font
        shapes = {s.idx: s for s in proto.shapes}
        out: dict[int, str] = {}  # id(ProtoShape) -> its xml; shapes not here are left out

        def fill(
            shape: Any, paras: tuple[Para, ...], font: str, color: str | None, level_attr: bool, sp_pr: str = "",
            frame: Box | None = None, key: tuple[int, int] = (0, 0),
        ) -> None:
            opened = shape.open.replace("<p:spPr/>", sp_pr, 1) if sp_pr else shape.open
            xml = (
                opened
                + self.writer.paragraphs(paras, font, color, level_attr, link, links_in_text_color=filled)
                + shape.close
            )
            picture_part = self.deck.shape_pictures.get(key)
            if frame is not None and picture_part is not None:  # PowerPoint's form, with a picture for the rest
                xml = self.with_fallback(xml, paras, frame, relate, picture_part)
            out[id(shape)] = xml

        for s in proto.shapes:  # a shape whose idx another repeats is never touched
            if shapes.get(s.idx) is not s:
                out[id(s)] = s.raw
        title = shapes.pop(role.title, None) if role.title is not None else None
        if title is not None:
            fill(title, (Para(plan.title, plan.title_size, color="primary"),), heading, on, False)
        sp_pr = ""
        if plan.body_frame is not None or plan.body_fill is not None:
            b = plan.body_frame
            sp_pr = shape_properties((emu(b.x), emu(b.y), emu(b.w), emu(b.h)) if b else None, plan.body_fill)
        for k, (idx, paras) in enumerate(zip(role.bodies, _texts(plan))):
            shape = shapes.pop(idx)
            if paras:  # an empty one is left out: PowerPoint would show "Click to add text" there
                frame = self.body_frame(plan, role.layout, idx)
                fill(shape, paras, body_font, body_color, True, sp_pr, frame, (number, k))
        next_id = [0]

        def new_id() -> int:
            """python-pptx's next shape id: one more than the largest on the slide so far."""
            if not next_id[0]:
                next_id[0] = (
                    proto.max_id
                    if plan_pic
                    else max([1] + [s.id for s in proto.shapes if id(s) in out])
                )
            next_id[0] += 1
            return next_id[0]

        plan_pic = plan.image is not None and plan.picture is not None
        loose: list[str] = []
        if plan.image is not None and plan.picture is not None:
            ph = shapes.pop(role.picture, None) if role.picture is not None else None
            rid = relate(RT.IMAGE, self.image_ref(plan.image.path), False)
            f = plan.picture
            xml = picture(new_id(), "Picture", XML_UNSAFE.sub("", plain_text(plan.image.alt)), rid,
                          (emu(f.x), emu(f.y), emu(f.w), emu(f.h)), ph.ph if ph is not None else "")  # fmt: skip
            if ph is not None:  # stays the layout's picture placeholder, at the letterboxed frame
                out[id(ph)] = xml
            else:
                loose.append(xml)
        if plan.table is not None:
            table_id = new_id()
            xml = table_xml(table_id, plan.table, self.writer, self.theme.colors, self.theme.style.fills, body_font, link)
            table_png = self.deck.shape_pictures.get((number, -1))
            if table_png is not None:  # cells hold equations: PowerPoint's form, a picture for the rest
                self.picture(table_png)
                rid = relate(RT.IMAGE, "../media/" + table_png.rsplit("/", 1)[1], False)
                xml = alternate_table(xml, rid, table_id, plan.table)
            loose.append(xml)
        for box in plan.boxes:
            f = box.frame
            paras = self.writer.paragraphs(box.paras, body_font, None, False, link)
            xywh = (emu(f.x), emu(f.y), emu(f.w), emu(f.h))
            loose.append(text_box(new_id(), xywh, box.fill, paras, box.name))
        for eq in plan.equations:
            loose.append(self.equation(eq, new_id(), relate))
        if plan.kind == "section":
            loose.extend(self.section_number(role, new_id))
        if plan.footer is not None and role.footer is not None:
            ph = role.footer.placeholder_format
            paras = self.writer.paragraphs((plan.footer,), body_font, on, False, link, links_in_text_color=filled)
            loose.append(
                furniture(new_id(), "Footer Placeholder", ph.type.xml_value, ph.idx, paras)
            )
        if role.number is not None and plan.kind != "title":
            ph = role.number.placeholder_format
            paras = self.writer.number(number, body_font, on or "muted")
            loose.append(
                furniture(new_id(), "Slide Number Placeholder", ph.type.xml_value, ph.idx, paras)
            )
        kept = [out[id(s)] for s in proto.shapes if id(s) in out]
        if plan.notes:
            relate(RT.NOTES_SLIDE, f"../notesSlides/notesSlide{number}.xml", False)
        self.out.add(
            NewPart(
                partname,
                CT.PML_SLIDE,
                f"{proto.head}{''.join(kept)}{''.join(loose)}{proto.tail}".encode(),
                rels,
            )
        )
        if plan.notes:
            self.notes_slide(number, plan.notes)

    def section_number(self, role: Role, new_id: Callable[[], int]) -> list[str]:
        """The section's number in the band of a designed section layout (none on a template's)."""
        self.sections += 1
        frame = number_frame(role.layout)
        if frame is None:
            return []
        colour = "background" if self.fills else "primary"
        para = Para((Run(str(self.sections)),), NUMBER_SIZE, color=colour, align="ctr")
        paras = self.writer.paragraphs((para,), self.theme.slides.heading_font, None, False, str)
        return [number_box(new_id(), frame, paras, BODY_PR)]

    def with_fallback(
        self, xml: str, paras: tuple[Para, ...], frame: Box, relate: Callable[[str, str, bool], str], partname: str
    ) -> str:
        """A text shape holding inline equations in mc:AlternateContent, its fallback filled
        with a picture of the whole shape (a new image part)."""
        picture = self.picture(partname)
        rid = relate(RT.IMAGE, "../media/" + partname.rsplit("/", 1)[1], False)
        x, y, w, h = picture.box
        box = (emu(frame.x + x), emu(frame.y + y), emu(w), emu(h))
        return alternate_shape(xml, rid, box, _XML_UNSAFE.sub("", readable_text(paras)))

    def look(self, align: str, anchor: str, filled: bool) -> Look:
        slides = self.theme.slides
        return Look(
            align, anchor,
            picture_font(slides.body_font, self.theme.fonts.body, self.theme.folder),
            picture_font(OFFICE_CODE_FONT, self.theme.fonts.body, self.theme.folder),
            HANGING, "" if filled else self.writer.hex("accent"),
        )  # fmt: skip

    def image_ref(self, path: Path) -> str:
        partname, image = self.deck.images[path]
        if path not in self.deck.written:  # one part per file, written where first used
            self.deck.written.add(path)
            self.out.add(NewPart(partname, image.content_type, image.blob))
        return "../media/" + partname.rsplit("/", 1)[1]

    def equation(self, eq: PlacedEquation, shape_id: int, relate: Callable[[str, str, bool], str]) -> str:
        hex_color = self.theme.colors.text.lstrip("#").upper()
        partname = self.deck.equation_parts[equation_key(eq, hex_color)]
        if partname not in self.deck.written_equations:
            self.deck.written_equations.add(partname)
            self.picture(partname)
        rid = relate(RT.IMAGE, "../media/" + partname.rsplit("/", 1)[1], False)
        return equation_xml(eq, shape_id, rid, self.writer.lang, hex_color)

    def notes_slide(self, number: int, notes: tuple[str, ...]) -> None:
        master = self.deck.notes_master
        assert master is not None
        if self.notes is None:
            self.notes = notes_proto(self.deck.prs.part.package, master)
        rels: list[Rel] = [
            ("rId1", RT.NOTES_MASTER, master.partname.relative_ref("/ppt/notesSlides"), False),
            ("rId2", RT.SLIDE, f"../slides/slide{number}.xml", False),
        ]
        self.out.add(
            NewPart(
                f"/ppt/notesSlides/notesSlide{number}.xml",
                CT.PML_NOTES_SLIDE,
                notes_xml(self.notes, notes, self.language),
                rels,
            )
        )


@dataclass(frozen=True)
class DeckPlan:
    slides: list[SlidePlan]
    built: datetime
    # what the core properties say
    title: str
    author: str
    subject: str
    category: str
    keywords: str
    language: str
    comments: str


_NAMESPACES = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)


def _logo_on_masters(prs: Any, theme: Theme) -> None:
    """The theme's logo once on each slide master, in the date's corner, marked decorative: every
    slide shows it and a screen reader is not told it slide after slide. A tile of the background
    colour under it keeps a logo drawn in the primary colour visible on filled slides."""
    if theme.logo is None:
        return
    from PIL import Image as PILImage

    with PILImage.open(theme.logo) as im:
        w, h = im.size
    for master in prs.slide_masters:
        date = next((ph for ph in master.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.DATE), None)
        if date is None:
            continue
        frame = box_of(date)
        scale = min(frame.w / w, frame.h / h)
        x, y, cx, cy = emu(frame.x), emu(frame.y), emu(w * scale), emu(h * scale)
        _, rid = master.part.get_or_add_image_part(str(theme.logo))
        tree = master.element.cSld.spTree
        first = 1 + max(int(el.get("id")) for el in tree.iter(qn("p:cNvPr")))
        pad = emu(LOGO_PAD)
        descr = XML_UNSAFE.sub("", f"{theme.name} logo")
        pic = picture(first + 1, "Logo", descr, rid, (x, y, cx, cy), "", decorative=True)
        shapes = tile(first, (x - pad, y - pad, cx + 2 * pad, cy + 2 * pad), theme.colors.background.lstrip("#")) + pic
        for shape in etree.fromstring(f"<p:spTree {_NAMESPACES}>{shapes}</p:spTree>"):
            tree.append(shape)


def _open_profiled(theme: Theme) -> tuple[Any, dict[str, Role] | None]:
    """The template opened as drawn, and a layout for every role (None when it has no layout
    with a title and a body placeholder)."""
    prs = _open(theme)
    profile = profile_layouts(prs)
    return prs, roles_of(profile) if profile.usable() else None


def plan(pack: Pack, theme: Theme, report: Report) -> DeckPlan | None:
    prs, roles = _open_profiled(theme)
    if roles is None:
        where = theme.slides.template or theme.files[0]
        report.error(Span(str(where)), "slide template has no layout with a title and a body placeholder")
        return None
    slides = plan_deck(pack, theme, geometry(prs, roles), report)
    keywords = ""
    for term in pack.glossary:
        word = plain_readable(term.term)
        if len(keywords) + len(word) + 2 > 255:
            break
        keywords = f"{keywords}; {word}" if keywords else word
    return DeckPlan(slides, pack.build_time(), _clip(pack.title), _clip(pack.author), _clip(pack.subtitle or pack.course),
                    _clip(pack.course), _clip(keywords), pack.language, _clip(pack.overview or pack.subtitle))  # fmt: skip


def _layout_box(layout: Any, idx: int) -> Box:
    ph = next(p for p in layout.placeholders if p.placeholder_format.idx == idx)
    return box_of(ph)


def _clip(text: str | None) -> str:
    """A core property's value: python-pptx refuses longer ones."""
    text = _XML_UNSAFE.sub("", plain_readable(text or ""))
    return text if len(text) <= 255 else text[:254] + "…"


def draw(plan: DeckPlan, theme: Theme) -> bytes:
    prs, roles = _open_profiled(theme)
    assert roles is not None  # plan() found them in the same template
    _restyle_theme(prs, theme)
    _logo_on_masters(prs, theme)
    _core_properties(prs, plan)
    deck = _Deck(prs, theme, roles, plan.slides)
    when = plan.built
    out = Package((max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second))
    titles = [_XML_UNSAFE.sub("", slide.title_text) for slide in plan.slides]  # for app.xml
    out.start(prs, deck.types, deck.slide_rels, titles)
    drawer = _Drawer(deck, plan, theme, out)
    with drawer.pictures:
        for number, slide in enumerate(plan.slides, 1):
            drawer.draw(slide, number)
    return out.close()


def _texts(plan: SlidePlan) -> list[tuple[Para, ...]]:
    """The paragraphs of each body placeholder the slide fills."""
    return [plan.body] if not plan.columns else list(plan.columns)
