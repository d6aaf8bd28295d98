"""What a build read: each input file's digest as of the moment the build first read it.

An output's input key (build.py) is made from these digests, not from the files as they are
when the key is computed. So a file saved while a build runs can never have its new digest
stored beside outputs that were made from its old bytes: the next build sees the change.
Files first read after the key (fonts, the bytes of images and templates at render time) are
hashed when the key is made; a change after that makes the next build rebuild too.
"""

from __future__ import annotations

import hashlib
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


def read(path: Path) -> bytes:
    """A file's bytes, noted for the current build."""
    data = path.read_bytes()
    note(path, hashlib.sha256(data).digest())
    return data


def digest(path: Path, digests: Digests) -> bytes:
    """The digest noted when the build read path, else the file's digest now."""
    noted = digests.get(path.resolve())
    return noted if noted is not None else hashlib.sha256(path.read_bytes()).digest()
