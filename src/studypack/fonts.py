"""Which fonts exist: PDF families that install with the package, installed fallback fonts for
characters those lack, and Office fonts we can measure.

PDFs embed TrueType files, so their families must ship with studypack (font wheels or
reportlab's own Vera). Decks name fonts that PowerPoint users already have; we measure
them with metric-compatible data that ships with reportlab (Helvetica's AFM widths equal
Arial's; LibreOffice draws them with Liberation fonts of the same metrics).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import reportlab


@dataclass(frozen=True)
class FontFiles:
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    def styles(self) -> list[Path]:
        """The distinct files, regular first (one file may stand for several styles)."""
        return list(dict.fromkeys((self.regular, self.bold, self.italic, self.bold_italic)))


@dataclass(frozen=True)
class FontNames:
    """reportlab font names of one family's four styles."""

    regular: str
    bold: str
    italic: str
    bold_italic: str

    def pick(self, bold: bool, italic: bool) -> str:
        if bold and italic:
            return self.bold_italic
        if bold:
            return self.bold
        return self.italic if italic else self.regular


def _wheel(package: str, stem: str) -> FontFiles:
    base = Path(str(resources.files(package))) / "files"
    return FontFiles(
        base / f"{stem}-Regular.ttf", base / f"{stem}-Bold.ttf",
        base / f"{stem}-It.ttf", base / f"{stem}-BoldIt.ttf",
    )  # fmt: skip


def _vera() -> FontFiles:
    base = Path(os.path.dirname(reportlab.__file__)) / "fonts"
    return FontFiles(base / "Vera.ttf", base / "VeraBd.ttf", base / "VeraIt.ttf", base / "VeraBI.ttf")


PDF_FAMILIES = {
    "Source Sans Pro": lambda: _wheel("font_source_sans_pro", "SourceSansPro"),
    "Source Serif Pro": lambda: _wheel("font_source_serif_pro", "SourceSerifPro"),
    "Vera": _vera,
}

# Office font name -> reportlab standard fonts with the same advance widths.
OFFICE_FONTS = {
    "Arial": FontNames("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique"),
    "Times New Roman": FontNames("Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic"),
    "Courier New": FontNames("Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique"),
}
OFFICE_CODE_FONT = "Courier New"
# East Asian font named in every run (a:ea), so CJK text has a real font outside Windows too.
OFFICE_EA_FONT = "Yu Gothic"


def family_files(family: str, theme_folder: Path | None = None) -> FontFiles:
    """Files of a shipped family, or of a TTF path relative to a theme folder (one file = all styles)."""
    if family in PDF_FAMILIES:
        return PDF_FAMILIES[family]()
    path = (theme_folder or Path.cwd()) / family
    # A theme's "Name-Regular.ttf" brings its styles along when they lie beside it.
    stem = path.stem.removesuffix("-Regular")

    def sibling(*suffixes: str) -> Path:
        for suffix in suffixes:
            candidate = path.with_name(f"{stem}-{suffix}{path.suffix}")
            if candidate.is_file():
                return candidate
        return path

    return FontFiles(path, sibling("Bold"), sibling("Italic", "It"), sibling("BoldItalic", "BoldIt"))


_THEME_FONT_KEYS: dict[str, Path] = {}


@cache
def register_pdf_family(family: str, theme_folder: Path | None = None) -> FontNames:
    """Register a family's TTFs with reportlab (once per process) and return their names."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    files = family_files(family, theme_folder)
    if family in PDF_FAMILIES:
        key = family.replace(" ", "")
    else:  # two themes may both ship a "MyFont.ttf": a number keeps them apart
        key = Path(family).stem
        taken = {p for n, p in _THEME_FONT_KEYS.items() if n.split("~")[0] == key}
        if taken and files.regular not in taken:
            key = f"{key}~{len(taken) + 1}"
        _THEME_FONT_KEYS[key] = files.regular
    paths = (files.regular, files.bold, files.italic, files.bold_italic)
    registered: list[str] = []
    for suffix, path in zip(("", "-Bold", "-Italic", "-BoldItalic"), paths):
        first = paths.index(path)
        if first < len(registered):  # one file standing for several styles is parsed once
            registered.append(registered[first])
            continue
        registered.append(key + suffix)
        pdfmetrics.registerFont(TTFont(key + suffix, str(path)))
    names = FontNames(*registered)
    for bold, italic, name in ((0, 0, names.regular), (1, 0, names.bold), (0, 1, names.italic), (1, 1, names.bold_italic)):
        addMapping(names.regular, bold, italic, name)
    return names


def is_latin(ch: str) -> bool:
    """A Latin letter or common sign: a font that lacks one is wrong for the text (a fallback
    would lose its bold and italic mid-word), unlike one that lacks a rare symbol or script."""
    return ch < "\u0250" and ch.isprintable()


# reportlab embeds TrueType (glyf) outlines only, so CFF fonts such as NotoSansCJK*.ttc or
# Hiragino cannot serve: a candidate it cannot read is skipped. The CJK font of
# `pip install studypack[cjk]` (WenQuanYi Micro Hei: Japanese, Chinese and Korean in one file).
PIP_CJK_FONT = ("paperang_p2_fonts_cjk", "fonts/wqy-microhei.ttc")
# What each OS ships with CJK in TrueType outlines (a .ttc's first face is used).
MACOS_FONTS = (
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",  # Japanese, Chinese, Korean
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/AppleGothic.ttf",  # Korean
    "/System/Library/Fonts/STHeiti Light.ttc",  # Chinese
)
WINDOWS_FONTS = (
    "YuGothM.ttc", "msgothic.ttc", "malgun.ttf", "msyh.ttc", "simsun.ttc", "arialuni.ttf",
)  # fmt: skip
DEBIAN_FONTS = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",  # fonts-droid-fallback
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",  # Fedora
)


def _pip_cjk_font() -> tuple[str, ...]:
    """The font file of the `cjk` extra, found without importing its package."""
    from importlib.util import find_spec

    try:
        spec = find_spec(PIP_CJK_FONT[0])
    except (ImportError, ValueError):
        return ()
    folders = list(spec.submodule_search_locations or ()) if spec is not None else []
    return tuple(str(Path(folder) / PIP_CJK_FONT[1]) for folder in folders)


def _windows_fonts() -> tuple[str, ...]:
    """Windows' own CJK fonts, then those installed for this user only."""
    folders = [Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"]
    if os.environ.get("LOCALAPPDATA"):
        folders.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    return tuple(str(folder / name) for folder in folders for name in WINDOWS_FONTS)


@cache
def fallback_candidates() -> tuple[str, ...]:
    """TrueType files tried in order for characters the theme's fonts lack (first that has one
    wins): DejaVu for Greek, Cyrillic, Hebrew, Arabic and symbols; then CJK from pip, from the
    OS, from Debian's packages."""
    return (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",  # Fedora
        *_pip_cjk_font(),
        *MACOS_FONTS,
        *_windows_fonts(),
        *DEBIAN_FONTS,
    )


@cache
def coverage(fontname: str) -> frozenset[int]:
    """Code points a registered TrueType font has glyphs for."""
    from reportlab.pdfbase import pdfmetrics

    face = getattr(pdfmetrics.getFont(fontname), "face", None)
    widths = getattr(face, "charWidths", None)
    return frozenset(widths) if isinstance(widths, dict) else frozenset(range(32, 127))


@cache
def _load_fallback(path: str) -> str | None:
    """Register a fallback file (all four styles map to it); None when reportlab cannot read it."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    name = "Fallback-" + Path(path).stem
    try:
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    except (TTFError, OSError, ValueError, KeyError, IndexError):
        return None
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)
    return name


@lru_cache(maxsize=4096)
def _fontconfig_files(ch: str) -> tuple[str, ...]:
    """Installed TrueType files that fontconfig says have a character (none without fc-list)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    try:
        out = subprocess.run(
            [fc_list, f":charset={ord(ch):x}", "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    files = sorted({line.rstrip(": ").strip() for line in out.splitlines()})
    return tuple(f for f in files if f.lower().endswith((".ttf", ".ttc")))


@lru_cache(maxsize=65536)
def fallback_for(ch: str) -> str | None:
    """The registered name of an installed font that draws ch, or None."""
    cp = ord(ch)
    for path in (*fallback_candidates(), *_fontconfig_files(ch)):
        if os.path.isfile(path):
            name = _load_fallback(path)
            if name is not None and cp in coverage(name):
                return name
    return None
