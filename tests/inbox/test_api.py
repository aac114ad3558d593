"""JSON API v1: bearer tokens, team boundaries, JSON errors, and an OpenAPI document kept true."""
from __future__ import annotations

import re
from datetime import timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import select

from inbox.cases import issue_token, revoke_token
from storage.models import ApiToken, Case, Message, Note, Team, User
from tests.inbox.cases.helpers import T0, make_case, outbox_count
from tests.inbox.conftest import ADMIN, COORDINATOR, make_app, seed_accounts
from tests.inbox.test_case_views import RecordingJobs

NOW = T0 + timedelta(hours=2)
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?$")


@pytest.fixture
def jobs() -> RecordingJobs:
    return RecordingJobs()


@pytest.fixture
def app(db_url, session_factory, jobs):
    seed_accounts(session_factory)
    return make_app(db_url, JOBS=jobs, INBOX_NOW=lambda: NOW)


@pytest.fixture
def cases(session_factory) -> dict[str, str]:
    """References: a case of the coordinator's team (with a note), one of another team."""
    with session_factory.begin() as session:
        ours = session.scalar(select(Team).where(Team.name == "Équipe Sarcelles"))
        theirs = Team(name="Équipe Cergy")
        session.add(theirs)
        session.flush()
        mine = make_case(session, ours.id, address="+33639981234", channel="sms",
                         first_name="Nadia", messages=("Bonjour, je n'ai pas de voiture",),
                         commune_name="Sarcelles", waiting_since=T0, unread=True)
        session.add(Note(case_id=mine.id, body="Rappeler après 17 h", created_at=T0))
        second = make_case(session, ours.id, address="+33639985555", channel="sms",
                           messages=("Je cherche un vélo",), created_at=T0 - timedelta(days=3))
        other = make_case(session, theirs.id, address="+33639980000", channel="sms",
                          messages=("Bonjour",))
        return {"mine": mine.reference, "second": second.reference, "other": other.reference}


def _token(session_factory, email: str = COORDINATOR) -> str:
    with session_factory.begin() as session:
        user = session.scalar(select(User).where(User.email == email))
        return issue_token(session, user, "export tableur", T0)[1]


@pytest.fixture
def token(session_factory) -> str:
    return _token(session_factory)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# ---------------------------------------------------------------- a small JSON Schema check

def validate(instance: Any, schema: dict[str, Any], document: dict[str, Any], path: str = "$") -> None:
    """Check `instance` against the subset of JSON Schema the document uses (asserts)."""
    if "$ref" in schema:
        node: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        validate(instance, node, document, path)
        return
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        kinds = {"string": str, "integer": int, "boolean": bool, "object": dict, "array": list,
                 "null": type(None), "number": (int, float)}
        ok = any(isinstance(instance, kinds[t]) and not (t in ("integer", "number")
                 and isinstance(instance, bool)) for t in types)
        assert ok, f"{path}: {instance!r} is not {types}"
    if "enum" in schema:
        assert instance in schema["enum"], f"{path}: {instance!r} not in {schema['enum']}"
    if isinstance(instance, str) and schema.get("format") == "date-time":
        assert DATE_TIME.match(instance), f"{path}: {instance!r} is not a date-time"
    if isinstance(instance, dict):
        for name in schema.get("required", []):
            assert name in instance, f"{path}: {name} is missing"
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            extra = set(instance) - set(properties)
            assert not extra, f"{path}: undocumented fields {sorted(extra)}"
        for name, value in instance.items():
            if name in properties:
                validate(value, properties[name], document, f"{path}.{name}")
    if isinstance(instance, list) and "items" in schema:
        for index, item in enumerate(instance):
            validate(item, schema["items"], document, f"{path}[{index}]")


def check_response(document: dict[str, Any], path: str, method: str, response) -> None:  # noqa: ANN001
    """The response's status is documented for the operation and its body fits the schema."""
    operation = document["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method.upper()} {path}: {status} undocumented"
    assert response.is_json, f"{method.upper()} {path}: {status} is not JSON"
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    validate(response.get_json(), schema, document)


# ---------------------------------------------------------------- the document

def _api_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        routes |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_the_document_lists_exactly_the_api_routes(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    documented = {(path, method) for path, item in document["paths"].items() for method in item
                  if method in ("get", "post", "put", "patch", "delete")}
    assert documented == _api_routes(app)
    for path, method in documented:  # path parameters are declared, with their schemas
        names = set(re.findall(r"{([^}]+)}", path))
        params = document["paths"][path][method].get("parameters", [])
        assert names == {p["name"] for p in params if p["in"] == "path"}


def test_the_document_is_well_formed_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1") and document["info"]["title"]
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "Authorization: Bearer rm_…"}
    assert document["security"] == [{"bearerAuth": []}]
    refs = re.findall(r'"\$ref": "#/([^"]+)"', str(document).replace("'", '"'))
    assert refs
    for ref in refs:  # every $ref resolves
        node = document
        for part in ref.split("/"):
            node = node[part]
    for item in document["paths"].values():
        for method, operation in item.items():
            assert operation["operationId"] and operation["responses"]
            for status, answer in operation["responses"].items():
                assert re.fullmatch(r"[1-5]\d\d", status) and answer["description"]
            if method == "post":
                assert operation["requestBody"]["content"]["application/json"]["schema"]
                assert "401" in operation["responses"] and "404" in operation["responses"]


def test_real_answers_match_the_documented_schemas(client, token, cases):
    document = client.get("/api/v1/openapi.json").get_json()
    headers = bearer(token)
    check_response(document, "/cases", "get", client.get("/api/v1/cases", headers=headers))
    check_response(document, "/cases", "get", client.get("/api/v1/cases?limit=0", headers=headers))
    check_response(document, "/cases", "get", client.get("/api/v1/cases"))
    check_response(document, "/cases", "get", client.get(
        "/api/v1/cases?since=2026-03-01T00:00:00Z", headers=headers))
    one = f"/api/v1/cases/{cases['mine']}"
    check_response(document, "/cases/{reference}", "get", client.get(one, headers=headers))
    check_response(document, "/cases/{reference}", "get",
                   client.get(f"/api/v1/cases/{cases['other']}", headers=headers))
    check_response(document, "/cases/{reference}/replies", "post",
                   client.post(one + "/replies", json={"text": "Bonjour Nadia"}, headers=headers))
    check_response(document, "/cases/{reference}/replies", "post",
                   client.post(one + "/replies", data="{", headers={
                       **headers, "Content-Type": "application/json"}))
    check_response(document, "/cases/{reference}/replies", "post",
                   client.post(one + "/replies", json={"text": " "}, headers=headers))
    check_response(document, "/cases/{reference}/status", "post",
                   client.post(one + "/status", json={"status": "waiting"}, headers=headers))
    check_response(document, "/cases/{reference}/status", "post",
                   client.post(one + "/status", json={"status": "closed"}, headers=headers))
    check_response(document, "/cases/{reference}/status", "post",
                   client.post(one + "/status", data="status=closed", headers=headers))
    check_response(document, "/cases/{reference}", "get",
                   client.get(one, headers=bearer("rm_nope")))


# ---------------------------------------------------------------- authentication

@pytest.mark.parametrize("path,method", [
    ("/api/v1/cases", "get"), ("/api/v1/cases/{mine}", "get"),
    ("/api/v1/cases/{mine}/replies", "post"), ("/api/v1/cases/{mine}/status", "post"),
])
def test_every_route_refuses_a_request_without_a_valid_token(client, cases, token, session_factory,
                                                             path, method):
    url = path.format(**cases)
    for headers in ({}, {"Authorization": "Basic abc"}, bearer("rm_not-a-token"), bearer("")):
        response = getattr(client, method)(url, headers=headers, json={})
        assert response.status_code == 401, headers
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "jeton" in response.get_json()["error"]["message"].lower()
    with session_factory.begin() as session:
        row = session.scalar(select(ApiToken))
        revoke_token(session, row.user, row.id, T0)
    response = getattr(client, method)(url, headers=bearer(token), json={})
    assert response.status_code == 401
    assert response.get_json()["error"]["message"] == "Jeton invalide ou révoqué."


def test_a_closed_account_s_token_stops_working(client, cases, token, session_factory):
    with session_factory.begin() as session:
        session.scalar(select(User).where(User.email == COORDINATOR)).active = False
    assert client.get("/api/v1/cases", headers=bearer(token)).status_code == 401


def test_a_signed_in_browser_session_is_not_accepted(client, auth, cases):
    assert auth.login().status_code in (302, 303)
    assert client.get("/demandes").status_code == 200  # the cookie session works in the inbox
    response = client.get("/api/v1/cases")
    assert response.status_code == 401 and response.is_json


def test_a_token_needs_no_csrf_token_and_sets_no_cookie(client, cases, token):
    response = client.post(f"/api/v1/cases/{cases['mine']}/status",
                           json={"status": "in_progress"}, headers=bearer(token))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Set-Cookie" not in client.get("/api/v1/cases", headers=bearer(token)).headers


def test_using_a_token_records_when(client, cases, token, session_factory):
    assert client.get("/api/v1/cases", headers=bearer(token)).status_code == 200
    with session_factory() as session:
        row = session.scalar(select(ApiToken))
        assert row.last_used_at is not None
        assert row.last_used_at.replace(tzinfo=timezone.utc) == NOW


# ---------------------------------------------------------------- teams

def test_another_team_s_case_is_not_found(client, cases, token):
    other = cases["other"]
    for response in (
        client.get(f"/api/v1/cases/{other}", headers=bearer(token)),
        client.post(f"/api/v1/cases/{other}/replies", json={"text": "Bonjour"}, headers=bearer(token)),
        client.post(f"/api/v1/cases/{other}/status", json={"status": "in_progress"},
                    headers=bearer(token)),
    ):
        assert response.status_code == 404
        assert response.get_json()["error"]["message"].startswith("Cette demande n'existe pas")
    listed = client.get("/api/v1/cases", headers=bearer(token)).get_json()["cases"]
    assert other not in {case["reference"] for case in listed}


def test_an_admin_token_reaches_every_case(client, cases, session_factory):
    token = _token(session_factory, ADMIN)
    assert client.get(f"/api/v1/cases/{cases['other']}", headers=bearer(token)).status_code == 200


# ---------------------------------------------------------------- listing

def test_the_list_filters_pages_and_follows_changes_since(client, cases, token, session_factory):
    headers = bearer(token)
    listed = client.get("/api/v1/cases", headers=headers).get_json()
    assert [c["reference"] for c in listed["cases"]] == [cases["mine"], cases["second"]]
    assert listed["next"] is None and listed["cases"][0]["first_name"] == "Nadia"
    first = client.get("/api/v1/cases?limit=1", headers=headers).get_json()
    assert [c["reference"] for c in first["cases"]] == [cases["mine"]] and first["next"]
    rest = client.get(f"/api/v1/cases?limit=1&after={first['next']}", headers=headers).get_json()
    assert [c["reference"] for c in rest["cases"]] == [cases["second"]] and rest["next"] is None
    assert [c["reference"] for c in client.get(
        "/api/v1/cases?search=vélo", headers=headers).get_json()["cases"]] == [cases["second"]]
    assert client.get("/api/v1/cases?status=closed", headers=headers).get_json()["cases"] == []
    with session_factory() as session:
        team_id = session.scalar(select(Team.id).where(Team.name == "Équipe Val-d'Oise"))
    assert client.get(f"/api/v1/cases?team_id={team_id}", headers=headers).get_json()["cases"] == []
    with session_factory.begin() as session:  # only `mine` changed since T0 - 1 day
        for case in session.scalars(select(Case)):
            case.updated_at = T0 if case.reference == cases["mine"] else T0 - timedelta(days=3)
    since = client.get("/api/v1/cases?since=2026-03-01T09:00:00%2B00:00&limit=1",
                       headers=headers).get_json()
    assert [c["reference"] for c in since["cases"]] == [cases["mine"]] and since["next"] is None
    everything = client.get("/api/v1/cases?since=2026-01-01T00:00:00Z&limit=1",
                            headers=headers).get_json()
    assert [c["reference"] for c in everything["cases"]] == [cases["second"]]  # oldest change first
    after = client.get(f"/api/v1/cases?since=2026-01-01T00:00:00Z&limit=1&after={everything['next']}",
                       headers=headers).get_json()
    assert [c["reference"] for c in after["cases"]] == [cases["mine"]] and after["next"] is None


@pytest.mark.parametrize("query,words", [
    ("limit=101", "limit"), ("limit=abc", "limit"), ("status=perdu", "Statut"),
    ("since=hier", "since"), ("since=2026-03-01T09:00:00", "fuseau"), ("after=xyz", "page"),
    ("team_id=x", "team_id"),
])
def test_bad_list_parameters_are_explained(client, cases, token, query, words):
    response = client.get(f"/api/v1/cases?{query}", headers=bearer(token))
    assert response.status_code == 400 and words in response.get_json()["error"]["message"]


# ---------------------------------------------------------------- one case

def test_a_case_comes_with_its_messages_and_private_notes(client, cases, token):
    case = client.get(f"/api/v1/cases/{cases['mine'].lower()}", headers=bearer(token)).get_json()
    assert case["reference"] == cases["mine"] and case["status"] == "new"
    assert case["messages"] == [{
        "id": case["messages"][0]["id"], "direction": "in", "channel": "sms",
        "body": "Bonjour, je n'ai pas de voiture", "status": "received",
        "created_at": case["messages"][0]["created_at"], "error": None}]
    assert [note["body"] for note in case["notes"]] == ["Rappeler après 17 h"]


# ---------------------------------------------------------------- actions

def test_a_reply_is_queued_then_delivery_is_asked_for(client, cases, token, jobs, session_factory):
    with session_factory() as session:
        before = outbox_count(session)
    response = client.post(f"/api/v1/cases/{cases['mine']}/replies", json={"text": "Bonjour Nadia"},
                           headers=bearer(token))
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "in_progress" and body["message_ids"]
    assert jobs.delivered == [body["message_ids"]]
    with session_factory() as session:
        assert outbox_count(session) == before + 1
        message = session.get(Message, body["message_ids"][0])
        assert message.direction == "out" and message.body == "Bonjour Nadia"
        assert message.status == "queued"


@pytest.mark.parametrize("kwargs,status,words", [
    ({"data": "{", "content_type": "application/json"}, 400, "JSON valide"),
    ({"json": ["Bonjour"]}, 400, "objet JSON"),
    ({"json": {"texte": "Bonjour"}}, 400, "« text »"),
    ({"data": "text=Bonjour"}, 415, "JSON"),
    ({"json": {"text": "   "}}, 422, "vide"),
])
def test_a_bad_reply_is_refused_clearly(client, cases, token, jobs, kwargs, status, words):
    response = client.post(f"/api/v1/cases/{cases['mine']}/replies", headers=bearer(token), **kwargs)
    assert response.status_code == status and words in response.get_json()["error"]["message"]
    assert jobs.delivered == []


def test_status_changes_with_and_without_an_outcome(client, cases, token, session_factory):
    url, headers = f"/api/v1/cases/{cases['mine']}/status", bearer(token)
    response = client.post(url, json={"status": "waiting"}, headers=headers)
    assert response.status_code == 200 and response.get_json()["status"] == "waiting"
    refused = client.post(url, json={"status": "closed"}, headers=headers)
    assert refused.status_code == 422 and "résultat" in refused.get_json()["error"]["message"]
    refused = client.post(url, json={"status": "oriented", "outcome": "duplicate"}, headers=headers)
    assert refused.status_code == 422
    closed = client.post(url, json={"status": "closed", "outcome": "solution_found"}, headers=headers)
    assert closed.status_code == 200
    assert closed.get_json()["outcome"] == "solution_found" and closed.get_json()["closed_at"]
    back = client.post(url, json={"status": "new"}, headers=headers)
    assert back.status_code == 422 and back.is_json
    assert client.post(url, json={"status": 3}, headers=headers).status_code == 400
    with session_factory() as session:
        case = session.scalar(select(Case).where(Case.reference == cases["mine"]))
        assert (case.status, case.outcome) == ("closed", "solution_found")


def test_unknown_api_paths_and_methods_answer_json(client, token):
    response = client.get("/api/v1/nope", headers=bearer(token))
    assert response.status_code == 404 and response.is_json
    response = client.delete("/api/v1/cases", headers=bearer(token))
    assert response.status_code == 405 and response.is_json
    assert not client.get("/nope").is_json  # the rest of the app keeps its own pages


def test_the_cli_creates_and_revokes_a_token(app, client, cases, session_factory):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["inbox", "create-token", COORDINATOR.upper(), "export tableur"])
    assert result.exit_code == 0, result.output
    token = re.search(r"Jeton : (rm_\S+)", result.output).group(1)
    assert client.get("/api/v1/cases", headers=bearer(token)).status_code == 200
    listing = runner.invoke(args=["inbox", "list-tokens", COORDINATOR]).output
    token_id = int(listing.split("\t")[0])
    assert "export tableur" in listing and "actif" in listing and token not in listing
    assert runner.invoke(args=["inbox", "revoke-token", str(token_id)]).exit_code == 0
    assert client.get("/api/v1/cases", headers=bearer(token)).status_code == 401
    assert runner.invoke(args=["inbox", "create-token", "personne@example.fr", "x"]).exit_code != 0
