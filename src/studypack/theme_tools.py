"""What `studypack themes list|show|check` says, as text; the CLI prints it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from studypack.errors import Diagnostic, ProblemsFound, Report, display_path
from studypack.theme import COLOR_KEYS, Theme, list_themes, load_theme
from studypack.theme_check import ThemeCheck


def load_or_fail(name: str) -> tuple[Theme, list[Diagnostic]]:
    """The theme and its warnings (e.g. a _brand.yml font that does not ship with us)."""
    report = Report()
    theme = load_theme(name, report)
    if theme is None:
        raise ProblemsFound(report.sorted())
    return theme, report.warnings


def theme_rows() -> list[str]:
    """One line per theme found: its name, title and file."""
    rows = []
    for name, path in list_themes():
        theme = load_theme(str(path.parent), Report())
        title = theme.name if theme else f"(has errors: run `studypack themes show {name}`)"
        rows.append(f"{name:<20} {title:<36} {display_path(path)}")
    return rows


def theme_as_dict(theme: Theme) -> dict[str, Any]:
    """The resolved theme in theme.yaml's own shape (so it can be copied into a theme file)."""

    def path(p: Path | None) -> str | None:
        return display_path(p) if p is not None else None

    out: dict[str, Any] = {
        "name": theme.name,
        "colors": {k: getattr(theme.colors, k) for k in COLOR_KEYS},
        "fonts": {"heading": theme.fonts.heading, "body": theme.fonts.body},
        "logo": path(theme.logo),
        "paper": theme.paper,
        "slides": {
            "aspect": theme.slides.aspect,
            "template": path(theme.slides.template),
            "heading_font": theme.slides.heading_font,
            "body_font": theme.slides.body_font,
        },
        "cards": {
            "size": theme.cards.size,
            "duplex": theme.cards.duplex,
            "offset": list(theme.cards.offset),
            "min_font": theme.cards.min_font,
            "max_font": theme.cards.max_font,
        },
        "style": {"fills": theme.style.fills},
        "header": theme.header,
        "footer": theme.footer,
    }
    out["fonts"] = {
        k: path(Path(v)) if Path(v).is_absolute() else v for k, v in out["fonts"].items()
    }
    out["slides"] = {k: v for k, v in out["slides"].items() if v is not None}
    return {k: v for k, v in out.items() if v is not None}


class _Dumper(yaml.SafeDumper):
    """Block mappings, but short lists (cards.offset) on one line."""


_Dumper.add_representer(
    list, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)


def show_text(theme: Theme) -> str:
    """The resolved theme as YAML, after a comment naming the files it came from."""
    chain = " <- ".join(display_path(f) for f in theme.files)
    body = yaml.dump(
        theme_as_dict(theme), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )
    return f"# resolved from {chain}\n{body}"


def check_lines(result: ThemeCheck) -> list[str]:
    """The report of `themes check`, one line per check under its heading."""
    theme = result.theme
    lines = [f"theme {theme.name} ({' <- '.join(display_path(f) for f in theme.files)})"]
    for heading, checks in result.groups:
        lines.append(f"{heading}{' for ' + result.source if heading == 'glyphs' else ''}:")
        lines += [f"  {check.status:<4}  {check.message}" for check in checks]
    return lines


def check_summary(result: ThemeCheck) -> str:
    """The closing line: how many checks failed, or that all passed (with the warnings)."""
    failed, warned = result.count("FAIL"), result.count("WARN")
    if failed:
        return f"{failed} check(s) failed"
    return "all checks passed" + (f" ({warned} warning(s))" if warned else "")
