"""Atomic output writes: a file is replaced whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".studypack-tmp-"


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, fsync, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_all(files: dict[Path, bytes]) -> None:
    """Write several outputs; each is atomic. All bytes exist before the first rename."""
    for path, data in files.items():
        write_atomic(path, data)


def remove_stale_temps(folder: Path) -> None:
    """Temp files left by a build that was killed mid-write."""
    if folder.is_dir():
        for p in folder.glob(TEMP_PREFIX + "*"):
            try:
                p.unlink()
            except OSError:
                pass
