"""HTTP routes of the job monitor: load runs, their files, and the rejected rows of a file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import func, select

from bankcrm.api.deps import DbSession, requires
from bankcrm.auth.principal import Principal
from bankcrm.errors import NotFound
from bankcrm.etl.layouts import BY_CODE
from bankcrm.etl.models import EtlRun, EtlRunFile
from bankcrm.etl.schemas import RejectOut, RunDetailOut, RunFileOut, RunOut
from bankcrm.logging import redact_text
from bankcrm.schemas import IdPath, Page, PageNo, PageSize

router = APIRouter(prefix="/api/etl", tags=["etl"])


@router.get("/runs", operation_id="etl-runs")
def list_runs(
    db: DbSession, p: Annotated[Principal, requires("etl.view")], page: PageNo = 1, page_size: PageSize = 20
) -> Page[RunOut]:
    total = db.scalar(select(func.count()).select_from(EtlRun)) or 0
    rows = db.scalars(select(EtlRun).order_by(EtlRun.id.desc()).offset((page - 1) * page_size).limit(page_size))
    return Page[RunOut](items=[RunOut.model_validate(r) for r in rows], total=total)


@router.get("/runs/{run_id}", operation_id="etl-run")
def get_run(run_id: IdPath, db: DbSession, p: Annotated[Principal, requires("etl.view")]) -> RunDetailOut:
    run = db.get(EtlRun, run_id)
    if run is None:
        raise NotFound("加载任务不存在 / run not found")
    files = db.scalars(select(EtlRunFile).where(EtlRunFile.run_id == run.id).order_by(EtlRunFile.id))
    return RunDetailOut(**RunOut.model_validate(run).model_dump(), files=[RunFileOut.model_validate(f) for f in files])


@router.get("/runs/{run_id}/rejects", operation_id="etl-rejects")
def list_rejects(
    run_id: IdPath,
    request: Request,
    db: DbSession,
    p: Annotated[Principal, requires("etl.rejects")],
    feed: Annotated[str, Query(pattern=r"^[a-z]+_[a-z]+$")],
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> Page[RejectOut]:
    """Rejected rows of one file of a run. Rejected lines carry customers' data as sent: ID, card and
    phone numbers in them are masked for callers without ``customer.unmask``."""
    run = db.get(EtlRun, run_id)
    if run is None or feed not in BY_CODE:
        raise NotFound("加载任务或文件不存在 / run or file not found")
    wh = request.app.state.warehouse()
    d = f"{run.business_date[:4]}-{run.business_date[4:6]}-{run.business_date[6:]}"
    total = wh.execute(
        "SELECT count(*) FROM etl_reject WHERE business_date = $d::DATE AND feed = $f", {"d": d, "f": feed}
    ).fetchone()[0]
    rows = wh.execute(
        "SELECT file_name, line_no, raw, reason FROM etl_reject WHERE business_date = $d::DATE AND feed = $f "
        "ORDER BY line_no LIMIT $n OFFSET $o",
        {"d": d, "f": feed, "n": page_size, "o": (page - 1) * page_size},
    ).fetchall()
    clear = p.can_unmask
    items = [
        RejectOut(file_name=r[0], line_no=r[1], raw=r[2] if clear or r[2] is None else redact_text(r[2]), reason=r[3])
        for r in rows
    ]
    return Page[RejectOut](items=items, total=int(total))
