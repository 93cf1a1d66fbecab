"""The read mix of signed-in bank staff, for ``bench/load.py`` (Locust runs this file).

Each simulated user signs in once with a login of its own (``BENCH_USERS``: a JSON file of
``{"username", "kind"}``, taken in turn), reads its list of customers, then loops over: quick search by
customer number and by name, the 360 view of one of its customers, its list (我的客户 for managers) and
a linked query, with 1-3 s of think time between requests.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
from typing import Any

from locust import HttpUser, between, task

_USERS = json.loads(open(os.environ["BENCH_USERS"], encoding="utf-8").read())  # noqa: SIM115
_PASSWORD = os.environ["BENCH_PASSWORD"]
_NEXT = itertools.cycle(_USERS)
_LOCK = threading.Lock()


class Staff(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        with _LOCK:
            me = next(_NEXT)
        self.kind = me["kind"]
        r = self.client.post(
            "/api/auth/login", json={"username": me["username"], "password": _PASSWORD}, name="sign in"
        )
        r.raise_for_status()
        self.client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        first = self._list(name="list (first page)")
        self.customers: list[dict[str, Any]] = first or [{"id": 0, "customer_no": "C0", "name": "王"}]

    def _list(self, *, name: str) -> list[dict[str, Any]]:
        body = {"mine": self.kind == "manager", "page_size": 50}
        r = self.client.post("/api/customers/search", json=body, name=name)
        return list(r.json().get("items", [])) if r.ok else []

    def _someone(self) -> dict[str, Any]:
        return random.choice(self.customers)  # noqa: S311

    @task(3)
    def search_by_number(self) -> None:
        self.client.post("/api/customers/search", json={"q": self._someone()["customer_no"]}, name="search by number")

    @task(3)
    def search_by_name(self) -> None:
        self.client.post("/api/customers/search", json={"q": self._someone()["name"][:2]}, name="search by name")

    @task(4)
    def overview(self) -> None:
        self.client.get(f"/api/customers/{self._someone()['id']}/overview", name="360 overview")

    @task(2)
    def transactions(self) -> None:
        self.client.get(f"/api/customers/{self._someone()['id']}/transactions", name="360 transactions")

    @task(2)
    def my_list(self) -> None:
        self._list(name="my customers / list")

    @task(1)
    def linked_query(self) -> None:
        self.client.post(
            "/api/query/personal-accounts", json={"systems": ["sav", "card"], "page_size": 20}, name="linked query"
        )
