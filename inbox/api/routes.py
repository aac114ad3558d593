"""The API's routes, one module per seam; importing this module registers them all.

    errors       the blueprint, JSON errors, no-store headers
    tokens       bearer token → user, before every view
    listing      GET /cases (inbox order or changes since a date), with the list's filters
    case_routes  GET /cases/<reference>, POST …/replies, POST …/status
    serialize    the JSON shapes
"""
from __future__ import annotations

from flask import Response, jsonify, request

from inbox.api import case_routes, listing, tokens  # noqa: F401 - they register their routes
from inbox.api.errors import PREFIX, blueprint, install_error_pages

__all__ = ["blueprint", "install_error_pages"]


@blueprint.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document of this API (public: it holds no data)."""
    from inbox.api.spec import document
    return jsonify(document(request.host_url.rstrip("/") + PREFIX))
