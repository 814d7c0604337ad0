"""Benchmark stackpick against plain cookiecutter and a plain copy of the same output.

Run from the repository with the venv that has stackpick and cookiecutter installed:

    python benchmarks/bench.py [--repeat 7] [--json benchmarks/results.json] [--fresh-venv]

``stackpick new --no-input`` and ``cookiecutter --no-input`` render the SAME template
(a bundled one, or a copy of it given as a team's own with ``--template``) with the
SAME values, every template variable given explicitly to both; before timing, the
two outputs are checked to be the same files (stackpick's own additions aside).
The goal (issue 9): stackpick takes at most ``GOAL`` times cookiecutter's time for the
same work, that is ``new --no-git`` (cookiecutter makes no git repository); ``new`` as
it runs by default, with its repository and first commit, is measured beside it.

Every command runs as its own process, as a user runs it. Commands that are compared
run in interleaved rounds (one warm-up round not counted), so that drift in the
machine's speed weighs on all of them alike; wall time is the median over the rounds,
peak memory the child's maximum resident set size (``os.wait4``). A ratio is the median
of the rounds' ratios against the baseline run in the same round.
"""

from __future__ import annotations

import argparse
import atexit
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
#: case -> (framework, answers, the template given as a team's own with --template)
CASES = {
    "flask default": ("flask", DEFAULT, False),
    "flask full": ("flask", {**FULL, "admin": True}, False),
    "django default": ("django", DEFAULT, False),
    "django full": ("django", FULL, False),
    "flask own template": ("flask", {**FULL, "admin": True}, True),
}
#: stackpick new --no-git should take at most this fraction of cookiecutter --no-input's time.
GOAL = 0.7
#: stackpick's own additions to a project, not compared with cookiecutter's output.
OURS_ONLY = (".stackpick.toml", ".env", "docs/decisions", ".git")


@dataclass
class Measurement:
    name: str
    median_s: float
    min_s: float
    peak_rss_mb: float
    #: Each counted round's wall time, in round order (for ratios taken round by round).
    times_s: tuple[float, ...] = ()
    #: Each counted round's CPU time (user and system, the command and its children): what
    #: the work costs, less swayed than wall time by other programs on a busy machine.
    cpu_s: tuple[float, ...] = ()


def paired_ratio(a: Measurement, b: Measurement) -> float:
    """The median of ``a``'s time over ``b``'s, round by round.

    Both ran in the same rounds, one after the other, so each round's ratio sees the
    machine at one speed; its median holds steady where a ratio of medians drifts with
    a noisy machine. Falls back to the ratio of medians without round times.
    """
    if a.times_s and len(a.times_s) == len(b.times_s):
        return statistics.median(x / y for x, y in zip(a.times_s, b.times_s, strict=True))
    return a.median_s / b.median_s


def cpu_ratio(a: Measurement, b: Measurement) -> float:
    """``paired_ratio`` of CPU time (``nan`` without CPU times)."""
    if a.cpu_s and len(a.cpu_s) == len(b.cpu_s):
        return statistics.median(x / y for x, y in zip(a.cpu_s, b.cpu_s, strict=True))
    return float("nan")


Command = Callable[[Path], Sequence[str]]


def run_once(name: str, command: Command) -> tuple[float, int, float]:
    """Run ``command(fresh_dir)`` once: wall seconds, peak RSS in KiB, CPU seconds."""
    with tempfile.TemporaryDirectory() as scratch:
        args = list(command(Path(scratch)))
        start = time.perf_counter()
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        error = process.stderr.read().decode() if process.stderr else ""
        if process.stderr:
            process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{name}: {' '.join(args)} failed:\n{error}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def measure(commands: dict[str, Command], repeat: int) -> dict[str, Measurement]:
    """Median wall time and peak RSS of each command over ``repeat`` interleaved rounds.

    Each round runs every command once, in turn, so that a machine slowing down or
    speeding up during the run weighs on all of them alike; a first round warms the
    caches (disk, Jinja bytecode) and is not counted.
    """
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    peaks = dict.fromkeys(commands, 0)
    for round_number in range(repeat + 1):
        for name, command in commands.items():
            elapsed, peak, used = run_once(name, command)
            if round_number:
                times[name].append(elapsed)
                cpu[name].append(used)
                peaks[name] = max(peaks[name], peak)
    return {
        name: Measurement(
            name, statistics.median(t), min(t), peaks[name] / 1024, tuple(t), tuple(cpu[name])
        )
        for name, t in times.items()
    }


def _text(value: object) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)


def template_values(template: Path, answers: dict[str, object]) -> dict[str, str]:
    """Every variable the template declares, its default or the answer, as command-line text.

    Both tools get all of them, so that neither falls back on defaults of its own.
    """
    declared = json.loads((template / "cookiecutter.json").read_text(encoding="utf-8"))
    values: dict[str, str] = {}
    for key, default in declared.items():
        if key.startswith("_"):
            continue
        if key in answers:
            values[key] = _text(answers[key])
        elif isinstance(default, list):
            values[key] = _text(default[0])
        elif isinstance(default, (str, bool, int, float)) and "{" not in str(default):
            values[key] = _text(default)
    return values


def tree(root: Path, ignore: tuple[str, ...] = ()) -> dict[str, tuple[bytes, bool]]:
    """Every file below ``root``: its bytes and whether it is executable."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not any(
            relative == i or relative.startswith(f"{i}/") for i in ignore
        ):
            found[relative] = (path.read_bytes(), os.access(path, os.X_OK))
    return found


def check_same_output(case: str, ours: Path, theirs: Path) -> None:
    """Stop the benchmark when the two tools did not write the same project."""
    (mine,), (plain,) = list(ours.iterdir()), list(theirs.iterdir())
    a, b = tree(mine, OURS_ONLY), tree(plain)
    if mine.name != plain.name or a != b:
        differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        raise SystemExit(
            f"{case}: stackpick and cookiecutter wrote different projects "
            f"({mine.name} vs {plain.name}; {', '.join(differ[:10])}); not comparable"
        )


def cookiecutter_config(folder: Path) -> Path:
    """A cookiecutter configuration that keeps its clones and replay files in ``folder``."""
    config = folder / "cookiecutter.yaml"
    config.write_text(
        f"cookiecutters_dir: {folder / 'templates'}\nreplay_dir: {folder / 'replay'}\n"
    )
    return config


def fresh_venv(*requirements: str) -> Path:
    """A new venv, removed at exit, with a regular (not editable) ``pip install`` of
    ``requirements`` (default: this checkout and cookiecutter); returns its ``bin``."""
    root = Path(tempfile.mkdtemp(prefix="stackpick-bench-venv-"))
    atexit.register(shutil.rmtree, root, True)
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True)
    wanted = requirements or (str(REPO), "cookiecutter")
    pip = [str(root / "bin" / "python"), "-m", "pip", "install", "-q", *wanted]
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
    parser.add_argument(
        "--zero-to-green",
        action="store_true",
        help="Measure only zero to green (new --setup against the README's pip route; "
        "see zero_to_green.py), into benchmarks/zero_to_green.json.",
    )
    options = parser.parse_args()
    # Installed code runs from bytecode (pip compiles it): with PYTHONDONTWRITEBYTECODE set, an
    # editable checkout's changed modules would be compiled again in every timed run.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    bin_dir = fresh_venv() if options.fresh_venv else BIN
    if options.zero_to_green:
        from zero_to_green import run

        json_path = options.json
        if json_path == parser.get_default("json"):
            json_path = REPO / "benchmarks" / "zero_to_green.json"
        run(bin_dir, options.repeat, json_path)
        return
    stackpick, cookiecutter = bin_dir / "stackpick", bin_dir / "cookiecutter"
    for tool in (stackpick, cookiecutter):
        if not tool.exists():
            raise SystemExit(f"{tool} is missing: pip install -e '.[test]' into this venv first")
    python = str(bin_dir / "python")
    repeat = options.repeat
    rows: list[tuple[Measurement, Measurement | None]] = []
    ratios: dict[str, float] = {}

    start_up = measure(
        {
            "python -c pass": lambda d: [python, "-c", "pass"],
            "stackpick --help": lambda d: [str(stackpick), "--help"],
            "stackpick --version": lambda d: [str(stackpick), "--version"],
            "stackpick recommend --no-input": lambda d: [str(stackpick), "recommend", "--no-input"],
        },
        repeat,
    )
    baseline = start_up.pop("python -c pass")
    rows.append((baseline, None))
    for name, result in start_up.items():
        rows.append((result, baseline))
        ratios[f"{name} / python -c pass"] = paired_ratio(result, baseline)

    scratch = Path(tempfile.mkdtemp(prefix="stackpick-bench-"))
    atexit.register(shutil.rmtree, scratch, True)
    config = cookiecutter_config(scratch)
    # stackpick's cache for the warm runs: the bench's own, never the user's.
    warm_cache, saved_cache = str(scratch / "cache"), os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = warm_cache
    goal_met: dict[str, bool] = {}
    for case, (framework, answers, own_template) in CASES.items():
        template = REPO / "templates" / framework
        if own_template:
            template = scratch / f"team-{framework}"
            shutil.rmtree(template, ignore_errors=True)
            shutil.copytree(REPO / "templates" / framework, template)
        values = {**template_values(template, answers), "framework": framework}
        option = ["--template", f"{framework}={template}"] if own_template else []

        def new(out: Path, v: dict[str, str] = values, o: list[str] = option) -> list[str]:
            sets = [arg for k, t in v.items() for arg in ("--set", f"{k}={t}")]
            return [str(stackpick), "new", "--no-input", "-q", "--output-dir", str(out),
                    *o, *sets]  # fmt: skip

        def plain(out: Path, v: dict[str, str] = values, t: Path = template) -> list[str]:
            pairs = [f"{k}={text}" for k, text in v.items() if k != "framework"]
            return [str(cookiecutter), "--no-input", "--config-file", str(config), "-o",
                    str(out), str(t), *pairs]  # fmt: skip

        reference = Path(tempfile.mkdtemp(dir=scratch)) / "out"
        subprocess.run(new(reference), check=True, stdout=subprocess.DEVNULL)
        subprocess.run(plain(reference.parent / "plain"), check=True, stdout=subprocess.DEVNULL)
        check_same_output(case, reference, reference.parent / "plain")

        def copy(out: Path, r: Path = reference) -> list[str]:
            return [python, "-c", COPY, str(r), str(out / "copy")]

        def new_no_git(out: Path, n: Command = new) -> list[str]:
            return [*n(out), "--no-git"]

        results = measure(
            {
                f"stackpick new ({case})": new,
                f"stackpick new --no-git ({case})": new_no_git,
                f"cookiecutter --no-input ({case})": plain,
                f"python copy ({case})": copy,
            },
            repeat,
        )
        ours, ours_no_git, theirs, floor = results.values()
        shutil.rmtree(reference.parent)
        cold_cache = tempfile.mkdtemp(dir=scratch)
        os.environ["XDG_CACHE_HOME"] = cold_cache
        elapsed, peak, used = run_once("cold", new)
        cold = Measurement(
            f"stackpick new, cold cache ({case})", elapsed, elapsed, peak / 1024, (), (used,)
        )
        shutil.rmtree(cold_cache, ignore_errors=True)
        os.environ["XDG_CACHE_HOME"] = warm_cache
        rows += [(ours, theirs), (ours_no_git, theirs), (theirs, None), (cold, theirs)]
        rows.append((floor, theirs))
        ratio = paired_ratio(ours, theirs)
        ratios[f"stackpick new / cookiecutter ({case})"] = ratio
        ratios[f"stackpick new --no-git / cookiecutter ({case})"] = paired_ratio(
            ours_no_git, theirs
        )
        ratios[f"stackpick new --no-git / cookiecutter, CPU time ({case})"] = cpu_ratio(
            ours_no_git, theirs
        )
        ratios[f"stackpick new / python copy ({case})"] = paired_ratio(ours, floor)
        # The same work as cookiecutter's: the same files, no repository (see GOAL).
        goal_met[case] = ratios[f"stackpick new --no-git / cookiecutter ({case})"] <= GOAL
    if saved_cache is None:
        os.environ.pop("XDG_CACHE_HOME")
    else:
        os.environ["XDG_CACHE_HOME"] = saved_cache

    width = max(len(m.name) for m, _ in rows)
    print(f"{'command':<{width}}  {'median s':>9}  {'min s':>7}  {'cpu s':>6}  {'peak MB':>8}  vs")
    for m, against in rows:
        vs = f"{paired_ratio(m, against):.2f}x {against.name}" if against else ""
        used = statistics.median(m.cpu_s) if m.cpu_s else float("nan")
        print(
            f"{m.name:<{width}}  {m.median_s:9.3f}  {m.min_s:7.3f}  {used:6.3f}  "
            f"{m.peak_rss_mb:8.1f}  {vs}"
        )
    print("\nratios (wall time, the median of the rounds' ratios):")
    for name, value in ratios.items():
        print(f"  {name}: {value:.2f}")
    print(
        f"\ngoal: stackpick new <= {GOAL:.2f}x cookiecutter --no-input, doing the same work: "
        "the same template,\n  values and files, so new --no-git (cookiecutter makes no "
        "repository); new with its\n  git repository and first commit is shown beside it"
    )
    for case, met in goal_met.items():
        ratio = ratios[f"stackpick new / cookiecutter ({case})"]
        no_git = ratios[f"stackpick new --no-git / cookiecutter ({case})"]
        used = ratios[f"stackpick new --no-git / cookiecutter, CPU time ({case})"]
        verdict = "met" if met else "NOT met"
        print(
            f"  {case}: new --no-git {no_git:.2f}x  {verdict}  (CPU time {used:.2f}x; "
            f"new with git: {ratio:.2f}x)"
        )
    options.json.write_text(json.dumps({
        "python": sys.version.split()[0],
        "repeat": repeat,
        "measurements": [asdict(m) for m, _ in rows],
        "ratios": ratios,
        "goal": GOAL,
        "goal_met": goal_met,
    }, indent=2))  # fmt: skip
    print(f"\nwritten to {options.json}")


if __name__ == "__main__":
    main()
