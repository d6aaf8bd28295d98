"""Display equations sit in their slots: LibreOffice draws no text over an equation's picture."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation

from helpers import (
    EMU_PER_PT,
    GEOMETRY,
    REPO,
    build_or_fail,
    pdf_from_pptx,
    require_libreoffice,
)
from studypack.errors import Span
from studypack.fit import runs_width
from studypack.inline import Run
from studypack.model import Math
from studypack.plan.deck import HANGING, Fitter, Para
from studypack.plan.deck_math import CLIENT_TOLERANCE, HeldPara, hold_lines, math_para

PACKS = (REPO / "benchmarks" / "math-40", REPO / "content" / "physics-kinematics")
OVERLAP = 0.5  # pt: boxes that merely touch do not overlap


BODY = GEOMETRY.content_body
POINT = 24.0  # pt: a first-level point


def point_of_width(fit: Fitter, share: float) -> str:
    """A point whose text, set on one line, is `share` of a first-level point's full width."""
    target = (BODY.text_width - HANGING) * share
    words = "Velocity is the rate at which the position of a moving object changes".split()
    text = ""
    for k in range(200):
        longer = f"{text} {words[k % len(words)]}".strip()
        if runs_width((Run(longer),), fit.body, POINT) > target - 8:
            break
        text = longer
    while runs_width((Run(text),), fit.body, POINT) < target - 1:
        text += "i"  # 5.3 pt at a time
    return text


def held(fit: Fitter, text: str) -> Para:
    point = Para((Run(text),), POINT, bullet="•", margin=HANGING)
    slot = math_para(Math("v = v_0 + a t", span=Span("t")), BODY)
    return hold_lines(fit, [point, slot], BODY)[0]


def test_a_point_above_an_equation_is_placed_by_the_lines_clients_draw(theme) -> None:
    fit = Fitter(theme)
    full = BODY.text_width - HANGING
    # 98 % of the line: two lines to the fitter, one to every client
    roomy = held(fit, point_of_width(fit, 0.98))
    assert fit.lines(roomy, BODY) == 2
    assert isinstance(roomy, HeldPara) and roomy.lines == 1 and roomy.margin_right == 0
    # within rounding of the full line: held to the fitter's two lines by a right margin that
    # leaves the first line room to spare and the second no room to join it
    tight = held(fit, point_of_width(fit, 1.0))
    assert isinstance(tight, HeldPara) and tight.lines == fit.lines(tight, BODY) == 2
    client = full - tight.margin_right
    assert tight.margin_right > 0
    assert runs_width(tight.runs, fit.body, POINT) > client * (1 + CLIENT_TOLERANCE) - 1e-6


def equation_frames(pptx: Path) -> list[list[tuple[float, float, float, float]]]:
    """Per slide, the frames (points) of its display equations' shapes."""
    frames = []
    for slide in Presentation(str(pptx)).slides:
        boxes = []
        for sp in slide.shapes._spTree.iter("{*}sp"):
            c_nv_pr = sp.find("{*}nvSpPr/{*}cNvPr")
            off, ext = sp.find("{*}spPr/{*}xfrm/{*}off"), sp.find("{*}spPr/{*}xfrm/{*}ext")
            in_fallback = sp.getparent().tag.endswith("}Fallback")
            if c_nv_pr.get("name", "").startswith("Equation") and in_fallback:
                x, y = int(off.get("x")) / EMU_PER_PT, int(off.get("y")) / EMU_PER_PT
                w, h = int(ext.get("cx")) / EMU_PER_PT, int(ext.get("cy")) / EMU_PER_PT
                boxes.append((x, y, x + w, y + h))
        frames.append(boxes)
    return frames


def meets(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return (
        a[0] < b[2] - OVERLAP
        and b[0] < a[2] - OVERLAP
        and a[1] < b[3] - OVERLAP
        and b[1] < a[3] - OVERLAP
    )


TIGHT_PACK = """title: Tight
language: en
sections:
  - title: A full line
    points:
      - {point}
      - math: \\int_a^b f(x)\\,dx = F(b) - F(a)
      - The next point
"""


@pytest.fixture(scope="module")
def tight_pack(tmp_path_factory: pytest.TempPathFactory, theme) -> Path:
    folder = tmp_path_factory.mktemp("tight")
    point = point_of_width(Fitter(theme), 1.0)
    (folder / "pack.yaml").write_text(TIGHT_PACK.format(point=point), encoding="utf-8")
    return folder


@pytest.mark.render
@pytest.mark.slow
@pytest.mark.parametrize("pack", [*PACKS, None], ids=lambda p: p.name if p else "full-line")
def test_no_text_is_drawn_over_a_display_equation(
    pack: Path | None, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    require_libreoffice()
    pack = pack or request.getfixturevalue("tight_pack")
    deck = build_or_fail(pack, tmp_path / "out", only=("deck",))["deck"]
    if pack.name.startswith("tight"):  # the full line is held by a right margin
        with zipfile.ZipFile(deck) as z:
            assert any(b"marR=" in z.read(n) for n in z.namelist() if n.startswith("ppt/slides/s"))
    pdf = pdf_from_pptx(deck, tmp_path)
    frames = equation_frames(deck)
    assert sum(map(len, frames)) > 0
    over: list[str] = []
    with pdfplumber.open(str(pdf)) as doc:
        assert len(doc.pages) == len(frames)
        for number, (page, boxes) in enumerate(zip(doc.pages, frames), 1):
            pictures = [(i["x0"], i["top"], i["x1"], i["bottom"]) for i in page.images]
            for box in boxes:  # the fallback picture LibreOffice drew for each equation
                drawn = [p for p in pictures if all(abs(u - v) < 1.0 for u, v in zip(p, box))]
                assert drawn, f"slide {number}: no picture at {box}"
                for c in page.chars:
                    if c["text"].strip() and meets(
                        (c["x0"], c["top"], c["x1"], c["bottom"]), drawn[0]
                    ):
                        over.append(
                            f"slide {number}: {c['text']!r} at {c['x0']:.0f},{c['top']:.0f}"
                        )
    assert over == []
