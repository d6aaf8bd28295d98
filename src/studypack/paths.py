"""A file a source names, confined to its folder: relative, inside after symlinks, a regular file."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def confined_file(folder: Path, rel: str, folder_name: str) -> tuple[Path, str | None]:
    """(absolute path, None) of the regular file `rel` names inside folder, else (path, why not).

    The problem reads after the quoted name: "'x.png' leaves the theme folder".
    """
    candidate = Path(rel)
    if candidate.is_absolute():
        return candidate, f"must be a path relative to the {folder_name} folder"
    try:
        root = folder.resolve()
        path = (root / candidate).resolve()
    except (OSError, RuntimeError) as e:  # RuntimeError: a symlink loop (Python < 3.13)
        return folder / candidate, _why(e)
    if not path.is_relative_to(root):
        return path, f"leaves the {folder_name} folder"
    try:
        mode = os.stat(path).st_mode
    except OSError as e:
        return path, _why(e)
    if not stat.S_ISREG(mode):
        return path, "is not a regular file"
    return path, None


def _why(e: BaseException) -> str:
    code = getattr(e, "errno", None)
    if code in (errno.ENOENT, errno.ENOTDIR):
        return "not found"
    if code == errno.ENAMETOOLONG:
        return "cannot be read (a name in the path is too long)"
    if code == errno.ELOOP or isinstance(e, RuntimeError):
        return "cannot be read (a symbolic link loop)"
    return f"cannot be read ({getattr(e, 'strerror', None) or e})"
