"""cards.apkg: an Anki package whose ids are stable, so re-importing a rebuilt pack updates notes.

Deck id, note-type id and note GUIDs are derived from the pack slug and each card's `id:` or
front. Modification times come from the last build's package (anki_history): only what changed
gets a newer time. The theme's fonts travel as media; the zip carries the pack's build time.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import json
import re
import sqlite3
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import genanki

from studypack.errors import Report, Span
from studypack.fonts import family_files
from studypack.inline import plain_text
from studypack.math.unicode import plain_readable
from studypack.model import Card, Pack, tag_word
from studypack.render.anki_history import gone_message, read_package, stamp_changes
from studypack.render.card_html import to_html
from studypack.theme import Theme

MODEL_VERSION = "1"  # bump when fields or templates change incompatibly

CSS = """\
{font_faces}.card {{ font-family: {body}; font-size: 22px; text-align: center;
        color: {text}; background: {background}; }}
.front {{ font-family: {heading}; color: {primary}; font-weight: bold; }}
.hint {{ color: {muted}; font-size: 16px; font-style: italic; margin-top: 1em; }}
a {{ color: {accent}; }}
.card.nightMode, .nightMode .card, .card.night_mode, .night_mode .card {{
        color: {night_text}; background: {night_background}; }}
.nightMode .front, .night_mode .front {{ color: {night_primary}; }}
.nightMode .hint, .night_mode .hint {{ color: {night_muted}; }}
.nightMode a, .night_mode a {{ color: {night_accent}; }}
"""


def stable_id(*parts: str) -> int:
    """An id in genanki's recommended range [2**30, 2**31), the same for the same parts."""
    digest = hashlib.sha256("\0".join(parts).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


_CSS_UNSAFE = re.compile(r"[^\w .-]")  # what may not appear in a quoted CSS font name of ours


def _font_stack(family: str, office: str) -> str:
    """The theme's PDF family (a theme TTF by its file name), then the deck's Office font."""
    names = (_css_family(family), _CSS_UNSAFE.sub("", office))
    return ", ".join(f'"{n}"' for n in names) + ", sans-serif"


def _family_name(path: str) -> str:
    """The family a font file names itself ('DejaVu Serif'), which Anki's CSS must match;
    its file name when it cannot be read."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFontFile

    try:
        name = TTFontFile(path).familyName
    except (TTFError, OSError, ValueError, KeyError, IndexError):
        return Path(path).stem.removesuffix("-Regular")
    return name.decode("utf-8", "replace") if isinstance(name, bytes) else str(name)


class FontMedia(NamedTuple):
    name: (
        str  # file name in Anki's media folder ("_" first: Anki keeps it though no field names it)
    )
    path: Path
    family: str
    bold: bool
    italic: bool


def font_media(theme: Theme) -> list[FontMedia]:
    """The theme's font files the cards use: the heading family bold (fronts), the body family
    in all four styles. A content hash in each name keeps two different files of one name apart."""
    wanted = [(theme.fonts.heading, True, False), (theme.fonts.heading, True, True)]
    wanted += [(theme.fonts.body, b, i) for b in (False, True) for i in (False, True)]
    found: dict[tuple[str, bool, bool], FontMedia] = {}
    for family, bold, italic in wanted:
        files = family_files(family, theme.folder)
        path = (files.regular, files.italic, files.bold, files.bold_italic)[2 * bold + italic]
        if not path.is_file():
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
        css_family = _css_family(family)
        found.setdefault(
            (css_family, bold, italic),
            FontMedia(f"_{path.stem}-{digest}{path.suffix}", path, css_family, bold, italic),
        )
    return list(found.values())


def _font_faces(fonts: list[FontMedia]) -> str:
    return "".join(
        f'@font-face {{ font-family: "{f.family}"; src: url("{f.name}"); '
        f"font-weight: {'bold' if f.bold else 'normal'}; font-style: {'italic' if f.italic else 'normal'}; }}\n"
        for f in fonts
    )


def _css_family(family: str) -> str:
    name = _family_name(family) if family.lower().endswith((".ttf", ".otf")) else family
    return _CSS_UNSAFE.sub("", name)


def _mix(colour: str, other: str, share: float) -> str:
    """`colour` moved `share` of the way towards `other` (both #RRGGBB)."""
    a, b = (tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in (colour, other))
    return "#" + "".join(f"{round(x + (y - x) * share):02X}" for x, y in zip(a, b))


def note_model(pack: Pack, theme: Theme, fonts: list[FontMedia] | None = None) -> genanki.Model:
    colors = theme.colors
    # Night mode: the theme's text and background swap; its colours are lightened to read on dark.
    night_background = _mix(colors.text, "#000000", 0.35)
    css = CSS.format(
        font_faces=_font_faces(font_media(theme) if fonts is None else fonts),
        body=_font_stack(theme.fonts.body, theme.slides.body_font),
        heading=_font_stack(theme.fonts.heading, theme.slides.heading_font),
        **{k: getattr(colors, k) for k in ("text", "background", "primary", "muted", "accent")},
        night_text=_mix(colors.background, "#FFFFFF", 0.1),
        night_background=night_background,
        **{
            f"night_{k}": _mix(getattr(colors, k), "#FFFFFF", 0.55)
            for k in ("primary", "muted", "accent")
        },
    )
    return genanki.Model(
        stable_id("studypack-model", MODEL_VERSION, pack.slug),
        model_name(pack),
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Hint"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": '<div class="front">{{Front}}</div>',
                "afmt": '{{FrontSide}}<hr id="answer">{{Back}}{{#Hint}}<div class="hint">{{Hint}}</div>{{/Hint}}',
            }
        ],
        css=css,
    )


def model_name(pack: Pack) -> str:
    return f"studypack ({pack.slug})"


def note_key(card: Card) -> str:
    """What a note's identity derives from: its `id:`, else its front as plain text (so setting
    `id:` to a card's current front keeps the note it already has)."""
    return (card.id or plain_text(card.front)).strip()


def build_deck(pack: Pack, theme: Theme, fonts: list[FontMedia] | None = None) -> genanki.Deck:
    model = note_model(pack, theme, fonts)
    deck = genanki.Deck(stable_id("studypack-deck", pack.slug), plain_readable(pack.title))
    deck.description = html.escape(" · ".join(x for x in (pack.subtitle, pack.course) if x))
    seen: dict[str, int] = {}
    for position, card in enumerate(pack.flashcards()):
        key = note_key(card)
        seen[key] = seen.get(key, 0) + 1
        # A second card with the same front needs its own GUID, or Anki would merge the two.
        suffix = () if seen[key] == 1 else (str(seen[key]),)
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[to_html(card.front), to_html(card.back), to_html(card.hint or "")],
                tags=[tag_word(t) for t in card.tags],
                guid=genanki.guid_for("studypack", pack.slug, key, *suffix),
                due=position,  # new cards come up in pack order
            )
        )
    return deck


def _zip_entry(name: str, when: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


@dataclass(frozen=True)
class AnkiPlan:
    collection: bytes  # the SQLite database, note times continued from the last build
    fonts: tuple[FontMedia, ...]
    built: datetime


def plan(pack: Pack, theme: Theme, report: Report, previous: bytes | None) -> AnkiPlan:
    """The collection; `previous` is the cards.apkg of the last build, whose note times it continues."""
    fonts = font_media(theme)
    deck = build_deck(pack, theme, fonts)
    stamp = pack.build_time().timestamp()
    conn = sqlite3.connect(":memory:")
    try:
        cursor = conn.cursor()
        genanki.Package(deck).write_to_db(cursor, stamp, itertools.count(int(stamp * 1000)))
        gone = stamp_changes(conn, read_package(previous), int(stamp))
        conn.commit()
        db = conn.serialize()
    finally:
        conn.close()
    if gone:
        report.warning(Span(str(pack.source)), gone_message(gone, model_name(pack)))
    return AnkiPlan(db, tuple(fonts), pack.build_time())


def draw(plan: AnkiPlan, theme: Theme) -> bytes:
    when = max(plan.built.timetuple()[:6], (1980, 1, 1, 0, 0, 0))  # zip dates start in 1980
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(_zip_entry("collection.anki2", when), plan.collection)
        z.writestr(_zip_entry("media", when), json.dumps({str(i): f.name for i, f in enumerate(plan.fonts)}))
        for i, font in enumerate(plan.fonts):
            z.writestr(_zip_entry(str(i), when), font.path.read_bytes())
    return buf.getvalue()
