"""cards.apkg opened as what it is: a zip holding an Anki SQLite collection."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import zipfile
from pathlib import Path

from helpers import SAMPLE, VERA, build_or_fail, render_output
from studypack.errors import Report
from studypack.inline import plain_text
from studypack.model import Card
from studypack.render import anki


def open_collection(data: bytes | Path, tmp_path: Path) -> sqlite3.Connection:
    source = data if isinstance(data, Path) else None
    with zipfile.ZipFile(source or __import__("io").BytesIO(data)) as z:
        media = json.loads(z.read("media"))  # the theme's fonts, under names Anki keeps
        assert sorted(z.namelist()) == sorted(["collection.anki2", "media", *media])
        assert all(name.startswith("_") and name.endswith(".ttf") for name in media.values())
        db = tmp_path / f"collection-{len(list(tmp_path.iterdir()))}.anki2"
        db.write_bytes(z.read("collection.anki2"))
    return sqlite3.connect(db)


def notes(conn: sqlite3.Connection) -> list[tuple[str, list[str], str]]:
    rows = conn.execute("SELECT guid, flds, tags FROM notes ORDER BY id").fetchall()
    return [(guid, flds.split("\x1f"), tags.strip()) for guid, flds, tags in rows]




def test_sample_apkg_has_every_card(sample_outputs, pack, tmp_path):
    conn = open_collection(sample_outputs["anki"], tmp_path)
    cards = pack.flashcards()
    found = notes(conn)
    assert len(found) == len(cards) == 44
    assert conn.execute("SELECT count(*) FROM cards").fetchone()[0] == 44
    assert len({guid for guid, _, _ in found}) == 44
    first = found[0][1]
    assert first[0] == "Active defense strategy"
    assert first[1].startswith("A military posture that relies on acting early")
    assert first[2] == "See also: Forward deployment, US-Japan Alliance"
    assert "glossary" in found[0][2].split() and pack.slug in found[0][2].split()
    assert [plain_text(c.front) for c in cards] == [f[1][0] for f in found]
    decks = json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])
    assert (
        decks[str(anki.stable_id("studypack-deck", pack.slug))]["name"]
        == "The Japan–US Security Treaty"
    )
    # New cards come up in pack order.
    dues = [d for (d,) in conn.execute("SELECT due FROM cards ORDER BY nid")]
    assert dues == sorted(dues)


def test_anki_is_built_only_when_asked(tmp_path):
    from studypack.outputs import DEFAULT_OUTPUTS

    assert "anki" not in DEFAULT_OUTPUTS
    built = build_or_fail(SAMPLE, tmp_path, only=("anki",))
    assert set(built) == {"anki"}


def test_guids_survive_an_edited_definition(pack, theme, tmp_path):
    before = render_output("anki", pack, theme, Report())
    term = pack.glossary[3]
    edited = dataclasses.replace(term, definition=term.definition + " Edited in a later term.")
    rebuilt = dataclasses.replace(pack, glossary=pack.glossary[:3] + (edited,) + pack.glossary[4:])
    after = render_output("anki", rebuilt, theme, Report())
    a, b = notes(open_collection(before, tmp_path)), notes(open_collection(after, tmp_path))
    assert [g for g, _, _ in a] == [g for g, _, _ in b]
    changed = [i for i, (x, y) in enumerate(zip(a, b)) if x[1] != y[1]]
    assert changed == [3] and b[3][1][1].endswith("Edited in a later term.")
    ids = lambda c: (
        c.execute("SELECT mid FROM notes").fetchall(),
        c.execute("SELECT did FROM cards").fetchall(),
    )
    assert ids(open_collection(before, tmp_path)) == ids(open_collection(after, tmp_path))


def test_other_pack_gets_other_ids(pack, theme, tmp_path):
    other = dataclasses.replace(pack, slug="another-unit")
    a = notes(open_collection(render_output("anki", pack, theme, Report()), tmp_path))
    b = notes(open_collection(render_output("anki", other, theme, Report()), tmp_path))
    assert not {g for g, _, _ in a} & {g for g, _, _ in b}
    assert anki.stable_id("studypack-deck", "another-unit") != anki.stable_id(
        "studypack-deck", pack.slug
    )


def test_reproducible_bytes_and_fixed_dates(pack, theme):
    first = render_output("anki", pack, theme, Report())
    assert first == render_output("anki", pack, theme, Report())
    with zipfile.ZipFile(__import__("io").BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 11, 24, 0, 0, 0)}


def test_fields_are_escaped_html_and_duplicates_kept_apart(pack, theme, tmp_path):
    cards = (
        Card("<b>x</b> & {{ y }}", "**bold** and `code` and [link](https://example.org/?a=1&b=2)"),
        Card("Same front", "one"),
        Card("Same front", "two"),
    )
    data = render_output("anki", dataclasses.replace(pack, glossary=(), cards=cards), theme, Report())
    found = notes(open_collection(data, tmp_path))
    assert found[0][1][0] == "&lt;b&gt;x&lt;/b&gt; &amp; {{ y }}"
    assert (
        found[0][1][1]
        == '<b>bold</b> and <code>code</code> and <a href="https://example.org/?a=1&amp;b=2">link</a>'
    )
    assert found[1][0] != found[2][0]


def test_card_css_names_the_theme_fonts_and_colours(sample_outputs, theme, tmp_path):
    conn = open_collection(sample_outputs["anki"], tmp_path)
    models = json.loads(conn.execute("SELECT models FROM col").fetchone()[0])
    (css,) = [m["css"] for m in models.values()]
    assert f'font-family: "{theme.fonts.body}", "{theme.slides.body_font}", sans-serif' in css
    assert f'font-family: "{theme.fonts.heading}", "{theme.slides.heading_font}", sans-serif' in css
    assert theme.colors.primary in css and theme.colors.text in css


def test_a_theme_ttf_is_named_by_its_family_in_the_card_css():

    from studypack.render.anki import _font_stack

    vera = VERA
    assert _font_stack(str(vera), "Arial") == '"Bitstream Vera Sans", "Arial", sans-serif'
