"""`studypack import` of what teachers already have: web pastes, Markdown notes and slides,
Word documents and PowerPoint decks (the last two made here with python-docx/python-pptx)."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image as PILImage

from helpers import ROOTS, build_or_fail
from studypack.cli import cli
from studypack.errors import Report
from studypack.importer import import_guide
from studypack.load.guide import load_guide
from studypack.load.pack_yaml import load_pack_yaml
from studypack.model import Code, Image, Math, Pack, Point, Table

GUIDES = ROOTS / "import"


def imported(path: Path) -> tuple[Pack, Report]:
    report = Report()
    pack, _ = load_guide(path, report)
    assert pack is not None, "\n".join(map(str, report.sorted()))
    return pack, report


def texts(pack: Pack) -> str:
    out = [pack.title, pack.subtitle or "", pack.overview or ""]
    for _, s in pack.all_sections():
        out += [s.title, s.summary or "", s.notes or ""]
        stack = list(s.points)
        while stack:
            p = stack.pop()
            if isinstance(p, Point):
                out.append(p.text)
                stack += p.children
    out += [f"{t.term}: {t.definition}" for t in pack.glossary]
    return "\n".join(out)


def warnings_of(report: Report) -> list[str]:
    return [f"{d.line}: {d.message}" for d in report.sorted() if d.severity == "warning"]


# --- web pastes ---------------------------------------------------------------------------

WEB = {
    "web-ap-bio-photosynthesis.txt": (
        "AP Biology Unit 3 Review: Photosynthesis",
        ["Overview", "The light-dependent reactions", "The Calvin cycle", "Limiting factors"],
        10, {53: "Chlorophyll", 60: "Stroma"},
    ),
    "web-us-history-civil-rights.txt": (
        "The Civil Rights Movement (1954–1968)",
        ["Landmark court cases", "Nonviolent protest", "Legislation"],
        5, {46: "Jim Crow laws"},
    ),
    "web-chemistry-acids-bases.txt": (
        "Acids, Bases and pH: Study Notes",
        ["Definitions of acids and bases", "The pH scale", "Strong and weak acids", "Titration"],
        5, {},
    ),
    "web-economics-supply-demand.txt": (
        "Supply and Demand Explained",
        ["Demand", "Supply", "Market equilibrium", "Shifts and elasticity"],
        4, {47: "Elasticity"},
    ),
}  # fmt: skip
FURNITURE = [
    "Skip to", "Home", " > ", " » ", "Written by", "Posted by", "Reviewed by", "By Marcus", "Updated",
    "modified", "Published", "min read", "Advertisement", "Sponsored", "Click here", "Sign up", "Log in",
    "Unlock", "free trial", "Subscribe", "Share", "Facebook", "Tweet", "Print", "Terms of", "Privacy",
    "©", "(c)", "Copyright", "cookies", "helpful", "Rate this", "Related Study", "might also like",
    "Keep learning", "Image 1 of", "Photo credit", "On this page", "Table of Contents", "Download",
    "StudyNest", "HistoryHub", "EconEasy", "Pricing", "book a tutor",
]  # fmt: skip


@pytest.mark.parametrize("name", sorted(WEB))
def test_web_paste_keeps_the_guide_and_drops_the_page(name):
    title, sections, terms, blanks = WEB[name]
    pack, report = imported(GUIDES / name)
    assert pack.title == title
    assert [s.title for s in pack.sections] == sections
    assert all(len(s.points) >= 2 for s in pack.sections)
    assert len(pack.glossary) == terms
    text = texts(pack)
    assert not [f for f in FURNITURE if f.lower() in text.lower()], text
    # Every blank term is a located warning, and never merged into its neighbour.
    assert warnings_of(report) == [
        f"{line}: glossary term '{term}' has no definition; skipped"
        for line, term in blanks.items()
    ]
    for term in blanks.values():
        assert term not in text


def test_every_drop_is_listed_under_verbose(tmp_path):
    guide = GUIDES / "web-ap-bio-photosynthesis.txt"
    result = import_guide(guide, tmp_path / "bio", force=False)
    assert result.exit_code == 0
    drops = [line for line in result.details if ": dropped " in line]
    lines = guide.read_text(encoding="utf-8").splitlines()
    dropped_lines = {int(d.split(":")[1]) for d in drops}
    assert {lines[n - 1].strip() for n in dropped_lines} >= {
        "Skip to main content", "Home > AP Biology > Unit 3: Cellular Energetics > Photosynthesis",
        "Written by Dana Whitfield", "Last Updated on March 14, 2025", "Advertisement",
        "Click here to see more study guides!", "Share this guide", "Terms of Service | Privacy Policy",
    }  # fmt: skip
    assert any("dropped breadcrumbs: Home > AP Biology" in d for d in drops)
    assert any("dropped advertisement: Advertisement" in d for d in drops)
    runner = CliRunner()
    cli_result = runner.invoke(cli, ["import", str(guide), "-o", str(tmp_path / "v"), "-v"])
    assert (
        cli_result.exit_code == 0 and "dropped legal footer: Terms of Service" in cli_result.stderr
    )


def test_furniture_is_decided_by_where_a_line_stands(tmp_path):
    """The same words are content inside a bullet list or a sentence, furniture on their own."""
    guide = tmp_path / "g.txt"
    guide.write_text(
        "Print Media\n\nNewspapers\n\n  • Share prices are printed daily\n  • Print runs fell after 2005\n"
        "  • Advertisement paid for most papers\n\nShare this page\n\nRadio\n\n"
        "  • Sign up forms were mailed to listeners\n  • Stations sold airtime\n",
        encoding="utf-8",
    )
    pack, _ = imported(guide)
    assert pack.title == "Print Media"
    assert [s.title for s in pack.sections] == ["Newspapers", "Radio"]
    assert "Advertisement paid for most papers" in texts(pack)
    assert "Sign up forms were mailed to listeners" in texts(pack)
    assert "Share this page" not in texts(pack)
    history = tmp_path / "h.txt"
    history.write_text(
        "The French Revolution\n\nBy 1789, France was bankrupt and its people hungry.\n\n"
        "July 1789\n\n  • The Bastille fell on 14 July\n  • Peasants rose in the Great Fear\n\n"
        "August 1789\n\n  • The Declaration of the Rights of Man was adopted\n  • Feudal dues were abolished\n",
        encoding="utf-8",
    )
    pack, _ = imported(history)
    assert pack.overview == "By 1789, France was bankrupt and its people hungry."
    assert [s.title for s in pack.sections] == ["July 1789", "August 1789"]


def test_announced_count_is_checked_and_blank_terms_never_merge(tmp_path):
    guide = tmp_path / "terms.txt"
    guide.write_text(
        "Cells\n\n  • Cells are the units of life\n  • Every cell comes from a cell\n\n"
        "Key Terms to Review (4)\n\nChloroplast: Where photosynthesis takes place.\nChlorophyll:\n"
        "Nucleus: Holds the DNA.\n",
        encoding="utf-8",
    )
    pack, report = imported(guide)
    assert {t.term: t.definition for t in pack.glossary} == {
        "Chloroplast": "Where photosynthesis takes place.", "Nucleus": "Holds the DNA.",
    }  # fmt: skip
    assert warnings_of(report) == [
        "6: the guide announces 4 key terms but 3 were found",
        "9: glossary term 'Chlorophyll' has no definition; skipped",
    ]


# --- Markdown -----------------------------------------------------------------------------


def test_markdown_notes_become_blocks_and_speaker_notes(tmp_path):
    pack, report = imported(GUIDES / "genetics-notes.md")
    assert pack.title == "Genetics: Mendel's Laws" and pack.course == "Biology 9 · Unit 5"
    crosses, probability = pack.sections
    kinds = [type(p).__name__ for p in crosses.points]
    assert kinds == ["Point", "Point", "Image", "Table"]
    image, table = crosses.points[2:]
    assert image.alt == "Punnett square for a cross of two heterozygous parents"
    assert image.path == (GUIDES / "img" / "punnett.png").resolve()
    assert table.header == ("Genotype", "Phenotype", "Share") and table.alignment(2) == "right"
    assert table.rows[1] == ("Aa", "dominant", "50 %")
    assert crosses.notes == "draw the square on the board before showing the table."
    math, code = probability.points
    assert isinstance(math, Math) and math.latex == r"P(A \cap B) = P(A) \times P(B)"
    assert (
        isinstance(code, Code)
        and code.language == "python"
        and code.text.startswith("from itertools")
    )
    assert probability.notes == "Ask the class to predict the ratio before running the code."
    assert (
        "![" not in texts(pack) and "<div" not in texts(pack) and "Speaker note" not in texts(pack)
    )
    assert warnings_of(report) == [
        "42: HTML block skipped (a pack holds headings, paragraphs, lists and blocks)",
        "44: image 'https://example.org/garden.jpg' is not a local file; not imported (download it next to the Markdown)",
        "50: glossary term 'Phenotype' has no definition; skipped",
    ]
    # Importing to a folder copies the picture into it: the pack is one folder.
    result = import_guide(GUIDES / "genetics-notes.md", tmp_path / "genetics", force=False)
    assert result.exit_code == 0
    assert (
        tmp_path / "genetics" / "images" / "punnett.png"
    ).read_bytes() == image.path.read_bytes()
    again = load_pack_yaml(tmp_path / "genetics" / "pack.yaml", Report())
    assert (
        again is not None
        and again.images()[0].path == tmp_path / "genetics" / "images" / "punnett.png"
    )


def test_marp_slides_read_as_one_section_per_slide_group():
    pack, report = imported(GUIDES / "physics-slides-marp.md")
    assert (pack.title, pack.overview, pack.theme) == (
        "Simple Harmonic Motion",
        "Physics 12 · Oscillations",
        None,
    )
    assert [s.title for s in pack.sections] == [
        "What oscillates?",
        "The period of a pendulum",
        "Energy in SHM",
    ]
    what, period, energy = pack.sections
    assert (
        isinstance(what.points[-1], Image)
        and what.points[-1].alt == "A pendulum at rest and at its turning point"
    )
    assert what.notes == "Bring the pendulum from the prep room."
    # The slide without a heading goes on with the slide before; its ??? notes too.
    assert [type(p).__name__ for p in period.points] == ["Math", "Point", "Point", "Point"]
    assert period.notes == "Remind them Galileo timed a swinging lamp with his pulse."
    assert isinstance(energy.points[0], Table) and energy.notes.startswith(
        "this slide is a reveal.js-style note"
    )
    assert any("theme 'gaia' is not a studypack theme" in w for w in warnings_of(report))
    assert any("slide directive" in w for w in warnings_of(report))


@pytest.mark.parametrize(
    ("source", "notes"),
    [
        ("## A\n\n- x\n\n> Note: say it slowly\n", "say it slowly"),
        ("## A\n\n- x\n\n::: notes\nQuarto note\n:::\n", "Quarto note"),
        ("## A\n\n- x\n\n<!--\nmulti-line\ncomment note\n-->\n", "multi-line comment note"),
        (
            "---\nformat: revealjs\n---\n\n## A\n\n- x\n\nNote:\nreveal note\n\n---\n\n## B\n\n- y\n",
            "reveal note",
        ),
    ],
)
def test_presenter_notes_in_every_dialect(tmp_path, source, notes):
    path = tmp_path / "n.md"
    path.write_text(source, encoding="utf-8")
    pack, _ = imported(path)
    assert pack.sections[0].notes == notes
    assert notes not in [p.text for p in pack.sections[0].points if isinstance(p, Point)]


# --- Word and PowerPoint, made here --------------------------------------------------------


def _png(path: Path, colour: str = "red") -> Path:
    PILImage.new("RGB", (60, 40), colour).save(path)
    return path


def make_docx(path: Path, tmp: Path, pages: int = 1, pictures: bool = True) -> Path:
    import docx
    from docx.shared import Inches

    d = docx.Document()
    d.add_paragraph("Cell Biology: Organelles", style="Title")
    d.add_paragraph("Biology 9 · Unit 2", style="Subtitle")
    d.add_paragraph("This handout reviews the parts of a eukaryotic cell.")
    for page in range(pages):
        suffix = f" {page + 1}" if pages > 1 else ""
        d.add_heading(f"The nucleus{suffix}", 1)
        d.add_paragraph("The nucleus is the control centre of the cell.")
        d.add_paragraph("Holds the cell's DNA", style="List Bullet")
        d.add_paragraph("as chromatin between divisions", style="List Bullet 2")
        d.add_paragraph("Surrounded by a double membrane", style="List Bullet")
        d.add_heading(f"Nuclear pores{suffix}", 2)
        d.add_paragraph("Let mRNA out", style="List Number")
        d.add_paragraph("Let proteins in", style="List Number")
        d.add_heading(f"Energy{suffix}", 1)
        for k in range(12):
            d.add_paragraph(
                f"Mitochondria fact {k}: they make ATP by respiration", style="List Bullet"
            )
        if pictures:
            d.add_picture(str(_png(tmp / "mito.png")), width=Inches(1))
            d.paragraphs[-1].runs[0].element.xpath(".//wp:docPr")[0].set("descr", "A mitochondrion")
            table = d.add_table(rows=3, cols=2)
            for r, row in enumerate(
                [
                    ("Organelle", "Job"),
                    ("Mitochondrion", "Respiration"),
                    ("Ribosome", "Protein synthesis"),
                ]
            ):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    d.add_heading("Key terms", 1)
    d.add_paragraph("Organelle – a structure with a job inside a cell")
    d.add_paragraph("Chromatin:")
    d.add_paragraph("Cytoplasm – the jelly that fills the cell")
    table = d.add_table(rows=3, cols=2)
    for r, row in enumerate(
        [
            ("Term", "Definition"),
            ("ATP", "The energy currency of the cell"),
            ("Ribosome", "Makes proteins"),
        ]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.save(str(path))
    return path


def make_pptx(path: Path, tmp: Path, slides: int = 4, pictures: bool = True) -> Path:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    s = prs.slides.add_slide(prs.slide_layouts[0])
    s.shapes.title.text = "Forces and Motion"
    s.placeholders[1].text = "Physics 10 · Lecture 4"
    s = prs.slides.add_slide(prs.slide_layouts[2])  # section header
    s.shapes.title.text = "Newton's laws"
    s.placeholders[1].text = "Three laws describe how things move"
    for k in range(slides):
        s = prs.slides.add_slide(prs.slide_layouts[1])
        s.shapes.title.text = f"Law {k + 1}" if k else "First law"
        frame = s.placeholders[1].text_frame
        frame.text = "An object keeps its velocity"
        p = frame.add_paragraph()
        p.text, p.level = "unless a net force acts on it", 1
        p = frame.add_paragraph()
        p.text = "Inertia resists changes in motion"
        s.notes_slide.notes_text_frame.text = f"Ask who has slid on ice ({k})."
        if pictures and k == 0:
            pic = s.shapes.add_picture(
                str(_png(tmp / "cart.png", "blue")), Inches(6), Inches(5), Inches(1)
            )
            pic.element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", "A cart on a track")
    s = prs.slides.add_slide(prs.slide_layouts[2])
    s.shapes.title.text = "Units"
    s = prs.slides.add_slide(prs.slide_layouts[5])
    s.shapes.title.text = "SI units"
    if pictures:
        table = s.shapes.add_table(3, 2, Inches(1), Inches(2), Inches(6), Inches(2)).table
        for r, row in enumerate([("Quantity", "Unit"), ("Force", "newton"), ("Mass", "kilogram")]):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    else:
        box = s.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(2))
        box.text_frame.text = "Force is measured in newtons"
    s = prs.slides.add_slide(prs.slide_layouts[1])
    s.shapes.title.text = "Key Terms"
    frame = s.placeholders[1].text_frame
    frame.text = "Inertia: resistance to a change in motion"
    frame.add_paragraph().text = "Force: a push or a pull"
    frame.add_paragraph().text = "Newton:"
    prs.save(str(path))
    return path


def test_word_document_imports_with_its_structure(tmp_path):
    path = make_docx(tmp_path / "cells.docx", tmp_path)
    pack, report = imported(path)
    assert (pack.title, pack.subtitle) == ("Cell Biology: Organelles", "Biology 9 · Unit 2")
    assert pack.overview == "This handout reviews the parts of a eukaryotic cell."
    nucleus, energy = pack.sections
    assert nucleus.summary == "The nucleus is the control centre of the cell."
    assert [p.text for p in nucleus.points] == [
        "Holds the cell's DNA",
        "Surrounded by a double membrane",
    ]
    assert [c.text for c in nucleus.points[0].children] == ["as chromatin between divisions"]
    assert [(s.title, [p.text for p in s.points]) for s in nucleus.sections] == [
        ("Nuclear pores", ["Let mRNA out", "Let proteins in"])
    ]
    picture, table = energy.points[-2:]
    assert (
        isinstance(picture, Image) and picture.alt == "A mitochondrion" and picture.format == "PNG"
    )
    assert (
        isinstance(table, Table) and table.header == ("Organelle", "Job") and len(table.rows) == 2
    )
    assert {t.term: t.definition for t in pack.glossary} == {
        "Organelle": "a structure with a job inside a cell", "Cytoplasm": "the jelly that fills the cell",
        "ATP": "The energy currency of the cell", "Ribosome": "Makes proteins",
    }  # fmt: skip
    assert [w.split(": ", 1)[1] for w in warnings_of(report)] == [
        "glossary term 'Chromatin' has no definition; skipped"
    ]


def test_word_import_extracts_pictures_and_builds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_docx(tmp_path / "cells.docx", tmp_path)
    result = CliRunner().invoke(cli, ["import", "cells.docx", "-o", "pack"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pack" / "images" / "picture-1.png").is_file()
    assert "path: images/picture-1.png" in (tmp_path / "pack" / "pack.yaml").read_text(
        encoding="utf-8"
    )
    built = CliRunner().invoke(cli, ["build", "pack", "--only", "csv,cards", "--out", "out"])
    assert built.exit_code == 0, built.output
    direct = CliRunner().invoke(cli, ["build", "cells.docx", "--only", "csv", "--out", "out2"])
    assert direct.exit_code == 0, direct.output
    assert (tmp_path / "out2" / "cells" / "cards.csv").is_file()


def test_powerpoint_deck_imports_with_its_structure(tmp_path):
    path = make_pptx(tmp_path / "forces.pptx", tmp_path, slides=2)
    pack, report = imported(path)
    assert (pack.title, pack.subtitle) == ("Forces and Motion", "Physics 10 · Lecture 4")
    laws, units = pack.sections
    assert (laws.title, laws.summary) == ("Newton's laws", "Three laws describe how things move")
    first = laws.sections[0]
    assert first.title == "First law"
    assert [p.text for p in first.points if isinstance(p, Point)] == [
        "An object keeps its velocity", "Inertia resists changes in motion",
    ]  # fmt: skip
    assert first.points[0].children[0].text == "unless a net force acts on it"
    assert first.notes == "Ask who has slid on ice (0)."
    assert isinstance(first.points[-1], Image) and first.points[-1].alt == "A cart on a track"
    assert [s.title for s in units.sections] == ["SI units"]
    assert isinstance(units.sections[0].points[0], Table)
    assert [t.term for t in pack.glossary] == ["Inertia", "Force"]
    assert [w.split(": ", 1)[1] for w in warnings_of(report)] == [
        "glossary term 'Newton' has no definition; skipped"
    ]


def test_powerpoint_without_blocks_builds_every_default_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_pptx(tmp_path / "forces.pptx", tmp_path, slides=3, pictures=False)
    outputs = build_or_fail(
        tmp_path / "forces.pptx", tmp_path / "out", only=("handout", "deck", "cards", "csv")
    )
    assert set(outputs) == {"handout", "deck", "cards", "csv"}
    result = CliRunner().invoke(cli, ["import", "forces.pptx", "-o", "pack"])
    assert result.exit_code == 0, result.output
    build_or_fail(tmp_path / "pack", tmp_path / "out2", only=("handout", "deck"))


def test_word_without_blocks_builds_every_default_output(tmp_path):
    make_docx(tmp_path / "cells.docx", tmp_path, pictures=False)
    outputs = build_or_fail(
        tmp_path / "cells.docx", tmp_path / "out", only=("handout", "deck", "cards", "csv")
    )
    assert set(outputs) == {"handout", "deck", "cards", "csv"}


def test_big_deck_and_document_import_in_under_a_second(tmp_path, capsys):
    deck = make_pptx(tmp_path / "big.pptx", tmp_path, slides=57)  # 60 slides with the others
    document = make_docx(tmp_path / "big.docx", tmp_path, pages=30)
    timings = {}
    for path in (deck, document):
        started = time.perf_counter()
        result = import_guide(path, tmp_path / path.name.replace(".", "-"), force=False)
        timings[path.name] = time.perf_counter() - started
        assert result.exit_code == 0, result.diagnostics
    with capsys.disabled():
        print(" import timings: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in timings.items()))
    assert all(t < 1.0 for t in timings.values()), timings


# --- bad input ----------------------------------------------------------------------------


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[bytes, str]]:
    good = make_docx(tmp_path / "good.docx", tmp_path, pictures=False).read_bytes()
    deck = make_pptx(tmp_path / "good.pptx", tmp_path, slides=1, pictures=False).read_bytes()
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    broken_xml = _zip({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"})
    return {
        "encrypted.docx": (ole, "password-protected (encrypted) or in the old binary format"),
        "encrypted.pptx": (ole, "password-protected (encrypted) or in the old binary format"),
        "text.docx": (
            b"Just some text saved with the wrong name\n",
            "not a Word document (not a zip package)",
        ),
        "truncated.docx": (good[: len(good) // 2], "this Word document is corrupt or incomplete"),
        "truncated.pptx": (deck[: len(deck) // 2], "this PowerPoint deck is corrupt or incomplete"),
        "no-document.docx": (
            _zip({"[Content_Types].xml": b"<Types/>"}),
            "has no part 'word/document.xml'",
        ),
        "no-slides.pptx": (
            _zip({"[Content_Types].xml": b"<Types/>"}),
            "has no part 'ppt/presentation.xml'",
        ),
        "bad-xml.docx": (broken_xml, "this Word document is corrupt or incomplete"),
        "binary.txt": (b"\x7fELF\x02\x01\x01\x00" + bytes(64), "this is a binary file"),
        "long-line.txt": (
            b"Title\n\n" + b"x" * 1_000_000 + b"\n",
            "line of 1000000 characters; at most 10000",
        ),
        "long-heading.md": (
            b"# " + b"H" * 5000 + b"\n\n- a point\n",
            "heading of 5000 characters; at most 300",
        ),
    }


def test_bad_office_files_and_text_are_located_errors_never_crashes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for name, (data, message) in _bad_inputs(tmp_path).items():
        (tmp_path / name).write_bytes(data)
        for args in (
            ["import", name, "-o", f"out-{name}"],
            ["build", name, "--only", "csv", "--out", "b"],
        ):
            started = time.perf_counter()
            result = runner.invoke(cli, args)
            assert time.perf_counter() - started < 5, (name, args)
            assert result.exit_code == 1, (name, args, result.output)
            assert f"{name}" in result.stderr and message in result.stderr, (name, result.stderr)
            assert "Traceback" not in result.output and "internal error" not in result.output
        assert not (tmp_path / f"out-{name}").exists()
