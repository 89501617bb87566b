"""Benchmark `setlist scan` against the cost of reading tags at all (issue 2, "Performance").

Run: `.venv/bin/python benchmarks/scan.py [--files N] [--workers W] [--repeat R]`.

Absolute seconds depend on the machine, so every figure is also given as a ratio to a
baseline measured in the same run: a bare `for p in paths: mutagen.File(p)` loop in one
process, the least any tag reader can cost. The scans are real subprocesses of the installed
`setlist` script, wall clock including interpreter start-up, because that is what a user waits
for. A few in-process figures split that total into start-up, tag reading and storing.

All numbers are warm-cache: every file is read once and one scan runs untimed before anything
is measured, so the page cache and Python's bytecode cache are as hot for the first run as for
the last. Each figure is the median of several runs; every cold scan gets a fresh database.
CPU seconds (every process of a run, workers included) are printed beside wall seconds: on a
machine busy with other work, wall times of the pooled scan grow, CPU seconds barely move.

The library is built once per N under `benchmarks/.work/` (gitignored) and reused while the
fixtures and this builder are unchanged. The script always exits 0: it reports, it does not
judge (the targets are shown next to the figures, and no test asserts on timing).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import mutagen
from bench_library import FORMATS, WORK, build_library

# Issue 2's targets, as ratios to the bare mutagen loop.
TARGET_COLD, TARGET_ONE_WORKER, TARGET_RESCAN = 0.9, 1.3, 0.15

# -- measuring -------------------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """The environment of measured processes: this one's, with bytecode caching allowed.

    PYTHONDONTWRITEBYTECODE (set on some CI and sandbox machines) makes every start-up
    recompile setlist's modules from source, about 25 ms that no installed setlist pays.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


@dataclass(slots=True)
class Run:
    """One measured run: wall and CPU seconds, peak RSS of the largest process, stdout."""

    seconds: float
    cpu: float
    max_rss_mb: float = 0.0
    stdout: str = ""


# Starts a command, waits for it and reports its rusage on stderr. Measured commands run
# under it rather than straight from this process because Linux carries a process's peak RSS
# across fork and exec: a child of this benchmark (which holds every file's tags by now)
# would report this process's peak as its own. A child of this small launcher starts clean.
# The launcher's own start-up happens before the clock starts.
_LAUNCHER = """\
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stderr=subprocess.DEVNULL)
_pid, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - start
cpu = usage.ru_utime + usage.ru_stime
code = os.waitstatus_to_exitcode(status)
sys.stderr.write(f"{seconds} {cpu} {usage.ru_maxrss} {code}\\n")
"""


def run_process(command: Sequence[str]) -> Run:
    """Run `command` under the launcher: wall and CPU seconds (its reaped workers included),
    and ru_maxrss, the peak of the largest single process of its tree (not a sum)."""
    launcher = [sys.executable, "-S", "-c", _LAUNCHER, *command]
    done = subprocess.run(launcher, capture_output=True, env=child_env(), check=False)
    report = done.stderr.decode().split()
    if len(report) != 4:
        sys.exit(f"could not run {' '.join(command)}: {done.stderr.decode()[-500:]}")
    seconds, cpu, rss_kb, code = float(report[0]), float(report[1]), int(report[2]), report[3]
    if code != "0":
        print(f"warning: {' '.join(command)} exited {code}", file=sys.stderr)
    return Run(seconds, cpu, rss_kb / 1024, done.stdout.decode("utf-8", errors="replace"))


def _cpu_now() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_inprocess(function: Callable[[], object]) -> Run:
    """Time `function` here; CPU counts pool workers once they are reaped."""
    cpu, start = _cpu_now(), time.perf_counter()
    function()
    return Run(time.perf_counter() - start, _cpu_now() - cpu)


def baseline_loop(paths: Sequence[str]) -> None:
    """The cost of reading tags at all: mutagen sniffs and parses every file, nothing else."""
    for path in paths:
        mutagen.File(path)


def read_loop(paths: Sequence[str]) -> None:
    """setlist's own reader over every file, in this process, without storing anything."""
    from library.tags import read_tag_values

    for path in paths:
        read_tag_values(path)


def inprocess_scan(folder: Path, workers: int) -> None:
    """`library.scanning.scan` into a fresh database, no interpreter start-up counted."""
    from library.scanning import scan
    from library.storage import Store

    with tempfile.TemporaryDirectory(dir=WORK, prefix="db-") as tmp:
        store = Store(Path(tmp) / "library.db")
        try:
            scan(store, [folder], workers=workers)
        finally:
            store.close()


# A `setlist` entry point that also prints peak RSS: its own (the CLI process) and the
# largest reaped child (a worker). Used for the memory split only, never for timing.
_RSS_WRAPPER = """\
import atexit, resource, sys
def _report():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stdout.write(f"\\nRSS {own} {kids}\\n")
atexit.register(_report)
sys.argv[0] = "setlist"
from setlist.cli import main
main()
"""


@dataclass(slots=True)
class Row:
    """One line of the results table: how to run it once, its runs, the issue's target."""

    label: str
    once: Callable[[], Run]
    target: float | None = None
    expect: str = ""  # the --json count that must equal N ("added", "unchanged")
    runs: list[Run] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        """Median wall seconds: robust to the odd run a background task slows down."""
        return statistics.median(run.seconds for run in self.runs)

    @property
    def cpu(self) -> float:
        """Median CPU seconds (all processes): less sensitive than wall time to other load."""
        return statistics.median(run.cpu for run in self.runs)

    def ratio(self, baseline: Row) -> float:
        """Median over rounds of this row's time / the baseline's time in the same round.

        Steadier than a ratio of medians when the machine's speed drifts during the run.
        """
        pairs = zip(self.runs, baseline.runs, strict=True)
        return statistics.median(run.seconds / base.seconds for run, base in pairs)

    def note(self, count: int) -> str:
        """A warning when a scan did not see what the benchmark built (a figure would lie)."""
        if not self.expect:
            return ""
        try:
            outcome = json.loads(self.runs[-1].stdout)
        except json.JSONDecodeError:
            return "  !! output was not JSON"
        if outcome.get(self.expect) != count or outcome.get("errors"):
            errors = len(outcome.get("errors", []))
            return f"  !! {self.expect}={outcome.get(self.expect)}, errors={errors}"
        return ""


def cli_command() -> list[str]:
    """The installed `setlist` script beside this interpreter (the venv's)."""
    script = Path(sys.executable).with_name("setlist")
    if not script.exists():
        found = shutil.which("setlist")
        if found is None:
            sys.exit("setlist is not installed in this environment (make venv)")
        script = Path(found)
    return [str(script)]


def _rss_split(command: Sequence[str]) -> tuple[float, float] | None:
    """(CLI process MB, largest worker MB) from the wrapper's last line, if it printed one."""
    fields = run_process(command).stdout.rsplit("RSS ", 1)[-1].split()
    if len(fields) != 2 or not all(part.isdigit() for part in fields):
        return None
    return int(fields[0]) / 1024, int(fields[1]) / 1024


def measure(count: int, workers: int | None, repeat: int) -> None:
    """Build, warm up, measure everything in interleaved rounds, print the table."""
    WORK.mkdir(parents=True, exist_ok=True)
    folder, paths = build_library(count)
    setlist = cli_command()
    cpus = os.cpu_count() or 1
    pool = workers or cpus
    pool_args = ["--workers", str(workers)] if workers else []
    label = f"{pool} workers" + ("" if workers else ", the default")
    load_before = os.getloadavg()[0]
    keep = tempfile.TemporaryDirectory(dir=WORK, prefix="db-")
    rescan_db = str(Path(keep.name) / "library.db")

    def scan_into(db: str, extra: Sequence[str]) -> Run:
        return run_process([*setlist, "--db", db, "scan", str(folder), "--json", *extra])

    def cold(extra: Sequence[str]) -> Callable[[], Run]:
        def once() -> Run:
            with tempfile.TemporaryDirectory(dir=WORK, prefix="db-") as tmp:
                return scan_into(str(Path(tmp) / "library.db"), extra)

        return once

    def here(function: Callable[[], object]) -> Callable[[], Run]:
        return lambda: run_inprocess(function)

    def python(code: str) -> Callable[[], Run]:
        return lambda: run_process([sys.executable, "-c", code])

    rows = [
        Row("baseline: bare mutagen.File() loop, 1 process", here(lambda: baseline_loop(paths))),
        Row(f"setlist scan, cold, {label}", cold(pool_args), TARGET_COLD, "added"),
        Row("setlist scan, cold, --workers 1", cold(["--workers", "1"]), TARGET_ONE_WORKER,
            "added"),
        Row("setlist scan, rescan, nothing changed", lambda: scan_into(rescan_db, pool_args),
            TARGET_RESCAN, "unchanged"),
        Row("in-process: read_tag_values() loop, no storage", here(lambda: read_loop(paths))),
        Row("in-process: scanning.scan(), cold, workers=1",
            here(lambda: inprocess_scan(folder, 1))),
        Row(f"in-process: scanning.scan(), cold, workers={pool}",
            here(lambda: inprocess_scan(folder, pool))),
        Row("start-up: python -c pass", python("pass")),
        Row('start-up: python -c "import setlist.cli"', python("import setlist.cli")),
    ]  # fmt: skip
    baseline = rows[0]

    # Warm-up: every byte into the page cache, mutagen's format modules imported, one untimed
    # CLI scan so the interpreter's files and setlist's bytecode caches are warm (and written);
    # that scan also fills the database the rescans use.
    for path in paths:
        Path(path).read_bytes()
    baseline_loop(paths)
    read_loop(paths)
    scan_into(rescan_db, pool_args)
    # Rounds, each running every row once: a burst of load from elsewhere then slows one
    # round of everything rather than all the runs of one row (the baseline's, say).
    for _round in range(repeat):
        for row in rows:
            row.runs.append(row.once())
    with tempfile.TemporaryDirectory(dir=WORK, prefix="db-") as tmp:
        wrapped = [sys.executable, "-c", _RSS_WRAPPER, "--db", str(Path(tmp) / "library.db")]
        cold_split = _rss_split([*wrapped, "scan", str(folder), "--json", *pool_args])
        rescan_split = _rss_split([*wrapped, "scan", str(folder), "--json", *pool_args])
    keep.cleanup()
    load_after = os.getloadavg()[0]

    print(
        f"\nsetlist scan benchmark: {count} files ({', '.join(FORMATS)}) under {folder}\n"
        f"CPUs: {cpus}; medians of {repeat} interleaved rounds (each ratio within its round); "
        "warm cache\n(every file read and one scan run before timing); every cold scan into a "
        "fresh database;\nsubprocesses with bytecode caching on, as for an installed setlist\n"
    )
    print(f"{'':52} {'wall s':>7} {'x base':>7} {'cpu s':>7}   target")
    for row in rows:
        ratio = row.ratio(baseline)
        verdict = ""
        if row.target is not None:
            verdict = f"<= {row.target:.2f}x {'PASS' if ratio <= row.target else 'MISS'}"
        line = f"{row.label:52} {row.seconds:7.3f} {ratio:6.3f}x {row.cpu:7.3f}   {verdict}"
        print(line + row.note(count))
    print(
        f"\nper file: baseline {baseline.seconds / count * 1000:.3f} ms, setlist's reader "
        f"{rows[4].seconds / count * 1000:.3f} ms"
    )
    print(
        "\npeak memory, ru_maxrss of the largest single process (forked workers share the "
        "parent's pages, so these do not add up):"
    )
    for row in rows[1:4]:
        print(f"  {row.label:50} {max(run.max_rss_mb for run in row.runs):5.0f} MB")
    if cold_split and rescan_split:
        print(
            f"  cold, {label}: CLI process {cold_split[0]:.0f} MB, largest worker "
            f"{cold_split[1]:.0f} MB; rescan: CLI process {rescan_split[0]:.0f} MB, no worker"
        )
    if max(load_before, load_after) > 0.5:
        print(
            f"\nnote: load average {load_before:.1f} before, {load_after:.1f} after, on {cpus} "
            "CPUs: other processes competed for the CPUs, so wall times (the pooled scan most) "
            "are pessimistic; CPU seconds are less affected."
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options and run; always 0, since a benchmark reports and does not judge."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--files", type=int, default=2000, help="files to build (default 2000)")
    parser.add_argument(
        "--workers", type=int, default=None, help="workers for the pooled scans (default: CPUs)"
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="rounds, each running every figure once (default 5)"
    )
    options = parser.parse_args(argv)
    if options.files < 1 or options.repeat < 1 or (options.workers or 1) < 1:
        parser.error("--files, --repeat and --workers must be at least 1")
    measure(options.files, options.workers, options.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
