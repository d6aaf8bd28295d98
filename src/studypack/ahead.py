"""Calls that spare processes make ahead of need, while this process makes them as it needs them.

Given a list of calls (any callables: the forked processes inherit them, only their results
are sent back), the other processes take them from the end of the list and this process from
the start: `get(i)` is the result of call i, made here when no other process has started it, so
each call is made once and this process never waits for one it could have made itself. A spare
process that fails or cannot start costs only the head start: the call is then made here (and
its own errors raised here).

The build decides how many processes a stage may fork (`spare_processes`): an output drawn in a
process of its own may hand its pictures to one more.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")

_spare = 0  # processes the stage running now may fork for its calls


@contextmanager
def spare_processes(n: int) -> Iterator[None]:
    """Lets the stage run inside fork up to `n` processes for its calls."""
    global _spare
    before, _spare = _spare, max(0, n)
    try:
        yield
    finally:
        _spare = before


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def die_with_parent() -> None:
    """Worker start-up: end with the process that forked it, however it ends (Ctrl-C, kill, timeout)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent is already gone
        os._exit(1)


def pool(processes: int) -> ProcessPoolExecutor:
    """Forked worker processes that end with this one."""
    return ProcessPoolExecutor(processes, multiprocessing.get_context("fork"), die_with_parent)


_inherited: dict[int, Sequence[Callable[[], object]]] = {}  # calls the forked processes find here


def _call_inherited(calls: int, i: int) -> object:
    return _inherited[calls][i]()


class Ahead(Generic[T]):
    """The calls, started from the end by up to `processes` forked processes (default: the
    spare processes the build allows the stage now running); `get(i)` is call i's result."""

    def __init__(self, calls: Sequence[Callable[[], T]], processes: int | None = None):
        self._calls = list(calls)
        self._futures: dict[int, Future[T]] = {}
        wanted = min(_spare if processes is None else processes, len(self._calls))
        self._pool = pool(wanted) if wanted > 0 and can_fork() else None
        if self._pool is not None:
            _inherited[id(self)] = self._calls  # before the first submit forks the processes
            gc.freeze()  # the processes' collections skip what they inherit (copying its pages)
            try:
                for i in reversed(range(len(self._calls))):
                    self._futures[i] = self._pool.submit(_call_inherited, id(self), i)
            except Exception:  # noqa: BLE001 - no head start: every call is made here
                self.close()
            finally:
                gc.unfreeze()

    def get(self, i: int) -> T:
        future = self._futures.pop(i, None)
        if future is not None and not future.cancel():
            try:
                return future.result()
            except Exception:  # noqa: BLE001 - made here instead, raising its own error if it has one
                pass
        return self._calls[i]()

    def close(self) -> None:
        """Calls not started are dropped (a process busy with one finishes it first)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._futures.clear()
        _inherited.pop(id(self), None)

    def __enter__(self) -> Ahead[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
