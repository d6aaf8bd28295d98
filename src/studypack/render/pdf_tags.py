"""Tagged PDF while drawing: structure elements declared with the story, marked content recorded as it is drawn.

The structure tree is a tree of `Tag`s that a renderer declares in reading order before
anything is drawn (Document › Sect › H1, P, L › LI › Lbl + LBody, Figure, Caption, TOC › TOCI …).
Drawing only attaches content to them: each piece of page content is wrapped in a
marked-content sequence (`/P <</MCID 4>> BDC … EMC`) whose MCID the `Tagger` files under its
Tag; decoration is wrapped as `/Artifact`. pdf_ua.finish() then writes the tree into the file.
So the tree reads in logical order whatever order the pages are drawn in (a flashcard's
front and back lie on different sheets, yet the card holds its front then its back).

How a flowable takes part (ours, reportlab's, or one a later block type adds):

    flowable.struct = Tag("Formula", parent=sect, alt="a over b")  # its content is this element
    flowable.struct = ARTIFACT                                     # decoration: rules, leaders, logos
    (no `struct`, or None)                                         # a container: its parts mark themselves

A flowable that draws parts of different kinds (a table's cells, a contents line's dot
leaders, a repeated table header) marks them inside its draw():

    with marked(self.canv, cell_tag): ...   # content of cell_tag
    with artifact(self.canv): ...           # decoration

For instance a table declares its elements when it is made, then marks each cell as it draws it:

    table = Tag("Table", sect)
    head = Tag("TR", table)
    th = [Tag("TH", head, attributes={"O": "Table", "Scope": "Column"}) for _ in header]
    ...
    with marked(canv, th[0]): draw the first header cell   # a header repeated on the next
                                                            # page is drawn as artifact()

Marking nests: content marked inside another element's sequence closes that sequence and
reopens it after (with a new MCID), so sequences never nest and no content is lost; anything
inside an artifact stays an artifact (a running header's text). A `Tag` whose `label` is set
sends a paragraph's bullet to that Lbl element and the rest to itself (list items).
A tag's kids in the file are its drawn content in drawing order (links found in it included),
then its declared children; elements that end up with no content are left out.
Link annotations made on a tagging canvas (TaggingCanvas) become Link elements with an OBJR,
described by the renderer's `describe(target)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import PDFString

from studypack.render._compat_reportlab import tag_flowables


class Tag:
    """A structure element: its standard role, its place in the tree, what it says to assistive technology.

    role: a standard structure type (Document, Sect, H1…H6, P, L, LI, Lbl, LBody, Figure, …);
    alt: /Alt, what a figure or formula shows; lang: /Lang of a passage in another language than
    the document's; title: /T, a name for the element (a card's number); attributes: /A, e.g.
    {"O": "Table", "Scope": "Column"}; label: the Lbl that receives the bullet of a paragraph
    tagged with this. A plain class with slots: a long handout declares tens of thousands.
    """

    __slots__ = (
        "role",
        "parent",
        "alt",
        "lang",
        "title",
        "actual_text",
        "attributes",
        "label",
        "children",
    )

    def __init__(
        self,
        role: str,
        parent: Tag | None = None,
        alt: str | None = None,
        lang: str | None = None,
        title: str | None = None,
        actual_text: str | None = None,
        attributes: dict[str, Any] | None = None,
        label: Tag | None = None,
    ):
        self.role, self.parent, self.alt, self.lang, self.title = role, parent, alt, lang, title
        self.actual_text, self.attributes, self.label = actual_text, attributes, label
        self.children: list[Tag] = []
        if parent is not None:
            parent.children.append(self)

    def child(self, role: str, **kw: Any) -> Tag:
        return Tag(role, self, **kw)

    def __repr__(self) -> str:
        return f"Tag({self.role!r}, {len(self.children)} children)"


class _Artifact:
    def __repr__(self) -> str:
        return "ARTIFACT"


ARTIFACT = _Artifact()


class MCR(NamedTuple):  # tuples: a long handout makes tens of thousands
    page: int  # 1-based
    mcid: int


class OBJR(NamedTuple):
    page: int
    index: int  # the annotation's position in its page's /Annots


class _Open:
    """A sequence begun and not yet ended."""

    __slots__ = ("tag", "emitted", "kind", "then")

    def __init__(self, tag: Tag | None, emitted: bool, kind: str = "", then: Tag | None = None):
        self.tag = tag  # None: an artifact
        self.emitted = emitted  # its sequence is open in the content stream
        self.kind = kind  # artifact /Type
        self.then = then  # after the bullet (the label), the paragraph's own element


class Tagger:
    """Marked content for one document: MCIDs per page, the content of each Tag, link annotations."""

    def __init__(self, describe: Callable[[str, bool], str] = lambda target, internal: target):
        self.describe = describe
        self.content: dict[Tag, list[MCR | OBJR | Tag]] = {}
        self.annots: dict[int, int] = {}  # page -> how many annotations it has
        self._next_mcid: dict[int, int] = {}
        self._stack: list[_Open] = []
        self._targets: dict[Tag, str] = {}  # links found while drawing -> their destination

    # -- sequences ---------------------------------------------------------------------------

    def _bdc(self, canv: Any, entry: _Open) -> None:
        if entry.tag is None:
            kind = f" <</Type /{entry.kind}>> BDC" if entry.kind else " BMC"
            canv.addLiteral("/Artifact" + kind)
            return
        page = canv.getPageNumber()
        mcid = self._next_mcid.get(page, 0)
        self._next_mcid[page] = mcid + 1
        self.content.setdefault(entry.tag, []).append(MCR(page, mcid))
        extra = (
            f" /Alt <{_utf16(entry.tag.alt)}>"
            if entry.tag.role == "Figure" and entry.tag.alt
            else ""
        )
        canv.addLiteral(f"/{entry.tag.role} <</MCID {mcid}{extra}>> BDC")

    def begin(self, canv: Any, tag: Tag | None, kind: str = "", then: Tag | None = None) -> None:
        """Open content of `tag` (None: an artifact of /Type kind)."""
        top = self._stack[-1] if self._stack else None
        if top is not None and top.tag is None:  # inside an artifact everything is artifact
            self._stack.append(_Open(tag, False))
            return
        if top is not None and top.emitted:
            canv.addLiteral("EMC")
        entry = _Open(tag, True, kind, then)
        self._stack.append(entry)
        self._bdc(canv, entry)

    def end(self, canv: Any) -> None:
        entry = self._stack.pop()
        if not entry.emitted:
            return
        canv.addLiteral("EMC")
        if self._stack and self._stack[-1].emitted:
            self._bdc(canv, self._stack[-1])  # the interrupted sequence goes on

    def begin_inline(self, canv: Any, tag: Tag) -> None:
        """Open content of an element found while drawing inside the current one (an inline
        equation): it becomes a kid of that element, read between the text drawn before and
        after it. Outside any element (in an artifact, or untagged) it is drawn as they are."""
        owner = self.current
        if owner is None:
            self.begin(canv, None)
            return
        tag.parent = owner
        self.content.setdefault(owner, []).append(tag)
        self.begin(canv, tag)

    def after_bullet(self, canv: Any) -> None:
        """The bullet of the paragraph being drawn is done: the rest is the paragraph's element."""
        top = self._stack[-1] if self._stack else None
        if top is not None and top.emitted and top.then is not None:
            canv.addLiteral("EMC")
            top.tag, top.then = top.then, None
            self._bdc(canv, top)

    @property
    def current(self) -> Tag | None:
        """The element whose sequence is open (None in an artifact or outside any)."""
        top = self._stack[-1] if self._stack else None
        return top.tag if top is not None and top.emitted else None

    # -- flowables and links -----------------------------------------------------------------

    def open_flowable(self, f: Any, canv: Any) -> bool:
        """Opens what a flowable's `struct` says before it draws; False when it says nothing
        (a container). A method, not a context manager: it runs for every flowable drawn."""
        struct = getattr(f, "struct", None)
        if struct is None:
            return False
        if struct is ARTIFACT:
            self.begin(canv, None)
        elif struct.label is not None and getattr(f, "bulletText", None):
            self.begin(canv, struct.label, then=struct)
        else:
            self.begin(canv, struct)
        return True

    def link(self, canv: Any, target: str) -> None:
        """A link annotation was just added to the current page: file it under a Link element."""
        page = canv.getPageNumber()
        ref = OBJR(page, self.annots.get(page, 0))
        self.annots[page] = ref.index + 1
        owner = self.current
        if owner is None:
            return  # a link in an artifact stays untagged
        items = self.content.setdefault(owner, [])
        last = items[-1] if items else None
        if owner.role == "Link":
            items.append(ref)
        elif isinstance(last, Tag) and self._targets.get(last) == target:
            self.content[last].append(ref)  # the same link going on after a line break
        else:
            link = Tag("Link")
            # Found while drawing: a kid of owner's content, not one of its declared children.
            link.parent = owner
            items.append(link)
            self.content[link] = [ref]
            self._targets[link] = target


def _utf16(text: str) -> str:
    return "FEFF" + text.encode("utf-16-be").hex().upper()


def _tagger(canv: Any) -> Tagger | None:
    return getattr(canv, "tagger", None)


@contextmanager
def marked(canv: Any, tag: Tag) -> Iterator[None]:
    """Content drawn inside is `tag`'s (nothing happens on a canvas that does not tag)."""
    tagger = _tagger(canv)
    if tagger is None:
        yield
        return
    tagger.begin(canv, tag)
    try:
        yield
    finally:
        tagger.end(canv)


@contextmanager
def inline(canv: Any, tag: Tag) -> Iterator[None]:
    """Content drawn inside is `tag`'s, a kid of the element being drawn (Tagger.begin_inline)."""
    tagger = _tagger(canv)
    if tagger is None:
        yield
        return
    tagger.begin_inline(canv, tag)
    try:
        yield
    finally:
        tagger.end(canv)


@contextmanager
def artifact(canv: Any, kind: str = "") -> Iterator[None]:
    """Content drawn inside is decoration (kind: Pagination, Layout, Page or "")."""
    tagger = _tagger(canv)
    if tagger is None:
        yield
        return
    tagger.begin(canv, None, kind)
    try:
        yield
    finally:
        tagger.end(canv)


class TaggingCanvas:
    """Mixin for a reportlab Canvas class: carries a Tagger (None: no tagging) and files its
    link annotations with it."""

    tagger: Tagger | None = None

    def linkRect(self, contents: Any, destinationname: str, *args: Any, **kw: Any) -> Any:
        # linkAbsolute and platypus's internal links all come through here
        if self.tagger is not None:
            contents = self.tagger.describe(destinationname, True)  # the annotation's /Contents
        result = super().linkRect(contents, destinationname, *args, **kw)  # type: ignore[misc]
        if self.tagger is not None:
            self.tagger.link(self, destinationname)
        return result

    def linkURL(self, url: str, rect: Any, *args: Any, **kw: Any) -> Any:
        if self.tagger is not None:
            kw["Contents"] = PDFString(self.tagger.describe(url, False))
        result = super().linkURL(url, rect, *args, **kw)  # type: ignore[misc]
        if self.tagger is not None:
            self.tagger.link(self, url)
        return result


tag_flowables()
# Binary streams: reportlab's ASCII85 wrapping (written in Python, as its C accelerators are
# not installed) cost more than the marked content it would wrap, and made streams 25% larger.
rl_config.useA85 = 0
