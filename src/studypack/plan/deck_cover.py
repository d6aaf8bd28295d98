"""The title slide's lines under the title: the subtitle first and larger, then course, author, date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from studypack.inline import Run
from studypack.labels import format_date
from studypack.model import Pack
from studypack.plan.deck_fit import Box, Fitter, Para
from studypack.plan.deck_inline import deck_runs

SIZES = (28.0, 24.0, 20.0, 18.0, 16.0, 14.0)  # the subtitle's; smallest last
MINOR = 0.75  # course, author and date, of the subtitle's size
GAP = 0.6  # space before the first line after the subtitle, of the subtitle's size


def cover_lines(pack: Pack) -> list[Para]:
    """Subtitle, course, author and date as given (at size 1: scaled when fitted)."""
    minor = [deck_runs(t) for t in (pack.course, pack.author) if t]  # equations native
    if pack.date:
        minor.append((Run(format_date(pack.date, pack.language)),))
    paras = [Para(deck_runs(pack.subtitle), 1.0)] if pack.subtitle else []
    for k, runs in enumerate(minor):
        gap = GAP if k == 0 and paras else 0.25 * MINOR
        paras.append(Para(tuple(runs), MINOR, space_before=gap))
    return paras


def fit_cover(fit: Fitter, lines: Sequence[Para], box: Box) -> list[Para] | None:
    """The lines at the largest subtitle size at which all fit the box, or None."""
    for size in SIZES:
        scaled = [
            fit.prepare(
                replace(p, size=round(p.size * size, 1), space_before=p.space_before * size), box
            )
            for p in lines
        ]
        if fit.fits(scaled, box):
            return scaled
    return None
