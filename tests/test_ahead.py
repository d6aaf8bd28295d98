"""Calls made ahead of need by spare processes (studypack.ahead): each made once, results in
order, this process taking the calls no other has started, failures made good here."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from studypack.ahead import Ahead, can_fork, spare_processes

pytestmark = pytest.mark.skipif(not can_fork(), reason="spare processes are forked (not on Windows)")


def _logged(log: Path, i: int) -> tuple[int, int]:
    with log.open("a") as f:
        f.write(f"{os.getpid()} {i}\n")
    return i * i, os.getpid()


def _makers(log: Path) -> list[tuple[int, int]]:
    return [(int(pid), int(i)) for pid, i in (line.split() for line in log.read_text().splitlines())]


def _wait_for_another_process(log: Path) -> None:
    """Until a spare process has made a call (its first), so this test does not depend on timing."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if log.exists() and any(pid != os.getpid() for pid, _ in _makers(log)):
            return
        time.sleep(0.01)
    raise AssertionError("no spare process made a call")


def test_each_call_is_made_once_the_spare_process_from_the_end(tmp_path):
    log = tmp_path / "calls.log"
    lock = threading.Lock()  # cannot be pickled: the calls reach the other process by fork
    calls = [lambda i=i, lock=lock: _logged(log, i) for i in range(12)]
    with Ahead(calls, 1) as ahead:
        _wait_for_another_process(log)
        results = [ahead.get(i) for i in range(12)]
    assert [value for value, _ in results] == [i * i for i in range(12)]
    made = _makers(log)
    assert sorted(i for _, i in made) == list(range(12))  # each once
    mine = sorted(i for pid, i in made if pid == os.getpid())
    theirs = sorted(i for pid, i in made if pid != os.getpid())
    assert theirs and theirs == list(range(12 - len(theirs), 12))  # the other process: from the end
    assert mine == list(range(len(mine)))  # this one: from the start
    assert {pid for _, pid in results} == {pid for pid, _ in made}  # each result is where it was made


def test_without_spare_processes_every_call_is_made_here(tmp_path):
    log = tmp_path / "calls.log"
    calls = [lambda i=i: _logged(log, i) for i in range(5)]
    with Ahead(calls) as ahead:  # the build allowed none
        assert [ahead.get(i)[0] for i in range(5)] == [0, 1, 4, 9, 16]
    with spare_processes(0), Ahead(calls) as ahead:
        assert [ahead.get(i)[0] for i in range(5)] == [0, 1, 4, 9, 16]
    assert {pid for pid, _ in _makers(log)} == {os.getpid()}


def test_a_call_that_fails_in_the_spare_process_is_made_here(tmp_path):
    log = tmp_path / "calls.log"
    parent = os.getpid()

    def flaky(i: int) -> int:
        _logged(log, i)
        if os.getpid() != parent:
            raise RuntimeError("only elsewhere")
        return i

    with Ahead([lambda i=i: flaky(i) for i in range(4)], 1) as ahead:
        _wait_for_another_process(log)
        assert [ahead.get(i) for i in range(4)] == [0, 1, 2, 3]


def test_a_call_that_fails_everywhere_raises_its_own_error_here():
    def broken() -> int:
        raise ValueError("bad call")

    with Ahead([lambda: 1, broken, broken], 1) as ahead:
        assert ahead.get(0) == 1
        with pytest.raises(ValueError, match="bad call"):
            ahead.get(1)
        with pytest.raises(ValueError, match="bad call"):
            ahead.get(2)


def test_the_spare_processes_end_when_it_is_closed(tmp_path):
    with spare_processes(1):
        ahead = Ahead([lambda i=i: i for i in range(3)])
    processes = list(ahead._pool._processes.values())  # noqa: SLF001 - the processes it forked
    assert processes
    assert [ahead.get(i) for i in range(3)] == [0, 1, 2]
    ahead.close()
    assert all(not p.is_alive() for p in processes)
