"""Atomic output writes: a file is replaced whole or not at all, even under SIGKILL."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

TEMP_PREFIX = ".studypack-tmp-"


def write_atomic(path: Path, data: bytes) -> None:
    """Write the bytes beside the target, fsync, then rename over it."""
    write_all([(path, data)])


@dataclass
class Staged:
    """A target's bytes, on disk beside it: in an unnamed O_TMPFILE (fd) or a named temp file."""

    path: Path
    fd: int | None = None
    tmp: str | None = None

    def discard(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.tmp is not None:
            with suppress(OSError):
                os.unlink(self.tmp)
            self.tmp = None


def write_all(files: list[tuple[Path, bytes]]) -> None:
    """Every file written beside its target first; only when all are, each renamed over its own.

    A full disk, or a target that is a folder, leaves every target as it was. On Linux the
    bytes wait in unnamed O_TMPFILEs, so a build killed before the renames leaves no temp file
    behind; each gets a name only for the instant before its rename."""
    staged: list[Staged] = []
    try:
        for path, data in files:
            staged.append(stage(path, data))
        for item in staged:  # a rename over a folder would fail half way through
            if item.path.is_dir():
                raise IsADirectoryError(21, "Is a directory", str(item.path))
        for item in staged:
            _commit(item)
    finally:
        for item in staged:
            item.discard()


def _commit(item: Staged) -> None:
    if item.fd is not None:
        item.tmp = str(item.path.parent / f"{TEMP_PREFIX}{os.getpid()}-{item.path.name}")
        _link_fd(item.fd, item.tmp)
        os.close(item.fd)
        item.fd = None
    assert item.tmp is not None
    os.replace(item.tmp, item.path)
    item.tmp = None


def make_folders(folder: Path) -> None:
    """`mkdir -p` without recursion: a folder nested 1,500 deep is an OSError, not a RecursionError."""
    missing: list[Path] = []
    while not folder.is_dir() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir(exist_ok=True)


def stage(path: Path, data: bytes) -> Staged:
    """The bytes written and fsynced beside the target; an error names the target, never a temp."""
    try:
        return _stage(path, data)
    except OSError as e:
        raise type(e)(e.errno, e.strerror, str(path)) from e


def _stage(path: Path, data: bytes) -> Staged:
    make_folders(path.parent)
    fd = _unnamed_file(path.parent)
    if fd is not None:
        item = Staged(path, fd=fd)
    else:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent)
        item = Staged(path, fd=None, tmp=tmp)
        os.fchmod(fd, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        if item.tmp is not None:
            os.close(fd)
        item.discard()
        raise
    if item.tmp is not None:
        os.close(fd)
    return item


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


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """The folder locked against other builds writing into it (released when the process ends)."""
    make_folders(folder)
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def remove_stale_temps(folder: Path) -> None:
    """Temp files left by a build killed where O_TMPFILE was not available."""
    if folder.is_dir():
        for p in folder.glob(TEMP_PREFIX + "*"):
            try:
                p.unlink()
            except OSError:
                pass
