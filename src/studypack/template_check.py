"""A theme's template.pptx checked at theme load, so the deck renderer only ever opens sound ones.

Before anything is decompressed or parsed in full: every part's size, duplicate and encrypted
entries, content types (no macros, no .potx), XML without DTDs or entities, relationships that
stay inside the package and lead to parts it has, a slide size PowerPoint accepts. Last,
python-pptx must open it as the renderer will.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from pathlib import Path

from studypack import inputs
from studypack.deck_template import MAX_TEMPLATE_BYTES, slide_size

MAX_PART_BYTES = 32 * 1024 * 1024  # uncompressed; a template's biggest part is a picture
MAX_TOTAL_BYTES = 128 * 1024 * 1024
MAX_PARTS = 5_000
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
# EMU: PowerPoint's slide sizes run from 1 to 56 inches a side.
MIN_SIDE, MAX_SIDE = 914_400, 51_206_400
_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


class _Problem(Exception):
    pass


def package_problem(path: Path) -> str | None:
    """Why a template.pptx cannot be a deck's template (naming the part), or None."""
    try:
        data = inputs.read(path, MAX_TEMPLATE_BYTES)
    except inputs.TooLarge:
        return f"is larger than {MAX_TEMPLATE_BYTES} bytes"
    except OSError as e:
        return f"cannot be read ({e.strerror or e})"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            _check_package(z)
    except _Problem as p:
        return str(p)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        ValueError,
        NotImplementedError,
    ) as e:
        return f"is not a PowerPoint .pptx file ({e})"
    size = slide_size(path)
    if size is None or not all(MIN_SIDE <= side <= MAX_SIDE for side in size):
        return "part 'ppt/presentation.xml': the slide size (p:sldSz) is missing or not between 1 and 56 inches"
    return _opens(data)


def _check_package(z: zipfile.ZipFile) -> None:
    infos = z.infolist()
    if len(infos) > MAX_PARTS:
        raise _Problem(f"holds {len(infos)} parts (at most {MAX_PARTS})")
    names: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if name in names:
            raise _Problem(f"part '{name}' appears twice in the zip")
        names.add(name)
        if info.flag_bits & 0x1:
            raise _Problem(f"part '{name}' is encrypted")
        if info.file_size > MAX_PART_BYTES:
            raise _Problem(
                f"part '{name}' is {info.file_size} bytes uncompressed (at most {MAX_PART_BYTES})"
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise _Problem(f"its parts are {total} bytes uncompressed (at most {MAX_TOTAL_BYTES})")
    if "ppt/presentation.xml" not in names:
        raise _Problem("is not a PowerPoint .pptx file (no ppt/presentation.xml)")
    types = _content_types(z, names)
    for name in sorted(names):
        if name.endswith("/") or name == "[Content_Types].xml":
            continue
        content_type = types.get(name)
        if content_type is None:
            raise _Problem(f"part '{name}' has no content type in [Content_Types].xml")
        if "macroEnabled" in content_type or "vbaProject" in content_type:
            raise _Problem(
                f"part '{name}' holds macros ({content_type}); save the template as a .pptx"
            )
        if name == "ppt/presentation.xml" and content_type != MAIN_TYPE:
            raise _Problem(
                f"part '{name}' is '{content_type}', not a presentation; save the template as a .pptx"
            )
        if name.endswith((".xml", ".rels")):
            root = _xml(z, name)
            if name.endswith(".rels"):
                _check_rels(root, name, names)
        else:
            _read(z, name)  # decompresses and checks its CRC: sizes are known to be in budget


def _content_types(z: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Part name -> content type, from the defaults by extension and the overrides."""
    if "[Content_Types].xml" not in names:
        raise _Problem("has no [Content_Types].xml")
    root = _xml(z, "[Content_Types].xml")
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for item in root:
        if item.tag == f"{_TYPES_NS}Default":
            defaults[(item.get("Extension") or "").lower()] = item.get("ContentType") or ""
        elif item.tag == f"{_TYPES_NS}Override":
            overrides[(item.get("PartName") or "").lstrip("/")] = item.get("ContentType") or ""
    out: dict[str, str] = {}
    for name in names:
        base = posixpath.basename(name)  # "_rels/.rels" has the extension "rels"
        extension = base.rsplit(".", 1)[-1].lower() if "." in base else ""
        found = overrides.get(name) or defaults.get(extension)
        if found:
            out[name] = found
    return out


_UNREADABLE = (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, zlib.error)


def _read(z: zipfile.ZipFile, name: str) -> bytes:
    try:
        return z.read(name)
    except _UNREADABLE as e:  # truncated, bad CRC, an odd compression method
        raise _Problem(f"part '{name}' cannot be read ({e})") from e


def _xml(z: zipfile.ZipFile, name: str):
    from lxml import etree

    data = _read(z, name)
    head = data[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data.upper():
        raise _Problem(f"part '{name}' declares a DTD or entities, which templates never need")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise _Problem(f"part '{name}' is not well-formed XML ({e})") from e


def _check_rels(root, name: str, names: set[str]) -> None:
    """Relationships stay inside the package and lead to parts it has."""
    folder = posixpath.dirname(posixpath.dirname(name))  # ppt/_rels/x.rels -> ppt
    for rel in root:
        target = rel.get("Target") or ""
        if (rel.get("TargetMode") or "").lower() == "external":
            raise _Problem(f"part '{name}' links to an outside resource '{target}'")
        if target.startswith("/"):
            part = target.lstrip("/")
        else:
            part = posixpath.normpath(posixpath.join(folder, target))
        if part not in names:
            raise _Problem(f"part '{name}' refers to '{target}', which the package lacks")


def _opens(data: bytes) -> str | None:
    """Whether python-pptx opens the package as the deck renderer will."""
    from pptx import Presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        prs = Presentation(io.BytesIO(data))
        for layout in prs.slide_layouts:  # parsed on access: a broken layout fails here
            layout.slide_master  # noqa: B018 - placeholders inherit their geometry from it
            for ph in layout.placeholders:
                _ = (ph.placeholder_format.type, ph.left, ph.top, ph.width, ph.height, ph.name)
        for ph in prs.slide_master.placeholders:
            _ = (ph.placeholder_format.type, ph.left, ph.top, ph.width, ph.height)
        prs.slide_master.part.part_related_by(RT.THEME).blob  # noqa: B018 - the renderer rewrites it
    except Exception as e:  # noqa: BLE001 - python-pptx's failures on odd packages vary
        return f"cannot be opened as a presentation ({type(e).__name__}: {e})"
    return None
