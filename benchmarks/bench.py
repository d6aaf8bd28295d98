"""Size-parameterised benchmark of `studypack build` (prints figures; not a test).

    python benchmarks/bench.py             # 1x, 10x, 100x of the sample; all outputs and each alone
    python benchmarks/bench.py --compare   # also the bare floor (reportlab + python-pptx) and pandoc
    python benchmarks/bench.py --quick     # 1x and 10x only, fewer runs
    python benchmarks/bench.py --check-only  # `check` against `build --force` on the sample
    python benchmarks/bench.py --math      # the 40-equation pack against the sample, with an
                                           # empty math cache (cold) and a filled one (warm);
                                           # the sample imports no math library
    python benchmarks/bench.py --math --baseline REV   # also the sample against commit REV

Every build runs in a fresh process (import time counts), timed as a median wall time;
peak RSS comes from the child's rusage. Goals (issue 9) are checked as ratios measured in
the same run, because machines here are noisy.
"""

from __future__ import annotations

import argparse
import compileall
import copy
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "content" / "japan-us-security-treaty"
MATH_PACK = REPO / "benchmarks" / "math-40"
MATH_LIBRARIES = ("latex2mathml", "ziamath", "svglib", "resvg_py", "aggdraw")
OUTPUTS = ("handout", "deck", "cards", "csv")


def make_pack(folder: Path, factor: int, variant: int | None = None) -> Path:
    """The sample's content repeated `factor` times, with numbered titles and terms.

    With a `variant`, every sentence carries that number, so packs of one size share no
    text (as different courses would not) and no cache carries over from one to the next.
    """
    data = yaml.safe_load((SAMPLE / "pack.yaml").read_text(encoding="utf-8"))
    if variant is not None:
        data = _tagged(data, f" [{variant}]")
    sections, glossary, cards = [], [], []
    for i in range(1, factor + 1):
        suffix = "" if i == 1 else f" ({i})"

        def renamed(section: dict, suffix: str = suffix) -> dict:
            s = copy.deepcopy(section)
            s["title"] += suffix
            s["sections"] = [renamed(sub) for sub in section.get("sections", [])]
            return s

        sections += [renamed(s) for s in data["sections"]]
        for term in data.get("glossary", []):
            t = copy.deepcopy(term)
            t["term"] += suffix
            t["see"] = [name + suffix for name in term.get("see", [])]
            glossary.append(t)
        cards += copy.deepcopy(data.get("cards", []))
    data.update(sections=sections, glossary=glossary, cards=cards, title=f"{data['title']} x{factor}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if (SAMPLE / "images").is_dir():
        shutil.copytree(SAMPLE / "images", folder / "images", dirs_exist_ok=True)
    return folder


_KEEP = {"see", "term", "image", "alt", "theme", "language", "date", "slug"}  # references and codes


def _tagged(value, tag: str):
    if isinstance(value, str):
        return value + tag if value.strip() else value
    if isinstance(value, list):
        return [_tagged(v, tag) for v in value]
    if isinstance(value, dict):
        return {k: v if k in _KEEP else _tagged(v, tag) for k, v in value.items()}
    return value


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one child process; fails loudly if it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{stderr}")
    return wall, usage.ru_maxrss / 1024


def median_run(cmd: list[str], runs: int) -> tuple[float, float]:
    results = [timed(cmd) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def build_cmd(pack: Path, out: Path, only: str | None = None, jobs: int | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "studypack", "build", str(pack), "--out", str(out), "--force", "-q"]
    if only:
        cmd += ["--only", only]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    return cmd


def counts(folder: Path) -> dict[str, int]:
    from pypdf import PdfReader

    out: dict[str, int] = {}
    if (folder / "handout.pdf").exists():
        out["pages"] = len(PdfReader(folder / "handout.pdf").pages)
    if (folder / "deck.pptx").exists():
        with zipfile.ZipFile(folder / "deck.pptx") as z:
            out["slides"] = sum(1 for n in z.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml"))
    if (folder / "cards.csv").exists():
        import csv

        with open(folder / "cards.csv", encoding="utf-8", newline="") as f:
            out["cards"] = sum(1 for _ in csv.reader(f)) - 1
    return out


FLOOR = r'''
import sys, yaml
from io import BytesIO
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import SimpleDocTemplate, Paragraph, ListFlowable
from xml.sax.saxutils import escape
from pptx import Presentation
data = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
styles = getSampleStyleSheet()
story = []
prs = Presentation()
def points(ps):
    return [p for p in ps if isinstance(p, str)]
def walk(sections, level=1):
    for s in sections:
        story.append(Paragraph(escape(s["title"]), styles["Heading%d" % min(level, 3)]))
        if s.get("summary"):
            story.append(Paragraph(escape(s["summary"]), styles["BodyText"]))
        ps = points(s.get("points", []))
        story.append(ListFlowable([Paragraph(escape(p), styles["BodyText"]) for p in ps], bulletType="bullet"))
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = s["title"]
        slide.placeholders[1].text_frame.text = "\n".join(ps)
        walk(s.get("sections", []), level + 1)
walk(data["sections"])
for t in data.get("glossary", []):
    story.append(Paragraph("<b>%s</b> %s" % (escape(t["term"]), escape(t["definition"])), styles["BodyText"]))
SimpleDocTemplate(BytesIO()).build(story)
prs.save(BytesIO())
'''


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--compare", action="store_true", help="also time the bare floor and pandoc")
    ap.add_argument("--quick", action="store_true", help="1x and 10x only, 3 runs")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--jobs-only", action="store_true", help="only the 8-pack --jobs comparison")
    ap.add_argument("--check-only", action="store_true", help="only `check` against `build --force`")
    ap.add_argument("--math", action="store_true", help="only the 40-equation pack against the sample")
    ap.add_argument("--baseline", metavar="REV", help="with --math: also the sample built by commit REV")
    args = ap.parse_args()
    if args.check_only:
        compileall.compile_dir(REPO / "src" / "studypack", quiet=1)
        check_ratio(args.runs)
        return
    if args.math:
        compileall.compile_dir(REPO / "src" / "studypack", quiet=1)
        math_ratio(args.runs, args.baseline)
        return
    runs = 3 if args.quick else args.runs
    factors = () if args.jobs_only else (1, 10) if args.quick else (1, 10, 100)
    # Time studypack as pip installs it, with its modules compiled to bytecode: an editable
    # checkout under PYTHONDONTWRITEBYTECODE would otherwise recompile them in every process.
    compileall.compile_dir(REPO / "src" / "studypack", quiet=1)
    tmp = Path(tempfile.mkdtemp(prefix="studypack-bench-"))
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {sys.platform}; runs per figure: {runs}")
    results: dict[int, float] = {}
    floor: dict[int, float] = {}
    for factor in factors:
        pack = make_pack(tmp / f"x{factor}" / "src" / "pack", factor)
        out = tmp / f"x{factor}" / "out"
        n = runs if factor < 100 else max(1, runs // 2)
        wall, rss = median_run(build_cmd(pack, out), n)
        results[factor] = wall
        c = counts(out / "pack")
        line = f"{factor:>4}x all outputs: {wall:7.2f} s, peak {rss:6.0f} MiB; " + ", ".join(f"{v} {k}" for k, v in c.items())
        if c.get("slides"):
            line += f"; {1000 * wall / c['slides']:.2f} s per 1,000 slides"
        if c.get("pages"):
            line += f"; {100 * wall / c['pages']:.2f} s per 100 pages"
        print(line)
        for only in OUTPUTS:
            w, r = median_run(build_cmd(pack, tmp / f"x{factor}" / f"out-{only}", only), n)
            print(f"       {only:<8} alone: {w:7.2f} s, peak {r:6.0f} MiB")
        if args.compare and factor <= 100:
            script = tmp / "floor.py"
            script.write_text(FLOOR)
            fw, fr = median_run([sys.executable, str(script), str(pack / "pack.yaml")], n)
            floor[factor] = fw
            print(f"       bare floor (platypus + python-pptx, no theme/TOC/fit): {fw:7.2f} s, peak {fr:6.0f} MiB")
            if shutil.which("pandoc"):
                md = tmp / f"x{factor}" / "pack.md"
                md.write_text(_markdown(pack / "pack.yaml"), encoding="utf-8")
                pw, _ = median_run(["pandoc", str(md), "-o", str(tmp / f"x{factor}" / "p.pptx")], n)
                print(f"       pandoc md->pptx: {pw:7.2f} s")

    # Incremental and parallel figures, on the 1x pack.
    pack1 = make_pack(tmp / "x1" / "src" / "pack", 1)
    out1 = tmp / "incr"
    timed(build_cmd(pack1, out1))
    noop = [sys.executable, "-m", "studypack", "build", str(pack1), "--out", str(out1), "-q"]
    nw, _ = median_run(noop, runs)
    print(f"no-change rebuild of 1x: {nw:.2f} s")
    speedups = {}
    for label, variant in (("8 different packs", True), ("8 copies of the sample", False)):
        many = tmp / ("different" if variant else "copies")
        packs = [make_pack(many / f"p{i}", 1, i if variant else None) for i in range(8)]
        seq = [sys.executable, "-m", "studypack", "build", *map(str, packs), "--out", str(many / "out"), "--force", "-q", "--jobs", "1"]
        par = seq[:-1] + ["2"]
        pairs = [(timed(seq)[0], timed(par)[0]) for _ in range(runs)]  # interleaved: drift hits both alike
        sw = statistics.median(p[0] for p in pairs)
        pw = statistics.median(p[1] for p in pairs)
        speedups[label] = sw / pw
        print(f"{label}: --jobs 1 {sw:.2f} s, --jobs 2 {pw:.2f} s, speed-up {sw / pw:.2f}x")

    print("goals:")
    if 10 in results:
        print(f"  10x / 1x = {results[10] / results[1]:.2f} (goal <= 10.5)")
    if 100 in results:
        print(f"  100x all outputs = {results[100]:.2f} s (goal < 15 s)")
    if 1 in floor:
        print(f"  1x / bare floor = {results[1] / floor[1]:.2f} (goal <= 1.5)")
    print(f"  no-change rebuild = {nw:.2f} s (goal < 0.2 s)")
    for label, speedup in speedups.items():
        print(f"  {label}, --jobs 2 / --jobs 1 = {speedup:.2f}x (goal >= 1.7x)")
    shutil.rmtree(tmp, ignore_errors=True)


def check_ratio(runs: int) -> None:
    """`check` plans every output and draws none: it should take at most 2/3 of `build --force`."""
    tmp = Path(tempfile.mkdtemp(prefix="studypack-bench-"))
    build = [sys.executable, "-m", "studypack", "build", str(SAMPLE), "--out", str(tmp), "--force", "-q"]
    check = [sys.executable, "-m", "studypack", "check", str(SAMPLE), "-q"]
    timed(build)
    pairs = [(timed(build)[0], timed(check)[0]) for _ in range(runs)]  # interleaved: drift hits both alike
    ratios = sorted(b / c for b, c in pairs)
    bw, cw = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
    print(f"sample: build --force {bw:.2f} s, check {cw:.2f} s; build/check per pair "
          f"{ratios[0]:.2f}..{ratios[-1]:.2f}, median {statistics.median(ratios):.2f}x (goal >= 1.5x)")
    shutil.rmtree(tmp, ignore_errors=True)


def math_ratio(runs: int, baseline: str | None) -> None:
    """The 40-equation pack's `build --force` against the sample's (goal < 2x), as pairs run
    one after the other, twice: cold (every build with an empty math cache: a fresh
    XDG_CACHE_HOME) and warm (the cache a first build filled, as when rebuilding after an
    edit); then each output of the math pack alone, cold and warm; the sample's build must load
    no math library; with a baseline revision, the sample built by this checkout against the
    same build by that revision."""
    tmp = Path(tempfile.mkdtemp(prefix="studypack-bench-"))
    sample = [sys.executable, "-m", "studypack", "build", str(SAMPLE), "--out", str(tmp / "s"), "--force", "-q"]
    maths = [sys.executable, "-m", "studypack", "build", str(MATH_PACK), "--out", str(tmp / "m"), "--force", "-q"]
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {sys.platform}; pairs: {runs}")
    warm = {**os.environ, "XDG_CACHE_HOME": str(tmp / "warm-cache")}
    cold_dirs = iter(range(10**6))

    def cold() -> dict[str, str]:
        return {**os.environ, "XDG_CACHE_HOME": str(tmp / f"cold-cache-{next(cold_dirs)}")}

    _wall_and_cpu(sample, warm), _wall_and_cpu(maths, warm)  # warm the file cache and the math cache
    c = counts(tmp / "m" / "math-40")
    print(f"math-40: {c.get('pages')} pages, {c.get('slides')} slides, 40 display equations")
    for label, env in (("cold", cold), ("warm", lambda: warm)):
        # interleaved: drift hits both alike
        pairs = [(_wall_and_cpu(maths, env()), _wall_and_cpu(sample, env())) for _ in range(runs)]
        for i, what in enumerate(("wall", "CPU")):
            ratios = sorted(m[i] / s[i] for m, s in pairs)
            mw, sw = statistics.median(p[0][i] for p in pairs), statistics.median(p[1][i] for p in pairs)
            print(f"  {label} {what:<4} math-40 {mw:.2f} s, sample {sw:.2f} s; math-40/sample per pair "
                  f"{ratios[0]:.2f}..{ratios[-1]:.2f}, median {statistics.median(ratios):.2f}x (goal < 2x)")
    for only in ("handout", "deck", "cards", "anki"):
        math_only = maths + ["--only", only]
        sample_only = sample + ["--only", only]
        row = []
        for label, env in (("cold", cold), ("warm", lambda: warm)):
            pairs = [(_wall_and_cpu(math_only, env())[0], _wall_and_cpu(sample_only, env())[0]) for _ in range(runs)]
            mw, sw = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
            row.append(f"{label} {mw:.2f} s vs sample {sw:.2f} s ({mw / sw:.2f}x)")
        print(f"  {only:<8} alone: " + "; ".join(row))
    loaded = _math_modules_loaded(SAMPLE, tmp / "i")
    print(f"math libraries the sample's build imports: {loaded or 'none'} (goal: none)")
    if baseline:
        old = tmp / "baseline"
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(REPO), "archive", baseline], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
        compileall.compile_dir(old / "src" / "studypack", quiet=1)
        env = {**os.environ, "PYTHONPATH": str(old / "src")}
        here = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        pairs = [(_timed_env(sample, here), _timed_env(sample, env)) for _ in range(runs)]
        ratios = sorted(n / o for n, o in pairs)
        nw, ow = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
        print(f"sample: this checkout {nw:.2f} s, {baseline} {ow:.2f} s; now/then per pair "
              f"{ratios[0]:.2f}..{ratios[-1]:.2f}, median {statistics.median(ratios):.2f}x")
    shutil.rmtree(tmp, ignore_errors=True)


def _wall_and_cpu(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, the workers it waited for included)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def _timed_env(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _math_modules_loaded(pack: Path, out: Path) -> list[str]:
    """The math libraries in sys.modules after building every output of `pack` in one process."""
    code = (
        "import sys; from pathlib import Path; "
        "from studypack.build import BuildOptions, build_pack; from studypack.outputs import OUTPUTS; "
        f"build_pack(Path({str(pack)!r}), BuildOptions(out=Path({str(out)!r}), only=tuple(OUTPUTS), force=True), 1); "
        f"print(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({MATH_LIBRARIES!r}))))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [m for m in proc.stdout.strip().split(",") if m]


def _markdown(pack_yaml: Path) -> str:
    data = yaml.safe_load(pack_yaml.read_text(encoding="utf-8"))
    lines = [f"% {data['title']}", ""]

    def walk(sections, level=1):
        for s in sections:
            lines.append("#" * level + " " + s["title"])
            lines.extend(f"- {p}" for p in s.get("points", []) if isinstance(p, str))
            lines.append("")
            walk(s.get("sections", []), level + 1)

    walk(data["sections"])
    return "\n".join(lines)


if __name__ == "__main__":
    main()
