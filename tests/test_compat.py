"""Every private name of reportlab and python-pptx that studypack relies on exists in the
installed (pinned) versions, and no module outside the two compat modules touches one."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from studypack.render import _compat_pptx, _compat_reportlab

SRC = Path(__file__).resolve().parents[1] / "src" / "studypack"


def _probes() -> dict[str, object]:
    """Instance attributes relied on: a live object that should carry each, made as we make ours."""
    import io

    from pptx import Presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate

    from studypack.fonts import register_pdf_family

    canvas = Canvas(io.BytesIO())
    wrapped = Paragraph("two words", ParagraphStyle("s"))
    wrapped.wrap(100, 100)
    tall = Paragraph(" ".join(["word"] * 200), ParagraphStyle("s"))
    tall.wrap(100, 1000)
    first = tall.split(100, 60)[0]
    doc = SimpleDocTemplate(io.BytesIO())
    doc.frame = None  # set by the doc template while it builds
    prs = Presentation()
    text = canvas.beginText(0, 0)
    return {
        "reportlab.pdfgen.textobject.PDFTextObject._code": text,
        "reportlab.pdfgen.textobject.PDFTextObject._x0": text,
        "reportlab.pdfgen.canvas.Canvas._curr_tx_info": _inside_on_draw(),
        "reportlab.pdfgen.canvas.Canvas._doc": canvas,
        "reportlab.pdfbase.pdfdoc.PDFDocument._timeStamp": canvas._doc,
        "reportlab.pdfgen.canvas.Canvas._code": canvas,
        "reportlab.pdfgen.canvas.Canvas._formsinuse": canvas,
        "reportlab.pdfgen.canvas.Canvas._currentPageHasImages": canvas,
        "reportlab.pdfbase.ttfonts.TTFont._dynamicFont": pdfmetrics.getFont(register_pdf_family("Source Sans Pro").regular),
        "reportlab.platypus.paragraph.Paragraph.blPara": wrapped,
        "reportlab.platypus.paragraph.Paragraph._splitpara": first,
        "reportlab.platypus.flowables.KeepTogether._content": KeepTogether([wrapped]),
        "reportlab.platypus.doctemplate.BaseDocTemplate.frame": doc,
        "reportlab.platypus.flowables.Flowable._drawOn": Flowable,
        "pptx.opc.package.XmlPart._element": prs.part,
        "pptx.opc.package.Part._blob": prs.slide_master.part.part_related_by(RT.THEME),
        "pptx.opc.package.Part._rels": prs.part,
        "pptx.opc.package.OpcPackage._rels": prs.part.package,
        "pptx.slide.Slides._sldIdLst": prs.slides,
    }  # fmt: skip


def _inside_on_draw() -> object:
    """What an <onDraw> callback sees of the canvas while a paragraph draws (a copy of it)."""
    import io
    from types import SimpleNamespace

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph

    canvas = Canvas(io.BytesIO())
    seen: list[object] = []
    canvas.setNamedCB("probe", lambda canv, kind, label: seen.append(SimpleNamespace(**vars(canv))))
    para = Paragraph('two <onDraw name="probe" label="x"/>words', ParagraphStyle("s"))
    para.wrap(200, 100)
    para.drawOn(canvas, 0, 0)
    return seen[0] if seen else object()


def test_text_position_inside_on_draw_is_the_line_being_drawn():
    """text_position() gives the text object being written and the current line's baseline."""
    import io

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph

    canvas = Canvas(io.BytesIO())
    seen: list[tuple[object, float]] = []

    def callback(canv: object, kind: str, label: str) -> None:
        position = _compat_reportlab.text_position(canv)
        assert position is not None
        seen.append(position)

    canvas.setNamedCB("probe", callback)
    style = ParagraphStyle("s", fontSize=10, leading=12)
    markup = 'one<onDraw name="probe" label="a"/> two<br/>three<onDraw name="probe" label="b"/>'
    para = Paragraph(markup, style)
    _, height = para.wrap(200, 100)
    para.drawOn(canvas, 0, 0)
    assert [round(y, 3) for _, y in seen] == [height - 10, height - 10 - 12]
    tx = seen[0][0]
    assert isinstance(tx._code, list) and isinstance(tx._x0, float | int)
    assert _compat_reportlab.text_position(canvas) is None  # only inside the callback


@pytest.mark.parametrize("name", _compat_reportlab.RELIED_ON + _compat_pptx.RELIED_ON)
def test_every_private_relied_on_exists(name):
    probes = _probes()
    owner, attr = name.rsplit(".", 1)
    if name in probes:
        assert hasattr(probes[name], attr), f"{name} is gone: update the compat module"
    else:
        assert hasattr(importlib.import_module(owner), attr), (
            f"{name} is gone: update the compat module"
        )


def test_no_module_outside_compat_touches_a_library_private():
    privates = {
        n.rsplit(".", 1)[1]
        for n in _compat_reportlab.RELIED_ON + _compat_pptx.RELIED_ON
        if "._" in n
    }
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name.startswith("_compat_"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in privates:
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}: .{node.attr}")
            if isinstance(node, ast.alias) and node.name in privates:
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}: import {node.name}")
    assert not offenders, "\n".join(offenders)


def test_the_compiled_placeholder_lookup_finds_what_python_pptx_finds(tmp_path):
    """_compat_pptx replaces python-pptx's `ph` (an XPath compiled at every call) with the same
    XPath compiled once: on every shape of the default masters, layouts and a drawn deck, both
    find the same element (or none)."""
    from pptx import Presentation
    from pptx.oxml.shapes.shared import BaseShapeElement

    from helpers import build_or_fail

    assert BaseShapeElement.ph is not _compat_pptx.STOCK_PH  # in force once studypack's deck code is imported
    stock = _compat_pptx.STOCK_PH.fget
    decks = [Presentation()]
    sample = SRC.parents[1] / "content" / "japan-us-security-treaty"
    decks.append(Presentation(str(build_or_fail(sample, tmp_path, only=("deck",))["deck"])))
    shapes = [
        el
        for prs in decks
        for part in [*prs.slide_masters, *prs.slide_layouts, *prs.slides]
        for el in part.shapes._spTree.iter()  # noqa: SLF001 - every shape element, nested ones too
        if isinstance(el, BaseShapeElement)
    ]
    found = [(el.ph, stock(el)) for el in shapes]
    assert len(found) > 50 and sum(a is not None for a, _ in found) > 20
    assert all(a is b for a, b in found)

