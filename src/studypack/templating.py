"""Theme text templates (header, footer) rendered in Jinja2's sandbox.

Content is passed as data, never as template source, so `{{ 7*7 }}` in a title stays literal.
"""

from __future__ import annotations

import functools
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from studypack.errors import Report, Span
from studypack.inline import plain_text
from studypack.math.unicode import plain_readable
from studypack.model import Pack

MAX_TEXT = 100_000  # characters (or items) any value or output of a theme template may have
MAX_SECONDS = 2.0  # a header or footer renders in microseconds; loops in loops never end


class TemplateBudget(SecurityError):
    """A theme template asked for more time or memory than a header or footer can need."""


class _BudgetedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with sizes checked before they are made: `'x' * 200000000`, `2 ** 10**9`,
    `'x'.center(10**9)` and filters given huge widths are refused instead of filling memory."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _is_number(left) and _is_number(right) and abs(right) > 64:
            raise TemplateBudget(f"power {right} is too large for a theme template")
        if operator == "%" and isinstance(left, str) and _huge_width(left):
            raise TemplateBudget(f"a format width over {MAX_TEXT} characters")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_TEXT:
                    raise TemplateBudget(f"a value longer than {MAX_TEXT} characters")
        return _checked(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        if __obj is not _counted_range:  # range() has its own limit (and message)
            _check_arguments(getattr(__obj, "__name__", ""), __obj, args, kwargs)
        return _checked(super().call(__context, __obj, *args, **kwargs))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_arguments(name: str, obj: Any, args: tuple, kwargs: dict) -> None:
    """Refuse arguments that would make a huge value: widths, counts, repeated replacements."""
    for value in (*args, *kwargs.values()):
        if _is_number(value) and abs(value) > MAX_TEXT:
            raise TemplateBudget(f"argument {value} is too large for a theme template")
        if isinstance(value, (str, list, tuple, dict)) and len(value) > MAX_TEXT:
            raise TemplateBudget(f"a value longer than {MAX_TEXT} characters")
    if name in ("format", "format_map", "do_format"):  # str.format and the format filter
        method = getattr(obj, "__wrapped__", obj)  # the sandbox wraps str.format
        spec = getattr(method, "__self__", None) if obj is not None else next(
            (a for a in args if isinstance(a, str)), None
        )
        if isinstance(spec, str) and _huge_width(spec):
            raise TemplateBudget(f"a format width over {MAX_TEXT} characters")
    if name in ("join", "do_join"):  # str.join and the join filter: items times separator
        sized = [a for a in args if isinstance(a, (str, list, tuple))]
        if obj is not None:
            sized.insert(0, getattr(obj, "__self__", ""))
        if len(sized) >= 2 and len(sized[0]) * len(sized[1]) > MAX_TEXT:
            raise TemplateBudget(f"a value longer than {MAX_TEXT} characters")
    if name == "replace":  # str.replace, and the replace filter (which takes the text first)
        texts = [a for a in args if isinstance(a, str)]
        if obj is not None:
            texts.insert(0, getattr(obj, "__self__", None))
        text, old, new = (texts + [None, None, None])[:3]
        if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
            count = text.count(old) if old else len(text) + 1
            if len(text) + count * len(new) > MAX_TEXT:
                raise TemplateBudget(f"a value longer than {MAX_TEXT} characters")


_NUMBER = re.compile(r"\d{6,}")


def _huge_width(spec: str) -> bool:
    """Whether a %- or {}-format asks for a width or precision past MAX_TEXT ('%0999999999d')."""
    return any(int(n) > MAX_TEXT for n in _NUMBER.findall(spec))


def _checked(value: Any) -> Any:
    if isinstance(value, (str, list, tuple, dict, bytes)) and len(value) > MAX_TEXT:
        raise TemplateBudget(f"a value longer than {MAX_TEXT} characters")
    return value


def _budgeted_filter(name: str, f: Any) -> Any:
    @functools.wraps(f)  # keeps the pass_context / pass_environment marks
    def run(*args: Any, **kwargs: Any) -> Any:
        _check_arguments(name, None, args, kwargs)
        return _checked(f(*args, **kwargs))

    return run


def _counted_range(*args: int) -> Iterator[int]:
    """range(), as the sandbox caps it, counting every step against the render's budget."""
    for n in _env.globals["_sandbox_range"](*args):
        _Clock.tick()
        yield n


class _Clock:
    """Steps of loops over range() in the current render (reset by _budget)."""

    steps = 0

    @classmethod
    def tick(cls) -> None:
        cls.steps += 1
        if cls.steps > 10 * MAX_TEXT:
            raise TemplateBudget("too many loop steps for a theme template")


@contextmanager
def _budget() -> Iterator[None]:
    """At most MAX_SECONDS for compiling and rendering (a timer where signals can be used;
    loop steps over range() are counted everywhere)."""
    _Clock.steps = 0
    use_timer = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if not use_timer:
        yield
        return

    def out_of_time(signum: int, frame: Any) -> None:
        raise TemplateBudget(f"took longer than {MAX_SECONDS:g} s")

    previous = signal.signal(signal.SIGALRM, out_of_time)
    signal.setitimer(signal.ITIMER_REAL, MAX_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# StrictUndefined: a misspelt `pack.cours` is an error at theme load, not a silently empty footer.
_env = _BudgetedEnvironment(autoescape=False, keep_trailing_newline=False, undefined=StrictUndefined)
_env.filters = {name: _budgeted_filter(name, f) for name, f in _env.filters.items()}
_env.globals["_sandbox_range"] = _env.globals.pop("range")
_env.globals["range"] = _counted_range
_env.globals.pop("lipsum", None)  # pages of filler text: never a header's business
_SAMPLE = {"pack": dict.fromkeys(("title", "subtitle", "course", "author", "date", "slug", "language"), "x")}


@lru_cache(maxsize=256)
def _compile(source: str):
    return _env.from_string(source)


def pack_context(pack: Pack) -> dict[str, Any]:
    """What templates may use: plain-text pack fields."""
    return {
        "pack": {
            "title": plain_readable(pack.title),
            "subtitle": plain_readable(pack.subtitle or ""),
            "course": plain_readable(pack.course or ""),
            "author": plain_text(pack.author or ""),
            "date": pack.date.isoformat() if pack.date else "",
            "slug": pack.slug,
            "language": pack.language,
        }
    }


def render_text(source: str, pack: Pack, report: Report | None = None, span: Span | None = None, **extra: Any) -> str:
    """Render a theme template; a broken template is reported once and renders as ''."""
    try:
        with _budget():
            return _render(_compile(source), {**pack_context(pack), **extra}).strip()
    except Exception as e:  # noqa: BLE001 - sandbox refusals, overflows: the theme's fault, not ours
        if report is not None:
            report.error(span or Span(""), f"theme template: {e or type(e).__name__}")
        return ""


def check_template(source: str) -> str | None:
    """None if the template compiles and renders for a sample pack, else the error message.

    Theme loading calls this, so sandbox refusals and typos are located theme errors.
    """
    try:
        with _budget():
            _render(_compile(source), _SAMPLE)
    except Exception as e:  # noqa: BLE001 - anything a template can raise
        return str(e) or type(e).__name__
    return None


def _render(template: Any, context: dict[str, Any]) -> str:
    """The template's output, stopped once it passes MAX_TEXT characters."""
    parts: list[str] = []
    size = 0
    for part in template.generate(**context):
        size += len(part)
        if size > MAX_TEXT:
            raise TemplateBudget(f"output longer than {MAX_TEXT} characters")
        parts.append(part)
    return "".join(parts)
