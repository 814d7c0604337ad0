"""The in-process renderer: cookiecutter's format, safely (template trees built inline)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from stackpick.errors import RenderError
from stackpick.generate.render import load_template, planned_files, render, templates_root

SLUG_DIR = "{{cookiecutter.slug}}"


def make_template(
    root: Path, files: dict[str, str | bytes], settings: dict[str, object] | None = None
) -> Path:
    """A template folder: ``cookiecutter.json`` plus ``files`` (paths relative to the template)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "cookiecutter.json").write_text(
        json.dumps({"slug": "demo", "name": "Demo", **(settings or {})})
    )
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


def render_into(template_root: Path, out: Path, **values: object) -> tuple[Path, list[str]]:
    out.mkdir(exist_ok=True)
    return render(load_template(template_root), {"slug": "demo", "name": "Demo", **values}, out)


def test_renders_names_and_contents(tmp_path: Path) -> None:
    root = make_template(
        tmp_path / "t",
        {f"{SLUG_DIR}/{{{{cookiecutter.slug}}}}/mod.py": "NAME = '{{ cookiecutter.name }}'\n"},
    )
    project, files = render_into(root, tmp_path / "out", name="Hello")
    assert project == tmp_path / "out" / "demo"
    assert files == ["demo/mod.py"]
    assert (project / "demo" / "mod.py").read_text() == "NAME = 'Hello'\n"


def test_values_are_data_not_template_code(tmp_path: Path) -> None:
    root = make_template(tmp_path / "t", {f"{SLUG_DIR}/a.txt": "{{ cookiecutter.name }}"})
    project, _ = render_into(root, tmp_path / "out", name="{{ 7*7 }} {% if x %}")
    assert (project / "a.txt").read_text() == "{{ 7*7 }} {% if x %}"


def test_empty_file_names_are_skipped_and_conditions_work(tmp_path: Path) -> None:
    root = make_template(tmp_path / "t", {
        f"{SLUG_DIR}/{{% if cookiecutter.on %}}on.py{{% endif %}}": "x = 1\n",
        f"{SLUG_DIR}/{{% if not cookiecutter.on %}}off.py{{% endif %}}": "x = 2\n",
    }, {"on": False})  # fmt: skip
    _, files = render_into(root, tmp_path / "a", on=True)
    assert files == ["on.py"]
    _, files = render_into(root, tmp_path / "b", on=False)
    assert files == ["off.py"]


def test_copy_without_render_binary_newlines_and_modes(tmp_path: Path) -> None:
    root = make_template(
        tmp_path / "t",
        {
            f"{SLUG_DIR}/raw/page.html": "{{ not_a_cookiecutter_variable }}",
            f"{SLUG_DIR}/data.mo": b"\x00\x01{{ x }}\xff",
            f"{SLUG_DIR}/dos.txt": "a\r\n{{ cookiecutter.slug }}\r\n",
            f"{SLUG_DIR}/run.sh": "#!/bin/sh\n",
        },
        {"_copy_without_render": ["raw/*"]},
    )
    os.chmod(root / SLUG_DIR / "run.sh", 0o755)
    project, _ = render_into(root, tmp_path / "out")
    assert (project / "raw" / "page.html").read_text() == "{{ not_a_cookiecutter_variable }}"
    assert (project / "data.mo").read_bytes() == b"\x00\x01{{ x }}\xff"
    assert (project / "dos.txt").read_bytes() == b"a\r\ndemo\r\n"
    assert os.stat(project / "run.sh").st_mode & 0o777 == 0o755


def test_local_extensions_are_loaded_from_the_template(tmp_path: Path) -> None:
    extension = (
        "from jinja2.ext import Extension\n"
        "class Shout(Extension):\n"
        "    def __init__(self, environment):\n"
        "        super().__init__(environment)\n"
        "        environment.filters['shout'] = lambda v: str(v).upper()\n"
    )
    root = make_template(
        tmp_path / "t",
        {"local_extensions.py": extension, f"{SLUG_DIR}/a.txt": "{{ cookiecutter.name | shout }}"},
        {"_extensions": ["local_extensions.Shout"]},
    )
    project, _ = render_into(root, tmp_path / "out")
    assert (project / "a.txt").read_text() == "DEMO"


def test_hooks_run_in_process_in_the_project(tmp_path: Path) -> None:
    hook = "import os\nopen('hooked.txt', 'w').write(os.path.basename(os.getcwd()))\n"
    root = make_template(
        tmp_path / "t", {"hooks/post_gen_project.py": hook, f"{SLUG_DIR}/a.txt": "a"}
    )
    project, _ = render_into(root, tmp_path / "out")
    assert (project / "hooked.txt").read_text() == "demo"
    assert Path.cwd() != project


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({f"{SLUG_DIR}/a.txt": "{{ cookiecutter.missing }}"}, "template file a.txt"),
        ({f"{SLUG_DIR}/a.txt": "{% if %}"}, "TemplateSyntaxError"),
        ({f"{SLUG_DIR}/a.txt": "{{ ''.__class__.__mro__ }}"}, "template file a.txt"),
        (
            {"hooks/post_gen_project.py": "import sys\nsys.exit(3)\n", f"{SLUG_DIR}/a.txt": ""},
            "exit status 3",
        ),
        (
            {"hooks/pre_gen_project.py": "raise ValueError('no')\n", f"{SLUG_DIR}/a.txt": ""},
            "ValueError: no",
        ),
        ({f"{SLUG_DIR}/{{{{ '../escape' }}}}.txt": ""}, "unsafe path"),
    ],
)
def test_template_failures_are_render_errors(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    root = make_template(tmp_path / "t", files)
    with pytest.raises(RenderError, match=message.replace(".", r"\.").replace("(", r"\(")):
        render_into(root, tmp_path / "out")
    assert not (tmp_path / "escape.txt").exists()


def test_sandbox_blocks_unsafe_attribute_access(tmp_path: Path) -> None:
    root = make_template(
        tmp_path / "t", {f"{SLUG_DIR}/a.txt": "{{ cookiecutter.__class__.__init__.__globals__ }}"}
    )
    with pytest.raises(RenderError):
        render_into(root, tmp_path / "out")


def test_planned_files_match_rendered_files(tmp_path: Path) -> None:
    root = make_template(
        tmp_path / "t", {f"{SLUG_DIR}/a.txt": "", f"{SLUG_DIR}/{{% if false %}}b{{% endif %}}": ""}
    )
    name, planned = planned_files(load_template(root), {"slug": "demo", "name": "x"})
    assert (name, planned) == ("demo", ["a.txt"])


def test_shipped_templates_are_found() -> None:
    for framework in ("flask", "django"):
        template = load_template(templates_root() / framework)
        assert "project_slug" in template.variables
        assert template.project.name == "{{cookiecutter.project_slug}}"


def test_shipped_filter_extensions_are_identical() -> None:
    root = templates_root()
    for name in ("local_extensions.py", "hooks/post_gen_project.py"):
        assert (root / "flask" / name).read_text() == (root / "django" / name).read_text(), name


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

    template = load_template(templates_root() / framework)
    values = {
        **{
            k: (v[0] if isinstance(v, list) else v)
            for k, v in template.defaults.items()
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
    ours, _ = render(template, values, tmp_path / "sp")
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
