"""Importing the org tree from a file: every line checked with line and reason, preview changes nothing,
apply writes all or nothing with history and audit, CSV in UTF-8 / UTF-8 with BOM / GBK and Excel;
a load into an installation without a usable tree stops and says what to do."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bankcrm.auth.audit import SYSTEM_ACTOR
from bankcrm.auth.models import AuditRecord, DataScope
from bankcrm.clock import FrozenClock
from bankcrm.errors import BadRequest
from bankcrm.etl.loader import LoadFailed
from bankcrm.etl.models import RunStatus
from bankcrm.etl.service import run_load
from bankcrm.orgs.importer import ImportResult, import_orgs
from bankcrm.orgs.models import Org, OrgHistory, OrgLevel, OrgStatus
from bankcrm.orgs.service import EMPTY_TREE, create_root, require_tree_for_load
from bankcrm.warehouse import Warehouse

from ..builders import Bank, login, make_org, make_role, make_user, role

TREE_ZH = """机构代码,机构名称,上级机构代码,机构级别,机构类型
320106,鼓楼支行,320100,支行,营业机构
000000,示范银行总行,,总行,管理机构
320000,江苏省分行,000000,省分行,管理机构
320100,南京分行,320000,市分行,
320500,苏州分行,320000,3,
32010601,湖南路网点,320106,网点,business
"""


def _run(
    db: Session, clock: FrozenClock, text: str | bytes, *, apply: bool = False, name: str = "t.csv"
) -> ImportResult:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return import_orgs(db, name, data, actor=SYSTEM_ACTOR, apply=apply, now=clock.now())


def _orgs(db: Session) -> dict[str, Org]:
    return {o.code: o for o in db.scalars(select(Org))}


def _audits(db: Session, action: str) -> list[AuditRecord]:
    return list(db.scalars(select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.id)))


def _assert_paths(db: Session) -> None:
    orgs = {o.id: o for o in db.scalars(select(Org))}
    for o in orgs.values():
        expected = f"/{o.id}/" if o.parent_id is None else f"{orgs[o.parent_id].path}{o.id}/"
        assert o.path == expected, (o.code, o.path, expected)


def test_a_file_builds_the_tree_with_right_paths_audited(db: Session, clock: FrozenClock) -> None:
    preview = _run(db, clock, TREE_ZH)
    assert not preview.rejects and not preview.applied
    assert [c.code for c in preview.creates] == ["320106", "000000", "320000", "320100", "320500", "32010601"]
    assert _orgs(db) == {} and _audits(db, "org.import") == []  # the preview wrote nothing

    done = _run(db, clock, TREE_ZH, apply=True)
    assert done.applied and len(done.creates) == 6 and done.encoding == "UTF-8"
    orgs = _orgs(db)
    assert orgs["000000"].parent_id is None and orgs["000000"].level == OrgLevel.head
    assert orgs["320106"].parent_id == orgs["320100"].id and orgs["320106"].level == OrgLevel.sub_branch
    assert orgs["320500"].level == OrgLevel.city
    assert orgs["32010601"].path == (
        f"/{orgs['000000'].id}/{orgs['320000'].id}/{orgs['320100'].id}/{orgs['320106'].id}/{orgs['32010601'].id}/"
    )
    _assert_paths(db)
    [rec] = _audits(db, "org.import")
    assert rec.actor_username == "system"
    assert rec.detail["created"] == 6 and rec.detail["updated"] == 0 and rec.detail["rows"] == 6
    hist = db.scalars(select(OrgHistory).where(OrgHistory.org_id == orgs["32010601"].id)).one()
    assert hist.action == "create" and hist.detail["type"] == "business" and hist.detail["via"] == "import"

    again = _run(db, clock, TREE_ZH, apply=True)  # the same file again: nothing to do
    assert again.unchanged == 6 and not again.creates and not again.updates
    assert len(_audits(db, "org.import")) == 1


def test_each_bad_line_is_rejected_with_line_and_reason(db: Session, clock: FrozenClock, bank: Bank) -> None:
    before = len(_orgs(db))
    nj = bank.nj.code
    text = "\n".join(
        [
            "code,name,parent code,level,type",
            f"A1,甲支行,{nj},sub_branch,",  # 2 good
            f",无代码,{nj},sub_branch,",  # 3 missing code
            f"A1,重复,{nj},sub_branch,",  # 4 duplicate
            "A2,乙支行,NOPE,sub_branch,",  # 5 unknown parent
            "C1,环一,C2,outlet,",  # 6 cycle
            "C2,环二,C1,outlet,",  # 7 cycle
            "R2,第二总行,,head,",  # 8 root conflicting with the head office
            f"A3,丙支行,{nj},county,",  # 9 bad level
            f"A4,丁支行,{nj},sub_branch,bank",  # 10 bad type
            f"A5,戊分行,{bank.nj_sub.code},city,",  # 11 above its parent's level
            f"A6,{'长' * 101},{nj},sub_branch,",  # 12 name too long
            f"A7,己\x07支行,{nj},sub_branch,",  # 13 control character
            "A8,庚网点,A2,outlet,",  # 14 parent rejected
            f"A9,新总行,{nj},head,",  # 15 head below a parent
            f"{bank.head.code},总行,{nj},head,",  # 16 the head office given a parent
            f"bad code,辛支行,{nj},sub_branch,",  # 17 bad code
            f"B1,,{nj},sub_branch,",  # 18 missing name
            "B2,自己,B2,outlet,",  # 19 own parent
        ]
    )
    r = _run(db, clock, text, apply=True)
    assert not r.applied and [c.code for c in r.creates] == ["A1"]
    reasons = {x.line: x.reason for x in r.rejects}
    expected = {
        3: "missing code",
        4: "duplicate code, first on line 2",
        5: "unknown parent NOPE",
        6: "cycle: C1 → C2 → C1",
        7: "cycle: C1 → C2 → C1",
        8: f"conflicts with the existing head office {bank.head.code}",
        9: "unknown level county",
        10: "unknown type bank",
        11: f"is above its parent {bank.nj_sub.code}'s level sub_branch",
        12: "longer than 100 characters",
        13: "name holds a control character",
        14: "parent A2 (line 5) is rejected",
        15: "only the root can be level head",
        16: "the head office cannot have a parent",
        17: "the code must be 1–32 letters",
        18: "missing name",
        19: "the parent is the org itself",
    }
    assert set(reasons) == set(expected)
    for line, part in expected.items():
        assert part in reasons[line], (line, reasons[line])
        assert " / " in reasons[line]  # Chinese / English
    assert len(_orgs(db)) == before and _audits(db, "org.import") == []  # all or nothing: nothing


def test_one_root_only_on_an_empty_tree(db: Session, clock: FrozenClock) -> None:
    text = "code,name,parent_code,level\nH1,总行一,,head\nH2,总行二,,head\nP1,省分行,H1,province\nX,无头,,city\n"
    r = _run(db, clock, text)
    reasons = {x.line: x.reason for x in r.rejects}
    assert "more than one root (line 2 is one)" in reasons[3]
    assert "an org without parent must be level head" in reasons[5]
    assert [c.code for c in r.creates] == ["H1", "P1"]


def test_updates_move_subtrees_and_report_absent_orgs(db: Session, clock: FrozenClock, bank: Bank) -> None:
    """Renaming, moving (its subtree follows) and a level change; orgs the file leaves out are kept."""
    p, nj, sz = bank.province.code, bank.nj.code, bank.sz.code
    text = (
        "code,name,parent code,level\n"
        f"{bank.nj_sub.code},鼓楼支行（新）,{sz},sub_branch\n"  # rename and move under Suzhou
        f"{nj},南京分行,{p},city\n"  # unchanged
        f"N1,新网点,{bank.nj_sub.code},outlet\n"  # new, under the moved org
        f"{bank.sz_sub.code},园区网点,{sz},outlet\n"  # level change
    )
    r = _run(db, clock, text, apply=True)
    assert r.applied and not r.rejects
    assert {c.code: c.changes for c in r.updates} == {
        bank.nj_sub.code: {"name": ["鼓楼支行", "鼓楼支行（新）"], "parent_code": [nj, sz]},
        bank.sz_sub.code: {"name": ["园区支行", "园区网点"], "level": ["sub_branch", "outlet"]},
    }
    assert r.unchanged == 1 and [c.code for c in r.creates] == ["N1"]
    assert {a.code for a in r.absent} == {bank.head.code, p, sz}
    db.expire_all()
    orgs = _orgs(db)
    assert orgs[bank.nj_sub.code].parent_id == bank.sz.id
    assert orgs["N1"].path.startswith(orgs[bank.nj_sub.code].path)
    assert orgs[bank.nj_sub.code].path.startswith(orgs[sz].path)
    _assert_paths(db)
    assert len(orgs) == 7  # nothing deleted
    hist = db.scalars(select(OrgHistory).where(OrgHistory.org_id == bank.nj_sub.id)).one()
    assert hist.action == "import" and hist.detail["changes"]["parent_code"] == [nj, sz]
    [rec] = _audits(db, "org.import")
    assert (rec.detail["created"], rec.detail["updated"], rec.detail["unchanged"], rec.detail["absent"]) == (1, 2, 1, 3)


def test_a_move_cycle_through_the_tree_and_a_level_change_over_children_are_rejected(
    db: Session, clock: FrozenClock, bank: Bank
) -> None:
    text = (
        "code,name,parent code,level\n"
        f"{bank.nj.code},南京分行,{bank.nj_sub.code},city\n"  # under its own child: a cycle with the tree
        f"{bank.sz.code},苏州分行,{bank.province.code},outlet\n"  # its child sz_sub (sub_branch) would sit above
    )
    r = _run(db, clock, text)
    reasons = {x.line: x.reason for x in r.rejects}
    assert f"cycle: {bank.nj.code} → {bank.nj_sub.code} → {bank.nj.code}" in reasons[2]
    assert f"below its existing child {bank.sz_sub.code}" in reasons[3]


def test_closed_orgs_are_not_changed_and_take_no_children(db: Session, clock: FrozenClock, bank: Bank) -> None:
    gone = make_org(db, parent=bank.nj, level=OrgLevel.sub_branch, name="旧支行", now=clock.now())
    gone.status = OrgStatus.closed
    db.flush()
    text = (
        "code,name,parent code,level\n"
        f"{gone.code},旧支行,{bank.nj.code},sub_branch\n"  # unchanged: fine
        f"Z1,新网点,{gone.code},outlet\n"
        f"{gone.code}X,x,{bank.nj.code},sub_branch\n"
    )
    r = _run(db, clock, text)
    assert r.unchanged == 1
    assert "parent " + gone.code + " is closed" in r.rejects[0].reason and r.rejects[0].line == 3
    renamed = _run(db, clock, f"code,name,parent code,level\n{gone.code},改名,{bank.nj.code},sub_branch\n")
    assert "closed" in renamed.rejects[0].reason
    assert gone.code not in {a.code for a in r.absent}  # closed orgs are not reported as missing


def test_encodings_and_excel(db: Session, clock: FrozenClock) -> None:
    bom = _run(db, clock, b"\xef\xbb\xbf" + TREE_ZH.encode("utf-8"))
    assert bom.encoding == "UTF-8 (BOM)" and len(bom.creates) == 6 and not bom.rejects
    gbk = _run(db, clock, TREE_ZH.encode("gbk"))
    assert gbk.encoding == "GBK" and [c.name for c in gbk.creates][:2] == ["鼓楼支行", "示范银行总行"]
    assert not gbk.rejects
    tabbed = _run(db, clock, TREE_ZH.replace(",", "\t"))
    assert len(tabbed.creates) == 6

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for line in TREE_ZH.strip().split("\n"):
        ws.append([int(c) if c.isdigit() and not c.startswith("0") else c for c in line.split(",")])
    ws.append([])  # a blank row is skipped
    ws.append(["BAD", "坏行", "NOPE", "网点"])
    buf = io.BytesIO()
    wb.save(buf)
    xlsx = _run(db, clock, buf.getvalue(), name="tree.xlsx", apply=True)
    assert xlsx.file_format == "xlsx" and xlsx.encoding is None
    assert [(x.line, x.code) for x in xlsx.rejects] == [(9, "BAD")]  # the Excel row number
    assert not xlsx.applied and _orgs(db) == {}
    wb.worksheets[0].delete_rows(9)
    buf = io.BytesIO()
    wb.save(buf)
    ok = _run(db, clock, buf.getvalue(), name="tree.xlsx", apply=True)
    assert ok.applied and _orgs(db)["320100"].name == "南京分行"  # numeric cells read as codes
    _assert_paths(db)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"code,name,level\nA,b,head\n", "missing columns: parent code"),
        (b"code\x80\xff,name\n", "cannot tell the file's encoding"),
        (b"PK\x03\x04garbage", "cannot read the Excel file"),
    ],
)
def test_unreadable_files_say_why(db: Session, clock: FrozenClock, data: bytes, message: str) -> None:
    with pytest.raises(BadRequest) as e:
        _run(db, clock, data)
    assert message in e.value.message and e.value.code == "import_file_invalid"


def test_import_through_the_api(client: TestClient, bank: Bank, db: Session, clock: FrozenClock) -> None:
    text = f"code,name,parent code,level\nA1,新支行,{bank.nj.code},sub_branch\nA2,新网点,A1,outlet\n"
    body = {"file_name": "tree.csv", "content_base64": base64.b64encode(text.encode("gbk")).decode()}
    org_admin = make_role(db, codes={"org.view", "org.create", "org.edit", "org.move"}, scope=DataScope.subtree)
    make_user(db, org=bank.nj, roles=[org_admin], username="nj_orgs", now=clock.now())
    db.commit()
    login(client, "nj_orgs")  # the org rights, but over a subtree only
    r = client.post("/api/orgs/import", json=body)
    assert r.status_code == 403 and r.json()["code"] == "scope_too_narrow", r.text
    login(client, "admin")
    r = client.post("/api/orgs/import", json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["applied"] is False and out["encoding"] == "GBK" and [c["code"] for c in out["creates"]] == ["A1", "A2"]
    assert db.scalar(select(func.count()).select_from(Org).where(Org.code == "A1")) == 0
    r = client.post("/api/orgs/import", json=body | {"apply": True})
    assert r.json()["applied"] is True
    a2 = client.get("/api/orgs/tree").json()
    assert "A2" in str(a2)
    unknown_parent = base64.b64encode(b"code,name,parent code,level\nX,y,NOPE,outlet\n").decode()
    bad = {"file_name": "t.csv", "content_base64": unknown_parent}
    r = client.post("/api/orgs/import", json=bad | {"apply": True})
    assert r.status_code == 200 and r.json()["applied"] is False and r.json()["rejects"][0]["line"] == 2
    # Characters outside base64's alphabet break the document's pattern (422); a wrong length is a 400.
    assert (
        client.post("/api/orgs/import", json={"file_name": "t.csv", "content_base64": "not base64!"}).json()["code"]
        == "validation_error"
    )
    assert client.post("/api/orgs/import", json={"file_name": "t.csv", "content_base64": "abc"}).json()["code"] == (
        "bad_base64"
    )
    r = client.post("/api/orgs/import", json={"file_name": "t.csv", "content_base64": base64.b64encode(b"x").decode()})
    assert r.status_code == 400 and r.json()["code"] == "import_file_invalid"
    make_user(db, org=bank.head, roles=[role(db, "auditor")], username="aud2", now=clock.now())
    db.commit()
    login(client, "aud2")
    assert client.post("/api/orgs/import", json=body).status_code == 403


def test_a_load_without_a_usable_tree_stops_and_says_what_to_do(
    db: Session, session_factory: sessionmaker[Session], clock: FrozenClock, wh: Warehouse, tmp_path: Path
) -> None:
    with pytest.raises(LoadFailed) as e:
        require_tree_for_load(session_factory)
    assert e.value.message == EMPTY_TREE and "bankcrm orgs import FILE" in EMPTY_TREE
    head = create_root(db, "H0", "总行", now=clock.now())
    db.commit()
    with pytest.raises(LoadFailed):
        require_tree_for_load(session_factory)  # only the head office: still nowhere to place customers
    run = run_load(session_factory, wh, tmp_path, "20260105", actor=SYSTEM_ACTOR, clock=clock)
    assert run.status == RunStatus.failed and run.message == EMPTY_TREE
    assert run.rows_received == 0  # stopped before reading a file
    make_org(db, parent=head, level=OrgLevel.province, name="省分行", now=clock.now())
    db.commit()
    require_tree_for_load(session_factory)
