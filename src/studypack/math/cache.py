"""An on-disk cache of math results shared by builds: typeset equations and pictures.

Entries live under the user cache folder ($XDG_CACHE_HOME or ~/.cache)/studypack/math, named
by a hash of everything the result depends on (the content addresses it), so an entry never
goes stale; only the library versions and inputs in the key decide. Each file is written to a
temporary name and renamed (readers never see half a file) and starts with the SHA-256 of its
payload, so a damaged entry reads as missing and is made again. A cache that cannot be
written (read-only home) costs nothing but the time to compute the result. The folder is kept
under a size limit by studypack.math.prune, at most once a day.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import struct
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import studypack.math.prune as prune

_DIGEST = 32  # bytes of SHA-256 in front of every payload
ENV_DISABLE = "STUDYPACK_NO_MATH_CACHE"  # set (to anything) to compute everything afresh


def folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "studypack" / "math"


def key(*parts: object) -> str:
    """A content address for the parts (strings, numbers, tuples of them)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def _path(name: str, suffix: str) -> Path:
    return folder() / name[:2] / f"{name}{suffix}"


def get(name: str, suffix: str) -> bytes | None:
    """The payload stored under `name`, or None (missing, damaged, or cache disabled)."""
    if os.environ.get(ENV_DISABLE):
        return None
    path = _path(name, suffix)
    try:  # a missing entry, or one pruned by another build meanwhile, reads as missing
        with open(path, "rb") as f:
            data = f.read()
            modified = os.fstat(f.fileno()).st_mtime
    except OSError:
        return None
    payload = data[_DIGEST:]
    if len(data) < _DIGEST or hashlib.sha256(payload).digest() != data[:_DIGEST]:
        return None
    if time.time() - modified > prune.DAY:
        prune.touch(path)  # recently used: pruning removes the least recently modified first
    return payload


def put(name: str, suffix: str, payload: bytes) -> None:
    """Stores the payload atomically; a failure to write is ignored."""
    if os.environ.get(ENV_DISABLE):
        return
    path = _path(name, suffix)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return
    prune.when_due(folder())  # only a build that adds entries can outgrow the limit


def cached(name: str, suffix: str, make: Callable[[], bytes]) -> bytes:
    """The stored payload, or `make()`'s, stored for next time."""
    payload = get(name, suffix)
    if payload is None:
        payload = make()
        put(name, suffix, payload)
    return payload


def font_stamp(files: Sequence[str]) -> tuple[tuple[str, int, int], ...]:
    """Font files as (path, size, mtime): a font replaced on disk changes the key."""
    stamps = []
    for file in files:
        try:
            st = os.stat(file)
            stamps.append((str(file), st.st_size, st.st_mtime_ns))
        except OSError:
            stamps.append((str(file), -1, -1))
    return tuple(stamps)


def picture(width: float, height: float, dpi: float, items: Sequence[Any], crop: bool = False) -> Any:
    """studypack.picture.png of the items (a Picture), cached on disk by the items (with their
    font files' stamps) and the drawing libraries' versions."""
    from studypack import picture as drawing

    fonts = sorted({item.font for item in items if isinstance(item, drawing.Text)})
    name = key("picture", drawing.FORMAT, _versions("aggdraw", "pillow"), width, height, dpi,
               items, crop, font_stamp(fonts))  # fmt: skip

    def make() -> bytes:
        made = drawing.png(width, height, dpi, items, crop)
        return struct.pack("<4d", *made.box) + made.png

    payload = cached(name, ".png", make)
    return drawing.Picture(payload[32:], struct.unpack("<4d", payload[:32]))


@cache
def _versions(*packages: str) -> tuple[str, ...]:
    return tuple(importlib.metadata.version(p) for p in packages)


def rasterise(svg: str, zoom: float, font_files: Sequence[str] = ()) -> bytes:
    """The SVG as a transparent PNG by resvg (system fonts skipped), cached on disk by the exact
    SVG, zoom, resvg version and font files."""
    import resvg_py

    files = list(dict.fromkeys(str(f) for f in font_files))
    version = getattr(resvg_py, "__version__", "")
    name = key("png", version, svg, round(zoom, 6), font_stamp(files))

    def make() -> bytes:
        kwargs = {"font_files": files} if files else {}
        return bytes(
            resvg_py.svg_to_bytes(svg_string=svg, zoom=zoom, skip_system_fonts=True, **kwargs)
        )

    return cached(name, ".png", make)
