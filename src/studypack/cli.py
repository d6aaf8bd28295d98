"""Command line: each command parses its options and calls one function."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import sys
import traceback
from pathlib import Path

import click

from studypack import __version__
from studypack.build import BuildOptions, PackResult, default_packs, run_all
from studypack.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_PROBLEMS,
    Diagnostic,
    StudypackError,
    display_path,
)
from studypack.outputs import DEFAULT_OUTPUTS, OUTPUTS


class Console:
    """Where messages go: diagnostics to stderr always, progress only when not quiet."""

    def __init__(self, quiet: bool = False, verbose: bool = False, strict: bool = False):
        self.quiet = quiet
        self.verbose = verbose
        self.strict = strict  # warnings are failures then, so -q shows them
        self.echo = _to_stderr  # swapped while a progress bar shows
        self.shown: set[str] = set()

    MAX_SHOWN = 100  # per pack: past that, more lines only bury the first problems

    def diagnostics(self, diags: list[Diagnostic]) -> None:
        # Once per run: packs sharing a theme would each repeat its warnings.
        fresh = [d for d in diags if str(d) not in self.shown]
        self.shown.update(map(str, fresh))
        shown = [d for d in fresh if d.severity == "error" or self.strict or not self.quiet]
        for d in shown[: self.MAX_SHOWN]:
            self.echo(str(d))
        if len(shown) > self.MAX_SHOWN:
            self.echo(f"… and {len(shown) - self.MAX_SHOWN} more problem(s) not shown")

    def info(self, message: str) -> None:
        if not self.quiet:
            self.echo(message)

    def detail(self, message: str) -> None:
        if self.verbose and not self.quiet:
            self.echo(message)

    @contextlib.contextmanager
    def progress(self, total: int, label: str):
        """A progress bar on a terminal; nothing when piped or quiet. Yields advance()."""
        if self.quiet or not sys.stderr.isatty():
            yield lambda: None
            return
        from rich.console import Console as RichConsole
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=RichConsole(stderr=True), transient=True) as bar:
            task = bar.add_task(label, total=total)
            self.echo = lambda line: bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
            try:
                yield lambda: bar.advance(task)
            finally:
                self.echo = _to_stderr


def _drop(stream) -> None:
    """Send what is still written to a stream nowhere: its reader is gone (or its disk full)."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())


def _output_failed(e: OSError) -> int:
    """Standard output is gone or full; what it did not take is dropped. A reader that stopped
    early (`| head`) is not an error; a full disk is."""
    _drop(sys.stdout)
    if isinstance(e, BrokenPipeError):
        return 0
    click.echo(f"error: cannot write the output: {e.strerror or e}", err=True)
    return EXIT_PROBLEMS


def _to_stderr(line: str) -> None:
    try:
        click.echo(line, err=True)
    except BrokenPipeError:  # the reader went away (`2>&1 | head -1`): go on building, silently
        _drop(sys.stderr)


def _parse_only(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...]:
    if value is None:
        return DEFAULT_OUTPUTS
    names = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    if not names:
        raise click.BadParameter(f"name at least one output: {', '.join(OUTPUTS)}")
    unknown = [n for n in names if n not in OUTPUTS]
    if unknown:
        raise click.BadParameter(f"unknown output {', '.join(map(repr, unknown))}; choose from {', '.join(OUTPUTS)}")
    return names


def _parse_offset(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        x, y = (float(v) for v in value.replace(" ", "").split(","))
    except ValueError:
        raise click.BadParameter(f"expected X,Y in millimetres (e.g. 1.5,-0.5), got {value!r}") from None
    if not (-20 <= x <= 20 and -20 <= y <= 20):  # written so that nan fails too
        raise click.BadParameter("offsets beyond ±20 mm are not a printer's drift")
    return (x, y)


class _Group(click.Group):
    """Turns our errors into their exit codes, and crashes into one line with exit 70."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # the reader stopped early (`studypack themes list | head -1`)
            _drop(sys.stdout)  # nothing left to flush
            ctx.exit(0)
        except OSError as e:  # the file system refused (name too long, no permission, disk full)
            where = f"{display_path(Path(e.filename))}: " if e.filename else ""
            click.echo(f"{where}error: {e.strerror or e}", err=True)
            ctx.exit(EXIT_PROBLEMS)
        except StudypackError as e:
            for d in getattr(e, "diagnostics", None) or []:
                click.echo(str(d), err=True)
            if not getattr(e, "diagnostics", None):
                click.echo(f"error: {e}", err=True)
            ctx.exit(e.exit_code)
        except Exception as e:  # noqa: BLE001 - the one place that turns crashes into exit 70
            if ctx.meta.get("debug"):
                traceback.print_exc()
                click.echo(f"internal error: {type(e).__name__}: {e}", err=True)
            else:
                click.echo(f"internal error: {type(e).__name__}: {e}; run with --debug for the traceback", err=True)
            ctx.exit(EXIT_INTERNAL)


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta["debug"] = True  # meta is shared by the group's and the command's contexts


# Accepted before or after the command name: `studypack --debug build` or `studypack build --debug`.
debug_opt = click.option("--debug", is_flag=True, expose_value=False, is_eager=True, callback=_set_debug, help="Show tracebacks of internal errors.")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="studypack")
@debug_opt
def cli() -> None:
    """Turn one course source into a PDF handout, a PowerPoint deck and flashcards."""


pack_args = click.argument("packs", nargs=-1, type=click.Path(path_type=Path))
quiet_opt = click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
verbose_opt = click.option("-v", "--verbose", is_flag=True, help="Print every file and timing.")
theme_opt = click.option("--theme", metavar="NAME|PATH", help="Theme name, folder, theme.yaml or _brand.yml.")
jobs_opt = click.option(
    "--jobs", "-j", type=click.IntRange(1, 64), help="Processes to use: packs, or one pack's outputs (default: CPUs)."
)


@cli.command()
@debug_opt
@pack_args
@theme_opt
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True, help="Output root.")
@click.option("--only", callback=_parse_only, metavar="LIST", help=f"Outputs to build: {','.join(OUTPUTS)}.")
@click.option("--paper", type=click.Choice(["letter", "a4"], case_sensitive=False), help="Paper size (beats the theme's).")
@click.option("--cards-offset", callback=_parse_offset, metavar="X,Y", help="Shift card backs by X,Y mm.")
@jobs_opt
@click.option("--force", is_flag=True, help="Rebuild outputs even when their inputs are unchanged.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@quiet_opt
@verbose_opt
def build(packs: tuple[Path, ...], quiet: bool, verbose: bool, **kw) -> None:
    """Build PACKs (default: every pack under ./content/)."""
    options = BuildOptions(**kw)
    _run(list(packs), options, Console(quiet, verbose, options.strict), check_only=False)


@cli.command()
@debug_opt
@pack_args
@theme_opt
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--accessibility", is_flag=True, help="Also report what an accessibility checker would flag.")
@jobs_opt
@quiet_opt
def check(
    packs: tuple[Path, ...], theme: str | None, strict: bool, accessibility: bool, jobs: int | None, quiet: bool
) -> None:  # fmt: skip
    """Validate PACKs and report every problem; build nothing."""
    options = BuildOptions(theme=theme, strict=strict, accessibility=accessibility, jobs=jobs)
    _run(list(packs), options, Console(quiet, strict=strict), check_only=True)


def _run(packs: list[Path], options: BuildOptions, console: Console, check_only: bool) -> None:
    if not packs:
        packs = default_packs()
        if not packs:
            raise click.UsageError("no PACK given and no packs under ./content/")
    debug = click.get_current_context().meta.get("debug", False)
    finished = 0

    def show(result: PackResult) -> None:
        console.diagnostics(result.diagnostics)
        if result.crash is not None and debug:
            console.echo(result.crash.rstrip())
        line = result.outcome(options.strict, check_only)
        if result.crash is not None:
            console.echo(line)
        elif check_only and not result.failed(options.strict):
            console.detail(line)
        else:
            console.info(line)
        for path in result.written:
            console.detail(f"  wrote {display_path(path)}")
        for path in result.unchanged:
            console.detail(f"  unchanged {display_path(path)}")

    with console.progress(len(packs), "checking" if check_only else "building") as advance:

        def on_result(result: PackResult) -> None:
            nonlocal finished
            finished += 1
            show(result)
            advance()

        # SIGTERM ends a build as Ctrl-C does: workers stopped, the terminal's cursor restored.
        previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            run = run_all(packs, options, check_only=check_only, on_result=on_result)
        except KeyboardInterrupt:
            console.echo(f"interrupted: {finished} of {len(packs)} pack(s) finished; the others keep their earlier outputs")
            sys.exit(EXIT_INTERRUPTED)
        finally:
            signal.signal(signal.SIGTERM, previous)
    console.info(run.summary())
    if run.exit_code:
        sys.exit(run.exit_code)


@cli.command()
@debug_opt
@click.argument("pack_dir", type=click.Path(path_type=Path))
def new(pack_dir: Path) -> None:
    """Scaffold PACK_DIR/pack.yaml: a commented pack that builds as is."""
    from studypack.scaffold import scaffold_pack

    path = scaffold_pack(pack_dir)
    click.echo(f"created {display_path(path)}; build it with: studypack build {display_path(pack_dir)}", err=True)


@cli.command("import")
@debug_opt
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("-o", "--output", "pack_dir", type=click.Path(path_type=Path), help="Pack folder to write (default: ./content/<name>).")
@click.option("--force", is_flag=True, help="Overwrite an existing pack.yaml.")
@quiet_opt
@verbose_opt
def import_(file: Path, pack_dir: Path | None, force: bool, quiet: bool, verbose: bool) -> None:
    """Turn a study-guide text or Markdown outline into a pack.yaml."""
    from studypack.importer import import_guide

    console = Console(quiet, verbose)
    result = import_guide(file, pack_dir, force=force)
    for line in result.details:
        console.detail(line)
    console.diagnostics(result.diagnostics)
    if result.summary:
        console.info(result.summary)
    if result.exit_code:
        sys.exit(result.exit_code)


@cli.group(invoke_without_command=True)
@click.pass_context
def themes(ctx: click.Context) -> None:
    """List, show or check themes."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(themes_list)


@themes.command("list")
@debug_opt
def themes_list() -> None:
    """Themes found here and built in."""
    from studypack.theme_tools import theme_rows

    for row in theme_rows():
        click.echo(row)


@themes.command("show")
@debug_opt
@click.argument("name")
def themes_show(name: str) -> None:
    """Print the fully resolved theme (after `extends`) as YAML."""
    from studypack.theme_tools import load_or_fail, show_text

    theme, warnings = load_or_fail(name)
    for warning in warnings:
        click.echo(str(warning), err=True)
    click.echo(show_text(theme), nl=False)


@themes.command("check")
@debug_opt
@click.argument("name")
@click.option("--pack", "pack", type=click.Path(path_type=Path), help="Check glyphs against this pack's text.")
def themes_check(name: str, pack: Path | None) -> None:
    """Report missing template layouts, contrast ratios and missing glyphs."""
    from studypack.theme_check import run_theme_check
    from studypack.theme_tools import check_lines, check_summary, load_or_fail

    theme, warnings = load_or_fail(name)
    for warning in warnings:
        click.echo(str(warning), err=True)
    result = run_theme_check(theme, pack)
    for line in check_lines(result):
        click.echo(line)
    click.echo(check_summary(result), err=bool(result.exit_code))
    if result.exit_code:
        raise click.exceptions.Exit(result.exit_code)


@cli.command()
@debug_opt
@click.option("--paper", type=click.Choice(["letter", "a4"], case_sensitive=False), default="letter", show_default=True)
@click.option("--theme", metavar="NAME|PATH", default="default", help="Card size and duplex mode come from it.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("build/calibration.pdf"), show_default=True)
def calibrate(paper: str, theme: str, output: Path) -> None:
    """Write a duplex test sheet that shows your printer's offset."""
    from studypack.calibrate import write_calibration_sheet

    mode = write_calibration_sheet(paper, theme, output)
    click.echo(f"wrote {display_path(output)}: print it two-sided ({mode}), then follow the steps on the page", err=True)


def _reopen_closed_streams() -> None:
    """Started with stdout or stderr closed (`>&-`): they write to /dev/null instead. Else
    Python has no sys.stdout, and the first file the build opens would get fd 1 or 2 and
    receive the messages."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        try:
            access = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE
            if fd == 0 or access != os.O_RDONLY:  # a launcher may leave a read-only file there
                continue
        except OSError:
            pass
        null = os.open(os.devnull, os.O_RDWR)  # the lowest free descriptor: often fd itself
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
        mode = "r" if fd == 0 else "w"
        setattr(sys, name, open(fd, mode, encoding="utf-8", errors="backslashreplace", closefd=False))  # noqa: SIM115


def main() -> None:
    _reopen_closed_streams()
    code: int | str | None = 0
    try:
        cli(prog_name="studypack")
    except SystemExit as e:
        code = e.code
    except OSError as e:  # our own output could not be written (`--version > /dev/full`)
        code = _output_failed(e)
    finally:
        try:
            sys.stdout.flush()
        except OSError as e:
            code = _output_failed(e) or code
    sys.stderr.flush()
    # Skip the interpreter's teardown: freeing every object of the imported libraries one by
    # one takes ~45 ms (a sixth of a sample build's start-up cost), and the OS frees them anyway.
    # Every file we write is closed, streams are flushed, and no pool outlives its build.
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)
