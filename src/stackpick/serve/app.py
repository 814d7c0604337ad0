"""The ASGI application: the page, the JSON API and the starter zip, over the app layer.

Every request's answers become one more ``Source`` of an ``app.open_session`` over the
templates the server opened at start, so they are validated exactly as the CLI validates
``--set``. Renders run in worker threads, at most ``max_renders`` at once per process,
side by side (no render lock: cookiecutter's file pass, which works in the template's
folder, is the one step taken in turn), each in a temporary folder that is removed
whatever happens. With only bundled templates, a zip is a function of its answers, and
the last ones made are served again from a bounded cache (``zip_cache_mb``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import app as core
from ..answers.sources import from_mapping
from ..errors import BadInput, StackpickError
from ..framework import Framework
from ..new import new_project
from ..template_source import Template
from ..trust import Trust
from .given import RequestProblem, answers_of
from .zipping import ZipCache

LOG = logging.getLogger("stackpick.serve")
STATIC = Path(__file__).parent / "static"
T = TypeVar("T")

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


@dataclass(frozen=True)
class ServeConfig:
    """What ``stackpick serve`` was started with."""

    template_options: tuple[str, ...] = ()
    checkout: str | None = None
    directory: str | None = None
    #: Largest request body, in bytes.
    max_body: int = 64 * 1024
    #: Renders (zips and file previews) at once in this process; more wait in line.
    max_renders: int = 4
    #: How long a request waits in line for a render before a 503.
    queue_seconds: float = 30.0
    #: Where the temporary project folders go (the system's temporary folder by default).
    temp_dir: str | None = None
    #: The finished zips kept for answer sets asked again (bundled templates only; 0: none).
    zip_cache_mb: int = 32
    #: How remote templates that run code are trusted (``--trust``, the config file).
    trust: Trust | None = None

    def inputs(self) -> core.Inputs:
        return core.Inputs(
            template_options=self.template_options,
            checkout=self.checkout,
            directory=self.directory,
            trust=self.trust,
        )


class Service:
    """The templates opened at start, and the renders in flight."""

    def __init__(self, config: ServeConfig, base: core.Session) -> None:
        self.config = config
        self.templates: Mapping[Framework, Template] = base.templates
        self.questions = core.questions_json(base)
        self.rules = core.rules_json()
        self.renders = asyncio.Semaphore(config.max_renders)
        bundled = all(template.source.bundled for template in self.templates.values())
        self.zips = ZipCache(config.zip_cache_mb * 1024 * 1024) if bundled else None

    @contextlib.contextmanager
    def session(self, values: Mapping[str, object]) -> Iterator[core.Resolved]:
        """A resolved session for a request's answers (validated as the CLI validates)."""
        inputs = core.Inputs(extra_sources=(from_mapping("request", values, {}),))
        with core.open_session(inputs, self.templates) as session:
            yield core.resolve(session)

    def recommend(self, values: Mapping[str, object]) -> dict[str, Any]:
        with self.session(values) as session:
            return core.recommendation_json(session)

    def files(self, values: Mapping[str, object]) -> dict[str, Any]:
        """What the zip would hold: the project folder and its files (a dry run)."""
        from .zipping import excluded

        with self.session(values) as session, self._folder() as folder:
            created = new_project(session, folder, dry_run=True)
        files = [name for name in created.files if not excluded(name)]
        return {"folder": created.path.name, "files": files}

    def starter_zip(self, values: Mapping[str, object]) -> tuple[str, bytes]:
        """The project ``new`` would write, zipped (its folder name and the zip's bytes)."""
        from .zipping import zip_project

        key = ZipCache.key(values)
        kept = self.kept_zip(values)
        if kept is not None:
            return kept
        with self.session(values) as session, self._folder() as folder:
            created = new_project(session, folder, use_git=False)  # no .git in a zip
            made = created.path.name, zip_project(created.path)
        if self.zips is not None:
            self.zips.put(key, *made)
        return made

    def kept_zip(self, values: Mapping[str, object]) -> tuple[str, bytes] | None:
        """The zip made for these very answers earlier today, if it is still kept."""
        return self.zips.get(ZipCache.key(values)) if self.zips is not None else None

    @contextlib.contextmanager
    def _folder(self) -> Iterator[Path]:
        """A temporary folder, locked while in use: a killed server's are swept at start."""
        import fcntl
        import os

        from ..generate.scaffold import LOCK_FILE, STAGING_MARK

        with tempfile.TemporaryDirectory(
            prefix=f".serve{STAGING_MARK}", dir=self.config.temp_dir
        ) as folder:
            lock = os.open(Path(folder, LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(lock, fcntl.LOCK_EX)
                yield Path(folder)
            finally:
                os.close(lock)

    async def render(self, work: Callable[[], T]) -> T:
        """``work()`` in a worker thread, once a render slot is free (503 after the wait)."""
        try:
            await asyncio.wait_for(self.renders.acquire(), self.config.queue_seconds)
        except asyncio.TimeoutError:
            raise RequestProblem(503, "too many projects are being built; try again") from None
        try:
            return await anyio.to_thread.run_sync(work)
        finally:
            self.renders.release()


#: The CLI's advice, as a web page's reader can follow it.
WEB_ADVICE = (
    ("run 'stackpick questions' for the valid keys", "the valid keys are at /api/questions"),
)


def for_the_web(message: str) -> str:
    """A CLI message with its command-line advice said the web's way."""
    for cli_words, web_words in WEB_ADVICE:
        message = message.replace(cli_words, web_words)
    return message


def errors(status: int, messages: list[str] | tuple[str, ...]) -> JSONResponse:
    return JSONResponse({"errors": [for_the_web(m) for m in messages]}, status_code=status)


Handler = Callable[[Request, Service], Awaitable[Response]]

#: 503: come back soon. 408 and 413 leave part of the body unread: the connection closes, so
#: the rest can never be read as the next request (and the client learns at once).
PROBLEM_HEADERS: dict[int, dict[str, str]] = {
    503: {"retry-after": "5"},
    408: {"connection": "close"},
    413: {"connection": "close"},
}


def endpoint(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Every failure as ``{"errors": [...]}``: 400/422 for input, never a traceback."""

    async def run(request: Request) -> Response:
        service: Service = request.app.state.service
        try:
            return await handler(request, service)
        except RequestProblem as problem:
            response = errors(problem.status, [problem.message])
            response.headers.update(PROBLEM_HEADERS.get(problem.status, {}))
            return response
        except ClientDisconnect:
            LOG.info("client went away during %s %s", request.method, request.url.path)
            return Response(status_code=400)  # nobody reads it
        except BadInput as error:
            return errors(422, error.messages)
        except StackpickError as error:
            LOG.warning("request failed: %s", "; ".join(error.messages))
            return errors(400, error.messages)
        except Exception:
            LOG.exception("unexpected error in %s %s", request.method, request.url.path)
            return errors(500, ["unexpected server error; the server log has the details"])

    return run


async def page(request: Request, service: Service) -> Response:
    from .page import render_page

    return HTMLResponse(render_page(service.questions, dict(request.query_params)))


async def api_questions(request: Request, service: Service) -> Response:
    return JSONResponse(service.questions)


async def api_rules(request: Request, service: Service) -> Response:
    return JSONResponse(service.rules)


async def api_guidance(request: Request, service: Service) -> Response:
    from ..decision.guidance import articles_json
    from ..decision.rules import load_rules

    return JSONResponse(articles_json(load_rules()))


async def api_recommend(request: Request, service: Service) -> Response:
    values = await answers_of(request, service.config.max_body)
    return JSONResponse(await anyio.to_thread.run_sync(lambda: service.recommend(values)))


async def api_files(request: Request, service: Service) -> Response:
    values = await answers_of(request, service.config.max_body)
    return JSONResponse(await service.render(lambda: service.files(values)))


async def starter_zip(request: Request, service: Service) -> Response:
    values = await answers_of(request, service.config.max_body)
    kept = service.kept_zip(values)
    if kept is None:
        kept = await service.render(lambda: service.starter_zip(values))
    folder, data = kept
    return Response(
        data,
        media_type="application/zip",
        headers={
            "content-disposition": attachment(f"{folder}.zip"),
            "cache-control": "no-store",
        },
    )


def attachment(filename: str) -> str:
    """A Content-Disposition header for any file name (RFC 6266: ASCII, then UTF-8)."""
    import re
    from urllib.parse import quote

    plain = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    if plain == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


async def http_error(request: Request, error: Exception) -> Response:
    status = error.status_code if isinstance(error, HTTPException) else 500
    detail = error.detail if isinstance(error, HTTPException) else "unexpected server error"
    headers = getattr(error, "headers", None)
    response = errors(status, [f"{request.method} {request.url.path}: {str(detail).lower()}"])
    if headers:
        response.headers.update(headers)
    return response


class SecurityHeaders:
    """Adds the security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [
                    (name.encode(), value.encode())
                    for name, value in SECURITY_HEADERS.items()
                    if name.encode() not in present
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(config: ServeConfig | None = None, base: core.Session | None = None) -> Starlette:
    """The application; opens the configured templates at start unless ``base`` holds them."""
    config = config or ServeConfig()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        sweep_temporary_folders(config)
        if base is not None:
            app.state.service = Service(config, base)
            yield
            return
        with core.open_session(config.inputs()) as opened:
            app.state.service = Service(config, opened)
            yield

    routes = [
        Route("/", endpoint(page), methods=["GET"]),
        Route("/api/questions", endpoint(api_questions), methods=["GET"]),
        Route("/api/rules", endpoint(api_rules), methods=["GET"]),
        Route("/api/guidance", endpoint(api_guidance), methods=["GET"]),
        Route("/api/recommend", endpoint(api_recommend), methods=["GET", "POST"]),
        Route("/api/files", endpoint(api_files), methods=["GET", "POST"]),
        Route("/starter.zip", endpoint(starter_zip), methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    application = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: http_error, Exception: http_error},
    )
    application.add_middleware(SecurityHeaders)
    return application


def sweep_temporary_folders(config: ServeConfig) -> list[Path]:
    """Remove the temporary folders of servers that are gone (their lock is free)."""
    from ..generate.scaffold import sweep_stale_staging

    return sweep_stale_staging(Path(config.temp_dir or tempfile.gettempdir()))


def app_from_environment() -> Starlette:
    """The factory for ``uvicorn --factory`` (the workers ``stackpick serve --workers`` starts)."""
    import json
    import os

    raw = json.loads(os.environ.get(CONFIG_VARIABLE, "{}"))
    raw["template_options"] = tuple(raw.get("template_options", ()))
    if raw.get("trust"):
        everything, trusted, _confirm, config = raw["trust"]
        raw["trust"] = Trust(everything, tuple(trusted), None, config)
    return create_app(ServeConfig(**raw))


def config_json(config: ServeConfig) -> str:
    """``config`` for :data:`CONFIG_VARIABLE`."""
    import json

    return json.dumps(asdict(config))


#: The configuration ``stackpick serve`` hands to its worker processes (not an answer).
CONFIG_VARIABLE = "_STACKPICK_SERVE_CONFIG"
