"""An on-disk cache of math results shared by builds: typeset equations and pictures.

Entries live in one SQLite database, (user cache folder: $XDG_CACHE_HOME or ~/.cache)
/studypack/math/cache.sqlite3, named by a hash of everything the result depends on (the
content addresses it), so an entry never goes stale; only the library versions and inputs in
the key decide. One database, not a file an entry: a first build adds hundreds of entries, and
creating that many files cost a fifth of its time. SQLite writes each entry whole or not at all
and lets concurrent builds and their processes share it; a process opens its own connection (a
connection is closed before the process forks: SQLite's rule). A cache that cannot be opened or
written (read-only home, a damaged file) costs nothing but the time to compute the result; a
file that is not a database is replaced. The database is kept under a size limit by
studypack.math.prune, at most once a day.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import sqlite3
import struct
import threading
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import studypack.math.prune as prune

ENV_DISABLE = "STUDYPACK_NO_MATH_CACHE"  # set (to anything) to compute everything afresh
FILE = "cache.sqlite3"
_SCHEMA = (
    "PRAGMA auto_vacuum = INCREMENTAL",  # before anything is written: lets a prune return space
    # a log beside the database: readers never wait for a writer (falls back where the file
    # system cannot share memory); a commit is not flushed to disk, only the log is
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "CREATE TABLE IF NOT EXISTS entry (name TEXT PRIMARY KEY, payload BLOB NOT NULL,"
    " used REAL NOT NULL)",  # used: when last written, or read a day or more after that
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value REAL NOT NULL)",
)
_TIMEOUT = 10.0  # seconds a write waits for another process's write to end

_open: dict[tuple[int, Path], sqlite3.Connection | None] = {}  # (process, database) -> connection
_lock = threading.RLock()  # one connection a process: its threads take turns


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


def connection() -> sqlite3.Connection | None:
    """This process's connection to the cache (None: disabled, or it cannot be opened)."""
    if os.environ.get(ENV_DISABLE):
        return None
    path = folder() / FILE
    where = (os.getpid(), path)
    with _lock:
        if where not in _open:
            _open[where] = _connect(path)
            if _open[where] is not None:
                prune.when_due(_open[where], path.parent)
        return _open[where]


def _connect(path: Path) -> sqlite3.Connection | None:
    for attempt in range(2):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=_TIMEOUT, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error):
            return None
        try:
            for statement in _SCHEMA:
                db.execute(statement)
            return db
        except sqlite3.DatabaseError as e:
            db.close()
            if attempt or not _not_a_database(e):
                return None
            _remove(path)  # damaged beyond reading: a cache starts afresh
        except sqlite3.Error:
            db.close()
            return None
    return None


def _not_a_database(error: sqlite3.DatabaseError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT) or "not a database" in str(error)


def _remove(path: Path) -> None:
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            stale.unlink(missing_ok=True)
        except OSError:
            pass


def _close_before_fork() -> None:
    with _lock:
        for where in [w for w in _open if w[0] == os.getpid()]:
            db = _open.pop(where)
            if db is not None:
                db.close()


if hasattr(os, "register_at_fork"):  # a system that cannot fork has nothing to close
    os.register_at_fork(before=_close_before_fork)


def get(name: str, suffix: str) -> bytes | None:
    """The payload stored under `name`, or None (missing, unreadable, or cache disabled)."""
    db = connection()
    if db is None:
        return None
    try:
        with _lock:
            row = db.execute("SELECT payload, used FROM entry WHERE name = ?", (name + suffix,)).fetchone()
            if row is None:
                return None
            now = time.time()
            if now - row[1] > prune.DAY:  # recently used: pruning removes the least recently used first
                db.execute("UPDATE entry SET used = ? WHERE name = ?", (now, name + suffix))
    except sqlite3.Error:
        return None
    return bytes(row[0])


def put(name: str, suffix: str, payload: bytes) -> None:
    """Stores the payload (whole or not at all); a failure to write is ignored."""
    db = connection()
    if db is None:
        return
    try:
        with _lock:
            db.execute("INSERT OR REPLACE INTO entry VALUES (?, ?, ?)", (name + suffix, payload, time.time()))
    except sqlite3.Error:
        return


def cached(name: str, suffix: str, make: Callable[[], bytes], valid: Callable[[bytes], bool]) -> bytes:
    """The stored payload if `valid` says it is whole, else `make()`'s, stored for next time."""
    payload = get(name, suffix)
    if payload is None or not valid(payload):
        payload = make()
        put(name, suffix, payload)
    return payload


_PNG, _PNG_END = b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"  # a PNG's first and last bytes


def _whole_png(data: bytes) -> bool:
    return data.startswith(_PNG) and data.endswith(_PNG_END)


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

    payload = cached(name, ".png", make, lambda data: _whole_png(data[32:]))
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

    return cached(name, ".png", make, _whole_png)
