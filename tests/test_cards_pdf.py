"""flashcards.pdf read back with pdfplumber: backs behind fronts, marks outside cards, text inside."""

from __future__ import annotations

import dataclasses
import io

import pdfplumber
import pytest

from helpers import CJK_FONT, DEJAVU, SAMPLE, render_output, require_fallback_for
from studypack.errors import Report, Span
from studypack.inline import plain_text
from studypack.model import Card
from studypack.plan.cards import HEADER, MM, SIZES
from studypack.render.pdf_text import fallback_for

TOL = 0.5 * MM
INSET = 2 * MM  # the printed frame sits this far inside the cut line




def variant(theme, paper="letter", size="3x5in", duplex="long-edge", offset=(0.0, 0.0)):
    cards = dataclasses.replace(theme.cards, size=size, duplex=duplex, offset=offset)
    return dataclasses.replace(theme, paper=paper, cards=cards)


def render(pack, theme, report=None) -> bytes:
    return render_output("cards", pack, theme, report)


def cards_on(page) -> dict[int, dict]:
    """Card number -> {'frame': (x0, top, x1, bottom), 'words': [...]}, found from the '#n' label in each frame."""
    words = page.extract_words(use_text_flow=True)
    found: dict[int, dict] = {}
    for curve in page.curves:
        box = (curve["x0"], curve["top"], curve["x1"], curve["bottom"])
        inside = [
            w
            for w in words
            if box[0] <= w["x0"]
            and w["x1"] <= box[2]
            and box[1] <= w["top"]
            and w["bottom"] <= box[3]
        ]
        labels = [
            w["text"] for w in inside if w["text"].startswith("#") and w["text"][1:].isdigit()
        ]
        assert len(labels) == 1, (box, labels)
        found[int(labels[0][1:])] = {"frame": box, "words": [w["text"] for w in inside]}
    return found


def center(box) -> tuple[float, float]:
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


def card_rect(frame):
    return (frame[0] - INSET, frame[1] - INSET, frame[2] + INSET, frame[3] + INSET)


def test_sample_build_has_every_card_front_then_back(sample_outputs, pack):
    cards = pack.flashcards()
    with pdfplumber.open(sample_outputs["cards"]) as pdf:
        assert len(pdf.pages) == 2 * -(-len(cards) // 3)
        for i in range(0, len(pdf.pages), 2):
            fronts, backs = cards_on(pdf.pages[i]), cards_on(pdf.pages[i + 1])
            assert set(fronts) == set(backs) and fronts
            for n in fronts:
                card = cards[n - 1]
                assert plain_text(card.front).split()[0] in fronts[n]["words"]
                assert plain_text(card.back).split()[0] in backs[n]["words"]
                assert (
                    "Japan–US" in fronts[n]["words"] and "Japan–US" in backs[n]["words"]
                )  # pack title
        meta = pdf.metadata
        assert meta["Title"] == "Flashcards: The Japan–US Security Treaty"
        assert meta["CreationDate"].startswith("D:20261124")


@pytest.mark.parametrize("paper", ("letter", "a4"))
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("duplex", ("long-edge", "short-edge"))
def test_back_lands_behind_front(pack, theme, paper, size, duplex):
    data = render(pack, variant(theme, paper, size, duplex))
    seen = set()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for i in range(0, len(pdf.pages), 2):
            front_page, back_page = pdf.pages[i], pdf.pages[i + 1]
            w, h = float(front_page.width), float(front_page.height)
            assert h > w  # portrait, so long/short edge mean what the print dialog says
            fronts, backs = cards_on(front_page), cards_on(back_page)
            assert set(fronts) == set(backs)
            for n, front in fronts.items():
                fx, fy = center(front["frame"])
                bx, by = center(backs[n]["frame"])
                ex, ey = (w - fx, fy) if duplex == "long-edge" else (fx, h - fy)
                assert abs(bx - ex) <= TOL and abs(by - ey) <= TOL, (n, (bx, by), (ex, ey))
                seen.add(n)
    assert seen == set(range(1, len(pack.flashcards()) + 1))


@pytest.mark.parametrize("size", list(SIZES))
def test_each_back_is_one_left_aligned_block_centred_in_its_frame(pack, theme, size):
    with pdfplumber.open(io.BytesIO(render(pack, variant(theme, size=size)))) as pdf:
        blocks = 0
        for page in pdf.pages[1::2]:
            for frame in page.curves:
                x0, x1, frame_top = frame["x0"], frame["x1"], float(page.height) - frame["top"]
                rows: dict[float, list] = {}
                for c in page.chars:
                    baseline = c["matrix"][5]  # PDF y, up from the page's foot
                    # Below the header strip (card number, pack title): the card's text.
                    if c["text"].strip() and x0 <= c["x0"] <= x1 and baseline < frame_top - HEADER:
                        if baseline > frame_top - frame["height"]:
                            rows.setdefault(round(baseline, 2), []).append(c)
                lefts = [min(c["x0"] for c in row) for row in rows.values()]
                right = max(c["x1"] for row in rows.values() for c in row)
                assert max(lefts) - min(lefts) < 0.05, lefts  # one left edge, hint line included
                assert (lefts[0] - x0) == pytest.approx(x1 - right, abs=0.3)  # block centred
                blocks += 1
        assert blocks == len(pack.flashcards())


@pytest.mark.parametrize("paper", ("letter", "a4"))
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("duplex", ("long-edge", "short-edge", "fold"))
def test_crop_marks_stay_outside_cards(pack, theme, paper, size, duplex):
    data = render(pack, variant(theme, paper, size, duplex))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[:4]:
            rects = [card_rect((c["x0"], c["top"], c["x1"], c["bottom"])) for c in page.curves]
            marks = [ln for ln in page.lines if ln["stroking_color"] == (0.0, 0.0, 0.0)]
            assert len(marks) >= 8
            for m in marks:
                for r in rects:
                    crosses = (
                        m["x0"] < r[2] - 0.01 and m["x1"] > r[0] + 0.01
                        if m["top"] == m["bottom"]
                        else m["top"] < r[3] - 0.01 and m["bottom"] > r[1] + 0.01
                    )
                    inside_band = (
                        r[1] < m["top"] < r[3] if m["top"] == m["bottom"] else r[0] < m["x0"] < r[2]
                    )
                    assert not (crosses and inside_band), (
                        m["x0"],
                        m["top"],
                        m["x1"],
                        m["bottom"],
                        r,
                    )


def test_fold_layout_puts_front_and_back_side_by_side(pack, theme):
    data = render(pack, variant(theme, duplex="fold"))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        numbers = [w["text"] for w in words if w["text"].startswith("#")]
        assert numbers and all(numbers.count(n) == 2 for n in numbers)
        dashed = [ln for ln in page.lines if ln["stroking_color"] != (0.0, 0.0, 0.0)]
        assert len(dashed) == len(numbers) // 2  # one fold line per card
        frames = sorted(
            ((c["x0"], c["top"], c["x1"], c["bottom"]) for c in page.curves),
            key=lambda b: (b[1], b[0]),
        )
        for fold, (a, b) in zip(
            sorted(dashed, key=lambda d: d["top"]), zip(frames[::2], frames[1::2])
        ):
            # The fold line runs exactly between the two cut lines of a pair.
            assert fold["x0"] == pytest.approx((a[2] + b[0]) / 2, abs=0.01)


def test_offset_moves_backs(pack, theme):
    plain = render(pack, variant(theme))
    shifted = render(pack, variant(theme, offset=(2.0, -1.5)))
    with pdfplumber.open(io.BytesIO(plain)) as a, pdfplumber.open(io.BytesIO(shifted)) as b:
        for i in (0, 1):
            before, after = cards_on(a.pages[i]), cards_on(b.pages[i])
            for n in before:
                (x0, y0), (x1, y1) = center(before[n]["frame"]), center(after[n]["frame"])
                dx, dy = (
                    (2.0 * MM, 1.5 * MM) if i == 1 else (0.0, 0.0)
                )  # pdfplumber's y grows downwards
                assert (x1 - x0, y1 - y0) == pytest.approx((dx, dy), abs=0.01)


def test_overlong_back_is_warned_and_stays_inside_its_card(pack, theme):
    words = ("alliance burden sharing treaty " * 70)[:2000]
    card = Card("Overlong answer", words, span=Span(str(SAMPLE / "pack.yaml"), 12, 3))
    report = Report()
    data = render(
        dataclasses.replace(pack, glossary=(), cards=(card,)),
        variant(theme, size="2x3.5in"),
        report,
    )
    assert any(
        "card 'Overlong answer': back text does not fit even at 7 pt" in str(d)
        for d in report.warnings
    )
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        back = pdf.pages[1]
        (only,) = back.curves
        r = card_rect((only["x0"], only["top"], only["x1"], only["bottom"]))
        assert len(back.chars) > 2000
        for ch in back.chars:
            assert (
                r[0] <= ch["x0"] and ch["x1"] <= r[2] and r[1] <= ch["top"] and ch["bottom"] <= r[3]
            ), ch["text"]
        text = back.extract_text().replace("\n", " ").replace(" ", "")
        assert words.replace(" ", "") in text  # nothing silently dropped


def test_text_is_literal_and_cjk_is_drawn(pack, theme):
    cards = (
        Card(
            "<b>&amp; {{ 7*7 }} %(x)s",
            "<para>not markup</para> **bold**",
            span=Span("p.yaml", 3, 1),
        ),
        Card("日本国憲法第9条", "戦争の放棄を定める条文。", span=Span("p.yaml", 5, 1)),
    )
    report = Report()
    data = render(dataclasses.replace(pack, glossary=(), cards=cards), theme, report)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        front, back = pdf.pages[0].extract_text(), pdf.pages[1].extract_text()
    assert "<b>&amp; {{ 7*7 }} %(x)s" in front
    assert "<para>not markup</para> bold" in back
    if fallback_for("日") is not None:
        assert "日本国憲法第9条" in front.replace(" ", "")
        assert "戦争の放棄を定める条文。" in back.replace(" ", "")
        assert not report.warnings
    else:
        assert any("no installed font has" in str(d) for d in report.warnings)


def test_bold_cjk_in_a_one_weight_fallback_font_is_stroked_bold(pack, theme):
    """Card fronts are bold; CJK falls back to a font with one weight, so it is emboldened by
    drawing the outline too (text render mode 2) in the text colour. Backs stay regular."""
    require_fallback_for("日", CJK_FONT)
    cards = (Card("日本国憲法第9条", "戦争の放棄を定める条文。", span=Span("p.yaml", 5, 1)),)
    data = render(dataclasses.replace(pack, glossary=(), cards=cards), theme, Report())
    from pypdf import PdfReader

    front, back = (page.get_contents().get_data().decode("latin-1") for page in PdfReader(io.BytesIO(data)).pages[:2])
    from reportlab.lib.colors import HexColor
    from reportlab.lib.rl_accel import fp_str

    c = HexColor(theme.colors.primary)
    primary = fp_str((c.red, c.green, c.blue))  # as the canvas writes colours
    assert front.count(" 2 Tr") == len("日本国憲法第") + 1  # every CJK character of the front; not "9"
    assert f"{primary} RG" in front
    assert " 2 Tr" not in back


def test_same_input_same_bytes(pack, theme):
    assert render(pack, theme) == render(pack, theme)


def test_fonts_are_embedded(sample_outputs):
    from pypdf import PdfReader

    reader = PdfReader(sample_outputs["cards"])
    fonts = reader.pages[1]["/Resources"]["/Font"]
    for ref in fonts.values():
        font = ref.get_object()
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, font["/BaseFont"]


def test_pack_without_cards_still_builds(pack, theme):
    report = Report()
    data = render(dataclasses.replace(pack, glossary=(), cards=()), theme, report)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1
        assert "no glossary terms or cards" in pdf.pages[0].extract_text()
    assert not report.diagnostics


def test_logo_on_backs_and_bad_logo_is_a_warning(pack, theme, tmp_path):
    from PIL import Image

    good = tmp_path / "logo.png"
    Image.new("RGB", (60, 20), (200, 16, 46)).save(good)
    small = dataclasses.replace(pack, cards=(), glossary=pack.glossary[:2])
    with pdfplumber.open(io.BytesIO(render(small, dataclasses.replace(theme, logo=good)))) as pdf:
        assert not pdf.pages[0].images and len(pdf.pages[1].images) == 2  # backs only
        for img in pdf.pages[1].images:  # in a card's top-left corner
            (frame,) = [
                c
                for c in pdf.pages[1].curves
                if c["x0"] <= img["x0"]
                and img["x1"] <= c["x1"]
                and c["top"] <= img["top"] <= c["bottom"]
            ]
            assert img["top"] - frame["top"] < 2 * MM and img["x0"] - frame["x0"] < 2 * MM
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    report = Report()
    render(small, dataclasses.replace(theme, logo=bad), report)
    assert [d.message.split(":")[0] for d in report.warnings] == [
        "logo cannot be drawn on the flashcards"
    ]


def test_a_character_from_a_fallback_font_leaves_no_gap(pack, theme):
    """Source Sans lacks U+207B (superscript minus): a fallback font draws it, and the card's
    layout measures it in that font, so 10⁻³ prints without a hole around the minus."""
    require_fallback_for("⁻", DEJAVU)
    cards = (Card("10⁻³ m", "a millimetre", span=Span("p.yaml", 3, 1)),)
    data = render(dataclasses.replace(pack, glossary=(), cards=cards), theme, Report())
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        chars = pdf.pages[0].chars
        size = max(c["size"] for c in chars)  # the front's text, not the card number
        chars = [c for c in chars if c["size"] == size]
    assert "".join(c["text"] for c in chars) == "10⁻³ m"
    for left, right in zip(chars[:4], chars[1:4]):
        assert right["x0"] == pytest.approx(left["x1"], abs=0.05), (left["text"], right["text"])
