"""Zero to green: ``stackpick new --setup`` against the README's manual route with pip.

Run from the repository with the venv that has stackpick (and uv) installed:

    python benchmarks/zero_to_green.py [--repeat 3] [--json benchmarks/zero_to_green.json]

(or ``python benchmarks/bench.py --zero-to-green``). Each route starts from nothing and
ends with the default Flask project's tests passing in its ``.venv``:

* ``stackpick new --setup`` (uv): generate, ``.venv``, install with uv, migrate, test;
* the same with ``--installer pip``;
* the manual route: ``stackpick new``, then the README's first command without its
  final "start the server" part, then its second command (pip, as the README says).

The routes run in interleaved rounds after one warm-up round that is not counted, so the
package caches of pip and uv are warm, as the figure promises.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import BIN, REPO, Measurement, measure, paired_ratio

ANSWERS = ["--set", "project_name=Bench", "--set", "project_slug=bench", "--set", "framework=flask"]
GOAL_RATIO = 0.3
GOAL_SECONDS = 5.0
UV_ROUTE = "stackpick new --setup (uv)"
PIP_ROUTE = "stackpick new --setup (pip)"
MANUAL_ROUTE = "manual README route (pip)"


def has_setup_option(stackpick: Path) -> bool:
    """Whether this stackpick's ``new`` takes ``--setup`` (else ``new`` then ``setup``)."""
    done = subprocess.run([str(stackpick), "new", "--help"], capture_output=True, text=True)
    return "--setup" in done.stdout


def manual_commands(stackpick: Path) -> str:
    """The README's two commands for the default Flask project, without starting the server."""
    from stackpick._toml import loads

    with tempfile.TemporaryDirectory() as scratch:
        new = [str(stackpick), "new", "--no-input", "-q", "-o", scratch, *ANSWERS]
        subprocess.run(new, check=True, capture_output=True)
        project = loads((Path(scratch) / "bench" / ".stackpick.toml").read_text())["project"]
    first, second = project["next_steps"][:2]
    parts = [p.strip() for p in first.split("&&")][:-1]  # its last part starts the server
    return " && ".join([*parts, second])


def routes(stackpick: Path) -> dict[str, str]:
    """Shell command lines (``{out}`` is a fresh folder) for the three routes."""
    sp = str(stackpick)
    new = f"{sp} new --no-input -q -o {{out}} {' '.join(ANSWERS)}"
    project = "{out}/bench"
    if has_setup_option(stackpick):
        ours = f"{new} --setup"
    else:
        ours = f"{new} && {sp} setup --project {project} --installer uv"
    return {
        UV_ROUTE: ours,
        PIP_ROUTE: f"{new} && {sp} setup --project {project} --installer pip",
        MANUAL_ROUTE: f"{new} && cd {project} && {manual_commands(stackpick)}",
    }


def zero_to_green(bin_dir: Path, repeat: int) -> tuple[list[Measurement], dict[str, float]]:
    """Measure the three routes; returns the measurements and the ratios to the manual one."""
    stackpick = bin_dir / "stackpick"
    if not stackpick.exists():
        raise SystemExit(f"{stackpick} is missing: pip install -e '.[test]' into this venv first")
    lines = routes(stackpick)
    commands = {
        name: (lambda out, line=line: ["bash", "-c", line.format(out=out)])
        for name, line in lines.items()
    }
    results = measure(commands, repeat)
    manual = results[MANUAL_ROUTE]
    ratios = {
        f"{name} / {MANUAL_ROUTE}": paired_ratio(m, manual)
        for name, m in results.items()
        if name != MANUAL_ROUTE
    }
    return list(results.values()), ratios


def report(measurements: list[Measurement], ratios: dict[str, float]) -> list[str]:
    width = max(len(m.name) for m in measurements)
    lines = [f"{'zero to green (flask default)':<{width}}  {'median s':>9}  {'min s':>7}"]
    lines += [f"{m.name:<{width}}  {m.median_s:9.2f}  {m.min_s:7.2f}" for m in measurements]
    lines.append("\nratios (wall time, the median of the rounds' ratios):")
    lines += [f"  {name}: {value:.2f}x" for name, value in ratios.items()]
    ours = next(m for m in measurements if m.name == UV_ROUTE)
    ratio = ratios[f"{UV_ROUTE} / {MANUAL_ROUTE}"]
    lines.append(
        f"\ngoal: <= {GOAL_RATIO}x the manual route ({'met' if ratio <= GOAL_RATIO else 'missed'}:"
        f" {ratio:.2f}x) and under {GOAL_SECONDS:.0f} s with uv "
        f"({'met' if ours.median_s < GOAL_SECONDS else 'missed'}: {ours.median_s:.2f} s)"
    )
    return lines


def run(bin_dir: Path, repeat: int, json_path: Path) -> None:
    measurements, ratios = zero_to_green(bin_dir, repeat)
    print("\n".join(report(measurements, ratios)))
    no_bytecode = os.environ.get("PYTHONDONTWRITEBYTECODE", "")
    print(f"(PYTHONDONTWRITEBYTECODE={no_bytecode!r}, {os.cpu_count()} CPUs)")
    json_path.write_text(json.dumps({
        "python": sys.version.split()[0],
        "repeat": repeat,
        "PYTHONDONTWRITEBYTECODE": no_bytecode,
        "measurements": [asdict(m) for m in measurements],
        "ratios": ratios,
    }, indent=2))  # fmt: skip
    print(f"\nwritten to {json_path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks" / "zero_to_green.json")
    options = parser.parse_args()
    run(BIN, options.repeat, options.json)


if __name__ == "__main__":
    main()
