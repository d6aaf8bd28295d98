"""Deck text is measured with the widths LibreOffice draws it at: Arial and Times New Roman
are set in their metric clones (Liberation Sans/Serif), whose every glyph must measure the same
here, arrows, Greek and maths included (an arrow measured at 0.65 em let a table cell wrap)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from helpers import missing
from studypack.fit import char_width

CLONES = {
    "Helvetica": "LiberationSans-Regular",
    "Helvetica-Bold": "LiberationSans-Bold",
    "Times-Roman": "LiberationSerif-Regular",
    "Times-Italic": "LiberationSerif-Italic",
}


def _font_file(name: str) -> Path:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        missing("fc-list not installed (Debian: fontconfig)")
    listed = subprocess.run(
        [fc_list, "-f", "%{file}\n"], capture_output=True, text=True, timeout=60
    ).stdout
    for line in listed.splitlines():
        if Path(line).stem == name:
            return Path(line)
    missing(f"{name} is not installed (Debian: fonts-liberation2)")
    raise AssertionError  # missing() skips or fails


@pytest.mark.parametrize("standard", sorted(CLONES))
def test_every_glyph_of_the_clone_measures_as_libreoffice_draws_it(standard: str) -> None:
    clone = CLONES[standard]
    widths = TTFont(clone, str(_font_file(clone))).face.charWidths
    wrong = {
        chr(code): (char_width(chr(code), standard), width)
        for code, width in widths.items()
        if code >= 0x20
        and not 0xD800 <= code <= 0xDFFF
        and char_width(chr(code), standard)  # marks: 0
        and abs(char_width(chr(code), standard) - width) > 1
    }
    assert not wrong, list(wrong.items())[:10]
    assert len(widths) > 2000  # the whole font was compared, not a stub


def test_a_table_cell_with_an_arrow_wraps_where_libreoffice_wraps_it() -> None:
    from helpers import theme_and_problems
    from studypack.fit import runs_width
    from studypack.inline import parse_inline
    from studypack.plan.deck_fit import Fitter

    theme, _ = theme_and_problems("default")
    fit = Fitter(theme)
    # In Liberation Sans: colourless 4501 + space 278 + arrow 1000 + space 278 + pink 1834
    assert runs_width(parse_inline("colourless → pink"), fit.body, 1.0) == pytest.approx(
        7.891, abs=0.002
    )
