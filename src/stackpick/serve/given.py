"""A request's answers: query parameters, a form or a JSON object, read within limits."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request

#: Keys a request may not use: templates are configured when the server starts.
TEMPLATE_KEYS = frozenset({"template", "templates"})
FORM = "application/x-www-form-urlencoded"


class RequestProblem(Exception):
    """A request that cannot be read at all (its status and one-line message)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


#: A body not received within this many seconds is refused (408): a client that sends a
#: few bytes a minute holds no connection for long.
BODY_SECONDS = 15.0


async def read_body(request: Request, limit: int, seconds: float | None = None) -> bytes:
    """The body, refusing (413) more than ``limit`` bytes whatever Content-Length says, and
    (408) one that takes longer than ``seconds`` (``BODY_SECONDS``) to arrive."""
    import asyncio

    seconds = BODY_SECONDS if seconds is None else seconds
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise RequestProblem(413, f"request body over {limit} bytes; send fewer answers")
    body = bytearray()

    async def collect() -> None:
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > limit:
                raise RequestProblem(413, f"request body over {limit} bytes; send fewer answers")

    try:
        await asyncio.wait_for(collect(), seconds)
    except asyncio.TimeoutError:
        raise RequestProblem(408, f"request body not received within {seconds:g} s") from None
    return bytes(body)


def _from_pairs(pairs: list[tuple[str, str]]) -> dict[str, object]:
    """Query or form pairs: an empty value means "not given" (an HTML form's empty field)."""
    values: dict[str, object] = {}
    for key, value in pairs:
        if value != "":
            values[key] = value
        else:
            values.pop(key, None)
    return values


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON value")


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) < len(pairs):
        raise ValueError("a key is written twice")
    return found


def _from_json(body: bytes) -> dict[str, object]:
    from ..answers.file import check_bounds

    try:
        data: Any = json.loads(
            body.decode("utf-8"), parse_constant=_not_json, object_pairs_hook=_unique
        )
    except (UnicodeDecodeError, ValueError) as error:
        message = str(error)[:200]  # a number of thousands of digits is quoted in part
        raise RequestProblem(400, f"request body is not valid JSON: {message}") from None
    except RecursionError:
        raise RequestProblem(400, "request body is nested too deeply; send key: value") from None
    check_bounds(data, "request body")  # BadInput: 422
    if not isinstance(data, dict):
        raise RequestProblem(
            400, 'request body must be a JSON object of answers, for example {"app_type": "api"}'
        )
    return data


async def answers_of(request: Request, limit: int) -> dict[str, object]:
    """The raw answers a request gives (not yet validated), template keys refused."""
    from urllib.parse import parse_qsl

    values = _from_pairs(list(request.query_params.multi_items()))
    if request.method == "POST":
        body = await read_body(request, limit)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/json" or (not kind and body.strip()[:1] == b"{"):
            values.update(_from_json(body))
        elif kind == FORM or (not kind and not body.strip()):
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise RequestProblem(400, "form body is not UTF-8") from None
            values.update(_from_pairs(parse_qsl(text, keep_blank_values=True)))
        else:
            raise RequestProblem(
                415, f"content type {kind!r} not accepted; send application/json or a form"
            )
    refuse_template_keys(values)
    return values


def refuse_template_keys(values: Mapping[str, object]) -> None:
    named = sorted(TEMPLATE_KEYS & set(values))
    if named:
        raise RequestProblem(
            400,
            f"{', '.join(named)}: a request cannot name a template; the server's templates "
            "are set when it starts (stackpick serve --template FRAMEWORK=SOURCE)",
        )
