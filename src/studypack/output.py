"""Atomic output writes: a file is replaced whole or not at all, even under SIGKILL."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".studypack-tmp-"


def write_atomic(path: Path, data: bytes) -> None:
    """Write the bytes beside the target, fsync, then rename over it.

    On Linux the bytes go into an unnamed O_TMPFILE first, so a build killed mid-write
    leaves no temp file behind; it gets a name only for the instant before the rename.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = _unnamed_file(path.parent)
    if fd is None:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent)
        os.fchmod(fd, 0o644)
    else:
        tmp = None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
            if tmp is None:
                tmp = str(path.parent / f"{TEMP_PREFIX}{os.getpid()}-{path.name}")
                _link_fd(f.fileno(), tmp)
        os.replace(tmp, path)
    except BaseException:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        raise


def _link_fd(fd: int, name: str) -> None:
    # A dir_fd makes CPython call linkat(..., AT_SYMLINK_FOLLOW) instead of link(), which is
    # what gives the /proc/self/fd entry of an O_TMPFILE a name.
    dirfd = os.open(os.path.dirname(name) or ".", os.O_RDONLY)  # "cal.pdf" lies in the current folder
    try:
        os.link(f"/proc/self/fd/{fd}", os.path.basename(name), dst_dir_fd=dirfd, follow_symlinks=True)
    finally:
        os.close(dirfd)


def _unnamed_file(folder: Path) -> int | None:
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY, 0o644)
    except OSError:  # file system without O_TMPFILE support
        return None


def remove_stale_temps(folder: Path) -> None:
    """Temp files left by a build killed where O_TMPFILE was not available."""
    if folder.is_dir():
        for p in folder.glob(TEMP_PREFIX + "*"):
            try:
                p.unlink()
            except OSError:
                pass
