"""The escaping filters the templates use: every value stays valid, and literal, where it lands.

One module (``stackpick.template_filters``), which both templates' ``local_extensions.py``
re-export for cookiecutter.
"""

from __future__ import annotations

import ast
import html
import importlib.util
import json
import tomllib
from pathlib import Path
from types import ModuleType

import yaml
from hypothesis import given
from hypothesis import strategies as st

from stackpick.template_source import templates_root


def _load(framework: str = "flask") -> ModuleType:
    path = templates_root() / framework / "local_extensions.py"
    spec = importlib.util.spec_from_file_location(f"stackpick_test_{framework}_extensions", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ext = _load()
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)))


@given(text)
def test_py_str_is_a_python_literal_of_the_value(value: str) -> None:
    assert ast.literal_eval(ext.py_str(value)) == value
    assert "\n" not in ext.py_str(value)


@given(text)
def test_toml_str_parses_back(value: str) -> None:
    assert tomllib.loads(f"x = {ext.toml_str(value)}\n")["x"] == value


@given(text)
def test_yaml_str_parses_back(value: str) -> None:
    assert yaml.safe_load(f"x: {ext.yaml_str(value)}\n")["x"] == value


@given(text)
def test_json_str_parses_back(value: str) -> None:
    assert json.loads(ext.json_str(value)) == value


@given(text)
def test_html_text_shows_the_value_and_holds_no_markup_or_template_syntax(value: str) -> None:
    escaped = ext.html_text(value)
    assert html.unescape(escaped) == value
    for forbidden in "<>{}%\"'":
        assert forbidden not in escaped


@given(text)
def test_one_line(value: str) -> None:
    assert "\n" not in ext.one_line(value)
    assert ext.one_line(value) == " ".join(value.split())


def test_filters_are_registered_by_the_extension() -> None:
    from jinja2 import Environment

    env = Environment(extensions=[ext.EscapeFilters])
    # Quoted as ruff format quotes: double quotes unless the value holds more of them.
    assert env.from_string("{{ v | py_str }}").render(v="a'b") == '"a\'b"'
    assert env.from_string("{{ v | py_str }}").render(v='a"b') == "'a\"b'"
    assert Path(ext.__file__).name == "local_extensions.py"


def test_both_templates_use_the_one_filter_module() -> None:
    from stackpick import template_filters

    django = _load("django")
    for name in ("EscapeFilters", "FILTERS", *template_filters.FILTERS):
        assert getattr(ext, name) is getattr(django, name) is getattr(template_filters, name)
