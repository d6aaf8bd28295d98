"""The command line as a user meets it: exit codes, messages, summary line, outputs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from helpers import SAMPLE
from studypack import __version__
from studypack.build import BuildOptions, _may_render
from studypack.cli import cli
from studypack.errors import Report
from studypack.inline import plain_text
from studypack.load import load_pack
from studypack.render.cards_csv import read_cards, seen_text


@pytest.fixture
def runner():
    return CliRunner()


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_build_sample_csv(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(SAMPLE), "--out", str(tmp_path), "--only", "csv"])
    assert result.exit_code == 0, result.output
    data = (tmp_path / "japan-us-security-treaty" / "cards.csv").read_bytes()
    assert data.startswith(b"#separator:Comma\r\n#html:true\r\n")  # Anki's file headers
    rows = read_cards(data.decode("utf-8"))
    assert len(rows) == 26 + 18
    pack = load_pack(SAMPLE, Report())
    expected = [plain_text(t.term) for t in pack.glossary] + [plain_text(c.front) for c in pack.cards]
    assert [seen_text(r["front"]) for r in rows] == expected  # glossary terms, then extra cards
    assert all("**" not in r["front"] + r["back"] for r in rows)  # Markdown is HTML
    assert result.output.strip().splitlines()[-1].startswith("wrote 1 file(s) for 1 pack(s)")


def test_rebuild_skips_unchanged_and_force_rebuilds(runner, tmp_path):
    args = ["build", str(SAMPLE), "--out", str(tmp_path), "--only", "csv"]
    assert runner.invoke(cli, args).exit_code == 0
    again = runner.invoke(cli, args)
    assert "wrote 0 file(s)" in again.output and "1 unchanged" in again.output
    forced = runner.invoke(cli, args + ["--force"])
    assert "wrote 1 file(s)" in forced.output


def test_check_broken_pack_lists_every_problem(runner, tmp_path):
    pack = tmp_path / "demo"
    pack.mkdir()
    (pack / "pack.yaml").write_text("titel: T\nsections:\n  - title: A\n    points: [{a: 1}]\n  - {}\n")
    result = runner.invoke(cli, ["check", str(pack)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if ": error: " in line]
    assert [line.split("pack.yaml", 1)[1] for line in lines] == [
        ":1:1: error: missing required key 'title'",
        ":1:1: error: unknown key 'titel' (did you mean 'title'?)",
        ":4:14: error: sections[0].points[0]: expected text, got a mapping; a ': ' inside text starts a mapping, so put the whole text in quotes",
        ":5:5: error: sections[1]: missing required key 'title'",
    ]
    assert "Traceback" not in result.output


def test_failed_build_leaves_earlier_outputs(runner, tmp_path):
    pack = tmp_path / "src" / "p"
    pack.mkdir(parents=True)
    (pack / "pack.yaml").write_text("title: T\nsections: [{title: S}]\ncards: [{front: a, back: b}]\n")
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", str(pack), "--out", str(out), "--only", "csv"]).exit_code == 0
    target = out / "p" / "cards.csv"
    before = target.read_bytes()
    (pack / "pack.yaml").write_text("title: T\nsections: [{title: S}]\ncards: [{front: a}]\n")
    result = runner.invoke(cli, ["build", str(pack), "--out", str(out), "--only", "csv"])
    assert result.exit_code == 1
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == [".studypack-state.json", "cards.csv"]


def test_strict_makes_warnings_fatal(runner, tmp_path):
    pack = tmp_path / "p"
    pack.mkdir()
    (pack / "pack.yaml").write_text('title: "bell\\a"\nsections: [{title: S}]\n')
    ok = runner.invoke(cli, ["build", str(pack), "--out", str(tmp_path / "o"), "--only", "csv"])
    assert ok.exit_code == 0 and ": warning: title: dropped 1 control character(s)" in ok.output
    strict = runner.invoke(cli, ["build", str(pack), "--out", str(tmp_path / "o2"), "--only", "csv", "--strict"])
    assert strict.exit_code == 1
    assert not (tmp_path / "o2" / "p" / "cards.csv").exists()


def test_quiet_prints_errors_only(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(SAMPLE), "--out", str(tmp_path), "--only", "csv", "-q"])
    assert result.exit_code == 0 and result.output == ""


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--only", "nonsense"],
        ["build", "--only", ","],
        ["build", "--paper", "a3"],
        ["build", "--cards-offset", "one,two"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(runner, args):
    assert runner.invoke(cli, args).exit_code == 2


def test_missing_pack_is_a_located_error(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(tmp_path / "nope"), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "no such pack" in result.output


def test_internal_error_is_one_line_exit_70(runner, tmp_path, monkeypatch):
    import studypack.build as build

    def boom(*a, **k):
        raise RuntimeError("kaput")

    monkeypatch.setattr(build, "load_pack", boom)
    result = runner.invoke(cli, ["build", str(SAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 70
    first, summary = result.output.strip().splitlines()
    assert first.endswith("pack.yaml: internal error: RuntimeError: kaput; run with --debug for the traceback")
    assert "1 pack(s) failed" in summary
    debug = runner.invoke(cli, ["build", str(SAMPLE), "--out", str(tmp_path), "--debug"])
    assert debug.exit_code == 70 and "Traceback (most recent call last)" in debug.output and "kaput" in debug.output


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_pack_that_crashes_does_not_stop_the_others(runner, tmp_path, monkeypatch, jobs):
    import studypack.build as build

    real = build.load_pack

    def crash_on_b(arg, report):
        if arg.name == "b":
            raise RuntimeError("kaput")
        return real(arg, report)

    monkeypatch.setattr(build, "load_pack", crash_on_b)
    packs = []
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "pack.yaml").write_text(f"title: {name}\nsections: [{{title: S, points: [p]}}]\n")
        packs.append(str(tmp_path / name))
    result = runner.invoke(cli, ["build", *packs, "--out", str(tmp_path / "o"), "--only", "csv", "--jobs", jobs])
    assert result.exit_code == 70
    assert "b/pack.yaml: internal error: RuntimeError: kaput" in result.output
    assert "wrote 2 file(s) for 2 pack(s)" in result.output and "1 pack(s) failed" in result.output
    assert (tmp_path / "o" / "a" / "cards.csv").is_file() and (tmp_path / "o" / "c" / "cards.csv").is_file()


def test_new_scaffold_builds_as_is(runner, tmp_path):
    folder = tmp_path / "my-course"
    assert runner.invoke(cli, ["new", str(folder)]).exit_code == 0
    text = (folder / "pack.yaml").read_text()
    assert text.count("#") > 10  # commented
    result = runner.invoke(cli, ["build", str(folder), "--out", str(tmp_path / "o"), "--only", "csv"])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    assert runner.invoke(cli, ["new", str(folder)]).exit_code == 1  # never overwrites


def test_build_without_packs_builds_content_folder(runner, tmp_path, monkeypatch):
    content = tmp_path / "content" / "one"
    content.mkdir(parents=True)
    (content / "pack.yaml").write_text("title: T\nsections: [{title: S}]\n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["build", "--only", "csv"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build" / "one" / "cards.csv").is_file()


def test_themes_list_and_show(runner):
    listing = runner.invoke(cli, ["themes", "list"])
    assert listing.exit_code == 0 and "default" in listing.output
    shown = runner.invoke(cli, ["themes", "show", "default"])
    assert shown.exit_code == 0 and "primary: '#" in shown.output


def test_console_script_runs_from_any_cwd(tmp_path):
    """The installed entry point finds built-in themes outside the checkout."""
    result = subprocess.run(
        [sys.executable, "-m", "studypack", "build", str(SAMPLE), "--out", str(tmp_path / "o"), "--only", "csv"],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "o" / "japan-us-security-treaty" / "cards.csv").is_file()


def test_two_packs_with_one_slug_are_refused_not_overwritten(runner, tmp_path):
    for parent in ("a", "b"):
        folder = tmp_path / parent / "same"
        folder.mkdir(parents=True)
        (folder / "pack.yaml").write_text(f"title: {parent}\nsections: [{{title: S}}]\n")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(tmp_path / "a" / "same"), str(tmp_path / "b" / "same"), "--out", str(out), "--only", "csv"])
    assert result.exit_code == 1
    assert "error: pack 'same' would overwrite the outputs of" in result.output
    assert (out / "same" / "cards.csv").is_file()
    twice = runner.invoke(cli, ["build", str(tmp_path / "a" / "same"), str(tmp_path / "a" / "same" / "pack.yaml"), "--out", str(out), "--only", "csv", "--force"])
    assert twice.exit_code == 0 and "wrote 1 file(s) for 1 pack(s)" in twice.output


def test_debug_is_accepted_after_the_command(runner, tmp_path, monkeypatch):
    import studypack.build as build

    monkeypatch.setattr(build, "load_pack", lambda *a, **k: 1 / 0)
    result = runner.invoke(cli, ["build", str(SAMPLE), "--out", str(tmp_path), "--debug"])
    assert result.exit_code == 70
    assert "Traceback" in result.output and "ZeroDivisionError" in result.output


@pytest.mark.parametrize("where", ["file", "under-file"])
def test_new_into_an_impossible_place_is_exit_1(runner, tmp_path, where):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    target = blocker if where == "file" else blocker / "sub"
    result = runner.invoke(cli, ["new", str(target)])
    assert result.exit_code == 1 and "error:" in result.output and "internal" not in result.output


def test_check_reports_what_build_would_warn_about(runner, tmp_path):
    pack = tmp_path / "p"
    pack.mkdir()
    (pack / "pack.yaml").write_text("title: T\nsections: [{title: S}]\ncards:\n  - front: Q\n    back: " + "word " * 900 + "\n")
    result = runner.invoke(cli, ["check", str(pack), "--strict"])
    assert result.exit_code == 1
    assert "warning: card 'Q'" in result.output
    assert not (tmp_path / "build").exists()


def test_check_plans_in_parallel_and_reports_as_one_process_does(runner, tmp_path):
    """A check of one pack plans its outputs (and typesets its equations) across the CPUs, as
    a build does: the same problems, sorted alike, whatever the processes; nothing written."""
    pack = tmp_path / "p"
    pack.mkdir()
    long_back = "word " * 900
    (pack / "pack.yaml").write_text(
        f"title: T\nsections:\n  - title: {'A very long section title ' * 12}\n    points:\n"
        + "".join(f"      - Point {i} with $x_{i}^2 + \\frac{{a}}{{{i}}}$\n" for i in range(12))
        + f"cards:\n  - front: Q\n    back: {long_back}\n"
    )
    untimed = lambda text: re.sub(r"\(\d+\.\d+ s\)", "", text)  # noqa: E731
    parallel = runner.invoke(cli, ["check", str(pack), "--jobs", "2"], env={"XDG_CACHE_HOME": str(tmp_path / "c")})
    assert parallel.exit_code == 0, parallel.output
    for each_output in ("warning: card 'Q'", "warning: slide title", "warning: heading is too long"):
        assert each_output in parallel.output
    assert not (tmp_path / "build").exists() and not (pack / "build").exists()
    serial = runner.invoke(cli, ["check", str(pack), "--jobs", "1"], env={"XDG_CACHE_HOME": str(tmp_path / "d")})
    assert untimed(parallel.output) == untimed(serial.output)


@pytest.mark.parametrize(
    "footer, message",
    [
        ("{{ ''.__class__.__mro__ }}", "footer: template error: access to attribute '__class__' of 'str' object is unsafe."),
        ("{{ range(10**9)|list|length }}", "footer: template error: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."),
        ("{{ pack.cours }}", "footer: template error: 'dict object' has no attribute 'cours'"),
    ],
)
def test_hostile_or_broken_theme_templates_are_located_errors(runner, tmp_path, footer, message):
    theme = tmp_path / "t"
    theme.mkdir()
    (theme / "theme.yaml").write_text(f'extends: default\nfooter: "{footer}"\n')
    result = runner.invoke(cli, ["build", str(SAMPLE), "--theme", str(theme), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert f"theme.yaml:2:9: error: {message}" in result.output


def test_a_template_that_fails_only_on_the_real_pack_is_located_in_the_theme(runner, tmp_path):
    """Theme loading tries templates on a sample pack; one that fails on the real pack's text is
    reported at the template's line by every output that renders it (it was '.:' in the deck)."""
    theme = tmp_path / "t"
    theme.mkdir()
    # the sample title 'x' gives a 50,000 range (allowed); the sample pack's title does not
    (theme / "theme.yaml").write_text('extends: default\nfooter: "{{ range(pack.title|length * 50000)|list|length }}"\n')
    result = runner.invoke(cli, ["build", str(SAMPLE), "--theme", str(theme), "--out", str(tmp_path / "o"), "--only", "deck,handout"])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert errors and all(line.startswith(f"{theme / 'theme.yaml'}:2:9: error: theme template: Range too big") for line in errors)


def test_csv_keeps_link_addresses(runner, tmp_path):
    pack = tmp_path / "p"
    pack.mkdir()
    (pack / "pack.yaml").write_text("title: T\nsections: [{title: S}]\ncards:\n  - front: '**Q**'\n    back: See [the treaty](https://example.org/treaty).\n")
    assert runner.invoke(cli, ["build", str(pack), "--out", str(tmp_path / "o"), "--only", "csv"]).exit_code == 0
    rows = read_cards((tmp_path / "o" / "p" / "cards.csv").read_text(encoding="utf-8"))
    assert (rows[0]["front"], rows[0]["back"]) == ("<b>Q</b>", 'See <a href="https://example.org/treaty">the treaty</a>.')


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_a_reader_that_stops_early_is_not_an_internal_error(unbuffered):
    """`studypack themes show default | head -1`: the pipe closes before we finish writing."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    cmd = [sys.executable, "-c", "from studypack.cli import main; main()", "themes", "show", "default"]
    for _ in range(3):  # the race is on our side: writing after the reader has gone
        with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as proc:
            proc.stdout.close()
            stderr = proc.stderr.read().decode()
        assert proc.returncode == 0 and stderr == "", (proc.returncode, stderr)


def test_csv_tags_are_single_words_as_anki_splits_them(runner, tmp_path):
    folder = tmp_path / "My Course (2026)"
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        "title: T\nsections: [{title: S}]\nglossary: [{term: A, definition: b}]\n"
        "cards: [{front: Q, back: R, tags: [week one]}]\n", encoding="utf-8",
    )  # fmt: skip
    assert runner.invoke(cli, ["build", str(folder), "--out", str(tmp_path / "o"), "--only", "csv"]).exit_code == 0
    rows = read_cards((tmp_path / "o" / "My Course (2026)" / "cards.csv").read_text(encoding="utf-8"))
    tags = [row["tags"] for row in rows]
    assert tags == ["My_Course_(2026) glossary", "My_Course_(2026) week_one"]


def test_the_same_pack_named_another_way_is_unchanged(runner, tmp_path, monkeypatch):
    """The input key holds resolved paths: a relative folder, its pack.yaml or an absolute path."""
    out = str(tmp_path / "o")
    monkeypatch.chdir(SAMPLE.parent)
    assert runner.invoke(cli, ["build", SAMPLE.name, "--out", out, "--only", "csv"]).exit_code == 0
    for again in (f"{SAMPLE.name}/pack.yaml", str(SAMPLE)):
        result = runner.invoke(cli, ["build", again, "--out", out, "--only", "csv"])
        assert "1 unchanged" in result.output, (again, result.output)


def test_an_option_rebuilds_only_the_outputs_that_read_it(runner, tmp_path):
    out = str(tmp_path / "o")
    assert runner.invoke(cli, ["build", str(SAMPLE), "--out", out, "-v"]).exit_code == 0

    def rewritten(*options: str) -> set[str]:
        result = runner.invoke(cli, ["build", str(SAMPLE), "--out", out, "-v", *options])
        assert result.exit_code == 0, result.output
        return {line.split("/")[-1] for line in result.output.splitlines() if line.startswith("  wrote ")}

    assert rewritten("--paper", "a4") == {"handout.pdf", "flashcards.pdf"}
    assert rewritten("--paper", "a4", "--cards-offset", "1,1") == {"flashcards.pdf"}
    assert rewritten("--paper", "a4", "--cards-offset", "1,1") == set()


def test_console_script_ends_with_the_right_code_and_all_its_output(runner, tmp_path, monkeypatch):
    """main() ends the process itself, skipping teardown: codes and buffered output must survive."""

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "studypack", *args], capture_output=True, text=True, cwd=tmp_path)

    shown = run("themes", "show", "default")
    assert shown.returncode == 0
    monkeypatch.chdir(tmp_path)  # the theme's path is shown relative to it
    assert shown.stdout == runner.invoke(cli, ["themes", "show", "default"]).stdout
    missing = run("build", "no-such-pack")
    assert missing.returncode == 1 and "no-such-pack: error: no such pack" in missing.stderr
    assert run("no-such-command").returncode == 2


def test_parallel_builds_guess_cheaply_whether_anything_will_render(runner, tmp_path):
    """Several packs: renderers are imported before forking only when some output may be rebuilt."""
    packs = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "pack.yaml").write_text(f"title: {name}\nsections: [{{title: S, points: [p]}}]\n")
        packs.append(tmp_path / name)
    out = tmp_path / "out"
    args = ["build", *map(str, packs), "--out", str(out), "--only", "csv,cards", "--jobs", "2"]
    options = BuildOptions(out=out, only=("csv", "cards"))
    assert _may_render(packs, options)  # nothing built yet
    first = runner.invoke(cli, args)
    assert first.exit_code == 0 and "wrote 4 file(s) for 2 pack(s)" in first.output, first.output
    assert not _may_render(packs, options)
    again = runner.invoke(cli, args)
    assert again.exit_code == 0 and "wrote 0 file(s) for 2 pack(s)" in again.output
    assert _may_render(packs, BuildOptions(out=out, only=("csv", "deck")))  # the deck was never built
    assert _may_render(packs, BuildOptions(out=out, only=("csv",), force=True))
    later = time.time() + 10
    os.utime(packs[1] / "pack.yaml", (later, later))
    assert _may_render(packs, options)  # edited (or only touched: the input keys then decide)
    touched = runner.invoke(cli, args)
    assert touched.exit_code == 0 and "wrote 0 file(s) for 2 pack(s)" in touched.output


def test_a_shared_themes_warning_is_shown_once_for_all_packs(runner, tmp_path):
    (tmp_path / "pale").mkdir()
    (tmp_path / "pale" / "theme.yaml").write_text('colors: {text: "#BBBBBB"}\n', encoding="utf-8")
    packs = []
    for name in ("one", "two", "three"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "pack.yaml").write_text(f"title: {name}\nsections: [{{title: S, points: [p]}}]\n")
        packs.append(str(tmp_path / name))
    args = ["build", *packs, "--out", str(tmp_path / "o"), "--only", "csv,cards", "--theme", str(tmp_path / "pale")]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output.count("below WCAG AA") == 1, result.output
    assert "wrote 6 file(s) for 3 pack(s)" in result.output
    strict = runner.invoke(cli, [*args, "--strict", "--force"])
    assert strict.exit_code == 1 and strict.output.count("below WCAG AA") == 1
    assert all(f"{name}: failed" in strict.output for name in ("one", "two", "three"))


def test_strict_and_quiet_still_show_the_warnings_that_fail_the_build(runner, tmp_path):
    (tmp_path / "pale").mkdir()
    (tmp_path / "pale" / "theme.yaml").write_text('colors: {text: "#BBBBBB"}\n', encoding="utf-8")
    args = ["build", str(SAMPLE), "--out", str(tmp_path / "o"), "--only", "cards", "--theme", str(tmp_path / "pale"), "-q"]
    assert runner.invoke(cli, args).output == ""  # -q alone: warnings are not errors
    strict = runner.invoke(cli, [*args, "--strict"])
    assert strict.exit_code == 1 and "below WCAG AA" in strict.output


def test_a_reader_that_stops_early_does_not_hide_a_failed_build(tmp_path):
    """`studypack build … 2>&1 | head -1`: the build goes on, and its exit says it failed."""
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "pack.yaml").write_text("titel: Bad\n")
    good = []
    for name in ("g1", "g2", "g3"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "pack.yaml").write_text(f"title: {name}\nsections: [{{title: S, points: [p]}}]\n")
        good.append(str(tmp_path / name))
    cmd = [sys.executable, "-m", "studypack", "build", str(bad), *good, "--out", str(tmp_path / "o"), "--only", "csv", "--jobs", "1"]
    with subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL) as proc:
        assert b"error" in proc.stderr.readline()
        proc.stderr.close()
        assert proc.wait(timeout=60) == 1
    assert all((tmp_path / "o" / name / "cards.csv").is_file() for name in ("g1", "g2", "g3"))


def test_version_into_a_full_disk_is_an_error_not_a_traceback():
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "studypack", "--version"], stdout=full, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 1
    assert result.stderr.strip() == "error: cannot write the output: No space left on device"


def test_files_written_into_the_current_folder(tmp_path, monkeypatch):
    """`calibrate -o cal.pdf` and `import x.md -o .` name a file in the current folder (no dirname)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "guide.md").write_text("# Cells\n\n## Parts\n\n- The nucleus holds DNA.\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["calibrate", "-o", "cal.pdf"]).exit_code == 0
    assert (tmp_path / "cal.pdf").read_bytes().startswith(b"%PDF")
    assert CliRunner().invoke(cli, ["import", "guide.md", "-o", "."]).exit_code == 0
    assert "title:" in (tmp_path / "pack.yaml").read_text(encoding="utf-8")


def test_choices_ignore_case_and_an_empty_only_is_a_usage_error(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "pack.yaml").write_text("title: T\nsections: [{title: S, points: [p]}]\n", encoding="utf-8")
    (tmp_path / "theme.yaml").write_text("extends: default\npaper: A4\ncards: {size: a7}\n", encoding="utf-8")
    ok = CliRunner().invoke(cli, ["build", str(folder), "--out", str(tmp_path / "o"), "--paper", "A4",
                                  "--only", "Cards", "--theme", str(tmp_path / "theme.yaml")])  # fmt: skip
    assert ok.exit_code == 0, ok.output
    empty = CliRunner().invoke(cli, ["build", str(folder), "--only", ""])
    assert empty.exit_code == 2 and "name at least one output" in empty.output


def test_where_processes_cannot_fork_everything_is_built_in_one(runner, tmp_path, monkeypatch):
    """Windows starts no process by forking: packs and outputs are built in the one process."""
    import multiprocessing

    import studypack.build as build

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    jobs_seen = []
    real = build.build_pack
    monkeypatch.setattr(build, "build_pack", lambda arg, options, jobs=1, **kw: jobs_seen.append(jobs) or real(arg, options, jobs, **kw))
    packs = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "pack.yaml").write_text(f"title: {name}\nsections: [{{title: S, points: [p]}}]\n")
        packs.append(str(tmp_path / name))
    result = runner.invoke(cli, ["build", *packs, "--out", str(tmp_path / "o"), "--only", "csv", "--jobs", "4"])
    assert result.exit_code == 0, result.output
    assert jobs_seen == [1, 1]
