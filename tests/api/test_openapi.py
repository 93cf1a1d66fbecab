"""The web client's types are generated from the committed OpenAPI document: it must be current."""

from __future__ import annotations

import json
from pathlib import Path

from bankcrm.api.app import create_app

COMMITTED = Path(__file__).resolve().parents[2] / "web" / "openapi.json"


def test_committed_openapi_document_is_current() -> None:
    doc = create_app().openapi()
    assert json.loads(COMMITTED.read_text(encoding="utf-8")) == json.loads(json.dumps(doc)), (
        "web/openapi.json is stale: run `make openapi` and `npm run gen:api` in web/"
    )


def test_operation_ids_are_readable() -> None:
    doc = create_app().openapi()
    ids = [op["operationId"] for ops in doc["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    assert all("-" in i for i in ids), ids
