"""Hostile input and faults: every case ends in a located error, a usage error or a correct build."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
import warnings
import zipfile
from pathlib import Path

import pytest
import reportlab
import yaml
from PIL import Image

from helpers import REPO
from studypack.build import BuildOptions, build_pack
from studypack.errors import Report
from studypack.theme import load_theme

VERA_DIR = Path(reportlab.__file__).parent / "fonts"
ENV = {**os.environ, "PYTHONPATH": str(REPO / "src")}


def write_pack(folder: Path, data: dict | str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = (
        data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    )
    (folder / "pack.yaml").write_text(text, encoding="utf-8")
    return folder


def small_pack(folder: Path, **extra) -> Path:
    return write_pack(
        folder, {"title": "T", "sections": [{"title": "One", "points": ["a point"]}], **extra}
    )


def build(pack: Path, out: Path, **options) -> tuple[list[str], list[Path]]:
    """(diagnostics, files written) of an in-process build; a crash fails the test."""
    options.setdefault("only", ("handout", "deck", "cards", "csv"))
    result = build_pack(pack, BuildOptions(out=out, **options))
    assert result.crash is None, result.crash
    return [str(d) for d in result.diagnostics], result.written


def run_cli(*args: str, cwd: Path, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    """The CLI in a subprocess that cannot outlive `timeout` (a hang fails the test)."""
    return subprocess.run(
        [sys.executable, "-m", "studypack", *args], cwd=cwd, env=ENV, capture_output=True,
        text=True, timeout=timeout, **kw,
    )  # fmt: skip


def theme_problems(ref: str) -> list[str]:
    report = Report()
    load_theme(ref, report)
    return [str(d) for d in report.sorted()]


def errors_of(problems: list[str]) -> list[str]:
    return [p for p in problems if ": error: " in p]


# ---------------------------------------------------------------- only regular files are read


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "fifo"])
@pytest.mark.parametrize("name", ["pack.yaml", "guide.md"])
def test_a_device_or_fifo_source_is_refused_at_once(tmp_path, device, name):
    folder = tmp_path / "p"
    folder.mkdir()
    source = folder / name
    if device == "fifo":
        os.mkfifo(source)
    else:
        source.symlink_to(device)
    result = run_cli("build", str(source), "--out", str(tmp_path / "out"), cwd=tmp_path, timeout=30)
    assert result.returncode == 1
    assert f"p/{name}: error: cannot read file: not a regular file" in result.stderr


def test_a_theme_file_that_is_a_device_is_no_theme(tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "theme.yaml").symlink_to("/dev/zero")
    assert "not found" in theme_problems(str(tmp_path / "t"))[0]


def test_a_theme_name_too_long_for_the_file_system_is_not_found(tmp_path):
    assert "not found" in theme_problems("x" * 300)[0]


# ---------------------------------------------------------------- theme assets stay in the theme


def theme_with(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "theme"
    folder.mkdir(exist_ok=True)
    (folder / "theme.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_logo_outside_the_theme_folder_is_refused(tmp_path):
    Image.new("RGB", (4, 4)).save(tmp_path / "secret.png")
    folder = theme_with(tmp_path, "logo: ../secret.png\n")
    assert errors_of(theme_problems(str(folder))) == [
        f"{folder / 'theme.yaml'}:1:7: error: logo: file '../secret.png' leaves the theme folder"
    ]


def test_an_absolute_font_path_is_refused(tmp_path):
    folder = theme_with(tmp_path, f"fonts:\n  body: {VERA_DIR / 'Vera.ttf'}\n")
    (problem,) = errors_of(theme_problems(str(folder)))
    assert "must be a path relative to the theme folder" in problem


def test_a_brand_logo_outside_the_theme_folder_is_refused(tmp_path):
    Image.new("RGB", (4, 4)).save(tmp_path / "secret.png")
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "_brand.yml").write_text("meta:\n  name: B\nlogo: ../secret.png\n", encoding="utf-8")
    (problem,) = errors_of(theme_problems(str(folder)))
    assert "leaves the theme folder" in problem


def test_a_template_symlinked_out_of_the_theme_is_refused(tmp_path):
    (tmp_path / "elsewhere.pptx").write_bytes(b"PK")
    folder = theme_with(tmp_path, "slides:\n  template: t.pptx\n")
    (folder / "t.pptx").symlink_to(tmp_path / "elsewhere.pptx")
    (problem,) = errors_of(theme_problems(str(folder)))
    assert "'t.pptx' leaves the theme folder" in problem


def test_a_logo_over_the_pixel_limit_is_refused_without_a_raw_warning(tmp_path):
    folder = theme_with(tmp_path, "logo: big.png\n")
    Image.new("1", (9000, 9000)).save(folder / "big.png")  # 81 Mpx, a few KB
    (problem,) = errors_of(theme_problems(str(folder)))  # pytest turns a raw warning into an error
    assert "is 9000x9000 pixels, over the limit" in problem


# ---------------------------------------------------------------- theme fonts


def test_a_corrupt_bold_sibling_is_a_located_theme_error(tmp_path):
    folder = theme_with(tmp_path, "fonts:\n  body: Mine-Regular.ttf\n")
    (folder / "Mine-Regular.ttf").write_bytes((VERA_DIR / "Vera.ttf").read_bytes())
    (folder / "Mine-Bold.ttf").write_bytes((VERA_DIR / "VeraBd.ttf").read_bytes()[:3000])
    (problem,) = errors_of(theme_problems(str(folder)))
    assert problem.startswith(
        f"{folder / 'theme.yaml'}:2:9: error: fonts.body: 'Mine-Bold.ttf' cannot be embedded"
    )


def test_a_new_italic_sibling_changes_the_handout_key(tmp_path):
    folder = theme_with(tmp_path, "fonts:\n  body: Mine-Regular.ttf\n")
    (folder / "Mine-Regular.ttf").write_bytes((VERA_DIR / "Vera.ttf").read_bytes())
    pack = small_pack(tmp_path / "p", theme=str(folder))
    problems, written = build(pack, tmp_path / "out", only=("handout",))
    assert written and not errors_of(problems)
    _, again = build(pack, tmp_path / "out", only=("handout",))
    assert again == []  # nothing new
    (folder / "Mine-Italic.ttf").write_bytes((VERA_DIR / "VeraIt.ttf").read_bytes())
    _, after = build(pack, tmp_path / "out", only=("handout",))
    assert [p.name for p in after] == ["handout.pdf"]


# ---------------------------------------------------------------- pack images


def test_an_image_symlink_loop_is_a_located_error(tmp_path):
    pack = small_pack(tmp_path / "p")
    (pack / "loop.png").symlink_to("loop.png")
    data = yaml.safe_load((pack / "pack.yaml").read_text())
    data["sections"][0]["image"] = {"path": "loop.png", "alt": "x"}
    write_pack(pack, data)
    problems, _ = build(pack, tmp_path / "out")
    assert any("image 'loop.png' cannot be read (a symbolic link loop)" in p for p in problems)


def test_an_image_name_too_long_is_a_located_error(tmp_path):
    pack = small_pack(tmp_path / "p")
    data = yaml.safe_load((pack / "pack.yaml").read_text())
    data["sections"][0]["image"] = {"path": "x" * 300 + ".png", "alt": "x"}
    write_pack(pack, data)
    problems, _ = build(pack, tmp_path / "out")
    assert any("a name in the path is too long" in p for p in problems)


def test_an_unreadable_image_is_not_called_corrupt(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    pack = small_pack(tmp_path / "p")
    Image.new("RGB", (4, 4)).save(pack / "a.png")
    (pack / "a.png").chmod(0)
    data = yaml.safe_load((pack / "pack.yaml").read_text())
    data["sections"][0]["image"] = {"path": "a.png", "alt": "x"}
    write_pack(pack, data)
    problems, _ = build(pack, tmp_path / "out")
    assert any("image 'a.png' cannot be read (Permission denied)" in p for p in problems)


# ---------------------------------------------------------------- theme templates under a budget

BUDGET_BUSTERS = [
    "{{ 'x' * 200000000 }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% set l = range(100000)|list %}{% for i in l %}{% for j in l %}{% endfor %}{% endfor %}",
    "{{ 'x'|center(2000000000) }}",
    "{{ 'x'.ljust(2000000000) }}",
    "{{ 2 ** 100000000 }}",
    "{{ ('x' * 50000)|replace('x', 'x' * 50000) }}",
    "{% for i in range(100000) %}{{ 'x' * 90000 }}{% endfor %}",
    "{{ (range(100)|list) * 2000 }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ '{:999999999}'.format(1) }}",
    "{{ '%0999999999d'|format(1) }}",
    "{{ ('x' * 99999)|list|join('y' * 99999) }}",
]


@pytest.mark.parametrize("footer", BUDGET_BUSTERS)
def test_a_runaway_footer_is_a_located_theme_error_within_seconds(tmp_path, footer):
    folder = theme_with(tmp_path, yaml.safe_dump({"footer": footer}))
    started = time.perf_counter()
    (problem,) = errors_of(theme_problems(str(folder)))
    assert time.perf_counter() - started < 10
    assert problem.startswith(f"{folder / 'theme.yaml'}:1:9: error: footer: template error: ")


def test_an_ordinary_footer_still_renders(tmp_path):
    folder = theme_with(tmp_path, "footer: '{{ pack.title|upper }} · {{ range(3)|join(\"-\") }}'\n")
    assert errors_of(theme_problems(str(folder))) == []


# ---------------------------------------------------------------- template.pptx checked at theme load


def plain_template() -> bytes:
    from pptx import Presentation

    out = io.BytesIO()
    Presentation().save(out)
    return out.getvalue()


def template_variant(edit=None, extra=(), drop=(), duplicate=None) -> bytes:
    """python-pptx's default template with parts edited, added, dropped or stored twice."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain_template())) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z,
    ):
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info.filename)
            if edit and info.filename in edit:
                data = edit[info.filename](data)
            z.writestr(info.filename, data)
        for name, data in extra:
            z.writestr(name, data)
        if duplicate:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
                z.writestr(duplicate, zin.read(duplicate))
    return out.getvalue()


def _sub(old: bytes, new: bytes):
    return lambda data: re.sub(old, new, data, count=1)


TEMPLATES = {
    "dtd": (
        template_variant(
            edit={"ppt/presentation.xml": _sub(rb"\?>", b'?><!DOCTYPE x [<!ENTITY e "x">]>')}
        ),
        "part 'ppt/presentation.xml' declares a DTD or entities",
    ),
    "missing layout": (
        template_variant(drop=("ppt/slideLayouts/slideLayout2.xml",)),
        "refers to '../slideLayouts/slideLayout2.xml', which the package lacks",
    ),
    "missing theme": (template_variant(drop=("ppt/theme/theme1.xml",)), "which the package lacks"),
    "truncated layout": (
        template_variant(edit={"ppt/slideLayouts/slideLayout1.xml": lambda d: d[: len(d) // 2]}),
        "part 'ppt/slideLayouts/slideLayout1.xml' is not well-formed XML",
    ),
    "potx": (
        template_variant(
            edit={"[Content_Types].xml": _sub(rb"presentation\.main", b"template.main")}
        ),
        "template.main+xml', not a presentation",
    ),
    "pptm": (
        template_variant(
            edit={
                "[Content_Types].xml": _sub(
                    rb"application/vnd\.openxmlformats-officedocument\.presentationml\.presentation\.main\+xml",
                    b"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
                )
            }
        ),
        "part 'ppt/presentation.xml' holds macros",
    ),
    "external": (
        template_variant(
            edit={
                "ppt/_rels/presentation.xml.rels": _sub(
                    rb"</Relationships>",
                    b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/image" Target="file:///etc/passwd" TargetMode="External"/></Relationships>',
                )
            }
        ),
        "links to an outside resource 'file:///etc/passwd'",
    ),
    "no content type": (
        template_variant(extra=[("ppt/extra.blob", b"x")]),
        "part 'ppt/extra.blob' has no content type",
    ),
    "0x0 slide": (
        template_variant(
            edit={
                "ppt/presentation.xml": _sub(
                    rb'<p:sldSz cx="\d+" cy="\d+"', b'<p:sldSz cx="0" cy="0"'
                )
            }
        ),
        "the slide size (p:sldSz) is missing",
    ),
    "zip bomb": (
        template_variant(extra=[("ppt/media/image9.png", b"\0" * (40 * 1024 * 1024))]),
        "part 'ppt/media/image9.png' is 41943040 bytes uncompressed",
    ),
    "duplicate": (
        template_variant(duplicate="ppt/presentation.xml"),
        "part 'ppt/presentation.xml' appears twice",
    ),
    "truncated zip": (plain_template()[:5000], "is not a PowerPoint .pptx file"),
}


@pytest.mark.parametrize("case", list(TEMPLATES))
def test_a_broken_template_is_a_located_theme_error_naming_the_part(tmp_path, case):
    data, expected = TEMPLATES[case]
    folder = theme_with(tmp_path, "slides:\n  template: template.pptx\n")
    (folder / "template.pptx").write_bytes(data)
    (problem,) = errors_of(theme_problems(str(folder)))
    assert problem.startswith(
        f"{folder / 'theme.yaml'}:2:13: error: slides.template: file 'template.pptx'"
    )
    assert expected in problem


def test_an_encrypted_entry_is_refused(tmp_path):
    data = bytearray(plain_template())
    # Set the "encrypted" flag of every entry, in the local headers and the central directory.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for match in re.finditer(re.escape(signature), bytes(data)):
            data[match.start() + offset] |= 1
    folder = theme_with(tmp_path, "slides:\n  template: template.pptx\n")
    (folder / "template.pptx").write_bytes(bytes(data))
    (problem,) = errors_of(theme_problems(str(folder)))
    assert "is encrypted" in problem


def test_a_plain_template_still_builds_a_deck(tmp_path):
    folder = theme_with(tmp_path, "slides:\n  template: template.pptx\n")
    (folder / "template.pptx").write_bytes(plain_template())
    problems, written = build(
        small_pack(tmp_path / "p", theme=str(folder)), tmp_path / "out", only=("deck",)
    )
    assert not errors_of(problems) and [p.name for p in written] == ["deck.pptx"]


# ---------------------------------------------------------------- all outputs or none


def test_an_output_that_is_a_folder_leaves_every_output_as_it_was(tmp_path):
    pack = small_pack(tmp_path / "p")
    out = tmp_path / "out"
    _, written = build(pack, out)
    before = {p.name: p.read_bytes() for p in (out / "p").iterdir() if p.is_file()}
    (out / "p" / "cards.csv").unlink()
    (out / "p" / "cards.csv").mkdir()
    small_pack(pack, subtitle="changed")
    problems, written = build(pack, out)
    assert written == []
    assert any("cards.csv: error: cannot write output: Is a directory" in p for p in problems)
    after = {p.name: p.read_bytes() for p in (out / "p").iterdir() if p.is_file()}
    assert after == {k: v for k, v in before.items() if k != "cards.csv"}
    assert not [p for p in (out / "p").iterdir() if p.name.startswith(".studypack-tmp-")]


def test_a_state_file_that_is_a_folder_leaves_every_output_as_it_was(tmp_path):
    pack = small_pack(tmp_path / "p")
    out = tmp_path / "out"
    (out / "p" / ".studypack-state.json").mkdir(parents=True)
    problems, written = build(pack, out)
    assert written == [] and sorted(p.name for p in (out / "p").iterdir()) == [
        ".studypack-state.json"
    ]
    assert any("cannot write output: Is a directory" in p for p in problems)


def test_a_full_disk_midway_leaves_every_output_as_it_was(tmp_path, monkeypatch):
    from studypack import output

    pack = small_pack(tmp_path / "p")
    out = tmp_path / "out"
    build(pack, out)
    before = {p.name: p.read_bytes() for p in (out / "p").iterdir()}
    real = output._stage
    calls = []

    def fill_up(path, data):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(output, "_stage", fill_up)
    small_pack(pack, subtitle="changed")
    problems, written = build(pack, out)
    assert written == []
    assert any(
        f"{calls[2]}: error: cannot write output: No space left on device" in p for p in problems
    )
    assert {p.name: p.read_bytes() for p in (out / "p").iterdir()} == before


def test_the_summary_of_a_failed_write_does_not_claim_files(tmp_path):
    pack = small_pack(tmp_path / "p")
    (tmp_path / "out" / "p" / "cards.csv").mkdir(parents=True)
    result = run_cli("build", str(pack), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1
    assert "wrote 0 file(s) for 0 pack(s)" in result.stderr + result.stdout


def test_a_build_waits_for_the_lock_on_its_output_folder(tmp_path):
    from studypack.output import locked

    folder = tmp_path / "out" / "p"
    probe = (
        "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDONLY)\n"
        "try:\n    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept OSError:\n    sys.exit(3)\n"
    )
    with locked(folder):
        held = subprocess.run([sys.executable, "-c", probe, str(folder)], timeout=30)
    free = subprocess.run([sys.executable, "-c", probe, str(folder)], timeout=30)
    assert (held.returncode, free.returncode) == (3, 0)


def test_a_read_only_output_folder_is_named_not_its_temporaries(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    pack = small_pack(tmp_path / "p")
    (tmp_path / "out" / "p").mkdir(parents=True)
    (tmp_path / "out" / "p").chmod(0o500)
    problems, _ = build(pack, tmp_path / "out")
    assert problems and all(".studypack-tmp-" not in p for p in problems)


def test_a_refused_temporary_is_reported_as_its_target(tmp_path, monkeypatch):
    from studypack import output

    def refuse(prefix, suffix, dir):
        raise PermissionError(13, "Permission denied", f"{dir}/{prefix}x1y2{suffix}")

    monkeypatch.setattr(output, "_unnamed_file", lambda folder: None)
    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    problems, _ = build(small_pack(tmp_path / "p"), tmp_path / "out", only=("csv",))
    assert problems == [
        f"{tmp_path / 'out' / 'p' / 'cards.csv'}: error: cannot write output: Permission denied"
    ]


def test_new_on_a_full_disk_leaves_no_empty_pack_yaml(tmp_path, monkeypatch):
    from studypack import output
    from studypack.errors import StudypackError
    from studypack.scaffold import scaffold_pack

    def full(path, data):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(output, "_stage", full)
        with pytest.raises(StudypackError, match="No space left on device"):
            scaffold_pack(tmp_path / "p")
    assert not (tmp_path / "p" / "pack.yaml").exists()
    assert scaffold_pack(tmp_path / "p").stat().st_size > 0


# ---------------------------------------------------------------- layout never loops or overflows


def words(n: int, word: str = "word") -> str:
    return " ".join([word] * n)


@pytest.mark.parametrize(
    "section",
    [
        {"title": "x" * 1500, "points": ["a point"]},
        {"title": words(500), "points": ["a point"]},
        {"title": "s", "sections": [{"title": words(1000), "points": ["p"]}]},
        {
            "title": "s",
            "points": ["p"],
            "image": {"path": "a.png", "alt": words(5000), "caption": words(5000)},
        },
    ],
    ids=["1500-char word", "500-word title", "1000-word subtitle", "5000-word caption"],
)
def test_huge_titles_and_captions_build_with_warnings(tmp_path, section):
    pack = write_pack(tmp_path / "p", {"title": words(1000), "sections": [section]})
    Image.new("RGB", (10, 10)).save(pack / "a.png")
    result = run_cli("build", str(pack), "--out", str(tmp_path / "out"), cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr


def test_one_huge_point_is_cut_with_a_warning_and_builds(tmp_path):
    pack = small_pack(tmp_path / "p")
    data = yaml.safe_load((pack / "pack.yaml").read_text())
    data["sections"][0]["points"] = [" ".join(f"w{i}" for i in range(80_000))]
    write_pack(pack, data)
    result = run_cli("build", str(pack), "--out", str(tmp_path / "out"), cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "sections[0].points[0]: text is 548889 characters long; cut to 60000" in result.stderr


def test_a_guide_with_a_megabyte_line_is_a_located_error_at_once(tmp_path):
    guide = tmp_path / "big.md"
    guide.write_text("# Big\n\n## S\n\n- " + " ".join(f"w{i}" for i in range(150_000)) + "\n")
    result = run_cli("build", str(guide), "--out", str(tmp_path / "out"), cwd=tmp_path, timeout=30)
    assert result.returncode == 1, result.stderr
    assert "big.md:5:1: error: line of 1088891 characters; at most 10000" in result.stderr


# ---------------------------------------------------------------- dates zip files can record


def test_a_date_after_2107_is_a_located_error(tmp_path):
    problems, written = build(small_pack(tmp_path / "p", date="2108-01-01"), tmp_path / "out")
    assert written == []
    assert any(":6:7: error: date: '2108-01-01' is after 2107" in p for p in problems), problems


@pytest.mark.parametrize("epoch", ["4354819200", "99999999999999999999", "soon"])
def test_a_source_date_epoch_after_2107_is_clamped(tmp_path, monkeypatch, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    problems, written = build(
        small_pack(tmp_path / "p"), tmp_path / "out", only=("deck", "anki", "handout")
    )
    assert len(written) == 3 and not errors_of(problems)
    with zipfile.ZipFile(tmp_path / "out" / "p" / "deck.pptx") as z:
        assert {i.date_time[0] for i in z.infolist()} == ({2000} if epoch == "soon" else {2107})


# ---------------------------------------------------------------- located errors, not crashes


@pytest.mark.parametrize("offset", ["'nan,inf'", "'1e6,0'", "[nan, 0]", "'inf 1'"])
def test_a_cards_offset_that_is_no_printer_drift_is_a_located_error(tmp_path, offset):
    folder = theme_with(tmp_path, f"cards:\n  offset: {offset}\n")
    (problem,) = errors_of(theme_problems(str(folder)))
    assert problem.startswith(f"{folder / 'theme.yaml'}:2:") and "cards.offset" in problem


@pytest.mark.parametrize("offset", ["nan,nan", "inf,0", "0,-nan"])
def test_a_cards_offset_option_of_nan_is_a_usage_error(tmp_path, offset):
    pack = small_pack(tmp_path / "p")
    result = run_cli(
        "build", str(pack), "--cards-offset", offset, "--out", str(tmp_path / "o"), cwd=tmp_path
    )
    assert result.returncode == 2 and "--cards-offset" in result.stderr


def test_a_recursive_anchor_is_a_located_error(tmp_path):
    pack = write_pack(tmp_path / "p", "title: T\nsections: &x\n  - title: One\n    sections: *x\n")
    problems, _ = build(pack, tmp_path / "out")
    assert problems == [
        f"{pack / 'pack.yaml'}:4:15: error: alias '*x' refers to a value that contains it (endless nesting)"
    ]


# ---------------------------------------------------------------- links: http, https, mailto only

REFUSED_LINKS = [
    "smb://host/share",
    "search-ms:query=x",
    "ms-word:ofe|u|http://x/y.docx",
    "../../calc.exe",
    "#intro",
]


def test_links_other_than_http_https_mailto_are_plain_text_with_a_located_warning(tmp_path):
    points = [f"go [there {i}]({url}) now" for i, url in enumerate(REFUSED_LINKS)]
    points.append("ok [web](https://example.org/) and [mail](mailto:a@example.org)")
    pack = write_pack(
        tmp_path / "p",
        {
            "title": "T",
            "sections": [{"title": "S", "points": points}],
            "cards": [{"front": points[0], "back": "b"}],
        },
    )
    problems, written = build(
        pack, tmp_path / "out", only=("handout", "deck", "cards", "csv", "anki")
    )
    assert len(written) == 5
    for i in range(len(REFUSED_LINKS)):
        assert (
            f"{pack / 'pack.yaml'}:{5 + i}:5: warning: sections[0].points[{i}]: link to '"
            in "\n".join(problems)
        )
    folder = tmp_path / "out" / "p"
    pdf = (folder / "handout.pdf").read_bytes() + (folder / "flashcards.pdf").read_bytes()
    with zipfile.ZipFile(folder / "deck.pptx") as z:
        rels = b"".join(z.read(n) for n in z.namelist() if n.endswith(".rels"))
    with zipfile.ZipFile(folder / "cards.apkg") as z:
        anki = b"".join(z.read(n) for n in z.namelist())
    for url in ("smb:", "search-ms:", "ms-word:", "calc.exe", "#intro"):
        assert url.encode() not in rels, url
        assert f"/URI ({url}".encode() not in pdf, url
        assert f'href="{url}'.encode() not in anki, url
    assert b"https://example.org/" in rels and b"mailto:a@example.org" in rels
    assert "smb://" not in (folder / "cards.csv").read_text()


# ---------------------------------------------------------------- streams and folders


@pytest.mark.parametrize("closed", [1, 2])
def test_a_closed_stdout_or_stderr_still_builds(tmp_path, closed):
    pack = small_pack(tmp_path / "p")
    result = subprocess.run(
        [sys.executable, "-m", "studypack", "build", str(pack), "--out", str(tmp_path / "out")],
        cwd=tmp_path, env=ENV, timeout=120, preexec_fn=lambda: os.close(closed),
        stdout=None if closed == 1 else subprocess.DEVNULL, stderr=None if closed == 2 else subprocess.PIPE,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out" / "p").iterdir() if not p.name.startswith(".")) == [
        "cards.csv", "deck.pptx", "flashcards.pdf", "handout.pdf"
    ]  # fmt: skip


def test_an_editor_lock_file_does_not_abort_a_multi_pack_run(tmp_path):
    for name in ("a", "b"):
        small_pack(tmp_path / "content" / name)
    (tmp_path / "content" / "a" / ".#pack.yaml").symlink_to("user@host.1234:1700000000")
    for _ in range(2):  # the second run guesses from file times whether anything changed
        result = run_cli("build", "--out", "out", "--jobs", "2", cwd=tmp_path, timeout=120)
        assert result.returncode == 0, result.stderr


def test_a_pack_folder_without_execute_permission_is_a_located_error(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root enters every folder")
    pack = small_pack(tmp_path / "p")
    pack.chmod(0o600)
    try:
        problems, _ = build(pack, tmp_path / "out")
    finally:
        pack.chmod(0o755)
    assert problems == [f"{pack / 'pack.yaml'}: error: cannot read file: Permission denied"]


# ---------------------------------------------------------------- messages


@pytest.mark.slow
def test_100000_plain_glossary_terms_are_no_alias_bomb(tmp_path):
    from studypack.load import load_pack

    terms = "".join(f"  - {{term: t{i}, definition: d}}\n" for i in range(100_000))
    pack = write_pack(tmp_path / "p", "title: T\nsections: [{title: S}]\nglossary:\n" + terms)
    report = Report()
    loaded = load_pack(pack, report)
    assert loaded is not None and len(loaded.glossary) == 100_000, [
        str(d) for d in report.diagnostics
    ]


def test_an_alias_bomb_is_still_refused(tmp_path):
    from studypack.load import load_pack

    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    pack = write_pack(
        tmp_path / "p", "\n".join(levels) + "\ntitle: T\nsections: [{title: S, points: *a8}]\n"
    )
    report = Report()
    assert load_pack(pack, report) is None
    assert "alias bomb?" in str(report.errors[0])


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"title: T\x00x\nsections: [{title: S}]\n", ":1:9: error: NUL character"),
        (
            "title: T\nsections: [{title: S}]\n".encode("utf-16-le"),
            ":1:2: error: file is UTF-16 without a byte-order mark",
        ),
        (
            b'title: "T\x07x"\nsections: [{title: S}]\n',
            ":1:10: error: invalid YAML: character U+0007 is not allowed",
        ),
    ],
    ids=["NUL", "UTF-16 without BOM", "control character"],
)
def test_bytes_yaml_cannot_hold_are_located(tmp_path, data, expected):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "pack.yaml").write_bytes(data)
    problems, _ = build(tmp_path / "p", tmp_path / "out")
    (problem,) = problems
    assert problem.startswith(str(tmp_path / "p" / "pack.yaml") + expected)
    assert "unicode string" not in problem and "\n" not in problem


def test_an_unknown_front_matter_theme_is_located_at_its_line(tmp_path):
    guide = tmp_path / "g.md"
    guide.write_text("---\ntheme: nope\n---\n# Title\n\n## S\n\n- p\n")
    problems, _ = build(guide, tmp_path / "out")
    assert problems == [f"{guide}:2:1: error: theme 'nope' not found"]


def test_a_text_guide_indented_100_levels_builds(tmp_path):
    guide = tmp_path / "g.txt"
    guide.write_text("Title\n\n" + "".join("  " * i + f"• level {i}\n" for i in range(100)))
    problems, written = build(guide, tmp_path / "out")
    assert written and not errors_of(problems)


def test_a_bad_brand_file_is_worded_for_people_and_located(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "_brand.yml").write_text("meta:\n  name: B\nlogo:\n  small: [x]\n")
    assert theme_problems(str(tmp_path / "b")) == [
        f"{tmp_path / 'b' / '_brand.yml'}:4:3: error: cannot read brand file: a list is not a valid brand logo type"
    ]


# ---------------------------------------------------------------- EXIF orientation


def test_a_sideways_camera_jpeg_is_drawn_upright_in_handout_and_deck(tmp_path):
    pack = small_pack(tmp_path / "p")
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: shown turned a quarter clockwise
    Image.new("RGB", (80, 40), "red").save(pack / "photo.jpg", exif=exif.tobytes())
    data = yaml.safe_load((pack / "pack.yaml").read_text())
    data["sections"][0]["image"] = {"path": "photo.jpg", "alt": "a photo"}
    write_pack(pack, data)
    problems, written = build(pack, tmp_path / "out", only=("handout", "deck"))
    assert len(written) == 2, problems
    folder = tmp_path / "out" / "p"
    with zipfile.ZipFile(folder / "deck.pptx") as z:
        (media,) = [n for n in z.namelist() if n.startswith("ppt/media/")]
        assert Image.open(io.BytesIO(z.read(media))).size == (40, 80)
    from pypdf import PdfReader

    sizes = [
        (x["/Width"], x["/Height"])
        for page in PdfReader(str(folder / "handout.pdf")).pages
        for x in (page["/Resources"].get("/XObject") or {}).values()
        if x.get_object().get("/Subtype") == "/Image"
    ]
    assert sizes == [(40, 80)]


# ---------------------------------------------------------------- equations the typesetter can afford


@pytest.mark.parametrize(
    "latex",
    [
        "\\frac{" * 40 + "x" + "}{y}" * 40,
        "\\left(" * 12 + "x" + "\\right)" * 12,
        "\\sqrt{" * 5 + "\\begin{matrix} " * 5 + "x" + " \\end{matrix}" * 5 + "}" * 5,
    ],
    ids=["40 nested fractions", "12 nested \\left", "braces and environments"],
)
def test_deeply_nested_math_is_a_located_error_at_once(tmp_path, latex):
    pack = small_pack(tmp_path / "p")
    data = yaml.safe_load((pack / "pack.yaml").read_text())
    data["sections"][0]["points"] = [{"math": latex}, f"inline ${latex}$ too"]
    write_pack(pack, data)
    result = run_cli("build", str(pack), "--out", str(tmp_path / "out"), cwd=tmp_path, timeout=30)
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("error: math: nested more than 8 levels deep") == 2, result.stderr


def test_math_nested_8_levels_still_builds(tmp_path):
    pack = small_pack(tmp_path / "p")
    data = yaml.safe_load((pack / "pack.yaml").read_text())
    data["sections"][0]["points"] = [{"math": "\\frac{" * 8 + "x" + "}{y}" * 8}]
    write_pack(pack, data)
    problems, written = build(pack, tmp_path / "out", only=("handout",))
    assert errors_of(problems) == [] and len(written) == 1


# ---------------------------------------------------------------- folders and tables from strangers


def test_an_output_folder_nested_1500_deep_is_no_internal_error(tmp_path):
    pack = small_pack(tmp_path / "p")
    deep, deep_new = tmp_path.joinpath(*["d"] * 1500), tmp_path.joinpath(*["n"] * 1500)
    try:
        result = run_cli("build", str(pack), "--out", str(deep), cwd=tmp_path)
        assert result.returncode == 0, result.stderr[-500:]
        assert (deep / "p" / "handout.pdf").is_file()
        result = run_cli("new", str(deep_new), cwd=tmp_path)
        assert result.returncode == 0, result.stderr[-500:]
    finally:  # pytest's own clean-up recurses once per level
        _remove_chain(tmp_path / "d")
        _remove_chain(tmp_path / "n")


def _remove_chain(top: Path) -> None:
    """Remove a chain of single folders (with the files in them) from the bottom up."""
    chain = []
    while top.is_dir():
        chain.append(top)
        top = top / top.name
    for folder in reversed(chain):
        for child in folder.iterdir():
            if child.is_dir():
                shutil.rmtree(child)  # shallow: the chain below was removed already
            else:
                child.unlink()
        folder.rmdir()


def test_an_imported_table_of_1000_columns_keeps_50_and_builds(tmp_path):
    guide = tmp_path / "wide.md"
    guide.write_text("# T\n\n## S\n\n|" + "a|" * 1000 + "\n|" + "-|" * 1000 + "\n|b|\n")
    result = run_cli("build", str(guide), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "wide.md:5:1: warning: table of 1000 columns; only the first 50" in result.stderr
