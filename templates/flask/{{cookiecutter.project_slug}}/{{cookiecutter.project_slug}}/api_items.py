"""The item endpoints of the API, kept in the database."""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask.typing import ResponseReturnValue
{%- if cookiecutter.auth %}
from flask_login import current_user
{%- endif %}
from sqlalchemy import func, select

from .api import ApiError, bp, paging, read_json, validated
{%- if cookiecutter.auth %}
from .api_access import check_owner, write_access
{%- endif %}
from .extensions import db
from .models import Item

__all__ = ["bp"]


def get_item_or_404(item_id: int) -> Item:
    item = db.session.get(Item, item_id)
    if item is None:
        raise ApiError(404, f"No item {item_id}.")
    return item


@bp.get("/items")
def list_items() -> ResponseReturnValue:
    page, per_page = paging()
    total = db.session.scalar(select(func.count()).select_from(Item)) or 0
    query = select(Item).order_by(Item.id).limit(per_page).offset((page - 1) * per_page)
    items = [item.to_dict() for item in db.session.scalars(query)]
    return jsonify(
        items=items,
        page=page,
        per_page=per_page,
        total=total,
        pages=(total + per_page - 1) // per_page,
    )


@bp.post("/items")
{%- if cookiecutter.auth %}
@write_access
{%- endif %}
def create_item() -> ResponseReturnValue:
    fields = validated(read_json(), partial=False)
    item = Item(**fields{% if cookiecutter.auth %}, owner_id=current_user.id{% endif %})
    db.session.add(item)
    db.session.commit()
    data = item.to_dict()
    return jsonify(data), 201, {"Location": url_for(".get_item", item_id=data["id"])}


@bp.get("/items/<int:item_id>")
def get_item(item_id: int) -> ResponseReturnValue:
    return jsonify(get_item_or_404(item_id).to_dict())


@bp.route("/items/<int:item_id>", methods=["PUT", "PATCH"])
{%- if cookiecutter.auth %}
@write_access
{%- endif %}
def update_item(item_id: int) -> ResponseReturnValue:
    """PUT replaces the fields, PATCH changes those it is given."""
    item = get_item_or_404(item_id)
{%- if cookiecutter.auth %}
    check_owner(item.owner_id)
{%- endif %}
    fields = validated(read_json(), partial=request.method == "PATCH")
    for key, value in fields.items():
        setattr(item, key, value)
    db.session.commit()
    return jsonify(item.to_dict())


@bp.delete("/items/<int:item_id>")
{%- if cookiecutter.auth %}
@write_access
{%- endif %}
def delete_item(item_id: int) -> ResponseReturnValue:
    item = get_item_or_404(item_id)
{%- if cookiecutter.auth %}
    check_owner(item.owner_id)
{%- endif %}
    db.session.delete(item)
    db.session.commit()
    return "", 204
