"""Keeps the math cache database under a size limit by removing its least recently used entries."""

from __future__ import annotations

import os
import sqlite3
import time

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


def when_due(db: sqlite3.Connection) -> None:
    """Prunes the database if it was not pruned in the last day (one query otherwise); a build
    never fails here."""
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
