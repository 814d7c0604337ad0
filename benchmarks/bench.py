"""Benchmark stackpick against plain cookiecutter and a plain copy of the same output.

Run from the repository with the venv that has stackpick and cookiecutter installed:

    python benchmarks/bench.py [--repeat 7] [--json benchmarks/results.json]

Every command runs as its own process, as a user runs it. Wall time is the median of
the repetitions (after one warm-up run); peak memory is the child's maximum resident
set size (``os.wait4``). Ratios compare against the baseline of the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

DEFAULT = {"project_name": "Bench", "project_slug": "bench"}
FULL = {
    **DEFAULT,
    "database": "postgresql",
    "auth": True,
    "rest_api": True,
    "i18n": True,
    "ci": "github",
    "docker": True,
}
COPY = "import shutil, sys; shutil.copytree(sys.argv[1], sys.argv[2])"
CASES = {
    "flask default": ("flask", DEFAULT),
    "flask full": ("flask", {**FULL, "admin": True}),
    "django default": ("django", DEFAULT),
    "django full": ("django", FULL),
}


@dataclass
class Measurement:
    name: str
    median_s: float
    min_s: float
    peak_rss_mb: float


def measure(name: str, command: Callable[[Path], Sequence[str]], repeat: int) -> Measurement:
    """Run ``command(fresh_dir)`` ``repeat`` times after one warm-up; median wall time, max RSS."""
    times: list[float] = []
    peak = 0
    for attempt in range(repeat + 1):
        with tempfile.TemporaryDirectory() as scratch:
            args = list(command(Path(scratch)))
            start = time.perf_counter()
            process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
            if process.returncode != 0:
                error = process.stderr.read().decode() if process.stderr else ""
                raise SystemExit(f"{name}: {' '.join(args)} failed:\n{error}")
            if process.stderr:
                process.stderr.close()
        if attempt:  # the first run warms caches (disk, Jinja bytecode) and is not counted
            times.append(elapsed)
            peak = max(peak, usage.ru_maxrss)
    return Measurement(name, statistics.median(times), min(times), peak / 1024)


def set_args(answers: dict[str, object]) -> list[str]:
    args = []
    for key, value in answers.items():
        text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        args += ["--set", f"{key}={text}"]
    return args


def cookiecutter_args(answers: dict[str, object], framework: str) -> list[str]:
    keys = json.loads((REPO / "templates" / framework / "cookiecutter.json").read_text())
    pairs = []
    for key, value in answers.items():
        if key in keys:
            text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
            pairs.append(f"{key}={text}")
    return pairs


def fresh_venv() -> Path:
    """A new venv with ``pip install <repo> cookiecutter``; returns its ``bin``."""
    root = Path(tempfile.mkdtemp(prefix="stackpick-bench-"))
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True)
    pip = [str(root / "bin" / "python"), "-m", "pip", "install", "-q", str(REPO), "cookiecutter"]
    subprocess.run(pip, check=True)
    return root / "bin"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results.json")
    parser.add_argument(
        "--fresh-venv",
        action="store_true",
        help="Measure in a new venv with regular (not editable) installs of stackpick and "
        "cookiecutter, as users have them.",
    )
    options = parser.parse_args()
    bin_dir = fresh_venv() if options.fresh_venv else BIN
    stackpick, cookiecutter = bin_dir / "stackpick", bin_dir / "cookiecutter"
    for tool in (stackpick, cookiecutter):
        if not tool.exists():
            raise SystemExit(f"{tool} is missing: pip install -e '.[test]' into this venv first")
    python = str(bin_dir / "python")
    repeat = options.repeat
    rows: list[tuple[Measurement, Measurement | None]] = []
    ratios: dict[str, float] = {}

    baseline = measure("python -c pass", lambda d: [python, "-c", "pass"], repeat)
    rows.append((baseline, None))
    for name, args in [
        ("stackpick --help", ["--help"]),
        ("stackpick --version", ["--version"]),
        ("stackpick recommend --no-input", ["recommend", "--no-input"]),
    ]:
        result = measure(name, lambda d, a=args: [str(stackpick), *a], repeat)  # type: ignore[misc]
        rows.append((result, baseline))
        ratios[f"{name} / python -c pass"] = result.median_s / baseline.median_s

    cold_cache = tempfile.mkdtemp()
    for case, (framework, answers) in CASES.items():
        answers = {**answers, "framework": framework}

        def new(out: Path, a: dict[str, object] = answers) -> list[str]:
            return [
                str(stackpick),
                "new",
                "--no-input",
                "-q",
                "--output-dir",
                str(out),
                *set_args(a),
            ]

        def plain(out: Path, f: str = framework, a: dict[str, object] = answers) -> list[str]:
            template = str(REPO / "templates" / f)
            return [
                str(cookiecutter),
                "--no-input",
                "-o",
                str(out),
                template,
                *cookiecutter_args(a, f),
            ]

        ours = measure(f"stackpick new ({case})", new, repeat)
        theirs = measure(f"cookiecutter ({case})", plain, repeat)
        reference = Path(tempfile.mkdtemp()) / "out"
        subprocess.run(new(reference), check=True, stdout=subprocess.DEVNULL)
        floor = measure(
            f"python copy ({case})",
            lambda d, r=reference: [python, "-c", COPY, str(r), str(d / "copy")],  # type: ignore[misc]
            repeat,
        )
        shutil.rmtree(reference.parent)
        os.environ["XDG_CACHE_HOME"] = cold_cache
        cold = measure(f"stackpick new, cold Jinja cache ({case})", new, 1)
        shutil.rmtree(cold_cache, ignore_errors=True)
        os.environ.pop("XDG_CACHE_HOME")
        rows += [(ours, theirs), (theirs, None), (cold, theirs), (floor, theirs)]
        ratios[f"stackpick new / cookiecutter ({case})"] = ours.median_s / theirs.median_s
        ratios[f"stackpick new / python copy ({case})"] = ours.median_s / floor.median_s

    width = max(len(m.name) for m, _ in rows)
    print(f"{'command':<{width}}  {'median s':>9}  {'min s':>7}  {'peak MB':>8}  vs")
    for m, against in rows:
        vs = f"{m.median_s / against.median_s:.2f}x {against.name}" if against else ""
        print(f"{m.name:<{width}}  {m.median_s:9.3f}  {m.min_s:7.3f}  {m.peak_rss_mb:8.1f}  {vs}")
    print("\nratios (median wall time):")
    for name, value in ratios.items():
        print(f"  {name}: {value:.2f}")
    options.json.write_text(json.dumps({
        "python": sys.version.split()[0],
        "repeat": repeat,
        "measurements": [asdict(m) for m, _ in rows],
        "ratios": ratios,
    }, indent=2))  # fmt: skip
    print(f"\nwritten to {options.json}")


if __name__ == "__main__":
    main()
