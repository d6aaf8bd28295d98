"""Inline `$…$` math on slides: native Office equations (`a14:m` in the line) in PowerPoint's
mc:AlternateContent, a picture of the whole text box as the fallback, fitted by the equations'
typeset size (sample pack physics-kinematics and a slide full of wide inline equations)."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree
from PIL import Image
from pptx import Presentation

from helpers import OOXML_NS, build_or_fail, glyphs_outside, load_with_theme, pdf_from_pptx
from studypack.math import InlineMath, split_inline

PHYSICS = Path(__file__).resolve().parent.parent / "content" / "physics-kinematics"
NS = OOXML_NS
EMU_PER_PT = 12700
WIDE = [
    r"F = G \frac{m_1 m_2}{r^2}",
    r"\int_0^T v(t)\,dt = x(T) - x(0)",
    r"\sum_{k=1}^{n} k^2 = \frac{n(n+1)(2n+1)}{6}",
    r"E_k = \tfrac{1}{2} m v^2 = \frac{p^2}{2m}",
    r"\vec{v} = \begin{pmatrix} v_x \\ v_y \end{pmatrix}",
]
HUGE = "x(t) = " + " + ".join(
    rf"\tfrac{{1}}{{{k}!}} a_{{{k}}} t^{{{k}}}" for k in range(1, 16)
)  # ~1000 pt at 24 pt


def _wide_pack(folder: Path) -> Path:
    """A pack whose one section is a slide (or more) of points full of wide inline equations,
    one wider than a whole line."""
    points = [
        f"      - Here ${a}$ and ${b}$ hold together" for a, b in zip(WIDE, WIDE[1:] + WIDE[:1])
    ]
    points.append(f"      - An equation wider than the line, ${HUGE}$ stays inside its box")
    points += [f"      - Short ${w}$ again" for w in WIDE[:3]]
    (folder / "pack.yaml").write_text(
        "title: Wide math\nlanguage: en\ntheme: default\nsections:\n  - title: Equations inline\n"
        "    summary: Summaries hold $\\frac{a}{b}$ too.\n    points:\n" + "\n".join(points) + "\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def physics(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_or_fail(PHYSICS, tmp_path_factory.mktemp("physics"), only=("deck",))["deck"]


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pack = _wide_pack(tmp_path_factory.mktemp("wide-src"))
    return build_or_fail(pack, tmp_path_factory.mktemp("wide"), only=("deck",))["deck"]


def _slides(deck: Path):
    """(slide number, slide XML root, {rId: media bytes}) of every slide."""
    with zipfile.ZipFile(deck) as z:
        names = set(z.namelist())
        for n in range(1, 1000):
            name = f"ppt/slides/slide{n}.xml"
            if name not in names:
                return
            rels = etree.fromstring(z.read(f"ppt/slides/_rels/slide{n}.xml.rels"))
            media = {
                r.get("Id"): z.read("ppt/" + r.get("Target").removeprefix("../"))
                for r in rels
                if r.get("Target", "").startswith("../media/")
            }
            yield n, etree.fromstring(z.read(name)), media


def _inline_shapes(deck: Path):
    """(slide number, Choice p:sp, Fallback p:sp, picture bytes) of each text shape holding
    inline math (display equations, m:oMathPara in a box of their own, left out)."""
    for n, root, media in _slides(deck):
        for alt in root.iterfind(".//mc:AlternateContent", NS):
            choice = alt.find("mc:Choice/p:sp", NS)
            if choice is None or choice.find(".//m:oMathPara", NS) is not None:
                continue
            fallback = alt.find("mc:Fallback/p:sp", NS)
            blip = fallback.find("p:spPr/a:blipFill/a:blip", NS)
            yield n, choice, fallback, media[blip.get(f"{{{NS['r']}}}embed")]


def _frame(sp) -> tuple[float, float, float, float]:
    off, ext = sp.find("p:spPr/a:xfrm/a:off", NS), sp.find("p:spPr/a:xfrm/a:ext", NS)
    return tuple(
        int(v) / EMU_PER_PT for v in (off.get("x"), off.get("y"), ext.get("cx"), ext.get("cy"))
    )  # type: ignore[return-value]


def _shape_frame(deck: Path, n: int, sp) -> tuple[float, float, float, float]:
    """Where a shape lies on slide n: its own position, else its layout placeholder's."""
    if sp.find("p:spPr/a:xfrm", NS) is not None:
        return _frame(sp)
    idx = int(sp.find("p:nvSpPr/p:nvPr/p:ph", NS).get("idx", "0"))
    layout = Presentation(str(deck)).slides[n - 1].slide_layout
    ph = next(p for p in layout.placeholders if p.placeholder_format.idx == idx)
    return tuple(v / EMU_PER_PT for v in (ph.left, ph.top, ph.width, ph.height))  # type: ignore[return-value]


def test_python_pptx_opens_the_decks(physics: Path, wide: Path) -> None:
    for deck in (physics, wide):
        prs = Presentation(str(deck))
        assert len(prs.slides) > 3


@pytest.mark.parametrize("which", ["physics", "wide"])
def test_every_inline_equation_is_office_math_in_the_line(
    which: str, request: pytest.FixtureRequest
) -> None:
    deck = request.getfixturevalue(which)
    inline = 0
    for _, root, _ in _slides(deck):
        for sp in root.iter(f"{{{NS['p']}}}sp"):
            if sp.find(".//a:tbl", NS) is not None:
                continue
            for p in sp.iterfind(".//a:p", NS):
                text = "".join(t.text or "" for t in p.iterfind(".//a:r/a:t", NS))
                # no LaTeX source left as text
                assert not any(isinstance(x, InlineMath) for x in split_inline(text)), text
        # each a14:m sits in an a:p of a Choice, among the runs
        for m in root.iterfind(".//a14:m", NS):
            assert etree.QName(m.getparent()).localname == "p"
            assert (
                m.find("m:oMath", NS) is not None or m.find("m:oMathPara/m:oMath", NS) is not None
            )
            assert any(etree.QName(a).localname == "Choice" for a in m.iterancestors())
            inline += m.find("m:oMath", NS) is not None
    assert inline >= (25 if which == "physics" else 12)


@pytest.mark.parametrize("which", ["physics", "wide"])
def test_the_fallback_is_a_picture_of_the_whole_shape(
    which: str, request: pytest.FixtureRequest
) -> None:
    deck = request.getfixturevalue(which)
    shapes = list(_inline_shapes(deck))
    assert shapes
    for n, choice, fallback, png in shapes:
        assert png.startswith(b"\x89PNG")
        x, y, w, h = _frame(fallback)
        with Image.open(io.BytesIO(png)) as im:
            assert abs(im.width / im.height / (w / h) - 1) < 0.01, (
                f"slide {n}: picture not the shape's size"
            )
            assert im.width >= 2 * w  # sharp on a projector: 2 px a point at least
            ink = im.convert("RGBA").getchannel("A").getbbox()
        assert ink is not None, f"slide {n}: empty picture"
        # the fallback's own text is emptied and invisible
        texts = [t.text for t in fallback.iterfind(".//a:t", NS)]
        assert "".join(texts).strip() == ""
        assert fallback.find(".//a14:m", NS) is None
        # both copies are the same placeholder (or shape)
        ph = [sp.find("p:nvSpPr/p:nvPr/p:ph", NS) for sp in (choice, fallback)]
        assert [dict(p.attrib) if p is not None else None for p in ph][0] == (
            dict(ph[1].attrib) if ph[1] is not None else None
        )


def test_a_table_holding_equations_falls_back_to_a_picture_of_it(physics: Path) -> None:
    tables = 0
    for _n, root, media in _slides(physics):
        for alt in root.iterfind(".//mc:AlternateContent", NS):
            frame = alt.find("mc:Choice/p:graphicFrame", NS)
            if frame is None:
                continue
            tables += 1
            cells = frame.findall(".//a:tc", NS)
            assert any(c.find(".//a14:m/m:oMath", NS) is not None for c in cells)
            for cell in cells:  # no LaTeX source left in a cell
                text = "".join(t.text or "" for t in cell.iterfind(".//a:r/a:t", NS))
                assert not any(isinstance(x, InlineMath) for x in split_inline(text)), text
            pic = alt.find("mc:Fallback/p:pic", NS)
            ext = frame.find("p:xfrm/a:ext", NS)
            assert pic.find("p:spPr/a:xfrm/a:ext", NS).attrib == ext.attrib  # the table's size
            png = media[pic.find("p:blipFill/a:blip", NS).get(f"{{{NS['r']}}}embed")]
            with Image.open(io.BytesIO(png)) as im:
                aspect = int(ext.get("cx")) / int(ext.get("cy"))
                assert abs(im.width / im.height / aspect - 1) < 0.01
    assert tables == 1


def test_wide_equations_fit_their_boxes(wide: Path) -> None:
    """Every line of the picture (the fitter's lines) stays inside the shape's insets, and the
    equation wider than the line was typeset smaller to fit it."""
    from studypack.units import BOX_INSET_X, BOX_INSET_Y

    shapes = list(_inline_shapes(wide))
    for n, choice, fallback, png in shapes:
        fx, fy, fw, fh = _shape_frame(wide, n, choice)
        x, y, w, h = _frame(fallback)  # the picture, cropped to its ink
        with Image.open(io.BytesIO(png)) as im:
            scale = im.width / w
            left, top, right, bottom = (v / scale for v in im.convert("RGBA").getchannel("A").getbbox())
        assert x + left >= fx + BOX_INSET_X - 12.0 - 1  # a bullet hangs into the margin, not past it
        assert x + right <= fx + fw - BOX_INSET_X + 1, (
            f"slide {n}: ink {x + right - fx:.1f} pt past {fw - BOX_INSET_X:.1f}"
        )
        assert y + top >= fy + BOX_INSET_Y - 1
        assert y + bottom <= fy + fh - BOX_INSET_Y + 1, (
            f"slide {n}: ink {y + bottom - fy:.1f} pt past {fh - BOX_INSET_Y:.1f}"
        )
    sizes = []
    for _n, choice, _, _ in shapes:
        for p in choice.iterfind(".//a:p", NS):
            runs = p.findall("a:r/a:rPr", NS)
            maths = p.findall("a14:m", NS)
            if runs and maths:
                text_size = int(runs[0].get("sz"))
                math_sizes = {int(r.get("sz")) for r in maths[0].iterfind(".//m:r/a:rPr", NS)}
                sizes.append((text_size, max(math_sizes)))
    assert any(m < t for t, m in sizes)  # the huge one shrunk to the line
    assert sum(m == t for t, m in sizes) >= len(sizes) - 1  # the others at the text's size


def test_the_planner_measures_equations_by_their_typeset_width(tmp_path: Path) -> None:
    """A point with a long LaTeX source but a narrow equation takes one line, and the fitter's
    heights of every planned body stay inside the box."""
    from studypack.errors import Report
    from studypack.plan.deck_fit import Fitter
    from studypack.render.deck_pptx import plan

    pack, theme = load_with_theme(_wide_pack(tmp_path))
    slides = plan(pack, theme, Report()).slides
    fit = Fitter(theme)
    from studypack.render.deck_pptx import _open_profiled
    from studypack.render.pptx_layouts import geometry

    prs, roles = _open_profiled(theme)
    box = geometry(prs, roles).content_body
    bodies = [s.body for s in slides if s.kind == "content" and s.body]
    assert bodies
    for body in bodies:
        assert fit.height(body, box) <= box.text_height
    short = [p for b in bodies for p in b if "".join(r.text for r in p.runs).startswith("Short")]
    assert short and all(fit.lines(p, box) == 1 for p in short)


@pytest.mark.render
@pytest.mark.slow
@pytest.mark.parametrize("which", ["physics", "wide"])
def test_libreoffice_draws_the_fallback_pictures_inside_their_boxes(
    which: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    deck = request.getfixturevalue(which)
    pdf = pdf_from_pptx(deck, tmp_path)
    slides, pages, outside = glyphs_outside(deck, pdf)
    assert slides == pages
    assert outside == []
    with pdfplumber.open(str(pdf)) as doc:
        for n, _, fallback, _ in _inline_shapes(deck):
            x, y, w, h = _frame(fallback)
            images = doc.pages[n - 1].images
            assert any(
                abs(im["x0"] - x) < 2
                and abs(im["top"] - y) < 2
                and abs(im["x1"] - (x + w)) < 2
                and abs(im["bottom"] - (y + h)) < 2
                for im in images
            ), (
                f"slide {n}: no picture over the text box at {(x, y, w, h)}: {[(im['x0'], im['top'], im['x1'], im['bottom']) for im in images]}"
            )


def test_a_word_wider_than_the_line_beside_an_equation_is_hyphenated(tmp_path: Path) -> None:
    from studypack.plan.deck_fit import Box, Fitter, Para
    from studypack.plan.deck_inline import deck_runs, math_lines

    _, theme = load_with_theme(_wide_pack(tmp_path))
    fit = Fitter(theme)
    box = Box(0, 0, 300, 400)
    para = fit.prepare(
        Para(deck_runs("With $v_0$ the " + "Supercalifragilistic" * 3 + " word"), 24.0), box
    )
    width = fit.width(para, box)
    lines = math_lines(para.runs, fit.body, para.size, width)
    assert len(lines) == fit.lines(para, box) >= 3
    assert all(sum(p.width for p in line) <= width + 1e-6 for line in lines)
    assert any(line[-1].text.endswith("-") for line in lines)  # cut with a hyphen


def test_the_fallback_picture_reads_as_the_shape_s_text(physics: Path) -> None:
    """Where the picture is shown (LibreOffice, Google Slides), a screen reader reads its
    alternative text: the shape's words with each equation as readable text."""
    import re

    shapes = list(_inline_shapes(physics))
    assert shapes
    for n, choice, fallback, _ in shapes:
        descr = fallback.find("p:nvSpPr/p:cNvPr", NS).get("descr", "")
        words = [t.text for t in choice.iterfind(".//a:r/a:t", NS) if t.text and t.text.strip()]
        assert words and all(w.strip() in descr for w in words), (n, descr, words)
        assert not re.search(r"\\[A-Za-z]+|[_^]\{", descr), (n, descr)  # no LaTeX left


def test_a_deck_whose_pictures_a_spare_process_draws_is_the_same_deck(tmp_path, monkeypatch):
    """The fallback pictures drawn ahead by a spare process (as a parallel build lets the deck's
    process do) give the same file, byte for byte, as those drawn in the deck's own process."""
    from helpers import render_output
    from studypack import picture
    from studypack.ahead import can_fork, spare_processes
    from studypack.math import cache, typeset

    if not can_fork():
        pytest.skip("spare processes are forked (not on Windows)")
    monkeypatch.setenv(cache.ENV_DISABLE, "1")  # every picture drawn, none taken from the cache
    log = tmp_path / "drawn.log"
    real = picture.png

    def logged(*args, **kwargs):
        with log.open("a") as f:
            f.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(picture, "png", logged)
    pack, theme = load_with_theme(PHYSICS)
    typeset._png.cache_clear()  # equations' pictures this process drew before
    alone = render_output("deck", pack, theme)
    drawn_alone = log.read_text().split()
    log.unlink()
    typeset._png.cache_clear()
    with spare_processes(1):
        shared = render_output("deck", pack, theme)
    drawn_shared = log.read_text().split()
    assert shared == alone
    assert len(drawn_shared) == len(drawn_alone) > 4  # each picture drawn once
    assert len(set(drawn_shared)) == 2  # some by the spare process
