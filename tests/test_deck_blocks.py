"""Blocks in the deck: native tables continued with their header, coloured code listings,
figure slides and equations; LibreOffice draws every glyph inside its box or cell."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from blocks_pack import big_table, write_blocks_pack
from pptx import Presentation
from pptx.util import Emu

from helpers import build_or_fail, glyphs_outside, load_with_theme, pdf_from_pptx, render_output
from studypack.errors import Report, Span
from studypack.fonts import OFFICE_CODE_FONT
from studypack.model import Table
from studypack.plan.deck import Box, Fitter
from studypack.plan.deck_table import plan_table

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
BODY = Box(48, 126, 864, 356.4)  # the default 16:9 content body


@pytest.fixture(scope="module")
def blocks_deck(tmp_path_factory) -> tuple[object, bytes, list[str]]:
    """The every-block pack at 16:9, planned and drawn without writing files."""
    pack_dir = write_blocks_pack(tmp_path_factory.mktemp("blocks") / "blocks")
    pack, theme = load_with_theme(pack_dir)
    report = Report()
    data = render_output("deck", pack, theme, report)
    return Presentation(io.BytesIO(data)), data, [str(d) for d in report.sorted()]


def _titles(prs) -> list[str]:
    return [s.shapes.title.text_frame.text for s in prs.slides]


def _tables(prs):
    return [(n, sh) for n, s in enumerate(prs.slides, 1) for sh in s.shapes if sh.has_table]


def test_sixty_rows_split_with_the_header_repeated_and_no_row_cut(theme):
    table_yaml = big_table(60)
    table = Table(
        tuple(table_yaml["header"]),
        tuple(tuple(r) for r in table_yaml["rows"]),
        align=tuple(table_yaml["align"]),
    )
    slices = plan_table(table, Fitter(theme), BODY, "background", Report())
    assert len(slices) > 1
    rows_seen = []
    for piece in slices:
        assert ["".join(r.text for r in p.runs) for p in piece.rows[0]] == list(table.header)
        assert all(r.bold for p in piece.rows[0] for r in p.runs)
        assert piece.frame.y + sum(piece.heights) <= BODY.y + BODY.h  # every row whole on the slide
        assert sum(piece.widths) <= BODY.w + 1e-6
        rows_seen += ["".join(r.text for r in p.runs) for p in (row[0] for row in piece.rows[1:])]
    assert rows_seen == [str(i) for i in range(1, 61)]
    counts = [len(s.rows) - 1 for s in slices]
    assert max(counts) - min(counts) <= 2  # spread evenly, not 15 + 15 + 15 + 15 + 1


def test_each_table_opens_as_a_native_table_with_a_header_row(blocks_deck):
    prs, _, problems = blocks_deck
    tables = _tables(prs)
    assert len(tables) >= 7  # the small table and the 60-row one over several slides
    big = [sh for _, sh in tables if sh.table.cell(0, 0).text == "#"]
    assert len(big) > 1
    numbers = []
    for sh in big:
        tbl = sh.table
        assert tbl.first_row  # a:tblPr firstRow="1"
        assert [tbl.cell(0, j).text for j in range(6)] == [
            "#",
            "Element",
            "Symbol",
            "Z",
            "Mass",
            "Group and notes",
        ]
        numbers += [int(tbl.cell(i, 0).text) for i in range(1, len(tbl.rows))]
        bottom = sh.top + sum(r.height for r in tbl.rows)
        assert bottom <= Emu(int((BODY.y + BODY.h) * 12700))
    assert numbers == list(range(1, 61))
    titles = _titles(prs)
    assert (
        "Sixty elements, more or less" in titles
        and "Sixty elements, more or less (cont.)" in titles
    )
    # inline Markdown in cells: bold element names, code symbols in the code font
    cell = big[0].table.cell(1, 1).text_frame.paragraphs[0].runs[0]
    assert cell.font.bold and cell.text == "Hydrogen"
    symbol = big[0].table.cell(1, 2).text_frame.paragraphs[0].runs[0]
    assert symbol.font.name == OFFICE_CODE_FONT
    assert not [p for p in problems if "table" in p]


def test_a_small_table_stands_under_the_text_before_it(blocks_deck):
    prs, _, _ = blocks_deck
    slide = next(
        s
        for s in prs.slides
        if any(sh.has_table and sh.table.cell(0, 0).text == "Acid" for sh in s.shapes)
    )
    text = slide.placeholders[1].text_frame.text
    assert "Strong acids ionise completely in water." in text and "Acid strengths at 25 °C" in text
    body = slide.placeholders[1]
    table = next(sh for sh in slide.shapes if sh.has_table)
    assert body.top + body.height <= table.top  # the body shrunk to its text, the table below


def test_code_is_monospace_text_in_coloured_runs_split_between_lines(blocks_deck):
    prs, _, problems = blocks_deck
    listing = [
        s
        for s in prs.slides
        if "def step_" in "".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
    ]
    assert len(listing) > 2
    lines: list[str] = []
    colours: set[str] = set()
    for s in listing:
        body = next(sh for sh in s.placeholders if sh.placeholder_format.idx == 1)
        for p in body.text_frame.paragraphs:
            runs = p.runs
            assert runs and all(r.font.name == OFFICE_CODE_FONT for r in runs)
            colours |= {str(r.font.color.rgb) for r in runs}
            lines.append("".join(r.text for r in runs))
    assert len(colours) >= 3  # keywords, names, comments, numbers
    defs = [line for line in lines if line.startswith("def step_")]
    assert defs == [f"def step_{i}(x):" for i in range(70)]  # every line once, in order, whole
    assert any(line.startswith("» ") for line in lines)  # an over-long line wrapped, marked
    assert any("code lines are too long for a slide" in p for p in problems)
    # the short listing with a caption sits in a shaded text box under the point before it
    first = next(
        s
        for s in prs.slides
        if "A titration computes"
        in "".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
    )
    box = next(
        sh for sh in first.shapes if sh.has_text_frame and "def titrate" in sh.text_frame.text
    )
    assert not box.is_placeholder and box.fill.fore_color.rgb is not None


def test_figure_slide_title_on_top_picture_large_caption_under_alt_text(blocks_deck):
    prs, _, _ = blocks_deck
    slide = next(
        s
        for s in prs.slides
        if any(
            sh.shape_type == 13 and "acid-base" in sh._element.xpath("string(.//p:cNvPr/@descr)")
            for sh in s.shapes
        )
    )
    pic = next(sh for sh in slide.shapes if sh.shape_type == 13)
    title = slide.shapes.title
    caption = next(sh for sh in slide.placeholders if sh.placeholder_format.idx == 1)
    assert title.top + title.height <= pic.top < pic.top + pic.height <= caption.top
    assert "Arrhenius" in caption.text_frame.text
    assert abs(pic.width / pic.height - 1600 / 500) < 0.01  # aspect kept
    assert pic.width >= 0.95 * BODY.w * 12700  # as wide as the body area: a wide picture fills it


def test_math_is_an_office_equation_centred_over_its_slot_in_the_body(blocks_deck):
    prs, _, _ = blocks_deck
    mc = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
    m = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"
    for slide in prs.slides:
        for alt in slide.shapes._spTree.iter(mc):
            text = "".join(t.text or "" for t in alt.iter(m))
            if "log" in text:  # pH = -log10[H+]: the equation's own text box, centred
                xfrm = alt.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}xfrm")
                x = int(xfrm.find("{*}off").get("x")) / 12700
                w = int(xfrm.find("{*}ext").get("cx")) / 12700
                assert abs((x + w / 2) - (BODY.x + BODY.w / 2)) < 1.0
                return
    raise AssertionError("no Office equation with the pH formula")


def test_a_table_too_wide_at_the_smallest_size_is_a_located_warning(theme):
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis"
    header = tuple(f"{word}{j}" for j in range(12))
    table = Table(header, (header,), span=Span("pack.yaml", 7, 9))
    report = Report()
    slices = plan_table(table, Fitter(theme), BODY, "background", report)
    assert [str(d) for d in report.sorted()] == [
        "pack.yaml:7:9: warning: table is too wide for a slide even at 12 pt; long words are broken inside their cells"
    ]
    assert sum(slices[0].widths) <= BODY.w + 1e-6


@pytest.mark.render
@pytest.mark.slow
@pytest.mark.parametrize("aspect", ["16:9", "4:3"])
def test_every_block_kind_renders_with_every_glyph_inside_its_box_or_cell(tmp_path, aspect):
    pack = write_blocks_pack(tmp_path / "blocks", aspect)
    deck = build_or_fail(pack, tmp_path / "out", only=("deck",))["deck"]
    pdf = pdf_from_pptx(deck, tmp_path / "pdf")
    slides, pages, outside = glyphs_outside(deck, pdf)
    assert pages == slides > 20
    assert not outside, "\n".join(outside[:20])


@pytest.mark.render
@pytest.mark.slow
def test_ink_saving_tables_and_code_render_inside_their_cells(tmp_path):
    pack = write_blocks_pack(tmp_path / "blocks", "4:3", fills=False)
    deck = build_or_fail(pack, tmp_path / "out", only=("deck",))["deck"]
    prs = Presentation(str(deck))
    assert _tables(prs)
    pdf = pdf_from_pptx(deck, tmp_path / "pdf")
    _, _, outside = glyphs_outside(deck, pdf)
    assert not outside, "\n".join(outside[:20])


def test_blocks_pack_builds_in_both_aspects_without_errors(tmp_path):
    for aspect in ("16:9", "4:3"):
        pack = write_blocks_pack(tmp_path / aspect.replace(":", "x") / "blocks", aspect)
        out = build_or_fail(pack, tmp_path / f"out-{aspect.replace(':', 'x')}", only=("deck",))
        assert Path(out["deck"]).stat().st_size > 0
