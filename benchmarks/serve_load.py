"""A bounded load test of ``stackpick serve`` on 127.0.0.1: many starter zips, some at once.

    python benchmarks/serve_load.py [--requests 500] [--concurrency 20] [--max-renders 4]
                                    [--workers 1] [--compare-workers 1,2] [--same-answers]
                                    [--json results.json] [--fresh-venv] [--temp-dir DIR]

Starts ``python -m stackpick serve`` on a free port with its own temporary folder (TMPDIR and
``--temp-dir``, inside ``--temp-dir`` if given), sends ``--requests`` zip requests (GET and
POST, rotating through answer sets of both frameworks) from ``--concurrency`` client threads,
checks every answer is a valid zip with the expected top folder (after the timed run: the
client shares the machine's cores with the server, and checking zips on the clock would take
CPU from it), and prints requests per second, latency percentiles and the server's resident
memory after a warm-up and at the end. Exits 1 on any error, or when a temporary folder is left
behind.

Each request names its own project (so each one renders), unless ``--same-answers``: then
the four answer sets repeat, and the server's cache of finished zips answers most of them.
``--compare-workers 1,2`` runs the same load once per worker count and prints the runs side
by side, with each one's throughput against the first.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

ANSWER_SETS: list[tuple[dict[str, str], str]] = [
    ({}, "my_project"),
    ({"project_name": "Shop", "app_type": "cms", "admin": "yes"}, "shop"),
    ({"project_name": "Tiny API", "app_type": "api", "database": "none"}, "tiny_api"),
    ({"project_name": "Big Site", "scale": "large", "i18n": "yes"}, "big_site"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mb(pids: list[int]) -> float:
    """Resident memory of the server's processes, in MiB (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes ``pids`` have used so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(field) for field in fields[11:15])  # utime, stime, and children's
    return total / ticks


def server_pids(root: int) -> list[int]:
    """The server and its worker processes."""
    pids = [root]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == root:
                pids.append(int(entry.name))
    return pids


class Answer(NamedTuple):
    """One request's latency, the folder its zip must hold, and the zip or the problem."""

    latency: float
    folder: str
    data: bytes = b""
    problem: str | None = None


def request(base: str, index: int, same: bool = True) -> Answer:
    """One zip request, timed; its zip is checked later (``check``), off the clock, so that
    the load's client spends as little of the machine's CPU as it can.

    ``same``: the answer set as it is; otherwise its project named after ``index``.
    """
    answers, folder = ANSWER_SETS[index % len(ANSWER_SETS)]
    if not same:
        name = answers.get("project_name", "My Project")
        answers = {**answers, "project_name": f"{name} {index}"}
        folder = f"{folder}_{index}"
    if index % 2:
        body = json.dumps(answers).encode()
        req = urllib.request.Request(
            f"{base}/starter.zip", body, {"content-type": "application/json"}, method="POST"
        )
    else:
        req = urllib.request.Request(f"{base}/starter.zip?{urllib.parse.urlencode(answers)}")
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=120) as response:
            data = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        problem = f"HTTP {error.code}: {error.read()[:200]!r}"
        return Answer(time.perf_counter() - start, folder, problem=problem)
    except OSError as error:
        problem = f"{type(error).__name__}: {error}"
        return Answer(time.perf_counter() - start, folder, problem=problem)
    elapsed = time.perf_counter() - start
    if status != 200:
        return Answer(elapsed, folder, problem=f"HTTP {status}")
    return Answer(elapsed, folder, data)


def check(answer: Answer) -> str | None:
    """The problem with ``answer``: its request failed, or its zip is not a valid one of
    exactly the expected top folder."""
    if answer.problem is not None:
        return answer.problem
    try:
        with zipfile.ZipFile(io.BytesIO(answer.data)) as archive:
            tops = {name.split("/")[0] for name in archive.namelist()}
            bad = archive.testzip()
    except zipfile.BadZipFile as error:
        return f"bad zip: {error}"
    if tops != {answer.folder} or bad is not None:
        return f"unexpected zip: top folders {sorted(tops)}, bad member {bad}"
    return None


def fresh_venv() -> str:
    """The python of a new venv with a regular (not editable) ``pip install <repo>[serve]``.

    As a team installs stackpick: an editable install adds a path hook that every Python
    start pays for, the template hooks' child processes included.
    """
    from bench import REPO
    from bench import fresh_venv as new_venv

    return str(new_venv(f"{REPO}[serve]") / "python")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--max-renders", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--compare-workers",
        help="Worker counts to run the same load with, one after the other (e.g. 1,2).",
    )
    parser.add_argument(
        "--same-answers",
        action="store_true",
        help="Repeat four answer sets (the server's zip cache answers repeats).",
    )
    parser.add_argument("--json", dest="json_path", help="Also write the figures here.")
    parser.add_argument(
        "--temp-dir",
        help="Where the server builds each request's project (serve --temp-dir), for example "
        "/dev/shm; default: the system's temporary folder.",
    )
    parser.add_argument(
        "--fresh-venv",
        action="store_true",
        help="Serve from a new venv with a regular install of this checkout (not editable).",
    )
    args = parser.parse_args(argv)
    args.python = fresh_venv() if args.fresh_venv else sys.executable
    counts = (
        [int(part) for part in args.compare_workers.split(",")]
        if args.compare_workers
        else [args.workers]
    )
    runs = []
    for workers in counts:
        figures, problems = run_load(args, workers)
        if figures is None:
            return 1
        runs.append(figures)
        report(figures, problems)
        if problems or figures["temporary_folders_left"]:
            return 1
    if len(runs) > 1:
        print("\nside by side (the same load, one run per worker count):")
        print(f"  {'workers':>7}  {'requests/s':>10}  {'p50 ms':>8}  {'p95 ms':>8}  "
              f"{'RSS MiB':>8}  vs {runs[0]['workers']} worker(s)")  # fmt: skip
        for figures in runs:
            ratio = figures["requests_per_second"] / runs[0]["requests_per_second"]
            figures["throughput_vs_first"] = round(ratio, 2)
            print(f"  {figures['workers']:>7}  {figures['requests_per_second']:>10}  "
                  f"{figures['latency_p50_ms']:>8}  {figures['latency_p95_ms']:>8}  "
                  f"{figures['server_rss_mb_after']:>8}  {ratio:.2f}x")  # fmt: skip
        print(f"  ({os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at the end)")
    if args.json_path:
        data = runs[0] if len(runs) == 1 else {"runs": runs}
        Path(args.json_path).write_text(json.dumps(data, indent=2) + "\n")
    return 0


def run_load(args: argparse.Namespace, workers: int) -> tuple[dict[str, object] | None, list[str]]:
    """Start a server with ``workers``, put the load on it; its figures and problems."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    same = args.same_answers
    with tempfile.TemporaryDirectory(prefix="serve-load-", dir=args.temp_dir) as scratch:
        temp = Path(scratch) / "tmp"
        temp.mkdir()
        env = {**os.environ, "TMPDIR": str(temp)}
        command = [
            args.python,
            "-m",
            "stackpick",
            "serve",
            "--port",
            str(port),
            "--max-renders",
            str(args.max_renders),
            "--workers",
            str(workers),
            "--temp-dir",
            str(temp),
        ]
        log = open(Path(scratch) / "server.log", "w+b")  # noqa: SIM115
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/api/questions", timeout=2):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        print(log.read().decode(errors="replace"), file=sys.stderr)
                        print("the server did not start", file=sys.stderr)
                        return None, []
                    time.sleep(0.1)
            pids = server_pids(server.pid)
            # warm-up: every answer set, both ways, on every worker
            for index in range(len(ANSWER_SETS) * 2 * workers):
                problem = check(request(base, args.requests + index, same))
                if problem:
                    print(f"warm-up failed: {problem}", file=sys.stderr)
                    return None, []
            memory_before = rss_mb(pids)
            server_cpu, client_cpu = cpu_seconds(pids), time.process_time()
            started = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                results = list(pool.map(lambda i: request(base, i, same), range(args.requests)))
            wall = time.perf_counter() - started
            server_cpu = cpu_seconds(pids) - server_cpu
            client_cpu = time.process_time() - client_cpu
            memory_after = rss_mb(server_pids(server.pid))
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.seek(0)
            server_log = log.read()
            log.close()
        left = sorted(p.name for p in temp.iterdir())

    latencies = [answer.latency for answer in results]
    problems = [problem for answer in results if (problem := check(answer))]
    figures: dict[str, object] = {
        "requests": args.requests,
        "concurrency": args.concurrency,
        "max_renders": args.max_renders,
        "workers": workers,
        "same_answers": same,
        "errors": len(problems),
        "seconds": round(wall, 3),
        "requests_per_second": round(args.requests / wall, 2),
        "latency_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "latency_p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "latency_max_ms": round(max(latencies) * 1000, 1),
        # CPU used during the timed run, as a share of one core: what the server's processes
        # used, and what the load's own client took from the same machine.
        "server_cores_busy": round(server_cpu / wall, 2),
        "client_cores_busy": round(client_cpu / wall, 2),
        "server_rss_mb_before": round(memory_before, 1),
        "server_rss_mb_after": round(memory_after, 1),
        "temporary_folders_left": left,
    }
    if problems:
        lines = server_log.decode(errors="replace").splitlines()
        unusual = [line for line in lines if not line.startswith("INFO:")][:80]
        problems.append("the server's log, but for its INFO lines:\n  " + "\n  ".join(unusual))
    return figures, problems


def report(figures: dict[str, object], problems: list[str]) -> None:
    print(
        f"{figures['requests']} zip requests, {figures['concurrency']} at a time "
        f"({figures['workers']} worker(s), {figures['max_renders']} renders at once each"
        f"{', four answer sets repeated' if figures['same_answers'] else ', each its own'}): "
        f"{figures['requests_per_second']} requests/s, "
        f"p50 {figures['latency_p50_ms']} ms, p95 {figures['latency_p95_ms']} ms, "
        f"max {figures['latency_max_ms']} ms"
    )
    print(
        f"cores busy during the run: server {figures['server_cores_busy']}, "
        f"this load's client {figures['client_cores_busy']}"
    )
    print(
        f"server memory (RSS): {figures['server_rss_mb_before']} MiB after warm-up, "
        f"{figures['server_rss_mb_after']} MiB after the run"
    )
    left = figures["temporary_folders_left"]
    print(f"errors: {figures['errors']}; temporary folders left: {len(left)}")  # type: ignore[arg-type]
    for problem in sorted(set(problems))[:6]:
        print(f"  {problem}")


if __name__ == "__main__":
    sys.exit(main())
