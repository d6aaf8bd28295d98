"""The one place that runs the stages: load -> theme -> render -> write, per pack, packs in parallel."""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import gc
import hashlib
import json
import multiprocessing
import os
import signal
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

from studypack import __version__, inputs
from studypack.errors import Diagnostic, Report, Span, display_path
from studypack.load import IMPORTED_SUFFIXES, find_packs, load_pack, pack_file, slug_of
from studypack.model import Pack
from studypack.output import remove_stale_temps, write_atomic
from studypack.render import DEFAULT_OUTPUTS, OUTPUTS, renderer
from studypack.theme import DEFAULT_THEME, Theme, load_theme

STATE_FILE = ".studypack-state.json"  # input hashes of the outputs beside it


@dataclass(frozen=True)
class BuildOptions:
    out: Path = Path("build")
    only: tuple[str, ...] = DEFAULT_OUTPUTS
    theme: str | None = None  # --theme beats the pack's `theme:`
    paper: str | None = None  # --paper beats the theme's
    cards_offset: tuple[float, float] | None = None
    jobs: int | None = None
    force: bool = False
    strict: bool = False


@dataclass
class PackResult:
    source: Path
    slug: str | None = None
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    crash: str | None = None  # the traceback of an internal error (a bug in studypack)

    def failed(self, strict: bool) -> bool:
        return self.crash is not None or Report(self.diagnostics).failed(strict)


def default_packs() -> list[Path]:
    return find_packs(Path.cwd() / "content")


def resolve_theme(pack: Pack, options: BuildOptions, report: Report) -> Theme | None:
    """The pack's theme (or --theme), with command-line overrides applied."""
    if options.theme is not None:
        theme = load_theme(options.theme, report, Span("--theme"))
    else:
        span = pack.theme_span if pack.theme else None
        theme = load_theme(pack.theme or DEFAULT_THEME, report, span, relative_to=pack.root)
    if theme is None:
        return None
    from studypack.theme_check import check_contrast

    for check in check_contrast(theme):  # readable text is part of the theme's job
        if check.failed:
            message = " ".join(check.message.split())
            report.warning(theme.span(check.subject), f"colors.{check.subject}: {message} is below WCAG AA (4.5:1)")
    if options.paper:
        theme = dataclasses.replace(theme, paper=options.paper)
    if options.cards_offset is not None:
        theme = dataclasses.replace(theme, cards=dataclasses.replace(theme.cards, offset=options.cards_offset))
    return theme


def check_pack(arg: Path, options: BuildOptions) -> PackResult:
    """Everything a build would report (fitting and glyph warnings too), nothing written."""
    return build_pack(arg, dataclasses.replace(options, force=True), write=False)


def build_pack(arg: Path, options: BuildOptions, output_jobs: int = 1, write: bool = True) -> PackResult:
    """Build one pack's outputs; nothing is written unless every output rendered cleanly.

    With output_jobs > 1 the outputs render in parallel processes (used when one pack is
    built alone, so a big pack's handout, deck and cards share the CPUs).
    """
    start = time.perf_counter()
    report = Report()
    result = PackResult(pack_file(arg))
    try:
        with inputs.recording() as digests:  # keys from the bytes the outputs are made of
            pack = load_pack(arg, report)
            theme = resolve_theme(pack, options, report) if pack is not None else None
        if pack is None or theme is None:
            return result
        result.slug = pack.slug
        folder = options.out / pack.slug
        state = _read_state(folder)
        keys: dict[str, str] = {}
        todo: list[str] = []
        for name in options.only:
            target = folder / OUTPUTS[name].filename
            keys[name] = _input_key(name, pack, theme, digests)
            if not options.force and state.get(name) == keys[name] and target.is_file():
                result.unchanged.append(target)
            else:
                todo.append(name)
        if not todo and write:  # checked and up to date: a cheap guess of later builds (_may_render)
            with contextlib.suppress(OSError):
                os.utime(folder / STATE_FILE)
        rendered = _render_all(todo, pack, theme, report, output_jobs, folder)
        if report.failed(options.strict) or not write:
            return result
        _write(folder, rendered, keys, result, report)
    finally:
        result.diagnostics = report.sorted()
        result.seconds = time.perf_counter() - start
    return result


# Slowest first, so the longest job starts at once; cheap ones run in this process.
_COST_ORDER = ("deck", "handout", "cards", "anki", "csv")
_CHEAP = {"csv", "anki"}
# Outputs that continue their last build (Anki note times), given its bytes as `previous`.
_READS_PREVIOUS = {"anki"}


def _render_one(name: str, pack: Pack, theme: Theme, folder: Path | None = None) -> tuple[bytes, list[Diagnostic]]:
    report = Report()
    if name in _READS_PREVIOUS and folder is not None:
        try:
            previous: bytes | None = (folder / OUTPUTS[name].filename).read_bytes()
        except OSError:
            previous = None
        data = renderer(name)(pack, theme, report, previous=previous)  # type: ignore[call-arg]
    else:
        data = renderer(name)(pack, theme, report)
    return data, report.diagnostics


def _render_all(
    names: list[str], pack: Pack, theme: Theme, report: Report, jobs: int, folder: Path | None = None
) -> dict[str, bytes]:
    """Every output's bytes, in the order asked; diagnostics merged into `report`."""
    ordered = sorted(names, key=lambda n: _COST_ORDER.index(n) if n in _COST_ORDER else 0)
    heavy = [n for n in ordered if n not in _CHEAP]
    results: dict[str, tuple[bytes, list[Diagnostic]]] = {}
    if jobs > 1 and len(heavy) > 1:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(jobs, len(heavy)), context, _die_with_parent) as pool:
            futures = {n: pool.submit(_render_one, n, pack, theme) for n in heavy}
            for n in ordered:
                if n in _CHEAP:
                    results[n] = _render_one(n, pack, theme, folder)
            for n, future in futures.items():
                results[n] = future.result()
    else:
        for n in ordered:
            results[n] = _render_one(n, pack, theme, folder)
    rendered: dict[str, bytes] = {}
    for n in names:
        data, diagnostics = results[n]
        report.extend(diagnostics)
        rendered[n] = data
    return rendered


def _write(folder: Path, rendered: dict[str, bytes], keys: dict[str, str], result: PackResult, report: Report) -> None:
    try:
        remove_stale_temps(folder)
        for name, data in rendered.items():
            target = folder / OUTPUTS[name].filename
            write_atomic(target, data)
            result.written.append(target)
        if rendered:  # read again: a build with other --only may have written its keys meanwhile
            state = _read_state(folder) | {name: keys[name] for name in rendered}
            write_atomic(folder / STATE_FILE, json.dumps(state, indent=1, sort_keys=True).encode())
    except OSError as e:
        where = e.filename or folder
        report.error(Span(str(where)), f"cannot write output: {e.strerror or e}")


def _read_state(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / STATE_FILE).read_text())
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


# Resolved-theme settings an output never reads, so `--paper a4` rebuilds no deck and
# `--cards-offset` only the flashcards. (An edited theme file still rebuilds everything.)
_UNREAD = {
    "handout": ("slides", "cards"),
    "deck": ("paper", "cards"),
    "cards": ("slides",),
    "anki": ("paper", "cards", "logo", "header", "footer"),
}


def _input_key(name: str, pack: Pack, theme: Theme, digests: inputs.Digests) -> str:
    """Hash of everything an output depends on: version, sources, images, theme files, options."""
    h = hashlib.sha256()
    if name == "csv":  # plain text: no theme at all
        themed, theme_files = "", []
    else:
        themed = repr(dataclasses.replace(theme, **dict.fromkeys(_UNREAD.get(name, ()))))
        theme_files = [*theme.files, *(p for p in (theme.logo, theme.slides.template) if p is not None)]
        theme_files += [Path(f) for f in (theme.fonts.heading, theme.fonts.body) if os.path.isabs(f)]
    h.update(f"{__version__}\0{name}\0{pack.build_time().isoformat()}\0{themed}\0".encode())
    files = [pack.source, *pack.extra_inputs, *(i.path for i in pack.images()), *theme_files]
    for path in files:  # resolved: `build content/x` and `build $PWD/content/x/pack.yaml` agree
        h.update(str(path.resolve()).encode() + b"\0")
        try:
            h.update(inputs.digest(path, digests))
        except OSError:
            h.update(b"missing")
    return h.hexdigest()


def _die_with_parent() -> None:
    """Worker start-up: end with the build process, however it ends (Ctrl-C, kill, timeout)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent is already gone
        os._exit(1)


@contextmanager
def _renderers_shared(names: tuple[str, ...]) -> Iterator[None]:
    """Renderers imported once, before forking: workers share the modules' pages instead of each
    importing them while the other does (slower on a busy machine). Frozen, the imported objects
    are skipped by the workers' collections, which would otherwise write to (and copy) those pages."""
    for name in names:
        renderer(name)
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _may_render(args: list[Path], options: BuildOptions) -> bool:
    """A cheap guess (no loading) whether any output will be rendered: one is missing, or a
    file of its pack is newer. A wrong guess costs time, not correctness: the input keys decide."""
    if options.force:
        return True
    for arg in args:
        folder = options.out / slug_of(arg)
        state = _read_state(folder)
        try:
            built = (folder / STATE_FILE).stat().st_mtime
        except OSError:
            return True
        if any(name not in state or not (folder / OUTPUTS[name].filename).is_file() for name in options.only):
            return True
        source = pack_file(arg)
        if source.suffix.lower() in IMPORTED_SUFFIXES:  # an outline stands alone in its folder
            if source.stat().st_mtime > built:
                return True
        elif _newest_file(source.parent) > built:
            return True
    return False


def _newest_file(folder: Path) -> float:
    """The latest mtime of the files in a pack folder, hidden folders (.git) left out."""
    newest = 0.0
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            newest = max(newest, os.stat(os.path.join(root, name)).st_mtime)
    return newest


def _distinct(args: list[Path]) -> tuple[list[Path], list[PackResult]]:
    """The same pack named twice builds once; two packs with one slug would overwrite each other."""
    by_slug: dict[str, Path] = {}
    keep: list[Path] = []
    clashes: list[PackResult] = []
    for arg in args:
        source = pack_file(arg)
        slug = slug_of(arg)
        first = by_slug.setdefault(slug, source)
        if first.resolve() == source.resolve():
            if source.resolve() not in {pack_file(a).resolve() for a in keep}:
                keep.append(arg)
            continue
        message = f"pack '{slug}' would overwrite the outputs of {display_path(first)}; rename one of the folders"
        clashes.append(PackResult(source, None, diagnostics=[Diagnostic(str(source), 0, 0, "error", message)]))
    return keep, clashes


def run_all(args: list[Path], options: BuildOptions, check_only: bool = False, on_result=None) -> list[PackResult]:
    """Build (or check) several packs, in parallel processes when there are several.

    A pack that crashes becomes a result of its own and the others still build. An interrupt
    (Ctrl-C) stops the workers at once; unfinished packs keep their earlier outputs."""
    jobs = options.jobs or os.cpu_count() or 1
    args, results = _distinct(args)

    def done(result: PackResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    for result in list(results):
        if on_result:
            on_result(result)
    if len(args) <= 1 or jobs <= 1:
        for arg in args:  # one pack alone renders its outputs in parallel instead
            done(_guarded(arg, options, check_only, jobs))
        return results
    shared = _renderers_shared(options.only) if check_only or _may_render(args, options) else nullcontext()
    with shared:
        pool = ProcessPoolExecutor(min(jobs, len(args)), multiprocessing.get_context("fork"), _die_with_parent)
        try:
            for result in pool.map(_guarded, args, repeat(options), repeat(check_only), repeat(1)):
                done(result)
        except BaseException:
            _stop(pool)
            raise
        pool.shutdown()
    return results


def _guarded(arg: Path, options: BuildOptions, check_only: bool, output_jobs: int) -> PackResult:
    """One pack's build or check; a crash becomes its result, so the other packs go on."""
    try:
        return check_pack(arg, options) if check_only else build_pack(arg, options, output_jobs)
    except Exception:  # noqa: BLE001 - reported for this pack as an internal error (exit 70)
        return PackResult(pack_file(arg), crash=traceback.format_exc())


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the workers now rather than let them finish the queue (Python 3.14 has
    terminate_workers(); before it, the processes are only reachable as _processes)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()
