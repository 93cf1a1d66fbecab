"""Refusals come in the caller's language, never "中文 / English" at once (issue: words and codes)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from bankcrm.api.i18n import lang_of, localize, pick

from ..builders import Bank, login

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_pick_and_lang_of() -> None:
    assert pick("用户名或密码错误 / wrong user name or password", "zh") == "用户名或密码错误"
    assert pick("用户名或密码错误 / wrong user name or password", "en") == "wrong user name or password"
    assert pick("no separator", "en") == "no separator"
    assert pick("路径 a/b 不存在", "en") == "路径 a/b 不存在"  # a slash without spaces is not a separator
    assert lang_of("en-US,en;q=0.9,zh-CN;q=0.8") == "en"
    assert lang_of("zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert lang_of("fr-FR") == "zh" and lang_of(None) == "zh"
    assert localize({"a": ["甲 / A", 3]}, "en") == {"a": ["A", 3]}


def test_a_refusal_in_chinese_by_default_and_english_on_request(client: TestClient, bank: Bank) -> None:
    body = {"username": "nj_admin", "password": "Wrong!pass1"}
    zh = client.post("/api/auth/login", json=body).json()
    assert zh["message"] == "用户名或密码错误"
    en = client.post("/api/auth/login", json=body, headers={"Accept-Language": "en-US"}).json()
    assert en["message"] == "wrong user name or password" and en["code"] == zh["code"]


def test_validation_and_not_found_follow_the_language(client: TestClient, bank: Bank) -> None:
    login(client, "admin")
    en = {"Accept-Language": "en-US"}
    r = client.get("/api/etl/runs", params={"page": "x"}, headers=en)
    assert r.status_code == 422 and not HAN.search(r.json()["message"])
    r = client.get("/api/no-such-route", headers=en)
    assert r.status_code == 404 and not HAN.search(r.json()["message"])
    r = client.get("/api/no-such-route")
    assert r.status_code == 404 and HAN.search(r.json()["message"]) and " / " not in r.json()["message"]


def test_details_are_localized_too(client: TestClient, bank: Bank) -> None:
    login(client, "nj_admin")
    r = client.post(
        "/api/auth/password",
        json={"old_password": "Str0ng!Passw0rd", "new_password": "short"},
        headers={"Accept-Language": "en-US"},
    )
    assert r.status_code == 400
    reasons = r.json()["details"]
    assert reasons and all(not HAN.search(x) for x in reasons), reasons
