"""What the last cards.apkg held: each note's content and modification time, so a rebuild can
give exactly the changed notes (and a changed note type) a newer time, which is what Anki's
importer needs before it updates anything.
"""

from __future__ import annotations

import html
import io
import json
import re
import sqlite3
import zipfile
from dataclasses import dataclass, field

FIELD_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class NoteState:
    content: tuple[str, ...]  # what Anki compares: note type, fields, tags
    mod: int
    front: str  # the first field as stored (HTML), for searching the note in Anki


@dataclass(frozen=True)
class PackageState:
    notes: dict[str, NoteState] = field(default_factory=dict)  # by GUID
    models: dict[str, tuple[tuple[str, ...], int]] = field(
        default_factory=dict
    )  # id -> (content, mod)


EMPTY = PackageState()


def read_package(data: bytes | None) -> PackageState:
    """The state of a package built earlier; empty when there is none or it cannot be read."""
    if not data:
        return EMPTY
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            db = z.read("collection.anki2")
        conn = sqlite3.connect(":memory:")
        try:
            conn.deserialize(db)
            return read_db(conn)
        finally:
            conn.close()
    except (zipfile.BadZipFile, KeyError, sqlite3.Error, ValueError, OSError):
        return EMPTY


def read_db(conn: sqlite3.Connection) -> PackageState:
    notes = {
        guid: NoteState(_note_content(mid, flds, tags), mod, flds.split(FIELD_SEPARATOR)[0])
        for guid, mid, mod, flds, tags in conn.execute(
            "SELECT guid, mid, mod, flds, tags FROM notes"
        )
    }
    (models_json,) = conn.execute("SELECT models FROM col").fetchone()
    models = {
        mid: (_model_content(m), int(m.get("mod", 0))) for mid, m in json.loads(models_json).items()
    }
    return PackageState(notes, models)


def _note_content(mid: int, flds: str, tags: str) -> tuple[str, ...]:
    return (str(mid), flds, " ".join(sorted(tags.split())))


def _model_content(model: dict) -> tuple[str, ...]:
    """What the importer copies when it updates a note type: its styling, fields and templates."""
    return (
        str(model.get("name", "")),
        str(model.get("css", "")),
        json.dumps([f.get("name") for f in model.get("flds", [])]),
        json.dumps([(t.get("name"), t.get("qfmt"), t.get("afmt")) for t in model.get("tmpls", [])]),
    )


def _next_mod(
    before: tuple[tuple[str, ...], int] | None, content: tuple[str, ...], base: int
) -> int:
    """Unchanged content keeps its time (Anki then leaves it alone); changed content moves
    past the time it had, so the importer sees it as newer; new content starts at the base."""
    if before is None:
        return base
    old_content, old_mod = before
    return old_mod if old_content == content else max(old_mod + 1, base)


def stamp_changes(conn: sqlite3.Connection, before: PackageState, base: int) -> list[NoteState]:
    """Set each note's and note type's modification time in a freshly written package from
    what changed since `before`; return the notes `before` had that are gone now."""
    now = read_db(conn)
    for guid, note in now.notes.items():
        old = before.notes.get(guid)
        mod = _next_mod((old.content, old.mod) if old else None, note.content, base)
        conn.execute("UPDATE notes SET mod = ? WHERE guid = ?", (mod, guid))
    (models_json,) = conn.execute("SELECT models FROM col").fetchone()
    models = json.loads(models_json)
    for mid, model in models.items():
        model["mod"] = _next_mod(before.models.get(mid), _model_content(model), base)
    conn.execute("UPDATE col SET models = ?", (json.dumps(models),))
    return [note for guid, note in before.notes.items() if guid not in now.notes]


def gone_message(gone: list[NoteState], model_name: str) -> str:
    """A warning naming notes that left the pack, with a search that finds them in Anki."""
    fronts = [_field_text(n.front) for n in gone]
    shown = ", ".join(f"'{f}'" for f in fronts[:10]) + (
        f" and {len(fronts) - 10} more" if len(fronts) > 10 else ""
    )
    terms = " OR ".join(_search_term(f"front:{n.front}") for n in gone)
    search = f"{_search_term(f'note:{model_name}')} ({terms})"
    return (
        f"cards.apkg: {len(gone)} note(s) of the last build are no longer in the pack: {shown}. "
        "Anki keeps them (with their reviews) in collections that imported them; to find them, "
        f"search Anki's browser for: {search} (a reworded front keeps its note when the card "
        "has an `id:`; set it to the old front)"
    )


_TAG = re.compile(r"<[^>]*>")


def _field_text(value: str) -> str:
    return html.unescape(_TAG.sub("", value))


def _search_term(text: str) -> str:
    """One term of Anki's search syntax, quoted; its wildcards and quotes taken literally."""
    escaped = re.sub(r'([\\"*_])', r"\\\1", text)
    return f'"{escaped}"'
