"""HTTP routes of the job monitor: load runs, their files, and the rejected rows of a file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import func, select

from bankcrm.api.deps import DbSession, Now, requires
from bankcrm.auth import audit
from bankcrm.auth.masking import FieldKind, mask
from bankcrm.auth.principal import Principal
from bankcrm.db import write_lock
from bankcrm.errors import BadRequest, Conflict, NotFound
from bankcrm.etl import dq, rejects, service
from bankcrm.etl.layouts import BY_CODE
from bankcrm.etl.models import DqIssue, DqStatus, EtlRun, EtlRunFile, RunStatus
from bankcrm.etl.schemas import (
    DqCloseIn,
    DqIssueOut,
    MergeIn,
    MergeOut,
    OrgMappingIn,
    OrgMappingOut,
    OrgMappingRuleIn,
    OrgMappingRuleOut,
    OrgMappingRuleResult,
    RejectOut,
    RelinkIn,
    RelinkOut,
    RunDetailOut,
    RunFileOut,
    RunOut,
    StartLoadIn,
)
from bankcrm.schemas import BoolQuery, IdPath, KeyPath, Page, PageNoQuery, PageSizeQuery

router = APIRouter(prefix="/api/etl", tags=["etl"])


@router.get("/runs", operation_id="etl-runs")
def list_runs(
    request: Request,
    db: DbSession,
    p: Annotated[Principal, requires("etl.view")],
    page: PageNoQuery = 1,
    page_size: PageSizeQuery = 20,
) -> Page[RunOut]:
    """Load runs, newest first; a run whose loading process died is ended first (with the truth)."""
    if service.end_dead_runs(db, request.app.state.warehouse, request.app.state.clock):
        db.commit()
    total = db.scalar(select(func.count()).select_from(EtlRun)) or 0
    rows = db.scalars(select(EtlRun).order_by(EtlRun.id.desc()).offset((page - 1) * page_size).limit(page_size))
    return Page[RunOut](items=[RunOut.model_validate(r) for r in rows], total=total)


@router.post("/runs", operation_id="etl-start", status_code=202)
def start_load(
    body: StartLoadIn, request: Request, db: DbSession, p: Annotated[Principal, requires("etl.run")], now: Now
) -> RunOut:
    """Load one business date from the inbox (``<inbox>/YYYYMMDD/``) in the server's job runner; the
    run is listed at once as running, and ends published or failed."""
    settings = request.app.state.settings
    inbox = settings.inbox_dir or (settings.var_dir / "inbox")
    folder = inbox / body.business_date
    if not folder.is_dir():
        raise BadRequest(
            f"收件目录中没有 {body.business_date} 的文件 / no files for {body.business_date} in the inbox",
            code="no_files",
        )
    if folder.is_symlink() or folder.resolve().parent != inbox.resolve():
        raise BadRequest(
            f"{body.business_date} 是指向收件目录之外的链接 / the folder of {body.business_date} is a link: refused",
            code="folder_refused",
        )
    if service.end_dead_runs(db, request.app.state.warehouse, request.app.state.clock):
        db.commit()  # ended whatever follows (a 409 rolls the request back)
    write_lock(db)  # SQLite: two starts at once must not both see no running run
    if db.scalar(select(func.count()).select_from(EtlRun).where(EtlRun.status == RunStatus.running)):
        raise Conflict("已有加载任务在运行 / a load is running already", code="load_running")
    run = service.start_run(db, body.business_date, actor=p.actor, clock=request.app.state.clock)
    audit.append(
        db,
        p.actor,
        "etl.load.start",
        at=now,
        target_type="etl_run",
        target_id=run.id,
        detail={"business_date": body.business_date},
    )
    db.commit()
    out = RunOut.model_validate(run)
    app = request.app
    run_id = run.id

    def job() -> object:
        return service.run_load(
            app.state.sessionmaker,
            app.state.warehouse(),
            folder,
            body.business_date,
            actor=p.actor,
            clock=app.state.clock,
            run_id=run_id,
        )

    app.state.jobs.submit(f"etl.load {body.business_date}", job)
    return out


@router.get("/runs/{run_id:int}", operation_id="etl-run")
def get_run(run_id: IdPath, db: DbSession, p: Annotated[Principal, requires("etl.view")]) -> RunDetailOut:
    run = db.get(EtlRun, run_id)
    if run is None:
        raise NotFound("加载任务不存在 / run not found")
    files = db.scalars(select(EtlRunFile).where(EtlRunFile.run_id == run.id).order_by(EtlRunFile.id))
    return RunDetailOut(**RunOut.model_validate(run).model_dump(), files=[RunFileOut.model_validate(f) for f in files])


@router.get("/runs/{run_id:int}/rejects", operation_id="etl-rejects")
def list_rejects(
    run_id: IdPath,
    request: Request,
    db: DbSession,
    p: Annotated[Principal, requires("etl.rejects")],
    feed: Annotated[str, Query(pattern=r"^[a-z]+_[a-z]+$")],
    page: PageNoQuery = 1,
    page_size: PageSizeQuery = 50,
) -> Page[RejectOut]:
    """Rejected rows of one file of a run, in the caller's scope (by the row's source org; lines whose
    org cannot be known for head office only), each field masked by its classification unless the
    caller may unmask (see ``etl.rejects``)."""
    run = db.get(EtlRun, run_id)
    if run is None or feed not in BY_CODE:
        raise NotFound("加载任务或文件不存在 / run or file not found")
    items, total = rejects.list_rejects(
        db, request.app.state.warehouse(), p, run, BY_CODE[feed], page=page, page_size=page_size
    )
    return Page[RejectOut](items=items, total=total)


@router.get("/dq/issues", operation_id="etl-dq_issues")
def list_dq_issues(
    db: DbSession,
    p: Annotated[Principal, requires("dq.view")],
    kind: Annotated[str | None, Query(pattern=r"^[a-z_]{1,32}$")] = None,
    status: DqStatus | None = None,
    page: PageNoQuery = 1,
    page_size: PageSizeQuery = 20,
) -> Page[DqIssueOut]:
    """Issues about customers in the caller's scope (issues naming no customer: head office only);
    ID numbers masked, and the source account number a link issue names, unless the caller may unmask."""
    rows, total = dq.list_issues(db, p, kind=kind, status=status, page=page, page_size=page_size)
    return Page[DqIssueOut](items=[_issue_out(r, p) for r in rows], total=total)


def _issue_out(issue: DqIssue, p: Principal) -> DqIssueOut:
    out = DqIssueOut.model_validate(issue)
    if issue.kind != "unmapped_org" and out.ref and not p.can_unmask:  # ref is a source account number
        out.ref = mask(FieldKind.account_number, out.ref)
    return out


@router.post("/dq/issues/{issue_id:int}/close", operation_id="etl-dq_close")
def close_dq_issue(
    issue_id: IdPath, body: DqCloseIn, db: DbSession, p: Annotated[Principal, requires("dq.edit")], now: Now
) -> DqIssueOut:
    if body.status == DqStatus.open:
        raise BadRequest("请选择已解决或忽略 / choose resolved or dismissed", code="invalid_status")
    return _issue_out(dq.close_issue(db, p, issue_id, body.status, body.note, now=now), p)


@router.get("/org-mappings", operation_id="etl-org_mappings")
def list_org_mappings(
    db: DbSession,
    p: Annotated[Principal, requires("dq.view")],
    unmapped_only: BoolQuery = False,
    page: PageNoQuery = 1,
    page_size: PageSizeQuery = 50,
) -> Page[OrgMappingOut]:
    rows, total = dq.list_mappings(db, unmapped_only=unmapped_only, page=page, page_size=page_size)
    return Page[OrgMappingOut](items=[OrgMappingOut.model_validate(r) for r in rows], total=total)


@router.put("/org-mappings/{system}/{src_code}", operation_id="etl-map_org")
def map_org(
    system: KeyPath,
    src_code: KeyPath,
    body: OrgMappingIn,
    request: Request,
    db: DbSession,
    p: Annotated[Principal, requires("dq.edit")],
    now: Now,
) -> OrgMappingOut:
    """Map one source org code; the customers standing at head office for lack of it move there (a job)."""
    out = OrgMappingOut.model_validate(dq.map_org(db, p, system, src_code, body.org_id, now=now))
    db.commit()
    service.rehome_job(request.app, p.actor)
    return out


@router.get("/org-mapping-rules", operation_id="etl-org_mapping_rules")
def list_org_mapping_rules(db: DbSession, p: Annotated[Principal, requires("dq.view")]) -> list[OrgMappingRuleOut]:
    return [OrgMappingRuleOut.model_validate(r) for r in dq.list_rules(db)]


@router.put("/org-mapping-rules/{system}", operation_id="etl-save_org_mapping_rule")
def save_org_mapping_rule(
    system: KeyPath,
    body: OrgMappingRuleIn,
    request: Request,
    db: DbSession,
    p: Annotated[Principal, requires("dq.edit")],
    now: Now,
) -> OrgMappingRuleResult:
    """Map a whole source system's codes by prefix (the card system's ``K320106`` → ``320106``; no
    prefix at all: codes equal in both systems), now for its unmapped codes and at every load for new
    ones. The customers standing at head office for lack of a code it maps move there (a job)."""
    rule, mapped, unmapped = dq.save_rule(db, p, system, body.strip_prefix, body.add_prefix, now=now)
    out = OrgMappingRuleResult(rule=OrgMappingRuleOut.model_validate(rule), mapped=mapped, unmapped=unmapped)
    db.commit()
    if mapped:
        service.rehome_job(request.app, p.actor)
    return out


@router.delete("/org-mapping-rules/{system}", operation_id="etl-delete_org_mapping_rule", status_code=204)
def delete_org_mapping_rule(
    system: KeyPath, db: DbSession, p: Annotated[Principal, requires("dq.edit")], now: Now
) -> None:
    dq.delete_rule(db, p, system, now=now)


@router.post("/dq/merge", operation_id="etl-dq_merge")
def merge_customers(
    body: MergeIn, request: Request, db: DbSession, p: Annotated[Principal, requires("dq.edit")], now: Now
) -> MergeOut:
    """One person under two customer records: the second's accounts and managers move to the first."""
    survivor, moved = dq.merge_customers(db, p, body.survivor_id, body.merged_id, body.note, now=now)
    db.commit()
    service.refresh_snapshot(request.app)
    return MergeOut(survivor_id=survivor.id, links_moved=moved)


@router.post("/dq/relink", operation_id="etl-dq_relink")
def relink_account(
    body: RelinkIn, request: Request, db: DbSession, p: Annotated[Principal, requires("dq.edit")], now: Now
) -> RelinkOut:
    """Move one source account to another customer (the account number travels in the body, never the URL)."""
    wh = request.app.state.warehouse()
    link = dq.relink_account(db, wh, p, body.system, body.account_no, body.customer_id, body.note, now=now)
    db.commit()
    service.refresh_snapshot(request.app)
    return RelinkOut(system=link.system, customer_id=link.customer_id)
