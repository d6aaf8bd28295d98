"""`studypack themes list|show|check`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click
import yaml

from studypack.errors import ProblemsFound, Report, display_path
from studypack.theme import Theme, list_themes, load_theme


def _load_or_fail(name: str) -> Theme:
    report = Report()
    theme = load_theme(name, report)
    if theme is None:
        raise ProblemsFound(report.sorted())
    return theme


def list_command() -> None:
    for name, path in list_themes():
        report = Report()
        theme = load_theme(str(path.parent), report)
        title = theme.name if theme else "(has errors: run `studypack themes show " + name + "`)"
        click.echo(f"{name:<16} {title:<40} {display_path(path)}")


def theme_as_dict(theme: Theme) -> dict:
    def plain(value):
        if isinstance(value, Path):
            return display_path(value)
        if isinstance(value, tuple):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if v is not None}
        return value

    return plain(dataclasses.asdict(theme))


def show_command(name: str) -> None:
    theme = _load_or_fail(name)
    click.echo(yaml.safe_dump(theme_as_dict(theme), sort_keys=False, allow_unicode=True), nl=False)


def check_command(name: str, pack: Path | None) -> None:
    from studypack.theme_check import run_theme_check

    run_theme_check(_load_or_fail(name), pack)
