"""Inline `$…$` math told from money by pandoc's rule (no library: pure text scanning)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InlineMath:
    """A `$…$` piece of inline text: its LaTeX and where its opening `$` stood in the text."""

    latex: str
    offset: int


def split_inline(text: str) -> list[str | InlineMath]:
    """Text pieces and inline math, in order.

    Pandoc's rule: the opening `$` has a non-space right after it, the closing `$` a non-space
    right before it and no digit right after it, so `$5 and $10` stays text. A backslashed
    `\\$` is no math mark and a code span (`` `…` ``) holds no math: both stay in the text
    pieces as typed, for studypack.inline.parse_inline to read (`\\$` is a literal dollar
    there, and stays `\\$` inside code). Inside math a backslash escapes the next character
    (`\\$` does not close) and `\\text{…}` may hold `$`. Adjacent text is merged; an empty
    text yields [].
    """
    if "$" not in text:
        return [text] if text else []
    pieces: list[str | InlineMath] = []
    buf: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:  # an escaped mark (`\\$`, `` \\` ``) is text
            buf.append(text[i : i + 2])
            i += 2
            continue
        if ch == "`":
            end = _code_span_end(text, i)
            buf.append(text[i:end])
            i = end
            continue
        if ch == "$":
            end = _closing_dollar(text, i)
            if end is not None:
                if buf:
                    pieces.append("".join(buf))
                    buf = []
                pieces.append(InlineMath(text[i + 1 : end], i))
                i = end + 1
                continue
        buf.append(ch)
        i += 1
    if buf:
        pieces.append("".join(buf))
    return pieces


def lone_equation(text: str) -> InlineMath | None:
    """The equation when the text is one `$…$` and nothing else (a flashcard face that is an
    equation, set in display style); else None."""
    pieces = [p for p in split_inline(text) if not (isinstance(p, str) and not p.strip())]
    return pieces[0] if len(pieces) == 1 and isinstance(pieces[0], InlineMath) else None


def _code_span_end(text: str, start: int) -> int:
    """Index after the code span opened by the backticks at `start` (CommonMark: closed by a
    run of as many backticks), or after the opening run when it is never closed."""
    run = start
    while run < len(text) and text[run] == "`":
        run += 1
    ticks = run - start
    k = run
    while (k := text.find("`", k)) != -1:
        end = k
        while end < len(text) and text[end] == "`":
            end += 1
        if end - k == ticks:
            return end
        k = end
    return run


def _closing_dollar(text: str, start: int) -> int | None:
    """Index of the `$` closing math opened at `start`, or None when this `$` is text."""
    n = len(text)
    j = start + 1
    if j >= n or text[j].isspace() or text[j] == "$":
        return None  # `$ x` and `$$` are text
    while j < n:
        ch = text[j]
        if ch == "$" and j > start + 1:
            if j + 1 < n and text[j + 1].isdigit():
                return None  # `$5 … $10`: money, not math
            return j
        if ch == "\\":
            if text.startswith("text{", j + 1):
                j = _after_braces(text, j + 5)
                if j is None:
                    return None
                continue
            if j + 1 >= n:
                return None
            j += 2
            continue
        if ch.isspace():
            k = j
            while k < n and text[k].isspace():
                k += 1
            if k >= n or text[k] == "$" or text.count("\n", j, k) >= 2:
                return None  # space before the closing `$`, or a blank line
            j = k
            continue
        j += 1
    return None


def _after_braces(text: str, open_brace: int) -> int | None:
    """Index after the `}` balancing the `{` at `open_brace`, or None when it is never closed."""
    depth = 0
    k = open_brace
    while k < len(text):
        if text[k] == "\\":
            k += 2
            continue
        if text[k] == "{":
            depth += 1
        elif text[k] == "}":
            depth -= 1
            if depth == 0:
                return k + 1
        k += 1
    return None
