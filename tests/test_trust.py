"""The trust gate (``trust.py``): remote templates run their code only when trusted.

No test reaches the internet: ``git+file://`` URLs and a zip served from 127.0.0.1 are
remote sources; ``gh:``/``gl:``/``bb:`` and ``git@host:`` are checked on a local copy.
"""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import team_template_support as team
from stackpick import cli as cli_module
from stackpick.cli import cli
from stackpick.errors import BadInput
from stackpick.trust import Trust, check, code_in, is_remote, is_trusted

HOW = "if you trust it, give --trust"


def new(tmp_path: Path, source: str, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(
        cli,
        ["new", "--template", f"django={source}", "--set", "framework=django",
         "-o", str(tmp_path / "out"), *args],
        input=input,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("source", "remote"),
    [
        ("gh:acme/tpl", True), ("gl:acme/tpl", True), ("bb:acme/tpl", True),
        ("https://example.com/t.zip", True), ("git+file:///srv/t", True),
        ("git@git.acme.dev:platform/t.git", True), ("/home/me/tpl", False),
        ("./tpl.zip", False), ("tpl", False),
    ],
)  # fmt: skip
def test_remote_sources_are_urls_and_abbreviations(source: str, remote: bool) -> None:
    assert is_remote(source) is remote


def test_trusted_entries_match_by_prefix_or_exactly_and_cannot_be_escaped() -> None:
    assert is_trusted("gh:acme/tpl", ["gh:acme/"])
    assert is_trusted("https://github.com/acme/tpl.git", ["gh:acme/"])
    assert not is_trusted("gh:acme-evil/tpl", ["gh:acme/"])
    assert not is_trusted("gh:acme/../evil/tpl", ["gh:acme/"])
    assert not is_trusted("https://github.com/acme/%2e%2e/evil/t", ["gh:acme/"])
    assert is_trusted("gh:acme/tpl", ["https://github.com/acme/tpl"])
    assert not is_trusted("gh:acme/tpl2", ["gh:acme/tpl"])


def test_hooks_and_own_extensions_are_code_cookiecutters_are_not(tmp_path: Path) -> None:
    root = team.write(tmp_path / "tpl")
    extensions = ["cookiecutter.extensions.SlugifyExtension", "local_extensions.Shout"]
    assert code_in(root, {"_extensions": extensions}) == [
        "hooks/post_gen_project.py",
        "Jinja extension local_extensions.Shout",
    ]


@pytest.mark.parametrize("source", ["gh:acme/tpl", "gl:acme/tpl", "bb:acme/tpl", "git@h:t"])
def test_each_abbreviation_is_gated(tmp_path: Path, source: str) -> None:
    root = team.write(tmp_path / "tpl")
    with pytest.raises(BadInput, match=HOW):
        check("--template django", source, root, {}, Trust())
    check("--template django", source, root, {}, Trust(everything=True))
    check(
        "--template django",
        source,
        root,
        {},
        Trust(trusted=("gh:acme/", "gl:acme/", "bb:acme/", "git@h:t")),
    )
    asked: list[str] = []
    check("--template django", source, root, {}, Trust(confirm=lambda q: asked.append(q) or True))
    assert "hooks/post_gen_project.py" in asked[0]


def test_a_git_url_is_refused_off_a_terminal_and_runs_nothing(tmp_path: Path) -> None:
    repo = team.repository(tmp_path / "repo")
    result = new(tmp_path, f"git+file://{repo}", "--no-input")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and HOW in lines[0] and "hooks/post_gen_project.py" in lines[0]
    assert not (tmp_path / "out").exists()


def test_a_git_url_runs_with_trust_from_the_option_config_or_answers_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = team.repository(tmp_path / "repo")
    url = f"git+file://{repo}"
    assert new(tmp_path, url, "--no-input", "--trust").exit_code == 0
    config = tmp_path / "config"
    (config / "stackpick").mkdir(parents=True)
    (config / "stackpick" / "config.toml").write_text(f'trusted = ["git+file://{tmp_path}/"]\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    assert new(tmp_path, url, "--no-input", "--force").exit_code == 0
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "none"))
    answers = tmp_path / "answers.toml"
    answers.write_text(f'trusted = ["{url}"]\n')
    result = new(tmp_path, url, "--no-input", "--force", "--answers", str(answers))
    assert result.exit_code == 0, result.output


def test_on_a_terminal_the_question_lists_what_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = team.repository(tmp_path / "repo")
    monkeypatch.setattr(cli_module, "stdin_is_interactive", lambda: True)
    monkeypatch.setattr("stackpick.ui.prompts.interview", lambda session, given, **k: _none())
    no = new(tmp_path, f"git+file://{repo}", input="n\n")
    assert no.exit_code == 2 and "hooks/post_gen_project.py. Run it? [y/N]" in no.output
    assert not (tmp_path / "out").exists()
    yes = new(tmp_path, f"git+file://{repo}", input="y\n")
    assert yes.exit_code == 0, yes.output


def _none() -> object:
    from stackpick.answers.sources import Source

    return Source("prompt", {})


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """A zip of the template served over HTTP from 127.0.0.1."""
    root = team.write(tmp_path / "zipped" / "tpl")
    shutil.make_archive(str(tmp_path / "site" / "tpl"), "zip", root.parent)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(tmp_path / "site"), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tpl.zip"
    finally:
        server.shutdown()


def test_a_zip_url_is_gated_and_a_local_zip_is_not(tmp_path: Path, served: str) -> None:
    refused = new(tmp_path, served, "--no-input")
    assert refused.exit_code == 2 and HOW in refused.output
    assert new(tmp_path, served, "--no-input", "--trust").exit_code == 0
    local = tmp_path / "site" / "tpl.zip"
    assert new(tmp_path, str(local), "--no-input", "--force").exit_code == 0


@pytest.mark.parametrize(
    "source", ["git+https://127.0.0.1:9/t.git", "http://127.0.0.1:9/t.zip", "git+file:///missing"]
)
def test_an_unreachable_source_is_one_line(tmp_path: Path, source: str) -> None:
    result = new(tmp_path, source, "--no-input")  # nothing listens on port 9 (discard)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --template django="), result.output
    assert "Traceback" not in result.output


def test_a_remote_template_that_runs_no_code_needs_no_trust(tmp_path: Path) -> None:
    repo = team.repository(tmp_path / "repo")
    team.git(repo, "rm", "-q", "hooks/post_gen_project.py")
    team.git(repo, "commit", "-qm", "no hooks")
    assert new(tmp_path, f"git+file://{repo}", "--no-input").exit_code == 0


def test_update_asks_trust_again_and_reads_the_projects_own_list(tmp_path: Path) -> None:
    repo = team.repository(tmp_path / "repo")
    url = f"git+file://{repo}"
    assert new(tmp_path, url, "--no-input", "--trust").exit_code == 0
    project = tmp_path / "out" / "my_awesome_project"
    update = ["update", "--no-input", "--project", str(project)]
    refused = CliRunner().invoke(cli, update)
    assert refused.exit_code == 2 and HOW in refused.output
    recorded = project / ".stackpick.toml"
    recorded.write_text(f'trusted = ["{url}"]\n' + recorded.read_text())
    team.git(project, "commit", "-qam", "trust our template")
    result = CliRunner().invoke(cli, update)
    assert result.exit_code == 0, result.output
