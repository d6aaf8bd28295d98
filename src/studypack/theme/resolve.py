"""Loading a theme: find it, read its chain of files, check the merged settings, build a Theme."""

from __future__ import annotations

from pathlib import Path

from studypack.deck_template import scheme_colors, slide_size
from studypack.errors import Report, Span, did_you_mean
from studypack.theme.find import find_theme, theme_names
from studypack.theme.layers import merge, read_chain
from studypack.theme.model import (
    ASPECTS,
    BRAND_FILES,
    COLOR_KEYS,
    THEME_FILE,
    CardStyle,
    Colors,
    Fonts,
    Layer,
    Setting,
    SlideStyle,
    Style,
    Theme,
)
from studypack.theme.schema import check_values


def load_theme(
    ref: str, report: Report, span: Span | None = None, relative_to: Path | None = None
) -> Theme | None:
    """Resolve and validate a theme; None (with errors reported) when unusable."""
    path = find_theme(ref, relative_to)
    if path is None:
        report.error(
            span or Span(ref), f"theme '{ref}' not found{did_you_mean(ref, theme_names())}"
        )
        return None
    before = len(report.errors)
    chain = read_chain(path, report)
    if chain is None:
        return None
    theme = resolve(chain, report)
    return theme if len(report.errors) == before else None


def resolve(chain: list[Layer], report: Report) -> Theme | None:
    """Merge layers (most specific wins) and check every value, located where it was set."""
    before = len(report.errors)
    merged = merge(chain)
    values = check_values(merged, report)
    if (
        "cards.min_font" in values
        and "cards.max_font" in values
        and values["cards.min_font"] > values["cards.max_font"]
    ):
        report.error(merged["cards.min_font"].span, "cards.min_font: is larger than cards.max_font")
    template = values.get("slides.template")
    if template is not None:
        _check_template_size(template, merged, report)
    if len(report.errors) > before:
        return None

    colors = {key: values[f"colors.{key}"] for key in COLOR_KEYS}
    spans = {key: merged[f"colors.{key}"].span for key in COLOR_KEYS}
    if template is not None:
        # A colour set only by a less specific theme (what `extends` brings, e.g. default's
        # blue) is not a request: the template's master is the department's brand.
        rank = merged["slides.template"].depth
        from_template = scheme_colors(
            template, [key for key in COLOR_KEYS if merged[f"colors.{key}"].depth > rank]
        )
        colors.update(from_template)
        spans.update({key: merged["slides.template"].span for key in from_template})
    spans.update({key: merged[key].span for key in ("header", "footer")})
    return Theme(
        name=_name(chain[0]),
        folder=chain[0].path.parent.resolve(),
        files=tuple(layer.path.resolve() for layer in chain),
        colors=Colors(**colors),
        fonts=Fonts(values["fonts.heading"], values["fonts.body"]),
        logo=values.get("logo"),
        paper=values["paper"],
        slides=SlideStyle(
            values["slides.aspect"],
            template,
            values["slides.heading_font"],
            values["slides.body_font"],
        ),
        cards=CardStyle(
            values["cards.size"],
            values["cards.duplex"],
            tuple(values["cards.offset"]),  # type: ignore[arg-type]
            values["cards.min_font"],
            values["cards.max_font"],
        ),
        footer=values["footer"],
        header=values["header"],
        style=Style(fills=values["style.fills"]),
        spans=tuple(spans.items()),
    )


def _name(first: Layer) -> str:
    """A theme that does not name itself is called after its folder, not after what it extends."""
    if "name" in first.values:
        return first.values["name"][0]
    path = first.path
    return path.parent.name if path.name in (THEME_FILE, *BRAND_FILES) else path.stem


def _check_template_size(template: Path, merged: dict[str, Setting], report: Report) -> None:
    """A template keeps its own slide size: say so when the theme asks for another aspect.

    Only when `slides.aspect` is set as specifically as the template (an inherited default
    aspect is not a request)."""
    aspect = merged["slides.aspect"]
    if aspect.depth > merged["slides.template"].depth:
        return
    size = slide_size(template)
    if size is None or aspect.value not in ASPECTS:
        return
    ratio = size[0] / size[1]
    if abs(ratio - _ratio(aspect.value)) < 0.01:
        return
    named = next((a for a in ASPECTS if abs(ratio - _ratio(a)) < 0.01), None)
    shape = named or f"{size[0] / 360000:.1f} × {size[1] / 360000:.1f} cm"
    report.warning(
        aspect.span,
        f"slides.aspect: '{aspect.value}' is not used: {template.name} is {shape}, and decks keep the template's slide size",
    )


def _ratio(aspect: str) -> float:
    wide, high = aspect.split(":")
    return int(wide) / int(high)
