"""Answers files: YAML, TOML and JSON, errors with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from stackpick.answers.file import read_answers_file
from stackpick.answers.sources import merge
from stackpick.answers.validate import validate
from stackpick.errors import AnswerErrors, BadInput


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("a.yaml", "app_type: api\nrest_api: yes\npython_version: 3.10\n"),
        ("a.yml", "app_type: api\nrest_api: true\npython_version: '3.10'\n"),
        ("a.toml", 'app_type = "api"\nrest_api = true\npython_version = "3.10"\n'),
        ("a.json", '{"app_type": "api", "rest_api": true, "python_version": "3.10"}'),
    ],
)
def test_formats(tmp_path: Path, name: str, text: str) -> None:
    source = read_answers_file(write(tmp_path, name, text)).source
    result = validate(merge([source]))
    assert result.values["app_type"] == "api"
    assert result.values["rest_api"] is True
    assert result.values["python_version"] == "3.10"  # YAML keeps 3.10 as written


def test_stackpick_toml_layout(tmp_path: Path) -> None:
    text = '[stackpick]\nversion = "0.1.0"\n\n[answers]\nframework = "django"\nscale = "large"\n'
    result = validate(merge([read_answers_file(write(tmp_path, ".stackpick.toml", text)).source]))
    assert result.values["framework"] == "django"
    assert result.values["scale"] == "large"


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("bad.toml", 'app_type = "api"\nscale = \n', 2),
        ("bad.json", '{\n  "app_type": "api",\n  "scale" "x"\n}', 3),
        ("bad.yaml", "app_type: api\nscale: [small\n", 3),
    ],
)
def test_malformed_files_name_file_and_line(
    tmp_path: Path, name: str, text: str, line: int
) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(BadInput) as caught:
        read_answers_file(path)
    (message,) = caught.value.messages
    assert message.startswith(f"{path}:{line}: malformed ")
    assert "fix the syntax" in message


def test_unknown_key_in_file_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "app_type: api\n\nsacle: large\n")
    source = read_answers_file(path).source
    with pytest.raises(AnswerErrors) as caught:
        validate(merge([source]), source.problems)
    (message,) = caught.value.messages
    assert message.startswith(f"{path}:3: unknown key 'sacle' (did you mean 'scale'?)")


def test_bad_value_in_file_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.toml", 'app_type = "api"\nscale = "huge"\n')
    with pytest.raises(AnswerErrors) as caught:
        validate(merge([read_answers_file(path).source]))
    assert caught.value.messages[0].startswith(f"{path}:2: scale: 'huge' is not valid")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.ini", "x=1", "unknown format '.ini'"),
        ("a.json", "[1, 2]", "expected a mapping"),
        ("a.yaml", "scale:\n  - 1\n", "expected a single value"),
        (
            "a.toml",
            '[answers]\nscale = "large"\n[other]\nx = 1\n',
            "unexpected top-level key 'other'",
        ),
    ],
)
def test_unusable_files(tmp_path: Path, name: str, text: str, expected: str) -> None:
    with pytest.raises(BadInput, match=expected.replace("[", r"\[").replace(".", r"\.")):
        read_answers_file(write(tmp_path, name, text))


def test_a_table_is_an_answer_only_for_a_dictionary_variable(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "app_type: api\nscale:\n  nested: 1\n")
    with pytest.raises(AnswerErrors) as caught:
        validate(merge([read_answers_file(path).source]))
    assert list(caught.value.messages) == [
        f"{path}:2: scale: expected a single value, not a table or list"
    ]


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="not found"):
        read_answers_file(tmp_path / "nope.yaml")
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(BadInput, match="not UTF-8"):
        read_answers_file(tmp_path / "bin.json")


def test_empty_yaml_file_means_no_answers(tmp_path: Path) -> None:
    assert read_answers_file(write(tmp_path, "a.yaml", "")).source.values == {}
