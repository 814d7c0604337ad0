"""Running the application with uvicorn: one process, or several workers.

uvicorn is given bounds a public server needs: a cap on connections and tasks at once
(``limit_concurrency``: more get a 503), a small limit on a request's headers, keep-alive
connections closed after a few idle seconds, and (through ``TimedH11Protocol``) a deadline
for a request's headers, which uvicorn does not set itself. A request's body has its own
deadline (``given.BODY_SECONDS``).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .. import app as core
from .app import CONFIG_VARIABLE, ServeConfig, config_json, create_app

#: Connections and tasks at once, per process; uvicorn answers more with 503.
MAX_CONNECTIONS = 200
#: A request's headers (request line included) must arrive within this many seconds.
HEADER_SECONDS = 10.0
#: Idle keep-alive connections are closed after this many seconds.
KEEP_ALIVE_SECONDS = 5
#: The most bytes of headers h11 buffers for one request.
MAX_HEADER_BYTES = 16 * 1024


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request headers are not all
    there within ``HEADER_SECONDS`` of the connection (or of the previous response)."""

    header_seconds = HEADER_SECONDS
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # the headers are in
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.logger.info("closed a connection whose request headers came too slowly")
            self.transport.close()


def options(host: str, port: int, forwarded_allow_ips: str | None) -> dict[str, Any]:
    """uvicorn's settings for ``stackpick serve``."""
    return {
        "host": host,
        "port": port,
        "server_header": False,
        "proxy_headers": forwarded_allow_ips is not None,
        "forwarded_allow_ips": forwarded_allow_ips,
        "log_level": "info",
        "http": TimedH11Protocol,
        "limit_concurrency": MAX_CONNECTIONS,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        "timeout_graceful_shutdown": 10,
    }


def run(
    config: ServeConfig,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    forwarded_allow_ips: str | None = None,
) -> None:
    """Open the configured templates (errors are reported before listening), then serve."""
    settings = options(host, port, forwarded_allow_ips)
    with core.open_session(config.inputs()) as base:
        if workers == 1:
            uvicorn.run(create_app(config, base), **settings)
            return
    # Each worker process opens the templates itself (``app_from_environment``).
    os.environ[CONFIG_VARIABLE] = config_json(config)
    uvicorn.run(
        "stackpick.serve.app:app_from_environment", factory=True, workers=workers, **settings
    )
