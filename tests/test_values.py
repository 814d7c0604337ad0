"""One value checked and normalised, whatever its source (``answers/values.py``)."""

from __future__ import annotations

import pytest

from stackpick.answers.questions import BY_KEY
from stackpick.answers.values import (
    default_for,
    derive_slug,
    parse_bool,
    path_problem,
    slug_problem,
    validate_value,
)


def test_a_slug_is_derived_ascii_lower_case_and_never_starting_with_a_digit() -> None:
    assert derive_slug("Café Society 2") == "cafe_society_2"
    assert derive_slug("42 Things!") == "project_42_things"
    assert derive_slug("日本") == ""


@pytest.mark.parametrize(
    ("given", "parsed"),
    [
        ("Yes", True),
        (" off ", False),
        (1, True),
        (0, False),
        (True, True),
        ("maybe", None),
        (2, None),
    ],
)
def test_yes_no_words_numbers_and_booleans_parse_and_nothing_else(
    given: object, parsed: bool | None
) -> None:
    assert parse_bool(given) is parsed


def test_a_choice_is_normalised_and_a_bad_one_lists_the_valid_values() -> None:
    question = BY_KEY["database"]
    assert validate_value(question, " PostgreSQL ").value == "postgresql"
    error = validate_value(question, "mongo").error
    assert error is not None and "use one of: none, sqlite, postgresql" in error


def test_a_number_read_for_a_version_says_to_quote_it() -> None:
    error = validate_value(BY_KEY["python_version"], 3.1).error
    assert error is not None and 'quote it, for example "3.10"' in error


def test_a_table_is_never_a_single_value() -> None:
    assert validate_value(BY_KEY["project_name"], {"a": 1}).error == (
        "expected a single value, not a table or list"
    )


def test_template_code_and_path_separators_cannot_name_a_folder() -> None:
    assert path_problem("my_app") is None
    for bad in ("a/b", "..", "~x", "{{ 7*7 }}", "x{%y"):
        assert path_problem(bad) is not None, bad


def test_keywords_shadowed_modules_and_bad_identifiers_cannot_name_a_package() -> None:
    assert slug_problem("my_project") is None
    assert "keyword" in (slug_problem("class") or "")
    assert "shadow the module 'flask'" in (slug_problem("flask") or "")
    assert "not a valid package name" in (slug_problem("My-App") or "")


def test_the_slug_default_follows_the_name_and_admin_implies_auth() -> None:
    assert default_for("project_slug", {"project_name": "Shop Front"}) == "shop_front"
    assert default_for("auth", {"admin": True}) is True
    assert default_for("auth", {}) is BY_KEY["auth"].default
    assert default_for("not_a_question", {}) is None
