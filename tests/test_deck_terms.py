"""Key-term slides: the fewest at a comfortable size, each at the largest size its terms fit,
columns balanced by height, slides alike in size and fullness; and as LibreOffice draws them."""

from __future__ import annotations

import dataclasses
import io
import random
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from helpers import (
    GEOMETRY,
    REPO,
    SAMPLE,
    glyphs_outside,
    load_with_theme,
    make_pack,
    para_text,
    pdf_from_pptx,
    render_output,
)
from studypack.errors import Report
from studypack.model import Point, Section, Term
from studypack.plan.deck import Box, Fitter, Geometry, Para, SlidePlan, plan_deck
from studypack.plan.deck_terms import COMFORTABLE, TERM_SIZES

CHEMISTRY = REPO / "content" / "intro-chemistry"
# Frames like a 4:3 deck's: the same height, columns about three quarters as wide.
SQUARE = dataclasses.replace(
    GEOMETRY, width=720.0, content_body=Box(36, 126, 648, 356.4),
    terms_cols=(Box(36, 126, 316, 356.4), Box(368, 126, 316, 356.4)),
)  # fmt: skip

WORDS = (
    "treaty alliance base security defence cooperation sovereignty agreement forces region".split()
)


def random_terms(n: int, seed: int, longest: int = 40) -> list[Term]:
    rng = random.Random(seed)
    return [
        Term(
            f"Term {i:03d}",
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, longest))) + ".",
        )
        for i in range(n)
    ]


def ja_terms(n: int) -> list[Term]:
    from test_kinsoku import TEXTS

    return [Term(f"用語{i:02d}", TEXTS[i % len(TEXTS)]) for i in range(n)]


def term_slides(glossary, theme, geometry: Geometry = GEOMETRY, **kw) -> list[SlidePlan]:
    pack = make_pack([Section("S", points=(Point("p"),))], glossary, **kw)
    return [s for s in plan_deck(pack, theme, geometry, Report()) if s.kind.startswith("terms")]


def columns_of(slide: SlidePlan, geometry: Geometry) -> list[tuple[tuple[Para, ...], Box]]:
    """Each column of a key-term slide with its frame (a full-width slide: the body frame)."""
    if slide.kind == "terms":
        return list(zip(slide.columns, geometry.terms_cols))
    return [(slide.body, geometry.content_body)]


def at(paras, size: float, fitter: Fitter, box: Box) -> list[Para]:
    """The paragraphs set at another size, spacing scaled with it."""
    return [
        fitter.prepare(replace(p, size=size, space_before=p.space_before * size / p.size), box)
        for p in paras
    ]


def splits_fit(paras, size: float, fitter: Fitter, boxes) -> bool:
    """Whether the paragraphs, in order, fill the boxes at that size in some split."""
    if len(boxes) == 1:
        return fitter.fits(at(paras, size, fitter, boxes[0]), boxes[0])
    return any(
        fitter.fits(at(paras[:m], size, fitter, boxes[0]), boxes[0])
        and splits_fit(paras[m:], size, fitter, boxes[1:])
        for m in range(1, len(paras) - len(boxes) + 2)
    )


def fewest_slides(glossary, theme, geometry: Geometry) -> int:
    """Slides at COMFORTABLE, each taking the most terms that fit it full width or in columns."""
    fitter = Fitter(theme)
    slides = term_slides(glossary, theme, geometry)
    paras = [p for s in slides for col, _ in columns_of(s, geometry) for p in col]
    count, i = 0, 0
    while i < len(paras):
        j = i + 1
        while j < len(paras) and (
            splits_fit(paras[i : j + 1], COMFORTABLE, fitter, [geometry.content_body])
            or splits_fit(paras[i : j + 1], COMFORTABLE, fitter, list(geometry.terms_cols))
        ):
            j += 1
        count, i = count + 1, j
    return count


CASES = {
    "30 one-liners": [Term(f"Term {i:02d}", "A short definition.") for i in range(30)],
    "26 of all lengths": random_terms(26, 1),
    "11 medium": random_terms(11, 2, 25),
    "60 long": random_terms(60, 3, 60),
    "Japanese": ja_terms(14),
}


@pytest.mark.parametrize("geometry", [GEOMETRY, SQUARE], ids=["16:9", "4:3"])
@pytest.mark.parametrize("case", list(CASES))
def test_each_slide_is_at_the_largest_size_that_fits_in_balanced_columns(theme, case, geometry):
    glossary = CASES[case]
    slides = term_slides(glossary, theme, geometry, language="ja" if case == "Japanese" else "en")
    fitter = Fitter(theme)
    # Every term whole, once, in glossary order reading down each column.
    shown = [
        para_text(p).split(" — ")[0]
        for s in slides
        for col, _ in columns_of(s, geometry)
        for p in col
    ]
    assert shown == [t.term for t in glossary]
    assert len(slides) == fewest_slides(glossary, theme, geometry)
    one_layout = all(s.kind == "terms-single" for s in slides)  # terms too long for columns
    sizes = []
    for s in slides:
        columns = columns_of(s, geometry)
        paras = [p for col, _ in columns for p in col]
        size = paras[0].size
        assert {p.size for p in paras} == {size} and COMFORTABLE <= size <= TERM_SIZES[0]
        assert all(col and fitter.fits(col, box) for col, box in columns), s.title_text
        sizes.append(size)
        if size == TERM_SIZES[0]:
            continue
        larger = TERM_SIZES[TERM_SIZES.index(size) - 1]
        boxes = [box for _, box in columns]
        assert not splits_fit(paras, larger, fitter, boxes), (s.title_text, size)
        if s.kind == "terms-single" and len(paras) >= len(geometry.terms_cols) and not one_layout:
            # full width among column slides only where columns cannot hold them comfortably
            assert not splits_fit(paras, COMFORTABLE, fitter, list(geometry.terms_cols))
        if len(columns) == 2:
            (left, a), (right, b) = columns
            h_left, h_right = fitter.height(left, a), fitter.height(right, b)
            # the term that would move to even them up is taller than their difference
            mover = left[-1] if h_left > h_right else right[0]
            moved = fitter.height([mover], a) + mover.space_before
            assert abs(h_left - h_right) <= moved + 1e-6, (s.title_text, h_left, h_right)
    if case != "60 long":  # terms half a slide long make sizes lumpy
        assert max(sizes) - min(sizes) <= 4, sizes


def test_a_few_terms_stand_full_width_at_the_largest_size(theme):
    glossary = [
        Term("Acid", "A proton donor."),
        Term("Base", "A proton acceptor."),
        Term("pH", "Minus log [H+]."),
    ]
    slides = term_slides(glossary, theme)
    assert [s.kind for s in slides] == ["terms-single"]
    assert {p.size for p in slides[0].body} == {TERM_SIZES[0]}


def test_slides_are_alike_not_a_full_one_then_a_sparse_one(theme):
    """Terms for a bit more than one slide: two slides about equally full, not one full
    slide and a second of two terms."""
    fitter = Fitter(theme)
    for glossary in (CASES["11 medium"], random_terms(15, 7, 30), CASES["26 of all lengths"]):
        slides = term_slides(glossary, theme)
        assert len(slides) >= 2
        fills = [
            max(fitter.height(col, box) / box.text_height for col, box in columns_of(s, GEOMETRY))
            for s in slides
        ]
        assert min(fills) >= 0.6, fills


def test_a_term_too_long_for_a_comfortable_slide_stands_alone_smaller(theme):
    long = " ".join(["The treaty's clauses on bases, forces and the region were revised."] * 30)
    glossary = [Term("A", "Short."), Term("B", long), Term("C", "Short too.")]
    slides = term_slides(glossary, theme)
    alone = next(s for s in slides if para_text(s.body[0]).startswith("B —") if s.body)
    assert len(alone.body) == 1 and alone.body[0].size < COMFORTABLE
    assert Fitter(theme).fits(alone.body, GEOMETRY.content_body)


# --- as LibreOffice draws them -----------------------------------------------------------------


def ja_pack_with_terms(folder: Path) -> Path:
    import yaml
    from test_kinsoku import ja_pack

    ja_pack(folder)
    data = yaml.safe_load((folder / "pack.yaml").read_text(encoding="utf-8"))
    data["glossary"] = [{"term": t.term, "definition": t.definition} for t in ja_terms(12)]
    (folder / "pack.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def body_fill(deck: Path, pdf: Path) -> dict[int, float]:
    """Per key-term slide (1-based), how far down its body frames the drawn text reaches, as a
    share of their height (the fullest frame)."""
    prs = Presentation(str(deck))
    out: dict[int, float] = {}
    with pdfplumber.open(str(pdf)) as doc:
        for number, (slide, page) in enumerate(zip(prs.slides, doc.pages), 1):
            title = slide.shapes.title.text_frame.text
            if not (title.startswith("Key terms") or title.startswith("重要用語")):
                continue
            shares = []
            for ph in slide.placeholders:
                if ph.placeholder_format.type not in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT):
                    continue
                x0, y0 = ph.left / 12700, ph.top / 12700
                x1, y1 = x0 + ph.width / 12700, y0 + ph.height / 12700
                inside = [c for c in page.chars if x0 <= c["x0"] <= x1 and y0 <= c["top"] <= y1]
                if inside:
                    shares.append((max(c["bottom"] for c in inside) - y0) / (y1 - y0))
            out[number] = max(shares)
    return out


@pytest.mark.render
@pytest.mark.slow
@pytest.mark.parametrize("which", ["sample", "chemistry", "chemistry 4:3", "Japanese"])
def test_key_term_slides_drawn_by_libreoffice_fit_and_fill_the_slide(tmp_path, which):
    if which == "Japanese":
        pack, theme = load_with_theme(ja_pack_with_terms(tmp_path / "nichibei"))
    else:
        pack, theme = load_with_theme(SAMPLE if which == "sample" else CHEMISTRY)
    if which.endswith("4:3"):
        theme = dataclasses.replace(theme, slides=dataclasses.replace(theme.slides, aspect="4:3"))
    report = Report()
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(render_output("deck", pack, theme, report))
    assert not report.errors
    pdf = pdf_from_pptx(deck, tmp_path / "pdf")
    slides, pages, outside = glyphs_outside(deck, pdf)
    fills = body_fill(deck, pdf)
    assert pages == slides
    # (only the key-term slides are this test's: other slides have tests of their own)
    ours = [line for line in outside if int(line.split(":")[0].split()[1]) in fills]
    assert not ours, ours[:10]
    assert len(fills) >= 2, fills  # each of these glossaries needs more than one slide
    assert min(fills.values()) >= 0.6, fills
    sizes = {
        r.font.size.pt
        for number, slide in enumerate(Presentation(io.BytesIO(deck.read_bytes())).slides, 1)
        if number in fills
        for ph in slide.placeholders
        for p in ph.text_frame.paragraphs
        for r in p.runs
        if ph.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
        and r.font.size
    }
    assert min(sizes) >= COMFORTABLE and max(sizes) - min(sizes) <= 4, sizes
