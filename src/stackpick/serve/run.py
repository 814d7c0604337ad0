"""Running the application with uvicorn: one process, or several workers."""

from __future__ import annotations

import os

import uvicorn

from .. import app as core
from .app import CONFIG_VARIABLE, ServeConfig, config_json, create_app


def run(
    config: ServeConfig,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    forwarded_allow_ips: str | None = None,
) -> None:
    """Open the configured templates (errors are reported before listening), then serve."""
    options = {
        "host": host,
        "port": port,
        "server_header": False,
        "proxy_headers": forwarded_allow_ips is not None,
        "forwarded_allow_ips": forwarded_allow_ips,
        "log_level": "info",
    }
    with core.open_session(config.inputs()) as base:
        if workers == 1:
            uvicorn.run(create_app(config, base), **options)  # type: ignore[arg-type]
            return
    # Each worker process opens the templates itself (``app_from_environment``).
    os.environ[CONFIG_VARIABLE] = config_json(config)
    uvicorn.run(
        "stackpick.serve.app:app_from_environment",
        factory=True,
        workers=workers,
        **options,  # type: ignore[arg-type]
    )
