"""What tagging (PDF/UA) costs: handout and flashcards builds here vs an untagged revision (prints figures; not a test).

    python benchmarks/tagging.py --base a9327d7        # 1x and 100x of the sample
    python benchmarks/tagging.py --base a9327d7 --quick

Each build runs in a fresh process, the two versions interleaved; the figure is the median
CPU time of the build (user + system), because the machines here are shared and wall time
swings by 2x between runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from bench import REPO, make_pack


def cpu_of_build(src: Path, pack: Path, out: Path, only: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(src), SOURCE_DATE_EPOCH="1700000000")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "studypack", "build", str(pack), "--only", only, "--force", "-q",
                    "--out", str(out)], env=env, check=True)  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, help="an untagged revision to compare with")
    ap.add_argument("--quick", action="store_true", help="1x only")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    archive = tmp / "base.tar"
    subprocess.run(["git", "-C", str(REPO), "archive", "-o", str(archive), args.base, "src", "themes"], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(tmp / "base", filter="data")
    versions = {"untagged": tmp / "base" / "src", "tagged": REPO / "src"}
    sizes = ((1, 9),) if args.quick else ((1, 9), (100, 2))
    for factor, runs in sizes:
        pack = make_pack(tmp / f"x{factor}", factor)
        for only in ("handout", "cards"):
            times: dict[str, list[float]] = {v: [] for v in versions}
            for _ in range(runs):
                for name, src in versions.items():
                    times[name].append(cpu_of_build(src, pack, tmp / name, only))
            u, t = statistics.median(times["untagged"]), statistics.median(times["tagged"])
            print(f"{factor}x {only}: untagged {u:.2f} s, tagged {t:.2f} s CPU: tagging {100 * (t - u) / u:+.1f}%",
                  flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
