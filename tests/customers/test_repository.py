"""Quick search (``customers.repository.search``): names match from their start through an index range."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bankcrm.clock import FrozenClock

from ..builders import Bank, login, make_customer


def _names(client: TestClient, q: str) -> set[str]:
    r = client.post("/api/customers/search", json={"q": q, "page_size": 200})
    assert r.status_code == 200, r.text
    return {c["name"] for c in r.json()["items"]}


def test_a_name_matches_from_its_start_with_wildcards_taken_literally(
    client: TestClient, bank: Bank, db: Session, clock: FrozenClock
) -> None:
    for name in ("王小明", "小王", "王%强", "王_强", "南京恒通科技有限公司", "南京恒通", "Wang Wei", "wang li"):
        make_customer(db, org=bank.nj_sub, name=name, now=clock.now())
    db.commit()
    login(client, "nj_president")
    assert _names(client, "王") == {"王五", "王小明", "王%强", "王_强"}  # not 小王: a start, not a contains-match
    assert _names(client, "王%") == {"王%强"}
    assert _names(client, "王_") == {"王_强"}
    assert _names(client, "南京恒通") == {"南京恒通", "南京恒通科技有限公司"}
    assert _names(client, "南京恒通科技有限公司") == {"南京恒通科技有限公司"}
    assert _names(client, "Wang") == {"Wang Wei"}  # code-point order: case is kept
    assert _names(client, "恒通") == set()
    assert _names(client, "\ud7ff") == set()  # the bound skips the surrogates (no 500)
    assert _names(client, "王" + chr(0x10FFFF)) == set()  # the last code point: still only that start
