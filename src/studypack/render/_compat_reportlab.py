"""reportlab internals studypack relies on, all in this file (tested against the pinned 5.1).

reportlab has no public API for these: CJK line making, a paragraph's parsed lines, the
document's timestamp, TrueType subset names, re-drawing an embedded image XObject, the
ToUnicode maps it writes, the hooks that let tagged PDF mark what flowables and
bullets draw, and the text position an <onDraw> callback sees (inline equations). tests/test_compat.py names every one, so an upgrade that moves
one fails there first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.paragraph import (  # the CJK line maker, reused for kinsoku breaking
    ParaLines,
    cjkU,
    cleanBlockQuotedText,
    makeCJKParaLine,
)
from reportlab.platypus.paragraph import _handleBulletWidth as handle_bullet_width
from reportlab.platypus.paraparser import ParaFrag, ParaParser
from reportlab.rl_config import _FUZZ as FUZZ

__all__ = [
    "FUZZ", "ParaFrag", "ParaLines", "ParaParser", "cjkU", "cleanBlockQuotedText", "document",
    "handle_bullet_width", "is_dynamic_font", "is_split_part", "keep_members", "makeCJKParaLine",
    "paragraph_lines", "redraw_image", "set_timestamp", "tag_flowables", "unframed", "text_position",
    "diverted", "draw_between_text",
]  # fmt: skip


def document(canvas: Any) -> Any:
    """The canvas's PDF document: TrueType subsets are numbered per document."""
    return canvas._doc


def set_timestamp(canvas: Any, stamp: Any) -> None:
    """The creation/modification dates reportlab writes, as an object of its PDFDate's shape."""
    canvas._doc._timeStamp = stamp


def timestamp(canvas: Any) -> Any:
    return canvas._doc._timeStamp


def is_dynamic_font(fontname: str) -> bool:
    """A TrueType font embedded as subsets (as opposed to a standard Type 1 font)."""
    return bool(pdfmetrics.getFont(fontname)._dynamicFont)


def paragraph_lines(para: Any) -> Any:
    """The lines a wrapped Paragraph broke into (its blPara), or None before wrap()."""
    return para.__dict__.get("blPara")


def is_split_part(para: Any) -> bool:
    """A Paragraph that split() made from a longer one."""
    return bool(getattr(para, "_splitpara", 0))


def keep_members(keep: Any) -> list[Any]:
    return keep._content


def unframed(canv: Any) -> tuple[Any, Any]:
    """(doc template, its current frame): KeepTogether deep-copies that frame when measuring."""
    doc = getattr(canv, "_doctemplate", None)
    return doc, getattr(doc, "frame", None)


def redraw_image(canv: Any, name: str, reg_name: str) -> None:
    """Draws an image XObject the canvas embedded before, in the current unit square:
    drawImage would hash all the pixels again to find it."""
    canv._currentPageHasImages = 1
    canv._code.append(f"/{reg_name} Do")
    canv._formsinuse.append(name)


def text_position(canv: Any) -> tuple[Any, float] | None:
    """Inside an <onDraw> callback: the paragraph's text object being written and the
    baseline of the line being drawn (None outside a callback)."""
    info = getattr(canv, "_curr_tx_info", None)
    if info is None:
        return None
    return info["tx"], float(info["cur_y"])


@contextmanager
def diverted(canv: Any) -> Iterator[list[str]]:
    """What is drawn on the canvas inside the block, taken out of its page and handed back."""
    start = len(canv._code)
    taken: list[str] = []
    try:
        yield taken
    finally:
        taken.extend(canv._code[start:])
        del canv._code[start:]


def draw_between_text(tx: Any, code: list[str], baseline: float) -> None:
    """Page content (paths, marked content) written at this point of a paragraph's text object:
    the text object ends, the code follows, and a new one resumes at the start of the current
    line (text state — font, leading, rise — is graphics state and carries over), so the
    paragraph's relative moves still land where they would have."""
    if not code:
        return
    tx._code.append("ET")
    tx._code.extend(code)
    tx._code.append(f"BT 1 0 0 1 {fp_str(tx._x0, baseline)} Tm")


def patch_to_unicode() -> None:
    """reportlab writes code points above U+FFFF into ToUnicode CMaps as bare hex (<1F44D>),
    which readers reject, so emoji and rare CJK would not extract; write UTF-16 pairs instead."""
    original = ttfonts.makeToUnicodeCMap
    if getattr(original, "_studypack", False):
        return

    def pair(m: re.Match[str]) -> str:
        return f"<{m.group(1)}> <{chr(int(m.group(2), 16)).encode('utf-16-be').hex().upper()}>"

    def make(fontname: str, subset: list[int]) -> str:
        return _without_null(re.sub(r"<([0-9A-F]{2})> <([0-9A-F]{5,6})>", pair, original(fontname, subset)))

    make._studypack = True  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = make


_BFCHAR = re.compile(r"\d+ beginbfchar\n(.*?)endbfchar\n", re.S)


def _without_null(cmap: str) -> str:
    """A subset's unused codes are mapped to U+0000, which PDF/UA forbids: leave them out
    (in blocks of at most 100 pairs, as the CMap format asks)."""
    m = _BFCHAR.search(cmap)
    if m is None:
        return cmap
    pairs = [line for line in m.group(1).splitlines() if line and not line.endswith("<0000>")]
    blocks = "".join(
        f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n"
        for chunk in (pairs[i : i + 100] for i in range(0, len(pairs), 100))
    )
    return cmap[: m.start()] + blocks + cmap[m.end() :]


def tag_flowables() -> None:
    """Every flowable draws between `canvas.tagger.open_flowable(self, canvas)` and `end` when the
    canvas has a tagger (pdf_tags), and a paragraph's bullet tells the tagger when it is drawn, so the bullet
    and the text can be marked as different elements (a list item's Lbl and LBody)."""
    original_draw_on = Flowable._drawOn
    if getattr(original_draw_on, "_studypack", False):
        return

    def _drawOn(self: Any, canv: Any) -> None:
        tagger = getattr(canv, "tagger", None)
        if tagger is None:
            return original_draw_on(self, canv)
        opened = tagger.open_flowable(self, canv)
        original_draw_on(self, canv)
        if opened:
            tagger.end(canv)

    original_bullet = rl_paragraph._drawBullet

    def _drawBullet(canvas: Any, *args: Any, **kw: Any) -> Any:
        offset = original_bullet(canvas, *args, **kw)
        tagger = getattr(canvas, "tagger", None)
        if tagger is not None:
            tagger.after_bullet(canvas)
        return offset

    _drawOn._studypack = True  # type: ignore[attr-defined]
    Flowable._drawOn = _drawOn  # type: ignore[method-assign]
    rl_paragraph._drawBullet = _drawBullet


# Names of reportlab's that this module relies on (tests/test_compat.py checks each exists).
RELIED_ON = (
    "reportlab.platypus.paragraph._handleBulletWidth", "reportlab.rl_config._FUZZ",
    "reportlab.pdfbase.ttfonts.makeToUnicodeCMap", "reportlab.pdfgen.canvas.Canvas._doc",
    "reportlab.pdfbase.pdfdoc.PDFDocument._timeStamp", "reportlab.pdfgen.canvas.Canvas._code",
    "reportlab.pdfgen.canvas.Canvas._formsinuse", "reportlab.pdfgen.canvas.Canvas._currentPageHasImages",
    "reportlab.pdfbase.ttfonts.TTFont._dynamicFont", "reportlab.platypus.paragraph.Paragraph.blPara",
    "reportlab.platypus.paragraph.Paragraph._splitpara", "reportlab.platypus.flowables.KeepTogether._content",
    "reportlab.platypus.doctemplate.BaseDocTemplate.frame", "reportlab.platypus.flowables.Flowable._drawOn",
    "reportlab.platypus.paragraph._drawBullet", "reportlab.pdfgen.textobject.PDFTextObject._code",
    "reportlab.pdfgen.textobject.PDFTextObject._x0", "reportlab.pdfgen.canvas.Canvas._curr_tx_info",
)  # fmt: skip
