"""Finding a theme by name or path: an explicit path, then ./themes/<name>, then the built-ins."""

from __future__ import annotations

from pathlib import Path

from studypack.theme.model import BRAND_FILES, DEFAULT_THEME, THEME_FILE


def builtin_themes_dir() -> Path:
    """Installed: studypack/themes inside the wheel; from a checkout: the top-level themes/."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "themes"
    return packaged if packaged.is_dir() else package.parents[1] / "themes"


def default_theme_file() -> Path:
    """The built-in theme every chain of `extends` ends in."""
    return builtin_themes_dir() / DEFAULT_THEME / THEME_FILE


def list_themes() -> list[tuple[str, Path]]:
    """(name, theme file) of built-in themes and ./themes/<name> (which win on equal names)."""
    found: dict[str, Path] = {}
    for base in (builtin_themes_dir(), Path.cwd() / "themes"):
        if base.is_dir():
            for d in sorted(base.iterdir()):
                if (d / THEME_FILE).is_file():
                    found[d.name] = d / THEME_FILE
    return sorted(found.items())


def theme_file(candidate: Path) -> Path | None:
    """The theme file a path names: a .yaml/.yml file, or the theme or brand file in a folder."""
    try:
        if candidate.is_file() and candidate.suffix in (".yaml", ".yml"):
            return candidate
        if candidate.is_dir():
            for name in (THEME_FILE, *BRAND_FILES):
                if (candidate / name).is_file():
                    return candidate / name
    except OSError:  # a name too long for the file system names no theme
        pass
    return None


def find_theme(ref: str, relative_to: Path | None = None, skip: Path | None = None) -> Path | None:
    """The theme file a name or path refers to, or None.

    Order: a path (relative to `relative_to` first, then to the cwd), ./themes/<ref>, built-ins.
    `skip` is a file that must not be the answer: ./themes/default/theme.yaml saying
    `extends: default` means the built-in one, not itself.
    """
    as_path = Path(ref).expanduser()
    candidates: list[Path] = []
    if relative_to is not None and not as_path.is_absolute():
        candidates.append(relative_to / as_path)
    candidates += [as_path, Path.cwd() / "themes" / ref, builtin_themes_dir() / ref]
    for c in candidates:
        found = theme_file(c)
        if found is not None and (skip is None or found.resolve() != skip.resolve()):
            return found
    return None


def theme_names() -> list[str]:
    """Every theme name list_themes knows, for 'did you mean' hints."""
    return [name for name, _ in list_themes()]
