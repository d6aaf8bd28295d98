"""Theme text templates (header, footer) rendered in Jinja2's sandbox.

Content is passed as data, never as template source, so `{{ 7*7 }}` in a title stays literal.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from studypack.errors import Report, Span
from studypack.inline import plain_text
from studypack.model import Pack

# StrictUndefined: a misspelt `pack.cours` is an error at theme load, not a silently empty footer.
_env = ImmutableSandboxedEnvironment(autoescape=False, keep_trailing_newline=False, undefined=StrictUndefined)
_SAMPLE = {"pack": dict.fromkeys(("title", "subtitle", "course", "author", "date", "slug", "language"), "x")}


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
    except Exception as e:  # noqa: BLE001 - sandbox refusals, overflows: the theme's fault, not ours
        if report is not None:
            report.error(span or Span(""), f"theme template: {e or type(e).__name__}")
        return ""


def check_template(source: str) -> str | None:
    """None if the template compiles and renders for a sample pack, else the error message.

    Theme loading calls this, so sandbox refusals and typos are located theme errors.
    """
    try:
        _compile(source).render(**_SAMPLE)
    except Exception as e:  # noqa: BLE001 - anything a template can raise
        return str(e) or type(e).__name__
    return None
