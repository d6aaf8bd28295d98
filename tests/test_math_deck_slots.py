"""Display equations sit in their slots: LibreOffice draws no text over an equation's picture."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation

from helpers import EMU_PER_PT, REPO, build_or_fail, pdf_from_pptx, require_libreoffice

PACKS = (REPO / "benchmarks" / "math-40", REPO / "content" / "physics-kinematics")
OVERLAP = 0.5  # pt: boxes that merely touch do not overlap


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


@pytest.mark.render
@pytest.mark.slow
@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_no_text_is_drawn_over_a_display_equation(pack: Path, tmp_path: Path) -> None:
    require_libreoffice()
    deck = build_or_fail(pack, tmp_path / "out", only=("deck",))["deck"]
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
