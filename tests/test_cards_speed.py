"""The shortcuts that make big card packs fast give exactly what the plain way gives."""

from __future__ import annotations

import dataclasses
import io

from studypack.errors import Report, Span
from studypack.fit import fit
from studypack.inline import parse_inline
from studypack.model import Card
from studypack.plan.card_text import fit_runs
from studypack.plan.cards import Rect, plan_cards
from studypack.render.card_ops import Ops
from studypack.render.cards_pdf import card_fonts

WORDS = [
    "alliance",
    "burden-sharing",
    "**treaty**",
    "*Article*",
    "`IX`",
    "日本国",
    "Antidisestablishmentarianism",
    "of",
    "the",
]


def test_bisection_finds_the_size_the_linear_search_finds(theme):
    fonts = card_fonts(theme).back
    checked = 0
    for n in (1, 2, 5, 13, 40, 90, 200):
        text = " ".join(WORDS[(i * 7) % len(WORDS)] for i in range(n))
        runs = parse_inline(text)
        for width, height in ((120.0, 40.0), (230.0, 120.0), (300.0, 60.0), (60.0, 300.0)):
            for hi, lo in ((20.0, 7.0), (7.0, 4.0), (9.5, 9.5), (14.0, 13.5)):
                assert fit_runs(runs, fonts, width, height, hi, lo) == fit(
                    runs, fonts, width, height, hi, lo
                ), (n, width, height, hi, lo)
                checked += 1
    assert checked == 7 * 4 * 4


def test_each_card_with_a_repeated_text_gets_its_own_warning(pack, theme):
    long = "burden sharing " * 700
    cards = tuple(Card(f"Question {i}", long, span=Span("p.yaml", 10 + i, 3)) for i in range(3)) + (
        Card("Question 0", long, hint="See also: x", span=Span("p.yaml", 20, 3)),
    )
    report = Report()
    plan = plan_cards(
        dataclasses.replace(pack, glossary=(), cards=cards), theme, card_fonts(theme), report
    )
    lines = [d.line for d in report.warnings]
    assert lines == [10, 11, 12, 20], [str(d) for d in report.warnings]
    assert [d.message.split(":")[0] for d in report.warnings] == [
        "card 'Question 0'",
        "card 'Question 1'",
        "card 'Question 2'",
        "card 'Question 0'",
    ]
    backs = [s for sheet in plan.sheets for s in sheet.sides if s.side == "back"]
    body = [[line.pieces for line in s.lines if line.color == "text"] for s in backs]
    assert body[0] == body[1] == body[2] and body[0]


def test_cached_operators_are_what_the_canvas_writes(theme):
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import Canvas

    font = card_fonts(theme).back.text.regular
    texts = ["Plain words", "(Parens) and \\ backslash", "日本 and é", "Plain words"]

    def draw(fast: bool) -> bytes:
        buf = io.BytesIO()
        c = Canvas(buf, invariant=1, pageCompression=0)
        ops = Ops(c)
        c.setStrokeColor(HexColor("#000000"))  # as draw_plan does per sheet (and PDF 1.4 with it)
        for i, text in enumerate(texts * 2):
            x, y, size = 30.5 + i * 1.25, 700 - i * 13.1, 9.5 + i
            if fast:
                c.addLiteral(ops.color("#1A2B3C", "rg"))
                c.addLiteral(ops.text(x, y, font, size, text))
                c.addLiteral(ops.color("#5F6B7A", "RG"))
                c.addLiteral(ops.frame(Rect(x, y - 40, 200.25, 30.125), 4.25))
                c.addLiteral(ops.lines(((x, 10.0, x, 20.5), (1 / 3, y, 2 / 3, y))))
            else:
                c.setFillColor(HexColor("#1A2B3C"))
                c.setFont(font, size)
                c.drawString(x, y, text)
                c.setStrokeColor(HexColor("#5F6B7A"))
                c.roundRect(x, y - 40, 200.25, 30.125, 4.25, stroke=1, fill=0)
                c.line(x, 10.0, x, 20.5)
                c.line(1 / 3, y, 2 / 3, y)
        c.showPage()
        c.save()
        return buf.getvalue()

    assert draw(True) == draw(False)
