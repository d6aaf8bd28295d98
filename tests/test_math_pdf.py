"""Math in the PDFs: inline equations in vector outlines on the baseline (handout and flashcards),
lines that make room for tall ones, Formula elements with alternate text, cards fitted with
their equations measured, and no math libraries loaded for a pack without math."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from helpers import SAMPLE, build_or_fail, load_with_theme, overlapping_chars
from studypack.errors import Report, Span
from studypack.math import parse, spoken, to_drawing

PACK = """\
title: Math layout
language: en
sections:
  - title: Inline equations
    summary: >-
      Plain words come first and run on long enough to fill a whole line of the summary. The
      quadratic formula $x = \\frac{-b \\pm \\sqrt{b^2-4ac}}{2a}$ stands tall in its line, and the
      ordinary text after it runs on for another line or two so that the spacing of plain lines
      can be compared with the spacing of the line that holds the tall equation.
    points:
      - The starting position $x_0$ sits on the baseline like any word
      - math: v = v_0 + a t
cards:
  - front: The four equations of motion at constant acceleration $a$
    back: >-
      BACK
  - front: Short
    back: Words only, and one $E = mc^2$.
  - front: 'Too wide for any size: $HUGE$'
    back: Small.
""".replace("HUGE", " + ".join(f"\\frac{{a_{{{i}}}}}{{b_{{{i}}}}}" for i in range(40)))
EQUATIONS = (
    "$x = x_0 + v_0 t + \\frac{1}{2} a t^2$, $v^2 = v_0^2 + 2 a (x - x_0)$,"
    " $x - x_0 = \\frac{v_0 + v}{2} t$, $y = x\\tan\\theta - \\frac{g x^2}{2 v_0^2 \\cos^2\\theta}$,"
    " $R = \\frac{v_0^2 \\sin 2\\theta}{g}$, $T = \\frac{2 v_0 \\sin\\theta}{g}$"
    " and $H = \\frac{v_0^2 \\sin^2\\theta}{2g}$"
)
WIDE = f"{EQUATIONS}, {EQUATIONS}"  # too much for the card at its largest size
INLINE = ("x = \\frac{-b \\pm \\sqrt{b^2-4ac}}{2a}", "x_0", "a", "E = mc^2")
PAINT = ("chars", "curves", "rects", "lines")


def write_pack(folder: Path, back: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(PACK.replace("BACK", back), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("mathpdf")
    return build_or_fail(write_pack(tmp / "pack", WIDE), tmp / "out", only=("handout", "cards"))


def formula(latex: str):
    f = parse(latex, Span("test"), Report())
    assert f is not None
    return f


def math_objects(page) -> list[dict]:
    """What the page draws inside Formula marked content (pdfplumber reads the tags)."""
    return [o for kind in PAINT[1:] for o in getattr(page, kind) if o.get("tag") == "Formula"]


def ink_offset(latex: str, size: float) -> float:
    """How far the equation's ink reaches below its box's bottom (negative: stops above it), read
    by pdfplumber from the drawing alone on a page, as the tests read the outputs."""
    import io

    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canvas = Canvas(buf)
    renderPDF.draw(to_drawing(formula(latex), size), canvas, 100, 100)
    canvas.save()
    with pdfplumber.open(io.BytesIO(buf.getvalue())) as doc:
        page = doc.pages[0]
        return 100 - min(o["y0"] for kind in PAINT[1:] for o in getattr(page, kind))


def baseline(char: dict) -> float:
    return char["matrix"][5]


def text_lines(chars: list[dict]) -> list[tuple[float, list[dict]]]:
    """Chars grouped by baseline, top line first."""
    rows: dict[float, list[dict]] = {}
    for c in chars:
        rows.setdefault(round(baseline(c), 2), []).append(c)
    return sorted(rows.items(), reverse=True)


def handout_page(doc) -> pdfplumber.page.Page:
    return next(p for p in doc.pages if "quadratic" in (p.extract_text() or ""))


# -- handout -------------------------------------------------------------------------------------


def test_handout_equations_are_outlines_not_pictures(built):
    with pdfplumber.open(built["handout"]) as doc:
        assert all(not p.images for p in doc.pages)
        page = handout_page(doc)
        assert len(math_objects(page)) > 20  # the glyphs of four equations, as paths
        assert "\\frac" not in page.extract_text() and "$" not in page.extract_text()


def test_inline_equation_sits_on_the_baseline_at_its_typeset_depth(built):
    with pdfplumber.open(built["handout"]) as doc:
        page = handout_page(doc)
        line = next(
            row
            for _, row in text_lines(page.chars)
            if "starting" in "".join(c["text"] for c in row)
        )
        words = "".join(c["text"] for c in line)
        before = line[words.index("position") + len("position") - 1]
        after = line[words.index("sits")]
        size = before["size"]
        ink = [o for o in math_objects(page) if before["x1"] <= o["x0"] and o["x1"] <= after["x0"]
               and abs(o["y0"] - baseline(before)) < size]  # fmt: skip
        assert ink, "no outlines between 'position' and 'sits'"
        depth = to_drawing(formula("x_0"), size).box.depth
        # The box's bottom lies its depth below the baseline; the ink where the drawing puts it.
        expected = baseline(before) - depth - ink_offset("x_0", size)
        assert min(o["y0"] for o in ink) == pytest.approx(expected, abs=0.01)
        assert min(o["x0"] for o in ink) > before["x1"]


def test_text_after_an_equation_that_starts_a_line_stays_on_that_line(tmp_path):
    """reportlab can end a line with the equation's zero-width callback and start the next
    with the equation: the words after it are still set on the equation's line."""
    words = "Some words come first and more words follow them until the line is nearly full".split()
    points = "\n".join(
        f"      - {' '.join((words * 2)[:n])} $\\Delta = b^2 - 4ac$ decides how many real roots there are"
        for n in range(12, 26)
    )
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        f"title: Wraps\nlanguage: en\nsections:\n  - title: Lines\n    points:\n{points}\n", encoding="utf-8"
    )
    built = build_or_fail(pack, tmp_path / "out", only=("handout",))
    starts = 0
    with pdfplumber.open(built["handout"]) as doc:
        for page in doc.pages:
            assert not overlapping_chars(page), f"page {page.page_number}: text drawn over text"
            for _, row in text_lines(page.chars):
                text = "".join(c["text"] for c in sorted(row, key=lambda c: c["x0"]))
                starts += text.startswith("decides")  # the equation began this line
    assert starts, "no variant put the equation at the start of a line"


def test_a_tall_inline_equation_gets_room_and_plain_lines_keep_their_spacing(built):
    from studypack.render.handout_pdf import Styles

    pack, theme = load_with_theme(Path(built["handout"]).parent.parent.parent / "pack")
    leading = Styles(theme).summary.leading
    with pdfplumber.open(built["handout"]) as doc:
        page = handout_page(doc)
        lines = [
            (y, row)
            for y, row in text_lines(page.chars)
            if row[0]["size"] == Styles(theme).summary.fontSize
        ]
        start = next(
            i for i, (_, row) in enumerate(lines) if "Plain" in "".join(c["text"] for c in row)
        )
        (y1, l1), (y2, l2), (y3, l3), (y4, _) = lines[start : start + 4]
        assert "formula" in "".join(c["text"] for c in l2)  # the line with the fraction
        assert y1 - y2 > leading + 0.5 and y2 - y3 > leading + 0.5  # room above and below it
        assert y3 - y4 == pytest.approx(leading, abs=0.01)  # plain lines as before
        fraction = [o for o in math_objects(page) if y3 < o["y0"] < y1]
        ink_top = max(o["y1"] for o in fraction)
        ink_bottom = min(o["y0"] for o in fraction)
        assert ink_top < min(c["y0"] for c in l1)  # clear of the descenders above
        assert ink_bottom > max(c["y1"] for c in l3)  # and of the line below


def structure(pdf: pikepdf.Pdf):
    def walk(node):
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield kid
                yield from walk(kid)

    return list(walk(pdf.Root.StructTreeRoot))


@pytest.mark.parametrize("output", ["handout", "cards"])
def test_every_equation_is_a_formula_element_with_alternate_text(built, output):
    from pdfua import validate

    with pikepdf.open(built[output]) as pdf:
        elements = structure(pdf)
        formulas = [e for e in elements if e.S == pikepdf.Name.Formula]
        sources = [str(f.ActualText) for f in formulas]
        for f in formulas:  # spoken for a screen reader, the LaTeX for copying and search
            assert str(f.Alt) == spoken(formula(str(f.ActualText)))
        if output == "handout":
            assert sources[:3] == [INLINE[0], INLINE[1], "v = v_0 + a t"]
            # An inline equation is read between the words around it.
            summary = formulas[0].P
            order = ["text" if isinstance(k, int) else str(k.S) for k in summary.K]
            assert order == ["text", "/Formula", "text"]
        else:
            assert (
                INLINE[2] in sources
                and INLINE[3] in sources
                and "v^2 = v_0^2 + 2 a (x - x_0)" in sources
            )
            assert all(str(f.P.S) == "/P" for f in formulas)
    report = validate(str(built[output]))
    assert [f"{f.rule_id} {f.message}" for f in report.findings] == []


# -- flashcards ----------------------------------------------------------------------------------


def card_plan(folder: Path):
    from studypack.render.cards_pdf import plan

    pack, theme = load_with_theme(folder)
    return plan(pack, theme, Report())


def back_size(flashcards) -> float:
    side = next(
        s
        for sheet in flashcards.sheets.sheets
        for s in sheet.sides
        if (s.card, s.side) == (1, "back")
    )
    return side.lines[0].size


def test_wide_equations_make_a_card_smaller_than_the_same_words_without_them(tmp_path):
    with_math = back_size(card_plan(write_pack(tmp_path / "math", WIDE)))
    plain = WIDE
    for piece in plain.split("$")[1::2]:
        plain = plain.replace(f"${piece}$", "x")
    without = back_size(card_plan(write_pack(tmp_path / "plain", plain)))
    assert with_math < without


def test_nothing_on_a_card_crosses_its_frame(built):
    flashcards = card_plan(Path(built["cards"]).parent.parent.parent / "pack")
    with pdfplumber.open(built["cards"]) as doc:
        for page, sheet in zip(doc.pages, flashcards.sheets.sheets, strict=True):
            frames = [side.frame for side in sheet.sides]
            for kind in ("chars", "curves"):
                for o in getattr(page, kind):
                    assert any(
                        f.x - 0.5 <= o["x0"]
                        and o["x1"] <= f.x + f.w + 0.5
                        and f.y - 0.5 <= o["y0"]
                        and o["y1"] <= f.y + f.h + 0.5
                        for f in frames
                    ), (
                        f"{kind[:-1]} {o.get('text', '')!r} at {o['x0']:.1f},{o['y0']:.1f} outside every card"
                    )
            if sheet.kind == "back":
                assert len(math_objects(page)) > 30  # the four equations of card 1, in outlines
    # The equation wider than the card even at the floor size is drawn smaller, not cut.
    assert any(
        line.scale < 1
        for sheet in flashcards.sheets.sheets
        for side in sheet.sides
        for line in side.lines
    )


def test_card_equation_sits_on_the_line_baseline(built):
    flashcards = card_plan(Path(built["cards"]).parent.parent.parent / "pack")
    index, side = next((i, s) for i, sheet in enumerate(flashcards.sheets.sheets) for s in sheet.sides
                       if (s.card, s.side) == (2, "back"))  # fmt: skip
    line = side.lines[0]
    depth = to_drawing(formula("E = mc^2"), line.size).box.depth
    with pdfplumber.open(built["cards"]) as doc:
        page = doc.pages[index]
        ink = [o for o in math_objects(page) if side.frame.x <= o["x0"] <= side.frame.x + side.frame.w
               and side.frame.y <= o["y0"] <= side.frame.y + side.frame.h]  # fmt: skip
        words = [
            c
            for c in page.chars
            if c["text"] == "W" and side.frame.x <= c["x0"] <= side.frame.x + side.frame.w
        ]
    assert words and baseline(words[0]) == pytest.approx(line.baseline, abs=0.01)
    expected = line.baseline - depth - ink_offset("E = mc^2", line.size)
    assert min(o["y0"] for o in ink) == pytest.approx(expected, abs=0.01)


def test_a_card_face_that_is_one_equation_is_set_in_display_style(tmp_path):
    """Limits above and below a sum, full-size fractions: a face that is only an equation is a
    display equation; the same equation among words stays in text style."""
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        "title: Sums\nlanguage: en\nsections:\n  - title: One\n    points: [A point]\ncards:\n"
        "  - front: '$\\sum_{k=1}^{n} k$'\n    back: 'the sum $\\sum_{k=1}^{n} k$ of the first n whole numbers'\n",
        encoding="utf-8",
    )
    built = build_or_fail(pack, tmp_path / "out", only=("cards",))
    shapes = []
    with pdfplumber.open(built["cards"]) as doc:
        for page in doc.pages[:2]:  # fronts, then backs
            ink = math_objects(page)
            assert ink, f"page {page.page_number}: no equation"
            x0, x1 = min(o["x0"] for o in ink), max(o["x1"] for o in ink)
            y0, y1 = min(o["top"] for o in ink), max(o["bottom"] for o in ink)
            shapes.append((y1 - y0) / (x1 - x0))
    front, back = shapes
    assert front > 1.0  # n above, k = 1 below the sign: taller than wide
    assert back < 0.8  # limits beside the sign, in the line of text


# -- speed ---------------------------------------------------------------------------------------


def test_a_pack_without_math_loads_no_math_library(tmp_path):
    code = (
        "import sys; from pathlib import Path; from studypack.build import BuildOptions, build_pack; "
        "build_pack(Path(sys.argv[1]), BuildOptions(out=Path(sys.argv[2]), only=('handout', 'cards')), 1); "
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('latex2mathml', 'ziamath', 'svglib', 'resvg_py')]; assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code, str(SAMPLE), str(tmp_path)], check=True)
    assert list(tmp_path.rglob("handout.pdf")) and list(tmp_path.rglob("flashcards.pdf"))
