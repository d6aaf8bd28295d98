"""The 40-equation pack (benchmarks/math-40) in every output, the math engine's typography and
alt text on its equations, and a pack without math loading none of the math libraries."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from lxml import etree

import studypack
from helpers import OOXML_NS, REPO, SAMPLE, glyphs_outside, overlapping_chars, pdf_from_pptx
from studypack.errors import Report, Span
from studypack.load import load_pack
from studypack.math import parse, split_inline, spoken
from studypack.math.inline import InlineMath
from studypack.model import Math, Pack, Point, Table

PACK = REPO / "benchmarks" / "math-40"
EQUATIONS = 40
NS = OOXML_NS
A14 = "http://schemas.microsoft.com/office/drawing/2010/main"
MATHML = "{http://www.w3.org/1998/Math/MathML}"
HEAVY = ("latex2mathml", "ziamath", "svglib", "resvg_py", "aggdraw")


def studypack_env() -> dict[str, str]:
    """The environment a child process needs to run this checkout's studypack."""
    src = str(Path(studypack.__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}


def loaded() -> Pack:
    report = Report()
    pack = load_pack(PACK, report)
    assert pack is not None and not report.diagnostics, [str(d) for d in report.diagnostics]
    return pack


def display_math(pack: Pack) -> list[Math]:
    return [p for _, s in pack.all_sections() for p in s.points if isinstance(p, Math)]


def handout_inline_texts(pack: Pack) -> list[str]:
    """Every text the handout sets inline: overview, summaries, points, table cells, glossary."""

    def points(items) -> list[str]:
        out: list[str] = []
        for item in items:
            if isinstance(item, Point):
                out += [item.text, *points(item.children)]
            elif isinstance(item, Table):
                out += [*item.header, *(c for row in item.rows for c in row), item.caption or ""]
        return out

    texts = [pack.overview or ""]
    for _, section in pack.all_sections():
        texts += [section.summary or "", *points(section.points)]
    return texts + [t.definition for t in pack.glossary]


# -- the pack itself (fast) --------------------------------------------------------------------


def test_the_pack_has_forty_display_equations_of_every_kind() -> None:
    pack = loaded()
    equations = display_math(pack)
    assert len(equations) == EQUATIONS
    source = "\n".join(m.latex for m in equations)
    for kind in (r"\frac", r"\sqrt{", r"\sqrt[", r"\sum_{", r"\prod_{", r"\lim_{", r"\int_",
                 r"\iint", r"\oint", r"\begin{pmatrix}", r"\begin{bmatrix}", r"\begin{vmatrix}",
                 r"\begin{aligned}", r"\text{", r"\vec{", r"\hat{", r"\bar{", r"\dot{", r"\ddot{",
                 r"\left(", r"\omega", r"\theta", r"\Omega", "_{", "^{"):  # fmt: skip
        assert kind in source, kind
    with_alt = [m for m in equations if m.alt]
    assert 0 < len(with_alt) < EQUATIONS  # blocks with and without alt:
    inline = [t for _, t in pack.texts() if any(isinstance(p, InlineMath) for p in split_inline(t))]
    assert len(inline) > 40
    for _, text in pack.texts():  # every inline equation parses
        for piece in split_inline(text):
            if isinstance(piece, InlineMath):
                assert parse(piece.latex, Span("t"), Report()) is not None, piece.latex


def math_ml(latex: str, display: bool = False) -> etree._Element:
    formula = parse(latex, Span("t"), Report())
    assert formula is not None
    return formula.tree(display)


def test_a_sign_that_starts_a_term_is_unary() -> None:
    def forms(latex: str) -> list[str | None]:
        return [mo.get("form") for mo in math_ml(latex).iter(f"{MATHML}mo") if mo.text in "−+±"]

    assert forms(r"x = -\frac{b}{a}") == ["prefix"]
    assert forms(r"(-1)^k") == ["prefix"]
    assert forms(r"\sum_k -a_k") == ["prefix"]
    assert forms(r"a - b") == [None]  # binary: the typesetter spaces it
    assert forms(r"(a) - b") == [None]
    assert forms(r"n! - 1") == [None]


def test_hat_is_the_circumflex_accent_and_a_one_letter_mathrm_stays_upright() -> None:
    hat = math_ml(r"\hat{H}").find(f".//{MATHML}mover")
    assert hat is not None and hat[1].text == "\u02c6"
    unit = [mi for mi in math_ml(r"4.9\ \mathrm{m}").iter(f"{MATHML}mi") if mi.text == "m"]
    assert [mi.get("mathvariant") for mi in unit] == ["normal"]
    factorial = next(mo for mo in math_ml("n!").iter(f"{MATHML}mo") if mo.text == "!")
    assert factorial.get("lspace") == "0em"


@pytest.mark.parametrize(
    "latex, said",
    [
        (r"\binom{n}{k}", "n choose k"),
        (r"f'(x)", "f prime open paren x close paren"),
        (r"\lim_{h \to 0} f", "limit as h tends to 0 of f"),
        (r"\sqrt[4]{16}", "fourth root of 16, end root"),
        (r"\lambda", "lambda"),
        (r"\vec{a} \cdot \vec{b}", "a vector dot b vector"),
        (r"\hat{H}\psi", "H hat psi"),
        (r"\langle E \rangle", "open angle bracket E close angle bracket"),
    ],
)
def test_spoken_alt_text(latex: str, said: str) -> None:
    formula = parse(latex, Span("t"), Report())
    assert formula is not None
    assert spoken(formula) == said


def test_the_readme_math_example_loads_clean_and_its_generated_alt_is_as_quoted(
    tmp_path: Path,
) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = re.search(r"### Math\n.*?```yaml\n(.*?)```", readme, re.S)
    assert example is not None
    points = "\n".join("    " + line for line in example.group(1).splitlines())
    (tmp_path / "pack.yaml").write_text(f"title: T\nsections:\n  - title: S\n{points}\n", "utf-8")
    report = Report()
    pack = load_pack(tmp_path, report)
    assert pack is not None and report.diagnostics == []
    first, second = display_math(pack)
    assert second.alt and not first.alt
    said = spoken(parse(second.latex, second.span, Report()))  # type: ignore[arg-type]
    quoted = re.search(r'generated from the LaTeX \("(.*?)"\)', " ".join(readme.split()))
    assert quoted is not None and quoted.group(1) == said


# -- the built outputs ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pack built once with the command line, --force --strict, as a user would."""
    out = tmp_path_factory.mktemp("math-40")
    proc = subprocess.run(
        [sys.executable, "-m", "studypack", "build", str(PACK), "--out", str(out), "--force", "--strict"],
        capture_output=True, text=True, timeout=600, env=studypack_env(), check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "warning" not in proc.stdout + proc.stderr and "error" not in proc.stdout + proc.stderr
    return out / "math-40"


@pytest.mark.slow
def test_every_deck_equation_is_office_math_with_a_fallback_picture(built: Path) -> None:
    display = 0
    with zipfile.ZipFile(built / "deck.pptx") as z:
        names = set(z.namelist())
        for name in sorted(n for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)):
            root = etree.fromstring(z.read(name))
            rels_name = name.replace("slides/", "slides/_rels/") + ".rels"
            rels = etree.fromstring(z.read(rels_name)) if rels_name in names else None
            targets = {r.get("Id"): r.get("Target") for r in (rels if rels is not None else [])}
            for math in root.iterfind(".//m:oMath", NS):
                # PowerPoint's form: the equation in mc:Choice (requiring the a14 namespace), the
                # same shape in mc:Fallback filled with a picture of it
                choice = next(a for a in math.iterancestors() if a.tag == f"{{{NS['mc']}}}Choice")
                prefix = choice.get("Requires")
                assert choice.nsmap.get(prefix) == A14
                alt = choice.getparent()
                blip = alt.find("mc:Fallback//a:blip", NS)
                assert blip is not None, name
                target = targets[blip.get(f"{{{NS['r']}}}embed")]
                part = os.path.normpath(os.path.join("ppt/slides", target))
                assert part in names, part
                png = z.read(part)
                assert png.startswith(b"\x89PNG")
                # the fallback is placed explicitly (a placeholder's Choice may inherit its frame)
                ext = [e.attrib for e in alt.iterfind("mc:Fallback/*/p:spPr/a:xfrm/a:ext", NS)]
                chosen = [e.attrib for e in choice.iterfind("*/p:spPr/a:xfrm/a:ext", NS)]
                assert len(ext) == 1 and chosen in ([], ext), name  # picture the same size
                width, height = int.from_bytes(png[16:20]), int.from_bytes(png[20:24])
                box = int(ext[0]["cx"]) / int(ext[0]["cy"])  # …and of the shape of the box it fills
                assert width / height == pytest.approx(box, rel=0.03), name
            for para in root.iterfind(".//m:oMathPara", NS):
                assert para.find("m:oMath", NS) is not None
                display += 1
    assert display == EQUATIONS


@pytest.mark.slow
def test_the_handout_has_every_equation_as_a_tagged_vector_formula(built: Path) -> None:
    pack = loaded()
    expected = []
    for m in display_math(pack):
        formula = parse(m.latex, m.span, Report())
        assert formula is not None
        expected.append(m.alt or spoken(formula))
    formulas: list[pikepdf.Dictionary] = []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Formula":
                formulas.append(node)
            if "/K" in node:
                walk(node.K)

    with pikepdf.open(built / "handout.pdf") as pdf:
        walk(pdf.Root.StructTreeRoot.K)
        alts = [str(f.Alt) for f in formulas]
        assert all("/K" in f for f in formulas)  # each tags content drawn on a page
    inline = sum(
        isinstance(p, InlineMath) for t in handout_inline_texts(pack) for p in split_inline(t)
    )
    assert len(alts) == len(expected) + inline  # every equation, display and inline, is a Formula
    left = iter(alts)  # the 40 display ones in reading order, with their alt text
    assert all(any(alt == want for alt in left) for want in expected), alts
    with pdfplumber.open(str(built / "handout.pdf")) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
        pictures = sum(len(page.images) for page in doc.pages)
        curves = sum(len(page.curves) for page in doc.pages)
    assert not re.search(r"\\[A-Za-z]+", text), re.findall(r".{20}\\[A-Za-z]+.{20}", text)
    assert not re.search(r"\$[A-Za-z\\{(]", text)  # no $…$ source left as text
    assert "$5 and a printed copy $10" in " ".join(text.split())  # money stays text
    assert pictures == 0  # equations are not pictures…
    assert curves > 40 * 5  # …but outlines


@pytest.mark.parametrize("output", ["handout.pdf", "flashcards.pdf"])
def test_no_text_is_set_over_other_text(built: Path, output: str) -> None:
    with pdfplumber.open(str(built / output)) as doc:
        for page in doc.pages:
            assert not overlapping_chars(page), f"{output} page {page.page_number}"


@pytest.mark.render
@pytest.mark.slow
def test_libreoffice_draws_every_equation_inside_its_box(built: Path, tmp_path: Path) -> None:
    deck = built / "deck.pptx"
    pdf = pdf_from_pptx(deck, tmp_path)
    slides, pages, outside = glyphs_outside(deck, pdf)
    assert slides == pages
    assert outside == []
    with zipfile.ZipFile(deck) as z:
        equations = {
            int(m.group(1)): len(
                etree.fromstring(z.read(m.group(0))).findall(".//mc:AlternateContent", NS)
            )
            for m in (re.fullmatch(r"ppt/slides/slide(\d+)\.xml", n) for n in z.namelist())
            if m
        }
    assert sum(equations.values()) >= EQUATIONS
    with pdfplumber.open(str(pdf)) as doc:  # the fallback picture of each, drawn
        for number, page in enumerate(doc.pages, 1):
            assert len(page.images) >= equations[number], f"slide {number}"


@pytest.mark.slow
def test_building_a_pack_without_math_imports_no_math_library(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; "
        "from studypack.build import BuildOptions, build_pack; from studypack.outputs import OUTPUTS; "
        f"r = build_pack(Path({str(SAMPLE)!r}), BuildOptions(out=Path({str(tmp_path)!r}), "
        "only=tuple(OUTPUTS), force=True), 1); "
        "assert not [d for d in r.diagnostics if d.severity == 'error'], r.diagnostics; "
        "assert len(r.written) == len(OUTPUTS), r.written; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
        env=studypack_env(), check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
