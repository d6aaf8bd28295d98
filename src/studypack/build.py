"""The one place that runs the stages: load -> theme -> plan -> draw -> write, per pack, packs in parallel."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import os
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

from studypack import __version__, inputs
from studypack.ahead import Ahead, can_fork, pool, spare_processes
from studypack.errors import EXIT_INTERNAL, EXIT_PROBLEMS, Diagnostic, Report, Span, display_path
from studypack.fonts import PDF_FAMILIES, family_files
from studypack.load import IMPORTED_SUFFIXES, find_packs, load_pack, pack_file, slug_of
from studypack.model import LATEST_EPOCH, Pack
from studypack.output import locked, remove_stale_temps, write_all
from studypack.outputs import DEFAULT_OUTPUTS, OUTPUTS, Output, no_gc
from studypack.theme import DEFAULT_THEME, Theme, load_theme
from studypack.theme.contrast import check_contrast

if TYPE_CHECKING:  # the math engine is imported only for a pack with equations
    from studypack.math.typeset import Key, Typeset

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
    accessibility: bool = False  # also report what an accessibility checker would flag


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

    @property
    def name(self) -> str:
        return self.slug or display_path(self.source)

    def outcome(self, strict: bool, check_only: bool) -> str:
        """One line on how it went: what was written, or that it failed."""
        if self.crash is not None:
            cause = self.crash.rstrip().splitlines()[-1]
            return f"{self.name}: internal error: {cause}; run with --debug for the traceback"
        if self.failed(strict):
            return f"{self.name}: failed"
        if check_only:
            return f"{self.name}: ok"
        made = ", ".join(p.name for p in self.written) or "nothing new"
        return f"{self.name}: {made} ({self.seconds:.2f} s)"


@dataclass
class RunResult:
    """What a `build` or `check` of several packs did, with the exit code it earns."""

    packs: list[PackResult]
    options: BuildOptions
    check_only: bool
    seconds: float

    @property
    def failed(self) -> list[PackResult]:
        return [r for r in self.packs if r.failed(self.options.strict)]

    @property
    def exit_code(self) -> int:
        if any(r.crash for r in self.packs):
            return EXIT_INTERNAL
        return EXIT_PROBLEMS if self.failed else 0

    def summary(self) -> str:
        """The run's last line: what was written, where, how long."""
        failed = len(self.failed)
        if self.check_only:
            warnings = sum(d.severity == "warning" for r in self.packs for d in r.diagnostics)
            return f"checked {len(self.packs)} pack(s): {failed} failed, {warnings} warning(s) ({self.seconds:.2f} s)"
        written = sum(len(r.written) for r in self.packs)
        unchanged = sum(len(r.unchanged) for r in self.packs)
        summary = f"wrote {written} file(s) for {len(self.packs) - failed} pack(s) in {display_path(self.options.out)}/"
        if unchanged:
            summary += f", {unchanged} unchanged"
        if failed:
            summary += f"; {failed} pack(s) failed, their outputs left as they were"
        return summary + f" ({self.seconds:.2f} s)"


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
    for check in check_contrast(theme):  # readable text is part of the theme's job
        if check.failed:
            message = " ".join(check.message.split())
            report.warning(theme.span(check.subject), f"colors.{check.subject}: {message} is below WCAG AA (4.5:1)")
    if options.paper:
        theme = dataclasses.replace(theme, paper=options.paper)
    if options.cards_offset is not None:
        theme = dataclasses.replace(theme, cards=dataclasses.replace(theme.cards, offset=options.cards_offset))
    return theme


def check_pack(arg: Path, options: BuildOptions, output_jobs: int = 1) -> PackResult:
    """Everything a build would report (fitting and glyph warnings too): every output planned, none drawn."""
    return build_pack(arg, dataclasses.replace(options, force=True), output_jobs, write=False)


def build_pack(arg: Path, options: BuildOptions, output_jobs: int = 1, write: bool = True) -> PackResult:
    """Build one pack's outputs; nothing is written unless every output was planned and drawn cleanly.

    With output_jobs > 1 the outputs are planned and drawn in parallel processes (used when one
    pack is built alone, so a big pack's handout, deck and cards share the CPUs).
    """
    start = time.perf_counter()
    _usable_source_date_epoch()
    report = Report()
    result = PackResult(pack_file(arg))
    try:
        with inputs.recording() as digests:  # keys from the bytes the outputs are made of
            pack = load_pack(arg, report)
            theme = resolve_theme(pack, options, report) if pack is not None else None
        if pack is None or theme is None:
            return result
        if options.accessibility:  # only `check --accessibility` pays for importing the audit
            from studypack.accessibility import audit

            audit(pack, theme, report)
        result.slug = pack.slug
        folder = options.out / pack.slug
        state = _read_state(folder)
        keys: dict[str, str] = {}
        todo: list[Output] = []
        for name in options.only:
            output = OUTPUTS[name]
            keys[name] = _input_key(output, pack, theme, digests)
            if not options.force and state.get(name) == keys[name] and (folder / output.filename).is_file():
                result.unchanged.append(folder / output.filename)
            else:
                todo.append(output)
        if not todo and write:  # checked and up to date: a cheap guess of later builds (_may_render)
            with contextlib.suppress(OSError):
                os.utime(folder / STATE_FILE)
        drawn = _plan_and_draw(todo, pack, theme, folder, report, options.strict, output_jobs, draw=write)
        if not write:
            return result
        if report.failed(options.strict):
            return result
        _write(folder, drawn, keys, result, report)
    finally:
        result.diagnostics = report.sorted()
        result.seconds = time.perf_counter() - start
    return result


def _previous(folder: Path, output: Output) -> bytes | None:
    """The file an output continues, as the last build left it."""
    if not output.continues:
        return None
    try:
        return (folder / output.filename).read_bytes()
    except OSError:
        return None


def _usable_source_date_epoch() -> None:
    """SOURCE_DATE_EPOCH as every library can read it: reportlab reads it too, and fails on
    text or on times past what zip files record (2107); Pack.build_time ignores text."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return
    if not epoch.strip().isdigit():
        del os.environ["SOURCE_DATE_EPOCH"]
    elif int(epoch) > LATEST_EPOCH:
        os.environ["SOURCE_DATE_EPOCH"] = str(LATEST_EPOCH)


def _plan_and_draw(
    outputs: list[Output], pack: Pack, theme: Theme, folder: Path, report: Report, strict: bool, jobs: int,
    draw: bool = True,
) -> dict[Output, bytes]:  # fmt: skip
    """Every output's bytes, in the order asked; problems merged into `report`. Without `draw`
    (a check) the outputs are only planned, for their problems: the bytes are empty.

    Alone, every output is planned, then (when no plan failed) every one drawn. With jobs > 1
    each costly output is planned and drawn in a process of its own, the costliest started first,
    while the cheap ones (cost 0) are done here: a serial planning stage would keep a CPU idle;
    with one costly output, its equations are typeset across the CPUs before it is made here.
    """
    costly = tuple(o.name for o in outputs if o.cost)
    if jobs > 1 and len(costly) > 1:
        return _in_parallel(outputs, pack, theme, folder, report, jobs, draw)
    if jobs > 1 and costly:  # one costly output: its equations are still typeset across the CPUs first
        _typeset_ahead(pack, jobs, meanwhile=lambda: _import_renderers(costly))
    plans = {output: output.plan(pack, theme, report, _previous(folder, output)) for output in outputs}
    if report.failed(strict) or not draw:
        return {}
    with spare_processes(jobs - 1):  # the other CPUs, for the costly output's pictures
        return {output: output.draw(plan, theme) for output, plan in plans.items()}


def _plan_and_draw_one(
    output: Output, pack: Pack, theme: Theme, folder: Path, draw: bool = True, spare: int = 0
) -> tuple[bytes, list[Diagnostic]]:
    report = Report()
    plan = output.plan(pack, theme, report, _previous(folder, output))
    if report.errors or not draw:
        return b"", report.diagnostics
    with spare_processes(spare):
        return output.draw(plan, theme), report.diagnostics


def _in_parallel(
    outputs: list[Output], pack: Pack, theme: Theme, folder: Path, report: Report, jobs: int, draw: bool
) -> dict[Output, bytes]:
    costly = sorted((o for o in outputs if o.cost), key=lambda o: -o.cost)
    # While other processes start typesetting, this one imports the renderers the outputs' processes then share.
    ahead = _typeset_ahead(pack, jobs, meanwhile=lambda: _import_renderers(tuple(o.name for o in costly)))
    results: dict[Output, tuple[bytes, list[Diagnostic]]] = {}
    with _gc_frozen() if ahead else nullcontext(), pool(min(jobs, len(costly))) as outputs_pool:
        # each may fork one more process for its pictures: the deck's keep it busy after the handout is done
        futures = {o: outputs_pool.submit(_plan_and_draw_one, o, pack, theme, folder, draw, 1) for o in costly}
        for o in outputs:
            if not o.cost:
                results[o] = _plan_and_draw_one(o, pack, theme, folder, draw)
        for o, future in futures.items():
            results[o] = future.result()
    drawn: dict[Output, bytes] = {}
    for o in outputs:
        data, diagnostics = results[o]
        report.extend(diagnostics)
        drawn[o] = data
    return drawn


def _typeset_ahead(pack: Pack, jobs: int, meanwhile: Callable[[], None]) -> bool:
    """The pack's equations typeset once, split over `jobs` processes (this one among them),
    before the outputs' processes fork: each would otherwise typeset them all (most of math's
    cost). `meanwhile` runs here first, while the others start; whether they did."""
    from studypack.load.equations import formulas

    found = formulas(pack)
    if not found:
        return False
    from studypack.math.typeset import remember, untypeset

    missing = untypeset(found)
    if len(missing) < 2 * jobs:  # not worth the processes
        return False
    # In small batches, shortest first: the other processes take them from the longest end,
    # this one (after `meanwhile`) from the shortest, so they finish together.
    missing.sort(key=lambda key: len(key[0]))
    chunks = [missing[i : i + 6] for i in range(0, len(missing), 6)]
    try:
        with Ahead([partial(_typeset_chunk, chunk) for chunk in chunks], jobs - 1) as ahead:
            meanwhile()
            for i, chunk in enumerate(chunks):
                remember(chunk, ahead.get(i))
    except Exception:  # a head start only: each output typesets what is missing and reports its own problems
        return False
    return True


def _typeset_chunk(keys: list[Key]) -> list[Typeset]:
    from studypack.math.typeset import typeset_keys

    with no_gc():  # ziamath makes many short-lived cycles; the process ends soon: ~10% less time
        return typeset_keys(keys)


def _write(folder: Path, drawn: dict[Output, bytes], keys: dict[str, str], result: PackResult, report: Report) -> None:
    """Every output written beside its target, then all renamed, then the state file: all or none.

    The folder is locked meanwhile, so two builds of one pack never interleave their files."""
    try:
        with locked(folder):
            remove_stale_temps(folder)
            targets = [(folder / output.filename, data) for output, data in drawn.items()]
            # read again: a build with other --only may have written its keys meanwhile
            state = _read_state(folder) | {output.name: keys[output.name] for output in drawn}
            state_file = (folder / STATE_FILE, json.dumps(state, indent=1, sort_keys=True).encode())
            write_all([*targets, state_file] if drawn else [])
            result.written += [target for target, _ in targets]
    except OSError as e:
        where = e.filename or folder
        report.error(Span(str(where)), f"cannot write output: {e.strerror or e}")


def _read_state(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / STATE_FILE).read_text())
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _input_key(output: Output, pack: Pack, theme: Theme, digests: inputs.Digests) -> str:
    """Hash of everything an output depends on: version, sources, the theme settings it reads
    (and the files behind them: logo, template, fonts), its images, options."""
    h = hashlib.sha256()
    fields = output.theme_fields
    themed = repr([(name, getattr(theme, name)) for name in fields])
    h.update(f"{__version__}\0{output.name}\0{pack.build_time().isoformat()}\0{themed}\0".encode())
    files = [pack.source, *pack.extra_inputs]
    if output.images:
        files += [image.path for image in pack.images()]
    if "logo" in fields and theme.logo is not None:
        files.append(theme.logo)
    if "slides" in fields and theme.slides.template is not None:
        files.append(theme.slides.template)
    if "fonts" in fields:  # every style's file: a bold sibling beside a theme's TTF changes the output
        for family in (theme.fonts.heading, theme.fonts.body):
            if family not in PDF_FAMILIES:
                styles = family_files(family, theme.folder)
                files += sorted({styles.regular, styles.bold, styles.italic, styles.bold_italic})
    for path in files:  # resolved: `build content/x` and `build $PWD/content/x/pack.yaml` agree
        h.update(str(path.resolve()).encode() + b"\0")
        try:
            h.update(inputs.digest(path, digests))
        except OSError:
            h.update(b"missing")
    return h.hexdigest()


@contextmanager
def _renderers_shared(names: tuple[str, ...]) -> Iterator[None]:
    """Renderers imported once, before forking: workers share the modules' pages instead of each
    importing them while the other does (slower on a busy machine)."""
    _import_renderers(names)
    with _gc_frozen():
        yield


def _import_renderers(names: tuple[str, ...]) -> None:
    for name in names:
        OUTPUTS[name].stages()


@contextmanager
def _gc_frozen() -> Iterator[None]:
    """This process's objects frozen before forking: the workers' collections skip them, which
    would otherwise write to (and copy) their pages."""
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
            try:
                newest = max(newest, os.stat(os.path.join(root, name)).st_mtime)
            except OSError:  # a dangling symlink, such as an editor's lock file (.#pack.yaml)
                continue
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


def run_all(args: list[Path], options: BuildOptions, check_only: bool = False, on_result=None) -> RunResult:
    """Build (or check) several packs, in parallel processes when there are several.

    A pack that crashes becomes a result of its own and the others still build. An interrupt
    (Ctrl-C) stops the workers at once; unfinished packs keep their earlier outputs."""
    start = time.perf_counter()
    results = _run_packs(args, options, check_only, on_result)
    return RunResult(results, options, check_only, time.perf_counter() - start)


def _run_packs(args: list[Path], options: BuildOptions, check_only: bool, on_result) -> list[PackResult]:
    jobs = options.jobs or os.cpu_count() or 1
    if not can_fork():  # Windows: one process does it all
        jobs = 1
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
        workers = pool(min(jobs, len(args)))
        try:
            for result in workers.map(_guarded, args, repeat(options), repeat(check_only), repeat(1)):
                done(result)
        except BaseException:
            _stop(workers)
            raise
        workers.shutdown()
    return results


def _guarded(arg: Path, options: BuildOptions, check_only: bool, output_jobs: int) -> PackResult:
    """One pack's build or check; a crash becomes its result, so the other packs go on."""
    try:
        return check_pack(arg, options, output_jobs) if check_only else build_pack(arg, options, output_jobs)
    except Exception:  # noqa: BLE001 - reported for this pack as an internal error (exit 70)
        return PackResult(pack_file(arg), crash=traceback.format_exc())


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the workers now rather than let them finish the queue (Python 3.14 has
    terminate_workers(); before it, the processes are only reachable as _processes)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()
