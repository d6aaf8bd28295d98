"""The math cache's correctness (its timings are in benchmarks/bench.py --math, not here)."""

from __future__ import annotations

import io
import os
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from studypack.errors import Report, Span
from studypack.math import cache, parse, prune
from studypack.math import typeset as ts

PHYSICS = Path(__file__).resolve().parents[1] / "content" / "physics-kinematics"


def formula(latex: str):
    result = parse(latex, Span("math"), Report())
    assert result is not None
    return result


def forget() -> None:
    """Empties the in-process caches, so the next call reads the disk (or computes)."""
    for fn in (ts._typeset_at_base, ts._typeset, ts._colored, ts._png, ts._outlines, ts._shapes):
        fn.cache_clear()


def entries(root: Path, suffix: str) -> set[Path]:
    return set((root / "studypack" / "math").rglob(f"*{suffix}"))


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv(cache.ENV_DISABLE, raising=False)
    monkeypatch.delenv(prune.ENV_LIMIT, raising=False)
    prune._checked.clear()
    forget()
    yield tmp_path
    forget()


def test_typesetting_is_stored_under_the_user_cache_and_read_back_the_same(cache_home):
    f = formula(r"\frac{a}{b} + \sqrt{x}")
    first = ts.typeset(f, 13.5, display=True)
    stored = entries(cache_home, ".json")
    assert len(stored) == 1
    forget()
    again = ts.typeset(f, 13.5, display=True)
    assert again == first
    assert entries(cache_home, ".json") == stored  # read, not made again


def test_a_damaged_entry_is_ignored_and_made_again(cache_home):
    f = formula(r"\sum_{k=1}^n k^2")
    first = ts.typeset(f, 12)
    (entry,) = entries(cache_home, ".json")
    for damage in (b"", b"garbage", entry.read_bytes()[:-10], entry.read_bytes()[:32] + b"{}"):
        entry.write_bytes(damage)
        forget()
        assert ts.typeset(f, 12) == first
        assert cache.get(entry.stem, ".json") is not None  # written whole again
    for payload in (b"{not json", b'{"svg": 1, "box": [1, 2]}', b"[]"):  # whole, but wrong
        cache.put(entry.stem, ".json", payload)
        forget()
        assert ts.typeset(f, 12) == first


def test_a_damaged_picture_is_ignored_and_made_again(cache_home):
    from PIL import Image

    f = formula(r"x^2")
    png = ts.to_png(f, 20, dpi=144)
    (entry,) = entries(cache_home, ".png")
    entry.write_bytes(entry.read_bytes()[:100])
    forget()
    assert ts.to_png(f, 20, dpi=144) == png
    Image.open(io.BytesIO(entry.read_bytes()[32 + 32 :])).verify()  # digest, the picture's box, PNG


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


def fill(count: int, size: int = 100_000) -> list[Path]:
    """`count` entries of `size` bytes, oldest first: the i-th last modified count - i days ago."""
    now = time.time()
    paths = []
    for i in range(count):
        name = cache.key("filler", i)
        cache.put(name, ".png", bytes([i]) * size)
        path = cache.folder() / name[:2] / f"{name}.png"
        os.utime(path, (now - (count - i) * DAY, now - (count - i) * DAY))
        paths.append(path)
    return paths


def disk_use(paths) -> int:
    """Bytes the files take on disk, as `du` counts them."""
    return sum(max(p.stat().st_size, p.stat().st_blocks * 512) for p in paths)


def build_adds_an_entry(name: str = "new") -> Path:
    """What a later build does: its first write may prune (the in-process check forgotten)."""
    prune._checked.clear()
    cache.put(cache.key(name), ".json", b"{}")
    return cache.folder() / cache.key(name)[:2] / f"{cache.key(name)}.json"


def test_over_the_limit_the_least_recently_used_entries_go_until_under_80_percent(cache_home):
    paths = fill(20)  # 2 MB
    sizes = {p: disk_use([p]) for p in paths}
    prune.prune(cache.folder(), 1_000_000)
    kept = [p for p in paths if p.exists()]
    assert kept == paths[len(paths) - len(kept) :]  # the newest, the oldest removed
    assert 0 < disk_use(kept) < 800_000
    assert sum(sizes[p] for p in paths[-len(kept) - 1 :]) >= 800_000  # none removed needlessly


def test_entries_read_recently_survive_a_prune(cache_home):
    paths = fill(20)
    for path in paths[:3]:  # the oldest, read by this build
        assert cache.get(path.stem, ".png") is not None
    prune.prune(cache.folder(), 1_000_000)
    assert all(p.exists() for p in paths[:3])
    assert not paths[3].exists()


def test_a_read_refreshes_an_entry_at_most_once_a_day(cache_home):
    (path,) = fill(1)  # a day old: refreshed
    cache.get(path.stem, ".png")
    assert time.time() - path.stat().st_mtime < 60
    hours_ago = time.time() - 2 * 3600
    os.utime(path, (hours_ago, hours_ago))
    cache.get(path.stem, ".png")
    assert path.stat().st_mtime == hours_ago  # not written to on every read


def test_a_build_prunes_at_most_once_a_day_and_the_limit_comes_from_the_environment(
    cache_home, monkeypatch
):
    monkeypatch.setenv(prune.ENV_LIMIT, "1")
    paths = fill(20)  # its first write pruned the empty folder and stamped it
    assert build_adds_an_entry("second").exists()
    assert all(p.exists() for p in paths)  # stamped today: over the limit until tomorrow
    stamp = cache.folder() / prune.STAMP
    os.utime(stamp, (time.time() - DAY - 60,) * 2)
    new = build_adds_an_entry("third")
    assert new.exists() and paths[-1].exists() and not paths[0].exists()
    assert disk_use(entries(cache_home, ".png") | entries(cache_home, ".json")) < 800_000
    assert time.time() - stamp.stat().st_mtime < 60


def test_a_limit_of_zero_keeps_everything(cache_home, monkeypatch):
    monkeypatch.setenv(prune.ENV_LIMIT, "0")
    paths = fill(20)
    os.utime(cache.folder() / prune.STAMP, (0, 0))
    build_adds_an_entry()
    assert all(p.exists() for p in paths)


def test_temp_files_of_killed_builds_go_and_symlinks_are_not_followed(cache_home, tmp_path):
    (path,) = fill(1)
    old, fresh = path.parent / ".tmp-killed", path.parent / ".tmp-writing"
    for temp in (old, fresh):
        temp.write_bytes(b"half")
    os.utime(old, (time.time() - 2 * 3600,) * 2)
    outside = tmp_path / "outside"
    outside.mkdir()
    mine = outside / "mine.png"
    mine.write_bytes(b"x" * 100_000)
    os.utime(mine, (0, 0))
    (path.parent / "link.png").symlink_to(mine)
    (cache.folder() / "zz").symlink_to(outside)
    prune.prune(cache.folder(), 1)  # everything that may go, goes
    assert not old.exists() and fresh.exists() and not path.exists()
    assert mine.exists() and (path.parent / "link.png").is_symlink()
    prune.prune(tmp_path / "missing", 1)  # nothing to prune: no error either


def test_a_prune_racing_a_reader_makes_it_read_missing_never_raise(cache_home):
    paths = fill(30, 10_000)
    payloads = {p.stem: p.read_bytes()[32:] for p in paths}
    seen, errors, done = set(), [], threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                for name, payload in payloads.items():
                    got = cache.get(name, ".png")
                    assert got in (None, payload)
                    seen.add(got is None)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        rounds, give_up = 0, time.monotonic() + 20
        while (rounds < 40 or True not in seen) and time.monotonic() < give_up:
            prune.prune(cache.folder(), 1)
            for name, payload in payloads.items():
                cache.put(name, ".png", payload)
            rounds += 1
    finally:
        done.set()
        reader.join()
    assert not errors
    assert True in seen  # the reader did meet removed entries


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
    assert lines[2:] == ["0 0 m", "4 0 l", "5.333 -4 6.667 -4 8 0 c", "h", "f"]
    for other in (
        '<path d="m 0 0 l 4 0 z"/>',  # relative commands
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

    drawing = ts.to_drawing(formula(r"\frac{a^2}{\sqrt{b}}"), 15)
    boxes = []
    for draw in (
        lambda c: drawing.draw_on(c, 100, 100),
        lambda c: renderPDF.draw(drawing, c, 100, 100),
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
    assert 100 <= x0 and x1 <= 100 + drawing.width + 0.5


LATEX_TO_COMPARE = [
    r"\left( \frac{a}{b} \right)^2 + |x| + \|v\|", r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}",
    r"\{ x \mid x > 0 \} \cup \langle u, v \rangle", r"\left. \frac{df}{dx} \right|_{x=0}",
    r"\sqrt[3]{\frac{1}{1+\frac{1}{x}}} = \sum_{i=1}^{n} \left( i^2 \right)",
    r"\overbrace{a+b}^{n} \underbrace{x+y}_{m} \xrightarrow{k} \widehat{xyz}",
    r"x_{n+1} = x_n - \frac{f(x_n)}{f'(x_n)}", r"\int_0^\infty e^{-x^2}\,dx = \frac{\sqrt{\pi}}{2}",
    r"\begin{aligned} a &= b + c \\ d &= \left[ e \right] \end{aligned}", r"E = mc^2",
    r"\mathbf{A}\vec{x} = \lambda\vec{x}, \quad \hat{H}\psi = E\psi", r"a \, b \; c \quad d \qquad e",
]  # fmt: skip


def test_ziamath_patched_for_speed_writes_what_ziamath_writes(monkeypatch):
    """Every speed-up made to ziamath's internals leaves its SVGs byte-identical."""
    monkeypatch.setenv(cache.ENV_DISABLE, "1")
    ts._ziamath_module()
    assert len(ts.STOCK) >= 5, "the patches are applied to the ziamath version read"
    mathml = [(f.mathml, f.display_mathml) for f in map(formula, LATEX_TO_COMPARE)]
    ours = [ts._ziamath(m, display).svg for pair in mathml for display, m in enumerate(pair)]
    for (owner, name), stock in ts.STOCK.items():
        monkeypatch.setattr(owner, name, stock)
    theirs = [ts._ziamath(m, display).svg for pair in mathml for display, m in enumerate(pair)]
    assert ours == theirs


def test_rows_skip_the_unstretched_layout_only_where_nothing_stretches(monkeypatch):
    """ziamath's first layout pass of a row is run only where something in it stretches."""
    monkeypatch.setenv(cache.ENV_DISABLE, "1")
    ts._ziamath_module()
    from ziamath.nodes.mrow import Mrow

    key = (Mrow, "_get_height_nostretch")
    passes, rows = [], []
    unstretched, patched = ts.STOCK[key], Mrow._get_height_nostretch
    monkeypatch.setitem(ts.STOCK, key, lambda *a, **k: passes.append(1) or unstretched(*a, **k))
    monkeypatch.setattr(
        Mrow, "_get_height_nostretch", lambda *a, **k: rows.append(1) or patched(*a, **k)
    )
    for f in map(formula, LATEX_TO_COMPARE):
        ts._ziamath(f.display_mathml, True)
    assert 0 < len(passes) < len(rows) / 2  # most rows hold nothing that stretches


def test_a_parallel_build_typesets_each_equation_once(tmp_path):
    """The handout, deck and flashcards need the same equations: built in parallel, each
    equation is typeset once (ahead of the outputs, across the CPUs), never again by an output."""
    import subprocess

    log = tmp_path / "typeset.log"
    script = f"""
import os, sys
from pathlib import Path
import studypack.math.typeset as T
from studypack.build import BuildOptions, build_pack
real = T._ziamath
def logged(mathml, display):
    with open({str(log)!r}, "a") as f:
        f.write(f"{{os.getpid()}} {{hash((mathml, display))}}\\n")
    return real(mathml, display)
T._ziamath = logged
result = build_pack(Path({str(PHYSICS)!r}), BuildOptions(out=Path({str(tmp_path / "out")!r})), 2)
assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
print(len(result.written))
"""
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop(cache.ENV_DISABLE, None)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 4  # handout, deck, cards, csv (at least)
    lines = [line.split() for line in log.read_text().splitlines()]
    keys = [key for _, key in lines]
    assert len(keys) == len(set(keys)), "an equation was typeset twice"
    assert len({pid for pid, _ in lines}) <= 2  # only the processes that typeset ahead
