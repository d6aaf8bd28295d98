"""handout.pdf and flashcards.pdf as Tagged PDF (PDF/UA-1), read back with the real checkers:
the pdfua package, poppler's pdfinfo and qpdf, plus what those do not look at."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from helpers import REPO, ROOTS, SAMPLE, build_or_fail, require_tool
from studypack.inline import plain_text

PAINT = {"Tj", "TJ", "'", '"', "Do", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh"}


@pytest.fixture(scope="module")
def builds(tmp_path_factory, sample_outputs) -> dict[str, dict[str, Path]]:
    """The sample (Letter), a Japanese pack, an A4 build with a 4:3 deck and A7 cards, and a
    theme with a logo; handout and flashcards of each."""
    tmp = tmp_path_factory.mktemp("pdfua")
    t43 = tmp / "t43"
    t43.mkdir()
    (t43 / "theme.yaml").write_text(
        'extends: default\nslides: {aspect: "4:3"}\ncards: {size: A7}\n'
    )
    only = ("handout", "cards")
    return {
        "sample": sample_outputs,
        "ja": build_or_fail(ROOTS / "pack-ja", tmp / "ja", only=only),
        "a4": build_or_fail(SAMPLE, tmp / "a4", only=only, theme=str(t43), paper="a4"),
        "logo": build_or_fail(SAMPLE, tmp / "logo", only=only, theme="northfield-history"),
        "blocks": build_or_fail(REPO / "content" / "intro-chemistry", tmp / "blocks", only=only),
        "math": build_or_fail(REPO / "content" / "physics-kinematics", tmp / "math", only=only),
    }


PDFS = [(b, o) for b in ("sample", "ja", "a4", "logo", "blocks", "math") for o in ("handout", "cards")]


@pytest.mark.parametrize(("build", "output"), PDFS)
def test_the_pdfua_checker_finds_nothing(builds, build, output):
    from pdfua import validate

    report = validate(str(builds[build][output]))
    assert [f"{f.rule_id} {f.message}" for f in report.findings] == []
    assert [f"{o.rule_id} {o.skipped_reason}" for o in report.skipped] == []


def unmarked_paint(pdf: pikepdf.Pdf) -> list[str]:
    """Painting operators outside any marked-content sequence (neither tagged nor artifact),
    and marked-content sequences nested in one another: what a stricter checker flags."""
    problems = []
    for n, page in enumerate(pdf.pages, 1):
        depth = 0
        for ins in pikepdf.parse_content_stream(page):
            if isinstance(ins, pikepdf.ContentStreamInlineImage):
                continue
            op = str(ins.operator)
            if op in ("BDC", "BMC"):
                depth += 1
                if depth > 1:
                    problems.append(f"page {n}: nested marked content")
            elif op == "EMC":
                depth -= 1
            elif op in PAINT and depth == 0:
                problems.append(f"page {n}: {op} outside marked content")
        if depth:
            problems.append(f"page {n}: unbalanced marked content")
    return problems


@pytest.mark.parametrize(("build", "output"), PDFS)
def test_every_mark_is_content_or_artifact_and_the_catalog_says_so(builds, build, output):
    with pikepdf.open(builds[build][output]) as pdf:
        assert unmarked_paint(pdf) == []
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert str(root.Lang) == ("ja" if build == "ja" else "en")
        assert str(root.StructTreeRoot.K[0].S) == "/Document"
        for page in pdf.pages:
            assert page.obj.Tabs == pikepdf.Name.S
            assert "/StructParents" in page.obj
            for annot in page.obj.get("/Annots", []):
                assert str(annot.Contents).strip() and "/StructParent" in annot
        xmp = root.Metadata.read_bytes().decode()
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
        assert str(pdf.docinfo.Title) in xmp and "<dc:language>" in xmp and "<dc:creator>" in xmp


@pytest.mark.parametrize(("build", "output"), PDFS)
def test_no_font_code_maps_to_nul(builds, build, output):
    with pikepdf.open(builds[build][output]) as pdf:
        for obj in pdf.objects:
            if (
                isinstance(obj, pikepdf.Dictionary)
                and obj.get("/Type") == pikepdf.Name.Font
                and "/ToUnicode" in obj
            ):
                cmap = obj.ToUnicode.read_bytes().decode("latin-1")
                assert not re.search(r"<[0-9A-F]+> <0000>", cmap), obj.BaseFont
                assert all(int(n) <= 100 for n in re.findall(r"(\d+) beginbfchar", cmap))


def elements(node, role: str | None = None):
    """Structure elements under node, depth first, in the tree's (reading) order."""
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if (
            isinstance(kid, pikepdf.Dictionary)
            and kid.get("/Type", pikepdf.Name.StructElem) == pikepdf.Name.StructElem
            and "/S" in kid
        ):
            if role is None or kid.S == pikepdf.Name("/" + role):
                yield kid
            yield from elements(kid, role)


def test_handout_structure(builds, pack):
    with pikepdf.open(builds["sample"]["handout"]) as pdf:
        doc = pdf.Root.StructTreeRoot.K[0]
        roles = {str(e.S) for e in elements(doc)}
        assert {"/H1", "/H2", "/Sect", "/P", "/L", "/LI", "/Lbl", "/LBody", "/Figure", "/Caption",
                "/TOC", "/TOCI", "/Link"} <= roles  # fmt: skip
        figures = list(elements(doc, "Figure"))
        assert [str(f.Alt) for f in figures] == [plain_text(i.alt) for i in pack.images()]
        # Every link annotation hangs from a Link element by an OBJR.
        objrs = [k for link in elements(doc, "Link") for k in (link.K if isinstance(link.K, pikepdf.Array) else [link.K])
                 if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.OBJR]  # fmt: skip
        annots = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
        assert len(objrs) == len(annots) > 0


def test_cards_hold_front_then_back_and_sheets_have_bookmarks(builds, pack):
    with pikepdf.open(builds["sample"]["cards"]) as pdf:
        cards = list(elements(pdf.Root.StructTreeRoot.K[0], "Sect"))
        assert [str(c.T) for c in cards] == [f"#{n}" for n in range(1, len(pack.flashcards()) + 1)]
        pages = {p.objgen: n for n, p in enumerate(pdf.pages)}
        for card in cards:
            front, back = list(card.K)
            # Front on a front sheet, back on the next (back) sheet: logical order across sheets.
            assert pages[back.Pg.objgen] == pages[front.Pg.objgen] + 1
        with pdf.open_outline() as outline:
            assert len(outline.root) == len(pdf.pages)


def test_pdfinfo_says_tagged_and_reads_the_tree_in_order(builds, pack):
    pdfinfo = require_tool("pdfinfo")
    path = builds["sample"]["handout"]
    info = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    tree = subprocess.run(
        [pdfinfo, "-struct-text", str(path)], capture_output=True, text=True, check=True
    ).stdout
    text = re.sub(r"\s+", "", tree)
    # The title, then each section title in order, then a glossary term, all found in sequence.
    wanted = [plain_text(pack.title)] + [plain_text(s.title) for s in pack.sections]
    wanted.append(plain_text(sorted(pack.glossary, key=lambda t: t.term.casefold())[-1].term))
    at = 0
    for w in wanted:
        at = text.index(re.sub(r"\s+", "", w), at) + 1
    cards = subprocess.run([pdfinfo, "-struct-text", str(builds["sample"]["cards"])],
                           capture_output=True, text=True, check=True).stdout  # fmt: skip
    first = pack.flashcards()[0]
    front, back = (
        re.sub(r"\s+", "", plain_text(first.front)),
        re.sub(r"\s+", "", plain_text(first.back))[:20],
    )
    flat = re.sub(r"\s+", "", cards)
    assert flat.index(front) < flat.index(back)


@pytest.mark.parametrize(("build", "output"), PDFS)
def test_qpdf_check_is_clean(builds, build, output):
    qpdf = require_tool("qpdf")
    run = subprocess.run(
        [qpdf, "--check", str(builds[build][output])], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No syntax or stream encoding errors" in run.stdout


def test_flashcards_same_input_same_bytes(sample):
    from helpers import render_output

    pack, theme = sample
    assert render_output("cards", pack, theme) == render_output("cards", pack, theme)


@pytest.fixture(scope="module")
def sample():
    from helpers import load_with_theme

    return load_with_theme(SAMPLE)
