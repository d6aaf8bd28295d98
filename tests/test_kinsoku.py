"""Kinsoku: no line of Japanese starts with a closing mark or ends with an opening bracket.

Checked on fit.wrap itself (cards draw its lines, the deck planner counts them), on the
flashcards PDF as drawn, and on a Japanese deck as LibreOffice lays it out.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pdfplumber
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pptx import Presentation

from helpers import (
    ARIAL,
    CJK_FONT,
    NEVER_END,
    NEVER_START,
    build_or_fail,
    glyphs_outside,
    pdf_from_pptx,
    render_output,
    require_fallback_for,
)
from studypack.errors import Span
from studypack.fit import (
    groups,
    line_text,
    runs_width,
    token_matches,
    wrap,
)
from studypack.inline import Run, parse_inline
from studypack.model import Card
from studypack.plan.deck_fit import WIDTH_SAFETY
from studypack.plan.deck_lines import count_lines
from studypack.render import cards_pdf

# Closing marks, small kana and brackets where a per-character break would land.
TEXTS = [
    "戦争の放棄を定める条文。「戦力不保持」と「交戦権の否認」を含み、日本の防衛政策（専守防衛）を長く形作ってきた。",
    "同盟国が攻撃された際に、自国が攻撃されていなくても共同で防衛する権利。二〇一四年の閣議決定で、限定的に行使できるとされた。",
    "ジョン・フォスター・ダレスは、シャッターやキャッチャー、ティッシュ、チョッキのような小さな仮名を含む語を好んだ（らしい）。",
    "安全保障協議委員会（「２＋２」）には、両国の外務・防衛閣僚が集まる！本当か？　はい。『日米同盟』【要点】〔注〕〈例〉《書名》",
    "条約は**第五条**。米国（**United States**）は「防衛」を約束する。",  # marks in other runs
]


def bad_lines(lines: list[str]) -> list[str]:
    """Lines a break made start with a closing mark or end with an opening one."""
    starts = [s for s in lines[1:] if s[:1] in NEVER_START]
    return starts + [s for s in lines[:-1] if s[-1:] in NEVER_END]


def joined_groups(text: str) -> list[str]:
    return ["".join(p.text for p in g) for g in groups((Run(text),))]


@pytest.mark.parametrize("mark", sorted(NEVER_START))
def test_no_group_starts_with_a_closing_mark(mark):
    parts = joined_groups("日本" + mark + "本")
    assert not any(part.startswith(mark) for part in parts), parts
    assert "".join(parts) == "日本" + mark + "本"


@pytest.mark.parametrize("mark", sorted(NEVER_END))
def test_no_group_ends_with_an_opening_mark(mark):
    parts = joined_groups("日" + mark + "本")
    assert not any(part.endswith(mark) for part in parts), parts


def test_text_without_cjk_keeps_its_plain_tokens():
    assert [m.group() for m in token_matches("a, b (c) “d”…")] == ["a,", " ", "b", " ", "(c)", " ", "“d”…"]


@pytest.mark.parametrize("text", TEXTS, ids=[f"text{i}" for i in range(len(TEXTS))])
@pytest.mark.parametrize("size", [9.0, 14.0])
def test_wrapping_at_every_width_keeps_marks_with_their_neighbours(text, size, theme):
    runs = parse_inline(text)
    for fonts in (ARIAL, cards_pdf.card_fonts(theme).back):
        widest = max(runs_width(g, fonts, size) for g in groups(runs))
        full = runs_width(runs, fonts, size)
        width = widest
        while width < full + size:
            lines = wrap(runs, fonts, size, width)
            texts = [line_text(line) for line in lines]
            assert not bad_lines(texts), (width, texts)
            assert "".join("".join(texts).split()) == "".join(text.replace("*", "").split())
            assert count_lines(runs, fonts, size, width) == len(lines)
            width += 1.0


def test_a_mark_in_its_own_run_still_sticks():
    runs = (Run("本日は晴天なり"), Run("。", bold=True), Run("「"), Run("明日", italic=True))
    width = runs_width([Run("本日は晴天なり")], ARIAL, 10.0) + 1.0  # "。" just does not fit
    lines = [line_text(line) for line in wrap(runs, ARIAL, 10.0, width)]
    assert lines == ["本日は晴天な", "り。「明日"]
    width = runs_width([Run("本日は晴天なり。「")], ARIAL, 10.0) + 1.0  # "「明" does not fit
    lines = [line_text(line) for line in wrap(runs, ARIAL, 10.0, width)]
    assert lines == ["本日は晴天なり。", "「明日"]


JAPANESE = st.sampled_from(
    list("日本語国のはがをにでとしてたっゃゅょァッーぁ")
    + list("、。」）』】！？・ー")
    + list("「（『【")
) | st.sampled_from(["ab", "Tokyo", "9"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.lists(JAPANESE, max_size=30), st.booleans()), max_size=4),
       st.sampled_from([10.0, 18.0]), st.floats(0.0, 300.0))  # fmt: skip
def test_random_japanese_never_breaks_at_a_mark(parts, size, extra):
    runs = [Run("".join(chars), bold=bold) for chars, bold in parts]
    widths = [runs_width(g, ARIAL, size) for g in groups(runs)]
    # A group wider than the line is cut between characters; only then may a mark lead a line.
    width = max(widths, default=0.0) + extra
    assert not bad_lines([line_text(line) for line in wrap(runs, ARIAL, size, width)])


def test_flashcards_pdf_lines_keep_marks_with_their_neighbours(pack, theme):
    require_fallback_for("日", CJK_FONT)  # without it the backs are boxes that never wrap
    cards = tuple(
        Card(f"問{i}", text, span=Span("p.yaml", i + 1, 1)) for i, text in enumerate(TEXTS)
    )
    ja = dataclasses.replace(pack, glossary=(), cards=cards)
    for size in ("3x5in", "A7", "2x3.5in"):
        t = dataclasses.replace(theme, cards=dataclasses.replace(theme.cards, size=size))
        with pdfplumber.open(io.BytesIO(render_output("cards", ja, t))) as pdf:
            checked = 0
            for page in pdf.pages[1::2]:  # backs
                for frame in page.curves:
                    crop = page.crop((frame["x0"], frame["top"] + 15, frame["x1"], frame["bottom"]))
                    lines = crop.extract_text().splitlines()
                    assert not bad_lines(lines), (size, lines)
                    checked += len(lines)
            assert checked > 2 * len(cards), size  # the backs did wrap


def ja_pack(folder: Path) -> Path:
    data = {
        "title": "日米安全保障条約",
        "date": "2026-11-24",
        "language": "ja",
        "sections": [
            {"title": "同盟の背景", "summary": TEXTS[0], "points": TEXTS[1:4]},
            {"title": "条約の規定", "points": [t * 2 for t in TEXTS]},
        ],
        "glossary": [
            {"term": "第９条", "definition": TEXTS[0]},
            {"term": "自衛権", "definition": TEXTS[1]},
        ],
    }
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.mark.render
def test_japanese_deck_lines_as_laid_out_by_us_and_by_libreoffice(tmp_path):
    deck = build_or_fail(ja_pack(tmp_path / "nichibei"), tmp_path / "out", only=("deck",))["deck"]
    # Our lines for every body paragraph at its placeholder's text width and size.
    checked = 0
    for slide in Presentation(str(deck)).slides:
        for shape in slide.placeholders:
            frame = shape.text_frame
            inner = (shape.width - frame.margin_left - frame.margin_right) / 12700
            for p in frame.paragraphs:
                if not p.runs or p.runs[0].font.size is None:
                    continue
                mar_l = int(p._p.get_or_add_pPr().get("marL", "0")) / 12700
                runs = [Run(r.text, bool(r.font.bold), bool(r.font.italic)) for r in p.runs]
                lines = wrap(runs, ARIAL, p.runs[0].font.size.pt, (inner - mar_l) * WIDTH_SAFETY)
                assert not bad_lines([line_text(line) for line in lines])
                checked += len(lines) > 1
    assert checked >= 5
    # LibreOffice breaks the lines itself: they must fit where we said and obey kinsoku too.
    pdf = pdf_from_pptx(deck, tmp_path / "pdf")
    slides, pages, outside = glyphs_outside(deck, pdf)
    assert pages == slides and not outside, outside[:10]
    with pdfplumber.open(str(pdf)) as doc:
        lines = [line for page in doc.pages for line in page.extract_text().splitlines()]
    assert not bad_lines(lines)
