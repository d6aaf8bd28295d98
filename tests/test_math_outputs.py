"""Math in the outputs: native equations with a picture fallback in the deck, Anki's \\(…\\),
the CSV's source, typeset inline math in the handout (sample pack physics-kinematics)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree

from helpers import OOXML_NS, build_or_fail, glyphs_outside, pdf_from_pptx

PACK = Path(__file__).resolve().parent.parent / "content" / "physics-kinematics"
NS = OOXML_NS
DISPLAY_EQUATIONS = 9  # `- math:` blocks in the pack


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_or_fail(PACK, tmp_path_factory.mktemp("physics"))


def test_deck_equations_are_office_math_with_a_picture_fallback(built: dict[str, Path]) -> None:
    found = 0
    with zipfile.ZipFile(built["deck"]) as z:
        names = set(z.namelist())
        for name in sorted(n for n in names if n.startswith("ppt/slides/slide")):
            root = etree.fromstring(z.read(name))
            rels_name = name.replace("slides/", "slides/_rels/") + ".rels"
            rels = etree.fromstring(z.read(rels_name)) if rels_name in names else None
            for alt in root.iterfind(".//mc:AlternateContent", NS):
                choice = alt.find("mc:Choice", NS)
                assert choice is not None and choice.findall(".//m:oMath", NS)
                blip = alt.find("mc:Fallback/p:sp/p:spPr/a:blipFill/a:blip", NS)
                if blip is None:  # a table holding equations: a picture of it
                    blip = alt.find("mc:Fallback/p:pic/p:blipFill/a:blip", NS)
                assert blip is not None
                rid = blip.get(f"{{{NS['r']}}}embed")
                target = next(r.get("Target") for r in rels if r.get("Id") == rid)
                png = z.read("ppt/" + target.removeprefix("../"))
                assert png.startswith(b"\x89PNG")
                found += bool(choice.findall(".//m:oMathPara", NS))  # a display equation's own box
            # no equation outside its AlternateContent
            assert len(root.findall(".//m:oMath", NS)) == len(
                root.findall(".//mc:AlternateContent//mc:Choice//m:oMath", NS)
            )
    assert found == DISPLAY_EQUATIONS


@pytest.mark.render
@pytest.mark.slow
def test_deck_with_math_renders_in_libreoffice_within_its_boxes(
    built: dict[str, Path], tmp_path: Path
) -> None:
    pdf = pdf_from_pptx(built["deck"], tmp_path)
    slides, pages, outside = glyphs_outside(built["deck"], pdf)
    assert slides == pages
    assert outside == []
    with pdfplumber.open(str(pdf)) as doc:  # every equation's fallback picture is drawn
        pictures = sum(len(page.images) for page in doc.pages)
    assert pictures >= DISPLAY_EQUATIONS


def test_anki_fields_carry_mathjax_and_the_csv_keeps_the_source(built: dict[str, Path]) -> None:
    from studypack.render.card_html import SOURCE_MATH, to_html

    assert to_html(r"at $v = v_0 + at$") == r"at \(v = v_0 + at\)"
    assert to_html("costs $5 and $10") == "costs $5 and $10"
    assert to_html("so $x<y$") == r"so \(x&lt;y\)"
    assert to_html(" $x<y$ ") == r"\[x&lt;y\]"  # a field that is one equation: display math
    assert to_html("$x<y$", SOURCE_MATH) == "$x&lt;y$"  # the CSV keeps the source as written
    text = built["csv"].read_text(encoding="utf-8")
    rows = [r for r in csv.reader(io.StringIO(text)) if r and not r[0].startswith("#")]
    backs = [r[1] for r in rows]
    assert "$v = v_0 + at$" in backs
    assert not any("\\(" in b for b in backs)


def test_handout_sets_inline_math_on_the_page(built: dict[str, Path]) -> None:
    with pdfplumber.open(str(built["handout"])) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
        pictures = sum(len(page.images) for page in doc.pages)
        outlines = sum(len(page.curves) for page in doc.pages)
    assert "$" not in text.replace("$5", "").replace("$10", "")  # no LaTeX source left as text
    assert "\\frac" not in text and "\\Delta" not in text
    assert "costs $5 and a trolley at $10" in " ".join(text.split())  # money stays text
    assert pictures == 0 and outlines > 100  # equations in vector outlines, no pictures
