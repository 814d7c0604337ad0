"""Shell completion: the scripts click writes, and ``--set`` keys and values."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from stackpick.answers.completion import complete_answer
from stackpick.answers.questions import KEYS
from stackpick.cli import cli


def complete(shell: str, words: str, current: str) -> list[str]:
    env = {"_STACKPICK_COMPLETE": f"{shell}_complete", "COMP_WORDS": words, "COMP_CWORD": current}
    result = CliRunner().invoke(cli, [], env=env, prog_name="stackpick")
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "complete -o nosort -F"), ("zsh", "#compdef stackpick"), ("fish", "complete ")],
)
def test_each_shell_gets_its_script(shell: str, marker: str) -> None:
    env = {"_STACKPICK_COMPLETE": f"{shell}_source"}
    result = CliRunner().invoke(cli, [], env=env, prog_name="stackpick")
    assert result.exit_code == 0
    assert marker in result.output and "_STACKPICK_COMPLETE" in result.output


def test_bash_completes_commands_and_options() -> None:
    assert "plain,recommend" in complete("bash", "stackpick re", "1")
    assert complete("bash", "stackpick new --out", "2") == ["plain,--output-dir"]


def test_fish_completes_a_choice_after_set() -> None:
    found = complete("fish", "stackpick new --set app_type=", "app_type=")
    assert "plain,app_type=cms" in found and len(found) == 9


def test_zsh_completes_keys_and_values_after_set() -> None:
    assert complete("zsh", "stackpick new --set datab", "3") == ["plain", "database=", "_"]
    assert complete("zsh", "stackpick new --set app_type=c", "3") == ["plain", "app_type=cms", "_"]


def test_answer_completion_from_the_schema() -> None:
    assert complete_answer("") == [f"{key}=" for key in KEYS]
    assert complete_answer("database=") == [
        "database=none",
        "database=sqlite",
        "database=postgresql",
    ]
    assert complete_answer("docker=y") == ["docker=yes"]
    assert complete_answer("project_name=") == [] and complete_answer("nope=x") == []
