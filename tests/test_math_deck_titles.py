"""Math outside slide bodies: titles and the footer show readable text (never LaTeX source),
the agenda and the cover's lines hold native equations, speaker notes read aloud."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from helpers import build_or_fail, glyphs_outside, pdf_from_pptx, require_libreoffice
from studypack.math.unicode import readable

PACK = r"""title: Motion from $v_0$
subtitle: Speeds from $v_0$ to $\frac{a+b}{2}$ in one unit
course: Physics $\alpha$
language: en
sections:
  - title: Starting speed $v_0$ and the mean $\frac{a+b}{2}$
    summary: The start $v_0$ and the mean.
    points:
      - The start is $v_0$
      - math: v = v_0 + a t
    notes: >-
      Say $v_0$ and $\alpha$ aloud, then $\frac{a+b}{2}$ and $\sum_{i=1}^n i$.
  - title: Sums $\sum_{i=1}^n i$
    points:
      - Two sums
"""
OMATH = "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath"


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("titles")
    (folder / "pack.yaml").write_text(PACK, encoding="utf-8")
    return build_or_fail(folder, folder / "out", only=("deck",))["deck"]


def test_readable_forms() -> None:
    assert (
        readable(r"$v_0$, $\alpha$, $x^2$, $\bar{v}$, $\frac{a+b}{2}$") == "v₀, α, x², v̄, (a + b)/2"
    )
    assert readable(r"$\sum_{i=1}^n i$") == r"\sum_{i=1}^n i"
    assert readable(r"$\sum_{i=1}^n i$", "spoken") == "sum from i equals 1 to n of i"
    assert (
        readable(r"**$v_0$** costs \$5", markdown=lambda t: t.replace("**", "")) == r"v₀ costs \$5"
    )


def test_titles_and_footer_are_readable_text(deck: Path) -> None:
    titles, footers = [], []
    for slide in Presentation(str(deck)).slides:
        for shape in slide.placeholders:
            kind = shape.placeholder_format.type
            if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
                titles.append(shape.text_frame.text)
            elif kind == PP_PLACEHOLDER.FOOTER:
                footers.append(shape.text_frame.text)
    assert "Motion from v₀" in titles
    assert "Starting speed v₀ and the mean (a + b)/2" in titles
    assert "Sums sum from i equals 1 to n of i" in titles
    assert footers and all("v₀" in f for f in footers)
    assert not any("$" in t or "\\" in t for t in titles + footers)


def test_agenda_and_cover_hold_native_equations(deck: Path) -> None:
    slides = list(Presentation(str(deck)).slides)
    cover, agenda = slides[0], slides[1]
    assert len(list(cover.shapes._spTree.iter(OMATH))) == 3  # v_0, (a+b)/2, alpha
    assert len(list(agenda.shapes._spTree.iter(OMATH))) == 3


def test_speaker_notes_read_equations_aloud(deck: Path) -> None:
    notes = [
        s.notes_slide.notes_text_frame.text
        for s in Presentation(str(deck)).slides
        if s.has_notes_slide
    ]
    assert r"Say v₀ and α aloud, then (a + b)/2 and \sum_{i=1}^n i." in notes


@pytest.mark.render
@pytest.mark.slow
def test_the_deck_renders_inside_its_boxes(deck: Path, tmp_path: Path) -> None:
    require_libreoffice()
    pdf = pdf_from_pptx(deck, tmp_path)
    slides, pages, outside = glyphs_outside(deck, pdf)
    assert slides == pages and outside == []
