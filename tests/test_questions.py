"""The question schema is the public contract of issue 2."""

from __future__ import annotations

import pytest

from stackpick.answers.questions import (
    BY_KEY,
    KEYS,
    QUESTIONS,
    STACKPICK_SCHEMA,
    Kind,
    Type,
    template_question,
)


def test_schema_has_the_contracted_keys_in_order() -> None:
    assert KEYS == (
        "framework", "app_type", "scale", "team_experience", "stack_preference", "database",
        "data_model", "admin", "auth", "sensitive_data", "rest_api", "i18n", "project_name",
        "project_slug", "description",
        "author_name", "author_email", "python_version", "ci", "docker",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("key", "choices", "default"),
    [
        ("framework", ("auto", "flask", "django"), "auto"),
        ("app_type", ("website", "static_site", "api", "microservice", "prototype", "cms",
                      "social", "enterprise", "internal_tool"), "website"),
        ("scale", ("small", "medium", "large"), "small"),
        ("team_experience", ("beginner", "intermediate", "experienced"), "intermediate"),
        ("stack_preference", ("batteries_included", "no_preference", "pick_my_own"),
         "no_preference"),
        ("database", ("none", "sqlite", "postgresql"), "sqlite"),
        ("data_model", ("simple", "complex"), "simple"),
        ("python_version", ("3.10", "3.11", "3.12", "3.13"), "3.11"),
        ("ci", ("github", "gitlab", "none"), "github"),
    ],
)  # fmt: skip
def test_choice_questions(key: str, choices: tuple[str, ...], default: str) -> None:
    question = BY_KEY[key]
    assert question.type is Type.CHOICE
    assert question.choices == choices
    assert question.default == default
    assert default in choices


@pytest.mark.parametrize(
    ("key", "default"),
    [
        ("admin", False),
        ("auth", False),
        ("sensitive_data", False),
        ("rest_api", False),
        ("i18n", False),
        ("docker", True),
    ],
)
def test_flag_questions(key: str, default: bool) -> None:
    assert BY_KEY[key].type is Type.BOOL
    assert BY_KEY[key].default is default


def test_every_question_has_prompt_and_help() -> None:
    for question in QUESTIONS:
        assert question.prompt and question.help


def test_requirements_name_questions_and_their_values() -> None:
    for question in QUESTIONS:
        for key, allowed in question.requires:
            other = BY_KEY[key]
            assert all(v in other.choices or isinstance(v, bool) for v in allowed), question.key


def test_template_variables_are_typed_by_their_declaration() -> None:
    choice = template_question("license", ["MIT", "BSD"], {"__prompt__": "Licence"}, "t")
    flag = template_question("use_ci", False, "Use CI?", "t")
    text = template_question("version", "{{ '0.1' }}", None, "t")
    assert choice and choice.type is Type.CHOICE and choice.choices == ("MIT", "BSD")
    assert choice.prompt == "Licence" and choice.default == "MIT" and choice.kind is Kind.TEMPLATE
    assert flag and flag.type is Type.BOOL and flag.prompt == "Use CI?" and flag.default is False
    assert text and text.type is Type.TEXT and text.default is None  # the template renders it
    matrix = template_question("matrix", {"a": 1}, None, "t")
    assert matrix and matrix.type is Type.DICT and matrix.default is None
    version = template_question("version", "0.1", None, "t")
    assert version and version.default == "0.1"  # a default without Jinja is shown as it is
    assert template_question("empty", [], None, "t") is None


def test_a_schema_extended_keeps_its_own_questions_first() -> None:
    extra = template_question("project_name", "Other", None, "t")
    added = template_question("license", ["MIT"], None, "t")
    assert extra and added
    schema = STACKPICK_SCHEMA.extended((extra, added))
    assert schema.keys == (*KEYS, "license")
    assert schema.by_key["project_name"] is BY_KEY["project_name"]


def test_json_shape() -> None:
    data = BY_KEY["scale"].to_json()
    assert {"key", "type", "choices", "default", "help"} <= set(data)
    assert data["choices"] == ["small", "medium", "large"]
    assert BY_KEY["project_slug"].to_json()["default"] is None
