"""MathML (as latex2mathml writes it) -> OMML, the way PowerPoint writes equations in slides.

No maintained converter fits: the PyPI `mathml2omml` (2019) writes malformed XML for `\\vec`,
accents as limits and a box around every group. This covers latex2mathml's output: tokens,
rows, scripts, fractions, radicals, big operators, fences, accents, over/under, tables and
equation arrays, enclosures. Runs carry DrawingML properties (`a:rPr`, Cambria Math) and
math-italic letters, as PowerPoint's own equation editor stores them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from studypack.math.formula import Formula, extensible_arrow

M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
A14_NS = "http://schemas.microsoft.com/office/drawing/2010/main"
_NSMAP = {"m": M_NS, "a": A_NS}

_NARY = frozenset("∑∏∐⋃⋂⨁⨂⨀⨄⋁⋀∫∬∭∮∯∰⨌")
_INTEGRALS = frozenset("∫∬∭∮∯∰⨌")
_RELATIONS = frozenset("=<>≤≥≠≈≡∼≃≅∝→←↔⇒⇐⇔∈∉⊂⊆⊃⊇≪≫,;:")
_ADDITIVE = frozenset("+−-±∓")
_OPENERS, _CLOSERS = frozenset("([{⟨|‖⌊⌈"), frozenset(")]}⟩|‖⌋⌉")
# Accents latex2mathml writes as <mover> characters -> the combining marks OMML's m:acc takes.
_ACCENTS = {
    "^": "\u0302", "ˆ": "\u0302", "˙": "\u0307", "¨": "\u0308", "~": "\u0303", "˜": "\u0303",
    "→": "\u20d7", "⃗": "\u20d7", "¯": "\u0305", "ˇ": "\u030c", "´": "\u0301", "`": "\u0300",
    "˘": "\u0306", "˚": "\u030a", "⃛": "\u20db", "←": "\u20d6",
}  # fmt: skip
_OVERLINES, _BRACES_BELOW, _BRACES_ABOVE = frozenset("―‾_"), frozenset("⏟⏝⎵"), frozenset("⏞⏜⎴")
_LIMITS = frozenset("lim max min sup inf det gcd Pr".split())
_SPACES = ((0.1, ""), (0.2, "\u2009"), (0.25, "\u2005"), (0.3, "\u2004"), (0.7, "\u2002"))


@dataclass(frozen=True)
class RunStyle:
    """DrawingML properties of every math run: language, size (None: inherit) and colour."""

    lang: str = "en-US"
    size_pt: float | None = None
    color: str | None = None  # "RRGGBB"


DEFAULT_STYLE = RunStyle()


def to_omml(formula: Formula, display: bool = False, style: RunStyle = DEFAULT_STYLE) -> str:
    """`m:oMath` (in-line) or `m:oMathPara` (display, centred) XML with the m: and a: namespaces."""
    return etree.tostring(omml_element(formula, display, style), encoding="unicode")


def omml_element(
    formula: Formula, display: bool, style: RunStyle = DEFAULT_STYLE
) -> etree._Element:
    math = _m("oMath")
    _Converter(style).fill(math, list(formula.tree()))
    if not display:
        return math
    para = _m("oMathPara")
    _sub(_sub(para, "oMathParaPr"), "jc", val="centerGroup")
    para.append(math)
    return para


def _m(tag: str, **attrs: str) -> etree._Element:
    el = etree.Element(f"{{{M_NS}}}{tag}", nsmap=_NSMAP)
    for key, value in attrs.items():
        el.set(f"{{{M_NS}}}{key}", value)
    return el


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{M_NS}}}{tag}")
    for key, value in attrs.items():
        el.set(f"{{{M_NS}}}{key}", value)
    return el


def _drawing_props(style: RunStyle, italic: bool) -> etree._Element:
    """A math run's DrawingML properties (`a:rPr`), Cambria Math, as PowerPoint writes them."""
    rpr = etree.Element(f"{{{A_NS}}}rPr", lang=style.lang, nsmap=_NSMAP)
    if style.size_pt:
        rpr.set("sz", str(round(style.size_pt * 100)))
    rpr.set("i", "1" if italic else "0")
    if style.color:
        fill = etree.SubElement(rpr, f"{{{A_NS}}}solidFill")
        etree.SubElement(fill, f"{{{A_NS}}}srgbClr", val=style.color.lstrip("#").upper())
    etree.SubElement(
        rpr, f"{{{A_NS}}}latin", typeface="Cambria Math",
        panose="02040503050406030204", pitchFamily="18", charset="0",
    )  # fmt: skip
    return rpr


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _text(el: etree._Element) -> str:
    return "".join(el.itertext())


def _italic(ch: str) -> str:
    """The mathematical italic form of a Latin or Greek lower-case letter; others unchanged."""
    if ch == "h":
        return "\u210e"
    if "a" <= ch <= "z":
        return chr(0x1D44E + ord(ch) - ord("a"))
    if "A" <= ch <= "Z":
        return chr(0x1D434 + ord(ch) - ord("A"))
    if "α" <= ch <= "ω":
        return chr(0x1D6FC + ord(ch) - ord("α"))
    return ch


class _Converter:
    def __init__(self, style: RunStyle):
        self.style = style
        self._props = {italic: _drawing_props(style, italic) for italic in (False, True)}

    # -- runs --------------------------------------------------------------------------------
    def run(self, parent: etree._Element, text: str, kind: str = "italic") -> None:
        """kind: italic (letters in math italic), upright (m:sty p) or text (m:nor)."""
        r = _sub(parent, "r")
        if kind != "italic":
            props = _sub(r, "rPr")
            _sub(props, "nor") if kind == "text" else _sub(props, "sty", val="p")
        self.drawing_props(r, italic=kind == "italic")
        t = _sub(r, "t")
        t.text = "".join(map(_italic, text)) if kind == "italic" else text
        if text != text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def drawing_props(self, parent: etree._Element, italic: bool) -> None:
        parent.append(copy.deepcopy(self._props[italic]))  # made once: a copy is quicker

    def props(self, parent: etree._Element, tag: str) -> etree._Element:
        """A structure's property element (close it with close_props once its options are in)."""
        return _sub(parent, tag)

    def close_props(self, pr: etree._Element) -> None:
        """The m:ctrlPr PowerPoint ends every property element with (the font of bars, radicals)."""
        self.drawing_props(_sub(pr, "ctrlPr"), italic=True)

    def arg(self, parent: etree._Element, tag: str, nodes: list[etree._Element]) -> etree._Element:
        el = _sub(parent, tag)
        self.fill(el, nodes)
        return el

    # -- sequences ---------------------------------------------------------------------------
    def fill(self, parent: etree._Element, nodes: list[etree._Element]) -> None:
        """Convert sibling MathML nodes into `parent`; a big operator takes what follows it."""
        nodes = [n for n in nodes if _local(n) and _local(n) != "annotation"]
        i = 0
        while i < len(nodes):
            if _sized_fence(nodes, i):  # \binom's ( … ) and \big( … \big) around one item
                self.fence(parent, _text(nodes[i]), _text(nodes[i + 2]), [nodes[i + 1]])
                i += 3
                continue
            op = _nary_parts(nodes[i])
            if op is None:
                self.node(parent, nodes[i])
                i += 1
                continue
            end = _operand_end(nodes, i + 1, op[0] in _INTEGRALS)
            self.nary(parent, *op, nodes[i + 1 : end])
            i = end

    def node(self, parent: etree._Element, el: etree._Element) -> None:
        tag = _local(el)
        handler = getattr(self, f"on_{tag}", None)
        if handler is not None:
            handler(parent, el)
        else:  # math, mrow, mstyle, mpadded, semantics, and anything unknown: its children
            self.row(parent, el)

    def row(self, parent: etree._Element, el: etree._Element) -> None:
        kids = [k for k in el if _local(k)]
        fence = _fenced(kids)
        if fence is None:
            self.fill(parent, kids)
            return
        self.fence(parent, *fence)

    def fence(self, parent, open_chr: str, close_chr: str, inner: list[etree._Element]) -> None:
        d = _sub(parent, "d")
        pr = self.props(d, "dPr")
        _sub(pr, "begChr", val=open_chr)
        _sub(pr, "endChr", val=close_chr)
        self.close_props(pr)
        self.arg(d, "e", inner)

    # -- tokens ------------------------------------------------------------------------------
    def on_mi(self, parent: etree._Element, el: etree._Element) -> None:
        text = _text(el)
        if not text:
            return
        upright = len(text) > 1 or el.get("mathvariant") == "normal" or _italic(text) == text
        self.run(parent, text, "upright" if upright else "italic")

    def on_mn(self, parent: etree._Element, el: etree._Element) -> None:
        self.run(parent, _text(el), "upright")

    def on_mo(self, parent: etree._Element, el: etree._Element) -> None:
        text = _text(el)
        if text:
            self.run(parent, text, "upright")

    def on_mtext(self, parent: etree._Element, el: etree._Element) -> None:
        text = _text(el).replace("\u00a0", " ")
        if text:
            self.run(parent, text, "text")

    on_ms = on_mtext

    def on_mspace(self, parent: etree._Element, el: etree._Element) -> None:
        width = el.get("width", "")
        if not width.endswith("em"):
            return
        try:
            ems = float(width[:-2])
        except ValueError:
            return
        if ems <= 0:
            return
        spaces = "\u2003" * int(ems) + next(
            (s for limit, s in _SPACES if ems % 1 < limit), "\u2002"
        )
        if spaces:
            self.run(parent, spaces, "upright")

    # -- layout ------------------------------------------------------------------------------
    def on_mfrac(self, parent: etree._Element, el: etree._Element) -> None:
        f = _sub(parent, "f")
        pr = self.props(f, "fPr")
        if el.get("linethickness") in ("0", "0pt", "0em"):
            _sub(pr, "type", val="noBar")
        self.close_props(pr)
        self.arg(f, "num", [el[0]])
        self.arg(f, "den", [el[1]])

    def on_msqrt(self, parent: etree._Element, el: etree._Element) -> None:
        rad = _sub(parent, "rad")
        pr = self.props(rad, "radPr")
        _sub(pr, "degHide", val="1")
        self.close_props(pr)
        _sub(rad, "deg")
        self.arg(rad, "e", list(el))

    def on_mroot(self, parent: etree._Element, el: etree._Element) -> None:
        rad = _sub(parent, "rad")
        self.close_props(self.props(rad, "radPr"))
        self.arg(rad, "deg", [el[1]])
        self.arg(rad, "e", [el[0]])

    def on_msub(self, parent: etree._Element, el: etree._Element) -> None:
        self.scripts(parent, el[0], el[1], None)

    def on_msup(self, parent: etree._Element, el: etree._Element) -> None:
        self.scripts(parent, el[0], None, el[1])

    def on_msubsup(self, parent: etree._Element, el: etree._Element) -> None:
        self.scripts(parent, el[0], el[1], el[2])

    def scripts(self, parent, base, sub, sup) -> None:
        if _is_limit_operator(base) and sup is None:
            self.limit(parent, "limLow", base, sub)
            return
        tag = {(True, False): "sSub", (False, True): "sSup"}.get(
            (sup is None, sub is None), "sSubSup"
        )
        s = _sub(parent, tag)
        self.close_props(self.props(s, f"{tag}Pr"))
        self.arg(s, "e", [base])
        if sub is not None:
            self.arg(s, "sub", [sub])
        if sup is not None:
            self.arg(s, "sup", [sup])

    def on_mover(self, parent: etree._Element, el: etree._Element) -> None:
        base, mark = el[0], el[1]
        mark_text = _text(mark) if _local(mark) == "mo" else ""
        if arrow := extensible_arrow(base):  # \xrightarrow{above}: the arrow under its label
            self.group_chr(parent, mark, arrow, "bot", on_baseline="bot")
        elif mark_text in _ACCENTS:
            acc = _sub(parent, "acc")
            pr = self.props(acc, "accPr")
            _sub(pr, "chr", val=_ACCENTS[mark_text])
            self.close_props(pr)
            self.arg(acc, "e", [base])
        elif mark_text in _OVERLINES:
            self.bar(parent, base, "top")
        elif mark_text in _BRACES_ABOVE:
            self.group_chr(parent, base, mark_text, "top")
        else:
            self.limit(parent, "limUpp", base, mark)

    def on_munder(self, parent: etree._Element, el: etree._Element) -> None:
        base, mark = el[0], el[1]
        mark_text = _text(mark) if _local(mark) == "mo" else ""
        if arrow := extensible_arrow(base):  # \xrightarrow[below]{}: the arrow over its label
            self.group_chr(parent, mark, arrow, "top", on_baseline="top")
        elif mark_text in _OVERLINES:
            self.bar(parent, base, "bot")
        elif mark_text in _BRACES_BELOW:
            self.group_chr(parent, base, mark_text, "bot")
        else:
            self.limit(parent, "limLow", base, mark)

    def on_munderover(self, parent: etree._Element, el: etree._Element) -> None:
        if arrow := extensible_arrow(el[0]):  # \xrightarrow[below]{above}
            low = _sub(parent, "limLow")
            self.close_props(self.props(low, "limLowPr"))
            self.group_chr(_sub(low, "e"), el[2], arrow, "bot", on_baseline="bot")
            self.arg(low, "lim", [el[1]])
            return
        upp = _sub(parent, "limUpp")
        self.close_props(self.props(upp, "limUppPr"))
        low = _sub(_sub(upp, "e"), "limLow")
        self.close_props(self.props(low, "limLowPr"))
        self.arg(low, "e", [el[0]])
        self.arg(low, "lim", [el[1]])
        self.arg(upp, "lim", [el[2]])

    def limit(self, parent, tag: str, base, lim) -> None:
        el = _sub(parent, tag)
        self.close_props(self.props(el, f"{tag}Pr"))
        self.arg(el, "e", [base])
        self.arg(el, "lim", [lim])

    def bar(self, parent, base, pos: str) -> None:
        bar = _sub(parent, "bar")
        pr = self.props(bar, "barPr")
        _sub(pr, "pos", val=pos)
        self.close_props(pr)
        self.arg(bar, "e", [base])

    def group_chr(self, parent, base, char: str, pos: str, on_baseline: str | None = None) -> None:
        """A character stretched over (pos top) or under (bot) the base; `on_baseline` which
        edge of the whole sits on the baseline (default: the base stays on it)."""
        g = _sub(parent, "groupChr")
        pr = self.props(g, "groupChrPr")
        _sub(pr, "chr", val=char)
        _sub(pr, "pos", val=pos)
        _sub(pr, "vertJc", val=on_baseline or ("bot" if pos == "top" else "top"))
        self.close_props(pr)
        self.arg(g, "e", [base])

    def nary(self, parent, char: str, sub, sup, under_over: bool, body) -> None:
        n = _sub(parent, "nary")
        pr = self.props(n, "naryPr")
        if char != "∫":
            _sub(pr, "chr", val=char)
        _sub(pr, "limLoc", val="subSup" if char in _INTEGRALS and not under_over else "undOvr")
        if sub is None:
            _sub(pr, "subHide", val="1")
        if sup is None:
            _sub(pr, "supHide", val="1")
        self.close_props(pr)
        self.arg(n, "sub", [sub] if sub is not None else [])
        self.arg(n, "sup", [sup] if sup is not None else [])
        self.arg(n, "e", body)

    def on_menclose(self, parent: etree._Element, el: etree._Element) -> None:
        box = _sub(parent, "borderBox")
        notation = el.get("notation", "box")
        pr = self.props(box, "borderBoxPr")
        if "box" not in notation and "roundedbox" not in notation:
            for side in ("Top", "Bot", "Left", "Right"):
                _sub(pr, f"hide{side}", val="1")
        for strike, name in (("updiagonalstrike", "BLTR"), ("downdiagonalstrike", "TLBR")):
            if strike in notation:
                _sub(pr, f"strike{name}", val="1")
        self.close_props(pr)
        self.arg(box, "e", list(el))

    def on_mphantom(self, parent: etree._Element, el: etree._Element) -> None:
        ph = _sub(parent, "phant")
        pr = self.props(ph, "phantPr")
        _sub(pr, "show", val="0")
        self.close_props(pr)
        self.arg(ph, "e", list(el))

    def on_mtable(self, parent: etree._Element, el: etree._Element) -> None:
        rows = [r for r in el if _local(r) in ("mtr", "mlabeledtr")]
        cells = [[c for c in r if _local(c) == "mtd"] for r in rows]
        if el.get("displaystyle") == "true" and all(len(r) <= 2 for r in cells):
            self.equation_array(parent, cells)
            return
        m = _sub(parent, "m")
        pr = self.props(m, "mPr")
        mc = _sub(_sub(pr, "mcs"), "mc")
        mc_pr = _sub(mc, "mcPr")
        _sub(mc_pr, "count", val=str(max((len(r) for r in cells), default=1)))
        _sub(mc_pr, "mcJc", val=_column_align(cells))
        self.close_props(pr)
        for row in cells:
            mr = _sub(m, "mr")
            for cell in row:
                self.arg(mr, "e", list(cell))

    def equation_array(self, parent: etree._Element, rows: list[list[etree._Element]]) -> None:
        """align*/aligned rows: one m:e each, the second cell's first run marked as the m:aln point."""
        arr = _sub(parent, "eqArr")
        self.close_props(self.props(arr, "eqArrPr"))
        for row in rows:
            e = _sub(arr, "e")
            if row:
                self.fill(e, list(row[0]))
            for cell in row[1:]:
                start = len(e)
                self.fill(e, list(cell))
                first_run = next((r for r in e[start:] if _local(r) == "r"), None)
                if first_run is not None:
                    props = first_run.find(f"{{{M_NS}}}rPr")
                    if props is None:
                        props = etree.Element(f"{{{M_NS}}}rPr")
                        first_run.insert(0, props)
                    etree.SubElement(props, f"{{{M_NS}}}aln")


def _is_limit_operator(el: etree._Element) -> bool:
    """`lim`, `max`, … : their subscript goes below them (m:limLow)."""
    return _local(el) == "mo" and (el.get("movablelimits") == "true" or _text(el) in _LIMITS)


def _column_align(cells: list[list[etree._Element]]) -> str:
    aligns = {c.get("columnalign", "center") for row in cells for c in row}
    return aligns.pop() if len(aligns) == 1 and aligns <= {"left", "right", "center"} else "center"


def _nary_parts(el: etree._Element):
    """(char, sub, sup, under_over) when `el` is a big operator with or without limits."""
    tag = _local(el)
    if tag == "mo":
        return (_text(el), None, None, False) if _text(el) in _NARY else None
    if tag not in ("msub", "msup", "msubsup", "munder", "mover", "munderover") or not len(el):
        return None
    base = el[0]
    if _local(base) != "mo" or _text(base) not in _NARY:
        return None
    scripts = list(el[1:])
    has_sub = tag in ("msub", "msubsup", "munder", "munderover")
    sub = scripts.pop(0) if has_sub and scripts else None
    sup = scripts.pop(0) if scripts else None
    return (_text(base), sub, sup, tag.startswith("mu"))


def _operand_end(nodes: list[etree._Element], start: int, integral: bool) -> int:
    """Where a big operator's operand ends: at a relation (or + − for sums) outside brackets."""
    depth = 0
    stops = _RELATIONS if integral else _RELATIONS | _ADDITIVE
    for j in range(start, len(nodes)):
        node = nodes[j]
        if _local(node) != "mo":
            continue
        text = _text(node)
        if text in _OPENERS and text not in _CLOSERS:
            depth += 1
        elif text in _CLOSERS and text not in _OPENERS:
            if depth == 0:
                return j
            depth -= 1
        elif depth == 0 and text in stops and j > start:
            return j
    return len(nodes)


def _sized_fence(nodes: list[etree._Element], i: int) -> bool:
    if i + 2 >= len(nodes) or _local(nodes[i]) != "mo" or _local(nodes[i + 2]) != "mo":
        return False
    first, last = nodes[i], nodes[i + 2]
    return (
        first.get("minsize") is not None
        and last.get("minsize") is not None
        and _text(first) in _OPENERS
        and _text(last) in _CLOSERS
    )


def _fenced(kids: list[etree._Element]):
    """(open, close, inner) when a row is `( … )`: \\left…\\right or a matrix in delimiters."""
    if len(kids) < 2 or _local(kids[0]) != "mo":
        return None
    first = kids[0]
    last = kids[-1] if _local(kids[-1]) == "mo" else None
    if first.get("fence") == "true" and first.get("form") == "prefix":
        if last is not None and last.get("fence") == "true" and last.get("form") == "postfix":
            return _text(first), _text(last), kids[1:-1]
        return _text(first), "", kids[1:]
    if last is not None and len(kids) == 3 and _local(kids[1]) == "mtable":
        return _text(first), _text(last), kids[1:2]
    return None
