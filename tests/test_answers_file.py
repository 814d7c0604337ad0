"""Answers files: YAML, TOML and JSON, errors with file and line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stackpick.answers import file as file_module
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


# --- bounds: any file is read in bounded time and refused with one line -----------------


def deep(kind: str, depth: int) -> str:
    nest = "[" * depth + "]" * depth
    return {"json": f'{{"a": {nest}}}', "toml": f"a = {nest}\n", "yaml": f"a: {nest}\n"}[kind]


@pytest.mark.parametrize("kind", ["json", "toml", "yaml"])
@pytest.mark.parametrize("depth", [40, 100_000])
def test_deep_nesting_is_bad_input(tmp_path: Path, kind: str, depth: int) -> None:
    path = write(tmp_path, f"deep.{kind}", deep(kind, depth))
    with pytest.raises(BadInput) as caught:
        read_answers_file(path)
    assert "nest" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("big.json", '{"scale": ' + "9" * 5000 + "}"),
        ("big.json", '{"scale": ' + "9" * 400 + "}"),
        ("big.toml", "scale = " + "9" * 5000 + "\n"),
        ("big.toml", "scale = " + "9" * 30 + "\n"),
    ],
)
def test_huge_numbers_are_bad_input(tmp_path: Path, name: str, text: str) -> None:
    with pytest.raises(BadInput) as caught:
        read_answers_file(write(tmp_path, name, text))
    assert caught.value.messages == (f"answers file {tmp_path / name}: {file_module._TOO_LARGE}",)


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    path = write(tmp_path, "big.yaml", "description: " + "x" * file_module.MAX_BYTES + "\n")
    with pytest.raises(BadInput, match="larger than 1024 KiB"):
        read_answers_file(path)


def test_a_named_pipe_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    os.mkfifo(path)  # no writer: opening it for a blocking read would wait forever
    with pytest.raises(BadInput, match="is a named pipe; give a regular file"):
        read_answers_file(path)


@pytest.mark.parametrize(
    ("target", "kind"), [("/dev/zero", "not a regular file"), (".", "a directory")]
)
def test_a_device_or_folder_is_refused(tmp_path: Path, target: str, kind: str) -> None:
    link = tmp_path / "answers.yaml"
    link.symlink_to(tmp_path if target == "." else target)
    with pytest.raises(BadInput, match=f"is {kind}; give a regular file"):
        read_answers_file(link)


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("dup.json", '{"app_type": "api",\n "app_type": "web"}', "dup.json"),
        ("dup.yaml", "app_type: api\nscale: small\napp_type: web\n", "dup.yaml:3"),
        ("dup.yaml", "answers:\n  scale: small\n  scale: large\n", "dup.yaml:3"),
        ("dup.toml", 'app_type = "api"\napp_type = "web"\n', "dup.toml:2"),
    ],
)
def test_a_key_written_twice_is_refused(tmp_path: Path, name: str, text: str, where: str) -> None:
    with pytest.raises(BadInput) as caught:
        read_answers_file(write(tmp_path, name, text))
    assert caught.value.messages[0].startswith(str(tmp_path / where))


def test_yaml_aliases_are_counted_expanded(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 7):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    with pytest.raises(BadInput, match="more than 100000 values"):
        read_answers_file(write(tmp_path, "laughs.yaml", "\n".join(lines) + "\n"))


def test_yaml_scalars_stay_text_and_shared_values_are_kept(tmp_path: Path) -> None:
    text = "templates:\n  flask: &t {source: ./t}\n  django: *t\nscale: 3.10\nadmin: yes\nauth:\n"
    read = read_answers_file(write(tmp_path, "a.yaml", text))
    assert read.templates == {"flask": {"source": "./t"}, "django": {"source": "./t"}}
    assert {k: g.value for k, g in read.source.values.items()} == {
        "scale": "3.10",
        "admin": "yes",
        "auth": "",
    }


def test_a_file_of_many_keys_is_not_an_answers_file_and_is_not_echoed(tmp_path: Path) -> None:
    text = "".join(f"secret_line_{i}: value\n" for i in range(file_module.MAX_KEYS + 1))
    with pytest.raises(BadInput) as caught:
        read_answers_file(write(tmp_path, "a.yaml", text))
    (message,) = caught.value.messages
    assert "is not an answers file" in message
    assert "secret_line" not in message


def test_a_link_to_a_system_file_is_not_a_mapping(tmp_path: Path) -> None:
    link = tmp_path / "answers.yaml"
    link.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/bin/false\n")
    with pytest.raises(BadInput) as caught:
        read_answers_file(link)
    assert caught.value.messages == (
        f"answers file {link}: expected a mapping of key = value at the top level",
    )


def test_a_long_unknown_key_is_shortened_in_its_message(tmp_path: Path) -> None:
    source = read_answers_file(write(tmp_path, "a.json", '{"' + "k" * 5000 + '": 1}')).source
    with pytest.raises(AnswerErrors) as caught:
        validate(merge([source]))
    (message,) = caught.value.messages
    assert len(message) < 200


def test_a_file_of_many_lines_is_refused_before_parsing(tmp_path: Path) -> None:
    text = "# a comment\n" * file_module.MAX_LINES + "app_type: api\n"
    with pytest.raises(BadInput, match="over 10000 lines"):
        read_answers_file(write(tmp_path, "a.yaml", text))


@pytest.mark.parametrize("suffix", [".yaml", ".toml", ".json"])
def test_a_link_to_etc_passwd_is_refused_without_echoing_it(tmp_path: Path, suffix: str) -> None:
    system = Path("/etc/passwd")
    if not system.is_file():
        pytest.skip("no /etc/passwd here")
    link = tmp_path / f"answers{suffix}"
    link.symlink_to(system)
    with pytest.raises(BadInput) as caught:
        read_answers_file(link)
    (message,) = caught.value.messages
    assert not any(len(line) > 8 and line in message for line in system.read_text().splitlines())
    assert "root:" not in message
