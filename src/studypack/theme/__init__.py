"""Themes: find one, read its `extends` chain, check it against the schema, resolve a Theme.

Every problem is reported at the line of the file that set the value.
"""

from __future__ import annotations

from studypack.deck_template import SCHEME_SLOTS
from studypack.theme.find import builtin_themes_dir, find_theme, list_themes
from studypack.theme.model import (
    ASPECTS,
    BRAND_FILES,
    CARD_SIZES,
    COLOR_KEYS,
    DEFAULT_THEME,
    DUPLEX,
    LOGO_FORMATS,
    PAPERS,
    THEME_FILE,
    CardStyle,
    Colors,
    Fonts,
    Layer,
    SlideStyle,
    Style,
    Theme,
)
from studypack.theme.resolve import load_theme

__all__ = [
    "ASPECTS",
    "BRAND_FILES",
    "CARD_SIZES",
    "COLOR_KEYS",
    "DEFAULT_THEME",
    "DUPLEX",
    "LOGO_FORMATS",
    "PAPERS",
    "SCHEME_SLOTS",
    "THEME_FILE",
    "CardStyle",
    "Colors",
    "Fonts",
    "Layer",
    "SlideStyle",
    "Style",
    "Theme",
    "builtin_themes_dir",
    "find_theme",
    "list_themes",
    "load_theme",
]
