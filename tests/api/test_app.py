"""What every response carries (``api.app.Envelope``)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bankcrm.api.deps import Public

from ..builders import Bank


def test_every_response_carries_security_headers_and_server_timing(client: TestClient, bank: Bank) -> None:
    for r in (client.get("/healthz"), client.get("/api/auth/me"), client.get("/api/no-such-route")):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert re.fullmatch(r"app;dur=\d+\.\d\d", r.headers["server-timing"]), r.headers["server-timing"]
    assert client.get("/api/auth/me").headers["cache-control"] == "no-store"  # API answers are not cached
    assert "cache-control" not in client.get("/healthz").headers


def _has_envelope(r: httpx.Response) -> None:
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-store" and "server-timing" in r.headers


def test_an_unexpected_error_is_a_json_500_with_the_headers(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    app: FastAPI = client.app  # type: ignore[assignment]

    def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/api/test-boom", boom, dependencies=[Public])
    r = client.get("/api/test-boom")
    assert r.status_code == 500 and r.json()["code"] == "internal_error"
    assert "a bug" not in r.text  # no stack trace or message in the answer
    _has_envelope(r)
    assert any(rec.getMessage() == "unhandled error" for rec in caplog.records)


def test_a_declared_oversized_or_malformed_length_is_refused_with_the_headers(client: TestClient) -> None:
    for length in ("2000000", "x", "9" * 5000):
        r = client.post(
            "/api/auth/login",
            content=b"{}",
            headers={"content-type": "application/json", "content-length": length},
        )
        assert r.status_code == 413 and r.json()["code"] == "too_large", length
        _has_envelope(r)


def test_server_timing_can_be_turned_off(tmp_path: Path) -> None:
    from bankcrm.api.app import create_app
    from bankcrm.config import Settings
    from bankcrm.db import make_engine

    settings = Settings(web_dist=Path("/nonexistent"), var_dir=tmp_path, server_timing=False)
    app = create_app(settings, engine=make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}"))
    r = TestClient(app).get("/api/no-such-route")
    assert "server-timing" not in r.headers and r.headers["x-frame-options"] == "DENY"
