"""Located diagnostics and the error family the CLI turns into exit codes."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]

# Exit codes (SPEC §3); decided here and nowhere else.
EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as the user should read it: relative to the cwd when it lies below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


class Span(NamedTuple):
    """Where a value came from: file and 1-based line/column (0 = whole file).

    A NamedTuple, not a dataclass: every loaded value gets one, and this is 5x cheaper.
    """

    path: str
    line: int = 0
    col: int = 0


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = display_path(self.path)
        if self.line:
            where += f":{self.line}:{self.col}"
        return f"{where}: {self.severity}: {self.message}"


@dataclass
class Report:
    """Collects every problem of a run; callers fail once at the end."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, severity: Severity, span: Span, message: str) -> None:
        self.diagnostics.append(Diagnostic(span.path, span.line, span.col, severity, message))

    def error(self, span: Span, message: str) -> None:
        self.add("error", span, message)

    def warning(self, span: Span, message: str) -> None:
        self.add("warning", span, message)

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        # Sorted by file and position; duplicates (e.g. one theme shared by packs) shown once.
        return sorted(set(self.diagnostics))


class StudypackError(Exception):
    """Base of the errors the CLI reports without a traceback."""

    exit_code = EXIT_PROBLEMS


class ProblemsFound(StudypackError):
    """Content, theme or output problems; the diagnostics have been collected."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__(f"{len(diagnostics)} problem(s)")


def match_choice(value: str, choices: Sequence[str]) -> str | None:
    """The choice value names, ignoring case ('A4' is 'a4', 'a7' is 'A7'), or None."""
    folded = value.casefold()
    return next((c for c in choices if c.casefold() == folded), None)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a near miss, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
