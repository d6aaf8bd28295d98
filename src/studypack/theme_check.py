"""`studypack themes check`: contrast ratios, missing glyphs and template layouts, before any build."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from studypack.errors import EXIT_OK, EXIT_PROBLEMS, ProblemsFound, Report, display_path
from studypack.fonts import OFFICE_EA_FONT, fallback_for, family_files, is_latin
from studypack.inline import plain_text
from studypack.model import Pack
from studypack.theme import Theme
from studypack.theme.contrast import AA, Check, check_contrast

# Accents, ligature-prone pairs and the punctuation that typographic quotes in a pack bring.
SAMPLE_TEXT = (
    "The quick brown fox jumps over the lazy dog 0123456789. Éléonore’s café, naïve Zoë, "
    "São Paulo, Kraków, Straße, Ångström, œuvre, ½ · – — “quoted” ‘single’ … € £ § © ±"
)


@lru_cache(maxsize=64)
def _cmap(path: str) -> frozenset[int]:
    from reportlab.pdfbase.ttfonts import TTFontFile

    return frozenset(TTFontFile(path).charToGlyph)


def _drawn(text: str) -> list[str]:
    """Distinct characters a font must draw (not spaces, controls or zero-width marks)."""
    chars = {ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")}
    return sorted(chars)


def _show(chars: list[str], limit: int = 12) -> str:
    shown = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in chars[:limit])
    return shown + (f" and {len(chars) - limit} more" if len(chars) > limit else "")


def _is_east_asian(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def check_glyphs(theme: Theme, text: str) -> list[Check]:
    chars = _drawn(text)
    checks = []
    for role, family in (("heading", theme.fonts.heading), ("body", theme.fonts.body)):
        files = family_files(family, theme.folder)
        missing: set[str] = set()
        for path in dict.fromkeys((files.regular, files.bold, files.italic, files.bold_italic)):
            cmap = _cmap(str(path))
            missing |= {ch for ch in chars if ord(ch) not in cmap}
        name = Path(family).name if Path(family).is_absolute() else family
        # As a build sees it: another script or a symbol is drawn by an installed fallback font
        # (a warning here); a Latin letter, or a character no installed font has, is a failure.
        borrowed = sorted(ch for ch in missing if not is_latin(ch) and fallback_for(ch) is not None)
        lacking = sorted(missing - set(borrowed))
        if lacking:
            checks.append(
                Check(
                    "FAIL",
                    f"PDF {role} font {name} lacks {len(lacking)} character(s): {_show(lacking)}",
                )
            )
        if borrowed:
            checks.append(Check("WARN", f"PDF {role} font {name} lacks {len(borrowed)} character(s) that an installed "
                                        f"font draws, without the theme's bold and italic: {_show(borrowed)}"))  # fmt: skip
        if not missing:
            checks.append(Check("PASS", f"PDF {role} font {name} has all {len(chars)} characters"))
    for role, office in (("heading", theme.slides.heading_font), ("body", theme.slides.body_font)):
        # The deck measures with standard-font metrics (WinAnsi); East Asian text goes to the
        # ea font. Others are drawn by PowerPoint's font fallback but only estimated when fitting.
        estimated = []
        for ch in chars:
            if _is_east_asian(ch):
                continue
            try:
                ch.encode("cp1252")
            except UnicodeEncodeError:
                estimated.append(ch)
        if estimated:
            checks.append(Check("WARN", f"deck {role} font {office}: {len(estimated)} character(s) fitted by estimate, "
                                        f"not measured: {_show(estimated)}"))  # fmt: skip
        else:
            checks.append(
                Check("PASS", f"deck {role} font {office} has metrics for every character")
            )
    if any(_is_east_asian(ch) for ch in chars):
        checks.append(
            Check("PASS", f"deck: East Asian characters name {OFFICE_EA_FONT} as their font")
        )
    return checks


def check_slide_template(theme: Theme) -> list[Check]:
    """The layouts the deck would pick from the theme's template.pptx, by placeholder type."""
    template = theme.slides.template
    if template is None:
        return []
    from pptx import Presentation

    from studypack.render.pptx_layouts import ROLES, profile_layouts

    name = display_path(template)
    try:
        profile = profile_layouts(Presentation(str(template)))
    except Exception as e:  # noqa: BLE001 - python-pptx raises many kinds on a broken file
        return [Check("FAIL", f"template {name} cannot be opened: {e}")]
    checks = []
    for role, what in ROLES.items():
        if getattr(profile, role) is not None:
            checks.append(Check("PASS", f"template {name}: {what}"))
        elif role == "content":  # every other role falls back on this one
            checks.append(
                Check("FAIL", f"template {name} has no layout for {what}; the deck cannot be built")
            )
        else:
            checks.append(
                Check(
                    "WARN",
                    f"template {name} has no layout for {what}; those slides use title and content",
                )
            )
    return checks


def pack_text(pack: Pack) -> str:
    """Every piece of text the outputs draw, as plain text."""
    parts = [pack.title, pack.subtitle, pack.course, pack.author, pack.overview]
    for _, s in pack.all_sections():
        parts += [s.title, s.summary, s.notes]
        stack = list(s.points)
        while stack:
            point = stack.pop()
            parts.append(point.text)
            stack += point.children
        if s.image is not None:
            parts += [s.image.alt, s.image.caption]
    for t in pack.glossary:
        parts += [t.term, t.definition, *t.see]
    for c in pack.cards:
        parts += [c.front, c.back, c.hint]
    return "\n".join(plain_text(p) for p in parts if p)


def check_theme(theme: Theme, text: str) -> list[tuple[str, list[Check]]]:
    """Every check, grouped under a heading."""
    groups = [
        (f"contrast (WCAG AA needs {AA}:1)", check_contrast(theme)),
        ("glyphs", check_glyphs(theme, text)),
    ]
    if theme.slides.template is not None:
        groups.append(("slide template", check_slide_template(theme)))
    return groups


@dataclass(frozen=True)
class ThemeCheck:
    """Every check of a theme, grouped under a heading, and what the glyphs were checked against."""

    theme: Theme
    source: str
    groups: list[tuple[str, list[Check]]]

    def count(self, status: str) -> int:
        return sum(check.status == status for _, checks in self.groups for check in checks)

    @property
    def exit_code(self) -> int:
        return EXIT_PROBLEMS if self.count("FAIL") else EXIT_OK


def run_theme_check(theme: Theme, pack_path: Path | None) -> ThemeCheck:
    """Every check, against the pack's text when given (ProblemsFound when it does not load)."""
    text, source = SAMPLE_TEXT, "built-in sample text"
    if pack_path is not None:
        from studypack.load import load_pack
        from studypack.templating import render_text

        report = Report()
        pack = load_pack(pack_path, report)
        if pack is None:
            raise ProblemsFound(report.sorted())
        header_footer = [render_text(theme.header, pack), render_text(theme.footer, pack)]
        text, source = (
            "\n".join([pack_text(pack), *header_footer]),
            f"the text of {display_path(pack.source)}",
        )
    return ThemeCheck(theme, source, check_theme(theme, text))
