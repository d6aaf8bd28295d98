"""Page furniture in text pasted from a web page: what a reader would not call the guide.

A line is furniture by what it says AND where it stands: short lines standing alone (not
bullets of the content), runs of menu items before the content starts and after it ends,
lists of links under a "Related" heading, a table of contents that repeats later headings.
"""

from __future__ import annotations

import re

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|"
    rf"\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}|{_MONTH}\s+\d{{4}}|\d+\s+(?:days?|weeks?|months?|years?)\s+ago)\b",
    re.IGNORECASE,
)
_SOCIAL = r"facebook|twitter|x|pinterest|linkedin|e-?mail|whatsapp|reddit|copy link|instagram|tiktok|print"
_LEGAL = re.compile(
    r"terms (?:of (?:service|use)|and conditions)|privacy(?: policy| notice)?|cookie (?:policy|settings|preferences)"
    r"|accessibility|sitemap|disclaimer|do not sell|contact us|about us|careers|help cent(?:er|re)|honor code",
    re.IGNORECASE,
)
# (kind, pattern) for a short line standing on its own; first match wins.
_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("skip link", r"^skip to (?:the )?(?:main )?(?:content|navigation|main|search)\b"),
        (
            "advertisement",
            r"^(?:advertisements?|sponsored(?: content| links?)?|ads?|promoted|ad choices|adchoices|paid content|ads by \w+)[:.]?$",
        ),
        (
            "byline",
            r"^(?:(?:written|posted|reviewed|edited|published|authored|fact[- ]checked|created|compiled|updated)\s+by\s+\S"
            r"|by\s+(?:(?:dr|prof|ms|mr|mrs)\.?\s+)?[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}\s*(?:$|[|·•,–—-]))",
        ),
        (
            "update date",
            r"^(?:last\s+)?(?:updated|modified|edited|published|posted|reviewed|revised)(?:\s+on)?\s*:?\s*\S",
        ),
        ("reading time", r"^(?:\d+|one|two|three|five|ten)\s*(?:-|\s)?min(?:ute)?s?\.?\s+read\b"),
        (
            "image-carousel line",
            r"^(?:top images? from around the web|(?:image|photo|picture|slide|figure)\s+\d+\s+(?:of|/)\s+\d+|(?:image|photo)\s+(?:credit|source|courtesy)\b|view (?:all )?(?:images|gallery|photos))",
        ),
        (
            "share line",
            rf"^(?:share|print|email|tweet|pin|save|bookmark)(?:\s+(?:this|the|it|on|via|to))?(?:\s+(?:guide|page|article|post|lesson|study guide|resource|now))?\s*[:!]?\s*(?:(?:{_SOCIAL})[\s,|·•/]*)*$",
        ),
        ("share line", rf"^(?:(?:{_SOCIAL})[\s,|·•/]*){{2,}}$"),
        (
            "cookie notice",
            r"\bcookies?\b.*\b(?:accept|consent|agree|experience|settings|preferences)\b",
        ),
        (
            "feedback prompt",
            r"^(?:was this (?:page|guide|article|lesson|answer|helpful|useful)|did (?:this|you find this) help|rate this (?:guide|page|article)|report (?:an? )?(?:issue|error|problem)|(?:yes|no)\s*[/|]\s*(?:yes|no)$|helpful\?\s*(?:yes|no))",
        ),
        (
            "call to action",
            r"^(?:click here|tap here|sign up|sign in|log ?in|subscribe|join (?:now|free|today|us|our|the|thousands|millions)|download (?:the|our|this|now|free|pdf|app)|start (?:your |a |learning |studying )?(?:free|now|today|trial)|get (?:started|access|the app|unlimited|premium|free|your free)|try (?:it |us |\w+ )?(?:free|for free|now)|unlock|upgrade|register|create (?:a |your )?(?:free )?account|see (?:more|all)|read (?:more|next)|learn more|view (?:all|more)|continue reading|explore (?:more|all|our)|book a (?:tutor|session|demo)|ask (?:a|an) (?:tutor|expert)|go premium|want (?:more|to)|looking for more|need (?:more )?help|more study guides)\b",
        ),
        (
            "table of contents",
            r"^(?:table of contents|contents|on this page|in this (?:guide|article)|jump to)\s*:?",
        ),
        ("legal footer", r"\ball rights reserved\b|^(?:©|\(c\)|copyright\b)"),
    )
)
_RELATED = re.compile(
    r"^(?:related(?:\s+\w+){0,3}|recommended(?:\s+\w+){0,3}|popular(?:\s+\w+){0,3}|trending(?:\s+\w+){0,2}"
    r"|you (?:may|might) also (?:like|enjoy)|more (?:study guides|guides|articles|from [\w\s]+|in [\w\s]+|resources)"
    r"|keep (?:reading|learning|studying)|up next|next up|other (?:study guides|guides|units|topics)|explore more(?:\s+\w+){0,3})\s*:?$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*[•◦▪▫‣⁃●○■□·∙–—*+-]\s+")
_SEPARATORS = (" > ", " › ", " » ", " / ", " | ", " · ", " • ")
MAX_WORDS = 16  # a line of furniture is short; longer lines are prose, whatever they say


def _words(text: str) -> int:
    return len(text.split())


def _short_item(text: str) -> bool:
    """A menu or link item: a few words, no sentence, no 'Term: definition'."""
    t = text.strip()
    return 0 < _words(t) <= 4 and not t.endswith((".", ",", ";", ":")) and ": " not in t


def line_kind(text: str, bullet: bool) -> str | None:
    """The kind of furniture one line is by itself, or None."""
    t = _BULLET.sub("", text).strip()
    if not t or _words(t) > MAX_WORDS * 2:
        return None
    for sep in _SEPARATORS:
        parts = [p.strip() for p in t.split(sep)]
        if len(parts) >= 2 and all(0 < _words(p) <= 6 for p in parts):
            if any(_LEGAL.search(p) for p in parts):
                return "legal footer"
            if sep.strip() in "/>›»" and (len(parts) >= 3 or parts[0].lower() == "home"):
                return "breadcrumbs"
            if len(parts) >= 3 and sep.strip() in "|·•" and all(_words(p) <= 3 for p in parts):
                return "navigation links"
    if re.fullmatch(r"(?:home|main)\s*(?:[>›»/]\s*.*)?", t, re.IGNORECASE) and _words(t) <= 8:
        return "breadcrumbs"
    if bullet:
        return None  # a bullet belongs to the content unless it is a breadcrumb or legal line
    if _LEGAL.fullmatch(t):
        return "legal footer"
    if _words(t) > MAX_WORDS:
        return None
    for kind, pattern in _PHRASES:
        if pattern.search(t):
            if kind in ("byline", "update date") and _words(t) > 12:
                continue
            if kind == "update date" and not _DATE.search(t):
                continue  # "Revised Statutes" is a heading; "Updated March 3, 2024" is not
            if kind == "call to action" and not (
                _words(t) <= 8
                or re.search(r"[!→»>]|\bfree\b|\bnow\b|\btoday\b|\bhere\b", t, re.IGNORECASE)
            ):
                continue
            return kind
    if _DATE.search(t) and _words(_DATE.sub("", t)) <= 2:
        return "date line"
    return None


def find_furniture(lines: list[str]) -> dict[int, str]:
    """{index: kind} of the furniture among `lines` (source lines, blank ones included)."""
    found: dict[int, str] = {}
    for i, raw in enumerate(lines):
        if raw.strip():
            kind = line_kind(raw, _BULLET.match(raw) is not None)
            if kind:
                found[i] = kind
    _lone_dates(lines, found)
    rest = [i for i, raw in enumerate(lines) if raw.strip() and i not in found]
    _contents(lines, rest, found)
    rest = [i for i in rest if i not in found]
    _menus(lines, rest, found)
    _related(lines, rest, found)
    _between(lines, found)
    return found


def _lone_dates(lines: list[str], found: dict[int, str]) -> None:
    """A bare date ("March 3, 2024") is furniture next to other furniture; alone it may be a
    heading of a history guide ("July 1789")."""
    filled = [i for i, raw in enumerate(lines) if raw.strip()]
    for k, i in enumerate(filled):
        if found.get(i) != "date line":
            continue
        near = [filled[j] for j in (k - 1, k + 1) if 0 <= j < len(filled)]
        if not any(found.get(j) not in (None, "date line") for j in near):
            del found[i]


def _menus(lines: list[str], rest: list[int], found: dict[int, str]) -> None:
    """Runs of three or more short items before the content starts or after it ends."""
    run = _leading_run(lines, rest)
    if len(run) >= 3:
        # The last short line before the prose is the page's title, not a menu item.
        nxt = rest[len(run)] if len(run) < len(rest) else None
        if nxt is not None and _words(lines[nxt]) >= 8:
            run = run[:-1]
        for i in run:
            found[i] = "navigation menu"
    tail = _leading_run(lines, rest[::-1])
    if len(tail) >= 3:
        for i in tail:
            found[i] = "footer links"


def _leading_run(lines: list[str], order: list[int]) -> list[int]:
    run: list[int] = []
    for i in order:
        if _BULLET.match(lines[i]) or not _short_item(lines[i]) or _words(lines[i]) > 3:
            break
        run.append(i)
    return run


def _between(lines: list[str], found: dict[int, str]) -> None:
    """A lone site name or menu item of a few words, with furniture right above and below it
    (or the top of the page above it)."""
    filled = [i for i, raw in enumerate(lines) if raw.strip()]
    for k, i in enumerate(filled):
        if (
            i in found
            or _BULLET.match(lines[i])
            or not _short_item(lines[i])
            or _words(lines[i]) > 2
        ):
            continue
        above = k == 0 or filled[k - 1] in found
        below = (
            k + 1 < len(filled)
            and filled[k + 1] in found
            and found[filled[k + 1]] != "advertisement"
        )
        if above and below:
            found[i] = "navigation menu"


def _related(lines: list[str], rest: list[int], found: dict[int, str]) -> None:
    """'Related guides' (and the like) and the short link items under it."""
    for k, i in enumerate(rest):
        if i in found or not _RELATED.match(lines[i].strip()):
            continue
        items = []
        for j in rest[k + 1 :]:
            text = _BULLET.sub("", lines[j]).strip()
            if _words(text) > 10 or text.endswith((".", ";", ":")) or ": " in text:
                break
            items.append(j)
        if items or k == len(rest) - 1:
            for j in [i, *items]:
                found[j] = "related links"


def _contents(lines: list[str], rest: list[int], found: dict[int, str]) -> None:
    """Items right under a 'Contents' line that repeat headings further down."""
    for i, kind in list(found.items()):
        if kind != "table of contents" or ":" in lines[i] and _words(lines[i].split(":", 1)[1]) > 0:
            continue
        later = [j for j in rest if j > i]
        for k, j in enumerate(later):
            text = _BULLET.sub("", lines[j]).strip().casefold()
            if not _short_item(lines[j]) and not _BULLET.match(lines[j]):
                break
            rest_texts = {_BULLET.sub("", lines[x]).strip().casefold() for x in later[k + 1 :]}
            if text not in rest_texts:
                break
            found[j] = "table of contents"
