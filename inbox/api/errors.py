"""The API's blueprint and its answers when something goes wrong: always JSON, in French."""
from __future__ import annotations

from typing import NoReturn

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

PREFIX = "/api/v1"
REALM = 'Bearer realm="relais-mobilite-api"'

blueprint = Blueprint("api_v1", __name__, url_prefix=PREFIX)

ERROR_TEXTS = {
    400: "Requête invalide.",
    401: "Jeton d'accès manquant ou invalide.",
    403: "Accès refusé.",
    404: "Cette ressource n'existe pas.",
    405: "Méthode non permise sur cette adresse.",
    415: "Envoyez un corps JSON (Content-Type: application/json).",
    500: "Erreur interne : réessayez plus tard.",
}


class ApiError(Exception):
    """An error answered as {"error": {"status", "message"}}."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def fail(status: int, message: str | None = None) -> NoReturn:
    raise ApiError(status, message or ERROR_TEXTS.get(status, "Erreur."))


def error_response(status: int, message: str) -> Response:
    response = jsonify({"error": {"status": status, "message": message}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = REALM + ', error="invalid_token"' \
            if request.headers.get("Authorization") else REALM
    return response


@blueprint.errorhandler(ApiError)
def api_error(error: ApiError) -> Response:
    return error_response(error.status, error.message)


@blueprint.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    code = error.code or 500
    return error_response(code, ERROR_TEXTS.get(code, error.name))


@blueprint.errorhandler(Exception)
def unexpected_error(error: Exception) -> Response:
    """A bug: logged, and answered in JSON like every other error."""
    current_app.logger.exception("API v1: erreur inattendue", exc_info=error)
    return error_response(500, ERROR_TEXTS[500])


def install_error_pages(app: Flask) -> None:
    """Unknown /api/v1 paths and wrong methods answer JSON too (routing errors skip blueprints)."""
    def routing_error(error: HTTPException) -> Response | HTTPException:
        if request.path == PREFIX or request.path.startswith(PREFIX + "/"):
            return http_error(error)
        return error
    for code in (404, 405):
        if code not in app.error_handler_spec.get(None, {}):
            app.register_error_handler(code, routing_error)


@blueprint.after_request
def no_store(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response
