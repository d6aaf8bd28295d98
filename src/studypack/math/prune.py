"""Keeps the math cache database under a size limit by removing its least recently used entries,
and removes what versions before the database left in its folder (a file an entry)."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from pathlib import Path

DAY = 24 * 3600.0
ENV_LIMIT = "STUDYPACK_MATH_CACHE_MB"  # megabytes (10**6 bytes); 0 = no limit
DEFAULT_MB = 200.0
KEEP = 0.8  # a prune goes down to this share of the limit, so the next one is days away
STAMP = "last-pruned"  # in the database's meta table: when it was last pruned


def limit_bytes() -> int:
    """The size limit in bytes from STUDYPACK_MATH_CACHE_MB (default 200 MB), 0 for none."""
    try:
        mb = float(os.environ.get(ENV_LIMIT) or DEFAULT_MB)
    except ValueError:
        mb = DEFAULT_MB
    return max(0, int(mb * 1_000_000))


def when_due(db: sqlite3.Connection, folder: Path) -> None:
    """Prunes the database (in `folder`) if it was not pruned in the last day (one query
    otherwise); a build never fails here."""
    now = time.time()
    try:
        # Claimed in one statement before the work: another build starting now sees it and skips.
        claimed = db.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value"
            " WHERE meta.value < ?",
            (STAMP, now, now - DAY),
        ).rowcount
    except sqlite3.Error:
        return
    if claimed:
        prune(db, limit_bytes())
        with contextlib.suppress(OSError):
            remove_file_layout(folder)


def prune(db: sqlite3.Connection, limit: int) -> None:
    """When the entries take more than `limit` bytes (0: no limit), removes the least recently
    used ones until they take under KEEP of it, and gives the space back to the file system."""
    if not limit:
        return
    try:
        total = db.execute("SELECT coalesce(sum(length(payload)), 0) FROM entry").fetchone()[0]
        if total <= limit:
            return
        doomed = []
        for name, size in db.execute("SELECT name, length(payload) FROM entry ORDER BY used, name"):
            if total < KEEP * limit:
                break
            doomed.append((name,))
            total -= size
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany("DELETE FROM entry WHERE name = ?", doomed)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("PRAGMA incremental_vacuum")
    except sqlite3.Error:
        return


_OLD_FOLDER = re.compile(r"[0-9a-f]{2}")
_OLD_ENTRY = re.compile(r"[0-9a-f]{64}\.[a-z]+|\.tmp-.+")


def remove_file_layout(folder: Path) -> None:
    """Removes the entries of the cache as versions before the database kept it (a file an
    entry, in folders 00..ff, and a last-pruned file), which nothing reads any more. Anything
    else found there is left alone."""
    for sub in folder.iterdir():
        if not _OLD_FOLDER.fullmatch(sub.name) or sub.is_symlink() or not sub.is_dir():
            continue
        for entry in sub.iterdir():
            if _OLD_ENTRY.fullmatch(entry.name) and not entry.is_symlink() and entry.is_file():
                entry.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # something else is in it
            sub.rmdir()
    stamp = folder / "last-pruned"
    if stamp.is_file() and not stamp.is_symlink():
        stamp.unlink(missing_ok=True)
