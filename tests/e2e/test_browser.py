"""What people do in the browser: sign in, get locked out, change an initial password, administer
users inside their branch, switch language, reveal a masked field."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from bankcrm.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()


def pick_option(page: Page, text: str) -> None:
    page.locator(".ant-select-dropdown:visible").get_by_text(text, exact=True).first.click()


def test_sign_in_and_out(page: Page) -> None:
    sign_in(page, "gl_manager")
    expect(page.get_by_test_id("welcome-card")).to_contain_text("鼓楼支行客户经理李娜")
    expect(page.get_by_test_id("header-org")).to_contain_text("南京鼓楼支行")
    # A customer manager's menu has no system administration entries.
    expect(page.get_by_test_id("menu-users")).to_have_count(0)
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/system/orgs")
    expect(page).to_have_url(re.compile(r"/login"))


def test_five_wrong_passwords_lock_the_account(page: Page) -> None:
    for _ in range(4):
        sign_in(page, "analyst", "Wrong-passw0rd")
        expect(page.get_by_test_id("login-error")).to_contain_text("用户名或密码错误")
    sign_in(page, "analyst", "Wrong-passw0rd")
    expect(page.get_by_test_id("login-error")).to_contain_text("锁定")
    sign_in(page, "analyst")  # the right password is refused while locked
    expect(page.get_by_test_id("login-error")).to_contain_text("锁定")
    expect(page).to_have_url(re.compile(r"/login"))


def test_branch_admin_creates_user_who_must_change_password(page: Page) -> None:
    sign_in(page, "nj_admin")
    expect(page.get_by_test_id("welcome-card")).to_be_visible()
    page.get_by_test_id("menu-users").click()
    page.get_by_test_id("user-create").click()
    page.get_by_test_id("user-form-username").fill("e2e_new")
    page.get_by_test_id("user-form-display-name").fill("新入职客户经理")
    page.get_by_test_id("user-form-org").click()
    dropdown = page.locator(".ant-select-dropdown:visible")
    expect(dropdown).to_contain_text("南京鼓楼支行")
    expect(dropdown).not_to_contain_text("苏州")  # only the own subtree is offered
    pick_option(page, "南京鼓楼支行 (320106)")
    page.get_by_test_id("user-form-roles").click()
    pick_option(page, "客户经理")
    page.keyboard.press("Escape")
    page.get_by_test_id("user-form-submit").click()
    initial = page.get_by_test_id("initial-password").inner_text().strip()
    assert len(initial) >= 12
    page.get_by_test_id("initial-password-close").click()
    expect(page.get_by_test_id("users-table")).to_contain_text("e2e_new")

    # Outside the subtree the server refuses, whatever the page offers.
    csrf = page.request.get("/api/auth/me").json()["csrf_token"]
    sz = next(o for o in page.request.get("/api/orgs/tree").json()[0]["children"] if o["code"] == "320106")
    assert sz  # the own subtree is visible...
    resp = page.request.post(
        "/api/users",
        headers={"X-CSRF-Token": csrf},
        data={"username": "e2e_outside", "display_name": "x", "org_id": 4, "role_ids": []},
    )
    assert resp.status == 404  # ...Suzhou (id 4) is not
    page.get_by_test_id("logout").click()

    sign_in(page, "e2e_new", initial)
    expect(page).to_have_url(re.compile(r"/password"))
    expect(page.get_by_test_id("pw-forced")).to_be_visible()
    page.get_by_test_id("pw-old").fill(initial)
    page.get_by_test_id("pw-new").fill("P@ssw0rd1")  # passes the page checks, on the blocklist
    page.get_by_test_id("pw-confirm").fill("P@ssw0rd1")
    page.get_by_test_id("pw-submit").click()
    expect(page.get_by_test_id("pw-error")).to_be_visible()
    page.get_by_test_id("pw-new").fill("Gulou#2026-new")
    page.get_by_test_id("pw-confirm").fill("Gulou#2026-new")
    page.get_by_test_id("pw-submit").click()
    expect(page.get_by_test_id("welcome-card")).to_contain_text("新入职客户经理")


def test_language_switch(page: Page) -> None:
    sign_in(page, "admin")
    menu = page.get_by_test_id("main-menu")
    expect(menu).to_contain_text("系统管理")
    page.get_by_test_id("lang-switch").click()
    page.get_by_test_id("lang-en-US").click()
    expect(menu).to_contain_text("System")
    expect(page.get_by_test_id("welcome-card")).to_contain_text("Welcome")
    page.reload()
    expect(page.get_by_test_id("main-menu")).to_contain_text("System")
    page.get_by_test_id("lang-switch").click()
    page.get_by_test_id("lang-zh-CN").click()
    expect(page.get_by_test_id("main-menu")).to_contain_text("系统管理")


def test_customer_manager_sees_masked_fields_and_reveals_one_with_purpose(page: Page) -> None:
    sign_in(page, "gl_manager")
    page.get_by_test_id("menu-customers").click()
    table = page.get_by_test_id("customers-table")
    expect(table.locator("tbody tr.ant-table-row").first).to_be_visible()
    first_id = table.locator("tbody tr.ant-table-row").first.locator("td").nth(4).inner_text()
    assert "*" in first_id and not re.search(r"\d{17}[\dX]", table.inner_text())
    page.locator("[data-testid^=reveal-id_no-]").first.click()
    purpose = page.get_by_test_id("reveal-purpose")
    purpose.fill("客户来电核实身份")
    expect(purpose).to_have_value("客户来电核实身份")  # the form holds it before submitting
    page.get_by_test_id("reveal-submit").click()
    expect(page.get_by_test_id("reveal-value")).to_have_text(re.compile(r"^\d{17}[\dX]$"))


def test_data_administrator_loads_a_date_and_repairs_data_quality(page: Page) -> None:
    sign_in(page, "dataops")
    page.get_by_test_id("menu-etlRuns").click()
    page.get_by_test_id("etl-start").click()
    date_input = page.locator('[data-testid="etl-start-date"] input, input[data-testid="etl-start-date"]').first
    date_input.fill("2026-01-05")
    date_input.press("Enter")
    page.get_by_test_id("etl-start-submit").click()
    table = page.get_by_test_id("etl-runs-table")
    expect(table).to_contain_text("2026-01-05")
    expect(table).to_contain_text("已发布", timeout=60_000)  # the list polls while the run is running
    table.locator("tbody tr.ant-table-row").first.click()
    expect(page.get_by_test_id("etl-run-detail")).to_be_visible()
    files = page.get_by_test_id("etl-files-table")
    expect(files).to_contain_text("cif_customer")
    rejects_button = page.locator("[data-testid^=etl-rejects-]").first
    rejects_button.click()
    rejects = page.get_by_test_id("etl-rejects-table")
    expect(rejects.locator("tbody tr.ant-table-row").first).to_be_visible()
    assert not re.search(r"(?<!\d)\d{17}[\dX](?!\d)", rejects.inner_text())  # rejected lines are masked
    page.keyboard.press("Escape")

    page.get_by_test_id("menu-etlQuality").click()
    issues = page.get_by_test_id("dq-issues-table")
    expect(issues.locator("tbody tr.ant-table-row").first).to_be_visible()
    page.get_by_role("tab", name=re.compile("机构映射")).click()
    mappings = page.get_by_test_id("org-mappings-table")
    expect(mappings).to_contain_text("K000000")  # the card system's own code for the head office
    mappings.get_by_test_id("map-card-K000000").click()
    modal = page.get_by_test_id("map-modal")
    modal.get_by_test_id("map-org").click()
    pick_option(page, "示范银行总行 (000000)")
    expect(modal).to_contain_text("示范银行总行 (000000)")  # the choice is in the field before saving
    page.get_by_test_id("map-submit").click()
    expect(modal).to_be_hidden()
    expect(mappings).not_to_contain_text("K000000")  # mapped: no longer in the unmapped list
    # The card system's other codes in one go: a prefix rule.
    page.get_by_test_id("rules-add").click()
    rule = page.get_by_test_id("rule-modal")
    rule.locator('[data-testid="rule-system"] input, input[data-testid="rule-system"]').first.fill("card")
    rule.get_by_test_id("rule-strip").fill("K")
    page.get_by_test_id("rule-submit").click()
    expect(rule).to_be_hidden()
    expect(page.get_by_test_id("org-mapping-rules-table")).to_contain_text("card")


def test_customer_manager_opens_the_360_view_records_a_contact_and_exports(page: Page) -> None:
    sign_in(page, "gl_manager")
    page.get_by_test_id("menu-customers").click()
    page.get_by_test_id("customer-filter-mine").click()  # 我的客户
    table = page.get_by_test_id("customers-table")
    first = table.locator("[data-testid^=customer-link-]").first
    name = first.inner_text()
    page.get_by_test_id("customer-search").locator("input").fill(name)
    page.get_by_test_id("customer-search").locator("input").press("Enter")
    expect(table.locator("tbody tr.ant-table-row").first).to_contain_text(name)
    table.locator("[data-testid^=customer-link-]").first.click()
    view = page.get_by_test_id("customer-360")
    expect(view).to_be_visible()
    expect(page.get_by_test_id("customer-name")).to_contain_text(name)
    assert not re.search(r"\d{17}[\dX]", view.inner_text())  # masked for a customer manager
    page.get_by_test_id("customer-tab-records").click()
    page.get_by_test_id("record-add").click()
    page.get_by_test_id("record-content").fill("电话回访，客户有意购买理财产品")
    page.get_by_test_id("record-submit").click()
    expect(page.get_by_test_id("records-table")).to_contain_text("电话回访")
    page.get_by_test_id("customer-back").click()
    page.get_by_test_id("export-button").click()
    page.get_by_test_id("export-purpose").fill("季度客户回访名单")
    with page.expect_download() as download:
        page.get_by_test_id("export-submit").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_branch_president_sees_the_top_corporate_customers_of_the_branch(page: Page) -> None:
    # Runs after the data administrator's load of the inbox date (this file's order).
    sign_in(page, "js_president")
    page.get_by_test_id("menu-queryTop").click()
    results = page.get_by_test_id("top-results")
    expect(results.locator("tbody tr.ant-table-row").first).to_be_visible()
    expect(page.get_by_test_id("top-chart")).to_be_visible()
    first = results.locator("tbody tr.ant-table-row").first.inner_text()
    assert "1" in first  # rank 1


def _assign_book(browser: Browser, live_server: str, username: str, org_code: str) -> tuple[dict, dict]:
    """As the administrator, through the API: make ``username`` the manager of two personal customers of
    ``org_code`` that hold savings accounts. Returns (the customer to link to, the savings row of the other)."""
    ctx = browser.new_context(base_url=live_server)
    try:
        api = ctx.request
        r = api.post("/api/auth/login", data={"username": "admin", "password": DEMO_PASSWORD})
        assert r.ok, r.text()
        headers = {"X-CSRF-Token": r.json()["csrf_token"]}
        r = api.post("/api/query/personal-accounts", data={"systems": ["sav"], "page_size": 200}, headers=headers)
        assert r.ok, r.text()
        rows = [x for x in r.json()["items"] if x["org_code"] == org_code and x["customer_id"] is not None]
        by_customer: dict[int, dict] = {}
        for x in rows:
            by_customer.setdefault(x["customer_id"], x)
        assert len(by_customer) >= 2, f"the loaded date has fewer than two savings customers in {org_code}"
        (a_id, _), (b_id, b_row) = sorted(by_customer.items())[:2]
        users = api.get("/api/users", params={"q": username}).json()["items"]
        uid = next(u["id"] for u in users if u["username"] == username)
        for cid in (a_id, b_id):
            r = api.put(
                f"/api/customers/{cid}/managers",
                data={"managers": [{"user_id": uid, "share": "100"}], "start_date": "2026-01-05"},
                headers=headers,
            )
            assert r.ok, r.text()
        target = api.get(f"/api/customers/{a_id}").json()
        return target, b_row
    finally:
        ctx.close()


def test_customer_manager_links_an_account_found_by_a_linked_query(
    browser: Browser, live_server: str, page: Page
) -> None:
    # Runs after the data administrator's load of the inbox date (this file's order).
    target, row = _assign_book(browser, live_server, "xw_manager", "320102")
    sign_in(page, "xw_manager")
    page.get_by_test_id("menu-queryPersonal").click()
    page.get_by_test_id("query-submit").click()
    results = page.get_by_test_id("query-results")
    line = results.locator("tbody tr.ant-table-row", has_text=row["customer_no"]).first
    expect(line).to_be_visible()
    masked = line.locator("td").nth(2).inner_text()
    assert "*" in masked  # a customer manager sees masked account numbers
    line.locator("input[type=checkbox]").check()
    page.get_by_test_id("query-attach").click()
    modal = page.get_by_test_id("attach-modal")
    modal.get_by_test_id("attach-customer-search").locator("input").fill(target["customer_no"])
    modal.get_by_test_id("attach-customer-search").locator("input").press("Enter")
    modal.get_by_test_id(f"attach-customer-{target['id']}").click()
    page.get_by_test_id("attach-submit").click()
    # The account belongs to the manager's other customer: the server refuses until "move" is ticked.
    expect(modal.get_by_test_id("link-conflict")).to_be_visible()
    modal.get_by_test_id("link-move").check()
    page.get_by_test_id("attach-submit").click()
    expect(modal).to_be_hidden()

    # The snapshot is refreshed in the background: the 360 view of the target shows the account soon after.
    page.goto(f"/customers/{target['id']}")
    expect(page.get_by_test_id("customer-360")).to_be_visible()
    deadline = time.time() + 30
    while masked not in page.get_by_test_id("customer-360").inner_text():
        assert time.time() < deadline, "the linked account never appeared on the target's 360 view"
        page.wait_for_timeout(500)
        page.reload()
        expect(page.get_by_test_id("customer-360")).to_be_visible()
