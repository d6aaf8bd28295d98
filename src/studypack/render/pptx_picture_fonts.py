"""Font files for the fallback picture of a text shape: the files LibreOffice draws the deck's
Office fonts with (found as it finds them), else the theme's own PDF family."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from studypack.fonts import family_files

_STYLES = {
    (False, False): "",
    (True, False): ":bold",
    (False, True): ":italic",
    (True, True): ":bold:italic",
}
# Office fonts' files by name where fontconfig is not there to ask (Windows, macOS).
_WINDOWS = {
    "Arial": ("arial.ttf", "arialbd.ttf", "ariali.ttf", "arialbi.ttf"),
    "Times New Roman": ("times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"),
    "Courier New": ("cour.ttf", "courbd.ttf", "couri.ttf", "courbi.ttf"),
}
_MAC_DIRS = ("/System/Library/Fonts/Supplemental", "/Library/Fonts")


@dataclass(frozen=True)
class PictureFont:
    """The files that hold a font's four styles: regular, bold, italic, bold italic."""

    files: tuple[str, ...]


@cache
def picture_font(office_family: str, theme_family: str, theme_folder: Path | None) -> PictureFont:
    """The font a viewer draws `office_family` with, else the theme's PDF family."""
    found = _fontconfig(office_family) or _by_name(office_family)
    if found is not None:
        return found
    files = family_files(theme_family, theme_folder)
    return PictureFont(tuple(str(p) for p in (files.regular, files.bold, files.italic, files.bold_italic)))


def _fontconfig(family: str) -> PictureFont | None:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:  # the four styles asked at once: each answer costs a process start
        asks = [
            subprocess.Popen(
                [fc_match, "-f", "%{file}", f"{family}{style}"],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            )  # fmt: skip
            for style in _STYLES.values()
        ]
    except OSError:
        return None
    files = []
    for ask in asks:
        try:
            path, _ = ask.communicate(timeout=10)
        except subprocess.SubprocessError:
            ask.kill()
            ask.wait()
            path = ""
        files.append(path if ask.returncode == 0 else "")
    if not all(f.lower().endswith((".ttf", ".otf")) for f in files):
        return None
    return PictureFont(tuple(files))


def _by_name(family: str) -> PictureFont | None:
    names = _WINDOWS.get(family)
    if names is None:
        return None
    dirs = (
        [Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"] if sys.platform == "win32" else []
    )
    dirs += [Path(d) for d in _MAC_DIRS]
    for folder in dirs:
        paths = [folder / n for n in names]
        if all(p.is_file() for p in paths):
            return PictureFont(tuple(map(str, paths)))
        mac = folder / f"{family}.ttf"  # macOS keeps styles in separate "Arial Bold.ttf" files
        if mac.is_file():
            styles = ("", " Bold", " Italic", " Bold Italic")
            paths = [folder / f"{family}{s}.ttf" for s in styles]
            return PictureFont(tuple(str(p if p.is_file() else mac) for p in paths))
    return None
