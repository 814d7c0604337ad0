"""Answer sources: what each collects, and the priority they merge in."""

from __future__ import annotations

from stackpick.answers.sources import (
    Given,
    Source,
    from_environment,
    from_mapping,
    from_set_options,
    merge,
)


def test_priority_file_then_environment_then_set_then_prompt() -> None:
    file = from_mapping("answers file a.toml", {"app_type": "cms", "ci": "gitlab"}, {})
    env = from_environment({"STACKPICK_APP_TYPE": "api", "STACKPICK_SCALE": "medium"})
    sets = from_set_options(["scale=small"])
    prompt = Source("prompt", {"ci": Given("none", "prompt")})
    merged = merge([file, env, sets, prompt])
    assert merged["app_type"] == Given("api", "environment variable STACKPICK_APP_TYPE")
    assert merged["scale"].value == "small"
    assert merged["ci"] == Given("none", "prompt")


def test_reserved_test_variables_and_other_names_are_not_answers() -> None:
    assert from_environment({"STACKPICK_TEST_DATABASE_URL": "x", "PATH": "/bin"}).values == {}


def test_set_keeps_everything_after_the_first_equals_sign() -> None:
    source = from_set_options(["description=a=b", "scale=small", "scale=large"])
    assert source.values["description"].value == "a=b"
    assert source.values["scale"].value == "large"


def test_set_without_equals_sign_is_a_problem_of_the_source() -> None:
    assert "expected KEY=VALUE" in from_set_options(["scale"]).problems[0]


def test_file_values_keep_their_line() -> None:
    source = from_mapping("answers file a.toml", {"scale": "large"}, {"scale": "a.toml:3"})
    assert source.values["scale"] == Given("large", "a.toml:3")
