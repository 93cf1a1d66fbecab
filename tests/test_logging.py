"""Logs are JSON and never carry ID numbers, phone numbers, card numbers or passwords."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from bankcrm.logging import configure, get_logger, redact_text

from .builders import Bank, resident_id


def test_redact_text() -> None:
    rid = resident_id()
    out = redact_text(f"id {rid} phone 13812345678 card 6222021234567890123 legacy 320106850612123")
    assert rid not in out and "13812345678" not in out and "6222021234567890123" not in out
    assert "320106850612123" not in out
    assert "138****5678" in out


def test_log_lines_are_json_and_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    configure("INFO", json=True)
    try:
        get_logger("t").info("lookup", id_no=resident_id(), password="S3cret!pw", note="call 13912345678")
        logging.getLogger("uvicorn.access").info('"GET /x?q=%s HTTP/1.1" 200', resident_id())
        lines = [json.loads(line) for line in capsys.readouterr().err.strip().splitlines()]
    finally:
        logging.getLogger().handlers.clear()
    text = json.dumps(lines, ensure_ascii=False)
    assert resident_id() not in text and "S3cret!pw" not in text and "13912345678" not in text
    assert lines[0]["password"] == "[redacted]"


def test_errors_are_generic_json_without_traces(client: TestClient, bank: Bank) -> None:
    r = client.post("/api/auth/login", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and set(r.json()) == {"code", "message", "details"}
    assert "Traceback" not in r.text
