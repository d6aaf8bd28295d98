"""Theme text templates (header, footer) rendered in Jinja2's sandbox.

Content is passed as data, never as template source, so `{{ 7*7 }}` in a title stays literal.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from studypack.errors import Report, Span
from studypack.inline import plain_text
from studypack.model import Pack

_env = ImmutableSandboxedEnvironment(autoescape=False, keep_trailing_newline=False)


@lru_cache(maxsize=256)
def _compile(source: str):
    return _env.from_string(source)


def pack_context(pack: Pack) -> dict[str, Any]:
    """What templates may use: plain-text pack fields."""
    return {
        "pack": {
            "title": plain_text(pack.title),
            "subtitle": plain_text(pack.subtitle or ""),
            "course": plain_text(pack.course or ""),
            "author": plain_text(pack.author or ""),
            "date": pack.date.isoformat() if pack.date else "",
            "slug": pack.slug,
            "language": pack.language,
        }
    }


def render_text(source: str, pack: Pack, report: Report | None = None, span: Span | None = None, **extra: Any) -> str:
    """Render a theme template; a broken template is reported once and renders as ''."""
    try:
        return _compile(source).render(**pack_context(pack), **extra).strip()
    except TemplateError as e:
        if report is not None:
            report.error(span or Span(""), f"theme template: {e}")
        return ""


def check_template(source: str) -> str | None:
    """None if the template compiles, else the error message."""
    try:
        _compile(source)
    except TemplateError as e:
        return str(e)
    return None
