"""``stackpick serve`` through Starlette's test client: every endpoint, every error, the zip."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from starlette.applications import Starlette
from starlette.testclient import TestClient

from stackpick import app as core
from stackpick.cli import cli
from stackpick.serve import app as serve_app
from stackpick.serve.app import SECURITY_HEADERS, ServeConfig, create_app
from stackpick.serve.page import render_page
from stackpick.serve.zipping import ZipCache

REPO = Path(__file__).resolve().parents[1]
INPUT_STATUSES = {400, 413, 415, 422}


@pytest.fixture(scope="module")
def temp_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve-temp")


@pytest.fixture(scope="module")
def client(temp_dir: Path) -> Iterator[TestClient]:
    config = ServeConfig(temp_dir=str(temp_dir), max_body=4096)
    with TestClient(create_app(config), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(autouse=True)
def _no_temporary_folder_left(temp_dir: Path) -> Iterator[None]:
    yield
    assert list(temp_dir.iterdir()) == []


def cli_json(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def cli_errors(*args: str) -> list[str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 2, result.output
    return [line.removeprefix("error: ") for line in result.output.splitlines()]


def set_options(answers: dict[str, str]) -> list[str]:
    return [part for key, value in answers.items() for part in ("--set", f"{key}={value}")]


# --- page and read-only endpoints ---------------------------------------------------


def test_page_has_every_question_with_a_label_and_help(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    for question in cli_json("questions", "--json"):
        key = question["key"]
        assert f'<label for="q-{key}">' in page
        assert f'id="q-{key}" name="{key}"' in page
        assert f'aria-describedby="h-{key}"' in page
        for choice in question["choices"]:
            assert f'<option value="{choice}">' in page
    assert 'action="/starter.zip"' in page and 'name="viewport"' in page
    assert "http://" not in page and "https://" not in page  # no CDN


def test_page_escapes_question_text() -> None:
    question = {
        "key": "x",
        "kind": "template",
        "type": "text",
        "choices": [],
        "default": "<b>",
        "prompt": "<script>alert(1)</script>",
        "help": "a & b",
    }
    page = render_page([question])
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert 'placeholder="&lt;b&gt;"' in page and "a &amp; b" in page


def test_static_assets_and_security_headers(client: TestClient) -> None:
    for path in ("/", "/static/page.js", "/static/page.css", "/api/rules", "/nowhere"):
        response = client.get(path)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value, (path, name)
    assert client.get("/static/page.js").status_code == 200


def test_questions_and_rules_are_what_the_cli_prints(client: TestClient) -> None:
    assert client.get("/api/questions").json() == cli_json("questions", "--json")
    assert client.get("/api/rules").json() == cli_json("rules", "--json")
    assert core.questions_json() == cli_json("questions", "--json")


ANSWER_SETS: list[dict[str, str]] = [
    {},
    {"project_name": "My Shop", "app_type": "cms", "admin": "yes"},
    {"project_name": "Tiny API", "app_type": "api", "database": "none", "docker": "no"},
    {"app_type": "microservice", "stack_preference": "pick_my_own", "ci": "gitlab"},
    {
        "project_name": "Ünïcode & <Co>",
        "description": "{{ 7*7 }} \"quoted\" 'single'",
        "framework": "django",
        "database": "postgresql",
        "i18n": "true",
        "rest_api": "1",
        "python_version": "3.13",
    },
]


@pytest.mark.parametrize("answers", ANSWER_SETS, ids=range(len(ANSWER_SETS)))
def test_recommend_is_what_the_cli_prints(client: TestClient, answers: dict[str, str]) -> None:
    expected = cli_json("recommend", "--json", "--no-input", *set_options(answers))
    assert client.get("/api/recommend", params=answers).json() == expected
    assert client.post("/api/recommend", json=answers).json() == expected
    assert client.post("/api/recommend", data=answers).json() == expected


def test_json_values_keep_their_types(client: TestClient) -> None:
    data = client.post("/api/recommend", json={"admin": True, "auth": True}).json()
    assert data["answers"]["admin"] is True
    assert client.post("/api/recommend", json={"admin": 3}).status_code == 422


def test_empty_query_values_mean_not_given(client: TestClient) -> None:
    data = client.get("/api/recommend?app_type=&admin=yes").json()
    assert data["answers"]["app_type"] == "website" and data["answers"]["auth"] is True


# --- errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        {"app_type": "zzz"},
        {"app_typ": "api"},
        {"admin": "yes", "database": "none"},
        {"admin": "yes", "auth": "no"},
        {"project_slug": "import"},
    ],
)
def test_bad_answers_give_the_cli_messages(client: TestClient, answers: dict[str, str]) -> None:
    from stackpick.serve.app import for_the_web

    expected = [
        for_the_web(message.replace("--set", "request"))
        for message in cli_errors("recommend", "--no-input", *set_options(answers))
    ]
    for response in (
        client.get("/api/recommend", params=answers),
        client.post("/api/recommend", json=answers),
        client.post("/starter.zip", json=answers),
        client.get("/api/files", params=answers),
    ):
        assert response.status_code == 422
        assert response.json() == {"errors": expected}


@pytest.mark.parametrize("key", ["template", "templates"])
def test_a_request_cannot_name_a_template(client: TestClient, key: str) -> None:
    for response in (
        client.get("/starter.zip", params={key: "gh:evil/template"}),
        client.post("/api/recommend", json={key: {"flask": "/tmp"}}),
    ):
        assert response.status_code == 400
        assert "cannot name a template" in response.json()["errors"][0]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        (b"{not json", "application/json", 400, "not valid JSON"),
        (b"[1, 2]", "application/json", 400, "must be a JSON object"),
        (b'{"app_type": NaN}', "application/json", 400, "not valid JSON"),
        (b'{"scale": -Infinity}', "application/json", 400, "not valid JSON"),
        (b'"text"', "application/json", 400, "must be a JSON object"),
        (b"\xff\xfe", "application/json", 400, "not valid JSON"),
        (b"\xff=1", "application/x-www-form-urlencoded", 400, "not UTF-8"),
        (b"<xml/>", "application/xml", 415, "content type"),
        (b"x" * 5000, "application/json", 413, "over 4096 bytes"),
    ],
)
def test_malformed_requests(
    client: TestClient, body: bytes, content_type: str, status: int, words: str
) -> None:
    for path in ("/api/recommend", "/starter.zip", "/api/files"):
        response = client.post(path, content=body, headers={"content-type": content_type})
        assert response.status_code == status, response.text
        assert words in response.json()["errors"][0]


def test_body_limit_holds_without_content_length(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"description": "'
        for _ in range(10):
            yield b"y" * 1000
        yield b'"}'

    response = client.post(
        "/api/recommend", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_unknown_paths_and_methods_are_json(client: TestClient) -> None:
    assert client.get("/nowhere").status_code == 404
    assert client.get("/nowhere").json() == {"errors": ["GET /nowhere: not found"]}
    response = client.delete("/starter.zip")
    assert response.status_code == 405
    assert response.json()["errors"] == ["DELETE /starter.zip: method not allowed"]
    assert client.post("/api/questions").status_code == 405


def test_an_unexpected_failure_is_a_json_500_without_a_traceback(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: object, values: object) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(serve_app.Service, "recommend", broken)
    response = client.get("/api/recommend")
    assert response.status_code == 500
    assert "secret detail" not in response.text and "Traceback" not in response.text


def test_renders_wait_in_line_then_give_503(temp_dir: Path) -> None:
    config = ServeConfig(temp_dir=str(temp_dir), max_renders=1, queue_seconds=0.05)
    with TestClient(create_app(config)) as busy:
        service = busy.app.state.service  # type: ignore[attr-defined]
        busy.portal.call(service.renders.acquire)  # type: ignore[union-attr]
        response = busy.get("/starter.zip")
        assert response.status_code == 503 and response.headers["retry-after"] == "5"
        assert busy.get("/api/recommend").status_code == 200  # no render, no line
        service.renders.release()
        assert busy.get("/api/files").status_code == 200


# --- the zip is what `new` writes ----------------------------------------------------


def tree(folder: Path) -> dict[str, tuple[bytes, bool]]:
    """Path -> (bytes, executable) for every file, .env and .git aside."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), bool(p.stat().st_mode & stat.S_IXUSR))
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).parts[0] not in {".env", ".git"}
    }


def zip_tree(data: bytes) -> tuple[set[str], dict[str, tuple[bytes, bool]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
        files = {
            info.filename.split("/", 1)[1]: (
                archive.read(info),
                bool((info.external_attr >> 16) & stat.S_IXUSR),
            )
            for info in archive.infolist()
        }
    return tops, files


@pytest.mark.parametrize("answers", ANSWER_SETS, ids=range(len(ANSWER_SETS)))
def test_zip_equals_what_new_writes(
    client: TestClient, answers: dict[str, str], tmp_path: Path
) -> None:
    created = cli_json(
        "new", "--no-input", "--json", "--output-dir", str(tmp_path), *set_options(answers)
    )
    project = Path(created["path"])
    response = client.get("/starter.zip", params=answers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == f'attachment; filename="{project.name}.zip"'
    tops, files = zip_tree(response.content)
    assert tops == {project.name}
    assert files == tree(project)
    assert ".env" not in files and not any(".git/" in name for name in files)
    assert client.post("/starter.zip", json=answers).content == response.content

    preview = client.get("/api/files", params=answers).json()
    assert preview == {"folder": project.name, "files": sorted(files)}


def test_the_same_answers_are_served_from_a_bounded_cache_of_zips(
    temp_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stackpick.serve.app as serve_app

    made: list[str] = []
    new_project = serve_app.new_project

    def counted(*args: Any, **kwargs: Any) -> Any:
        created = new_project(*args, **kwargs)
        made.append(created.path.name)
        return created

    monkeypatch.setattr(serve_app, "new_project", counted)
    config = ServeConfig(temp_dir=str(temp_dir), zip_cache_mb=1)
    with TestClient(create_app(config)) as server:
        first = server.get("/starter.zip", params={"project_name": "Kept"})
        again = server.post("/starter.zip", json={"project_name": "Kept"})
        assert first.status_code == again.status_code == 200
        assert first.content == again.content and made == ["kept"]
        server.app.state.service.zips = ZipCache(0)  # type: ignore[attr-defined]
        assert server.get("/starter.zip", params={"project_name": "Kept"}).content == first.content
        assert made == ["kept", "kept"]  # made again: the same bytes


def test_the_zip_cache_holds_at_most_its_bytes_and_drops_the_least_recently_used() -> None:
    zips = ZipCache(max_bytes=1000, max_entries=3)
    for name in "abc":
        zips.put(name, name, name.encode() * 200)
    assert zips.get("a") is not None  # used: "b" is now the oldest
    zips.put("d", "d", b"d" * 200)
    assert zips.get("b") is None and zips.size == (3, 600)
    for name in "efgh":
        zips.put(name, name, name.encode() * 240)
    assert zips.size[1] <= 1000 and zips.get("h") == ("h", b"h" * 240)
    zips.put("big", "big", b"x" * 251)  # over a quarter of the whole: not kept
    assert zips.get("big") is None


def test_zips_of_a_teams_template_are_not_kept(tmp_path: Path) -> None:
    """A team's template may put a secret or a random value in a file: made anew each time."""
    custom = tmp_path / "flask-template"
    shutil.copytree(REPO / "templates" / "flask", custom)
    config = ServeConfig(template_options=(f"flask={custom}",), temp_dir=str(tmp_path))
    with TestClient(create_app(config)) as team:
        assert team.app.state.service.zips is None  # type: ignore[attr-defined]


def test_renders_run_side_by_side(tmp_path: Path) -> None:
    """Two renders' hooks meet: each waits for the other's to start (one at a time: neither)."""
    custom = tmp_path / "flask-template"
    shutil.copytree(REPO / "templates" / "flask", custom)
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    hook = custom / "hooks" / "pre_gen_project.py"
    hook.write_text(
        "import pathlib, sys, time\n"
        f"here = pathlib.Path({str(meeting)!r})\n"
        "(here / '{{ cookiecutter.project_slug }}').touch()\n"
        "deadline = time.monotonic() + 30\n"
        "while len(list(here.iterdir())) < 2:\n"
        "    if time.monotonic() > deadline:\n"
        "        sys.exit('alone: the other render did not run beside this one')\n"
        "    time.sleep(0.05)\n"
    )
    temp = tmp_path / "temp"
    temp.mkdir()
    config = ServeConfig(template_options=(f"flask={custom}",), temp_dir=str(temp), max_renders=2)
    with TestClient(create_app(config)) as server:
        from concurrent.futures import ThreadPoolExecutor

        def get(name: str) -> int:
            params = {"framework": "flask", "project_name": name}
            return server.get("/starter.zip", params=params).status_code

        with ThreadPoolExecutor(2) as pool:
            assert list(pool.map(get, ["One", "Two"])) == [200, 200]
    assert sorted(p.name for p in meeting.iterdir()) == ["one", "two"]


def test_templates_configured_at_start_apply_to_every_request(tmp_path: Path) -> None:
    custom = tmp_path / "flask-template"
    shutil.copytree(REPO / "templates" / "flask", custom)
    folder = next(p for p in custom.iterdir() if p.name.startswith("{{"))
    (folder / "TEAM.md").write_text("golden path\n", encoding="utf-8")
    temp = tmp_path / "temp"
    temp.mkdir()
    config = ServeConfig(template_options=(f"flask={custom}",), temp_dir=str(temp))
    with TestClient(create_app(config)) as team:
        response = team.get("/starter.zip", params={"framework": "flask", "project_name": "Svc"})
        assert response.status_code == 200, response.text
        _, files = zip_tree(response.content)
        assert files["TEAM.md"] == (b"golden path\n", False)
        assert str(custom) in files[".stackpick.toml"][0].decode()
        assert team.get("/api/questions").json() == cli_json(
            "questions", "--json", "--template", f"flask={custom}"
        )
        django = team.get("/starter.zip", params={"framework": "django"})
        assert "TEAM.md" not in zip_tree(django.content)[1]
    assert list(temp.iterdir()) == []


def test_any_project_folder_name_downloads(tmp_path: Path) -> None:
    """A team's template may name its folder from free text: the header stays valid."""
    custom = tmp_path / "named-by-title"
    shutil.copytree(REPO / "templates" / "flask", custom)
    folder = next(p for p in custom.iterdir() if p.name.startswith("{{"))
    folder.rename(custom / "{{cookiecutter.project_name}}")
    config = ServeConfig(template_options=(f"flask={custom}",))
    with TestClient(create_app(config)) as team:
        name = 'Café "Quote"; x=1'
        response = team.post("/starter.zip", json={"framework": "flask", "project_name": name})
        assert response.status_code == 200, response.text
        assert response.headers["content-disposition"] == (
            'attachment; filename="Caf___Quote___x_1.zip"; '
            "filename*=UTF-8''Caf%C3%A9%20%22Quote%22%3B%20x%3D1.zip"
        )
        assert zip_tree(response.content)[0] == {name}


def test_a_bad_template_fails_at_start(tmp_path: Path) -> None:
    from stackpick.errors import StackpickError

    config = ServeConfig(template_options=(f"flask={tmp_path / 'missing'}",))
    with pytest.raises(StackpickError), TestClient(create_app(config)):
        pass


def test_a_team_templates_own_variables_through_serve(tmp_path: Path) -> None:
    import team_template_support as team

    source = team.write(tmp_path / "tpl")
    config = ServeConfig(template_options=(f"django={source}",))
    with TestClient(create_app(config)) as client:
        page = client.get("/").text
        assert 'type="text" id="q-settings"' in page  # a dictionary is typed as JSON
        answers = {"framework": "django", "rest_api": "DRF", "settings": {"debug": False}}
        response = client.post("/starter.zip", json=answers)
        assert response.status_code == 200, response.text
        _, files = zip_tree(response.content)
        assert b"API: DRF" in files["README.md"][0]
        assert json.loads(files["settings.json"][0])["debug"] is False


def test_serve_runs_a_remote_templates_code_only_when_started_trusted(tmp_path: Path) -> None:
    import team_template_support as team
    from stackpick.errors import BadInput
    from stackpick.trust import Trust

    url = f"git+file://{team.repository(tmp_path / 'repo')}"
    refused = ServeConfig(template_options=(f"django={url}",))
    with pytest.raises(BadInput, match="--trust"), TestClient(create_app(refused)):
        pass
    trusted = ServeConfig(template_options=(f"django={url}",), trust=Trust(everything=True))
    os.environ[serve_app.CONFIG_VARIABLE] = serve_app.config_json(trusted)
    try:
        with TestClient(serve_app.app_from_environment()) as client:  # as a worker starts
            response = client.get("/starter.zip", params={"framework": "django"})
            assert response.status_code == 200, response.text
    finally:
        del os.environ[serve_app.CONFIG_VARIABLE]


# --- junk never gives a 500 ------------------------------------------------------------

KEYS = st.sampled_from(
    ["app_type", "admin", "auth", "database", "project_name", "project_slug", "framework"]
) | st.text(max_size=12)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)


def assert_handled(response: Any) -> None:
    assert response.status_code == 200 or response.status_code in INPUT_STATUSES, response.text
    if response.status_code != 200:
        body = response.json()
        assert list(body) == ["errors"] and body["errors"]
        assert all(isinstance(m, str) and m for m in body["errors"])
        assert "Traceback" not in response.text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, JSON_VALUES, max_size=6))
def test_junk_json_answers(client: TestClient, answers: dict[str, Any]) -> None:
    assert_handled(client.post("/api/recommend", json=answers))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(["", "application/json", "text/plain"]))
def test_junk_bodies(client: TestClient, body: bytes, content_type: str) -> None:
    headers = {"content-type": content_type} if content_type else {}
    assert_handled(client.post("/api/recommend", content=body, headers=headers))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(KEYS, st.text(max_size=30)), max_size=6))
def test_junk_query_parameters(client: TestClient, pairs: list[tuple[str, str]]) -> None:
    assert_handled(client.get("/api/recommend", params=pairs))


@settings(max_examples=25, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["project_name", "project_slug", "description", "author_email"]),
        st.text(max_size=40),
        max_size=3,
    )
)
def test_junk_project_text_renders_or_is_refused(
    client: TestClient, answers: dict[str, str]
) -> None:
    response = client.post("/starter.zip", json=answers)
    assert_handled(response)
    if response.status_code == 200:
        zip_tree(response.content)


# --- the command -----------------------------------------------------------------------


def test_serve_command_binds_localhost_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    result = CliRunner().invoke(cli, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    app, options = calls[0]
    assert isinstance(app, Starlette)
    assert options["host"] == "127.0.0.1" and options["port"] == 8123
    assert options["server_header"] is False and options["proxy_headers"] is False


def test_serve_command_workers_use_the_factory(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.setenv(serve_app.CONFIG_VARIABLE, "{}")  # restored after the test
    result = CliRunner().invoke(
        cli,
        ["serve", "--workers", "3", "--host", "0.0.0.0", "--forwarded-allow-ips", "10.0.0.1"],
    )
    assert result.exit_code == 0, result.output
    app, options = calls[0]
    assert app == "stackpick.serve.app:app_from_environment" and options["factory"] is True
    assert options["workers"] == 3 and options["forwarded_allow_ips"] == "10.0.0.1"
    assert json.loads(os.environ[serve_app.CONFIG_VARIABLE])["template_options"] == []
    assert serve_app.app_from_environment() is not None


def test_serve_command_temp_dir_reaches_every_worker_and_renders_there(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn

    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.setenv(serve_app.CONFIG_VARIABLE, "{}")  # restored after the test
    scratch = tmp_path / "renders"
    scratch.mkdir()
    result = CliRunner().invoke(cli, ["serve", "--workers", "2", "--temp-dir", str(scratch)])
    assert result.exit_code == 0, result.output
    assert json.loads(os.environ[serve_app.CONFIG_VARIABLE])["temp_dir"] == str(scratch)
    from stackpick.serve import zipping

    seen: list[list[str]] = []
    real_zip = zipping.zip_project

    def zip_and_look(project: Path) -> bytes:
        seen.append([p.name for p in scratch.iterdir()])
        return real_zip(project)

    monkeypatch.setattr(zipping, "zip_project", zip_and_look)
    with TestClient(serve_app.app_from_environment()) as worker:
        assert worker.get("/starter.zip").status_code == 200
    assert len(seen) == 1 and len(seen[0]) == 1  # the project was built in the folder given
    assert list(scratch.iterdir()) == []  # and removed from it


def test_serve_command_refuses_a_temp_dir_that_is_not_a_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--temp-dir", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "--temp-dir" in result.output and "does not exist" in result.output


def test_serve_command_reports_a_bad_template_before_listening(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--template", f"flask={tmp_path / 'nope'}"])
    assert result.exit_code != 0 and result.output.startswith("error: ")


@pytest.mark.slow  # a real server and its client, as separate processes
def test_load_script_serves_through_the_real_command(tmp_path: Path) -> None:
    """``benchmarks/serve_load.py``, small: ``stackpick serve`` under uvicorn, no leftovers."""
    import subprocess
    import sys

    out = tmp_path / "load.json"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "serve_load.py"),
            "--requests",
            "12",
            "--concurrency",
            "4",
            "--max-renders",
            "2",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(out.read_text())
    assert figures["errors"] == 0 and figures["temporary_folders_left"] == []
    assert figures["requests_per_second"] > 0 and figures["latency_p95_ms"] > 0
    assert figures["server_cores_busy"] > 0 and figures["client_cores_busy"] >= 0
    assert all(word in result.stdout for word in ("requests/s", "p95", "cores busy"))


# --- hostile bodies: every one is 400, 413 or 422, never 500 ---------------------------


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"[" * 2000 + b"]" * 2000, 400),
        (b'{"a": ' + b"[" * 2000 + b"]" * 2000 + b"}", 400),
        (b'{"a": ' + b"[" * 40 + b"]" * 40 + b"}", 422),
        (b'{"scale": ' + b"9" * 4090 + b"}", 413),
        (b'{"scale": ' + b"9" * 3000 + b"}", 422),
        (b'{"scale": ' + b"9" * 30 + b"}", 422),
        (b'{"scale": 1e999}', 422),
        (b'{"app_type": "api", "app_type": "web"}', 400),
        (b'{"description": {"a": {"b": {"c": [1, 2, {"d": null}]}}}}', 422),
        (b'{"' + b"k" * 3000 + b'": 1}', 422),
    ],
)
def test_hostile_json_bodies_are_input_errors(client: TestClient, body: bytes, status: int) -> None:
    for path in ("/api/recommend", "/api/files", "/starter.zip"):
        response = client.post(path, content=body, headers={"content-type": "application/json"})
        assert response.status_code == status, response.text
        assert_handled(response)
        assert len(response.text) < 2000


# --- slow and vanishing clients, a killed server's folders --------------------------------


@pytest.fixture
def live_server(temp_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, int]]:
    """The app under real uvicorn with ``serve``'s settings, header and body deadlines short."""
    import socket
    import threading
    import time

    import uvicorn

    from stackpick.serve import given, run

    monkeypatch.setattr(run.TimedH11Protocol, "header_seconds", 0.5)
    monkeypatch.setattr(given, "BODY_SECONDS", 0.5)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = run.options("127.0.0.1", port, None)
    config = uvicorn.Config(create_app(ServeConfig(temp_dir=str(temp_dir))), **settings)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    yield "127.0.0.1", port
    server.should_exit = True
    thread.join(30)


def read_all(connection: Any, timeout: float = 5.0) -> bytes:
    """What the server sends until it closes the connection or is silent for ``timeout``."""
    connection.settimeout(timeout)
    data = b""
    with contextlib.suppress(TimeoutError):
        while chunk := connection.recv(65536):
            data += chunk
    return data


def test_a_client_slow_with_its_headers_is_disconnected(live_server: tuple[str, int]) -> None:
    import socket
    import time

    with socket.create_connection(live_server) as connection:
        connection.sendall(b"GET /api/questions HTTP/1.1\r\nHost: x\r\n")  # never finished
        began = time.monotonic()
        assert read_all(connection) == b""  # closed, nothing answered
        assert time.monotonic() - began < 3


def test_a_body_slower_than_its_deadline_is_408_and_the_connection_closes(
    live_server: tuple[str, int],
) -> None:
    import socket
    import time

    with socket.create_connection(live_server) as connection:
        connection.sendall(
            b"POST /api/recommend HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\n\r\n{"
        )
        began = time.monotonic()
        reply = read_all(connection)
        closed_after = time.monotonic() - began
    assert reply.startswith(b"HTTP/1.1 408 "), reply[:200]
    assert b"not received within" in reply
    assert closed_after < 3  # closed at once (the rest of the body is never read as a request)


def test_a_client_that_goes_away_mid_body_is_one_info_line(
    live_server: tuple[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    import logging
    import socket
    import time

    caplog.set_level(logging.INFO)
    with socket.create_connection(live_server) as connection:
        connection.sendall(
            b"POST /api/recommend HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\n\r\n{"
        )
        time.sleep(0.1)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any("went away" in r.message for r in caplog.records):
        time.sleep(0.02)
    ours = [r for r in caplog.records if r.name.startswith("stackpick")]
    assert [(r.levelname, r.getMessage()) for r in ours] == [
        ("INFO", "client went away during POST /api/recommend")
    ]
    assert not any(r.exc_info for r in caplog.records)


def test_serve_limits_connections_and_keep_alive() -> None:
    import uvicorn

    from stackpick.serve import run

    config = uvicorn.Config(Starlette(), **run.options("127.0.0.1", 0, None))
    assert config.limit_concurrency == run.MAX_CONNECTIONS
    assert config.timeout_keep_alive == run.KEEP_ALIVE_SECONDS
    assert config.h11_max_incomplete_event_size == run.MAX_HEADER_BYTES
    assert config.http is run.TimedH11Protocol


def test_a_killed_servers_temporary_folders_are_swept_at_start(tmp_path: Path) -> None:
    import fcntl

    from stackpick.generate.scaffold import LOCK_FILE, STAGING_MARK

    stale = tmp_path / f".serve{STAGING_MARK}dead"
    (stale / "my_project").mkdir(parents=True)
    (stale / LOCK_FILE).write_text("")
    live = tmp_path / f".serve{STAGING_MARK}live"
    live.mkdir()
    held = os.open(live / LOCK_FILE, os.O_RDWR | os.O_CREAT)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        other = tmp_path / "someone-elses"
        other.mkdir()
        with TestClient(create_app(ServeConfig(temp_dir=str(tmp_path)))) as started:
            assert started.get("/api/questions").status_code == 200
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name])
    finally:
        os.close(held)


def test_the_page_is_prefilled_from_its_address_and_ignores_what_no_field_can_show(
    client: TestClient,
) -> None:
    page = client.get(
        "/",
        params={"app_type": "cms", "admin": "true", "scale": "huge", "project_name": "<b>Wiki</b>"},
    ).text
    assert '<option value="cms" selected>cms</option>' in page
    assert re.search(r'id="q-admin".*?<option value="yes" selected>', page, re.S)
    assert " selected>" not in page.split('id="q-scale"')[1].split("</select>")[0]
    assert 'value="&lt;b&gt;Wiki&lt;/b&gt;"' in page and "<b>Wiki" not in page
    assert page.index('id="q-app_type"') < page.index('id="q-framework"')


def test_web_errors_point_to_the_api_not_to_the_command_line(client: TestClient) -> None:
    response = client.get("/api/recommend", params={"app_typ": "cms"})
    assert response.status_code in (400, 422)
    (message,) = response.json()["errors"]
    assert "app_typ" in message and "/api/questions" in message
    assert "stackpick questions" not in message


def test_guidance_lists_the_articles(client: TestClient) -> None:
    data = client.get("/api/guidance").json()
    assert [a["id"] for a in data] == ["000", "001", "002", "003", "004"]
    assert all(a["title"] and a["rules"] for a in data)
