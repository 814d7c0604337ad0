"""stackpick as users get it: a wheel in a fresh venv, and the README's CI snippets."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from generated import REPO, run, shared_venv


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with stackpick installed from a freshly built wheel; returns its bin dir."""
    root = tmp_path_factory.mktemp("dist")
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", root / "wheel", REPO],
        cwd=root,
    )
    (wheel,) = (root / "wheel").glob("stackpick-*.whl")
    run([sys.executable, "-m", "venv", root / "venv"], cwd=root)
    bin_dir = root / "venv" / "bin"
    run([bin_dir / "python", "-m", "pip", "install", "-q", wheel], cwd=root)
    return bin_dir


@pytest.mark.generated
def test_wheel_carries_the_templates_and_runs_from_anywhere(
    installed: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "unrelated"
    elsewhere.mkdir()
    assert run([installed / "stackpick", "--version"], cwd=elsewhere).stdout.startswith(
        "stackpick "
    )
    result = run([installed / "stackpick", "new", "--no-input", "--quiet"], cwd=elsewhere)
    project = Path(result.stdout.strip())
    assert project == elsewhere / "my_project"
    assert (project / "pyproject.toml").is_file() and (project / ".stackpick.toml").is_file()
    assert not list(project.rglob("__pycache__"))
    django = run(
        [
            installed / "stackpick",
            "new",
            "Other",
            "--no-input",
            "--quiet",
            "--set",
            "framework=django",
        ],
        cwd=elsewhere,
    )
    assert (Path(django.stdout.strip()) / "manage.py").is_file()


def _readme_snippets() -> tuple[str, list[str], list[str]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Use in CI") :]
    blocks = re.findall(r"```yaml\n(.*?)```", section, flags=re.DOTALL)
    answers, github, gitlab = blocks[0], yaml.safe_load(blocks[1]), yaml.safe_load(blocks[2])
    github_steps = [s["run"] for s in github["jobs"]["scaffold"]["steps"] if "run" in s]
    gitlab_steps = gitlab["scaffold"]["script"]
    return answers, github_steps, gitlab_steps


@pytest.mark.generated
def test_readme_ci_snippets_scaffold_and_test_a_project(installed: Path, tmp_path: Path) -> None:
    answers, github_steps, gitlab_steps = _readme_snippets()
    assert github_steps == gitlab_steps, "the GitHub and GitLab jobs should run the same commands"
    assert github_steps[0] == "python -m pip install stackpick"
    (tmp_path / "stackpick.yaml").write_text(answers, encoding="utf-8")
    env = {"PATH": f"{installed}:/usr/bin:/bin", "VIRTUAL_ENV": str(installed.parent)}
    for step in github_steps[1:]:  # stackpick itself is installed from the wheel above
        subprocess.run(
            ["bash", "-euo", "pipefail", "-c", step], cwd=tmp_path, env=env, check=True, timeout=900
        )
    project = Path((tmp_path / "project-path").read_text().strip())
    assert project.parent == tmp_path / "build"


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.DOTALL)
    assert readme.startswith("# stackpick\n\n```sh\n")
    install_and_run, install_and_test = blocks[0].strip(), blocks[1].strip()
    assert install_and_run == "python -m pip install . && stackpick new --no-input --output-dir .."
    assert "pip install -e '.[test]'" in install_and_test and "pytest" in install_and_test
    extract = "awk '/^```/ {n++; next} n == 3 {print; exit}' README.md"
    assert extract in (REPO / ".ci" / "run").read_text(encoding="utf-8")
    shown = subprocess.run(["bash", "-c", extract], cwd=REPO, capture_output=True, text=True)
    assert shown.stdout.strip() == install_and_test


@pytest.mark.generated
def test_readme_first_command_from_a_clean_clone_leaves_the_clone_clean(tmp_path: Path) -> None:
    """The README's first command, run verbatim in a fresh clone, puts the project beside it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first = re.findall(r"```sh\n(.*?)```", readme, flags=re.DOTALL)[0].strip()
    clone = tmp_path / "stackpick"
    run(["git", "clone", "-q", "--no-hardlinks", REPO, clone], cwd=tmp_path)
    # The clone holds what is committed; the test runs against the working tree's README.
    (clone / "README.md").write_text(readme, encoding="utf-8")
    run(
        ["git", "-C", clone, "commit", "-qam", "README under test", "--allow-empty"],
        cwd=tmp_path,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
        },
    )
    requirements = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    bin_dir = shared_venv("readme-first", requirements)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "VIRTUAL_ENV": str(bin_dir.parent),
        "HOME": str(tmp_path / "home"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", first],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert run(["git", "status", "--porcelain"], cwd=clone).stdout == ""
    ignored = run(["git", "status", "--porcelain", "--ignored"], cwd=clone).stdout
    assert "my_project" not in ignored, ignored
    project = tmp_path / "my_project"
    assert (project / ".stackpick.toml").is_file()
    top = run(["git", "rev-parse", "--show-toplevel"], cwd=project).stdout.strip()
    assert Path(top) == project
    assert run(["git", "log", "--oneline"], cwd=project).stdout.strip()
