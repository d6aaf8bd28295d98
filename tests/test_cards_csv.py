"""cards.csv: Anki's file headers, HTML fields, nothing a spreadsheet would run as a formula."""

from __future__ import annotations

import dataclasses

from helpers import render_output
from studypack.errors import Report
from studypack.model import Card
from studypack.render.cards_csv import neutralise, read_cards, seen_text


def test_headers_tell_anki_how_to_read_the_file(pack, theme):
    text = render_output("csv", pack, theme, Report()).decode("utf-8")
    head = text.split("\r\n")[:6]
    assert head == [
        "#separator:Comma",
        "#html:true",
        "#notetype:Basic",
        "#deck:The Japan–US Security Treaty",
        "#tags column:3",
        "#columns:Front,Back,Tags",
    ]
    rows = read_cards(text)
    assert len(rows) == len(pack.flashcards()) == 44  # no header row among the cards
    assert "\n" not in text.replace("\r\n", "")  # hints join with <br>, not line breaks


def test_bold_italic_and_links_stay_html_and_text_is_escaped(pack, theme):
    cards = (Card("<b>x</b> & y", "**bold**, *italic* and [a link](https://example.org/?a=1&b=2)"),)
    text = render_output("csv", 
        dataclasses.replace(pack, glossary=(), cards=cards), theme, Report()
    ).decode()
    (row,) = read_cards(text)
    assert row["front"] == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert (
        row["back"]
        == '<b>bold</b>, <i>italic</i> and <a href="https://example.org/?a=1&amp;b=2">a link</a>'
    )
    assert seen_text(row["front"]) == "<b>x</b> & y"


def test_cells_a_spreadsheet_would_run_are_neutralised(pack, theme):
    for start in "=+-@\t\r":
        cell = neutralise(start + "SUM(A1)")
        assert cell[0] == "&" and seen_text(cell) == start + "SUM(A1)"
    assert neutralise("plain") == "plain" and neutralise("") == ""
    cards = (Card('=HYPERLINK("http://x")', "-1", tags=("@t",)),)
    text = render_output("csv", 
        dataclasses.replace(pack, glossary=(), cards=cards), theme, Report()
    ).decode()
    (row,) = read_cards(text)
    assert not any(v[:1] in "=+-@\t\r" for v in row.values())
