"""The OpenAPI 3.1 document of /api/v1, hand-written; tests/inbox/test_api.py keeps it true
(every route is in it and nothing else; real answers validate against its schemas)."""
from __future__ import annotations

from typing import Any

from storage.models import CASE_CATEGORIES, CASE_OUTCOMES, CASE_SOURCES, CASE_STATUSES

DATE_TIME = {"type": "string", "format": "date-time"}
NULLABLE_DATE_TIME = {"type": ["string", "null"], "format": "date-time"}
NULLABLE_STRING = {"type": ["string", "null"]}
REF = "#/components/schemas/"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": _ref("Error")}}}


def _json(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


REFERENCE_PARAM = {
    "name": "reference", "in": "path", "required": True,
    "description": "La référence de la demande, par exemple RM-2026-00042.",
    "schema": {"type": "string", "pattern": "^[Rr][Mm]-\\d{4}-\\d{5,}$"},
}
UNAUTHORIZED = _error("Jeton manquant, invalide ou révoqué (en-tête WWW-Authenticate: Bearer).")
NOT_FOUND = _error("La demande n'existe pas ou n'est pas celle des équipes du jeton.")


def _case_properties() -> dict[str, Any]:
    named = {"type": ["object", "null"], "required": ["id", "name"],
             "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
             "additionalProperties": False}
    return {
        "reference": {"type": "string"},
        "status": {"type": "string", "enum": list(CASE_STATUSES)},
        "outcome": {"type": ["string", "null"], "enum": [*CASE_OUTCOMES, None]},
        "source": {"type": "string", "enum": list(CASE_SOURCES)},
        "channel": {"type": "string"},
        "team": named, "assignee": named,
        "commune_insee": NULLABLE_STRING, "commune_name": NULLABLE_STRING,
        "first_name": NULLABLE_STRING,
        "difficulties": {"type": "array", "items": {"type": "string"}},
        "purposes": {"type": "array", "items": {"type": "string"}},
        "categories": {"type": "array", "items": {"type": "string", "enum": list(CASE_CATEGORIES)}},
        "wants_human": {"type": "boolean"}, "unread": {"type": "boolean"},
        "waiting_since": NULLABLE_DATE_TIME, "callback_at": NULLABLE_DATE_TIME,
        "created_at": DATE_TIME, "updated_at": DATE_TIME,
        "first_response_at": NULLABLE_DATE_TIME, "closed_at": NULLABLE_DATE_TIME,
    }


def schemas() -> dict[str, Any]:
    case = _case_properties()
    message = {
        "type": "object", "additionalProperties": False,
        "required": ["id", "direction", "channel", "body", "status", "created_at", "error"],
        "properties": {
            "id": {"type": "integer"},
            "direction": {"type": "string", "enum": ["in", "out"]},
            "channel": {"type": "string"}, "body": {"type": "string"},
            "status": {"type": "string", "description": "received, queued, sending, sent, "
                                                       "delivered, failed, undelivered…"},
            "created_at": DATE_TIME,
            "error": {"type": ["string", "null"], "description": "L'erreur du fournisseur."},
        },
    }
    note = {
        "type": "object", "additionalProperties": False,
        "required": ["id", "body", "author", "created_at"],
        "properties": {"id": {"type": "integer"}, "body": {"type": "string"},
                       "author": NULLABLE_STRING, "created_at": DATE_TIME},
    }
    return {
        "Case": {"type": "object", "additionalProperties": False,
                 "required": list(case), "properties": case},
        "CaseDetail": {
            "type": "object", "additionalProperties": False,
            "required": [*case, "messages", "notes"],
            "properties": {**case, "messages": {"type": "array", "items": _ref("Message")},
                           "notes": {"type": "array", "items": _ref("Note"),
                                     "description": "Notes privées de l'équipe : jamais "
                                                    "envoyées à la personne."}},
        },
        "CasePage": {
            "type": "object", "additionalProperties": False, "required": ["cases", "next"],
            "properties": {"cases": {"type": "array", "items": _ref("Case")},
                           "next": {"type": ["string", "null"],
                                    "description": "À passer en « after » pour la page suivante ; "
                                                   "null sur la dernière page."}},
        },
        "Message": message,
        "Note": note,
        "ReplyRequest": {
            "type": "object", "required": ["text"],
            "properties": {"text": {"type": "string", "minLength": 1, "maxLength": 1600}},
        },
        "ReplyCreated": {
            "type": "object", "additionalProperties": False,
            "required": ["reference", "status", "message_ids"],
            "properties": {"reference": {"type": "string"},
                           "status": {"type": "string", "enum": list(CASE_STATUSES)},
                           "message_ids": {"type": "array", "items": {"type": "integer"},
                                           "minItems": 1}},
        },
        "StatusRequest": {
            "type": "object", "required": ["status"],
            "properties": {"status": {"type": "string", "enum": list(CASE_STATUSES)},
                           "outcome": {"type": ["string", "null"],
                                       "enum": [*CASE_OUTCOMES, None],
                                       "description": "Requis pour « closed », interdit sinon."}},
        },
        "Error": {
            "type": "object", "additionalProperties": False, "required": ["error"],
            "properties": {"error": {
                "type": "object", "additionalProperties": False, "required": ["status", "message"],
                "properties": {"status": {"type": "integer"},
                               "message": {"type": "string", "description": "En français."}},
            }},
        },
    }


def paths() -> dict[str, Any]:
    return {
        "/cases": {"get": {
            "operationId": "listCases", "summary": "Lister les demandes des équipes du jeton",
            "description": "Sans « since » : l'ordre de la boîte de réception (la personne qui "
                           "attend depuis le plus longtemps d'abord). Avec « since » : les "
                           "demandes créées ou modifiées depuis, de la plus anciennement "
                           "modifiée à la plus récente (pour synchroniser un export).",
            "parameters": [
                {"name": "status", "in": "query", "required": False, "explode": True,
                 "description": "Un ou plusieurs statuts (paramètre répétable).",
                 "schema": {"type": "array", "items": {"type": "string",
                                                       "enum": list(CASE_STATUSES)}}},
                {"name": "team_id", "in": "query", "required": False,
                 "schema": {"type": "integer"}},
                {"name": "source", "in": "query", "required": False,
                 "schema": {"type": "string", "enum": list(CASE_SOURCES)}},
                {"name": "commune_insee", "in": "query", "required": False,
                 "description": "Code INSEE d'une commune (une ville compte ses arrondissements).",
                 "schema": {"type": "string"}},
                {"name": "epci", "in": "query", "required": False,
                 "description": "SIREN d'une intercommunalité : ses communes.",
                 "schema": {"type": "string", "pattern": "^\\d{9}$"}},
                {"name": "departement", "in": "query", "required": False,
                 "description": "Numéro du département : 95, 2A, 971…",
                 "schema": {"type": "string"}},
                {"name": "category", "in": "query", "required": False,
                 "description": "Une catégorie du programme.",
                 "schema": {"type": "string", "enum": list(CASE_CATEGORIES)}},
                {"name": "waiting", "in": "query", "required": False,
                 "description": "true : la personne attend une réponse.",
                 "schema": {"type": "boolean"}},
                {"name": "wants_human", "in": "query", "required": False,
                 "description": "true : la personne a demandé à parler à quelqu'un (APPEL).",
                 "schema": {"type": "boolean"}},
                {"name": "since", "in": "query", "required": False,
                 "description": "Date ISO 8601 avec fuseau.", "schema": DATE_TIME},
                {"name": "search", "in": "query", "required": False,
                 "description": "Prénom, téléphone, référence ou mots des messages.",
                 "schema": {"type": "string"}},
                {"name": "after", "in": "query", "required": False,
                 "description": "La clé « next » de la page précédente.",
                 "schema": {"type": "string"}},
                {"name": "limit", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}},
            ],
            "responses": {"200": _json("Une page de demandes.", "CasePage"),
                          "400": _error("Paramètre invalide."), "401": UNAUTHORIZED},
        }},
        "/cases/{reference}": {"get": {
            "operationId": "getCase", "summary": "Une demande, ses messages et ses notes",
            "parameters": [REFERENCE_PARAM],
            "responses": {"200": _json("La demande.", "CaseDetail"),
                          "401": UNAUTHORIZED, "404": NOT_FOUND},
        }},
        "/cases/{reference}/replies": {"post": {
            "operationId": "postReply",
            "summary": "Répondre à la personne sur son canal (via la file d'envoi)",
            "parameters": [REFERENCE_PARAM],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": _ref("ReplyRequest")}}},
            "responses": {
                "201": _json("Réponse mise en file d'envoi.", "ReplyCreated"),
                "400": _error("Corps JSON invalide ou champ manquant."), "401": UNAUTHORIZED,
                "404": NOT_FOUND,
                "409": _error("La personne ne peut pas être jointe (STOP, données effacées)."),
                "415": _error("Le corps n'est pas du JSON."),
                "422": _error("Message vide, trop long, ou demande close."),
            },
        }},
        "/cases/{reference}/status": {"post": {
            "operationId": "changeStatus", "summary": "Changer le statut (clore avec un résultat)",
            "parameters": [REFERENCE_PARAM],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": _ref("StatusRequest")}}},
            "responses": {
                "200": _json("La demande après le changement.", "Case"),
                "400": _error("Corps JSON invalide ou champ manquant."), "401": UNAUTHORIZED,
                "404": NOT_FOUND, "415": _error("Le corps n'est pas du JSON."),
                "422": _error("Changement refusé par le déroulé des statuts."),
            },
        }},
        "/openapi.json": {"get": {
            "operationId": "openapi", "summary": "Ce document", "security": [],
            "responses": {"200": {"description": "Le document OpenAPI 3.1.",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}},
        }},
    }


def document(server_url: str = "/api/v1") -> dict[str, Any]:
    """The whole document; `server_url` is where this API is served."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Relais Mobilité — API v1", "version": "1.0.0",
                 "description": "Pour les outils des partenaires et les exports. Un jeton "
                                "(`flask inbox create-token EMAIL NOM`) agit au nom de son "
                                "compte : il n'atteint que les demandes de ses équipes."},
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}],
        "paths": paths(),
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "Authorization: Bearer rm_…"}},
            "schemas": schemas(),
        },
    }
