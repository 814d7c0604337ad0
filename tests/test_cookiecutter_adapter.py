"""The cookiecutter adapter: the only importer of cookiecutter, one contract test per name it uses.

Each ``test_contract_*`` pins what stackpick relies on in one name of
``INTERNAL_NAMES``; a cookiecutter release that changes it fails here, by name.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from stackpick import cookiecutter_adapter as adapter

SRC = Path(__file__).resolve().parents[1] / "src" / "stackpick"


def _template(root: Path, files: dict[str, str], variables: dict[str, Any] | None = None) -> Path:
    variables = {"name": "Demo", "slug": "demo"} if variables is None else variables
    root.mkdir(parents=True, exist_ok=True)
    (root / "cookiecutter.json").write_text(json.dumps(variables))
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _context(root: Path) -> dict[str, Any]:
    values = json.loads((root / "cookiecutter.json").read_text())
    return {"cookiecutter": values}


def _imported_cookiecutter_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.ImportFrom)
            and not node.level
            and (node.module or "").split(".")[0] == "cookiecutter"
        ):
            module = node.module or ""
            for alias in node.names:
                names.add(f"{module}.{alias.name}")
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name.split(".")[0] == "cookiecutter"}
    return names


def test_only_the_adapter_imports_cookiecutter() -> None:
    importers = sorted(
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if _imported_cookiecutter_names(path)
    )
    assert importers == ["cookiecutter_adapter.py"]


def test_every_cookiecutter_name_the_adapter_uses_is_listed() -> None:
    used = _imported_cookiecutter_names(SRC / "cookiecutter_adapter.py")
    listed = set(adapter.INTERNAL_NAMES)
    # ``cookiecutter.exceptions`` is listed as a module: its classes are one contract.
    used = {
        "cookiecutter.exceptions" if name.startswith("cookiecutter.exceptions") else name
        for name in used
    }
    assert used | {"cookiecutter.hooks.run_script_with_context"} == listed


def test_every_listed_name_has_its_contract_test() -> None:
    tests = {name for name in globals() if name.startswith("test_contract_")}
    expected = {
        f"test_contract_{n.split('.', 1)[1].replace('.', '_')}" for n in adapter.INTERNAL_NAMES
    }
    assert expected == tests


# --- the contracts ------------------------------------------------------------------------


def test_contract_config_BUILTIN_ABBREVIATIONS() -> None:
    from cookiecutter.config import BUILTIN_ABBREVIATIONS

    assert {"gh", "gl", "bb"} <= set(BUILTIN_ABBREVIATIONS)
    assert BUILTIN_ABBREVIATIONS["gh"].format("o/r") == "https://github.com/o/r.git"


def test_contract_exceptions(tmp_path: Path) -> None:
    """The exception classes ``translated_errors`` and ``_fetch`` turn into stackpick errors."""
    from cookiecutter import exceptions

    caught = (
        "FailedHookException", "UndefinedVariableInTemplate", "NonTemplatedInputDirException",
        "RepositoryNotFound", "RepositoryCloneFailed", "InvalidZipRepository",
        "UnknownRepoType", "VCSNotInstalled",
    )  # fmt: skip
    for name in caught:
        assert issubclass(getattr(exceptions, name), exceptions.CookiecutterException), name
    error = exceptions.UndefinedVariableInTemplate("message", ValueError("inner"), {})
    assert error.message == "message" and isinstance(error.error, ValueError)


def test_contract_find_find_template(tmp_path: Path) -> None:
    from cookiecutter.exceptions import NonTemplatedInputDirException
    from cookiecutter.find import find_template

    root = _template(tmp_path / "t", {"{{cookiecutter.slug}}/a.txt": "a", "other/b.txt": "b"})
    env = adapter.environment(_context(root))
    assert find_template(str(root), env) == root / "{{cookiecutter.slug}}"
    with pytest.raises(NonTemplatedInputDirException):
        find_template(str(_template(tmp_path / "none", {"plain/a.txt": "a"})), env)


def test_contract_generate_generate_files(tmp_path: Path) -> None:
    """No hooks run with ``accept_hooks=False``; the folder the pre hook ran in is accepted."""
    from cookiecutter.generate import generate_files

    root = _template(
        tmp_path / "t",
        {
            "{{cookiecutter.slug}}/{{cookiecutter.name}}.txt": "{{ cookiecutter.name }}",
            "hooks/pre_gen_project.py": "open('pre_ran', 'w').close()\n",
            "hooks/post_gen_project.py": "open('post_ran', 'w').close()\n",
        },
    )
    out = tmp_path / "out"
    (out / "demo").mkdir(parents=True)
    (out / "demo" / "from_pre_hook").write_text("kept")
    project = generate_files(
        repo_dir=str(root), context=_context(root), output_dir=str(out),
        overwrite_if_exists=True, accept_hooks=False, keep_project_on_failure=True,
    )  # fmt: skip
    assert Path(project) == out / "demo"
    assert sorted(p.name for p in (out / "demo").iterdir()) == ["Demo.txt", "from_pre_hook"]


def test_contract_hooks_find_hook(tmp_path: Path) -> None:
    from cookiecutter.hooks import find_hook

    root = _template(
        tmp_path / "t",
        {"hooks/post_gen_project.sh": "", "hooks/post_gen_project.py~": "", "hooks/x.py": ""},
    )
    elsewhere = os.getcwd()
    assert find_hook("post_gen_project", hooks_dir=str(root / "hooks")) == [
        str(root / "hooks" / "post_gen_project.sh")
    ]
    assert find_hook("pre_gen_project", hooks_dir=str(root / "hooks")) is None
    assert find_hook("pre_prompt", hooks_dir=str(tmp_path / "no-hooks")) is None
    assert os.getcwd() == elsewhere


def test_contract_hooks_run_script(tmp_path: Path) -> None:
    from cookiecutter.exceptions import FailedHookException
    from cookiecutter.hooks import run_script

    script = tmp_path / "hook.py"
    script.write_text(
        "import os, sys\nopen('ran_here', 'w').close()\nsys.exit(int(os.environ.get('FAIL', 0)))\n"
    )
    (tmp_path / "cwd").mkdir()
    run_script(str(script), str(tmp_path / "cwd"))
    assert (tmp_path / "cwd" / "ran_here").is_file()
    shell = tmp_path / "hook.sh"
    shell.write_text("#!/bin/sh\nexit 3\n")
    with pytest.raises(FailedHookException, match="exit status: 3"):
        run_script(str(shell), str(tmp_path / "cwd"))


def test_contract_hooks_run_script_with_context(tmp_path: Path) -> None:
    """Why ``run_hooks`` exists: cookiecutter leaves the rendered hook in the temporary folder.

    Should this fail because cookiecutter now cleans up, ``run_hooks`` can go.
    """
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    (tmp_path / "hook.py").write_text("print('{{ cookiecutter.name }}')\n")
    code = (
        "import sys\nfrom cookiecutter.hooks import run_script_with_context\n"
        "run_script_with_context(sys.argv[1], sys.argv[2], {'cookiecutter': {'name': 'Secret'}})\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "hook.py"), str(tmp_path)],
        env={**os.environ, "TMPDIR": str(system_temp)}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout == "Secret\n"
    (left,) = system_temp.iterdir()
    assert left.read_text() == "print('Secret')\n"


def test_contract_prompt_render_variable() -> None:
    from cookiecutter.prompt import render_variable

    env = adapter.environment({"cookiecutter": {}})
    so_far = {"name": "Demo App"}
    assert render_variable(env, "{{ cookiecutter.name | lower }}!", so_far) == "demo app!"
    assert render_variable(env, True, so_far) is True and render_variable(env, None, so_far) is None
    assert render_variable(env, 7, so_far) == "7"
    assert render_variable(env, ["{{ cookiecutter.name }}", "b"], so_far) == ["Demo App", "b"]
    assert render_variable(env, {"k": "{{ 1 + 1 }}"}, so_far) == {"k": "2"}
    # What ``render_default`` skips compiling: text without syntax renders to itself.
    for plain in ("Demo App", "a } b { c", "tab\tand\nnew line\n", " spaced ", "", "100%"):
        assert (
            render_variable(env, plain, so_far) == plain == adapter.render_default(env, plain, {})
        )
    for text in ("{{ 1 }}", "{% if 1 %}x{% endif %}", "a{# c #}b", "one\r\ntwo"):
        assert render_variable(env, text, so_far) == adapter.render_default(env, text, so_far)


def test_contract_repository_determine_repo_dir(tmp_path: Path) -> None:
    """A folder as it is; a zip unzipped in the system's temporary folder (``fetch``'s child)."""
    from cookiecutter.config import BUILTIN_ABBREVIATIONS
    from cookiecutter.exceptions import RepositoryNotFound
    from cookiecutter.repository import determine_repo_dir

    root = _template(tmp_path / "src" / "t" / "sub", {"{{cookiecutter.slug}}/a.txt": "a"})
    found, cleanup = determine_repo_dir(
        template=str(root.parent), abbreviations=BUILTIN_ABBREVIATIONS,
        clone_to_dir=str(tmp_path / "clones"), checkout=None, no_input=True, directory="sub",
    )  # fmt: skip
    assert Path(found) == root and cleanup is False
    with pytest.raises(RepositoryNotFound):
        determine_repo_dir(
            template=str(root.parent), abbreviations=BUILTIN_ABBREVIATIONS,
            clone_to_dir=str(tmp_path / "clones"), checkout=None, no_input=True, directory=None,
        )  # fmt: skip
    archive = tmp_path / "t.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(root.parent.parent.rglob("*")):
            zf.write(path, path.relative_to(root.parent.parent).as_posix())
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    code = (
        "import sys\nfrom cookiecutter.repository import determine_repo_dir\n"
        "print(determine_repo_dir(sys.argv[1], {}, sys.argv[2], None, True, directory='sub'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(archive), str(tmp_path / "clones")],
        env={**os.environ, "TMPDIR": str(system_temp)}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert str(system_temp) in result.stdout and "True" in result.stdout
    assert list(system_temp.iterdir())


def test_contract_utils_create_env_with_context(tmp_path: Path) -> None:
    """``_extensions`` are loaded (stackpick's ``KeepCompiled`` among them); env vars apply."""
    from cookiecutter.utils import create_env_with_context

    from stackpick.compiled import PackedBytecodeCache

    context = adapter.with_kept_compiled(
        {"cookiecutter": {"_jinja2_env_vars": {"variable_start_string": "<<",
                                                 "variable_end_string": ">>"}}}
    )  # fmt: skip
    env = create_env_with_context(context)
    assert isinstance(env.bytecode_cache, PackedBytecodeCache)
    assert env.from_string("<< 1 + 1 >> {{ x }}").render() == "2 {{ x }}"
    assert env.from_string("{{ 'A b' | slugify }}", {}).render() != ""
    assert env.keep_trailing_newline


# --- what the adapter promises ------------------------------------------------------------


def _probe_template(root: Path) -> Path:
    """A template whose filter records, mid-render, the other libraries' module globals."""
    return _template(
        root,
        {
            "probe_ext.py": (
                "import json, sys\nfrom jinja2.ext import Extension\n\n"
                "NAMES = ['cookiecutter.generate', 'cookiecutter.hooks', 'cookiecutter.utils',\n"
                "         'binaryornot.check', 'tempfile', 'jinja2.environment']\n\n"
                "def seen(_):\n"
                "    return json.dumps({m: sorted(f'{k}={id(v)}'\n"
                "                                 for k, v in vars(sys.modules[m]).items()\n"
                "                                 if not k.startswith('_')) for m in NAMES})\n\n"
                "class Probe(Extension):\n"
                "    def __init__(self, environment):\n"
                "        super().__init__(environment)\n"
                "        environment.filters['seen'] = seen\n"
            ),
            "{{cookiecutter.slug}}/seen.json": "{{ 0 | seen }}",
            "hooks/post_gen_project.py": "print('{{ cookiecutter.name }}')\n",
        },
        {"name": "Demo", "slug": "demo", "_extensions": ["probe_ext.Probe"]},
    )


def test_a_render_replaces_nothing_in_other_libraries(tmp_path: Path) -> None:
    """What a template's own code sees mid-render is what the modules hold outside any render."""
    import binaryornot.check  # noqa: F401 - loaded as in a render
    import cookiecutter.generate  # noqa: F401

    from stackpick.generate.render import render, resolve_context
    from stackpick.template_source import Template, TemplateSource, read_declaration

    root = _probe_template(tmp_path / "t")
    template = Template("flask", root, read_declaration(root, "t"), TemplateSource(str(root)))
    sys.path.insert(0, str(root))
    try:
        import probe_ext

        seen = []
        for run in ("warm-up", "probed"):  # the first fills what modules set up on first use
            out = tmp_path / run
            out.mkdir()
            before = json.loads(probe_ext.seen(0))
            project = render(template, resolve_context(template, {}, out), out)
            seen.append((before, json.loads((project / "seen.json").read_text())))
        after = json.loads(probe_ext.seen(0))
    finally:
        sys.path.remove(str(root))
        sys.modules.pop("probe_ext", None)
    before, during = seen[-1]
    for module in before:
        assert before[module] == during[module] == after[module], module


def test_hook_scripts_are_rendered_into_the_renders_own_folder(tmp_path: Path) -> None:
    """Two renders side by side (in two processes' worth of folders): each its own scripts."""
    root = _template(
        tmp_path / "t",
        {
            "{{cookiecutter.slug}}/a.txt": "a",
            "hooks/pre_gen_project.py": "print('pre {{ cookiecutter.name }}')\n",
            "hooks/post_gen_project.sh": (
                "#!/bin/sh\necho 'post {{ cookiecutter.name }}' > post.txt\n"
            ),
        },
    )
    for name in ("one", "two"):
        staging = tmp_path / name
        staging.mkdir()
        context = {"cookiecutter": {"name": name, "slug": "demo"}}
        project = adapter.generate(root, context, staging)
        assert (project / "post.txt").read_text() == f"post {name}\n"
        scripts = sorted(p.read_text() for p in staging.iterdir() if p.is_file())
        assert scripts == sorted(
            [f"print('pre {name}')\n", f"#!/bin/sh\necho 'post {name}' > post.txt\n"]
        )


def test_a_failing_hook_is_named(tmp_path: Path) -> None:
    from stackpick.errors import RenderError

    root = _template(
        tmp_path / "t",
        {"{{cookiecutter.slug}}/a.txt": "a", "hooks/post_gen_project.py": "raise SystemExit(4)\n"},
    )
    (tmp_path / "out").mkdir()
    failed = r"^T: post_gen_project hook failed \(.*exit status: 4"
    with pytest.raises(RenderError, match=failed), adapter.translated_errors("T"):
        adapter.generate(root, _context(root), tmp_path / "out")


def test_a_zip_fetch_leaves_nothing_in_the_system_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(system_temp))
    root = _template(tmp_path / "src" / "t", {"{{cookiecutter.slug}}/a.txt": "a"})
    archive = tmp_path / "t.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(root.parent.rglob("*")):
            zf.write(path, path.relative_to(root.parent).as_posix())
    (tmp_path / "clone").mkdir()
    found = adapter.fetch(str(archive), tmp_path / "clone", None, None)
    assert (found / "cookiecutter.json").is_file() and tmp_path / "clone" in found.parents
    with pytest.raises(adapter.FetchFailed) as failed:
        adapter.fetch(str(tmp_path / "t.zip"), tmp_path / "clone", None, "missing")
    assert failed.value.kind == "not-found"
    archive.write_bytes(b"not a zip")
    with pytest.raises(adapter.FetchFailed) as failed:
        adapter.fetch(str(archive), tmp_path / "clone", None, None)
    assert failed.value.kind == "zip"
    assert list(system_temp.iterdir()) == []
