"""Per-article stages over a process pool once the corpus is large enough to pay for one; the charts and
the package checks.

Reading and cleaning raw files, reading coding files (quotes anchored in the text), detecting numbers and
finding mentions each look at one article at a time, so the build hands them to `Runner.map_chunks`, which
splits the articles into contiguous chunks, runs them in worker processes and concatenates the results in
input order: the output does not depend on the number of workers (tests build with 1 and 2 and compare
the bytes). A small corpus (the real one) runs these stages in the build process.

Workers start from a fork server (not `fork`: the build process may hold library threads), one pool per
build. With more than one job the fork server is started as the runner is entered, and imports `PRELOAD`
(pandas, pyarrow, matplotlib, Frictionless) on the other core while the build process imports and runs the
pipeline; the charts, drawn last, then go to workers forked from it ready to draw (`submit`), and so do the
Frictionless checks of the package's tables. A stage's function must be importable at module level and return
plain, picklable values; input problems travel back as `Problem`s, never as raised `InputError`s.
"""

from __future__ import annotations

import errno
import multiprocessing
import multiprocessing.forkserver
import multiprocessing.spawn
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from dataset.pipeline.cache import StageCache

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 500  # fewer articles than this run in the build's own process
CHUNKS_PER_JOB = 4  # contiguous chunks per worker: small enough to balance, large enough to amortise pickling
LOCAL_CHUNK = 5000  # articles per chunk in this process: bounds the rows held as Python objects at once
# What the fork server imports once, before forking workers: the chart-drawing modules (with pandas, pyarrow
# and matplotlib) and Frictionless, for the package checks. Per-article stages import the rest of what they
# need in each worker.
PRELOAD = ("dataset.charts.style", "frictionless")
# What `dataset verify` and `dataset release` preload instead: their workers only run Frictionless.
CHECKS_PRELOAD = ("frictionless",)


def default_jobs() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _start_worker(build_pid: int, build_survives_sigint: bool) -> None:
    """Worker initializer. On Ctrl-C a worker leaves quietly (an idle one would print a KeyboardInterrupt
    traceback); the build process, interrupted too, says so and removes what it staged. SIGINT is unblocked
    here: the fork server was started with it blocked, and its children inherit the mask. A build that goes on
    through a Ctrl-C (started with SIGINT ignored, as a background job of a script is; or a caller's own
    handler) has workers that ignore it too: ending on their own, they would break the pool under a build
    that carries on.

    A worker also dies with its build: a build killed with SIGKILL cannot stop its workers, and they would
    wait for work forever (each holding its imports, hundreds of MB), keeping the fork server alive too (it
    serves until its last client has gone)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN if build_survives_sigint else _leave)
    # The watchdog starts while SIGINT is still blocked (the fork server's mask) and keeps it blocked, so the
    # kernel hands Ctrl-C to the main thread: delivered to the watchdog, it would not interrupt the main thread's
    # wait for work, which would then see the build's end of the queue close and print an EOFError traceback.
    threading.Thread(target=_die_with, args=(build_pid,), name="die-with-build", daemon=True).start()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _survives_sigint() -> bool:
    """Whether this process goes on through a SIGINT: it ignores it, or a handler of its caller's takes it.
    Python's own handler (KeyboardInterrupt), the default action (the process ends) and a handler installed
    outside Python (unknown: `getsignal` gives None) end it."""
    handler = signal.getsignal(signal.SIGINT)
    return handler is signal.SIG_IGN or (callable(handler) and handler is not signal.default_int_handler)


def _die_with(pid: int) -> None:
    """Wait for process `pid` (the build) to end, then end this process at once. A pidfd (Linux 5.3+) wakes
    the thread when it ends; elsewhere the thread looks once a second. SIGINT stays blocked here (see
    `_start_worker`), also where the worker was started without it blocked."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(128 + signal.SIGKILL)
    except (AttributeError, OSError):
        handle = None
    if handle is not None:
        select.select([handle], [], [])
    else:
        while _alive(pid):
            time.sleep(1)
    os._exit(128 + signal.SIGKILL)


@contextmanager
def _handing_over() -> Iterator[None]:
    """Work handed to the pool, SIGINT blocked meanwhile (`_sigint_blocked`). An OSError there is a worker that
    could not be started or reached, so the pool has ended under the build: a worker that ends as it starts
    (a script without a main guard) makes the pool close its pipes while the next worker is being started
    (EBADF). It is raised as the BrokenProcessPool it is, which the command reports as a worker lost (exit 3),
    not as a bug; a PermissionError keeps its own message."""
    try:
        with _sigint_blocked():
            yield
    except PermissionError:
        raise
    except OSError as exc:
        raise BrokenProcessPool(f"a worker process could not be started: {exc}") from exc


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """SIGINT held back in this thread while the block runs, and in every thread or process it starts: a Ctrl-C
    arriving meanwhile is delivered when the block ends.

    The pool's threads in the build process (its manager, the queue's feeder) are started by the first
    submission; started with SIGINT blocked, they keep it blocked, so the kernel hands Ctrl-C to the main
    thread. Delivered to a pool thread, it would not interrupt the main thread's wait for a result, and
    Python 3.11 would leave it unhandled there: the workers, ending at once on the same Ctrl-C, break the
    pool, and the main thread would raise BrokenProcessPool (a traceback, exit 1) instead of
    KeyboardInterrupt."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leave(signum: int, frame: object) -> None:
    """End the worker at once, busy or idle. Not by raising SystemExit: a busy worker's pool loop catches it as
    its task's result and goes back to wait for work, and then prints a traceback (EOFError) when the build,
    interrupted too, closes the queue under it."""
    os._exit(128 + signum)


class Runner(Executor):
    """Runs per-article work in this process or, for many articles, in a pool of `jobs` workers; and single
    tasks (`submit`) in a worker when `jobs` > 1, else at once in this process."""

    def __init__(self, jobs: int = 1, preload: Sequence[str] = PRELOAD, min_items: int = MIN_ITEMS) -> None:
        """`preload`: the modules the fork server imports before forking workers (the build's charts by
        default; `dataset verify` preloads Frictionless). `min_items`: the fewest articles worth a pool (a
        parameter so that tests take the pooled path with tens of articles)."""
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, got {jobs}")
        self.jobs = jobs
        self.min_items = min_items
        self.preload = list(preload)
        # The build's cache of per-article results (`dataset.pipeline.cache.StageCache`), set while it runs.
        self.cache: StageCache | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("cannot schedule new work after shutdown")

    def _drop_pool(self, wait: bool = True, cancel_futures: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)
            self._pool = None

    def _executor(self) -> ProcessPoolExecutor:
        self._check_open()
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(self.preload)
            self._pool = ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_start_worker,
                                             initargs=(os.getpid(), _survives_sigint()))
        return self._pool

    def map_chunks(self, fn: Callable[[list[T]], list[R]], items: Sequence[T]) -> list[R]:
        """`fn` over contiguous chunks of `items`; its results concatenated in the order of `items`. A stage may
        return one compact result per chunk (an Arrow table of the chunk's rows) as a one-element list; in this
        process too the chunks are at most `LOCAL_CHUNK` items, so that no stage holds the whole corpus as
        Python objects at once. With a `cache` (the build's), each chunk's result is taken from it where
        stored (keyed by `fn` and the items, a file by its contents)."""
        if self.cache is not None:
            return self.cache.map_chunks(self, fn, items)
        return [r for part in self.run_chunks(fn, self.split(items)) for r in part]

    def split(self, items: Sequence[T]) -> list[list[T]]:
        """`items` in contiguous chunks: `LOCAL_CHUNK` items in this process, else `CHUNKS_PER_JOB` per worker."""
        size = LOCAL_CHUNK if not self.spreads(len(items)) else -(-len(items) // (self.jobs * CHUNKS_PER_JOB))
        return [list(items[i:i + size]) for i in range(0, len(items), size)]

    def run_chunks(self, fn: Callable[[list[T]], list[R]], chunks: Sequence[list[T]]) -> list[list[R]]:
        """`fn` of each chunk, in order: on the workers when the chunks hold enough items, else here."""
        if not self.spreads(sum(len(c) for c in chunks)):
            return [fn(c) for c in chunks]
        with _handing_over():  # `map` submits every chunk before it returns; the results are waited for below
            results = self._executor().map(fn, chunks)
        return list(results)

    def spreads(self, items: int) -> bool:
        """Whether work over `items` articles goes to worker processes (else it runs in this process)."""
        return self.jobs > 1 and items >= self.min_items

    def submit(self, fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> Future[R]:
        """`fn(*args, **kwargs)` in a worker; with one job, run here and now (its error kept in the Future)."""
        if self.jobs > 1:
            with _handing_over():
                return self._executor().submit(fn, *args, **kwargs)
        self._check_open()
        future: Future[R] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # handed to the caller by Future.result(), as a worker's error would be
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._closed = True
        self._drop_pool(wait, cancel_futures)

    def __enter__(self) -> Runner:
        """With more than one job, start the fork server now: it imports `preload` while this process works.
        Where no worker can be started (the interpreter may not be run again by this user, no semaphores),
        the runner says so and works in this process: the outputs are the same, only slower."""
        if self.jobs > 1:
            try:
                executable = multiprocessing.spawn.get_executable()
                if not os.access(executable, os.X_OK):
                    raise PermissionError(errno.EACCES, "cannot run the interpreter again", os.fsdecode(executable))
                self._executor()
                # Ctrl-C reaches every process of the terminal's group; the fork server, importing PRELOAD,
                # is started with SIGINT blocked (it ignores it once it serves) and the build process reports it.
                with _sigint_blocked():
                    multiprocessing.forkserver.ensure_running()
            except (OSError, NotImplementedError) as exc:  # NotImplementedError: a Python without semaphores
                print(f"note: no worker processes ({exc}); working in one process", file=sys.stderr)
                self._drop_pool()  # not `shutdown`: the runner stays open, for this process
                self.jobs = 1
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.shutdown(cancel_futures=error is not None)
