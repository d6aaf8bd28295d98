"""`studypack import`: load a study guide and write it as an editable pack.yaml."""

from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from studypack.errors import EXIT_PROBLEMS, Diagnostic, Report, Span, display_path
from studypack.load import PACK_FILE
from studypack.load.guide import load_guide
from studypack.load.pictures import is_extracted
from studypack.model import Image, Pack, Section
from studypack.output import make_folders, write_atomic
from studypack.pack_writer import write_pack_yaml


@dataclass(frozen=True)
class ImportResult:
    """What `import` did: the file it wrote (if any), its problems, and lines for -v."""

    target: Path
    diagnostics: list[Diagnostic]
    details: list[str] = field(default_factory=list)  # lines dropped, where the title came from
    summary: str | None = None  # "wrote …" once pack.yaml is written

    @property
    def exit_code(self) -> int:
        return EXIT_PROBLEMS if any(d.severity == "error" for d in self.diagnostics) else 0


def import_guide(file: Path, pack_dir: Path | None, force: bool) -> ImportResult:
    """Write PACK_DIR/pack.yaml (default ./content/<name>) from FILE, unless errors were found."""
    pack_dir = pack_dir if pack_dir is not None else Path("content") / file.stem
    target = pack_dir / PACK_FILE
    report = Report()
    if target.exists() and not force:
        report.error(Span(str(target)), "already exists; use --force to overwrite it")
        return ImportResult(target, report.sorted())
    pack, outline = load_guide(file, report, pack_dir.resolve().name, pack_dir.resolve())
    details = []
    if outline is not None:
        details = [
            f"{display_path(file)}:{d.line}: dropped {d.kind}: {d.text}" for d in outline.dropped
        ]
        if pack is not None and not outline.title and "title" not in outline.meta:
            details.append(
                f"no title line: the title '{pack.title}' comes from the file name; edit it in pack.yaml"
            )
    if pack is None:
        return ImportResult(target, report.sorted(), details)
    header = (
        f"Imported from {file.name} by `studypack import`; edit freely.\n"
        f"Build it with:  studypack build {display_path(pack_dir)}"
    )
    try:
        pack = _copy_images(pack, pack_dir.resolve(), details)
        write_atomic(target, write_pack_yaml(pack, header).encode("utf-8"))
    except OSError as e:
        report.error(Span(str(target)), f"cannot write: {e.strerror or e}")
        return ImportResult(target, report.sorted(), details)
    subs = sum(1 for depth, _ in pack.all_sections() if depth > 1)
    summary = (
        f"wrote {display_path(target)}: {len(pack.sections)} sections, {subs} subsections, "
        f"{len(pack.glossary)} glossary terms"
    )
    return ImportResult(target, report.sorted(), details, summary)


def _copy_images(pack: Pack, pack_dir: Path, details: list[str]) -> Pack:
    """The pack with every picture copied into PACK_DIR/images/ (a pack is one folder)."""
    copied: dict[Path, Path] = {}
    taken: set[str] = set()

    def place(image: Image) -> Image:
        if image.path not in copied:
            if image.path.is_relative_to(pack_dir):
                copied[image.path] = image.path  # already in the pack
            else:
                n = len(copied) + 1
                stem = f"picture-{n}" if is_extracted(image.path) else image.path.stem
                name, k = f"{stem}{image.path.suffix.lower()}", 2
                while name in taken:
                    name, k = f"{stem}-{k}{image.path.suffix.lower()}", k + 1
                taken.add(name)
                target = pack_dir / "images" / name
                make_folders(target.parent)
                shutil.copyfile(image.path, target)
                copied[image.path] = target
                details.append(f"copied {display_path(image.path)} to {display_path(target)}")
        return dataclasses.replace(image, path=copied[image.path])

    def section(s: Section) -> Section:
        points = tuple(place(p) if isinstance(p, Image) else p for p in s.points)
        image = place(s.image) if s.image is not None else None
        return dataclasses.replace(
            s, points=points, image=image, sections=tuple(map(section, s.sections))
        )

    if not pack.images():
        return pack
    return dataclasses.replace(pack, root=pack_dir, sections=tuple(map(section, pack.sections)))
