"""The output table: name -> (file name, module). Each module has `render(pack, theme, report) -> bytes`.

Modules are imported only when their output is built, so start-up stays light.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

from studypack.errors import Report
from studypack.model import Pack
from studypack.theme import Theme


class Output(NamedTuple):
    filename: str
    module: str


OUTPUTS: dict[str, Output] = {
    "csv": Output("cards.csv", "studypack.render.cards_csv"),
    "deck": Output("deck.pptx", "studypack.render.deck_pptx"),
    "handout": Output("handout.pdf", "studypack.render.handout_pdf"),
    "cards": Output("flashcards.pdf", "studypack.render.cards_pdf"),
    "anki": Output("cards.apkg", "studypack.render.anki"),
    "quizlet": Output("cards-quizlet.txt", "studypack.render.cards_quizlet"),
}
# What `build` makes without --only (anki only when asked, as it is for Anki users).
DEFAULT_OUTPUTS: tuple[str, ...] = tuple(n for n in ("handout", "deck", "cards", "csv") if n in OUTPUTS)

Renderer = Callable[[Pack, Theme, Report], bytes]


def renderer(name: str) -> Renderer:
    with no_gc():
        return importlib.import_module(OUTPUTS[name].module).render  # type: ignore[no-any-return]


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
