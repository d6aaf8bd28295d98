"""The output declarations: each output reads only the theme fields it declares (the input key
hashes those alone, so an undeclared one would leave incremental builds stale)."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import load_with_theme, SAMPLE
from studypack.errors import Report
from studypack.outputs import DEFAULT_OUTPUTS, OUTPUTS
from studypack.theme import Theme


class ThemeSpy:
    """A theme that notes which of its fields are read."""

    def __init__(self, theme: Theme):
        self._theme = theme
        self.read: set[str] = set()

    def __getattr__(self, name: str):
        self.read.add(name)
        return getattr(self._theme, name)


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_an_output_reads_only_the_theme_fields_it_declares(name):
    pack, theme = load_with_theme(SAMPLE)
    spy = ThemeSpy(
        dataclasses.replace(
            theme, logo=SAMPLE.parent.parent / "themes" / "northfield-history" / "logo.png"
        )
    )
    output = OUTPUTS[name]
    output.draw(output.plan(pack, spy, Report()), spy)  # type: ignore[arg-type]
    assert spy.read <= set(output.theme_fields) | {"span"}, (
        f"{name} reads undeclared {spy.read - set(output.theme_fields)}"
    )


def test_declarations_are_complete_and_distinct():
    assert len({o.filename for o in OUTPUTS.values()}) == len(OUTPUTS)
    assert set(DEFAULT_OUTPUTS) == {"handout", "deck", "cards", "csv"}
    fields = {f.name for f in dataclasses.fields(Theme)}
    for output in OUTPUTS.values():
        assert set(output.theme_fields) <= fields, output.name
