"""Properties of the theme surface: any theme.yaml or template.pptx gives a theme or located errors."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studypack.build import BuildOptions, build_pack, check_pack
from studypack.errors import Report
from studypack.theme import load_theme
from studypack.theme.schema import KEYS

SLOW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

JINJA = st.sampled_from(
    [
        "{{ pack.title }}", "{{ pack.nope }}", "{{ 7 * 7 }}", "{{ page }}", "{%", "{{ '' | center(10**9) }}",
        "{% for i in range(10**6) %}x{% endfor %}", "{{ ''.__class__ }}", "{{ pack.title * 10**8 }}",
        "{{ range(99999) | sum }}", "{{ lipsum() }}", "{{ 2 ** 2 ** 10 }}", "{{ pack.title|replace('', 'x' * 9999) }}",
    ]
)  # fmt: skip
SCALARS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["#AA0033", "#zzz", "nan", "inf", "-1e309", "1e6,0", "nan,inf", "0,0", "a4", "letter", "16:9", "4:3",
         "Vera", "Source Sans Pro", "Arial", "logo.png", "../secret.png", "/etc/passwd", "x" * 300 + ".ttf",
         "template.pptx", "font.ttf", "true", "off", "", "~", "default", "print", "nope"]
    ),
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    JINJA,
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(SCALARS, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def theme_files(draw) -> dict:
    """A theme mapping: known keys (some in their sections) with hostile and valid values."""
    data: dict = {}
    for key in draw(
        st.lists(st.sampled_from([k.name for k in KEYS] + ["nonsense", "colors"]), max_size=8)
    ):
        top, _, sub = key.partition(".")
        value = draw(VALUES)
        if sub:
            section = data.setdefault(top, {})
            if isinstance(section, dict):
                section[sub] = value
        else:
            data[top] = value
    return data


def _write_assets(folder: Path) -> None:
    from PIL import Image

    Image.new("RGB", (4, 4)).save(folder / "logo.png")
    (folder / "font.ttf").write_bytes(
        b"\0\1\0\0" + b"\0" * 60
    )  # a TrueType header, nothing behind it
    (folder.parent / "secret.png").write_bytes((folder / "logo.png").read_bytes())


def _only_located(report: Report, theme_file: Path) -> None:
    for d in report.diagnostics:
        assert d.path, str(d)  # every problem names where it is
        assert "Traceback" not in d.message and "internal" not in d.message, str(d)


@SLOW
@given(theme_files())
def test_any_theme_file_gives_a_theme_or_located_errors(data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "t"
        folder.mkdir()
        _write_assets(folder)
        text = yaml.safe_dump(data, allow_unicode=True) if data else "{}\n"
        (folder / "theme.yaml").write_text(text, encoding="utf-8")
        report = Report()
        theme = load_theme(str(folder), report)
        _only_located(report, folder / "theme.yaml")
        assert (theme is None) == bool(report.errors)
        if theme is not None:  # a theme that loads plans every output without a crash
            pack = Path(tmp) / "p"
            pack.mkdir()
            (pack / "pack.yaml").write_text(
                f"title: T\ntheme: {folder}\nsections: [{{title: S, points: [p]}}]\n"
            )
            result = check_pack(pack, BuildOptions(only=("handout", "deck", "cards", "csv")))
            assert result.crash is None, result.crash


def _plain_template() -> bytes:
    from pptx import Presentation

    out = io.BytesIO()
    Presentation().save(out)
    return out.getvalue()


PLAIN = _plain_template()


with zipfile.ZipFile(io.BytesIO(PLAIN)) as _z:
    PARTS = {i.filename: _z.read(i.filename) for i in _z.infolist()}

# (part, how, position as a fraction, byte): small to print when a case fails
MUTATIONS = st.tuples(
    st.sampled_from(sorted(PARTS)),
    st.sampled_from(["cut", "flip", "replace", "drop", "whole-file"]),
    st.floats(0, 1),
    st.integers(1, 255),
)


def mutated(mutation: tuple[str, str, float, int]) -> bytes:
    """The default template with one part's bytes cut, flipped, replaced or dropped."""
    name, how, where, byte = mutation
    if how == "whole-file":
        data = bytearray(PLAIN)
        data[int(where * (len(data) - 1))] ^= byte
        return bytes(data)
    parts = dict(PARTS)
    blob = parts[name]
    at = int(where * max(len(blob) - 1, 0))
    if how == "cut":
        parts[name] = blob[:at]
    elif how == "flip" and blob:
        parts[name] = blob[:at] + bytes([blob[at] ^ byte]) + blob[at + 1 :]
    elif how == "replace":
        parts[name] = bytes([byte]) * (at % 64)
    else:
        del parts[name]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for part, data in parts.items():
            z.writestr(part, data)
    return out.getvalue()


@SLOW
@given(MUTATIONS)
def test_any_template_gives_a_deck_or_a_located_theme_error(mutation):
    data = mutated(mutation)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "t"
        folder.mkdir()
        (folder / "theme.yaml").write_text("slides:\n  template: template.pptx\n")
        (folder / "template.pptx").write_bytes(data)
        pack = Path(tmp) / "p"
        pack.mkdir()
        (pack / "pack.yaml").write_text(
            f"title: T\ntheme: {folder}\nsections: [{{title: S, points: [p]}}]\n"
        )
        result = build_pack(pack, BuildOptions(out=Path(tmp) / "out", only=("deck",)))
        assert result.crash is None, result.crash
        errors = [d for d in result.diagnostics if d.severity == "error"]
        assert all(d.path.endswith("theme.yaml") and d.line == 2 for d in errors), [
            str(d) for d in errors
        ]
        assert bool(errors) != bool(result.written)
