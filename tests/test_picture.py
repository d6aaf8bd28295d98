"""studypack.picture: the deck's fallback pictures, drawn from text, outlines and rectangles."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from studypack import picture
from studypack.errors import Report, Span
from studypack.fonts import family_files
from studypack.math import parse
from studypack.math import typeset as ts

FONT = str(family_files("Source Sans Pro", None).regular)


def rgba(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGBA")


def pixels(image: Image.Image) -> list[tuple[int, ...]]:
    """(r, g, b, a) of every pixel (getdata is deprecated in Pillow 13)."""
    data = image.convert("RGBA").tobytes()
    return [tuple(data[i : i + 4]) for i in range(0, len(data), 4)]


def levels(image: Image.Image) -> bytes:
    return image.tobytes()  # one channel's values


def formula(latex: str):
    result = parse(latex, Span("math"), Report())
    assert result is not None
    return result


def test_one_colour_is_a_palette_picture_with_every_coverage_level():
    png = picture.png(200, 40, 144, [picture.Text(4, 30, 24, FONT, "1F3A5F", "Hamburfonstiv")]).png
    with Image.open(io.BytesIO(png)) as im:
        assert im.mode == "P" and im.size == (400, 80)
    image = rgba(png)
    colours = {px[:3] for px in pixels(image) if px[3]}
    assert colours == {(0x1F, 0x3A, 0x5F)}
    alphas = {px[3] for px in pixels(image)}
    assert 0 in alphas and 255 in alphas and len(alphas) > 100  # antialiased edges
    left, top, right, bottom = image.getchannel("A").getbbox()
    assert left == pytest.approx(8, abs=6) and bottom == pytest.approx(60, abs=8)  # on its baseline


def test_colours_keep_their_own_pixels():
    png = picture.png(
        300, 40, 144,
        [picture.Text(4, 30, 24, FONT, "C00000", "red"), picture.Text(150, 30, 24, FONT, "0000C0", "blue")],
    ).png  # fmt: skip
    image = rgba(png)
    left = pixels(image.crop((0, 0, 280, 80)))
    right = pixels(image.crop((300, 0, 600, 80)))
    assert {px[:3] for px in left if px[3]} == {(0xC0, 0, 0)}
    assert {px[:3] for px in right if px[3]} == {(0, 0, 0xC0)}


def test_text_over_a_fill_is_composited_without_a_see_through_edge():
    png = picture.png(
        200, 40, 144,
        [picture.Rect(0, 0, 200, 40, "1F3A5F"), picture.Text(4, 30, 24, FONT, "FFFFFF", "Header")],
    ).png  # fmt: skip
    image = rgba(png)
    assert {px[3] for px in pixels(image)} == {255}  # opaque everywhere: the fill shows between
    assert (255, 255, 255, 255) in set(pixels(image))


def test_underline_runs_under_the_text():
    plain = rgba(picture.png(200, 40, 144, [picture.Text(4, 30, 24, FONT, "000000", "link")]).png)
    under = rgba(picture.png(200, 40, 144, [picture.Text(4, 30, 24, FONT, "000000", "link", True)]).png)
    assert under.getchannel("A").getbbox()[3] > plain.getchannel("A").getbbox()[3]


@pytest.mark.parametrize("latex", [r"\frac{-b \pm \sqrt{b^2-4ac}}{2a}", r"\left( \sum_{k=0}^{n} x_k \right)^2"])
def test_an_equation_is_drawn_where_resvg_draws_it(latex):
    """The outlines' placement (scale, viewBox, baseline) against an independent SVG renderer."""
    import resvg_py

    f = formula(latex)
    result = ts.typeset(f, 30, display=True)
    ours = rgba(ts.to_png(f, 30, display=True, dpi=144)).getchannel("A")
    theirs = rgba(resvg_py.svg_to_bytes(svg_string=result.svg, zoom=2.0)).getchannel("A")
    assert abs(ours.width - theirs.width) <= 1 and abs(ours.height - theirs.height) <= 1
    for a, b in zip(ours.getbbox(), theirs.getbbox()):  # the same ink box...
        assert a == pytest.approx(b, abs=2)
    # ...and about as much ink (Anti-Grain covers edge pixels by exact area, a little more than resvg)
    assert sum(levels(ours)) == pytest.approx(sum(levels(theirs)), rel=0.15)
    assert ours.getbbox() is not None


def test_an_equation_with_strokes_is_drawn_by_the_general_renderer():
    f = formula(r"\boxed{x + 1}")
    item = ts.picture_item(f, 24, "#000000", True, 0, 20)
    if isinstance(item, picture.Outlines):
        pytest.skip("this ziamath version draws \\boxed with fills only")
    assert isinstance(item, picture.Mask)
    image = rgba(picture.png(item.w + 4, 40, 144, [item]).png)
    assert image.getchannel("A").getbbox() is not None


def test_a_cropped_picture_keeps_only_the_ink_at_the_same_scale():
    items = [picture.Text(50, 60, 24, FONT, "000000", "Ham")]
    whole = picture.png(400, 200, 144, items)
    cropped = picture.png(400, 200, 144, items, crop=True)
    assert whole.box == (0, 0, 400, 200)
    x, y, w, h = cropped.box
    assert 50 <= x < 54 and 38 < y < 45 and w < 50 and h < 22  # around "Ham" on its baseline at y=60
    full, part = rgba(whole.png), rgba(cropped.png)
    assert part.size == (round(w * 2), round(h * 2))  # 2 px a point, as the whole picture
    assert part.tobytes() == full.crop((round(x * 2), round(y * 2), round((x + w) * 2), round((y + h) * 2))).tobytes()
