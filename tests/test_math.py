"""The math engine: `$…$` splitting, LaTeX checks, alt text, OMML, typesetting, deck fallback."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from helpers import require_tool
from studypack.errors import Report, Span
from studypack.math import InlineMath, split_inline

M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"

# A physics/maths pack's worth: fractions, roots, sums with limits, matrices, integrals, Greek,
# accents, sub/superscripts, \text{}, aligned equations.
EQUATIONS = [
    r"\frac{-b \pm \sqrt{b^2-4ac}}{2a}",
    r"E = mc^2",
    r"\sum_{i=1}^{n} i^2 = \frac{n(n+1)(2n+1)}{6}",
    r"\int_0^\infty e^{-x^2}\,dx = \frac{\sqrt{\pi}}{2}",
    r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}^{-1} = \frac{1}{ad-bc}\begin{pmatrix} d & -b \\ -c & a \end{pmatrix}",
    r"\vec{F} = m\vec{a}",
    r"\hat{H}\psi = E\psi",
    r"\nabla \cdot \vec{E} = \frac{\rho}{\varepsilon_0}",
    r"\oint_C \vec{B} \cdot d\vec{l} = \mu_0 I",
    r"\lim_{x \to 0} \frac{\sin x}{x} = 1",
    r"\sqrt[3]{27} = 3",
    r"\alpha + \beta + \gamma = \pi",
    r"\Delta x \, \Delta p \geq \frac{\hbar}{2}",
    r"\begin{aligned} f(x) &= (x+1)^2 \\ &= x^2 + 2x + 1 \end{aligned}",
    r"x_{n+1} = x_n - \frac{f(x_n)}{f'(x_n)}",
    r"\prod_{k=1}^{n} k = n!",
    r"\bar{x} = \frac{1}{n}\sum_{i=1}^{n} x_i",
    r"\dot{x} = v, \quad \ddot{x} = a",
    r"\tilde{f}(\omega) = \int_{-\infty}^{\infty} f(t) e^{-i\omega t}\,dt",
    r"|x| = \begin{cases} x & \text{if } x \geq 0 \\ -x & \text{otherwise} \end{cases}",
    r"\binom{n}{k} = \frac{n!}{k!(n-k)!}",
    r"e^{i\pi} + 1 = 0",
    r"\frac{d}{dx}\left(\frac{1}{x}\right) = -\frac{1}{x^2}",
    r"\frac{\partial^2 u}{\partial t^2} = c^2 \frac{\partial^2 u}{\partial x^2}",
    r"\det\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} = -2",
    r"\text{speed} = \frac{\text{distance}}{\text{time}}",
    r"PV = nRT",
    r"F = G\frac{m_1 m_2}{r^2}",
    r"\Omega = 2\pi f",
    r"\sigma = \sqrt{\frac{1}{N}\sum_{i=1}^{N}(x_i - \mu)^2}",
    r"\overline{AB} \parallel \overline{CD}",
    r"\int_a^b f'(x)\,dx = f(b) - f(a)",
    r"\log_2 8 = 3",
    r"\sin^2\theta + \cos^2\theta = 1",
    r"a^2 + b^2 = c^2",
    r"\lambda = \frac{h}{p}",
    r"\iint_S \vec{F}\cdot d\vec{S}",
    r"\mathbf{v} = \begin{pmatrix} v_x \\ v_y \\ v_z \end{pmatrix}",
    r"T = 2\pi\sqrt{\frac{L}{g}}",
    r"\underbrace{1 + 1 + \cdots + 1}_{n} = n",
]


def parse_ok(latex: str):
    from studypack.math import parse

    report = Report()
    formula = parse(latex, Span("pack.yaml", 4, 11), report)
    assert formula is not None, [str(d) for d in report.diagnostics]
    return formula


def test_forty_equations():
    assert len(EQUATIONS) == 40


# -- $…$ in inline text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, pieces",
    [
        ("$5 and $10", ["$5 and $10"]),
        ("area $\\pi r^2$ m", ["area ", InlineMath("\\pi r^2", 5), " m"]),
        ("cost \\$5, $x$", ["cost \\$5, ", InlineMath("x", 10)]),  # parse_inline reads \$
        ("`$HOME` or $x$", ["`$HOME` or ", InlineMath("x", 11)]),  # a code span holds no math
        ("``a`$b$`` $c$", ["``a`$b$`` ", InlineMath("c", 10)]),
        ("`open $x$", ["`open ", InlineMath("x", 6)]),  # an unclosed backtick is text
        ("$x$5", ["$x$5"]),
        ("$ x$ and $x $", ["$ x$ and $x $"]),
        ("$\\text{a $ b}$", [InlineMath("\\text{a $ b}", 0)]),
        ("$a\\$b$", [InlineMath("a\\$b", 0)]),
        ("$$", ["$$"]),
        ("", []),
        ("no math", ["no math"]),
    ],
)
def test_split_inline_examples(text, pieces):
    assert split_inline(text) == pieces


_plain = st.text(st.characters(blacklist_characters="$\\`", blacklist_categories=("Cs",)))
_math = st.text(
    st.characters(blacklist_characters="$\\", blacklist_categories=("Cs",)), min_size=1
).filter(lambda s: not s[0].isspace() and not s[-1].isspace() and "\n\n" not in s)


@given(_plain)
def test_text_without_dollars_is_one_piece(text):
    assert split_inline(text) == ([text] if text else [])


@given(_plain, _math, _plain.filter(lambda s: not s[:1].isdigit()))
def test_math_between_text_is_found(before, math, after):
    pieces = split_inline(f"{before}${math}${after}")
    assert pieces == [p for p in (before, InlineMath(math, len(before)), after) if p]


@given(
    st.lists(st.one_of(_plain, st.just("$"), st.just("\\$"), st.integers(0, 99).map(str))).map(
        "".join
    )
)
def test_split_round_trips(text):
    pieces = split_inline(text)
    # Math sits between its dollars in the source.
    for p in pieces:
        if isinstance(p, InlineMath):
            assert text[p.offset : p.offset + len(p.latex) + 2] == f"${p.latex}$"
            assert p.latex and not p.latex[0].isspace() and not p.latex[-1].isspace()
    # Text pieces are the source as typed (`\\$` included): the pieces put back are the text.
    assert "".join(p if isinstance(p, str) else f"${p.latex}$" for p in pieces) == text


@given(st.integers(0, 10**6), st.integers(0, 10**6), _plain.filter(lambda s: "$" not in s))
def test_money_stays_text(a, b, middle):
    text = f"${a}{middle} ${b}"
    assert all(isinstance(p, str) for p in split_inline(text))


# -- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "latex, message, col",
    [
        ("\\fracc{a}{b}", "math: unknown command '\\fracc' (did you mean '\\frac'?)", 11),
        ("x + \\foo", "math: unknown command '\\foo'", 15),
        ("\\frac{a}{", "math: '{' without its '}'", 19),
        ("a}", "math: '}' without its '{'", 12),
        ("x^", "math: '^' or '_' without what it raises or lowers", 11),
        (
            "\\begin{matrx}a\\end{matrx}",
            "math: unknown environment 'matrx' (did you mean 'matrix'?)",
            11,
        ),
        ("  ", "math: empty formula", 11),
        ("\\quad", "math: nothing to draw (only spaces, phantoms or empty groups)", 11),  # was an internal error
        ("\\, \\text{ }", "math: nothing to draw (only spaces, phantoms or empty groups)", 11),
        ("\\phantom{x}", "math: nothing to draw (only spaces, phantoms or empty groups)", 11),
    ],
)
def test_bad_latex_is_a_located_error(latex, message, col):
    from studypack.math import parse

    report = Report()
    assert parse(latex, Span("pack.yaml", 4, 11), report) is None
    assert [str(d) for d in report.diagnostics] == [f"pack.yaml:4:{col}: error: {message}"]


_PIECES = [
    r"\det", r"\arg", r"\max", r"\sup_{x}", r"\liminf", r"\bmod", r"\times", r"\cdot", r"\setminus", r"\infty",
    r"\nabla", r"\partial", r"\cdots", "-", "+", "=", "x", "A", r"\frac{a}{b}", r"\xrightarrow{k}", r"\overset{!}{=}",
    r"\phantom{x}", r"\quad", r"\,", r"\text{ hi }", r"\left( x \right)", r"\xleftarrow[b]{}", r"\sum_{i=1}^{n}",
    r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", r"\sqrt{x}", r"x^{2}", r"\vec{v}", r"\boxed{x}", "{}",
    r"\left. x \right|_{0}", r"\begin{matrix} & \\ & \end{matrix}", r"\underbrace{x}_{k}", r"\binom{n}{k}", "(", ")",
]  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=7))
def test_latex_that_parses_is_typeset_and_converted_without_a_crash(pieces):
    """Any mix of the constructs either is a located error or is measured, drawn, converted to
    OMML and read aloud: a formula of only spacing once stopped the build (exit 70)."""
    from studypack.math import measure, parse, to_omml
    from studypack.math.speech import spoken
    from studypack.math.typeset import picture_item

    latex = " ".join(pieces)
    report = Report()
    formula = parse(latex, Span("pack.yaml", 1, 1), report, display=True)
    if formula is None:
        assert [d.severity for d in report.diagnostics] == ["error"]
        return
    for display in (False, True):
        box = measure(formula, 20, display=display)
        assert box.height + box.depth > 0 and box.width > 0
        picture_item(formula, 20, "#000000", display, 0.0, box.height)
        to_omml(formula, display)
    spoken(formula)


def test_every_known_command_is_in_the_table():
    from studypack.math import known_commands

    for name in (
        "\\frac",
        "\\alpha",
        "\\sum",
        "\\int",
        "\\text",
        "\\vec",
        "\\left",
        "\\sin",
        "\\cdot",
    ):
        assert name in known_commands()


# -- alt text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "latex, said",
    [
        ("\\frac{a}{b}", "fraction a over b, end fraction"),
        ("x^2", "x squared"),
        ("\\sum_{i=1}^{n} i^2", "sum from i equals 1 to n of i squared"),
        ("\\sqrt{x}", "square root of x, end root"),
        ("\\alpha \\Omega", "alpha capital omega"),
        ("\\vec{v}", "v vector"),
        ("\\text{if } x>0", "if x is greater than 0"),
    ],
)
def test_spoken(latex, said):
    from studypack.math import spoken

    assert spoken(parse_ok(latex)) == said


# -- OMML ----------------------------------------------------------------------------------


def omml(latex: str, display: bool = True) -> etree._Element:
    from studypack.math import RunStyle, to_omml

    return etree.fromstring(to_omml(parse_ok(latex), display, RunStyle(size_pt=24)))


@pytest.mark.parametrize("latex", EQUATIONS)
def test_omml_is_office_math(latex):
    for display in (False, True):
        root = omml(latex, display)
        assert etree.QName(root) == etree.QName(M, "oMathPara" if display else "oMath")
        for el in root.iter():
            assert etree.QName(el).namespace in (M, A), el.tag
        text = "".join(t.text or "" for t in root.iter(f"{{{M}}}t"))
        assert text.strip(), latex


@pytest.mark.parametrize(
    "latex, structure",
    [
        ("\\frac{a}{b}", "f"),
        ("\\sqrt[3]{x}", "rad"),
        ("\\sum_{i=1}^{n} i", "nary"),
        ("\\int_0^1 x\\,dx", "nary"),
        ("\\begin{pmatrix}a&b\\\\c&d\\end{pmatrix}", "m"),
        ("\\left(x\\right)", "d"),
        ("\\hat{x}", "acc"),
        ("x_i^2", "sSubSup"),
        ("\\begin{aligned}a&=b\\\\c&=d\\end{aligned}", "eqArr"),
        ("\\lim_{x\\to 0} x", "limLow"),
        ("\\overline{AB}", "bar"),
    ],
)
def test_omml_structures(latex, structure):
    assert omml(latex).find(f".//{{{M}}}{structure}") is not None


def test_omml_runs_are_as_powerpoint_writes_them():
    root = omml("\\sin x + \\text{ok}")
    runs = root.findall(f".//{{{M}}}r")
    assert [r.findtext(f"{{{M}}}t") for r in runs] == ["sin", "𝑥", "+", "ok"]
    assert runs[0].find(f"{{{M}}}rPr/{{{M}}}sty").get(f"{{{M}}}val") == "p"
    assert runs[3].find(f"{{{M}}}rPr/{{{M}}}nor") is not None
    latin = runs[1].find(f"{{{A}}}rPr/{{{A}}}latin")
    assert latin.get("typeface") == "Cambria Math"
    assert runs[1].find(f"{{{A}}}rPr").get("sz") == "2400"
    nary = omml("\\sum_{i=1}^{n} i^2 = n").find(f".//{{{M}}}nary")
    assert nary.find(f"{{{M}}}naryPr/{{{M}}}chr").get(f"{{{M}}}val") == "∑"
    assert "".join(nary.find(f"{{{M}}}e").itertext()) == "𝑖2"  # the operand stops at '='


# -- typesetting ---------------------------------------------------------------------------


def test_measure_is_the_typeset_box():
    from studypack.math import measure

    x = measure(parse_ok("x"), 12)
    assert 5 < x.width < 8 and 4 < x.height < 7 and x.depth < 0.5
    frac = parse_ok("\\frac{a}{b}")
    small, big = measure(frac, 10), measure(frac, 20)
    assert big.width == pytest.approx(2 * small.width, rel=0.05)
    assert small.depth > 2  # the denominator hangs below the baseline
    inline, display = (
        measure(parse_ok("\\sum_{i=1}^n i"), 12),
        measure(parse_ok("\\sum_{i=1}^n i"), 12, True),
    )
    assert display.height + display.depth > inline.height + inline.depth


def test_drawing_is_vector_and_sized_by_its_box(tmp_path):
    from reportlab.graphics.shapes import Image, Path
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    from studypack.math import DisplayMath, to_drawing

    drawing = to_drawing(parse_ok(EQUATIONS[0]), 14, "#1F3A5F", display=True)
    assert drawing.width == pytest.approx(drawing.box.width)
    assert drawing.height == pytest.approx(drawing.box.height + drawing.box.depth)
    shapes = list(_walk(drawing))
    assert any(isinstance(s, Path) for s in shapes) and not any(
        isinstance(s, Image) for s in shapes
    )
    x0, y0, x1, y1 = drawing.getBounds()
    assert x0 >= -0.5 and y0 >= -0.5 and x1 <= drawing.width + 0.5 and y1 <= drawing.height + 0.5
    pdf = tmp_path / "eq.pdf"
    SimpleDocTemplate(str(pdf), pagesize=A4).build([DisplayMath(drawing)])
    assert b"/Subtype /Image" not in pdf.read_bytes()


def _walk(node):
    yield node
    for child in getattr(node, "contents", []):
        yield from _walk(child)


def test_png_has_the_box_size():
    from PIL import Image

    from studypack.math import measure, to_png

    formula = parse_ok(EQUATIONS[2])
    box = measure(formula, 20, display=True)
    image = Image.open(io.BytesIO(to_png(formula, 20, display=True, dpi=144))).convert("RGBA")
    assert image.size[0] == pytest.approx(box.width * 2, abs=2)
    assert image.size[1] == pytest.approx((box.height + box.depth) * 2, abs=2)
    assert image.getextrema()[3][1] == 255  # it has ink


def test_parse_measure_draw_forty_equations_is_quick():
    from studypack.math import measure, parse, to_drawing

    start = time.perf_counter()
    for latex in EQUATIONS:
        formula = parse(latex + " ", Span("t"), Report())  # a space: no cache from other tests
        measure(formula, 11.5)
        to_drawing(formula, 11.5)
    elapsed = time.perf_counter() - start
    print(f"\nparse+measure+draw of {len(EQUATIONS)} equations: {elapsed:.2f} s")
    assert elapsed < 8


def test_math_libraries_load_only_with_math():
    code = (
        "import sys, studypack.build, studypack.math; "
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('latex2mathml', 'ziamath', 'svglib', 'resvg_py', 'aggdraw')]; print(heavy); assert not heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- the deck: PowerPoint's form, LibreOffice's picture --------------------------------------


@pytest.mark.render
def test_libreoffice_draws_the_fallback_picture_in_the_box(tmp_path: Path):
    soffice = require_tool("soffice")
    import pdfplumber
    from pptx import Presentation

    from studypack.math import RunStyle, alternate_content, equation_shape, measure, to_png

    formula = parse_ok(EQUATIONS[0])
    box = measure(formula, 28, display=True)
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _, rid = slide.part.get_or_add_image_part(io.BytesIO(to_png(formula, 28, display=True)))
    x, y, cx, cy = 72, 100, box.width, box.height + box.depth
    emu = tuple(round(v * 12700) for v in (x, y, cx, cy))
    sp = equation_shape(formula, 10, "Equation 1", emu, RunStyle(size_pt=28), descr=formula.latex)
    slide.shapes._spTree.append(sp)
    alternate_content(sp, rid)
    deck = tmp_path / "deck.pptx"
    prs.save(deck)

    xml = etree.fromstring(Presentation(deck).slides[0].shapes._spTree.xml.encode())
    ns = {"mc": "http://schemas.openxmlformats.org/markup-compatibility/2006", "m": M}
    assert xml.find(".//mc:AlternateContent/mc:Choice//m:oMathPara/m:oMath", ns) is not None
    assert xml.find(".//mc:AlternateContent/mc:Fallback//{*}blip", ns) is not None

    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with pdfplumber.open(tmp_path / "deck.pdf") as pdf:
        page = pdf.pages[0]
        (image,) = page.images
        assert image["x0"] == pytest.approx(x, abs=1) and image["top"] == pytest.approx(y, abs=1)
        assert image["x1"] == pytest.approx(x + cx, abs=1)
        assert image["bottom"] == pytest.approx(y + cy, abs=1)
        assert not [c for c in page.chars if unicodedata.category(c["text"])[0] != "Z"]


def test_a_text_that_is_one_equation_and_nothing_else():
    from studypack.math import lone_equation

    assert lone_equation(" $x^2$ ").latex == "x^2"
    assert lone_equation("$x$ and $y$") is None
    assert lone_equation("so $x$") is None
    assert lone_equation("`$x$`") is None  # a code span holds no math
    assert lone_equation("$5") is None and lone_equation("") is None


@pytest.mark.parametrize(
    "latex, tight, gap",
    [
        (r"\det A", r"\mathrm{det}A", True),  # latex2mathml's \det, \arg, \sup, … had no space
        (r"\arg x + \Pr X + \gcd n", r"\mathrm{arg}x + \mathrm{Pr}X + \mathrm{gcd}n", True),
        (r"\sup_{x \in S} f(x)", r"\mathrm{sup}_{x \in S} f(x)", True),  # after the script
        (r"\liminf_{n} a_n", r"\mathrm{lim\,inf}_{n} a_n", True),
        (r"\det(A) + \max(a, b)", r"\mathrm{det}(A) + \mathrm{max}(a, b)", False),  # none before a bracket
        (r"a \bmod b", r"a\mathrm{mod}b", True),  # a binary sign, spaced both sides
    ],
)
def test_an_operator_name_is_set_off_from_what_it_applies_to(latex, tight, gap):
    """As TeX sets them: a thin space between an operator name and its argument (`det A`,
    `sup_S f`), none before a bracket (`det(A)`, `max(a, b)`)."""
    from studypack.math import measure, parse

    def width(source: str) -> float:
        formula = parse(source, Span("pack.yaml", 1, 1), Report())
        assert formula is not None
        return measure(formula, 20).width / 20  # in em

    extra = width(latex) - width(tight)
    assert (extra > 0.12) if gap else abs(extra) < 0.02, extra


@pytest.mark.parametrize("latex", [r"\xrightarrow{\text{heat and light}}", r"\xleftarrow[\text{below, longer}]{f}"])
def test_an_extensible_arrow_is_as_wide_as_its_labels(latex):
    """`\\xrightarrow{heat}`: the arrow spans its label, as TeX's does (ziamath left it one
    character wide): the ink of the arrow's rows covers the picture's width."""
    from PIL import Image

    from studypack.math import parse, to_png

    formula = parse(latex, Span("pack.yaml", 1, 1), Report())
    assert formula is not None
    alpha = Image.open(io.BytesIO(to_png(formula, 20, display=True, dpi=144))).convert("RGBA").getchannel("A")
    width, height = alpha.size
    longest = 0  # the longest unbroken run of ink in a row: the arrow's shaft (text has gaps)
    for y in range(height):
        run = 0
        for x in range(width):
            run = run + 1 if alpha.getpixel((x, y)) > 128 else 0
            longest = max(longest, run)
    assert longest > 0.8 * width  # across the picture (an arrow one glyph wide: a fifth)


@pytest.mark.parametrize(
    "labelled, plain",
    [(r"a \overset{.}{=} b", "a = b"), (r"a \stackrel{.}{=} b", "a = b"), (r"a \underset{.}{\leq} b", r"a \leq b")],
)
def test_a_labelled_relation_keeps_the_spacing_of_a_relation(labelled, plain):
    """`\\overset{!}{=}`, `\\stackrel{def}{=}`: spaced as the relation is (amsmath keeps its
    class), not set tight as a symbol: as wide as `a = b` where the label is narrower."""
    from studypack.math import measure, parse

    def width(source: str) -> float:
        formula = parse(source, Span("pack.yaml", 1, 1), Report())
        assert formula is not None
        return measure(formula, 20).width / 20

    assert width(labelled) == pytest.approx(width(plain), abs=0.05)


@pytest.mark.parametrize(
    "latex, tight",
    [(r"b \times c", r"b{\times}c"), (r"a \cdot b", r"a{\cdot}b"), (r"\nabla \cdot E", r"\nabla{\cdot}E")],
)
def test_binary_signs_have_the_medium_spaces_of_plus(latex, tight):
    """`\\times`, `\\cdot`: a medium space each side, as TeX sets a binary sign (the MathML
    dictionary ziamath reads gives them a sliver); `\\setminus`, an identifier to latex2mathml,
    is made one of them."""
    from studypack.math import measure, parse

    def width(source: str) -> float:
        formula = parse(source, Span("pack.yaml", 1, 1), Report())
        assert formula is not None
        return measure(formula, 20).width / 20

    assert width(latex) - width(tight) > 0.35  # two medium spaces: 0.44 em
    setminus = parse(r"A \setminus B", Span("pack.yaml", 1, 1), Report())
    assert setminus is not None and '<mo lspace="0.2222em" rspace="0.2222em">⧵</mo>' in setminus.mathml


@pytest.mark.parametrize("latex", [r"\infty - 1", r"a_1 + \cdots + a_n", r"\nabla - x"])
def test_a_sign_after_a_symbol_is_binary(latex):
    """After `\\infty`, `\\cdots` or `\\nabla` (symbols, though latex2mathml writes them as
    operators) a sign is binary, spaced both sides, not a unary sign glued to what follows."""
    from studypack.math import parse

    formula = parse(latex, Span("pack.yaml", 1, 1), Report())
    assert formula is not None and 'form="prefix"' not in formula.mathml


def test_a_boxed_equation_keeps_its_content_off_the_rule():
    """`\\boxed{}`: a quarter em between the box's sides and what it holds (ziamath drew the rule
    against the letters); a boxed fraction still sits inside its box."""
    from studypack.math import measure, parse

    def box(source: str):
        formula = parse(source, Span("pack.yaml", 1, 1), Report())
        assert formula is not None
        return measure(formula, 20)

    plain, boxed = box(r"E = mc^2"), box(r"\boxed{E = mc^2}")
    assert boxed.width - plain.width > 0.5 * 20  # two quarter ems and the rules
    fraction, boxed_fraction = box(r"\frac{x}{2}"), box(r"\boxed{\frac{x}{2}}")
    assert boxed_fraction.height >= fraction.height and boxed_fraction.depth >= fraction.depth


def test_an_extensible_arrow_is_a_group_character_in_powerpoint():
    """In OMML the labelled arrow is PowerPoint's own stretching structure (m:groupChr: the
    arrow under its label, on the baseline), not a one-character arrow with a limit above."""
    from lxml import etree

    from studypack.math import parse, to_omml

    ns = {"m": "http://schemas.openxmlformats.org/officeDocument/2006/math"}
    for latex, below in ((r"A \xrightarrow{\text{heat}} B", None), (r"x \xleftarrow[n]{\text{heat}} y", "n")):
        formula = parse(latex, Span("pack.yaml", 1, 1), Report())
        assert formula is not None
        root = etree.fromstring(to_omml(formula, True))
        (group,) = root.findall(".//m:groupChr", ns)
        props = {etree.QName(p).localname: p.get(f"{{{ns['m']}}}val") for p in group.find("m:groupChrPr", ns)}
        assert props["chr"] in "→←" and props["pos"] == "bot" and props["vertJc"] == "bot"
        assert "".join(group.find("m:e", ns).itertext()) == "heat"
        assert not root.findall(".//m:limUpp", ns)
        if below:
            assert "".join(root.find(".//m:limLow/m:lim", ns).itertext()) == "𝑛"


def test_amsmath_operator_names_latex2mathml_lacks_are_known():
    from studypack.math import RunStyle, measure, parse, to_omml

    report = Report()
    formula = parse(r"\underset{z}{\arg\max} f(z) + \arg(z)", Span("pack.yaml", 3, 5), report)
    assert formula is not None and not report.diagnostics
    assert re.search(r"<mo[^>]*>arg</mo>", formula.mathml)  # upright, an operator
    assert measure(formula, 20, display=True).width > 0
    assert "arg" in to_omml(formula, True, RunStyle())
