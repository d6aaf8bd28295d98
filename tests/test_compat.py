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
    return {
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
