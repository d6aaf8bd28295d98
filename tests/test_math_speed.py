"""The math cache's correctness (its timings are in benchmarks/bench.py --math, not here)."""

from __future__ import annotations

import io
import os
import re
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from studypack.errors import Report, Span
from studypack.math import cache, drawing, parse, prune
from studypack.math import typeset as ts

PHYSICS = Path(__file__).resolve().parents[1] / "content" / "physics-kinematics"


def formula(latex: str):
    result = parse(latex, Span("math"), Report())
    assert result is not None
    return result


def forget() -> None:
    """Empties the in-process caches, so the next call reads the disk (or computes)."""
    for fn in (ts._typeset_at_base, ts._typeset, ts._colored, ts._png, drawing._outlines, drawing._shapes):
        fn.cache_clear()


def entries(root: Path, suffix: str) -> set[str]:
    """The names of the cache's entries of one kind, read as another process would."""
    path = root / "studypack" / "math" / cache.FILE
    if not path.exists():
        return set()
    with closing(sqlite3.connect(path)) as db:
        return {name for (name,) in db.execute("SELECT name FROM entry") if name.endswith(suffix)}


def stored(name: str) -> bytes:
    with closing(sqlite3.connect(cache.folder() / cache.FILE)) as db:
        return db.execute("SELECT payload FROM entry WHERE name = ?", (name,)).fetchone()[0]


def new_process() -> None:
    """What a later build sees: no connection open yet, no prune checked."""
    cache._close_before_fork()


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv(cache.ENV_DISABLE, raising=False)
    monkeypatch.delenv(prune.ENV_LIMIT, raising=False)
    new_process()
    forget()
    yield tmp_path
    new_process()
    forget()


def test_typesetting_is_stored_under_the_user_cache_and_read_back_the_same(cache_home):
    f = formula(r"\frac{a}{b} + \sqrt{x}")
    first = ts.typeset(f, 13.5, display=True)
    kept = entries(cache_home, ".json")
    assert len(kept) == 1
    forget()
    new_process()
    again = ts.typeset(f, 13.5, display=True)
    assert again == first
    assert entries(cache_home, ".json") == kept  # read, not made again
    assert list((cache_home / "studypack" / "math").glob("*.sqlite3")) == [cache.folder() / cache.FILE]


def test_a_damaged_entry_is_ignored_and_made_again(cache_home):
    f = formula(r"\sum_{k=1}^n k^2")
    first = ts.typeset(f, 12)
    (entry,) = entries(cache_home, ".json")
    name = entry.removesuffix(".json")
    whole = stored(entry)
    for damage in (b"", b"garbage", whole[:-10], b"{not json", b'{"svg": 1, "box": [1, 2]}', b"[]"):
        cache.put(name, ".json", damage)
        forget()
        assert ts.typeset(f, 12) == first
        assert stored(entry) == whole  # written whole again


def test_a_damaged_picture_is_ignored_and_made_again(cache_home):
    from PIL import Image

    f = formula(r"x^2")
    png = ts.to_png(f, 20, dpi=144)
    (entry,) = entries(cache_home, ".png")
    cache.put(entry.removesuffix(".png"), ".png", stored(entry)[:100])
    forget()
    assert ts.to_png(f, 20, dpi=144) == png
    Image.open(io.BytesIO(stored(entry)[32:])).verify()  # the picture's box, then the PNG


def test_a_cache_file_that_is_not_a_database_is_replaced(cache_home):
    f = formula(r"\sqrt{2}")
    first = ts.typeset(f, 12)
    new_process()
    path = cache.folder() / cache.FILE
    path.write_bytes(b"this is not a database" * 100)
    forget()
    assert ts.typeset(f, 12) == first
    assert len(entries(cache_home, ".json")) == 1  # a new database, filled again


def test_the_daily_prune_removes_the_file_an_entry_layout_of_earlier_versions(cache_home):
    math = cache_home / "studypack" / "math"
    old_entries = [math / "ab" / f"ab{'0' * 62}.json", math / "ab" / ".tmp-x1y2", math / "0f" / f"0f{'1' * 62}.png"]
    kept = [math / "cd" / "notes.txt", math / "zz" / f"ab{'0' * 62}.json", math / "other.txt"]
    for file in old_entries + kept:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(b"x")
    (math / "last-pruned").write_bytes(b"")
    elsewhere = cache_home / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / f"ee{'2' * 62}.ops").write_bytes(b"x")
    (math / "ee").symlink_to(elsewhere, target_is_directory=True)

    ts.typeset(formula(r"a^2"), 12)
    assert not any(f.exists() for f in old_entries) and not (math / "last-pruned").exists()
    assert not (math / "ab").exists() and not (math / "0f").exists()
    assert all(f.exists() for f in kept)  # what the old cache did not write is left alone
    assert (elsewhere / f"ee{'2' * 62}.ops").exists()  # a link is not followed
    new_process()
    (math / "ab").mkdir()
    (math / "ab" / f"ab{'3' * 62}.json").write_bytes(b"x")
    forget()
    ts.typeset(formula(r"b^2"), 12)
    assert (math / "ab" / f"ab{'3' * 62}.json").exists()  # looked for with the daily prune only


def test_picture_keys_change_with_colour_size_and_resolution(cache_home):
    f = formula(r"E = mc^2")
    pictures = {
        ts.to_png(f, 20, "#000000", dpi=144),
        ts.to_png(f, 20, "#1F3A5F", dpi=144),
        ts.to_png(f, 24, "#000000", dpi=144),
        ts.to_png(f, 20, "#000000", dpi=300),
    }
    assert len(pictures) == 4
    assert len(entries(cache_home, ".png")) == 4
    # one typesetting serves every size and colour
    assert len(entries(cache_home, ".json")) == 1


def test_keys_change_with_the_library_versions(cache_home, monkeypatch):
    f = formula(r"\alpha + \beta")
    ts.to_png(f, 20)
    monkeypatch.setattr(ts, "ziamath_version", lambda: "999")
    forget()
    ts.to_png(f, 20)  # typeset again; the same outlines draw the same picture
    assert len(entries(cache_home, ".json")) == 2
    assert len(entries(cache_home, ".png")) == 1
    monkeypatch.setattr(cache, "_versions", lambda *packages: ("999",) * len(packages))
    forget()
    ts.to_png(f, 20)  # drawn again by other drawing libraries
    assert len(entries(cache_home, ".png")) == 2


def test_picture_key_changes_when_a_font_file_changes(tmp_path, cache_home):
    font = tmp_path / "font.ttf"
    font.write_bytes(b"one")
    before = cache.font_stamp([str(font)])
    font.write_bytes(b"other font")
    os.utime(font, ns=(1, 1))
    assert cache.font_stamp([str(font)]) != before


def test_an_unwritable_cache_costs_nothing_but_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    forget()
    box = ts.measure(formula(r"\int_0^1 x\,dx"), 12)
    assert box.width > 0
    forget()


def test_the_cache_can_be_switched_off(cache_home, monkeypatch):
    monkeypatch.setenv(cache.ENV_DISABLE, "1")
    ts.to_png(formula("y"), 12)
    assert not entries(cache_home, ".json") and not entries(cache_home, ".png")


DAY = 24 * 3600


def fill(count: int, size: int = 100_000) -> list[str]:
    """`count` entries of `size` bytes, oldest first: the i-th last used count - i days ago."""
    now = time.time()
    names = []
    for i in range(count):
        name = cache.key("filler", i)
        cache.put(name, ".png", bytes([i]) * size)
        used(name + ".png", now - (count - i) * DAY)
        names.append(name + ".png")
    return names


def used(name: str, when: float | None = None) -> float:
    """When the entry was last used; with `when`, set it."""
    db = cache.connection()
    assert db is not None
    if when is not None:
        db.execute("UPDATE entry SET used = ? WHERE name = ?", (when, name))
    return db.execute("SELECT used FROM entry WHERE name = ?", (name,)).fetchone()[0]


def kept(names: list[str]) -> list[str]:
    return [name for name in names if name in entries(cache.folder().parents[1], ".png")]


def size(names: list[str]) -> int:
    return 100_000 * len(names)


def test_over_the_limit_the_least_recently_used_entries_go_until_under_80_percent(cache_home):
    names = fill(20)  # 2 MB
    cache.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the log's pages into the file
    file_before = (cache.folder() / cache.FILE).stat().st_size
    prune.prune(cache.connection(), 1_000_000)
    left = kept(names)
    assert left == names[len(names) - len(left) :]  # the newest, the oldest removed
    assert 0 < size(left) < 800_000
    assert size(left) + 100_000 >= 800_000  # none removed needlessly
    cache.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert (cache.folder() / cache.FILE).stat().st_size < file_before  # the space given back


def test_entries_read_recently_survive_a_prune(cache_home):
    names = fill(20)
    for name in names[:3]:  # the oldest, read by this build
        assert cache.get(name.removesuffix(".png"), ".png") is not None
    prune.prune(cache.connection(), 1_000_000)
    assert kept(names[:4]) == names[:3]


def test_a_read_refreshes_an_entry_at_most_once_a_day(cache_home):
    (name,) = fill(1)  # a day old: refreshed
    cache.get(name.removesuffix(".png"), ".png")
    assert time.time() - used(name) < 60
    hours_ago = used(name, time.time() - 2 * 3600)
    cache.get(name.removesuffix(".png"), ".png")
    assert used(name) == hours_ago  # not written to on every read


def build_adds_an_entry(name: str = "new") -> str:
    """What a later build does: opening the cache may prune it."""
    new_process()
    cache.put(cache.key(name), ".json", b"{}")
    return cache.key(name) + ".json"


def stamp(when: float | None = None) -> float:
    db = cache.connection()
    if when is not None:
        db.execute("UPDATE meta SET value = ? WHERE name = ?", (when, prune.STAMP))
    return db.execute("SELECT value FROM meta WHERE name = ?", (prune.STAMP,)).fetchone()[0]


def test_a_build_prunes_at_most_once_a_day_and_the_limit_comes_from_the_environment(
    cache_home, monkeypatch
):
    monkeypatch.setenv(prune.ENV_LIMIT, "1")
    names = fill(20)  # opening the new database pruned it (empty) and stamped it
    assert build_adds_an_entry("second") in entries(cache_home, ".json")
    assert kept(names) == names  # stamped today: over the limit until tomorrow
    stamp(time.time() - DAY - 60)
    new = build_adds_an_entry("third")
    assert new in entries(cache_home, ".json")
    assert kept(names) == names[-len(kept(names)) :] and 0 < size(kept(names)) < 800_000
    assert time.time() - stamp() < 60


def test_a_limit_of_zero_keeps_everything(cache_home, monkeypatch):
    monkeypatch.setenv(prune.ENV_LIMIT, "0")
    names = fill(20)
    stamp(0)
    build_adds_an_entry()
    assert kept(names) == names


def test_builds_in_other_processes_share_the_cache_while_it_is_pruned(cache_home):
    """Another process pruning and refilling the cache: a reader here meets each entry whole
    or missing, never an error."""
    import subprocess

    names = fill(30, 10_000)
    payloads = {name.removesuffix(".png"): stored(name) for name in names}
    writer = subprocess.Popen(
        [sys.executable, "-c", """
import time
from studypack.math import cache, prune
payloads = {cache.key("filler", i): bytes([i]) * 10_000 for i in range(30)}  # as fill() made them
end = time.monotonic() + 3
while time.monotonic() < end:
    prune.prune(cache.connection(), 1)
    for name, payload in payloads.items():
        cache.put(name, ".png", payload)
"""],
        env=dict(os.environ),
    )  # fmt: skip
    seen = set()
    try:
        while writer.poll() is None:
            for name, payload in payloads.items():
                got = cache.get(name, ".png")
                assert got in (None, payload)
                seen.add(got is None)
    finally:
        writer.wait(timeout=60)
    assert writer.returncode == 0
    assert seen == {True, False}  # the reader met removed entries and whole ones


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="12" viewBox="0 -10 10 12">{}</svg>'
)


def test_outlines_are_read_into_pdf_operators_and_the_rest_is_left_to_svglib(cache_home):
    from studypack.math import outlines

    read = outlines.read(SVG.format('<g fill="#ff0000"><path d="M 0 0 L 4 0 Q 6 -6 8 0 Z"/></g>'))
    assert read is not None
    lines = read.ops.splitlines()
    assert lines[0] == "1 0 0 -1 0 2 cm"  # y flipped, origin at the box's bottom (depth 2)
    assert lines[1] == "1 0 0 rg"
    # the quadratic curve from (4, 0) through (6, -6) to (8, 0), as the same cubic
    assert lines[2:] == ["0 0 m", "4 0 l", "5.333 -4.000 6.667 -4.000 8 0 c", "h", "f"]
    for other in (
        '<path d="m 0 0 l 4 0 z"/>',  # relative commands
        '<path d="M 0 0 L"/>', '<path d="M 0 0 L 4 Z"/>', '<path d="M 0 0 Z 5"/>', '<path d="5 5 M 0 0"/>',
        '<path d="M 1e3 0 Z"/>',  # numbers missing, astray, or written otherwise than ziamath does
        '<path d="M 0 0 L 4 0 Z" stroke="black"/>',
        '<g transform="scale(2)"><path d="M 0 0 L 4 0 Z"/></g>',
        '<ellipse cx="1" cy="1" rx="1" ry="1"/>',
    ):
        assert outlines.read(SVG.format(other)) is None, other


def test_an_equation_drawn_by_either_route_inks_the_same_place(cache_home):
    """The PDF operators (handout, cards) and reportlab's shapes (renderPDF) agree."""
    import pdfplumber
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    drawn = drawing.to_drawing(formula(r"\frac{a^2}{\sqrt{b}}"), 15)
    boxes = []
    for draw in (
        lambda c: drawn.draw_on(c, 100, 100),
        lambda c: renderPDF.draw(drawn, c, 100, 100),
    ):
        buf = io.BytesIO()
        canvas = Canvas(buf)
        draw(canvas)
        canvas.save()
        with pdfplumber.open(io.BytesIO(buf.getvalue())) as doc:
            objects = doc.pages[0].curves + doc.pages[0].rects + doc.pages[0].lines
            boxes.append(tuple(round(f(o[k] for o in objects), 1) for f, k in
                               ((min, "x0"), (min, "top"), (max, "x1"), (max, "bottom"))))  # fmt: skip
    assert boxes[0] == pytest.approx(boxes[1], abs=0.2)
    x0, top, x1, bottom = boxes[0]
    assert 100 <= x0 and x1 <= 100 + drawn.width + 0.5


LATEX_TO_COMPARE = [
    r"\left( \frac{a}{b} \right)^2 + |x| + \|v\|", r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}",
    r"\{ x \mid x > 0 \} \cup \langle u, v \rangle", r"\left. \frac{df}{dx} \right|_{x=0}",
    r"\sqrt[3]{\frac{1}{1+\frac{1}{x}}} = \sum_{i=1}^{n} \left( i^2 \right)",
    r"\overbrace{a+b}^{n} \underbrace{x+y}_{m} \xrightarrow{k} \widehat{xyz}",
    r"x_{n+1} = x_n - \frac{f(x_n)}{f'(x_n)}", r"\int_0^\infty e^{-x^2}\,dx = \frac{\sqrt{\pi}}{2}",
    r"\begin{aligned} a &= b + c \\ d &= \left[ e \right] \end{aligned}", r"E = mc^2",
    r"\mathbf{A}\vec{x} = \lambda\vec{x}, \quad \hat{H}\psi = E\psi", r"a \, b \; c \quad d \qquad e",
    r"\text{a well-known rule: } x < y", r"\{ x : x \neq 0 \}",  # text that ziamath unescapes
]  # fmt: skip


_PATH_ELEMENT = re.compile(r'<path d="([^"]*)"(?: transform="translate\(([-\d.]+) ([-\d.]+)\)")?')


def _outlines_placed(svg: str) -> tuple[str, list[list[float]]]:
    """The SVG with its paths' data taken out, and each path's numbers with its translation
    applied (ziamath writes absolute M, L, Q commands: numbers are x, y pairs)."""
    paths = []

    def taken(m: re.Match) -> str:
        dx, dy = float(m.group(2) or 0), float(m.group(3) or 0)
        numbers = [float(v) for v in re.findall(r"[-\d.]+", m.group(1))]
        assert re.fullmatch(r"[MLQZ\d. -]*", m.group(1)), m.group(1)
        paths.append([v + (dx if i % 2 == 0 else dy) for i, v in enumerate(numbers)])
        return "<path"

    return _PATH_ELEMENT.sub(taken, svg), paths


def test_ziamath_patched_for_speed_draws_what_ziamath_draws(monkeypatch):
    """Every speed-up made to ziamath's internals leaves its SVGs the same, but for glyph
    outlines drawn once at the origin and placed by a translation: moved, their numbers are
    ziamath's own (each written to 0.001, so within two thousandths). Its fixes (FIXED) stay."""
    monkeypatch.setenv(cache.ENV_DISABLE, "1")
    ts._ziamath_module()
    assert len(ts.STOCK) >= 5, "the patches are applied to the ziamath version read"
    mathml = [(f.mathml, f.display_mathml) for f in map(formula, LATEX_TO_COMPARE)]
    ours = [ts._ziamath(m, display).svg for pair in mathml for display, m in enumerate(pair)]
    for (owner, name), stock in ts.STOCK.items():
        monkeypatch.setattr(owner, name, stock)
    monkeypatch.setattr(ts, "_as_given", lambda mathml: mathml)  # as text, unescaped by ziamath
    ts.real_unescape()
    theirs = [ts._ziamath(m, display).svg for pair in mathml for display, m in enumerate(pair)]
    assert "transform" not in "".join(theirs) and all("translate(" in svg for svg in ours)
    for mine, stock in zip(ours, theirs, strict=True):
        (mine_rest, mine_paths), (stock_rest, stock_paths) = _outlines_placed(mine), _outlines_placed(stock)
        assert mine_rest == stock_rest
        assert len(mine_paths) == len(stock_paths)
        for a, b in zip(mine_paths, stock_paths):
            assert a == pytest.approx(b, abs=0.0021)


def test_rows_skip_the_unstretched_layout_only_where_nothing_stretches(monkeypatch):
    """ziamath's first layout pass of a row is run only where something in it stretches."""
    monkeypatch.setenv(cache.ENV_DISABLE, "1")
    ts._ziamath_module()
    from ziamath.nodes.mrow import Mrow

    passes, rows = [], []
    unstretched, patched = ts.unstretched_height, Mrow._get_height_nostretch
    monkeypatch.setattr(ts, "unstretched_height", lambda *a, **k: passes.append(1) or unstretched(*a, **k))
    monkeypatch.setattr(
        Mrow, "_get_height_nostretch", lambda *a, **k: rows.append(1) or patched(*a, **k)
    )
    for f in map(formula, LATEX_TO_COMPARE):
        ts._ziamath(f.display_mathml, True)
    assert 0 < len(passes) < len(rows) / 2  # most rows hold nothing that stretches


@pytest.mark.parametrize("only", [None, ("deck",)])
def test_a_parallel_build_typesets_each_equation_once(tmp_path, only):
    """The handout, deck and flashcards need the same equations: built in parallel, each
    equation is typeset once (ahead of the outputs, across the CPUs), never again by an output;
    a deck built alone has its equations typeset across the CPUs too."""
    import subprocess

    log = tmp_path / "typeset.log"
    options = f"out=Path({str(tmp_path / 'out')!r})" + (f", only={only!r}" if only else "")
    script = f"""
import os, sys
from pathlib import Path
import studypack.build as B
import studypack.math.typeset as T
from studypack.build import BuildOptions, build_pack
real, real_chunk = T._ziamath, B._typeset_chunk
def logged(mathml, display):
    with open({str(log)!r}, "a") as f:
        f.write(f"{{os.getpid()}} {{hash((mathml, display))}}\\n")
    return real(mathml, display)
def ahead(keys):
    with open({str(log)!r}, "a") as f:
        f.write(f"{{os.getpid()}} ahead\\n")
    return real_chunk(keys)
T._ziamath, B._typeset_chunk = logged, ahead
result = build_pack(Path({str(PHYSICS)!r}), BuildOptions({options}), 2)
assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
print(len(result.written), os.getpid())
"""
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop(cache.ENV_DISABLE, None)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    written, build_process = done.stdout.split()
    assert int(written) == (1 if only else 4)  # the deck; or the handout, deck, cards and csv
    lines = [line.split() for line in log.read_text().splitlines()]
    keys = [key for _, key in lines if key != "ahead"]
    assert len(keys) == len(set(keys)), "an equation was typeset twice"
    ahead = {pid for pid, key in lines if key == "ahead"}
    assert {pid for pid, key in lines if key != "ahead"} == ahead  # none by an output's process
    assert len(ahead - {build_process}) == 1  # and the build's own process, when it was free


def test_the_build_process_typesets_the_batches_no_other_has_started(tmp_path):
    """Ahead of the outputs, the build's process and the others share the batches: none twice."""
    import subprocess

    script = f"""
import os
import time
from pathlib import Path
import studypack.build as B
from studypack.errors import Report
from studypack.load import load_pack
real = B._typeset_chunk
parent = os.getpid()
def logged(keys):
    print(os.getpid(), len(keys), flush=True)
    if os.getpid() != parent:  # a slow other process: this one surely finds batches to take
        time.sleep(0.2)
    return real(keys)
B._typeset_chunk = logged
pack = load_pack(Path({str(PHYSICS)!r}), Report())
assert B._typeset_ahead(pack, 2, meanwhile=lambda: None)
print("build", os.getpid())
"""
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop(cache.ENV_DISABLE, None)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    *batches, (_, build_process) = [line.split() for line in done.stdout.splitlines()]
    by = {pid for pid, _ in batches}
    assert build_process in by and len(by) == 2
    from studypack.load import load_pack
    from studypack.load.equations import formulas

    keys = {(f.display_mathml if display else f.mathml, display) for f, display in formulas(load_pack(PHYSICS, Report()))}
    assert sum(int(n) for _, n in batches) == len(keys)  # each equation once
