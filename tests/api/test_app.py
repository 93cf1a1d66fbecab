"""What every response carries (``api.app.Envelope``)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from ..builders import Bank


def test_every_response_carries_security_headers_and_server_timing(client: TestClient, bank: Bank) -> None:
    for r in (client.get("/healthz"), client.get("/api/auth/me"), client.get("/api/no-such-route")):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert re.fullmatch(r"app;dur=\d+\.\d\d", r.headers["server-timing"]), r.headers["server-timing"]
    assert client.get("/api/auth/me").headers["cache-control"] == "no-store"  # API answers are not cached
    assert "cache-control" not in client.get("/healthz").headers
