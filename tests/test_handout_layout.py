"""handout.pdf layout: the cover band (style.fills), figures that shrink at a page foot, kinsoku,
hanging numbered titles.

Everything is read back from real PDFs with pdfplumber (and poppler where pixels matter).
"""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest
import yaml
from PIL import Image

from helpers import (
    CJK_FONT,
    NEVER_END,
    NEVER_START,
    SAMPLE,
    build_or_fail,
    load_with_theme,
    render_output,
    require_fallback_for,
    require_tool,
)
from studypack.errors import Report
from studypack.plan.handout import Page, fit_image, plan_handout
from studypack.render import handout_pdf
from studypack.theme import load_theme

TITLE = "The Japan–US Security Treaty"
SUBTITLE = "Alliance, bases and burden sharing"
LINES = ["East Asian Security · Unit 4", "Studypack sample content", "24 November 2026"]
FRAME_BOTTOM = 792 - Page(612, 792).margin_bottom  # from the top of a Letter page


def _colors(chars) -> set[tuple[int, ...]]:
    """Fill colours of the drawn (non-space) characters, as 0-255 RGB."""
    return {tuple(round(float(v) * 255) for v in c["non_stroking_color"]) for c in chars if c["text"].strip()}


def _rgb(value: str) -> tuple[int, ...]:
    return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))


# --- cover band ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def covers(tmp_path_factory) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("covers")
    return {
        (name, paper): build_or_fail(SAMPLE, out / f"{name}-{paper}", only=("handout",), theme=name, paper=paper)[
            "handout"
        ]
        for name in ("default", "print", "northfield-history")
        for paper in ("letter", "a4")
    }


def _band(page) -> dict:
    filled = [r for r in page.rects if r["fill"]]
    assert len(filled) == 1, filled
    return filled[0]


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("name", ["default", "northfield-history"])
def test_cover_band_bleeds_across_the_top_in_primary(covers, name, paper):
    colors = load_theme(name, Report()).colors
    with pdfplumber.open(covers[(name, paper)]) as pdf:
        page = pdf.pages[0]
        band = _band(page)
        # Full bleed: edge to edge, from the paper's top edge down over its top part.
        assert band["x0"] <= 0.01 and band["x1"] >= float(page.width) - 0.01 and band["top"] <= 0.01
        assert 0.3 * float(page.height) < band["bottom"] < 0.6 * float(page.height)
        assert _colors([{"text": "x", "non_stroking_color": band["non_stroking_color"]}]) == {_rgb(colors.primary)}
        inside = page.crop((0, 0, page.width, band["bottom"]))
        assert inside.extract_text().splitlines() == [TITLE, SUBTITLE]
        assert _colors(inside.chars) == {_rgb(colors.background)}
        below = page.crop((0, band["bottom"], page.width, page.height))
        assert below.extract_text().splitlines() == LINES
        assert _colors(below.chars) == {_rgb(colors.text)}
        # Reading order of the whole page: title first, then subtitle, then the lines below.
        assert page.extract_text().splitlines() == [TITLE, SUBTITLE, *LINES]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_print_theme_cover_has_no_filled_areas(covers, paper):
    colors = load_theme("print", Report()).colors
    with pdfplumber.open(covers[("print", paper)]) as pdf:
        page = pdf.pages[0]
        assert not [r for r in page.rects if r["fill"]] and not page.curves and not page.images
        assert page.extract_text().splitlines() == [TITLE, SUBTITLE, *LINES]
        title = [c for c in page.chars if c["size"] > 25]
        assert _colors(title) == {_rgb(colors.primary)}


@pytest.mark.render
def test_logo_stays_visible_on_the_band(covers, tmp_path):
    """The Northfield shield is drawn in the band's own maroon: it sits on a background tile."""
    pdftoppm = require_tool("pdftoppm")
    pdf_path = covers[("northfield-history", "letter")]
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        band = _band(page)
        (logo,) = page.images
        assert band["top"] < logo["top"] and logo["bottom"] < min(c["top"] for c in page.chars)  # above the title
    subprocess.run([pdftoppm, "-png", "-r", "72", "-f", "1", "-l", "1", "-singlefile", str(pdf_path),
                    str(tmp_path / "cover")], check=True)  # fmt: skip
    image = Image.open(tmp_path / "cover.png").convert("RGB")
    # Just outside the logo's corners: the tile (white); farther out: the band (maroon).
    near = [(logo["x0"] - 3, logo["top"] - 3), (logo["x1"] + 3, logo["bottom"] + 3)]
    assert all(min(image.getpixel((int(x), int(y)))) > 240 for x, y in near)
    assert image.getpixel((int(logo["x1"] + 40), int(logo["top"] + 10))) == pytest.approx(
        _rgb(load_theme("northfield-history", Report()).colors.primary), abs=3
    )


# --- figures at a page foot ---------------------------------------------------------------------


def _figure_pack(folder: Path, points: int, heading_first: bool = False) -> Path:
    """A pack whose figure follows `points` one-line points (under its own heading if asked)."""
    (folder / "images").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (600, 400), "#3366AA").save(folder / "images" / "fig.png")
    image = "    image: {path: images/fig.png, alt: A blue box, caption: The caption under the figure}\n"
    items = "".join(f"      - Point number {i} about the alliance\n" for i in range(points))
    text = f"title: Foot\nlanguage: en\ndate: 2026-01-15\nsections:\n  - title: Points\n    points:\n{items}"
    text += f"  - title: Figure section\n{image}" if heading_first else image
    # Enough sections after it for a contents page of its own (not a short pack).
    text += "".join(f"  - title: After {n}\n    points:\n      - One more point\n" for n in range(3))
    (folder / "pack.yaml").write_text(text)
    return folder


def _figure_layout(pdf_bytes: bytes) -> dict:
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for n, page in enumerate(pdf.pages):
            if page.images:
                (im,) = page.images
                words = page.extract_words()
                caption = [w for w in words if w["text"] == "caption"]
                last_point = [w for w in words if w["text"] == "alliance"]
                heading = [w for w in words if w["text"] == "Figure"]
                return {
                    "page": n,
                    "height": im["bottom"] - im["top"],
                    "width": im["x1"] - im["x0"],
                    "caption_gap": caption[0]["top"] - im["bottom"] if caption else None,
                    "with_points": bool(last_point),
                    "with_heading": bool(heading),
                    "bottom": (caption[0]["bottom"] if caption else im["bottom"]),
                }
    raise AssertionError("no image in the handout")


@pytest.mark.parametrize("heading_first", [False, True], ids=["after-points", "after-heading"])
def test_figure_shrinks_at_a_page_foot_then_moves(tmp_path, heading_first):
    folder = tmp_path / "pack"
    planned_w, planned_h = fit_image(600, 400, Page(612, 792))
    seen = {"full": 0, "shrunk": 0, "moved": 0}
    for points in range(10, 32):
        _figure_pack(folder, points, heading_first)
        pack, theme = load_with_theme(folder)
        f = _figure_layout(render_output("handout", pack, theme))
        ratio = f["height"] / planned_h
        assert f["width"] / f["height"] == pytest.approx(planned_w / planned_h, rel=0.01)  # aspect kept
        assert 0.6 - 0.005 <= ratio <= 1 + 0.001, (points, ratio)  # never below 60 %, never enlarged
        assert f["caption_gap"] is not None and 0 < f["caption_gap"] < 12  # caption right below it
        assert f["bottom"] <= FRAME_BOTTOM + 1  # inside the frame, above the footer
        if heading_first:
            assert f["with_heading"], points  # a figure never leaves its heading behind
        if ratio < 0.999:
            assert f["page"] == 2 and f["with_points"], points
            # Only as much as it must: the caption ends at the frame's foot.
            assert f["bottom"] == pytest.approx(FRAME_BOTTOM, abs=4), points
            seen["shrunk"] += 1
        elif f["page"] == 2:
            seen["full"] += 1
        else:
            # Moved: it went only after its room dropped below 60 %, so no bigger figure fitted;
            # the point before it (which introduces it) went with it, a heading's points did not.
            assert f["page"] == 3 and f["with_points"] is not heading_first
            assert ratio == pytest.approx(1, abs=0.001)
            seen["moved"] += 1
    assert all(seen.values()), seen


# --- Japanese line breaking (kinsoku) -----------------------------------------------------------

JA_TEXT = (
    "日本国内の大規模な内乱に米軍が出動できるとした「内乱条項」は、旧条約の大きな問題点とされた。"
    "この条項で、主権国家としての日本の地位は損なわれていると批判され、一九六〇年の改定で削除された。"
)




def test_no_japanese_line_starts_with_closing_punctuation(tmp_path):
    require_fallback_for("日", CJK_FONT)
    (tmp_path / "pack.yaml").write_text(
        f"title: 日米安全保障条約\nlanguage: ja\ndate: 2026-01-15\noverview: {JA_TEXT}\n"
        f"sections:\n  - title: 歴史的背景\n    summary: {JA_TEXT}\n    points:\n      - 「{JA_TEXT}」\n"
    )
    pack, theme = load_with_theme(tmp_path)
    plan = plan_handout(pack, theme, Report())
    width, height = plan.page.width, plan.page.height
    checked = 0
    for margin in range(150, 260, 4):  # frames 312 down to 92 pt wide: breaks land everywhere
        narrow = dataclasses.replace(plan, page=Page(width, height, margin_x=margin))
        frame = (0, narrow.page.margin_top, width, height - narrow.page.margin_bottom)  # no header, footer
        with pdfplumber.open(io.BytesIO(handout_pdf.draw(handout_pdf.typeset(narrow, theme, Report()), theme))) as pdf:
            text = "\n".join(p.crop(frame).extract_text() for p in pdf.pages[1:])  # after the cover
        lines = [line for line in text.splitlines() if any("\u3000" <= c <= "\u9fff" for c in line)]
        starts = [line for line in lines if line[0] in NEVER_START]
        ends = [line for line in lines if line[-1] in NEVER_END]
        assert not starts and not ends, (margin, starts, ends)
        # Nothing lost or doubled: the paragraphs' lines join back into the source text.
        assert "".join(lines).count(JA_TEXT) == 3, margin
        checked += len(lines)
    assert checked > 500


def test_a_title_too_long_for_the_cover_band_shrinks_instead_of_failing(tmp_path):
    """The band cannot continue on page 2: a 1,200-character title is drawn smaller, whole."""
    title = " ".join(["Extraordinary security arrangements and alliance politics"] * 20)
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        yaml.safe_dump({"title": title, "sections": [{"title": "S", "points": ["p"]}]}), encoding="utf-8"
    )
    out = build_or_fail(folder, tmp_path / "o", only=("handout",))
    with pdfplumber.open(out["handout"]) as pdf:
        cover = pdf.pages[0]
        text = " ".join(cover.extract_text().split())
        assert title in text
        inside = [c for c in cover.chars if 0 <= c["x0"] and c["x1"] <= cover.width and 0 <= c["top"] and c["bottom"] <= cover.height]
        assert len(inside) == len(cover.chars)  # nothing pushed off the page
        assert max(c["size"] for c in cover.chars if c["text"] == "E") < 25  # scaled down from 28 pt


# --- numbered titles hang: wrapped lines stand under the title, not the number -------------------

LONG_TITLE = (
    "Thermochemistry: enthalpy, entropy and the temperature dependence of reaction enthalpies "
    "in dilute aqueous solutions at constant pressure"
)
LONG_SUB = "Fachbegriffe: Wärmekapazitätsmessungsvorrichtung und Reaktionsgeschwindigkeitskonstantenbestimmungsverfahren"


@pytest.fixture(scope="module")
def long_titles(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("long-titles")
    section = {"title": LONG_TITLE, "points": ["p"], "sections": [{"title": LONG_SUB, "points": ["q"]}]}
    # Four sections: a contents page of its own (not a short pack).
    sections = [{"title": "Units", "points": ["a"]}, section, {"title": "Gases", "points": ["b"]},
                {"title": "Kinetics", "points": ["c"]}]  # fmt: skip
    pack = {"title": "Chemistry", "language": "en", "date": "2026-01-15", "sections": sections}
    (folder / "pack.yaml").write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    return {
        paper: build_or_fail(folder, folder / paper, only=("handout",), paper=paper)["handout"]
        for paper in ("letter", "a4")
    }


def _title_lines(page, number: str, title: str) -> list[dict]:
    """The lines (pdfplumber's, with their chars) a numbered title takes on a page."""
    lines = page.extract_text_lines(return_chars=True)
    first = next(i for i, line in enumerate(lines) if line["text"].startswith(f"{number} {title.split()[0]}"))
    end = next(i for i in range(first, len(lines)) if title.split()[-1] in lines[i]["text"])
    return lines[first : end + 1]


def _assert_hangs(lines: list[dict], title: str) -> float:
    """Every wrapped line starts exactly where the title's first letter does, right of the number."""
    assert len(lines) >= 2, "the title was meant to wrap"
    number_x = lines[0]["chars"][0]["x0"]
    title_x = next(c["x0"] for c in lines[0]["chars"] if c["text"] == title[0])
    assert title_x > number_x + 5
    for line in lines[1:]:
        assert line["chars"][0]["x0"] == pytest.approx(title_x, abs=0.01), line["text"]
    return title_x


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_wrapped_contents_entries_hang_under_their_title(long_titles, paper):
    with pdfplumber.open(long_titles[paper]) as pdf:
        contents = pdf.pages[1]
        right = float(contents.width) - Page(float(contents.width), float(contents.height)).margin_x
        section = _title_lines(contents, "2", LONG_TITLE)
        sub = _title_lines(contents, "2.1", LONG_SUB)
        assert _assert_hangs(sub, LONG_SUB) > _assert_hangs(section, LONG_TITLE)  # a subsection is set in
        for lines in (section, sub):
            *wrapped, last = lines
            # Leaders and the page number only on the entry's last line, the number flush right.
            assert re.search(r"\. \. \. \d+$", last["text"]), last["text"]
            assert last["chars"][-1]["x1"] == pytest.approx(right, abs=0.5)
            assert not [line["text"] for line in wrapped if ". ." in line["text"] or line["text"][-1].isdigit()]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_wrapped_section_headings_hang_under_their_title(long_titles, paper):
    with pdfplumber.open(long_titles[paper]) as pdf:
        body = pdf.pages[2]
        _assert_hangs(_title_lines(body, "2", LONG_TITLE), LONG_TITLE)
        _assert_hangs(_title_lines(body, "2.1", LONG_SUB), LONG_SUB)


def test_a_lead_in_point_stays_with_its_first_sub_point(tmp_path):
    """A point that introduces a sub-list never ends a page with the sub-list on the next."""
    import yaml as _yaml

    filler = [f"Filler point {i} that takes a line or two of the page so the lead-in lands low." for i in range(40)]
    for n in range(30, 40):  # shift the lead-in down the page until it would fall at the foot
        folder = tmp_path / f"p{n}"
        folder.mkdir()
        points = [*filler[:n], "A titration in four steps:", ["Rinse the burette", "Fill it", "Add indicator", "Titrate"]]
        (folder / "pack.yaml").write_text(_yaml.safe_dump({"title": "T", "sections": [{"title": "S", "points": points}]}))
        outputs = build_or_fail(folder, tmp_path / f"o{n}", only=("handout",))
        with pdfplumber.open(outputs["handout"]) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
        lead = next(i for i, t in enumerate(pages) if "four steps" in t)
        assert "Rinse the burette" in pages[lead], f"lead-in alone at the foot of page {lead + 1} (n={n})"


def test_contents_leaders_run_up_to_the_page_numbers(tmp_path):
    outputs = build_or_fail(SAMPLE, tmp_path, only=("handout",))
    with pdfplumber.open(outputs["handout"]) as pdf:
        page = next(p for p in pdf.pages if "Contents" in (p.extract_text() or ""))
        rows: dict[int, list] = {}
        for c in page.chars:
            rows.setdefault(round(c["bottom"]), []).append(c)
        gaps = []
        for chars in rows.values():
            chars.sort(key=lambda c: c["x0"])
            dots = [c for c in chars if c["text"] == "."]
            digits = [c for c in chars if c["text"].isdigit() and dots and c["x0"] > dots[-1]["x1"]]
            if dots and digits:
                gaps.append(digits[0]["x0"] - dots[-1]["x1"])
    assert len(gaps) > 5 and max(gaps) < 16, gaps  # one dot step of the leader grid, at most
