"""The API's OpenAPI 3.1 description, kept by hand beside the code (the tests check that
every API route is described, and nothing else); served at ``GET /api/openapi.json``."""

from __future__ import annotations

from typing import Any

from .about import PROJECT_NAME


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ITEM = {"$ref": "#/components/schemas/Item"}
ERROR = _json({"$ref": "#/components/schemas/Error"}, "An error")
ITEM_ID = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}
FIELDS = _json({"$ref": "#/components/schemas/ItemFields"}, "The item's fields")


def spec() -> dict[str, Any]:
    """The OpenAPI document."""
    paths: dict[str, Any] = {
        "/api/items": {
            "get": {
                "summary": "A page of items",
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {
                        "name": "per_page",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                    },
                ],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/ItemPage"}, "The page"),
                    "400": ERROR,
                },
            },
            "post": {
                "summary": "Create an item",
                "requestBody": FIELDS,
                "responses": {"201": _json(ITEM, "The new item"), "400": ERROR, "422": ERROR},
            },
        },
        "/api/items/{item_id}": {
            "parameters": [ITEM_ID],
            "get": {
                "summary": "One item",
                "responses": {"200": _json(ITEM, "The item"), "404": ERROR},
            },
            "put": {
                "summary": "Replace an item's fields",
                "requestBody": FIELDS,
                "responses": {"200": _json(ITEM, "The item"), "404": ERROR, "422": ERROR},
            },
            "patch": {
                "summary": "Change some of an item's fields",
                "requestBody": FIELDS,
                "responses": {"200": _json(ITEM, "The item"), "404": ERROR, "422": ERROR},
            },
            "delete": {
                "summary": "Delete an item",
                "responses": {"204": {"description": "Deleted"}, "404": ERROR},
            },
        },
        "/api/openapi.json": {
            "get": {
                "summary": "This description",
                "responses": {"200": {"description": "The OpenAPI document"}},
            }
        },
    }
    paths["/api/tokens"] = {
        "post": {
            "summary": "A bearer token for a username and password",
            "security": [],
            "requestBody": _json(
                {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
                },
                "The credentials",
            ),
            "responses": {
                "201": _json(
                    {
                        "type": "object",
                        "properties": {
                            "token": {"type": "string"},
                            "expires_in": {"type": "integer"},
                        },
                    },
                    "The token",
                ),
                "401": ERROR,
                "422": ERROR,
            },
        }
    }
    # Writes need a token (or a logged-in session); only the owner may change an item.
    for path, method in [
        ("/api/items", "post"),
        ("/api/items/{item_id}", "put"),
        ("/api/items/{item_id}", "patch"),
        ("/api/items/{item_id}", "delete"),
    ]:
        operation = paths[path][method]
        operation["security"] = [{"bearer": []}]
        operation["responses"]["401"] = ERROR
        if path != "/api/items":
            operation["responses"]["403"] = ERROR
    item_properties: dict[str, Any] = {
        "id": {"type": "integer"},
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "description": {"type": "string", "maxLength": 1000},
        "created_at": {"type": "string", "format": "date-time"},
    }
    item_properties["owner_id"] = {"type": ["integer", "null"]}
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{PROJECT_NAME} API", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": {
                "Item": {"type": "object", "properties": item_properties},
                "ItemFields": {
                    "type": "object",
                    "properties": {
                        "name": item_properties["name"],
                        "description": item_properties["description"],
                    },
                    "additionalProperties": False,
                },
                "ItemPage": {
                    "type": "object",
                    "properties": {
                        "items": {"type": "array", "items": ITEM},
                        "page": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "total": {"type": "integer"},
                        "pages": {"type": "integer"},
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["error", "message"],
                    "properties": {
                        "error": {"type": "string"},
                        "message": {"type": "string"},
                        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                    },
                },
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
