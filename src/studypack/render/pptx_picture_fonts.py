"""Font files for the fallback picture of a text shape: the files LibreOffice draws the deck's
Office fonts with (found as it finds them: fontconfig's match), else the theme's own PDF family."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

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
    """The files fontconfig matches for the family's four styles, asked of its library in this
    process (fc-match, a process a style, took 30 ms a deck)."""
    fc = _fontconfig_library()
    if fc is None:
        return None
    lib, config = fc
    files = []
    for style in _STYLES.values():
        pattern = lib.FcNameParse(f"{family}{style}".encode())
        if not pattern:
            return None
        lib.FcConfigSubstitute(config, pattern, 0)  # 0: FcMatchPattern
        lib.FcDefaultSubstitute(pattern)
        result = ctypes.c_int()
        match = lib.FcFontMatch(config, pattern, ctypes.byref(result))
        lib.FcPatternDestroy(pattern)
        if not match:
            return None
        file = ctypes.c_char_p()
        found = lib.FcPatternGetString(match, b"file", 0, ctypes.byref(file)) == 0 and file.value
        path = os.fsdecode(file.value) if found else ""
        lib.FcPatternDestroy(match)
        if not path.lower().endswith((".ttf", ".otf")):
            return None
        files.append(path)
    return PictureFont(tuple(files))


@cache
def _fontconfig_library() -> tuple[Any, Any] | None:
    """fontconfig's library and its loaded configuration, or None where it is not installed."""
    # the usual names first: find_library runs ldconfig (a process) to look
    names = ("libfontconfig.so.1", "libfontconfig.1.dylib", lambda: ctypes.util.find_library("fontconfig"))
    for name in (n if isinstance(n, str) else n() for n in names):
        if name is None:
            continue
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        pointer = ctypes.c_void_p
        for function, result, args in (
            ("FcInitLoadConfigAndFonts", pointer, []),
            ("FcNameParse", pointer, [ctypes.c_char_p]),
            ("FcConfigSubstitute", ctypes.c_int, [pointer, pointer, ctypes.c_int]),
            ("FcDefaultSubstitute", None, [pointer]),
            ("FcFontMatch", pointer, [pointer, pointer, ctypes.POINTER(ctypes.c_int)]),
            ("FcPatternGetString", ctypes.c_int, [pointer, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]),
            ("FcPatternDestroy", None, [pointer]),
        ):  # fmt: skip
            getattr(lib, function).restype = result
            getattr(lib, function).argtypes = args
        config = lib.FcInitLoadConfigAndFonts()
        return (lib, config) if config else None
    return None


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
