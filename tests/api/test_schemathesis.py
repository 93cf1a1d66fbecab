"""Schemathesis (all checks) against the in-process app signed in as the administrator: every
operation of the OpenAPI document, through its coverage, fuzzing and examples phases, deterministic
(derandomized, fixed seed) and bounded (a few generated cases per operation), with 0 failures.

Each operation runs in its own rolled-back transaction (the conftest fixtures), so what one operation
writes never reaches the next. The document is read from ``app.openapi()``, the one the server serves
at ``/openapi.json`` to signed-in users.

Configured on purpose:
- ``positive_data_acceptance`` also accepts 400 and 423: 400 is the answer to a well-formed request a
  business rule refuses (two shares not summing to 100, a merge into itself, no files for a date);
  423 a locked login. A request the *document* forbids is answered 422, and a 422 to schema-valid
  data still fails this test (that is the check the document's truth rests on).
- Excluded operations, each because it would end the signed-in session the run depends on:
  logout, changing one's own password, resetting a password (it revokes the target's sessions, and
  the generated id may be the administrator's own).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.python.asgi import ASGIClient

from bankcrm.api.app import create_app
from bankcrm.config import Settings

from ..builders import PASSWORD, Bank

EXCLUDED = {
    ("POST", "/api/auth/logout"),  # ends the session
    ("POST", "/api/auth/password"),  # changes the administrator's password, ends the other sessions
    ("POST", "/api/users/{user_id}/reset-password"),  # may hit the administrator: sessions revoked
}
MAX_EXAMPLES = 6  # fuzzing cases per operation; the coverage phase adds its own bounded set

CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "seed": 20261124,
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409", "423", "429"]}
        },
    }
)

schema = schemathesis.openapi.from_dict(
    create_app(Settings(web_dist=Path("/nonexistent"))).openapi(), config=CONFIG
).exclude(func=lambda ctx: (ctx.operation.method.upper(), ctx.operation.path) in EXCLUDED)


@pytest.fixture
def admin(app: FastAPI, bank: Bank) -> ASGIClient:
    """A requests-style client bound to the app (no lifespan: the test app runs no background
    poller), signed in as the administrator, sending the CSRF token on every request."""
    c = ASGIClient(app)
    r = c.post("/api/auth/login", json={"username": "admin", "password": PASSWORD})
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api(case: Any, admin: ASGIClient) -> None:
    kwargs: dict[str, Any] = {"session": admin, "base_url": "http://testserver"}
    response = case.call(**kwargs)
    try:
        case.validate_response(response, transport_kwargs=kwargs)  # every check, as call_and_validate
    except BaseException as e:
        e.add_note(f"answered {response.status_code}: {response.text[:300]}")
        raise
