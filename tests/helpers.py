"""What several test files share: paths, builders, deck fixtures and the skip rules for what a
machine may lack (system tools and fonts skip with their reason, and fail under CI=true)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
import reportlab
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from studypack.build import BuildOptions, build_pack, resolve_theme
from studypack.errors import Report, Span
from studypack.fit import FontSet
from studypack.fonts import OFFICE_FONTS, fallback_for
from studypack.load import load_pack
from studypack.model import Pack
from studypack.outputs import OUTPUTS
from studypack.plan.deck import Box, Geometry
from studypack.theme import Theme, load_theme

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "content" / "japan-us-security-treaty"
ROOTS = Path(__file__).resolve().parent / "roots"
VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # ships with reportlab

# --- what the machine may lack -----------------------------------------------------------------


def missing(reason: str) -> None:
    """Skip the test with its reason; under CI=true, where everything is installed, fail."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: required under CI=true (.ci/run installs it)")
    pytest.skip(reason)


def require_tool(name: str) -> str:
    """Path of an external tool (soffice, pdftoppm, pdftotext, ...)."""
    path = shutil.which(name)
    if path is None:
        missing(f"{name} is not installed")
    return path  # type: ignore[return-value]


def require_font(pattern: str, package: str) -> None:
    """A font fontconfig finds (so LibreOffice draws with it): a family name or ':lang=ja'."""
    fc_list = shutil.which("fc-list")
    found = (
        fc_list is not None
        and subprocess.run(
            [fc_list, pattern, "file"], capture_output=True, text=True, timeout=60, check=False
        ).stdout.strip()
    )
    if not found:
        missing(f"no installed font matches {pattern!r} (Debian: {package})")


def require_fallback_for(ch: str, package: str) -> str:
    """The fallback font the PDFs draw `ch` with when the theme's fonts lack it."""
    name = fallback_for(ch)
    if name is None:
        missing(f"no installed TrueType font draws {ch!r} U+{ord(ch):04X} (Debian: {package})")
    return name  # type: ignore[return-value]


CJK_FONT = "fonts-droid-fallback"  # the CJK TrueType font reportlab can embed
DEJAVU = "fonts-dejavu-core"  # Greek, Hebrew, Arabic, symbols
LIBREOFFICE_FONTS = "fonts-crosextra-carlito fonts-liberation2"


def require_libreoffice() -> str:
    """soffice, with the metric-compatible fonts the deck's Calibri/Arial text is laid out in."""
    soffice = require_tool("soffice")
    require_font("Carlito", "fonts-crosextra-carlito")
    require_font("Liberation Sans", "fonts-liberation2")
    return soffice


# --- building ----------------------------------------------------------------------------------


def build_or_fail(pack: Path, out: Path, output_jobs: int = 1, **options) -> dict[str, Path]:
    """Build a pack; fail the test with every diagnostic if it did not build."""
    options.setdefault("only", tuple(OUTPUTS))
    result = build_pack(pack, BuildOptions(out=out, **options), output_jobs)
    errors = [str(d) for d in result.diagnostics if d.severity == "error"]
    assert not errors, "\n".join(errors)
    folder = out / (result.slug or "")
    return {
        name: folder / o.filename for name, o in OUTPUTS.items() if (folder / o.filename).exists()
    }


def load_with_theme(path: Path):
    """A pack and the theme it builds with; fails the test on any error."""
    report = Report()
    pack = load_pack(path, report)
    assert pack is not None, [str(d) for d in report.diagnostics]
    theme = resolve_theme(pack, BuildOptions(), report)
    assert theme is not None and not report.errors, [str(d) for d in report.diagnostics]
    return pack, theme


def theme_and_problems(ref: str, **kw) -> tuple[Theme | None, list[str]]:
    """A theme by name or folder, and every diagnostic loading it gave, as printed."""
    report = Report()
    theme = load_theme(ref, report, **kw)
    return theme, [str(d) for d in report.sorted()]


def rgb(colour: str, digits: int | None = None) -> tuple[float, ...]:
    """'#RRGGBB' as PDF colour components (0-1), rounded when `digits` is given."""
    parts = tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return parts if digits is None else tuple(round(v, digits) for v in parts)


# --- decks -------------------------------------------------------------------------------------

ARIAL = FontSet(OFFICE_FONTS["Arial"], OFFICE_FONTS["Courier New"])

# Frames like the default template's at 16:9 (points); the planner only needs plausible boxes
# (the real section-header frames now put the title above the body).
GEOMETRY = Geometry(
    960.0, 540.0,
    cover_title=Box(72, 167.7, 816, 115.8), cover_sub=Box(144, 306, 672, 138),
    section_title=Box(75.8, 347, 816, 107.3), section_body=Box(75.8, 228.9, 816, 118.1),
    content_title=Box(48, 21.6, 864, 90), content_body=Box(48, 126, 864, 356.4),
    terms_title=Box(48, 21.6, 864, 90), terms_cols=(Box(48, 126, 424, 356.4), Box(488, 126, 424, 356.4)),
    picture_title=Box(188.2, 378, 576, 44.6), picture=Box(188.2, 48.2, 576, 324), caption=Box(188.2, 422.6, 576, 63.4),
    footer=Box(328, 500.5, 304, 28.75),
)  # fmt: skip


def make_pack(sections=(), glossary=(), **kw) -> Pack:
    """A pack built in memory, without a file."""
    return Pack(
        slug="t", root=Path("."), source=Path("pack.yaml"), title=kw.pop("title", "Test pack"),
        sections=tuple(sections), glossary=tuple(glossary), date=dt.date(2026, 1, 2), span=Span("pack.yaml", 1, 1), **kw,
    )  # fmt: skip


def para_text(para) -> str:
    """A planned paragraph's text, its runs joined."""
    return "".join(r.text for r in para.runs)


def pdf_from_pptx(pptx: Path, outdir: Path) -> Path:
    """Render a deck with LibreOffice, as a teacher without PowerPoint would see it."""
    soffice = require_libreoffice()
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{outdir}/lo-profile",
         "--convert-to", "pdf", "--outdir", str(outdir), str(pptx)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return outdir / (pptx.stem + ".pdf")


EMU_PER_PT = 12700
GLYPH_TOLERANCE = 1.0  # pt


def text_boxes(slide) -> list[tuple[float, float, float, float]]:
    """Frames (points) of every shape that holds text, slide numbers included, and of every
    table cell (from the row heights and column widths the file sets)."""
    boxes = []
    for sh in slide.shapes:
        numbered = sh.is_placeholder and sh.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER
        if numbered or (sh.has_text_frame and sh.text_frame.text.strip()):
            x, y = sh.left / EMU_PER_PT, sh.top / EMU_PER_PT
            boxes.append((x, y, x + sh.width / EMU_PER_PT, y + sh.height / EMU_PER_PT))
        if sh.has_table:
            y = sh.top / EMU_PER_PT
            for row in sh.table.rows:
                x, h = sh.left / EMU_PER_PT, row.height / EMU_PER_PT
                for column in sh.table.columns:
                    boxes.append((x, y, x + column.width / EMU_PER_PT, y + h))
                    x += column.width / EMU_PER_PT
                y += h
    return boxes


def glyphs_outside(pptx: Path, pdf: Path) -> tuple[int, int, list[str]]:
    """(slides, PDF pages, every drawn glyph outside its shape's frame) of a rendered deck."""
    prs = Presentation(str(pptx))
    outside: list[str] = []
    with pdfplumber.open(str(pdf)) as doc:
        pages = len(doc.pages)
        for number, (slide, page) in enumerate(zip(prs.slides, doc.pages), 1):
            boxes = text_boxes(slide)
            for c in page.chars:
                if not c["text"].strip():
                    continue
                inside = any(
                    x0 - GLYPH_TOLERANCE <= c["x0"]
                    and c["x1"] <= x1 + GLYPH_TOLERANCE
                    and y0 - GLYPH_TOLERANCE <= c["top"]
                    and c["bottom"] <= y1 + GLYPH_TOLERANCE
                    for x0, y0, x1, y1 in boxes
                )
                if not inside:
                    outside.append(
                        f"slide {number}: {c['text']!r} at ({c['x0']:.1f}, {c['top']:.1f})-({c['x1']:.1f}, {c['bottom']:.1f})"
                    )
    return len(prs.slides), pages, outside


# --- Japanese line breaking --------------------------------------------------------------------

# What must never start or end a line (JIS X 4051, and what QA saw), written out here rather
# than taken from fit.py, so a mark missing from the table there fails the tests.
NEVER_START = set(
    "、。，．・：；？！ー）」』】〕〉》ぁぃぅぇぉっゃゅょァィゥェォッャュョ､｡･ｰ｣…”’～℃％"
)
NEVER_END = set("（「『【〔〈《｢“‘")


def render_output(name: str, pack: Pack, theme: Theme, report: Report | None = None, previous: bytes | None = None) -> bytes:
    """One output planned and drawn, as a build does it (no input key, nothing written)."""
    output = OUTPUTS[name]
    report = report if report is not None else Report()
    plan = output.plan(pack, theme, report, previous)
    return b"" if report.errors else output.draw(plan, theme)


def overlapping_chars(page) -> list[str]:
    """Pairs of characters of a pdfplumber page drawn over each other on one baseline (two
    strings set on the same line)."""
    rows: dict[float, list[dict]] = {}
    for c in page.chars:
        rows.setdefault(round(c["matrix"][5], 2), []).append(c)
    found = []
    for row in rows.values():
        row.sort(key=lambda c: c["x0"])
        found += [f"{a['text']}{b['text']}" for a, b in zip(row, row[1:]) if b["x0"] < a["x1"] - 0.5]
    return found


# Namespaces of a deck's slide XML, for the tests that read it (Office math, its fallbacks).
OOXML_NS = {
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "a14": "http://schemas.microsoft.com/office/drawing/2010/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
