"""Rendering through cookiecutter: answers are data, defaults rendered as cookiecutter does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stackpick.errors import RenderError
from stackpick.generate.render import (
    metadata,
    project_folder_name,
    render,
    resolve_context,
    template_values,
)
from stackpick.template_source import Template, TemplateSource, bundled, read_declaration


def make_template(root: Path, files: dict[str, str], variables: dict[str, object]) -> Template:
    """A template tree written from ``files`` (paths below the project folder)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "cookiecutter.json").write_text(json.dumps(variables), encoding="utf-8")
    for name, text in files.items():
        path = root / "{{cookiecutter.slug}}" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    source = TemplateSource(str(root))
    return Template("flask", root, read_declaration(root, "t"), source)


def word_template(root: Path, word: str, slow_import: bool = False) -> Template:
    """A template whose ``local_extensions`` gives a ``word`` filter that returns ``word``."""
    template = make_template(root, {"a.txt": "{{ 'x' | word }}"}, {"slug": "demo"})
    raw = json.loads((root / "cookiecutter.json").read_text())
    (root / "cookiecutter.json").write_text(
        json.dumps({**raw, "_extensions": ["local_extensions.Words"]})
    )
    slow = (
        "import time\n\ntime.sleep(0.002)  # a slow import widens any window\n"
        if slow_import
        else ""
    )
    (root / "local_extensions.py").write_text(
        f"{slow}from jinja2.ext import Extension\n\n\n"
        "class Words(Extension):\n"
        "    def __init__(self, environment):\n"
        "        super().__init__(environment)\n"
        f"        environment.filters['word'] = lambda value: {word!r}\n"
    )
    return template._replace(declaration=read_declaration(root, "t"))


def test_given_values_are_data_and_defaults_render_like_cookiecutter(tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "t",
        {"a.txt": "{{ cookiecutter.name }}|{{ cookiecutter.title }}|{{ cookiecutter.__hidden }}"},
        {
            "slug": "demo",
            "name": "x",
            "title": "{{ cookiecutter.name | upper }}!",
            "kind": ["first", "second"],
            "__hidden": "{{ cookiecutter.kind }}-{{ cookiecutter.name }}",
            "_private": "{{ not rendered }}",
        },
    )
    context = resolve_context(template, {"name": "{{ 7*7 }}"}, tmp_path / "out")
    values = context["cookiecutter"]
    assert values["name"] == "{{ 7*7 }}"
    assert values["title"] == "{{ 7*7 }}!".upper()
    assert values["kind"] == "first"
    assert values["__hidden"] == "first-{{ 7*7 }}"
    assert values["_private"] == "{{ not rendered }}"
    (tmp_path / "out").mkdir()
    project = render(template, context, tmp_path / "out")
    assert (project / "a.txt").read_text() == "{{ 7*7 }}|{{ 7*7 }}!|first-{{ 7*7 }}"


def test_folder_name_is_known_before_rendering(tmp_path: Path) -> None:
    template = make_template(tmp_path / "t", {"a.txt": "a"}, {"slug": "demo-{{ 1 + 1 }}"})
    context = resolve_context(template, {}, tmp_path)
    assert project_folder_name(template, context) == "demo-2"


def test_template_errors_name_the_template_and_file(tmp_path: Path) -> None:
    template = make_template(tmp_path / "t", {"bad.txt": "{% if %}"}, {"slug": "demo"})
    context = resolve_context(template, {}, tmp_path)
    (tmp_path / "out").mkdir()
    with pytest.raises(RenderError, match=r"flask template .*bad\.txt line 1"):
        render(template, context, tmp_path / "out")


def test_bundled_templates_get_every_answer_and_declare_their_metadata(tmp_path: Path) -> None:
    from stackpick.app import decide_values

    answers, _ = decide_values({"framework": "django", "project_name": "Shop"})
    template = bundled("django")
    values = template_values(template, answers)
    assert (
        values["project_slug"] == "shop" and values["description"] == answers.values["description"]
    )
    meta = metadata(resolve_context(template, values, tmp_path))
    assert len(meta["next_steps"]) == 2
    assert meta["setup"]["test"]


# --- the same output as plain cookiecutter ------------------------------------------

EQUIVALENCE_CASES = [
    ("flask", {}),
    (
        "flask",
        {
            "database": "postgresql",
            "admin": True,
            "auth": True,
            "rest_api": True,
            "i18n": True,
            "ci": "gitlab",
            "docker": False,
            "python_version": "3.13",
        },
    ),
    ("flask", {"database": "none", "rest_api": True, "ci": "none"}),
    ("django", {}),
    (
        "django",
        {
            "database": "postgresql",
            "auth": True,
            "rest_api": True,
            "i18n": True,
            "ci": "gitlab",
            "python_version": "3.10",
        },
    ),
]


@pytest.mark.parametrize(("framework", "answers"), EQUIVALENCE_CASES)
def test_same_files_as_plain_cookiecutter(
    tmp_path: Path, framework: str, answers: dict[str, object]
) -> None:
    from cookiecutter.main import cookiecutter

    template = bundled(framework)
    values = {
        **{
            k: (v[0] if isinstance(v, list) else v)
            for k, v in template.declaration.raw.items()
            if k[0] != "_"
        },
        "project_name": "Equal Output",
        "project_slug": "equal_output",
        "description": "Rendered twice.",
        **answers,
    }
    theirs = Path(
        cookiecutter(
            str(template.root), no_input=True, extra_context=values, output_dir=str(tmp_path / "cc")
        )
    )
    (tmp_path / "sp").mkdir()
    context = resolve_context(template, values, tmp_path / "sp")
    ours = render(template, context, tmp_path / "sp")
    theirs_tree = {
        p.relative_to(theirs).as_posix(): p.read_bytes() for p in theirs.rglob("*") if p.is_file()
    }
    ours_tree = {
        p.relative_to(ours).as_posix(): p.read_bytes() for p in ours.rglob("*") if p.is_file()
    }
    assert sorted(ours_tree) == sorted(theirs_tree)
    for name in ours_tree:
        assert ours_tree[name] == theirs_tree[name], name
    theirs_dirs = sorted(p.relative_to(theirs).as_posix() for p in theirs.rglob("*") if p.is_dir())
    assert (
        sorted(p.relative_to(ours).as_posix() for p in ours.rglob("*") if p.is_dir()) == theirs_dirs
    )


def test_rendered_hook_scripts_stay_out_of_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    template = make_template(tmp_path / "t", {"a.txt": "a"}, {"slug": "demo", "name": "x"})
    (tmp_path / "t" / "hooks").mkdir()
    (tmp_path / "t" / "hooks" / "post_gen_project.py").write_text(
        "print('{{ cookiecutter.name }}')\n", encoding="utf-8"
    )
    staging = tmp_path / "staging"
    staging.mkdir()
    context = resolve_context(template, {"name": "private answer"}, staging)
    project = render(template, context, staging)
    assert (project / "a.txt").is_file()
    # cookiecutter leaves each rendered hook (answers inside) in the temporary folder
    assert list(system_temp.iterdir()) == []
    assert [p.suffix for p in staging.iterdir() if p.is_file()] == [".py"]


def test_a_module_of_the_same_name_imported_before_does_not_stand_in(tmp_path: Path) -> None:
    """Two templates with their own ``local_extensions``: each renders with its own."""
    import sys

    for name, word in (("one", "first"), ("two", "second")):
        word_template(tmp_path / name, word)
    earlier = sys.modules.pop("local_extensions", None)
    sys.path.insert(0, str(tmp_path / "one"))
    try:
        import local_extensions  # noqa: F401 - as a test module importing one template's
    finally:
        sys.path.remove(str(tmp_path / "one"))
    try:
        template = Template(
            "django",
            tmp_path / "two",
            read_declaration(tmp_path / "two", "t"),
            TemplateSource(str(tmp_path / "two")),
        )
        context = resolve_context(template, {}, tmp_path)
        (tmp_path / "out").mkdir()
        project = render(template, context, tmp_path / "out")
        assert (project / "a.txt").read_text() == "second"
        assert sys.modules["local_extensions"].__file__ == str(
            tmp_path / "one" / "local_extensions.py"
        )
    finally:
        sys.modules.pop("local_extensions", None)
        if earlier is not None:
            sys.modules["local_extensions"] = earlier


def test_contexts_and_renders_in_many_threads_import_their_own_extensions(
    tmp_path: Path,
) -> None:
    """A server resolves contexts while other threads render: no import sees another's module.

    Each thread works on one of two templates whose ``local_extensions`` differ, so that
    a module set aside or removed by another thread half-way shows as an error or as the
    other template's word.
    """
    from concurrent.futures import ThreadPoolExecutor

    templates = [word_template(tmp_path / name, name, slow_import=True) for name in ("one", "two")]

    def work(index: int) -> str:
        template = templates[index % 2]
        context = resolve_context(template, {}, tmp_path)
        project_folder_name(template, context)
        if index % 4:
            return template.root.name
        out = tmp_path / "out" / str(index)
        out.mkdir(parents=True)
        return (render(template, context, out) / "a.txt").read_text()

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(80)))
    assert results == [("one", "two")[index % 2] for index in range(80)]
