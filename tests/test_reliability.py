"""Guarantees (SPEC §8): hostile text survives, outputs are atomic and reproducible, big input works."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx import Presentation
from pypdf import PdfReader

from helpers import REPO, SAMPLE, build_or_fail
from studypack.build import BuildOptions, build_pack
from studypack.cli import cli
from studypack.load.nodes import clean_text
from studypack.outputs import OUTPUTS
from studypack.render.cards_csv import read_cards, seen_text
from studypack.typography import smarten

ALL = tuple(OUTPUTS)
VISIBLE = ("handout", "deck", "cards", "csv")


def write_pack(folder: Path, data: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def deck_text(path: Path) -> str:
    parts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.extend(p.text for p in shape.text_frame.paragraphs)
    return "\n".join(parts)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def squash(text: str) -> str:
    return "".join(text.split())


# ---------------------------------------------------------------- reproducible builds


def test_two_builds_a_second_apart_are_byte_identical(sample_outputs, tmp_path):
    """Also: outputs rendered in parallel processes equal those rendered one by one."""
    time.sleep(1.1)
    again = build_or_fail(SAMPLE, tmp_path, output_jobs=3)
    assert set(again) == set(sample_outputs)
    for name, path in again.items():
        assert path.read_bytes() == sample_outputs[name].read_bytes(), f"{name} differs between builds"


def test_source_date_epoch_sets_the_dates(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = build_or_fail(SAMPLE, tmp_path, only=("deck", "handout"))
    meta = PdfReader(str(out["handout"])).metadata
    assert "20231114" in str(meta.get("/CreationDate"))
    with zipfile.ZipFile(out["deck"]) as z:
        assert {i.date_time[:3] for i in z.infolist()} == {(2023, 11, 14)}


# ---------------------------------------------------------------- hostile text

HOSTILE = [
    "<b>not bold</b> & <i>x</i>",
    "&amp; &lt; &#169; &nbsp;",
    "<para>raw</para> <font color=red>y</font>",
    "{{ 7*7 }} {% if x %}no{% endif %} {# c #}",
    "%(x)s %s %d ${HOME} $(rm -rf /) | ls",
    "back\\slash C:\\Users\\n \\\\server",
    "Grüße, naïve café, Ærø, ßtraße",
    "日本国憲法第九条 안녕하세요 中文",
    "שלום עולם مرحبا بالعالم",
    "emoji 🎌🗾👩‍🏫 flags 🇯🇵🇺🇸",
    "zero\u200bwidth soft\u00adhyphen",
]


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "hostile"
    data = {
        "title": "Hostile <b>&amp; {{ 7*7 }}",
        "sections": [{"title": f"Section {i}", "points": [text], "notes": text} for i, text in enumerate(HOSTILE)],
        "glossary": [{"term": f"Term {i} {text[:12]}", "definition": text} for i, text in enumerate(HOSTILE)],
        "cards": [{"front": text, "back": text[::-1]} for text in HOSTILE],
    }
    write_pack(folder, data)
    result = build_pack(folder, BuildOptions(out=folder.parent / "out", only=ALL))
    assert not [d for d in result.diagnostics if d.severity == "error"], [str(d) for d in result.diagnostics]
    return {name: folder.parent / "out" / "hostile" / o.filename for name, o in OUTPUTS.items()}


@pytest.mark.parametrize("text", HOSTILE[:7])
def test_markup_like_text_is_literal_everywhere(hostile_build, text):
    assert squash(text) in squash(deck_text(hostile_build["deck"]))
    assert squash(text) in squash(pdf_text(hostile_build["handout"]))
    assert squash(text) in squash(pdf_text(hostile_build["cards"]))
    rows = read_cards(hostile_build["csv"].read_text(encoding="utf-8"))
    assert any(text in seen_text(row["back"]) or text == seen_text(row["front"]) for row in rows)


@pytest.mark.parametrize("text", HOSTILE[7:])
def test_non_latin_text_reaches_the_deck_and_csv(hostile_build, text):
    assert squash(text) in squash(deck_text(hostile_build["deck"]))
    assert any(text in seen_text(f) for row in read_cards(hostile_build["csv"].read_text(encoding="utf-8")) for f in row.values())


def test_anki_package_holds_the_hostile_text(hostile_build, tmp_path):
    import sqlite3

    with zipfile.ZipFile(hostile_build["anki"]) as z:
        z.extract("collection.anki2", tmp_path)
    fields = [r[0] for r in sqlite3.connect(tmp_path / "collection.anki2").execute("select flds from notes")]
    assert any("{{ 7*7 }}" in f for f in fields)


unicode_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda s: clean_text(s)[0].strip()
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(title=unicode_text, point=unicode_text, term=unicode_text, back=unicode_text)
def test_arbitrary_unicode_survives_every_renderer(tmp_path, title, point, term, back):
    folder = tmp_path / "u"
    write_pack(folder, {
        "title": title,
        "sections": [{"title": "S", "points": [point]}],
        "glossary": [{"term": term, "definition": back}],
        "cards": [{"front": point, "back": back}],
    })  # fmt: skip
    result = build_pack(folder, BuildOptions(out=tmp_path / "o", only=VISIBLE, force=True))
    errors = [str(d) for d in result.diagnostics if d.severity == "error"]
    assert not errors
    out = tmp_path / "o" / "u"
    # The deck keeps text exactly (inline Markdown aside); compare the literal, cleaned point
    # only when it holds no Markdown syntax.
    expected = smarten(clean_text(point)[0].strip(), "en")  # quotes print typographic, by design
    if not any(c in expected for c in "*_`[]\\\n\r\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        assert squash(expected) in squash(deck_text(out / "deck.pptx"))
    assert PdfReader(str(out / "handout.pdf")).pages
    assert PdfReader(str(out / "flashcards.pdf")).pages


# ---------------------------------------------------------------- atomic outputs


def test_unwritable_output_is_a_clear_error(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be")
    result = CliRunner().invoke(cli, ["build", str(SAMPLE), "--out", str(blocker), "--only", "csv"])
    assert result.exit_code == 1
    assert "error: cannot write output" in result.output
    assert "Traceback" not in result.output


def _valid(folder: Path) -> None:
    names = sorted(p.name for p in folder.iterdir())
    expected = {o.filename for o in OUTPUTS.values()} | {".studypack-state.json"}
    assert set(names) <= expected, f"stray files: {set(names) - expected}"
    for p in folder.iterdir():
        if p.suffix == ".pdf":
            assert PdfReader(str(p)).pages
        elif p.suffix in (".pptx", ".apkg"):
            with zipfile.ZipFile(p) as z:
                assert z.testzip() is None
        elif p.suffix == ".csv":
            assert p.read_text(encoding="utf-8").startswith("#separator:Comma")
        elif p.suffix == ".json":
            json.loads(p.read_text())


@pytest.mark.slow
def test_sigkill_at_any_moment_leaves_whole_files(tmp_path):
    sys.path.insert(0, str(REPO / "benchmarks"))
    from bench import make_pack

    pack = make_pack(tmp_path / "src" / "big", 15)  # ~2.5 s to build: kills land all along it
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "studypack", "build", str(pack), "--out", str(out), "--only", ",".join(ALL), "-q"]
    subprocess.run(cmd, check=True, timeout=300)
    _valid(out / "big")
    for delay in (0.4, 0.8, 1.2, 1.6, 2.0, 2.4):
        proc = subprocess.Popen(cmd + ["--force"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _valid(out / "big")


@pytest.mark.slow
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_an_interrupt_stops_a_parallel_build_at_once(tmp_path, how):
    """Ctrl-C (SIGINT to the terminal's process group) or a SIGTERM to the build: exit 130 with a
    line saying how far it got, workers gone at once (not finishing the queue), finished packs
    whole, no temp files."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from bench import make_pack

    packs = [make_pack(tmp_path / "src" / f"p{i}", 3) for i in range(8)]  # ~0.6 s each
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "studypack", "build", *map(str, packs), "--out", str(out), "--jobs", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(out.glob("*/.studypack-state.json")) and time.monotonic() < deadline:
        time.sleep(0.02)  # until the first pack is written: workers are busy
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("interrupted: ") and last.endswith("pack(s) finished; the others keep their earlier outputs")
    for _ in range(100):  # the workers end with the build (killed, or by PR_SET_PDEATHSIG)
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("worker processes outlived the interrupted build")
    built = sorted(p.parent.name for p in out.glob("*/.studypack-state.json"))
    assert 0 < len(built) < len(packs)
    for name in built:
        _valid(out / name)
    assert not list(out.rglob(".studypack-tmp-*"))


# ---------------------------------------------------------------- big input


def test_fifty_thousand_character_point_is_split_not_dropped(tmp_path):
    words = [f"word{i:05d}" for i in range(5600)]  # ~50,000 characters
    point = " ".join(words)
    assert len(point) >= 50_000
    folder = write_pack(tmp_path / "long", {"title": "Long", "sections": [{"title": "S", "points": [point]}]})
    out = build_or_fail(folder, tmp_path / "out", only=("handout", "deck"))
    deck_words = deck_text(out["deck"]).split()
    found = [w for w in deck_words if w.startswith("word")]
    assert found == words  # every word, in order, none dropped
    assert len(Presentation(str(out["deck"])).slides) > 5
    handout_words = [w for w in pdf_text(out["handout"]).split() if w.startswith("word")]
    assert handout_words == words
    assert len(PdfReader(str(out["handout"])).pages) > 5


@pytest.mark.slow
def test_ten_thousand_terms_and_two_thousand_sections_build_in_bounded_memory(tmp_path):
    sections = [
        {"title": f"Section {i}", "summary": "A short summary.", "points": [f"Point {j} of section {i}" for j in range(4)]}
        for i in range(2000)
    ]
    glossary = [{"term": f"Term {i:05d}", "definition": f"Definition {i} in a few words."} for i in range(10000)]
    folder = write_pack(tmp_path / "huge", {"title": "Huge", "sections": sections, "glossary": glossary})
    cmd = [sys.executable, "-m", "studypack", "build", str(folder), "--out", str(tmp_path / "out"), "-q", "--jobs", "2"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    with proc.stderr:
        stderr = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)  # wait4: the child's own peak RSS
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0, stderr
    assert stderr == ""  # no warnings, no errors
    peak_mib = usage.ru_maxrss / 1024  # the largest of the build process and its workers
    assert peak_mib < 1024, f"peak RSS {peak_mib:.0f} MiB"
    out = tmp_path / "out" / "huge"
    rows = (out / "cards.csv").read_bytes().count(b"\r\n")
    assert rows == 6 + 10000  # Anki's file headers, then one line a card
    assert len(PdfReader(str(out / "flashcards.pdf")).pages) >= 2 * 10000 // 3
    with zipfile.ZipFile(out / "deck.pptx") as z:
        assert sum(n.startswith("ppt/slides/slide") for n in z.namelist()) > 2000


latin_text = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x17F, blacklist_categories=("Cc", "Cf", "Zs", "Mn")),
    min_size=1,
    max_size=30,
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(words=st.lists(latin_text, min_size=1, max_size=4))
def test_arbitrary_latin_text_comes_back_from_the_pdfs(tmp_path, words):
    text = " ".join(words)
    if any(c in text for c in "*_`[]\\"):  # Markdown marks change the text by design
        return
    folder = tmp_path / "l"
    write_pack(folder, {"title": "T", "sections": [{"title": "S", "points": [text]}], "cards": [{"front": text, "back": "b"}]})
    result = build_pack(folder, BuildOptions(out=tmp_path / "o", only=("handout", "cards"), force=True))
    assert not [d for d in result.diagnostics if d.severity == "error"]
    shown = squash(smarten(text, "en"))  # straight quotes print typographic, by design
    assert shown in squash(pdf_text(tmp_path / "o" / "l" / "handout.pdf"))
    assert shown in squash(pdf_text(tmp_path / "o" / "l" / "flashcards.pdf"))


@pytest.mark.parametrize("edited", ["pack.yaml", "theme.yaml"])
def test_a_file_saved_during_a_build_is_rebuilt_next_time(tmp_path, monkeypatch, edited):
    """A save that lands between reading a file and hashing it must not mark stale outputs fresh."""
    import studypack.build as build_module

    folder = tmp_path / "race"
    folder.mkdir()
    (folder / "pack.yaml").write_text("title: Race\ntheme: ./theme\nsections: [{title: S, points: [p]}]\ncards: [{front: 'Q?', back: OLD}]\n")
    (folder / "theme").mkdir()
    (folder / "theme" / "theme.yaml").write_text("footer: OLD\n")
    options = BuildOptions(out=tmp_path / "out", only=("csv", "deck"))
    real_resolve = build_module.resolve_theme

    def resolve_then_save(pack, opts, report):  # the theme is read, then the user saves
        theme = real_resolve(pack, opts, report)
        target = folder / edited if edited == "pack.yaml" else folder / "theme" / edited
        target.write_text(target.read_text().replace("OLD", "NEW"))
        return theme

    monkeypatch.setattr(build_module, "resolve_theme", resolve_then_save)
    first = build_pack(folder, options)
    assert len(first.written) == 2 and not first.failed(False)
    monkeypatch.setattr(build_module, "resolve_theme", real_resolve)
    again = build_pack(folder, options)
    out = tmp_path / "out" / "race"
    if edited == "pack.yaml":
        assert sorted(p.name for p in again.written) == ["cards.csv", "deck.pptx"]
        assert "NEW" in (out / "cards.csv").read_text()
    else:  # the CSV does not read the theme
        assert [p.name for p in again.written] == ["deck.pptx"]
        footers = [s.text for slide in Presentation(str(out / "deck.pptx")).slides for s in slide.shapes if s.has_text_frame]
        assert "NEW" in footers and "OLD" not in footers
    assert build_pack(folder, options).written == []  # and then it is up to date


def test_two_builds_of_one_pack_at_once_keep_each_others_state(tmp_path, monkeypatch):
    """`--only deck` and `--only cards` running at the same time: neither loses the other's keys."""
    import studypack.build as build_module

    folder = write_pack(tmp_path / "two", {"title": "Two", "sections": [{"title": "S", "points": ["p"]}]})
    out = tmp_path / "out"
    real_plan_and_draw = build_module._plan_and_draw

    def draw_while_another_build_runs(outputs, *args, **kwargs):
        monkeypatch.setattr(build_module, "_plan_and_draw", real_plan_and_draw)
        assert build_pack(folder, BuildOptions(out=out, only=("cards",))).written  # the other build
        return real_plan_and_draw(outputs, *args, **kwargs)

    monkeypatch.setattr(build_module, "_plan_and_draw", draw_while_another_build_runs)
    assert build_pack(folder, BuildOptions(out=out, only=("deck",))).written
    both = build_pack(folder, BuildOptions(out=out, only=("deck", "cards")))
    assert both.written == [] and len(both.unchanged) == 2
