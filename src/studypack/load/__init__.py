"""Sources -> Pack. A PACK argument is a folder, a pack.yaml, a Markdown outline or a text guide."""

from __future__ import annotations

from pathlib import Path

from studypack.errors import Report, Span
from studypack.model import Pack
from studypack.typography import smarten_pack

PACK_FILE = "pack.yaml"


def pack_file(arg: Path) -> Path:
    """The file a PACK argument names: a folder means its pack.yaml."""
    return arg / PACK_FILE if arg.is_dir() else arg


IMPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".docx", ".pptx")


def slug_of(arg: Path) -> str:
    """The output folder name a PACK argument builds into (without loading it)."""
    path = pack_file(arg)
    return path.stem if path.suffix.lower() in IMPORTED_SUFFIXES else path.resolve().parent.name


def load_pack(arg: Path, report: Report) -> Pack | None:
    """Load any supported source; problems go to `report`, None when there were errors."""
    path = pack_file(arg)
    try:
        path.stat()
    except FileNotFoundError:
        report.error(Span(str(path)), "no such pack (expected a folder with pack.yaml, a pack.yaml, or a .md, .txt, .docx or .pptx file)")
        return None
    except OSError as e:  # a folder without execute permission, a name too long
        report.error(Span(str(path)), f"cannot read file: {e.strerror or e}")
        return None
    # Readers are imported on demand: commands that load no pack start faster.
    if path.suffix.lower() in IMPORTED_SUFFIXES:
        from studypack.load.guide import load_guide

        pack = load_guide(path, report)[0]
    else:
        from studypack.load.pack_yaml import load_pack_yaml

        pack = load_pack_yaml(path, report)
    if pack is None:
        return None
    from studypack.load.equations import check_equations

    errors = len(report.errors)
    check_equations(pack, report)
    # Quotes are made typographic for the outputs, never in the file the teacher typed.
    return smarten_pack(pack) if len(report.errors) == errors else None


def find_packs(content_dir: Path) -> list[Path]:
    """Every pack folder directly under content_dir, sorted by name."""
    if not content_dir.is_dir():
        return []
    return sorted(p for p in content_dir.iterdir() if _is_file(p / PACK_FILE))


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # unreadable folders are not packs
        return False
