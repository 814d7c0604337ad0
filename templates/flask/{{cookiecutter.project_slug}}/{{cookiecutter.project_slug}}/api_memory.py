"""The item endpoints of the API, kept in memory (per process): put a database behind them."""

from __future__ import annotations

import itertools
import threading
from datetime import {% if cookiecutter.python_version == '3.10' %}datetime, timezone{% else %}UTC, datetime{% endif %}
from typing import Any

from flask import current_app, jsonify, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue

from .api import ApiError, bp, paging, read_json, validated

__all__ = ["bp"]


class ItemStore:
    """Items kept in memory, safe to share between threads (one store per app and process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[int, dict[str, Any]] = {}
        self._ids = itertools.count(1)

    def page(self, page: int, per_page: int) -> tuple[list[dict[str, Any]], int]:
        with self._lock:
            items = [dict(item) for item in self._items.values()]
        start = (page - 1) * per_page
        return items[start : start + per_page], len(items)

    def get(self, item_id: int) -> dict[str, Any] | None:
        with self._lock:
            item = self._items.get(item_id)
            return dict(item) if item is not None else None

    def add(self, fields: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            item_id = next(self._ids)
            created = datetime.now({% if cookiecutter.python_version == '3.10' %}timezone.utc{% else %}UTC{% endif %}).isoformat()
            item = {"id": item_id, **fields, "created_at": created}
            self._items[item_id] = item
            return dict(item)

    def update(self, item_id: int, fields: dict[str, Any]) -> dict[str, Any] | None:
        with self._lock:
            item = self._items.get(item_id)
            if item is None:
                return None
            item.update(fields)
            return dict(item)

    def delete(self, item_id: int) -> bool:
        with self._lock:
            return self._items.pop(item_id, None) is not None


@bp.record_once
def create_store(state: BlueprintSetupState) -> None:
    state.app.extensions["item_store"] = ItemStore()


def store() -> ItemStore:
    store: ItemStore = current_app.extensions["item_store"]
    return store


def found(item: dict[str, Any] | None, item_id: int) -> dict[str, Any]:
    if item is None:
        raise ApiError(404, f"No item {item_id}.")
    return item


@bp.get("/items")
def list_items() -> ResponseReturnValue:
    page, per_page = paging()
    items, total = store().page(page, per_page)
    return jsonify(
        items=items,
        page=page,
        per_page=per_page,
        total=total,
        pages=(total + per_page - 1) // per_page,
    )


@bp.post("/items")
def create_item() -> ResponseReturnValue:
    data = store().add(validated(read_json(), partial=False))
    return jsonify(data), 201, {"Location": url_for(".get_item", item_id=data["id"])}


@bp.get("/items/<int:item_id>")
def get_item(item_id: int) -> ResponseReturnValue:
    return jsonify(found(store().get(item_id), item_id))


@bp.route("/items/<int:item_id>", methods=["PUT", "PATCH"])
def update_item(item_id: int) -> ResponseReturnValue:
    """PUT replaces the fields, PATCH changes those it is given."""
    found(store().get(item_id), item_id)
    fields = validated(read_json(), partial=request.method == "PATCH")
    return jsonify(found(store().update(item_id, fields), item_id))


@bp.delete("/items/<int:item_id>")
def delete_item(item_id: int) -> ResponseReturnValue:
    if not store().delete(item_id):
        raise ApiError(404, f"No item {item_id}.")
    return "", 204
