"""Every output, declared once: its name, file, what it reads, its cost, and where its stages live.

Each output's module defines two functions, the two stages a build runs for it:

    plan(pack, theme, report) -> plan   decide everything and report every problem
    draw(plan, theme) -> bytes          write the finished plan as the file's bytes

An output that `continues` its last build's file (Anki's note times) gets that file's bytes
as a fourth argument of plan().

`check` runs only the plans. Modules are imported when their output is first planned, so
start-up stays light (python-pptx and reportlab cost ~80 ms to import).
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from studypack.errors import Report
from studypack.model import Pack
from studypack.theme import Theme


@dataclass(frozen=True)
class Output:
    name: str  # what --only takes
    filename: str
    module: str  # defines plan() and draw()
    # The Theme fields plan() and draw() read: the input key hashes these and nothing else of
    # the theme (an allow-list: tests/test_outputs.py fails when a stage reads one not named).
    theme_fields: tuple[str, ...]
    images: bool  # draws the pack's images (their bytes are in the input key)
    cost: int  # relative drawing time: the costliest start first; 0 = drawn in the build's process
    default: bool = True  # built without --only
    # Continues the file of the last build (Anki note times): plan() is given its bytes.
    continues: bool = False

    def stages(self) -> ModuleType:
        with no_gc():
            return importlib.import_module(self.module)

    def plan(self, pack: Pack, theme: Theme, report: Report, previous: bytes | None = None) -> Any:
        if self.continues:
            return self.stages().plan(pack, theme, report, previous)
        return self.stages().plan(pack, theme, report)

    def draw(self, plan: Any, theme: Theme) -> bytes:
        draw: Callable[[Any, Theme], bytes] = self.stages().draw
        return draw(plan, theme)


_ALL = (
    Output("handout", "handout.pdf", "studypack.render.handout_pdf",
           ("colors", "fonts", "folder", "logo", "paper", "header", "footer", "style"), images=True, cost=2),
    Output("deck", "deck.pptx", "studypack.render.deck_pptx",
           ("name", "colors", "logo", "slides", "footer", "style"), images=True, cost=3),
    Output("cards", "flashcards.pdf", "studypack.render.cards_pdf",
           ("colors", "fonts", "folder", "logo", "paper", "cards"), images=False, cost=1),
    Output("csv", "cards.csv", "studypack.render.cards_csv", (), images=False, cost=0),
    Output("anki", "cards.apkg", "studypack.render.anki", ("colors", "fonts", "folder", "slides"), images=False, cost=0,
           default=False, continues=True),
    Output("quizlet", "cards-quizlet.txt", "studypack.render.cards_quizlet", (), images=False, cost=0, default=False),
)  # fmt: skip
OUTPUTS: dict[str, Output] = {o.name: o for o in _ALL}
DEFAULT_OUTPUTS: tuple[str, ...] = tuple(o.name for o in _ALL if o.default)


@contextmanager
def no_gc() -> Iterator[None]:
    """Cyclic GC paused: importing a renderer makes ~75,000 objects that all live on, and
    collecting while they are made is wasted work (about 7% of a renderer's import time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
