"""cards.apkg: an Anki package whose ids are stable, so re-importing a rebuilt pack updates notes.

Deck id, note-type id and note GUIDs are derived from the pack slug and each card's front;
the package's SQLite database and zip entries carry the pack's build time, never the clock.
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

import genanki

from studypack.errors import Report
from studypack.inline import parse_inline, plain_text, wrap_run
from studypack.model import Pack, tag_word
from studypack.theme import Theme

MODEL_VERSION = "1"  # bump when fields or templates change incompatibly

CSS = """\
.card {{ font-family: {body}; font-size: 22px; text-align: center;
        color: {text}; background: {background}; }}
.front {{ font-family: {heading}; color: {primary}; font-weight: bold; }}
.hint {{ color: {muted}; font-size: 16px; font-style: italic; margin-top: 1em; }}
a {{ color: {accent}; }}
"""


def stable_id(*parts: str) -> int:
    """An id in genanki's recommended range [2**30, 2**31), the same for the same parts."""
    digest = hashlib.sha256("\0".join(parts).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def to_html(text: str) -> str:
    """Inline Markdown as Anki field HTML; everything else escaped, so `<b>` shows as typed."""
    return "".join(
        wrap_run(r, html.escape(r.text, quote=False), ("<code>", "</code>"), lambda h: f'<a href="{html.escape(h)}">')
        for r in parse_inline(text)
    )


_CSS_UNSAFE = re.compile(r"[^\w .-]")  # what may not appear in a quoted CSS font name of ours


def _font_stack(family: str, office: str) -> str:
    """The theme's PDF family (a theme TTF by its file name), then the deck's Office font."""
    name = _family_name(family) if family.lower().endswith((".ttf", ".otf")) else family
    names = (_CSS_UNSAFE.sub("", n) for n in (name, office))
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


def note_model(pack: Pack, theme: Theme) -> genanki.Model:
    css = CSS.format(
        body=_font_stack(theme.fonts.body, theme.slides.body_font),
        heading=_font_stack(theme.fonts.heading, theme.slides.heading_font),
        **{k: getattr(theme.colors, k) for k in ("text", "background", "primary", "muted", "accent")},
    )
    return genanki.Model(
        stable_id("studypack-model", MODEL_VERSION, pack.slug),
        f"studypack ({pack.slug})",
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


def build_deck(pack: Pack, theme: Theme) -> genanki.Deck:
    model = note_model(pack, theme)
    deck = genanki.Deck(stable_id("studypack-deck", pack.slug), plain_text(pack.title))
    deck.description = html.escape(" · ".join(x for x in (pack.subtitle, pack.course) if x))
    seen: dict[str, int] = {}
    for position, card in enumerate(pack.flashcards()):
        key = plain_text(card.front).strip()
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
    deck: genanki.Deck
    built: datetime


def plan(pack: Pack, theme: Theme, report: Report) -> AnkiPlan:
    return AnkiPlan(build_deck(pack, theme), pack.build_time())


def draw(plan: AnkiPlan, theme: Theme) -> bytes:
    stamp = plan.built.timestamp()
    conn = sqlite3.connect(":memory:")
    try:
        cursor = conn.cursor()
        genanki.Package(plan.deck).write_to_db(cursor, stamp, itertools.count(int(stamp * 1000)))
        conn.commit()
        db = conn.serialize()
    finally:
        conn.close()
    when = max(plan.built.timetuple()[:6], (1980, 1, 1, 0, 0, 0))  # zip dates start in 1980
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(_zip_entry("collection.anki2", when), db)
        z.writestr(_zip_entry("media", when), json.dumps({}))
    return buf.getvalue()
