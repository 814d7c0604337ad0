"""Validation: the same whatever the source, every problem at once, framework limits."""

from __future__ import annotations

import pytest

from stackpick.answers.from_template import limits
from stackpick.answers.sources import (
    Given,
    Source,
    from_environment,
    from_mapping,
    from_set_options,
    merge,
)
from stackpick.answers.validate import Answers, validate
from stackpick.errors import AnswerErrors
from stackpick.template_source import bundled

BUNDLED_LIMITS = {name: limits(bundled(name)) for name in ("flask", "django")}


def answers(*sources: Source) -> Answers:
    merged = merge(sources)
    return validate(merged, [p for s in sources for p in s.problems], limits=BUNDLED_LIMITS)


def errors_of(*sources: Source) -> tuple[str, ...]:
    with pytest.raises(AnswerErrors) as caught:
        answers(*sources)
    assert caught.value.exit_code == 2
    return caught.value.messages


def file_source(**values: object) -> Source:
    return from_mapping(
        "answers file a.toml", values, {k: f"a.toml:{i}" for i, k in enumerate(values, 1)}
    )


def test_defaults_only() -> None:
    result = answers()
    assert result.values["framework"] == "auto"
    assert result.values["app_type"] == "website"
    assert result.values["database"] == "sqlite"
    assert result.values["admin"] is False
    assert result.values["docker"] is True
    assert result.values["project_slug"] == "my_project"
    assert result.given == frozenset()


def test_priority_file_then_environment_then_set() -> None:
    file = file_source(app_type="cms", scale="large", ci="gitlab")
    env = from_environment({"STACKPICK_APP_TYPE": "api", "STACKPICK_SCALE": "medium"})
    sets = from_set_options(["scale=small"])
    result = answers(file, env, sets)
    assert result.values["ci"] == "gitlab"  # only the file gave it
    assert result.values["app_type"] == "api"  # environment beats the file
    assert result.values["scale"] == "small"  # --set beats the environment
    assert {"ci", "app_type", "scale"} <= result.given


def test_prompt_source_wins_over_everything() -> None:
    prompt = Source("prompt", {"scale": Given("large", "prompt")})
    result = answers(from_set_options(["scale=small"]), prompt)
    assert result.values["scale"] == "large"


def test_later_set_wins() -> None:
    assert answers(from_set_options(["scale=small", "scale=large"])).values["scale"] == "large"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("yes", True), ("Y", True), ("true", True), ("1", True), (True, True), (1, True),
     ("no", False), ("n", False), ("FALSE", False), ("0", False), (False, False), (0, False)],
)  # fmt: skip
def test_booleans_accept_common_words(raw: object, expected: bool) -> None:
    assert answers(file_source(i18n=raw)).values["i18n"] is expected


def test_same_validation_for_every_source() -> None:
    for source in (
        file_source(rest_api="maybe"),
        from_environment({"STACKPICK_REST_API": "maybe"}),
        from_set_options(["rest_api=maybe"]),
        Source("prompt", {"rest_api": Given("maybe", "prompt")}),
    ):
        (message,) = errors_of(source)
        assert "rest_api" in message and "'maybe' is not a yes/no value" in message
        assert "yes, no, true, false" in message


def test_bad_choice_lists_the_valid_values_and_names_its_source() -> None:
    (message,) = errors_of(from_environment({"STACKPICK_APP_TYPE": "blog"}))
    assert message.startswith("environment variable STACKPICK_APP_TYPE: app_type:")
    assert "website, static_site, api, microservice" in message


def test_choices_are_case_insensitive() -> None:
    assert answers(from_set_options(["database=PostgreSQL"])).values["database"] == "postgresql"


def test_number_read_for_a_version_gets_a_quoting_hint() -> None:
    (message,) = errors_of(file_source(python_version=3.1))
    assert message.startswith("a.toml:1: python_version:")
    assert "quote it" in message


def test_unknown_keys_suggest_the_closest() -> None:
    messages = errors_of(
        file_source(app_tpye="api"),
        from_environment({"STACKPICK_DATABSE": "none"}),
        from_set_options(["i18m=yes"]),
    )
    assert len(messages) == 3
    assert "a.toml:1: unknown key 'app_tpye' (did you mean 'app_type'?)" in messages[0]
    assert "STACKPICK_DATABSE" in messages[1] and "did you mean 'database'?" in messages[1]
    assert "unknown key 'i18m' (did you mean 'i18n'?)" in messages[2]


def test_reserved_test_variables_are_not_answers() -> None:
    assert from_environment({"STACKPICK_TEST_DATABASE_URL": "x", "PATH": "/bin"}).values == {}


def test_set_without_equals_sign() -> None:
    (message,) = errors_of(from_set_options(["scale"]))
    assert "expected KEY=VALUE" in message


def test_all_errors_are_reported_together() -> None:
    messages = errors_of(from_set_options(["scale=huge", "admin=perhaps", "project_slug=Bad-Name"]))
    assert len(messages) == 3


@pytest.mark.parametrize("slug", ["Bad", "1abc", "with-dash", "_private", "über"])
def test_invalid_slugs_are_refused(slug: str) -> None:
    (message,) = errors_of(from_set_options([f"project_slug={slug}"]))
    assert "project_slug" in message and "not a valid package name" in message


@pytest.mark.parametrize("slug", ["../x", "a/b", "", "..", "a\\b"])
def test_slugs_that_are_no_folder_name_are_refused_for_every_template(slug: str) -> None:
    with pytest.raises(AnswerErrors) as caught:
        validate(merge([from_set_options([f"project_slug={slug}"])]))
    assert "project_slug" in caught.value.messages[0]
    assert "folder name" in caught.value.messages[0] or "empty" in caught.value.messages[0]


def test_identifier_rules_are_a_limit_of_the_bundled_templates_only() -> None:
    result = validate(merge([from_set_options(["project_slug=My-App"])]))
    assert result.values["project_slug"] == "My-App"


@pytest.mark.parametrize(
    "slug", ["django", "flask", "test", "site", "os", "json", "werkzeug", "tests"]
)
def test_slugs_shadowing_imported_modules_are_refused(slug: str) -> None:
    (message,) = errors_of(from_set_options([f"project_slug={slug}"]))
    assert f"would shadow the module '{slug}'" in message


def test_slug_is_derived_from_the_name() -> None:
    assert answers(from_set_options(["project_name=Café Society 2"])).values["project_slug"] == (
        "cafe_society_2"
    )


def test_underivable_slug_asks_for_one() -> None:
    (message,) = errors_of(from_set_options(["project_name=Flask"]))
    assert "cannot derive a package name" in message and "--set project_slug=" in message
    (message,) = errors_of(from_set_options(["project_name=日本"]))
    assert "cannot derive a package name" in message


def test_free_text_is_kept_as_data() -> None:
    text = '{{ 7*7 }} "q" \\ </script>\nsecond line'
    result = answers(from_set_options([f"description={text}", "project_name={% raw %}"]))
    assert result.values["description"] == text
    assert result.values["project_name"] == "{% raw %}"


def test_empty_project_name_and_bad_email() -> None:
    messages = errors_of(from_set_options(["project_name=  ", "author_email=nobody"]))
    assert any("project_name" in m and "is empty" in m for m in messages)
    assert any("author_email" in m and "not an email address" in m for m in messages)


def test_non_text_value_for_text_question() -> None:
    (message,) = errors_of(file_source(project_name=12))
    assert "is not text" in message


@pytest.mark.parametrize("key", ["admin", "auth"])
def test_database_none_contradicts_admin_and_auth(key: str) -> None:
    (message,) = errors_of(from_set_options(["database=none", f"{key}=yes"]))
    assert f"{key} = true needs database in sqlite, postgresql, but database = none" in message
    assert "database=sqlite" in message and f"{key}=false" in message


def test_admin_with_explicit_auth_false_is_a_contradiction() -> None:
    (message,) = errors_of(from_set_options(["admin=yes", "auth=no"]))
    assert "admin = true needs auth = true, but auth = false" in message
    assert "set auth=true, or admin=false" in message


def test_admin_turns_on_auth_when_nobody_gave_it_and_says_so() -> None:
    result = answers(from_set_options(["admin=yes"]))
    assert result.values["auth"] is True
    assert "auth" not in result.given
    assert any("auth = true because admin = true" in note for note in result.notes)


def test_given_answers_are_never_changed() -> None:
    result = answers(from_set_options(["admin=no", "auth=no"]))
    assert result.values["auth"] is False
    assert result.notes == ()


def test_to_json_is_in_question_order() -> None:
    data = answers().to_json()
    assert list(data)[:3] == ["framework", "app_type", "scale"]


def test_text_that_is_not_utf8_is_refused() -> None:
    # Command-line bytes that are not UTF-8 reach Python as lone surrogates.
    (message,) = errors_of(from_set_options(["project_name=caf\udce9"]))
    assert "not valid UTF-8" in message


def test_a_framework_limit_rules_it_out_when_the_framework_is_auto() -> None:
    result = answers(from_set_options(["database=none"]))
    assert "django" in result.ruled_out and "flask" not in result.ruled_out
    assert (
        "database = none is not possible with the django template" in result.ruled_out["django"][0]
    )


def test_a_limit_of_the_chosen_framework_is_reported_with_every_other_problem() -> None:
    messages = errors_of(from_set_options(["scale=huge", "framework=django", "database=none"]))
    assert len(messages) == 2
    assert messages[0].startswith("--set: scale:")
    assert "database = none is not possible with the django template" in messages[1]
    assert "set database=sqlite, or framework=flask" in messages[1]


def test_unknown_template_variables_and_template_choices() -> None:
    from stackpick.answers.questions import STACKPICK_SCHEMA, template_question

    extra = (
        template_question("license", ["MIT", "BSD-3"], "Pick a licence", "flask template t"),
        template_question("use_black", True, None, "flask template t"),
        template_question("version", "0.1.0", None, "flask template t"),
    )
    schema = STACKPICK_SCHEMA.extended(tuple(q for q in extra if q))
    result = validate(merge([from_set_options(["license=BSD-3", "use_black=no"])]), (), schema)
    assert result.values["license"] == "BSD-3" and result.values["use_black"] is False
    assert "version" not in result.values  # the template's own default applies
    with pytest.raises(AnswerErrors) as caught:
        validate(merge([from_set_options(["license=GPL", "licence=MIT"])]), (), schema)
    first, second = caught.value.messages
    assert "did you mean 'license'" in first
    assert "'GPL' is not valid; use one of: MIT, BSD-3" in second


@pytest.mark.parametrize("slug", ["class", "import", "lambda"])
def test_a_python_keyword_slug_is_named_as_a_keyword(slug: str) -> None:
    (message,) = errors_of(from_set_options([f"project_slug={slug}"]))
    assert f"project_slug: '{slug}' is a Python keyword" in message
