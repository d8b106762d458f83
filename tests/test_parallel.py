"""The per-article stages over a process pool: same bytes and same error report with one worker or two.

The pool only starts for a corpus of `Runner.min_items` articles or more (`parallel.MIN_ITEMS` in a real
build); these tests lower it to `ARTICLES`, so that a generated corpus of tens of articles
(benchmarks/make_corpus.py) takes the pooled path, built by the command's entry point.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
import yaml

from conftest import cli, copy_inputs, make_corpus, snapshot
from dataset import parallel

ARTICLES = 40  # eight chunks of five on two workers


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("parallel") / "corpus"
    result = make_corpus("--articles", str(ARTICLES), "--seed", "5", "--out", str(root))
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def spread(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The command's runner with its pool threshold lowered to `ARTICLES`; the list it returns collects the
    number of items of every stage the runner sent to its workers (so a test can tell the pool was used)."""
    sent: list[int] = []

    class Lowered(parallel.Runner):
        def __init__(self, jobs: int = 1, preload: Sequence[str] = parallel.PRELOAD) -> None:
            super().__init__(jobs, preload, min_items=ARTICLES)

        def map_chunks(self, fn: Callable[[list], list], items: Sequence) -> list:
            if self.spreads(len(items)):
                sent.append(len(items))
            return super().map_chunks(fn, items)

    monkeypatch.setattr(parallel, "Runner", Lowered)
    return sent


def copy_of(corpus: Path, dest: Path) -> Path:
    shutil.copytree(corpus, dest)
    return dest


@pytest.mark.slow
def test_two_workers_write_the_same_bytes_as_one(corpus: Path, tmp_path: Path, spread: list[int]) -> None:
    outputs = {}
    for jobs in ("1", "2"):
        root = copy_of(corpus, tmp_path / f"jobs{jobs}")
        result = cli("--root", str(root), "build", "--jobs", jobs, "--no-cache")  # each computes every output
        assert result.returncode == 0, result.stderr
        assert f"articles: {ARTICLES}," in result.stdout
        assert bool(spread) == (jobs == "2"), spread
        outputs[jobs] = snapshot(root)
    assert outputs["1"] == outputs["2"]
    assert len(outputs["1"]) > 20


def break_raw_files(root: Path) -> list[str]:
    raws = sorted(p for p in (root / "data/raw").iterdir() if not p.name.endswith(".meta.yaml"))
    sidecar = raws[3].with_name(raws[3].name + ".meta.yaml")
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("language:", "langauge:"), encoding="utf-8")
    raws[-2].write_bytes(b"\x80 not utf-8")  # not a byte-order mark: those name an encoding of their own
    return ["langauge: unknown key", f"{raws[-2].name}:1: not UTF-8"]


def break_coding_files(root: Path) -> list[str]:
    codings = sorted((root / "data/coding/articles").glob("*.yaml"))
    expected = []
    for path in (codings[1], codings[-3]):
        quote = yaml.safe_load(path.read_text(encoding="utf-8"))["figures"][0]["quote"]
        path.write_text(path.read_text(encoding="utf-8").replace(quote, quote + " (not in the text)", 1),
                        encoding="utf-8")
        expected.append(f"{path.name}:")
    return expected


@pytest.mark.parametrize("breaks", [break_raw_files, break_coding_files], ids=["raw", "coding"])
@pytest.mark.slow
def test_problems_found_in_workers_are_reported_in_file_order(breaks, corpus: Path, tmp_path: Path,
                                                              spread: list[int]) -> None:
    """Problems far apart in the corpus are all reported, in file order and the same words with one worker or
    two, and nothing is published."""
    reports = {}
    for jobs in ("1", "2"):
        root = copy_of(corpus, tmp_path / f"jobs{jobs}")
        expected = breaks(root)
        result = cli("--root", str(root), "build", "--jobs", jobs)
        assert result.returncode == 2, result.stderr
        assert bool(spread) == (jobs == "2"), spread
        reports[jobs] = result.stderr
        assert not (root / "data/processed").exists()
    assert reports["1"] == reports["2"]
    found = [next(i for i, line in enumerate(reports["1"].splitlines()) if part in line) for part in expected]
    assert found == sorted(found), reports["1"]


@pytest.mark.slow
def test_jobs_must_be_a_positive_number(corpus: Path) -> None:
    result = cli("--root", str(corpus), "build", "--jobs", "0")
    assert result.returncode == 2
    assert "--jobs: expected a whole number of at least 1, got '0'" in result.stderr


def test_a_pool_only_for_several_jobs_and_enough_items() -> None:
    """A real build spreads from `MIN_ITEMS` articles; the threshold is the runner's parameter."""
    assert parallel.Runner(2).min_items == parallel.MIN_ITEMS
    assert parallel.Runner(2, min_items=3).spreads(3) and not parallel.Runner(2, min_items=3).spreads(2)
    assert not parallel.Runner(1, min_items=1).spreads(10)


def _pid_or_fail(fail: bool) -> int:
    if fail:
        raise ValueError("failed in the task")
    return os.getpid()


@pytest.mark.parametrize("jobs", [1, 2])
def test_submit_runs_in_a_worker_only_with_several_jobs(jobs: int) -> None:
    """With one job a task runs here and now; with more, in a worker. Either way its error comes out of
    `Future.result()`, not out of `submit`."""
    with parallel.Runner(jobs) as runner:
        pid = runner.submit(_pid_or_fail, False).result(timeout=120)
        failing = runner.submit(_pid_or_fail, True)
        with pytest.raises(ValueError, match="failed in the task"):
            failing.result(timeout=120)
    assert (pid == os.getpid()) == (jobs == 1)
    with pytest.raises(RuntimeError, match="after shutdown"):
        runner.submit(_pid_or_fail, False)


def test_without_worker_processes_the_runner_works_in_this_process(monkeypatch, capsys) -> None:
    """Where the interpreter cannot be run again (as for an unprivileged user of an interpreter under /root),
    the runner says so and does the work itself instead of failing the build."""
    monkeypatch.setattr(parallel.multiprocessing.spawn, "get_executable", lambda: "/nonexistent/python")
    with parallel.Runner(2) as runner:
        assert runner.jobs == 1
        assert runner.submit(_pid_or_fail, False).result() == os.getpid()
        assert runner.map_chunks(lambda chunk: [x * 2 for x in chunk], range(parallel.MIN_ITEMS)) == [
            x * 2 for x in range(parallel.MIN_ITEMS)]
    assert "note: no worker processes" in capsys.readouterr().err


def test_one_process_works_in_chunks_too(monkeypatch) -> None:
    """In this process a stage sees at most LOCAL_CHUNK items at a time (so it can compact its rows per
    chunk), and the results come back in order as one list."""
    monkeypatch.setattr(parallel, "LOCAL_CHUNK", 3)
    seen = []

    def stage(chunk: list[int]) -> list[int]:
        seen.append(chunk)
        return [x * 2 for x in chunk]

    assert parallel.Runner(1).map_chunks(stage, range(7)) == [0, 2, 4, 6, 8, 10, 12]
    assert seen == [[0, 1, 2], [3, 4, 5], [6]]


def test_rows_compacted_in_chunks_make_one_contiguous_frame() -> None:
    """However the rows were split (by chunk, by worker), the frame is the same and each column is one Arrow
    chunk: Parquet's pages follow the chunks, so the file's bytes would depend on the split."""
    from dataset.pipeline.rows import frame_of, to_arrow

    rows = [{"mention_id": f"a-c{i}", "article_id": "a", "actor_id": "x", "start": i, "end": i + 1,
             "surface": "x"} for i in range(10)]
    frame = frame_of([to_arrow(rows[:4], "mentions"), to_arrow(rows[4:], "mentions")], "mentions")
    assert frame.equals(frame_of([to_arrow(rows, "mentions")], "mentions"))
    assert [frame[c].array.__arrow_array__().num_chunks for c in frame.columns] == [1] * len(frame.columns)
    assert frame_of([], "mentions").columns.tolist() == frame.columns.tolist()


def sigint_blocked_in(thread_id: int) -> bool:
    """Whether thread `thread_id` of this process holds SIGINT back (Linux: its SigBlk mask in /proc)."""
    import signal

    status = Path(f"/proc/self/task/{thread_id}/status").read_text()
    mask = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigBlk:")), 16)
    return bool(mask >> (signal.SIGINT - 1) & 1)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads each thread's signal mask from /proc")
@pytest.mark.parametrize("work", ["submit", "map_chunks"])
def test_the_pools_threads_leave_ctrl_c_to_the_main_thread(work: str) -> None:
    """Every thread the pool starts in the build process (its manager, the call queue's feeder) holds SIGINT
    back, so the kernel hands a Ctrl-C to the main thread, which raises KeyboardInterrupt at once. A pool thread
    given it would leave the main thread waiting until the workers, ending on the same Ctrl-C, broke the pool:
    a BrokenProcessPool traceback instead of "interrupted" (seen once in a full run of the test above)."""
    import threading

    before = {t.native_id for t in threading.enumerate()}
    with parallel.Runner(2, preload=(), min_items=2) as runner:
        if work == "submit":
            assert runner.submit(abs, -3).result() == 3
        else:
            assert runner.map_chunks(double, [1, 2, 3, 4]) == [2, 4, 6, 8]
        started = [t for t in threading.enumerate() if t.native_id not in before]
        assert started, "the pool started no thread here: nothing checked"
        assert {t.name: sigint_blocked_in(t.native_id) for t in started} == {t.name: True for t in started}
    assert not sigint_blocked_in(threading.main_thread().native_id)


def double(chunk: list[int]) -> list[int]:
    return [2 * x for x in chunk]


INTERRUPTED_SCRIPT = """
import signal, sys, time
from pathlib import Path
from dataset.parallel import Runner
# The SIGINT disposition under test, whatever this process inherited (a background job starts with it ignored).
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
signal.signal(signal.SIGINT, signal.SIG_IGN if sys.argv[2] == "ignored" else signal.default_int_handler)
try:
    with Runner(2) as runner:
        busy = runner.submit(time.sleep, float(sys.argv[3]))  # one worker busy...
        runner.submit(Path(sys.argv[1]).touch).result()  # ...the other done, and now idle
        busy.result()
        print("pool works:", runner.submit(abs, -3).result(), file=sys.stderr)
except KeyboardInterrupt:
    print("interrupted", file=sys.stderr)
    sys.exit(130)
"""


@contextlib.contextmanager
def own_session(args: list[str], **kwargs: object) -> Iterator[subprocess.Popen[str]]:
    """`args` started in a session of its own (a signal sent to its process group is never pytest's), its
    output piped; when the block ends its whole group is killed, with whatever it left running (a fork server
    and its workers)."""
    import signal

    process = subprocess.Popen(args, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, **kwargs)  # type: ignore[call-overload]
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def interrupt_runner(tmp_path: Path, sigint: str, busy_seconds: float) -> subprocess.CompletedProcess[str]:
    """Run `INTERRUPTED_SCRIPT` with SIGINT `sigint` ("handled" or "ignored"), send SIGINT to its whole process
    group once one worker is busy and the other idle, and return how it ended."""
    import signal
    import time

    started = tmp_path / "started"
    args = [sys.executable, "-c", INTERRUPTED_SCRIPT, str(started), sigint, str(busy_seconds)]
    with own_session(args) as process:
        deadline = time.monotonic() + 60
        while not started.exists() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        assert started.exists(), process.communicate(timeout=10)[1]
        time.sleep(1.0)  # the main process waits for the busy worker
        os.killpg(process.pid, signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.mark.slow
def test_ctrl_c_stops_the_workers_without_a_traceback(tmp_path: Path) -> None:
    """Ctrl-C goes to every process of the terminal's group: the busy worker and the idle one leave quietly
    and the build exits with 130 (an idle worker used to print a KeyboardInterrupt traceback)."""
    ended = interrupt_runner(tmp_path, "handled", busy_seconds=120)
    # Exit 130 and no traceback: the main process reports its own SIGINT; each worker ends at once on its own.
    assert ended.returncode == 130, ended.stderr
    assert ended.stderr == "interrupted\n", ended.stderr


@pytest.mark.slow
def test_a_build_that_ignores_ctrl_c_keeps_its_workers(tmp_path: Path) -> None:
    """A build started with SIGINT ignored (`cmd &` in a script: a background job of a non-interactive shell)
    carries on through a Ctrl-C to its group, and so do its workers: the busy task finishes and the pool takes
    more work. Workers that left on the SIGINT broke the pool under it (a BrokenProcessPool traceback, exit 1;
    seen when the test above ran in a pytest worker that ignored SIGINT)."""
    ended = interrupt_runner(tmp_path, "ignored", busy_seconds=3)
    assert ended.returncode == 0, ended.stderr
    assert ended.stderr == "pool works: 3\n", ended.stderr


UNGUARDED_SCRIPT = """
import sys
from dataset.cli import main
# No `if __name__ == "__main__":`: every worker process runs these lines again as it starts.
code = main(["--root", sys.argv[1], "build", "--no-cache", "--jobs", "2"])
print("first", code, flush=True)
if sys.argv[2] == "exit":
    sys.exit(code)
print("second", main(["--root", sys.argv[1], "build", "--jobs", "1"]), flush=True)  # nothing changed: a no-op
"""


def run_unguarded(tmp_path: Path, form: str) -> subprocess.CompletedProcess[str]:
    """`UNGUARDED_SCRIPT` run on a copy of the project, in a session of its own, so that whatever it leaves
    running (a fork server and its workers, when a call hangs) is killed with it."""
    root = copy_inputs(tmp_path / "project")
    script = tmp_path / "build_it.py"
    script.write_text(UNGUARDED_SCRIPT, encoding="utf-8")
    with own_session([sys.executable, str(script), str(root), form], cwd=tmp_path,
                     env={**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl")}) as process:
        stdout, stderr = process.communicate(timeout=60)
    if "note: no worker processes" in stderr:
        pytest.skip("no worker process can be started here: nothing runs the script again")
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


GUARD = 'error: dataset was called again in a worker process as it started'


@pytest.mark.slow
def test_a_script_without_a_main_guard_builds_and_its_workers_say_why_they_do_nothing(tmp_path: Path) -> None:
    """A script that calls the command outside `if __name__ == "__main__":` is run again by each worker as it
    starts (multiprocessing imports the main script to find the task's function). There the calls do nothing
    and say why: they used to start workers from a worker (a RuntimeError traceback, "this is a bug"), then
    wait, in the second call, for the build lock that the script's own build held: forever. The script's own
    builds are unaffected."""
    result = run_unguarded(tmp_path, "print")
    assert result.returncode == 0, result.stderr
    calls = [line.split() for line in result.stdout.splitlines() if line.startswith(("first", "second"))]
    assert [c for c in calls if c[1] == "0"] == [["first", "0"], ["second", "0"]], result.stdout  # the script's
    in_workers = [c for c in calls if c[1] != "0"]
    assert in_workers and all(code == "2" for _, code in in_workers), result.stdout  # each worker's, refused
    assert "Traceback" not in result.stderr and "bug" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors and all(line.startswith(GUARD) and 'under `if __name__ == "__main__":`' in line
                          for line in errors), result.stderr


@pytest.mark.slow
def test_a_worker_lost_is_a_message_and_the_package_is_left_as_it_was(tmp_path: Path) -> None:
    """The usual unguarded form, `sys.exit(main([...]))`, ends each worker as it starts (the script exits
    there too): the pool breaks under the build. That is said in one message with its likely causes, exit 3,
    no traceback, and the build leaves no package (as any failed build leaves the last one)."""
    result = run_unguarded(tmp_path, "exit")
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr and "bug" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors[-1].startswith("error: a worker process ended before its work was done"), result.stderr
    assert all(line.startswith(GUARD) for line in errors[:-1]), result.stderr
    assert not (tmp_path / "project" / "datapackage.json").exists()
    assert not list((tmp_path / "project").glob(".build-staging-*"))  # what the build staged is removed


def test_workers_go_on_through_a_ctrl_c_exactly_when_the_build_does() -> None:
    """The SIGINT disposition the workers are given: the build's own outcome of a Ctrl-C. Python's handler
    (KeyboardInterrupt) and the default action end the build, so its workers leave; ignored, or taken by a
    handler of a caller's that goes on, the build carries on, and so do they."""
    import signal

    before = signal.getsignal(signal.SIGINT)
    try:
        outcomes = {}
        for name, handler in [("python", signal.default_int_handler), ("default", signal.SIG_DFL),
                              ("ignored", signal.SIG_IGN), ("caller's", lambda signum, frame: None)]:
            signal.signal(signal.SIGINT, handler)
            outcomes[name] = parallel._survives_sigint()
    finally:
        signal.signal(signal.SIGINT, before)
    assert outcomes == {"python": False, "default": False, "ignored": True, "caller's": True}


def test_running_out_of_memory_is_a_message_and_the_package_is_left_as_it_was(project: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A MemoryError (in the build process, or raised by a task in a worker and handed back) is no bug: one
    message, exit 3, no traceback, and the last package stays as it was."""
    import dataset.pipeline.build as build_module

    before = snapshot(project)
    (project / "data/coding/cases.yaml").write_text(
        (project / "data/coding/cases.yaml").read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")

    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(build_module, "validate", exhausted)
    result = cli("--root", str(project), "build")
    assert result.returncode == 3, result.stderr
    assert result.stderr.startswith("error: out of memory: the command did not finish"), result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before


def test_a_worker_that_cannot_be_started_is_a_worker_lost(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An OSError as the pool starts a worker (EBADF, seen when a script without a main guard is built: a worker
    that ended as it started has made the pool close its pipes while the next was being started) is a worker
    lost: the one message, exit 3, no traceback, and the package is left as it was. It used to be "this is a
    bug" with a traceback, now and then, in test_a_worker_lost_is_a_message_and_the_package_is_left_as_it_was."""
    from concurrent.futures import ProcessPoolExecutor

    def refused(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EBADF, "Bad file descriptor")

    before = snapshot(project)
    monkeypatch.setattr(ProcessPoolExecutor, "submit", refused)
    result = cli("--root", str(project), "build", "--jobs", "2", "--no-cache")
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr and "bug" not in result.stderr, result.stderr
    assert result.stderr.startswith("error: a worker process ended before its work was done"), result.stderr
    assert snapshot(project) == before
