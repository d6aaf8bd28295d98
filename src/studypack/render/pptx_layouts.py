"""Slide layouts profiled by placeholder type (never by index or name): roles and their frames."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pptx.enum.shapes import PP_PLACEHOLDER

from studypack.plan.deck import Box, Geometry
from studypack.units import EMU_PER_PT

# Placeholders every layout may carry that say nothing about its role.
_FURNITURE = {PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER}
_TITLES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE}
_BODIES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT}

# role -> what it is for (the message `themes check` prints for a missing one)
ROLES = {
    "title": "title slide (a title and a subtitle placeholder)",
    "section": "section header (a title and one text placeholder)",
    "content": "title and content (a title and one body placeholder)",
    "two": "two content (a title and two body placeholders side by side)",
    "picture": "picture with caption (a title and a picture placeholder)",
}


@dataclass
class LayoutProfile:
    """The layout chosen for each role (None when the presentation has none) and what is missing."""

    title: Any = None
    section: Any = None
    content: Any = None
    two: Any = None
    picture: Any = None
    missing: list[str] = field(default_factory=list)  # role names from ROLES

    def usable(self) -> bool:
        """Decks can be built: every other role falls back on a title-and-content layout."""
        return self.content is not None


def _is_vertical(ph: Any) -> bool:
    return (
        ph.placeholder_format.type == PP_PLACEHOLDER.VERTICAL_BODY
        or ph.element.ph_orient == "vert"
    )


def _kinds(layout: Any) -> dict[str, list[Any]]:
    kinds: dict[str, list[Any]] = {
        "title": [],
        "ctr": [],
        "subtitle": [],
        "body": [],
        "picture": [],
        "other": [],
    }
    for ph in layout.placeholders:
        t = ph.placeholder_format.type
        if t in _FURNITURE:
            continue
        if t in _TITLES and not _is_vertical(ph) and t != PP_PLACEHOLDER.VERTICAL_TITLE:
            kinds["ctr" if t == PP_PLACEHOLDER.CENTER_TITLE else "title"].append(ph)
        elif t == PP_PLACEHOLDER.SUBTITLE:
            kinds["subtitle"].append(ph)
        elif t in _BODIES and not _is_vertical(ph):
            kinds["body"].append(ph)
        elif t == PP_PLACEHOLDER.PICTURE:
            kinds["picture"].append(ph)
        else:
            kinds["other"].append(ph)
    return kinds


def _area(ph: Any) -> int:
    return int(ph.width or 0) * int(ph.height or 0)


def _twin_columns(title: Any, a: Any, b: Any) -> bool:
    """Two bodies side by side, of about the same size, under the title (not a caption beside content)."""
    side_by_side = (a.left or 0) + (a.width or 0) <= (b.left or 0) + 1
    similar = all(
        abs(int(x or 0) - int(y or 0)) <= 0.1 * max(int(x or 0), int(y or 0), 1)
        for x, y in ((a.width, b.width), (a.height, b.height))
    )
    below = min(a.top or 0, b.top or 0) >= (title.top or 0) + (title.height or 0) / 2
    return side_by_side and similar and below


def profile_layouts(prs: Any) -> LayoutProfile:
    """Choose a layout per role from every master's layouts, judged by placeholder types and frames."""
    profile = LayoutProfile()
    content_area = section_score = -1
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            k = _kinds(layout)
            titles = k["title"] + k["ctr"]
            if len(titles) != 1 or k["other"]:
                continue
            title = titles[0]
            bodies, pics = k["body"], k["picture"]
            if k["subtitle"] and not bodies and not pics and profile.title is None:
                profile.title = layout
            elif len(bodies) == 1 and not pics and not k["subtitle"]:
                body = bodies[0]
                if _area(body) > content_area and (body.top or 0) >= (title.top or 0):
                    content_area, profile.content = _area(body), layout
                # A section header's text sits above or beside a large title, or is small.
                score = int(body.placeholder_format.type == PP_PLACEHOLDER.BODY) * 2 + int(
                    (body.top or 0) < (title.top or 0)
                )
                if score > section_score:
                    section_score, profile.section = score, layout
            elif len(bodies) == 2 and not pics and not k["subtitle"] and profile.two is None:
                if _twin_columns(title, *sorted(bodies, key=lambda p: p.left or 0)):
                    profile.two = layout
            elif (
                len(pics) == 1
                and len(bodies) <= 1
                and not k["subtitle"]
                and profile.picture is None
            ):
                profile.picture = layout
    if profile.section is profile.content:
        profile.section = None
    profile.missing = [role for role in ROLES if getattr(profile, role) is None]
    return profile


def _pt(emu: Any) -> float:
    return int(emu or 0) / EMU_PER_PT


@dataclass
class Role:
    """A chosen layout and the idx of each placeholder we fill, in reading order."""

    layout: Any
    title: int | None
    bodies: list[int]  # left to right
    picture: int | None
    footer: Any  # the layout's footer placeholder (inherits its frame), or None
    number: Any
    date: Any


def role_of(layout: Any) -> Role:
    title = picture = None
    bodies: list[Any] = []
    furniture: dict[Any, Any] = {}
    for ph in layout.placeholders:
        t = ph.placeholder_format.type
        if t in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
            title = ph
        elif t in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE):
            bodies.append(ph)
        elif t == PP_PLACEHOLDER.PICTURE:
            picture = ph
        else:
            furniture[t] = ph
    bodies.sort(key=lambda p: (p.left or 0, p.top or 0))
    return Role(
        layout, title.placeholder_format.idx if title is not None else None,
        [b.placeholder_format.idx for b in bodies], picture.placeholder_format.idx if picture is not None else None,
        furniture.get(PP_PLACEHOLDER.FOOTER), furniture.get(PP_PLACEHOLDER.SLIDE_NUMBER), furniture.get(PP_PLACEHOLDER.DATE),
    )  # fmt: skip


def box_of(ph: Any) -> Box:
    return Box(_pt(ph.left), _pt(ph.top), _pt(ph.width), _pt(ph.height))


def _ph(layout: Any, idx: int | None) -> Any:
    return next((p for p in layout.placeholders if p.placeholder_format.idx == idx), None)


def geometry(prs: Any, roles: dict[str, Role]) -> Geometry:
    def box(role: str, which: str, n: int = 0) -> Box | None:
        r = roles[role]
        idx = (
            r.title
            if which == "title"
            else r.picture
            if which == "picture"
            else (r.bodies[n] if len(r.bodies) > n else None)
        )
        ph = _ph(r.layout, idx) if idx is not None else None
        return box_of(ph) if ph is not None else None

    content_body = box("content", "body")
    assert content_body is not None
    cols = (
        tuple(b for b in (box("two", "body", 0), box("two", "body", 1)) if b)
        if roles["two"] is not roles["content"]
        else (content_body,)
    )
    footer = roles["content"].footer
    return Geometry(
        _pt(prs.slide_width), _pt(prs.slide_height),
        box("title", "title") or box("content", "title"), box("title", "body"),  # type: ignore[arg-type]
        box("section", "title"), box("section", "body"),  # type: ignore[arg-type]
        box("content", "title"), content_body,  # type: ignore[arg-type]
        box("two", "title"), cols or (content_body,),  # type: ignore[arg-type]
        box("picture", "title"), box("picture", "picture") or content_body,  # type: ignore[arg-type]
        box("picture", "body") if roles["picture"].picture is not None else None,
        box_of(footer) if footer is not None else None,
    )  # fmt: skip


def roles_of(profile: LayoutProfile) -> dict[str, Role]:
    """Each role's layout, falling back on title-and-content where the template lacks one."""
    content = role_of(profile.content)
    return {name: (role_of(getattr(profile, name)) if getattr(profile, name) is not None else content)
            for name in ("title", "section", "content", "two", "picture")}  # fmt: skip
