"""handout.pdf contents and page flow: contents columns that line up, short packs without a page
of contents, and headings and captions kept with their first lines at a page foot.

Everything is read back from real PDFs with pdfplumber.
"""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
import yaml

from helpers import load_with_theme, render_output
from studypack.errors import Report
from studypack.plan.handout import SHORT_PACK_SECTIONS, Page, plan_handout

LETTER = Page(612, 792)
LONG = (
    "This sentence is long enough to fill most of a line of the handout, with a few words to wrap."
)


def _pdf(folder: Path, pack: dict) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(
        yaml.safe_dump(pack, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    loaded, theme = load_with_theme(folder)
    return render_output("handout", loaded, theme)


def _lines(page) -> list[dict]:
    """The text lines inside the frame (no running header or footer), with their chars."""
    top, bottom = LETTER.margin_top - 2, float(page.height) - LETTER.margin_bottom + 2
    lines = page.extract_text_lines(return_chars=True)
    return [line for line in lines if line["top"] >= top and line["bottom"] <= bottom]


# --- contents: one x for every title, one x for every page number --------------------------------


@pytest.fixture(scope="module")
def twelve(tmp_path_factory) -> bytes:
    sections = []
    for i in range(1, 13):
        section: dict = {"title": f"Topic {i} of the course", "points": [f"Point {i}"]}
        if i in (2, 10):  # one- and two-digit subsection numbers, up to 10.11
            section["sections"] = [
                {"title": f"Part {i}.{j}", "points": ["p"]} for j in range(1, 12 if i == 10 else 3)
            ]
        sections.append(section)
    pack = {"title": "Twelve", "language": "en", "overview": "What the course covers.", "sections": sections,
            "glossary": [{"term": "Acid", "definition": "A proton donor."}]}  # fmt: skip
    return _pdf(tmp_path_factory.mktemp("twelve") / "pack", pack)


def _entries(pdf_bytes: bytes) -> list[dict]:
    """Contents lines: number, title's first char, page number's last char."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        out = []
        for line in _lines(pdf.pages[1])[1:]:  # after the "Contents" heading
            chars = [c for c in line["chars"] if c["text"].strip()]
            title = next(i for i, c in enumerate(chars) if c["text"].isalpha())
            out.append(
                {
                    "text": line["text"],
                    "number": chars[:title],
                    "title": chars[title],
                    "page": chars[-1],
                }
            )
        return out


def test_every_contents_title_of_a_level_starts_at_one_x(twelve):
    entries = _entries(twelve)
    assert len(entries) == 1 + 12 + 2 + 11 + 1  # overview, sections, subsections, glossary
    sections = [
        e
        for e in entries
        if e["text"].startswith(("Topic", *"0123456789")) and "Part" not in e["text"]
    ]
    parts = [e for e in entries if "Part" in e["text"]]
    assert len(sections) == 12 and len(parts) == 13
    for level in (sections, parts):
        xs = [e["title"]["x0"] for e in level]
        assert max(xs) - min(xs) <= 0.5, [(e["text"], e["title"]["x0"]) for e in level]
        # The numbers stand right-aligned in their column, "9" under the "0" of "10".
        ends = [e["number"][-1]["x1"] for e in level]
        assert max(ends) - min(ends) <= 0.5
    # A subsection's number stands under its section's title, its title further in.
    assert min(e["number"][0]["x0"] for e in parts) >= sections[0]["title"]["x0"] - 0.5
    assert parts[0]["title"]["x0"] > sections[0]["title"]["x0"] + 10


def test_contents_page_numbers_end_at_one_x(twelve):
    ends = [e["page"]["x1"] for e in _entries(twelve)]
    assert max(ends) - min(ends) <= 0.5
    assert ends[0] == pytest.approx(612 - LETTER.margin_x, abs=0.5)


# --- a short pack: no page of contents, the glossary runs on -------------------------------------


def _short_pack(sections: int, subsections: int = 0, overview: bool = False) -> dict:
    listed = [
        {"title": f"Section {i}", "points": [LONG, "A second point."]}
        for i in range(1, sections + 1)
    ]
    listed[0]["sections"] = [
        {"title": f"Part {j}", "points": ["p"]} for j in range(1, subsections + 1)
    ]
    pack = {"title": "Acids in brief", "language": "en", "sections": listed,
            "glossary": [{"term": "Acid", "definition": "A proton donor."},
                         {"term": "Base", "definition": "A proton acceptor."}]}  # fmt: skip
    if overview:
        pack["overview"] = "Overview and Glossary are not counted."
    return pack


@pytest.mark.parametrize(
    ("sections", "subsections", "overview", "short"),
    [(1, 0, False, True), (3, 0, True, True), (3, 4, False, True), (4, 0, False, False)],
)
def test_a_short_pack_has_at_most_three_sections(tmp_path, sections, subsections, overview, short):
    """Subsections, Overview and Glossary are not counted."""
    pack = _short_pack(sections, subsections, overview)
    (tmp_path / "pack.yaml").write_text(yaml.safe_dump(pack))
    pack, theme = load_with_theme(tmp_path)
    assert SHORT_PACK_SECTIONS == 3
    assert plan_handout(pack, theme, Report()).short is short


def test_a_three_section_pack_has_its_contents_and_glossary_on_the_first_page(tmp_path):
    with pdfplumber.open(io.BytesIO(_pdf(tmp_path / "short", _short_pack(3)))) as pdf:
        assert len(pdf.pages) == 2  # the cover, then everything on one page
        lines = [line["text"] for line in _lines(pdf.pages[1])]
    assert lines[0] == "Contents"
    first = lines.index("1 Section 1")  # the heading, below the contents' "1 Section 1 . . . 2"
    assert any(line.startswith("1 Section 1") and line.endswith(" 2") for line in lines[1:first])
    glossary = lines.index("Glossary")
    assert glossary > lines.index("3 Section 3") and lines[glossary - 1] == "• A second point."
    assert lines[glossary + 1 : glossary + 3] == ["Acid", "A proton donor."]


def test_a_four_section_pack_keeps_its_contents_page_and_glossary_page(tmp_path):
    with pdfplumber.open(io.BytesIO(_pdf(tmp_path / "four", _short_pack(4)))) as pdf:
        pages = [[line["text"] for line in _lines(page)] for page in pdf.pages]
    assert pages[1][0] == "Contents" and "1 Section 1" not in pages[1]
    assert pages[-1][0] == "Glossary"


# --- keep-with-next: a heading, caption or lead-in never ends a page without what it introduces --

FILLER = [f"Filler point {i} about the subject at hand." for i in range(60)]
PADS = [
    {"title": f"Pad {k}", "points": ["x"]} for k in range(3)
]  # a contents page: not a short pack
ROWS = [[f"r{i}", "cell", "more"] for i in range(30)]
CODE = "\n".join(f"x{i} = {i} * factor" for i in range(12))


def _case(name: str, n: int) -> dict:
    """A pack in which the case's heading or caption follows n one-line points."""
    main: dict = {"title": "Main", "points": FILLER[:n]}
    sections = [main, *PADS]
    if name == "subsection":
        main["sections"] = [
            {"title": "Marker heading", "summary": f"{LONG} {LONG}", "points": ["a", "b"]}
        ]
    elif name == "sub-subsection":
        main["sections"] = [
            {
                "title": "Second",
                "sections": [{"title": "Marker heading", "points": [LONG * 2, "b"]}],
            }
        ]
    elif name == "long summary":
        main["sections"] = [
            {"title": "Marker heading", "summary": " ".join([LONG] * 6), "points": ["a", "b"]}
        ]
    elif name == "table":
        main["points"] = [
            *FILLER[:n],
            {"table": {"caption": "Marker table", "header": ["A", "B", "C"], "rows": ROWS}},
        ]
    elif name == "code":
        main["points"] = [
            *FILLER[:n],
            {"code": CODE, "language": "python", "caption": "Marker listing"},
            "after",
        ]
    elif name == "lead-in":  # the last point of a run introduces the table after it
        table = {"table": {"caption": "Cap", "header": ["A", "B", "C"], "rows": ROWS}}
        main["points"] = [*FILLER[:n], "Marker point introducing the table:", table]
    elif name == "glossary":  # a short pack: the glossary runs on after the last section
        sections = [main]
    pack = {"title": "Keep", "language": "en", "sections": sections}
    if name == "glossary":
        pack["glossary"] = [
            {"term": "Marker term", "definition": LONG},
            {"term": "Other", "definition": "Short."},
        ]
    return pack


MARKERS = {"subsection": "1.1 Marker", "sub-subsection": "1.1.1 Marker", "long summary": "1.1 Marker",
           "table": "Table 1: Marker", "code": "Listing 1: Marker", "glossary": "Glossary",
           "lead-in": "• Marker point"}  # fmt: skip
# n from where it ends a page with its first lines just fitting to where it has moved on
WINDOWS = {"subsection": range(28, 33), "sub-subsection": range(28, 33), "long summary": range(29, 35),
           "table": range(28, 34), "code": range(30, 36), "glossary": range(23, 29),
           "lead-in": range(27, 33)}  # fmt: skip


@pytest.mark.parametrize("name", list(MARKERS))
def test_headings_captions_and_lead_ins_move_to_the_next_page_with_their_first_lines(
    tmp_path, name
):
    pages_seen = set()
    for n in WINDOWS[name]:
        with pdfplumber.open(io.BytesIO(_pdf(tmp_path / f"{n}", _case(name, n)))) as pdf:
            pages = [_lines(page) for page in pdf.pages]
        k, i = next((k, i) for k, lines in enumerate(pages) for i, line in enumerate(lines)
                    if line["text"].startswith(MARKERS[name]) and ". ." not in line["text"])  # fmt: skip
        pages_seen.add(k)
        after = pages[k][i + 1 :]
        # At least two lines under it on its page (a table: its header row and a first row).
        assert len(after) >= 2, f"n={n}: '{MARKERS[name]}' ends page {k + 1}"
        if name == "long summary" and i == 0:
            # Moved on only when the heading and two lines of its summary did not fit: no hole.
            room = (
                float(pdf.pages[k - 1].height) - LETTER.margin_bottom - pages[k - 1][-1]["bottom"]
            )
            assert room < 60, f"n={n}: {room:.0f} pt left empty before the heading"
    assert len(pages_seen) == 2, pages_seen  # the window took it across a page foot
