"""Every route declares its access rule in one place; unauthenticated callers get nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from bankcrm.api.app import ROUTERS, create_app
from bankcrm.api.deps import PublicAccess, Requires
from bankcrm.auth.permissions import CODES, NON_ROUTE_CODES

PUBLIC_ROUTES = {("POST", "/api/auth/login"), ("GET", "/healthz")}


def _rules(dep: Dependant) -> list[Any]:
    found = [dep.call] if isinstance(dep.call, Requires | PublicAccess) else []
    for sub in dep.dependencies:
        found += _rules(sub)
    return found


def api_routes(app: FastAPI) -> list[APIRoute]:
    """The app's own routes plus every route of every mounted domain router."""
    direct = [r for r in app.routes if isinstance(r, APIRoute)]
    others = [r for r in app.routes if not isinstance(r, APIRoute | Route | Mount)]
    # Anything included that is not one of ROUTERS would escape the sweep.
    assert len(others) == len(ROUTERS), others
    return [
        r
        for r in [*direct, *(x for rt in ROUTERS for x in rt.routes)]
        if isinstance(r, APIRoute) and r.include_in_schema
    ]


def test_sweep_sees_every_operation_in_the_openapi_document(routes: list[APIRoute]) -> None:
    doc = create_app().openapi()
    documented = {(m.upper(), path) for path, ops in doc["paths"].items() for m in ops}
    swept = {(m, r.path_format) for r in routes for m in r.methods}
    assert documented == swept


@pytest.fixture(scope="module")
def routes() -> list[APIRoute]:
    return api_routes(create_app())


def test_every_route_declares_exactly_one_access_rule(routes: list[APIRoute]) -> None:
    missing = []
    for route in routes:
        rules = _rules(route.dependant)
        if len(rules) != 1:
            missing.append(f"{sorted(route.methods)} {route.path_format}: {rules}")
    assert not missing, "routes without exactly one access rule:\n" + "\n".join(missing)


def test_public_routes_are_exactly_the_expected_ones(routes: list[APIRoute]) -> None:
    public = {(m, r.path_format) for r in routes for m in r.methods if isinstance(_rules(r.dependant)[0], PublicAccess)}
    assert public == PUBLIC_ROUTES


def test_every_permission_code_is_in_the_catalog_and_used(routes: list[APIRoute]) -> None:
    used = {code for r in routes for rule in _rules(r.dependant) if isinstance(rule, Requires) for code in rule.codes}
    assert used <= CODES
    # Codes no route needs are pure UI switches or future work; they must be named here on purpose.
    unused = CODES - used
    assert unused == set(NON_ROUTE_CODES), unused


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_protected_routes_refuse_anonymous_callers(client: TestClient, routes: list[APIRoute]) -> None:
    for route in routes:
        for method in route.methods:
            if (method, route.path_format) in PUBLIC_ROUTES:
                continue
            r = client.request(method, _concrete(route.path_format), json={})
            assert r.status_code == 401, f"{method} {route.path_format} -> {r.status_code}"
            assert r.json()["code"] in {"not_authenticated", "session_expired"}


def test_unknown_paths_are_json_404(client: TestClient) -> None:
    r = client.get("/api/does-not-exist")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
