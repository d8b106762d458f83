"""Per-article stages over a process pool, once the corpus is large enough to pay for one.

Reading and cleaning raw files, reading coding files (quotes anchored in the text), detecting numbers and
finding mentions each look at one article at a time, so the build hands them to `Runner.map_chunks`, which
splits the articles into contiguous chunks, runs them in worker processes and concatenates the results in
input order: the output does not depend on the number of workers (tests build with 1 and 2 and compare
the bytes). A small corpus (the real one) never starts a pool, so its build pays nothing for this.

Workers start from a fork server (not `fork`: the build process may hold library threads), one pool per
build, started on the first large stage. A stage's function must be importable at module level and return
plain, picklable values; input problems travel back as `Problem`s, never as raised `InputError`s.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from types import TracebackType
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 500  # fewer articles than this run in the build's own process
CHUNKS_PER_JOB = 4  # contiguous chunks per worker: small enough to balance, large enough to amortise pickling


def default_jobs() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Runner:
    """Runs per-article work in this process or, for many articles, in a pool of `jobs` workers."""

    def __init__(self, jobs: int = 1) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, got {jobs}")
        self.jobs = jobs
        self._pool: Executor | None = None

    def map_chunks(self, fn: Callable[[list[T]], list[R]], items: Sequence[T]) -> list[R]:
        """`fn` over contiguous chunks of `items`; its results concatenated in the order of `items`."""
        if self.jobs == 1 or len(items) < MIN_ITEMS:
            return fn(list(items))
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("forkserver"))
        size = -(-len(items) // (self.jobs * CHUNKS_PER_JOB))
        chunks = [list(items[i:i + size]) for i in range(0, len(items), size)]
        return [result for part in self._pool.map(fn, chunks) for result in part]

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=error is not None)
            self._pool = None
