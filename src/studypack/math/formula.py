"""LaTeX -> validated Formula (LaTeX + MathML) with located errors, via latex2mathml."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import Any

import latex2mathml.commands as l2m_commands
import latex2mathml.converter as l2m
import latex2mathml.exceptions as l2m_errors
from latex2mathml.symbols_parser import SYMBOLS
from lxml import etree

from studypack.errors import Report, Span, did_you_mean

MATHML_NS = "http://www.w3.org/1998/Math/MathML"

# latex2mathml 3.81 writes `aligned` and `gathered` as a flat row with literal `&` (invalid
# XML); its `align*` and `array` tables are right, and look the same. It also drops the
# upright style of a one-letter `\mathrm{m}` (the unit came out italic); `\mathrm{{m}}` keeps it.
_REWRITES = (
    (re.compile(r"\\mathrm\s*\{\s*([A-Za-z])\s*\}"), r"\\mathrm{{\1}}"),
    (re.compile(r"\\(begin|end)\{aligned\}"), r"\\\1{align*}"),
    (re.compile(r"\\begin\{gathered\}"), r"\\begin{array}{c}"),
    (re.compile(r"\\end\{gathered\}"), r"\\end{array}"),
    # amsmath's operator names latex2mathml lacks: set upright like \sin, with an operator's spacing
    (re.compile(r"\\arg(?![A-Za-z])"), r"\\operatorname{arg}"),
)
_REWRITTEN_COMMANDS = frozenset({"\\arg"})  # known: the rewrites above make them ones latex2mathml has
_ENVIRONMENTS = frozenset(
    "matrix pmatrix bmatrix Bmatrix vmatrix Vmatrix smallmatrix cases align align* aligned "
    "split array gathered substack".split()
)
_MTEXT, _MSUB, _MUNDER, _MO, _MROW, _MTABLE = (
    f"{{{MATHML_NS}}}{t}" for t in ("mtext", "msub", "munder", "mo", "mrow", "mtable")
)
_ARITY = {
    "msub": 2,
    "msup": 2,
    "mfrac": 2,
    "mroot": 2,
    "munder": 2,
    "mover": 2,
    "msubsup": 3,
    "munderover": 3,
}
_MOVER = f"{{{MATHML_NS}}}mover"
_MSPACE = f"{{{MATHML_NS}}}mspace"
_MI = f"{{{MATHML_NS}}}mi"
_MUNDEROVER = f"{{{MATHML_NS}}}munderover"
_SCRIPTS = frozenset({"msub", "msup", "msubsup", "munder", "mover", "munderover"})
_ROWS = frozenset({"math", "mrow", "mstyle", "mtd", "msqrt", "menclose", "mpadded", "mphantom"})  # children in a line
_OPERATOR_NAME = re.compile(r"[A-Za-z]{2,}(?:\s[A-Za-z]{2,})?")  # latex2mathml's <mo> for \det, \liminf
_SIGNS = frozenset("−-+±∓")
_ORDINARY = frozenset("∞∇∂")  # symbols to TeX, operators (spaced as such) to latex2mathml
_ENDS_A_TERM = frozenset(")]}⟩|‖⌋⌉!′″%⋯…") | _ORDINARY
# TeX's binary operators MathML's old dictionary spaces thinner than its + (ziamath reads that
# one); latex2mathml writes \setminus (⧵) as an identifier
_BINARY = frozenset("×÷·⋅∘∗⊗⊕⊖⊙∩∪∧∨⋆∖⧵")
_BIG_OPERATORS = frozenset("∑∏∐⋃⋂⨁⨂⨀∫∬∭∮∯∰")
_LIMIT_OPERATORS = frozenset("lim max min sup inf det gcd Pr".split())
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")
_BEGIN = re.compile(r"\\(?:begin|end)\s*\{([^}]*)\}")
_FENCE = re.compile(r"\\(left|right|begin|end)(?![A-Za-z])")
# The typesetter's time doubles with every level of nesting: 8 levels take about a second.
MAX_NESTING = 8
_TOO_DEEP = f"nested more than {MAX_NESTING} levels deep (braces, \\left…\\right, \\begin…\\end)"

_MESSAGES = {
    l2m_errors.NoAvailableTokensError: "incomplete formula (a command lacks its argument)",
    l2m_errors.MissingSuperScriptOrSubscriptError: "'^' or '_' without what it raises or lowers",
    l2m_errors.MissingEndError: "\\begin{…} without its \\end{…}",
    l2m_errors.DoubleSuperscriptsError: "double superscript (write x^{ab} or {x^a}^b)",
    l2m_errors.DoubleSubscriptsError: "double subscript (write x_{ab} or {x_a}_b)",
    l2m_errors.ExtraLeftOrMissingRightError: "\\left without \\right",
    l2m_errors.InvalidStyleForGenfracError: "invalid style for \\genfrac",
    l2m_errors.InvalidWidthError: "invalid width",
    l2m_errors.InvalidAlignmentError: "invalid column alignment",
    l2m_errors.DenominatorNotFoundError: "fraction without a denominator",
    l2m_errors.NumeratorNotFoundError: "fraction without a numerator",
    l2m_errors.LimitsMustFollowMathOperatorError: "\\limits must follow an operator",
}


@dataclass(frozen=True)
class Formula:
    """A parsed equation: its LaTeX source and the MathML every output is made from.

    `mathml` is the in-line form (limits beside a sum); `display_mathml` the displayed one
    (limits above and below).
    """

    latex: str
    mathml: str

    @cached_property
    def display_mathml(self) -> str:
        # made when first asked for: only display equations need it (half of parsing's time)
        return _mathml(_rewritten(self.latex), "block")

    def tree(self, display: bool = False) -> etree._Element:
        return _tree(self.display_mathml if display else self.mathml)


@lru_cache(maxsize=4096)
def _tree(mathml: str) -> etree._Element:
    return etree.fromstring(mathml)


@cache
def known_commands() -> frozenset[str]:
    """Every `\\command` latex2mathml understands (its command table and its symbol table)."""
    known = {name for name in SYMBOLS if name.startswith("\\")} | _REWRITTEN_COMMANDS
    for value in vars(l2m_commands).values():
        items = [value] if isinstance(value, str) else value
        if isinstance(items, dict | list | tuple | set | frozenset):
            known.update(k for k in items if isinstance(k, str) and k.startswith("\\"))
    return frozenset(known)


def parse(latex: str, span: Span, report: Report, display: bool = False) -> Formula | None:
    """A Formula, or None after a located `math: …` error in `report`; never raises. A display
    equation's displayed form is checked too."""
    problem = check(latex)
    if problem is None:
        try:
            formula = _convert(latex)
            if display:
                formula.display_mathml  # noqa: B018 (made now: its errors are reported here)
            return formula
        except Exception as exc:  # latex2mathml's own errors, and any crash inside it
            problem = (_message(exc), 0)
    message, index = problem
    report.error(_locate(span, latex, index), f"math: {message}")
    return None


@lru_cache(maxsize=4096)
def _convert(latex: str) -> Formula:
    return Formula(latex, _mathml(_rewritten(latex), "inline"))


def _rewritten(latex: str) -> str:
    for pattern, replacement in _REWRITES:
        latex = pattern.sub(replacement, latex)
    return latex


def _mathml(source: str, style: str) -> str:
    root = etree.fromstring(l2m.convert(source, display=style))  # raises on invalid XML
    for el in root.iter():
        text = el.text or ""
        if el.tag != _MTEXT and text.startswith("\\") and len(text) > 1:
            raise ValueError(f"unknown command '{text}'")
        if style == "block" and el.tag == _MSUB and _is_limit_operator(el[0]):
            el.tag = _MUNDER  # latex2mathml leaves \lim_{x} beside its operator, even displayed
    _group_fenced_tables(root)
    for el in root.iter():
        arity = _ARITY.get(etree.QName(el).localname)
        if arity and len(el) > arity:  # `\begin{pmatrix}…\end{pmatrix}^2`: ( table ) is one base
            base = etree.Element(_MROW)
            base.extend(list(el)[: len(el) - arity + 1])
            el.insert(0, base)
        if arity and len(el) != arity:
            raise ValueError("this LaTeX is not supported (a script or fraction lacks a part)")
    if not _draws_something(root):
        raise ValueError("nothing to draw (only spaces, phantoms or empty groups)")
    _unwrap_single_rows(root)
    _typographic_forms(root)
    root.attrib.pop("display", None)
    return etree.tostring(root, encoding="unicode")


_INKED = frozenset(f"{{{MATHML_NS}}}{t}" for t in ("mi", "mn", "mo", "mtext", "ms"))
_MPHANTOM = f"{{{MATHML_NS}}}mphantom"
_MENCLOSE = f"{{{MATHML_NS}}}menclose"
_MPADDED = f"{{{MATHML_NS}}}mpadded"
_RULED = frozenset(f"{{{MATHML_NS}}}{t}" for t in ("mfrac", "msqrt", "mroot", "menclose"))  # draw lines


def _draws_something(root: etree._Element) -> bool:
    """Whether the formula puts any ink on the page: one of only spaces (`$\\quad$`) has no
    height to set a line or fit a box by, one that is a phantom (`\\phantom{x}`) nothing to show."""
    hidden = {id(el) for phantom in root.iter(_MPHANTOM) for el in phantom.iter()}
    return any(
        id(el) not in hidden and (el.tag in _RULED or (el.tag in _INKED and (el.text or "").strip()))
        for el in root.iter()
    )


def _unwrap_single_rows(root: etree._Element) -> None:
    """`<mrow>` around one element (latex2mathml wraps every `{…}` group) is replaced by that
    element. ziamath lays out each row's children twice (once to size its stretchy fences), so
    every needless level of rows doubles the work below it. A row around one operator stays: it
    makes `{+}` an ordinary symbol, without the spacing of a binary plus."""
    for row in list(root.iter(_MROW)):
        kids = [k for k in row if isinstance(k.tag, str)]
        parent = row.getparent()
        if parent is None or len(row) != 1 or len(kids) != 1 or row.attrib or row.text:
            continue
        if kids[0].tag != _MO:
            parent.replace(row, kids[0])


def _typographic_forms(root: etree._Element) -> None:
    """What TeX sets and latex2mathml leaves to the typesetter's guess: a sign that starts a
    term is unary (`= -\\frac{b}{a}`, `(-1)^k`: no gap after it), a factorial and the symbols
    `\\infty`, `\\nabla`, `\\partial` take no operator spacing,
    a binary sign (`\\times`, `\\cdot`) has the medium spaces of `+`, a box keeps its content
    off its rule, a hat is the circumflex
    accent, not an ASCII caret floating above the letter, a labelled
    relation keeps the spacing of a relation, and an operator name (`mod` too) is set off from
    what it applies to."""
    for box in root.iter(_MENCLOSE):
        if "box" in box.get("notation", "box"):  # \boxed: room beside the content, as TeX leaves (3 pt)
            # (not above and below: ziamath reads an mpadded's depth with its sign turned)
            padded = etree.SubElement(box, _MPADDED, lspace="0.25em", width="+0.5em")
            padded.extend([kid for kid in box if kid is not padded])
    for script in root.iter(_MOVER, _MUNDER, _MUNDEROVER):
        base = script[0]
        if base.tag == _MROW and len(base) == 1 and base[0].tag == _MO and not base.text and not base.attrib:
            script.replace(base, base[0])  # \overset{def}{=} is still a relation (amsmath keeps its class)
    for el in root.iter(_MI):
        if (el.text or "") in _BINARY:
            el.tag = _MO
    for el in list(root.iter(_MO)):
        text = el.text or ""
        if text == "mod":  # \bmod: set off by 5mu each side, as amsmath does
            el.set("lspace", "0.2778em")
            el.set("rspace", "0.2778em")
        elif _OPERATOR_NAME.fullmatch(text):
            _space_operator_name(el)
        elif text in _SIGNS and el.get("form") is None and _starts_a_term(el):
            el.set("form", "prefix")
        elif text in _BINARY and "lspace" not in el.attrib:  # `b \times c`: a medium space each side
            space = "0em" if _starts_a_term(el) else "0.2222em"  # none where it starts a term
            el.set("lspace", space)
            el.set("rspace", space)
        elif text == "!" or text in _ORDINARY:
            el.set("lspace", "0em")
            el.set("rspace", "0em")
        elif text == "^" and _is_accent(el.getparent()):
            el.text = "\u02c6"


def _space_operator_name(name: etree._Element) -> None:
    """TeX's spacing of an operator name (`\\det`, `\\arg`, `\\sup`, `\\max`, …): a thin space
    before what it applies to (`det A`, `arg max`), none before a bracket, a sign or a
    relation (`det(A)`, `max(a, b)`). The space is an element of its own after the name, or
    after the script it is the base of (`sup_{x} f(x)`), where a wide script cannot swallow
    it; the name's own spacing (some have it from the operator dictionary, most not) is none."""
    name.set("lspace", "0em")
    name.set("rspace", "0em")
    op = name  # climbs to what the name ends: a script it is the base of, a group it ends
    while (parent := op.getparent()) is not None:
        local = etree.QName(parent).localname
        if not (local in _SCRIPTS and parent[0] is op) and not (local == "mrow" and parent[-1] is op):
            break
        op = parent
    if parent is None or etree.QName(parent).localname not in _ROWS:
        return  # the name fills a slot (a fraction's part, a script): nothing follows it there
    after = op.getnext()
    while after is not None and not isinstance(after.tag, str):
        after = after.getnext()  # comments
    if after is None or after.tag == _MSPACE:
        return
    if after.tag == _MO and not _OPERATOR_NAME.fullmatch(after.text or ""):
        return  # a bracket, sign, relation or punctuation: spaced by its own rules
    op.addnext(etree.Element(_MSPACE, width="0.1667em"))


EXTENSIBLE_ARROWS = frozenset("→←↔⇒⇐⇔↦↩↪⇀↽⇌⟶⟵⟹⟸⟷")


def extensible_arrow(el: Any) -> str:
    """The arrow a labelled-arrow construct is built on (latex2mathml writes `\\xrightarrow`'s
    as `<mstyle><mo>→</mo></mstyle>`), or "": for lxml's elements and ElementTree's alike."""
    local = lambda e: e.tag.rpartition("}")[2] if isinstance(e.tag, str) else ""  # noqa: E731
    while local(el) in ("mstyle", "mrow") and len(el) == 1:
        el = el[0]
    text = "".join(el.itertext()) if local(el) == "mo" else ""
    return text if text in EXTENSIBLE_ARROWS else ""


def _is_accent(el: etree._Element | None) -> bool:
    return el is not None and el.tag == _MOVER and el.get("accent") == "true"


def _starts_a_term(el: etree._Element) -> bool:
    parent = el.getparent()
    if parent is None or etree.QName(parent).localname in _ARITY:
        return True  # alone in a script or fraction slot
    before = el.getprevious()
    while before is not None and not isinstance(before.tag, str):
        before = before.getprevious()  # comments
    if before is None:
        return True
    if before.tag == _MO:
        return (before.text or "") not in _ENDS_A_TERM
    name = etree.QName(before).localname
    # after a big operator with limits (`\\sum_k -a_k`), as after any operator
    return name in _ARITY and before[0].tag == _MO and (before[0].text or "") in _BIG_OPERATORS


def _group_fenced_tables(root: etree._Element) -> None:
    """latex2mathml writes pmatrix as the siblings `( table )`: make them one row."""
    for parent in list(root.iter()):
        kids = list(parent)
        for i in range(len(kids) - 2):
            first, table, last = kids[i : i + 3]
            if first.tag == _MO and table.tag == _MTABLE and last.tag == _MO and len(kids) > 3:
                row = etree.Element(_MROW)
                parent.insert(parent.index(first), row)
                row.extend([first, table, last])


def _is_limit_operator(el: etree._Element) -> bool:
    return el.tag == _MO and (el.get("movablelimits") == "true" or el.text in _LIMIT_OPERATORS)


@lru_cache(maxsize=4096)  # renderers parse each equation again where they draw it
def check(latex: str) -> tuple[str, int] | None:
    """The first problem latex2mathml would pass over silently, and its index, or None."""
    if not latex.strip():
        return "empty formula", 0
    known = known_commands()
    for m in _COMMAND.finditer(latex):
        name = m.group(0)
        if name[1].isalpha() and name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)  # 4000 names: be strict
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            return f"unknown command '{name}'{hint}", m.start()
    for m in _BEGIN.finditer(latex):
        if m.group(1).strip() not in _ENVIRONMENTS:
            choices = sorted(_ENVIRONMENTS)
            return (
                f"unknown environment '{m.group(1)}'{did_you_mean(m.group(1), choices)}",
                m.start(),
            )
    opened: list[int] = []
    fences = 0  # \left…\right and \begin…\end pairs open here; they nest like braces
    i = 0
    while i < len(latex):
        ch = latex[i]
        if ch == "\\":
            m = _FENCE.match(latex, i)
            if m:
                fences += 1 if m.group(1) in ("left", "begin") else -1
                if len(opened) + fences > MAX_NESTING:
                    return _TOO_DEEP, i
            i += 2
            continue
        if ch == "{":
            opened.append(i)
            if len(opened) + fences > MAX_NESTING:
                return _TOO_DEEP, i
        elif ch == "}":
            if not opened:
                return "'}' without its '{'", i
            opened.pop()
        i += 1
    if opened:
        return "'{' without its '}'", opened[-1]
    return None


def _message(exc: Exception) -> str:
    for kind, message in _MESSAGES.items():
        if isinstance(exc, kind):
            return message
    if isinstance(exc, etree.XMLSyntaxError):
        return "this LaTeX is not supported (its MathML is invalid)"
    text = str(exc).strip()
    return text or re.sub(r"(?<!^)([A-Z])", r" \1", type(exc).__name__).lower()


def _locate(span: Span, latex: str, index: int) -> Span:
    """The span of character `index` of a formula that starts at `span`."""
    if not span.line:
        return span
    before = latex[:index]
    lines = before.count("\n")
    if lines:
        return Span(span.path, span.line + lines, index - before.rfind("\n"))
    return Span(span.path, span.line, span.col + index)
