"""What a build read: each input file's digest as of the moment the build first read it.

An output's input key (build.py) is made from these digests, not from the files as they are
when the key is computed. So a file saved while a build runs can never have its new digest
stored beside outputs that were made from its old bytes: the next build sees the change.
Files first read after the key (fonts, the bytes of images and templates at render time) are
hashed when the key is made; a change after that makes the next build rebuild too.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

Digests = dict[Path, bytes]  # resolved path -> sha256 of the bytes first read

_current: ContextVar[Digests | None] = ContextVar("studypack_reads", default=None)


@contextmanager
def recording() -> Iterator[Digests]:
    """Record the digests of the files read inside the block (one build of one pack)."""
    digests: Digests = {}
    token = _current.set(digests)
    try:
        yield digests
    finally:
        _current.reset(token)


def note(path: Path, digest: bytes) -> None:
    """Remember what path held when it was read (the first read wins)."""
    digests = _current.get()
    if digests is not None:
        digests.setdefault(path.resolve(), digest)


MAX_BYTES = 256 * 1024 * 1024  # no input studypack reads is larger; /dev/zero is endless


class TooLarge(OSError):
    """A file holds more bytes than its reader's limit (counted while reading, not from st_size)."""


def read(path: Path, limit: int = MAX_BYTES) -> bytes:
    """A file's bytes, noted for the current build.

    Only regular files are read: a FIFO, /dev/zero or a directory is refused without blocking
    (O_NONBLOCK), and reading stops past `limit` bytes, whatever st_size said.
    """
    data = read_regular(path, limit)
    note(path, hashlib.sha256(data).digest())
    return data


def read_regular(path: Path | str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, at most `limit`; OSError (TooLarge) otherwise."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file", str(path))
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise TooLarge(0, f"larger than {limit} bytes", str(path))
        return b"".join(chunks)
    finally:
        os.close(fd)


def digest(path: Path, digests: Digests) -> bytes:
    """The digest noted when the build read path, else the file's digest now."""
    noted = digests.get(path.resolve())
    return noted if noted is not None else hashlib.sha256(read_regular(path)).digest()
