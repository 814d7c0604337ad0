"""``stackpick new --template T`` writes the same tree as ``cookiecutter --no-input T``.

Every template is built inline; each shape renders once through stackpick (in-process,
CliRunner) and once through cookiecutter's library with a configuration in the test's
temporary folder (nothing written to HOME). File names, bytes and modes must match,
stackpick's own additions (``.stackpick.toml``, ``.env``, ``docs/decisions``) aside.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings

from generated import HOSTILE_AUTHOR, HOSTILE_DESCRIPTION, HOSTILE_NAME, TEMPLATES
from stackpick.cli import cli
from test_scaffold import free_text, names

EXECUTABLE = 0o755
#: A file's content, or its content and mode.
Content = str | bytes | tuple[str | bytes, int]
Snapshot = dict[str, tuple[bytes | None, int]]
#: stackpick's own additions to a generated project, left out of the comparison.
OURS_ONLY = (".stackpick.toml", ".env", "docs/decisions", ".git")


def write_tree(root: Path, files: Mapping[str, Content]) -> Path:
    """Write ``files`` (path -> content, or (content, mode)) below ``root``; return ``root``."""
    for name, content in files.items():
        mode = None
        if isinstance(content, tuple):
            content, mode = content
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        if mode is not None:
            path.chmod(mode)
    return root


def template(root: Path, variables: Mapping[str, Any], files: Mapping[str, Content]) -> Path:
    """A template: ``cookiecutter.json`` from ``variables``, and ``files`` beside it."""
    return write_tree(root, {"cookiecutter.json": json.dumps(variables, indent=2), **files})


def _text(value: object) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)


def stackpick_new(
    source: str | Path, out: Path, values: Mapping[str, object] = {}, *extra: str
) -> Result:
    args = ["new", "--no-input", "--no-git", "--template", f"flask={source}"]
    args += ["--set", "framework=flask"]
    for key, value in values.items():
        args += ["--set", f"{key}={_text(value)}"]
    return CliRunner().invoke(cli, [*args, "--output-dir", str(out), *extra], env={"NO_COLOR": "1"})


@pytest.fixture
def cookiecutter(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """Plain cookiecutter (library API), configured inside ``tmp_path``; forgets local modules."""
    from cookiecutter.main import cookiecutter as run

    config = tmp_path / "cookiecutter-config.yaml"
    config.write_text(
        f"cookiecutters_dir: {tmp_path / 'cc-templates'}\nreplay_dir: {tmp_path / 'cc-replay'}\n"
    )
    before = set(sys.modules)

    def plain(
        source: str | Path, out: Path, values: Mapping[str, object] | None = None, **kwargs: Any
    ) -> Path:
        return Path(
            run(
                str(source),
                no_input=True,
                extra_context=dict(values) if values else None,
                output_dir=str(out),
                config_file=str(config),
                **kwargs,
            )
        )

    yield plain
    for name in set(sys.modules) - before:
        if str(tmp_path) in (getattr(sys.modules[name], "__file__", None) or ""):
            del sys.modules[name]


def snapshot(project: Path, ignore: tuple[str, ...] = ()) -> Snapshot:
    """Every path below ``project``: bytes (``None`` for a folder) and permission bits."""
    found: Snapshot = {}
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project).as_posix()
        if any(relative == i or relative.startswith(f"{i}/") for i in ignore):
            continue
        content = None if path.is_dir() else path.read_bytes()
        found[relative] = (content, stat.S_IMODE(path.lstat().st_mode))
    return found


def only_child(folder: Path) -> Path:
    """The one entry in ``folder`` (no staging folder or other leftover beside it)."""
    entries = list(folder.iterdir())
    assert len(entries) == 1, entries
    return entries[0]


def assert_same_tree(
    ours_out: Path, theirs: Path, normalize: Callable[[bytes], bytes] = lambda b: b
) -> Snapshot:
    """stackpick's project in ``ours_out`` equals cookiecutter's ``theirs``, once normalized."""
    ours = only_child(ours_out)
    assert ours.name == theirs.name
    expected = snapshot(theirs)
    ignore = OURS_ONLY + (() if "docs" in expected else ("docs",))
    got = snapshot(ours, ignore)

    def norm(tree: Snapshot) -> Snapshot:
        return {k: (None if c is None else normalize(c), m) for k, (c, m) in tree.items()}

    assert norm(got) == norm(expected)
    assert (ours / ".stackpick.toml").is_file()
    return got


def compare(
    tmp_path: Path,
    plain: Callable[..., Path],
    source: str | Path,
    values: Mapping[str, object] = {},
    extra: tuple[str, ...] = (),
    normalize: Callable[[bytes], bytes] = lambda b: b,
    **kwargs: Any,
) -> Snapshot:
    """Render ``source`` both ways with ``values``; assert the trees match; return ours."""
    result = stackpick_new(source, tmp_path / "A", values, *extra)
    assert result.exit_code == 0, result.output
    theirs = plain(source, tmp_path / "B", values, **kwargs)
    return assert_same_tree(tmp_path / "A", theirs, normalize)


# --- the shapes ---------------------------------------------------------------------

P = "{{cookiecutter.slug}}"
BASE = {"name": "Demo App", "slug": "{{ cookiecutter.name | slugify(separator='_') }}"}
UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def _mask_random(content: bytes) -> bytes:
    """Random values compared by form only: letters of the asked length, a version 4 UUID."""
    content = re.sub(rb"letters=\[[A-Za-z]{12}\]", b"letters=[?]", content)
    content = re.sub(rb"punct=\[[\x21-\x7e]{20}\]", b"punct=[?]", content)
    return UUID.sub(b"<uuid4>", content)


class Shape(NamedTuple):
    variables: dict[str, Any]
    files: dict[str, Content]
    values: Mapping[str, object] = MappingProxyType({})
    normalize: Callable[[bytes], bytes] = lambda b: b


SHAPES: dict[str, Shape] = {
    "default extensions": Shape(
        {**BASE, "title": "{{ cookiecutter.name | slugify }}", "__id": "{{ uuid4() }}"},
        {
            f"{P}/ext.txt": (
                "year={% now 'utc', '%Y' %}\n"
                "slug={{ 'Hello, World! Ünïcode' | slugify }}|{{ cookiecutter.title }}\n"
                "json={{ {'b': [1, 2], 'a': cookiecutter.name} | jsonify }}\n"
                "json2={{ cookiecutter.name | jsonify(indent=0) }}\n"
                "letters=[{{ random_ascii_string(12) }}]\n"
                "punct=[{{ random_ascii_string(20, punctuation=True) }}]\n"
                "uuid={{ uuid4() }} hidden={{ cookiecutter.__id }}\n"
            ),
            f"{P}/{{% now 'utc', '%Y' %}}.txt": "a file named by the year\n",
        },
        normalize=_mask_random,
    ),
    "local extension": Shape(
        {**BASE, "_extensions": ["compat_local_ext.Shout", "compat_local_ext.shout_filter"]},
        {
            "compat_local_ext.py": (
                "from jinja2.ext import Extension\n"
                "from cookiecutter.utils import simple_filter\n\n"
                "class Shout(Extension):\n"
                "    def __init__(self, environment):\n"
                "        super().__init__(environment)\n"
                "        environment.filters['shout'] = lambda v: str(v).upper() + '!'\n\n"
                "@simple_filter\n"
                "def shout_filter(v):\n"
                "    return '!' + str(v)\n"
            ),
            f"{P}/shout.txt": (
                "{{ cookiecutter.name | shout }} {{ cookiecutter.slug | shout_filter }}\n"
            ),
            f"{P}/{{{{ cookiecutter.name | shout | slugify }}}}.md": "named by the extension\n",
        },
    ),
    "python pre hook, shell post hook": Shape(
        BASE,
        {
            "hooks/pre_gen_project.py": (
                "import pathlib\n"
                "pathlib.Path('from_pre_hook.txt').write_text('{{ cookiecutter.name }}\\n')\n"
            ),
            "hooks/post_gen_project.sh": (
                "#!/bin/sh\nset -e\necho '{{ cookiecutter.slug }}' > from_post_hook.txt\n"
                "chmod 600 keep.txt\nrm drop.txt\n"
            ),
            f"{P}/keep.txt": "kept\n",
            f"{P}/drop.txt": "dropped by the post hook\n",
        },
    ),
    "shell pre hook, python post hook": Shape(
        BASE,
        {
            "hooks/pre_gen_project.sh": "#!/bin/sh\necho pre > from_pre_hook.txt\n",
            "hooks/post_gen_project.py": (
                "import os, pathlib\n"
                "names = sorted(os.listdir('.'))\n"
                "pathlib.Path('listing.txt').write_text('\\n'.join(names) + '\\n')\n"
            ),
            f"{P}/a.txt": "a\n",
        },
    ),
    "copy without render": Shape(
        {**BASE, "_copy_without_render": ["raw/*", "*.jinja"]},
        {
            f"{P}/raw/page.html": "{{ not rendered }} {% raw %}\n",
            f"{P}/raw/{{{{cookiecutter.slug}}}}.txt": "{{ cookiecutter.name }}\n",
            f"{P}/macro.jinja": "{% block x %}{{ y }}{% endblock %}\n",
            f"{P}/rendered.txt": "{{ cookiecutter.name }}\n",
        },
    ),
    "binary file": Shape(
        BASE,
        {
            f"{P}/logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
            f"{P}/data.bin": b"{{ cookiecutter.name }}\x00\xff\xfe",
        },
    ),
    "crlf files": Shape(
        BASE,
        {
            f"{P}/windows.bat": "@echo off\r\necho {{ cookiecutter.name }}\r\n",
            f"{P}/mixed.txt": "unix\nwindows\r\n{{ cookiecutter.slug }}\r\n",
            f"{P}/no_newline.txt": "{{ cookiecutter.name }}",
        },
    ),
    "file modes": Shape(
        BASE,
        {
            f"{P}/run.sh": ("#!/bin/sh\necho {{ cookiecutter.slug }}\n", EXECUTABLE),
            f"{P}/bin/tool": ("#!/bin/sh\ntrue\n", 0o750),
            f"{P}/secret.txt": ("private\n", 0o600),
            f"{P}/plain.txt": ("plain\n", 0o644),
        },
    ),
    "conditional file names, on": Shape(
        {**BASE, "docker": True, "ci": ["github", "gitlab", "none"]},
        {
            f"{P}/{{% if cookiecutter.docker %}}Dockerfile{{% endif %}}": "FROM python\n",
            f"{P}/{{% if cookiecutter.ci == 'gitlab' %}}.gitlab-ci.yml{{% endif %}}": "x: 1\n",
            f"{P}/{{% if cookiecutter.ci == 'github' %}}.github{{% endif %}}/ci.yml": "y: 2\n",
            f"{P}/always.txt": "a\n",
        },
    ),
    "conditional file names, off": Shape(
        {**BASE, "docker": True, "ci": ["github", "gitlab", "none"]},
        {
            f"{P}/{{% if cookiecutter.docker %}}Dockerfile{{% endif %}}": "FROM python\n",
            f"{P}/{{% if cookiecutter.ci == 'gitlab' %}}.gitlab-ci.yml{{% endif %}}": "x: 1\n",
            f"{P}/always.txt": "a\n",
        },
        values={"docker": False, "ci": "gitlab"},
    ),
    "nested folders": Shape(
        {**BASE, "pkg": "{{ cookiecutter.slug }}_core"},
        {
            f"{P}/src/{{{{cookiecutter.pkg}}}}/__init__.py": "NAME = '{{ cookiecutter.name }}'\n",
            f"{P}/src/{{{{cookiecutter.pkg}}}}/sub/deeper/mod.py": "X = 1\n",
            f"{P}/tests/.keep": "",
            f"{P}/docs/index.md": "# {{ cookiecutter.name }}\n",
        },
    ),
    "private and hidden variables": Shape(
        {
            **BASE,
            "_private": "{{ cookiecutter.name }} stays raw",
            "_list": ["x", "y"],
            "__hidden": "{{ cookiecutter.slug }}-hidden",
            "__upper": "{{ cookiecutter.__hidden | upper }}",
            "after": "{{ cookiecutter.__hidden }}+",
        },
        {
            f"{P}/vars.txt": (
                "{{ cookiecutter._private }}|{{ cookiecutter._list | join(',') }}|"
                "{{ cookiecutter.__hidden }}|{{ cookiecutter.__upper }}|{{ cookiecutter.after }}\n"
                "{{ cookiecutter._template is defined }} {{ _cookiecutter | list | sort }}\n"
            ),
        },
    ),
    "prompts": Shape(
        {
            **BASE,
            "color": ["red", "blue"],
            "size": "10",
            "__prompts__": {
                "name": "Your project's name",
                "color": {"__prompt__": "Which color?", "red": "Red (warm)", "blue": "Blue"},
            },
        },
        {f"{P}/p.txt": "{{ cookiecutter.color }} {{ cookiecutter.size }}\n"},
        values={"color": "blue", "size": "12"},
    ),
    "jinja2 env vars": Shape(
        {**BASE, "_jinja2_env_vars": {"lstrip_blocks": True, "trim_blocks": True}, "n": "3"},
        {
            f"{P}/blocks.txt": (
                "start\n"
                "    {% for i in range(cookiecutter.n | int) %}\n"
                "item {{ i }}\n"
                "    {% endfor %}\n"
                "end\n"
            ),
        },
    ),
    "template variables as answers": Shape(
        {**BASE, "license": ["MIT", "BSD-3-Clause", "Apache-2.0"], "use_x": False, "port": 8000},
        {
            f"{P}/LICENSE": (
                "{{ cookiecutter.license }} {{ cookiecutter.use_x }} {{ cookiecutter.port }}\n"
            )
        },
        values={"license": "Apache-2.0", "use_x": True, "port": "9000", "name": "Given Name"},
    ),
    "new lines": Shape({**BASE, "_new_lines": "\r\n"}, {f"{P}/a.txt": "one\ntwo\n"}),
    "templated choices": Shape(
        {**BASE, "pick": ["{{ cookiecutter.slug }}-a", "b"]},
        {f"{P}/a.txt": "{{ cookiecutter.pick }}\n"},
    ),
    "dict variable": Shape(
        {**BASE, "deps": {"flask": "3", "name": "{{ cookiecutter.name }}"}},
        {f"{P}/a.txt": "{{ cookiecutter.deps | jsonify }}\n"},
    ),
    "pre prompt hook": Shape(
        BASE,
        {
            "hooks/pre_prompt.py": (
                "import json, pathlib\n"
                "p = pathlib.Path('cookiecutter.json')\n"
                "d = json.loads(p.read_text())\n"
                "d['name'] = 'From Pre Prompt'\n"
                "p.write_text(json.dumps(d))\n"
            ),
            f"{P}/a.txt": "{{ cookiecutter.name }}\n",
        },
    ),
    "copy without render folder": Shape(
        {**BASE, "_copy_without_render": ["raw"]},
        {f"{P}/raw/x.txt": "{{ raw }}\n", f"{P}/y.txt": "{{ cookiecutter.name }}\n"},
    ),
}


@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_same_tree_as_cookiecutter(
    tmp_path: Path, cookiecutter: Callable[..., Path], shape: str
) -> None:
    spec = SHAPES[shape]
    source = template(tmp_path / "T", spec.variables, spec.files)
    compare(tmp_path, cookiecutter, source, spec.values, normalize=spec.normalize)


def test_shapes_render_what_they_claim(tmp_path: Path, cookiecutter: Callable[..., Path]) -> None:
    """The shapes are not vacuous: their features did act (checked on stackpick's output)."""
    got: dict[str, Snapshot] = {}
    for name, spec in SHAPES.items():
        folder = tmp_path / re.sub(r"\W", "_", name)
        source = template(folder / "T", spec.variables, spec.files)
        got[name] = compare(folder, cookiecutter, source, spec.values, normalize=spec.normalize)

    def text(shape: str, path: str) -> str:
        content = got[shape][path][0]
        assert content is not None
        return content.decode()

    ext = text("default extensions", "ext.txt")
    assert "slug=hello-world-unicode|demo-app" in ext and '"a": "Demo App"' in ext
    assert re.search(r"letters=\[[A-Za-z]{12}\]", ext) and len(UUID.findall(ext.encode())) == 2
    assert text("local extension", "shout.txt") == "DEMO APP! !demo_app\n"
    assert "demo-app.md" in got["local extension"]
    hooks = got["python pre hook, shell post hook"]
    assert text("python pre hook, shell post hook", "from_post_hook.txt") == "demo_app\n"
    assert hooks["keep.txt"][1] == 0o600 and "drop.txt" not in hooks
    assert "from_pre_hook.txt" in text("shell pre hook, python post hook", "listing.txt")
    assert text("copy without render", "raw/page.html") == "{{ not rendered }} {% raw %}\n"
    assert "raw/demo_app.txt" in got["copy without render"]
    assert text("crlf files", "windows.bat") == "@echo off\r\necho Demo App\r\n"
    assert got["file modes"]["run.sh"][1] == EXECUTABLE
    assert got["file modes"]["secret.txt"][1] == 0o600
    assert {"Dockerfile", ".github/ci.yml"} <= set(got["conditional file names, on"])
    off = set(got["conditional file names, off"])
    assert ".gitlab-ci.yml" in off and "Dockerfile" not in off
    assert "src/demo_app_core/sub/deeper/mod.py" in got["nested folders"]
    assert text("private and hidden variables", "vars.txt").startswith(
        "{{ cookiecutter.name }} stays raw|x,y|demo_app-hidden|DEMO_APP-HIDDEN|demo_app-hidden+\n"
    )
    assert text("prompts", "p.txt") == "blue 12\n"
    assert text("jinja2 env vars", "blocks.txt") == "start\nitem 0\nitem 1\nitem 2\nend\n"
    assert text("template variables as answers", "LICENSE") == "Apache-2.0 True 9000\n"
    assert text("new lines", "a.txt") == "one\r\ntwo\r\n"
    assert text("templated choices", "a.txt") == "demo_app-a\n"
    assert '"name": "Demo App"' in text("dict variable", "a.txt")
    assert text("pre prompt hook", "a.txt") == "From Pre Prompt\n"
    assert text("copy without render folder", "raw/x.txt") == "{{ raw }}\n"


# --- sources: git at a ref, zip, sub-directory ----------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", "-c",
         "init.defaultBranch=main", *args],
        cwd=repo, check=True, capture_output=True,
    )  # fmt: skip


def git_template(root: Path) -> Path:
    """A git repository: v1 (tagged) then a second commit that changes the template."""
    template(root, BASE, {f"{P}/version.txt": "one {{ cookiecutter.name }}\n"})
    _git(root, "init")
    _git(root, "add", "-A")
    _git(root, "commit", "-m", "one")
    _git(root, "tag", "v1")
    write_tree(root, {f"{P}/version.txt": "two\n", f"{P}/new.txt": "only in two\n"})
    _git(root, "add", "-A")
    _git(root, "commit", "-m", "two")
    return root


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_repository_at_a_ref(tmp_path: Path, cookiecutter: Callable[..., Path]) -> None:
    repo = git_template(tmp_path / "repo")
    result = stackpick_new(repo, tmp_path / "A", {}, "--checkout", "v1")
    assert result.exit_code == 0, result.output
    theirs = cookiecutter(f"git+file://{repo}", tmp_path / "B", checkout="v1")
    got = assert_same_tree(tmp_path / "A", theirs)
    assert got["version.txt"][0] == b"one Demo App\n" and "new.txt" not in got
    recorded = (only_child(tmp_path / "A") / ".stackpick.toml").read_text()
    tagged = subprocess.run(
        ["git", "rev-parse", "v1^{commit}"], cwd=repo, capture_output=True, text=True, check=True
    )
    assert 'checkout = "v1"' in recorded  # as given, and the commit v1 named then beside it
    assert f'commit = "{tagged.stdout.strip()}"' in recorded


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_repository_without_a_ref_is_the_folder_as_it_is(
    tmp_path: Path, cookiecutter: Callable[..., Path]
) -> None:
    repo = git_template(tmp_path / "repo")
    got = compare(tmp_path, cookiecutter, repo)
    assert got["version.txt"][0] == b"two\n"


def test_zip_file(tmp_path: Path, cookiecutter: Callable[..., Path]) -> None:
    folder = template(
        tmp_path / "src" / "tpl",
        {**BASE, "kind": ["x", "y"]},
        {f"{P}/z.txt": "{{ cookiecutter.name }} {{ cookiecutter.kind }}\n", f"{P}/b.bin": b"\0\1"},
    )
    archive = tmp_path / "tpl.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.parent.rglob("*")):
            zf.write(path, path.relative_to(folder.parent).as_posix())
    got = compare(tmp_path, cookiecutter, archive, {"kind": "y"})
    assert got["z.txt"][0] == b"Demo App y\n"


def test_directory_inside_the_source(tmp_path: Path, cookiecutter: Callable[..., Path]) -> None:
    root = tmp_path / "T"
    template(root / "templates" / "web", BASE, {f"{P}/w.txt": "web {{ cookiecutter.slug }}\n"})
    template(root / "templates" / "cli", BASE, {f"{P}/c.txt": "cli\n"})
    write_tree(root, {"README.md": "several templates\n"})
    got = compare(
        tmp_path,
        cookiecutter,
        root,
        extra=("--directory", "templates/web"),
        directory="templates/web",
    )
    assert set(got) == {"w.txt"}


# --- answers are data; template variables are validated answers -------------------


def test_template_code_in_a_value_stays_text_where_cookiecutter_evaluates_it(
    tmp_path: Path, cookiecutter: Callable[..., Path]
) -> None:
    source = template(tmp_path / "T", BASE, {f"{P}/name.txt": "{{ cookiecutter.name }}\n"})
    values = {"name": "{{ 7*7 }}", "slug": "demo"}
    result = stackpick_new(source, tmp_path / "A", values)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "A" / "demo" / "name.txt").read_text() == "{{ 7*7 }}\n"
    theirs = cookiecutter(source, tmp_path / "B", values)
    assert (theirs / "name.txt").read_text() == "49\n"


def test_a_bad_choice_lists_the_valid_values(tmp_path: Path) -> None:
    source = template(tmp_path / "T", {**BASE, "license": ["MIT", "BSD"]}, {f"{P}/a": "a"})
    result = stackpick_new(source, tmp_path / "A", {"license": "GPL"})
    assert result.exit_code == 2, result.output
    assert "license" in result.output and "GPL" in result.output
    assert "MIT" in result.output and "BSD" in result.output
    assert not (tmp_path / "A").exists()


def test_an_unknown_key_is_still_an_error(tmp_path: Path) -> None:
    source = template(tmp_path / "T", BASE, {f"{P}/a": "a"})
    result = stackpick_new(source, tmp_path / "A", {"nmae": "x"})
    assert result.exit_code == 2 and "nmae" in result.output
    assert not (tmp_path / "A").exists()


def test_questions_lists_the_template_variables(tmp_path: Path) -> None:
    source = template(
        tmp_path / "T",
        {
            **BASE,
            "license": ["MIT", "BSD"],
            "use_x": False,
            "_private": "p",
            "__hidden": "h",
            "__prompts__": {"license": "Which license?"},
        },
        {f"{P}/a": "a"},
    )
    result = CliRunner().invoke(cli, ["questions", "--json", "--template", f"flask={source}"])
    assert result.exit_code == 0, result.output
    by_key = {q["key"]: q for q in json.loads(result.output)}
    assert {"name", "slug", "license", "use_x", "framework"} <= set(by_key)
    assert not {"_private", "__hidden", "__prompts__"} & set(by_key)
    assert by_key["license"]["choices"] == ["MIT", "BSD"]
    assert by_key["license"]["prompt"] == "Which license?"
    assert by_key["use_x"]["type"] != "text"


# --- errors: one line, the right exit code, nothing left behind ----------------------


def _one_error_line(result: Result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error:"), result.output
    return lines[0]


def _nothing_left(out: Path) -> None:
    assert not out.exists() or not any(out.iterdir()), list(out.iterdir())


def test_missing_source(tmp_path: Path) -> None:
    result = stackpick_new(tmp_path / "nowhere", tmp_path / "A")
    assert result.exit_code == 2
    assert "nowhere" in _one_error_line(result)
    _nothing_left(tmp_path / "A")


def test_folder_without_cookiecutter_json(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "T", {f"{P}/a.txt": "a"})
    result = stackpick_new(source, tmp_path / "A")
    assert result.exit_code == 1
    assert "cookiecutter.json" in _one_error_line(result)
    _nothing_left(tmp_path / "A")


def test_jinja_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    source = template(
        tmp_path / "T", BASE, {f"{P}/good.txt": "ok\n", f"{P}/bad.txt": "line 1\n{% if %}\n"}
    )
    result = stackpick_new(source, tmp_path / "A")
    assert result.exit_code == 1
    line = _one_error_line(result)
    assert "bad.txt" in line and "line 2" in line
    _nothing_left(tmp_path / "A")


def test_pre_prompt_hook_runs_on_a_copy(tmp_path: Path) -> None:
    spec = SHAPES["pre prompt hook"]
    source = template(tmp_path / "T", spec.variables, spec.files)
    before = snapshot(source)
    assert stackpick_new(source, tmp_path / "A").exit_code == 0
    assert only_child(tmp_path / "A").name == "from_pre_prompt"
    assert snapshot(source) == before


@pytest.mark.parametrize(
    "hook", ["pre_prompt.py", "pre_gen_project.py", "post_gen_project.sh", "post_gen_project.py"]
)
def test_failing_hook_is_named(tmp_path: Path, hook: str) -> None:
    body = "import sys\nsys.exit(3)\n" if hook.endswith(".py") else "#!/bin/sh\nexit 3\n"
    source = template(tmp_path / "T", BASE, {f"{P}/a.txt": "a\n", f"hooks/{hook}": body})
    result = stackpick_new(source, tmp_path / "A")
    assert result.exit_code == 1
    assert hook.split(".")[0] in _one_error_line(result)
    _nothing_left(tmp_path / "A")


def test_folder_name_that_escapes_is_refused(tmp_path: Path) -> None:
    source = template(tmp_path / "T", {"name": "x", "slug": "x"}, {f"{P}/a.txt": "a\n"})
    result = stackpick_new(source, tmp_path / "A", {"slug": "../escape"})
    assert result.exit_code == 2, result.output
    _one_error_line(result)
    _nothing_left(tmp_path / "A")
    assert not (tmp_path / "escape").exists()


# --- hostile text on a team's template (a copy of the bundled Flask template) -------------


@pytest.fixture(scope="module")
def team_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Copies of the bundled templates, to be given as a team's own with --template."""
    root = tmp_path_factory.mktemp("team")
    copies = {}
    for framework in ("flask", "django"):
        copies[framework] = root / f"team-{framework}"
        shutil.copytree(TEMPLATES / framework, copies[framework])
    return copies


def _generate_hostile(
    source: Path, framework: str, out: Path, name: str, description: str, author: str
) -> Path:
    answers = out / "answers.json"
    answers.write_text(json.dumps({
        "framework": framework, "project_name": name, "project_slug": "demo_app",
        "description": description, "author_name": author, "auth": True, "rest_api": True,
        "i18n": True, "ci": "github", "docker": True,
    }))  # fmt: skip
    result = CliRunner().invoke(
        cli,
        ["new", "--no-input", "--no-git", "--json", "--answers", str(answers), "--template",
         f"{framework}={source}", "--output-dir", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    project = Path(json.loads(result.stdout)["path"])
    assert project == out / "demo_app"
    from test_scaffold import _all_texts, _python_strings

    _all_texts(project)
    assert name in _python_strings(project)
    recorded = tomllib.loads((project / ".stackpick.toml").read_text(encoding="utf-8"))
    assert recorded["answers"]["project_name"] == name
    assert recorded["answers"]["description"] == description
    assert recorded["templates"][framework]["source"] == str(source)
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["description"] == " ".join(description.split())
    return project


@pytest.mark.parametrize("framework", ["flask", "django"])
def test_hostile_text_on_a_template_given_with_template(
    tmp_path: Path, team_templates: dict[str, Path], framework: str
) -> None:
    source = team_templates[framework]
    _generate_hostile(
        source, framework, tmp_path, HOSTILE_NAME, HOSTILE_DESCRIPTION, HOSTILE_AUTHOR
    )


@pytest.mark.parametrize("framework", ["flask", "django"])
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=names, description=free_text, author=free_text)
def test_arbitrary_text_on_a_template_given_with_template(
    tmp_path_factory: pytest.TempPathFactory,
    team_templates: dict[str, Path],
    framework: str,
    name: str,
    description: str,
    author: str,
) -> None:
    out = tmp_path_factory.mktemp("gen")
    _generate_hostile(team_templates[framework], framework, out, name, description, author)


def test_hostile_name_without_a_slug_follows_the_template_rule(tmp_path: Path) -> None:
    """A team's template derives project_slug its own way; only path safety applies."""
    source = tmp_path / "team-flask"
    shutil.copytree(TEMPLATES / "flask", source)
    result = stackpick_new(source, tmp_path / "A", {"project_name": "Shop Front-End"})
    assert result.exit_code == 0, result.output
    assert only_child(tmp_path / "A").name == "shop_front_end"
    hostile = stackpick_new(source, tmp_path / "B", {"project_name": HOSTILE_NAME})
    assert hostile.exit_code == 1, hostile.output
    assert "top folder renders to" in _one_error_line(hostile)
    _nothing_left(tmp_path / "B")


def test_hook_output_stays_off_json_output(tmp_path: Path) -> None:
    """Hooks print to standard error, so that ``--json`` output stays one JSON object."""
    say = "import sys\nprint('HOOK SAYS {}')\n"
    source = template(
        tmp_path / "T",
        BASE,
        {
            f"{P}/a.txt": "a\n",
            "hooks/pre_prompt.py": say.format("pre_prompt"),
            "hooks/pre_gen_project.py": say.format("pre_gen"),
            "hooks/post_gen_project.sh": "#!/bin/sh\necho HOOK SAYS post_gen\n",
        },
    )
    env = {**os.environ, "NO_COLOR": "1"}
    new = ["new", "--no-input", "--no-git", "--json", "--set", "framework=flask"]
    new += ["-o", str(tmp_path / "A")]
    for command, hooks in (
        (new, ("pre_prompt", "pre_gen", "post_gen")),
        (["questions", "--json"], ("pre_prompt",)),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "stackpick", *command, "--template", f"flask={source}"],
            capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        json.loads(result.stdout)
        assert [h for h in hooks if f"HOOK SAYS {h}" in result.stderr] == list(hooks)


# --- the templates' compiled files are kept (file names and defaults compile each run) ---


def _counting_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of every compile of a template file from now on (the code the cache keeps)."""
    from jinja2 import Environment

    compiled: list[str] = []
    compile_source = Environment.compile

    def counting(self: Environment, source: Any, name: str | None = None, *a: Any) -> Any:
        if name is not None:
            compiled.append(name)
        return compile_source(self, source, name, *a)

    monkeypatch.setattr(Environment, "compile", counting)
    return compiled


def _as_a_new_process() -> None:
    """Forget the cache files a process has read (as the next ``stackpick`` run would)."""
    from stackpick import cache, compiled

    cache._TABLES.clear()
    compiled._MODULES.clear()


def _tables(cache: Path) -> list[dict[object, bytes]]:
    """The compiled-code tables below ``cache`` that hold a template's files (over 30)."""
    from stackpick.cache import read_file

    tables = [read_file(str(path)) for path in (cache / "stackpick" / "jinja").iterdir()]
    assert all(isinstance(table, dict) for table in tables)
    return [table for table in tables if len(table) > 30]


def _kept(cache: Path, framework: str) -> dict[object, bytes]:
    (table,) = _tables(cache)
    return table


def test_bundled_template_code_is_compiled_once_and_renders_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = _counting_compiles(monkeypatch)
    (tmp_path / "not-a-folder").write_text("")
    trees, runs = [], []
    for run, cache in (("cold", "cache"), ("warm", "cache"), ("none", "not-a-folder")):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / cache))
        _as_a_new_process()
        compiled.clear()
        args = ["new", "Zebracorn", "--no-input", "--no-git", "--set", "framework=flask"]
        args += ["--set", "auth=yes"]
        result = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / run)])
        assert result.exit_code == 0, result.output
        trees.append(snapshot(only_child(tmp_path / run), (".env", ".git")))
        runs.append(list(compiled))
    assert trees[0] == trees[1] == trees[2]
    cold, warm, none = runs
    # (the decision record's template is compiled once a process, whatever the cache)
    assert len(cold) > 30 and set(cold) - {"record.md.j2"} <= set(none)
    # Nothing is compiled again, not even the folders' paths (their template part is kept).
    assert warm == []
    kept = _kept(tmp_path / "cache", "flask")
    assert len(kept) > 30
    assert not [data for data in kept.values() if b"zebracorn" in data.lower()]


def _compiled_in_three_runs(
    source: Path, tmp_path: Path, compiled: list[str], edited: Path, text: str
) -> list[list[str]]:
    """The template files compiled by three runs of ``new`` from ``source``, each as a new
    process: the first, the same again, then one after ``edited`` is rewritten to ``text``."""
    runs = []
    for run in ("A", "B", "C"):
        if run == "C":
            edited.write_text(text, encoding="utf-8")
        _as_a_new_process()
        compiled.clear()
        assert stackpick_new(source, tmp_path / run).exit_code == 0
        runs.append([name for name in compiled if not os.path.isabs(name)])
    return runs


def test_a_team_template_is_kept_compiled_apart_and_compiled_again_when_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keyed by its source, checked against each file: an edit shows at once."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    compiled = _counting_compiles(monkeypatch)
    source = tmp_path / "team-flask"
    shutil.copytree(TEMPLATES / "flask", source)
    readme = source / "{{cookiecutter.project_slug}}" / "README.md"
    first, again, edited = _compiled_in_three_runs(
        source, tmp_path, compiled, readme, "Edited {{ cookiecutter.project_name }}\n"
    )
    assert len(first) > 30 and again == [] and edited == ["README.md"]
    assert (only_child(tmp_path / "C") / "README.md").read_text() == "Edited My Project\n"
    assert _kept(tmp_path / "cache", "flask")

    # A local extension that changes is another cache: its filters may compile differently.
    # (the bundled templates re-export stackpick's filters: this one gets a copy of its own)
    from stackpick import template_filters

    extensions = source / "local_extensions.py"
    extensions.write_text(Path(template_filters.__file__).read_text() + "\n# changed\n")
    _as_a_new_process()
    compiled.clear()
    assert stackpick_new(source, tmp_path / "D").exit_code == 0
    assert len([name for name in compiled if not os.path.isabs(name)]) > 30
    assert len(_tables(tmp_path / "cache")) == 2


def test_a_part_a_template_includes_is_compiled_again_when_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Flask template includes each feature's parts from its ``templates`` folder: each part
    is kept compiled by its own source, so an edited part shows at once, alone compiled again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    compiled = _counting_compiles(monkeypatch)
    source = tmp_path / "team-flask"
    shutil.copytree(TEMPLATES / "flask", source)
    part = source / "templates" / "database" / "README.sections.md"
    assert "## Database" in part.read_text(encoding="utf-8")
    first, again, edited = _compiled_in_three_runs(
        source, tmp_path, compiled, part, "\n## Data kept by {{ slug }}\n"
    )
    assert "database/README.sections.md" in first and again == []
    assert edited == ["database/README.sections.md"]
    readmes = [(only_child(tmp_path / run) / "README.md").read_text() for run in "BC"]
    assert "## Database" in readmes[0] and "## Database" not in readmes[1]
    assert "## Data kept by my_project\n" in readmes[1]


def test_bytecode_pip_writes_beside_an_installed_template_stays_out_of_projects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pip compiles the installed templates' .py files; the projects must not get the .pyc."""
    import compileall

    from stackpick import template_source as templates

    args = ["new", "--no-input", "--no-git", "--set", "framework=django", "--set", "auth=yes"]
    assert CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "A")]).exit_code == 0
    installed = tmp_path / "site-packages" / "templates"
    shutil.copytree(TEMPLATES, installed, ignore=shutil.ignore_patterns("__pycache__"))
    compileall.compile_dir(installed, quiet=2)
    assert list(installed.rglob("{{cookiecutter.project_slug}}/**/__pycache__/*.pyc"))
    monkeypatch.setattr(templates, "templates_root", lambda: installed)
    templates.bundled.cache_clear()
    try:
        result = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "B")])
    finally:
        templates.bundled.cache_clear()
    assert result.exit_code == 0, result.output
    ours = snapshot(only_child(tmp_path / "B"), (".env", ".git"))
    assert not [path for path in ours if "__pycache__" in path or path.endswith(".pyc")]
    assert ours == snapshot(only_child(tmp_path / "A"), (".env", ".git"))


# --- nothing written outside the target and the cache -------------------------------------


@pytest.fixture
def system_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder, for this test: must stay empty."""
    import tempfile

    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_hook_scripts_are_not_left_in_the_temporary_folder(
    tmp_path: Path, system_temp: Path
) -> None:
    """cookiecutter writes each rendered hook to a temporary file that it never removes."""
    source = template(
        tmp_path / "T",
        BASE,
        {
            f"{P}/a.txt": "a\n",
            "hooks/pre_gen_project.py": "print('{{ cookiecutter.name }}')\n",
            "hooks/post_gen_project.sh": "#!/bin/sh\necho '{{ cookiecutter.slug }}'\n",
        },
    )
    assert stackpick_new(source, tmp_path / "A", {"name": "Secret Name"}).exit_code == 0
    args = ["new", "--no-input", "--set", "framework=django", "-o", str(tmp_path / "B")]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert list(system_temp.iterdir()) == []
    assert [p.name for p in (tmp_path / "A").iterdir()] == ["secret_name"]


def test_a_zip_template_is_not_left_unzipped_in_the_temporary_folder(
    tmp_path: Path, system_temp: Path
) -> None:
    folder = template(tmp_path / "src" / "tpl", BASE, {f"{P}/z.txt": "z\n"})
    archive = tmp_path / "tpl.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.parent.rglob("*")):
            zf.write(path, path.relative_to(folder.parent).as_posix())
    assert stackpick_new(archive, tmp_path / "A").exit_code == 0
    assert list(system_temp.iterdir()) == []


@pytest.mark.parametrize("syntax", ["{{ 7*7 }}", "{% if 1 %}x{% endif %}", "{# c #}"])
def test_jinja_in_the_output_folder_is_refused_not_run(tmp_path: Path, syntax: str) -> None:
    """cookiecutter renders every folder's whole path: the output folder must hold no Jinja."""
    out = tmp_path / f"a{syntax}b"
    out.mkdir()
    for template in (None, TEMPLATES / "flask"):
        args = ["new", "--no-input", "--no-git", "--set", "framework=flask", "-o", str(out)]
        if template is not None:
            args += ["--template", f"flask={template}"]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert f"the output folder {out} holds" in result.output
        assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]
        assert list(out.iterdir()) == []


def test_jinja_in_a_team_templates_folder_name_is_refused_not_run(tmp_path: Path) -> None:
    source = tmp_path / "team"
    (source / "{{cookiecutter.project_slug}}" / "sub").mkdir(parents=True)
    (source / "cookiecutter.json").write_text('{"project_slug": "demo"}')
    (source / "{{cookiecutter.project_slug}}" / "sub" / "a.txt").write_text("a")
    result = stackpick_new(source, tmp_path / "out", {"project_slug": "a{{ 7*7 }}"})
    assert result.exit_code == 2, result.output
    assert "project_slug" in result.output and "template code" in result.output
    assert not (tmp_path / "out").exists()


def test_a_template_with_its_own_delimiters_is_checked_with_them(tmp_path: Path) -> None:
    source = tmp_path / "team"
    (source / "<<cookiecutter.project_slug>>").mkdir(parents=True)
    (source / "cookiecutter.json").write_text(
        json.dumps(
            {
                "project_slug": "demo",
                "_jinja2_env_vars": {"variable_start_string": "<<", "variable_end_string": ">>"},
            }
        )
    )
    (source / "<<cookiecutter.project_slug>>" / "a.txt").write_text(
        "<< cookiecutter.project_slug >>"
    )
    out = tmp_path / "x<<y"
    out.mkdir()
    result = stackpick_new(source, out)
    assert result.exit_code == 2 and "'<<'" in result.output, result.output
    good = stackpick_new(source, tmp_path / "fine")
    assert good.exit_code == 0, good.output
    assert (tmp_path / "fine" / "demo" / "a.txt").read_text() == "demo"
