"""`studypack calibrate`: the test sheet, and that its reading is the offset that fixes the cards."""

from __future__ import annotations

import dataclasses

import pdfplumber
import pytest
from click.testing import CliRunner

from helpers import SAMPLE
from studypack.calibrate import back_point, calibration_point, ruler_label, write_calibration_sheet
from studypack.cli import cli
from studypack.errors import Report
from studypack.load import load_pack
from studypack.plan.cards import MM, PAPER_SIZES, Rect, mirror, plan_cards
from studypack.render.cards_pdf import card_fonts
from studypack.theme import load_theme


def test_writes_a_two_page_duplex_sheet(tmp_path):
    out = tmp_path / "sub" / "calibration.pdf"
    write_calibration_sheet("a4", "default", out)
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 2
        front, back = pdf.pages
        assert (float(front.width), float(front.height)) == pytest.approx(PAPER_SIZES["a4"])
        assert "FRONT" in front.extract_text() and "--cards-offset X,Y" in front.extract_text()
        assert "BACK" in back.extract_text()
        # The back's cross is where the front's point lands after a long-edge flip.
        h = float(back.height)
        vertical = [ln for ln in back.lines if ln["x0"] == ln["x1"]]
        horizontal = [ln for ln in back.lines if ln["top"] == ln["bottom"]]
        assert len(vertical) == len(horizontal) == 1
        bx, by = back_point(PAPER_SIZES["a4"], "long-edge")
        assert vertical[0]["x0"] == pytest.approx(bx) and h - horizontal[0]["top"] == pytest.approx(
            by
        )
        assert bx == pytest.approx(PAPER_SIZES["a4"][0] - calibration_point(PAPER_SIZES["a4"])[0])
        # Ruler ticks every millimetre on both axes (31 each) plus the two ruler lines.
        assert len([ln for ln in front.lines]) >= 2 * 31 + 2
    assert [p.name for p in out.parent.iterdir()] == ["calibration.pdf"]  # no temp file left


def test_cli_command_and_bad_theme(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["calibrate", "--paper", "letter", "-o", str(tmp_path / "c.pdf")])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")
    bad = runner.invoke(
        cli, ["calibrate", "--theme", "no-such-theme", "-o", str(tmp_path / "d.pdf")]
    )
    assert bad.exit_code == 1
    assert "theme 'no-such-theme' not found" in bad.output
    assert "Traceback" not in bad.output and not (tmp_path / "d.pdf").exists()


def test_same_sheet_same_bytes(tmp_path):
    write_calibration_sheet("letter", "default", tmp_path / "a.pdf")
    write_calibration_sheet("letter", "default", tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


@pytest.mark.parametrize("paper", ("letter", "a4"))
@pytest.mark.parametrize("duplex", ("long-edge", "short-edge"))
@pytest.mark.parametrize("error", [(1.5, -2.0), (-3.0, 0.5)])
def test_reading_the_sheet_gives_the_offset_that_aligns_the_cards(paper, duplex, error):
    """Simulate a printer that shifts every back by `error` mm; read the rulers; rebuild; check."""
    page = PAPER_SIZES[paper]
    ex, ey = error[0] * MM, error[1] * MM

    def printed_behind(x: float, y: float) -> tuple[float, float]:
        """Front-page position behind which a back-page point actually prints."""
        r = mirror(Rect(x + ex, y + ey, 0, 0), page, duplex)
        return (r.x, r.y)

    px, py = calibration_point(page)
    seen_x, seen_y = printed_behind(*back_point(page, duplex))
    reading = (
        ruler_label((seen_x - px) / MM, "x", duplex),
        ruler_label((seen_y - py) / MM, "y", duplex),
    )

    pack = load_pack(SAMPLE, Report())
    theme = load_theme("default", Report())
    theme = dataclasses.replace(
        theme, paper=paper, cards=dataclasses.replace(theme.cards, duplex=duplex, offset=reading)
    )
    plan = plan_cards(pack, theme, card_fonts(theme), Report())
    fronts = {s.card: s.rect for s in plan.sheets[0].sides}
    for back in plan.sheets[1].sides:
        x, y = printed_behind(back.rect.x + back.rect.w / 2, back.rect.y + back.rect.h / 2)
        assert (x, y) == pytest.approx(fronts[back.card].center, abs=0.01)
