"""Keeps the math cache folder under a size limit by removing its least recently used entries."""

from __future__ import annotations

import os
import time
from pathlib import Path

DAY = 24 * 3600.0
HOUR = 3600.0
ENV_LIMIT = "STUDYPACK_MATH_CACHE_MB"  # megabytes (10**6 bytes); 0 = no limit
DEFAULT_MB = 200.0
KEEP = 0.8  # a prune goes down to this share of the limit, so the next one is days away
STAMP = "last-pruned"  # its mtime: when the folder was last pruned
SUFFIXES = (".json", ".ops", ".png")  # what studypack.math.cache writes; nothing else is removed
TEMP = ".tmp-"  # prefix of a file being written (left behind if its build was killed)

_checked: set[Path] = set()  # folders this process has looked at (builds fork: children skip)


def limit_bytes() -> int:
    """The size limit in bytes from STUDYPACK_MATH_CACHE_MB (default 200 MB), 0 for none."""
    try:
        mb = float(os.environ.get(ENV_LIMIT) or DEFAULT_MB)
    except ValueError:
        mb = DEFAULT_MB
    return max(0, int(mb * 1_000_000))


def touch(path: Path) -> None:
    """Marks an entry as used now (a read-only cache is simply not refreshed)."""
    try:
        os.utime(path)
    except OSError:
        pass


def when_due(root: Path) -> None:
    """Prunes the folder if it was not pruned in the last day (one stat per process otherwise)."""
    if root in _checked:
        return
    _checked.add(root)
    stamp = root / STAMP
    try:
        if time.time() - stamp.stat().st_mtime < DAY:
            return
    except OSError:
        pass  # never pruned (or the stamp is unreadable): prune now
    try:
        # Claimed before the work: another build starting now sees a fresh stamp and skips.
        stamp.touch()
    except OSError:
        return  # a folder we cannot write to cannot be pruned either
    prune(root, limit_bytes())


def prune(root: Path, limit: int) -> None:
    """Removes temp files older than an hour, then, when the entries take more than `limit`
    bytes (0: no limit), the least recently modified ones until they take under KEEP of it.
    Symlinks are neither followed nor removed; errors are ignored (a build never fails here)."""
    now = time.time()
    entries: list[tuple[float, int, str]] = []  # (mtime, size on disk, path)
    for folder in _scan(str(root)):
        if not _is_real_dir(folder):
            continue
        for entry in _scan(folder.path):
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue  # removed meanwhile by another build
            if entry.name.startswith(TEMP):
                if now - st.st_mtime > HOUR:  # a fresher one may still be being written
                    _remove(entry.path)
            elif entry.name.endswith(SUFFIXES):
                entries.append((st.st_mtime, _disk_size(st), entry.path))
    total = sum(size for _, size, _ in entries)
    if not limit or total <= limit:
        return
    # Removing a file another build is reading is safe: an open file stays readable (POSIX),
    # Windows refuses (ignored), and one not yet opened reads as missing and is made again.
    for _, size, path in sorted(entries):
        if total < KEEP * limit:
            break
        if _remove(path):
            total -= size


def _scan(path: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(path) as it:
            return list(it)
    except OSError:
        return []


def _is_real_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _disk_size(st: os.stat_result) -> int:
    """Bytes the file takes on disk (whole blocks, as `du` counts), at least its length."""
    return max(st.st_size, getattr(st, "st_blocks", 0) * 512)


def _remove(path: str) -> bool:
    try:
        os.unlink(path)
        return True
    except OSError:
        return False
