"""Study in Anki, let the teacher edit the pack, re-import: driven through the real `anki` library."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from helpers import build_or_fail
from studypack.build import BuildOptions, build_pack

anki_collection = pytest.importorskip("anki.collection")
import_export = pytest.importorskip("anki.import_export_pb2")

pytestmark = pytest.mark.slow

GLOSSARY = {
    "Alliance": "Two states that promise to help each other.",
    "Deterrence": "Preventing an attack by making it **too costly**.",
    "Occupation": "Control of a country by foreign *armed* forces.",
    "Sovereignty": "A state's authority over its own territory.",
    "Treaty": "A written agreement between states.",
}
CARDS = [
    {"id": "signed", "front": "When was the first treaty signed?", "back": "8 September 1951."},
    {"front": "When was the treaty revised?", "back": "1960."},
]


def write_pack(folder: Path, glossary: dict[str, str], cards: list[dict[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "title: Unit 4",
        "date: 2026-11-24",
        "sections:",
        "  - title: Context",
        "    points: [A point.]",
        "glossary:",
    ]
    for term, definition in glossary.items():
        lines += [f"  - term: {json.dumps(term)}", f"    definition: {json.dumps(definition)}"]
    lines.append("cards:")
    for card in cards:
        entries = [f"{key}: {json.dumps(value)}" for key, value in card.items()]
        lines += ["  - " + entries[0], *("    " + e for e in entries[1:])]
    (folder / "pack.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def write_theme(folder: Path, primary: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "theme.yaml").write_text(
        textwrap.dedent(f"""\
            name: Unit theme
            extends: default
            colors: {{primary: "{primary}"}}
        """)
    )
    return folder


def import_package(col, path: Path):
    request = import_export.ImportAnkiPackageRequest(
        package_path=str(path), options=col._backend.get_import_anki_package_presets()
    )
    log = col.import_anki_package(request).log
    return len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting)


def new_collection(tmp_path: Path):
    folder = tmp_path / "student"
    folder.mkdir()
    return anki_collection.Collection(str(folder / "collection.anki2"))


def fronts(col) -> dict[str, str]:
    return {col.get_note(nid).fields[0]: col.get_note(nid).fields[1] for nid in col.find_notes("")}


def note_type_css(col) -> str:
    col.models._clear_cache()  # pylib caches note types; the app refreshes after an import too
    return col.models.by_name("studypack (unit-4)")["css"]


def schedules(col) -> list[tuple]:
    return col.db.all(
        "SELECT id, nid, type, queue, due, ivl, factor, reps, lapses, left FROM cards ORDER BY id"
    )


def study(col, answers: int) -> None:
    """Answer the first cards of the deck (Good), as a student does."""
    col.decks.select(col.decks.id_for_name("Unit 4"))
    for _ in range(answers):
        card = col.sched.getCard()
        assert card is not None
        card.start_timer()
        col.sched.answerCard(card, 3)


def test_a_rebuilt_pack_updates_exactly_the_changed_notes_and_keeps_every_review(tmp_path):
    out = tmp_path / "build"
    pack = write_pack(tmp_path / "unit-4", GLOSSARY, CARDS)
    theme = write_theme(tmp_path / "theme", "#1F4E79")
    first = build_or_fail(pack, out, only=("anki",), theme=str(theme))["anki"]
    first_bytes = first.read_bytes()
    col = new_collection(tmp_path)
    try:
        assert import_package(col, first) == (7, 0, 0, 0)
        media = set(os.listdir(col.media.dir()))
        assert any(name.startswith("_SourceSansPro-Bold") for name in media), media
        css = note_type_css(col)
        assert "#1F4E79" in css and "@font-face" in css and ".nightMode" in css
        assert all(f'url("{name}")' in css for name in media)

        study(col, 5)
        reviews = col.db.all("SELECT * FROM revlog ORDER BY id")
        assert len(reviews) == 5
        studied = schedules(col)
        signed_nid = col.find_notes('"front:When was the first treaty signed?"')

        # The teacher edits: one definition, a reworded front that has an id, a term added and
        # one removed, another theme colour.
        glossary = dict(
            GLOSSARY, Deterrence="Preventing an attack by making it **far too costly**."
        )
        del glossary["Occupation"]
        glossary["Security dilemma"] = "Arming for safety makes others feel less safe."
        cards = [dict(CARDS[0], front="In which year was the first treaty signed?"), CARDS[1]]
        write_pack(pack, glossary, cards)
        write_theme(theme, "#6B1E2E")
        result = build_pack(pack, BuildOptions(out=out, only=("anki",), theme=str(theme)))
        warnings = [d.message for d in result.diagnostics if d.severity == "warning"]
        (gone,) = [w for w in warnings if "no longer in the pack" in w]
        assert "'Occupation'" in gone
        second_bytes = first.read_bytes()

        assert import_package(col, first) == (1, 2, 4, 0)
        texts = fronts(col)
        assert texts["Deterrence"] == "Preventing an attack by making it <b>far too costly</b>."
        assert texts["In which year was the first treaty signed?"] == "8 September 1951."
        assert "When was the first treaty signed?" not in texts
        assert col.find_notes('"front:In which year was the first treaty signed?"') == signed_nid
        assert texts["Security dilemma"] == "Arming for safety makes others feel less safe."
        assert "Occupation" in texts  # Anki keeps a removed note; the warning's search finds it
        search = gone.split("browser for: ")[1].split(" (a reworded")[0]
        assert [col.get_note(n).fields[0] for n in col.find_notes(search)] == ["Occupation"]
        css = note_type_css(col)
        assert "#6B1E2E" in css and "#1F4E79" not in css

        assert col.db.all("SELECT * FROM revlog ORDER BY id") == reviews
        now = {row[0]: row for row in schedules(col)}
        assert all(now[row[0]] == row for row in studied)  # every card kept its schedule

        # Unchanged inputs, forced rebuild: the same bytes, and Anki changes nothing.
        build_or_fail(pack, out, only=("anki",), theme=str(theme), force=True)
        assert first.read_bytes() == second_bytes != first_bytes
        assert import_package(col, first) == (0, 0, 7, 0)
    finally:
        col.close()


def test_the_csv_imports_with_the_settings_anki_detects(tmp_path):
    cards = [*CARDS, {"front": "=1+2, really?", "back": "-3; or: @home"}]
    pack = write_pack(tmp_path / "unit-4", GLOSSARY, cards)
    csv_path = build_or_fail(pack, tmp_path / "build", only=("csv",))["csv"]
    col = new_collection(tmp_path)
    try:
        metadata = col.get_csv_metadata(str(csv_path), None)
        assert metadata.delimiter == import_export.CsvMetadata.Delimiter.COMMA
        assert metadata.is_html
        col.import_csv(import_export.ImportCsvRequest(path=str(csv_path), metadata=metadata))
        texts = fronts(col)
        assert len(texts) == len(GLOSSARY) + len(cards)  # no header row became a card
        assert texts["Deterrence"] == "Preventing an attack by making it <b>too costly</b>."
        assert texts["Occupation"] == "Control of a country by foreign <i>armed</i> forces."
        assert texts["&#61;1+2, really?"] == "&#45;3; or: @home"
        nid = col.find_notes('"front:Treaty"')[0]
        assert set(col.get_note(nid).tags) == {"unit-4", "glossary"}
        assert col.decks.name(col.get_note(nid).cards()[0].did) == "Unit 4"
    finally:
        col.close()
