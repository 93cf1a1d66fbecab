"""Excel exports (STA-4), written once: purpose stated, size capped, user and time in the file,
sensitive fields masked as in every response, a customer's amounts written as bands (10万–50万 /
100k–500k, in the file's language) for callers without ``customer.amount.view``, each export audited
with its row count.

Rows are the same response models the list endpoints return, dumped with the same serializers,
so an export can never show more than the screen does.

A report, not a dump (QRY-6, STA-4): the columns the screen shows, codes as their labels
(``bankcrm.labels``), amounts as numbers formatted ``#,##0.00`` with a 合计 / Total row (a banded
amount is text and is not summed), dates as dates, the export time in Beijing time, and a file name
in the export's language (RFC 5987 ``filename*`` with an ASCII fallback).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from bankcrm.auth import audit
from bankcrm.auth.principal import Principal
from bankcrm.errors import BadRequest
from bankcrm.labels import labeler
from bankcrm.schemas import In
from bankcrm.system.params import get_int

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}, "description": "Excel file"}
}

BEIJING = ZoneInfo("Asia/Shanghai")
AMOUNT_FORMAT = "#,##0.00"
RATE_FORMAT = "0.0000"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"

Purpose = Annotated[str, Field(min_length=2, max_length=200)]
Lang = Literal["zh-CN", "en-US"]


class ExportIn(In):
    """Base of every export request: the filters of its list, plus why and in which language."""

    purpose: Purpose
    lang: Lang = "zh-CN"


Kind = Literal["text", "amount", "number", "rate", "date", "datetime"]


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    kind: Kind = "text"
    """How the cell is written: ``amount`` a number with ``#,##0.00`` (summed in the totals row),
    ``number`` a whole number, ``rate`` a number, ``date`` / ``datetime`` (Beijing time) as dates."""
    labels: str | None = None
    """The label group (``bankcrm.labels``) its codes are shown by."""

    def header(self, lang: Lang) -> str:
        return self.zh if lang == "zh-CN" else self.en


def check_size(db: Session, total: int) -> None:
    limit = get_int(db, "export.max_rows")
    if total > limit:
        raise BadRequest(
            f"导出结果 {total} 行，超过上限 {limit} 行，请缩小查询条件 / "
            f"{total} rows exceed the export limit of {limit}: narrow the filters",
            code="export_too_large",
            details={"rows": total, "limit": limit},
        )


def _cell_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, list):
        v = ", ".join(str(x.get("name", x)) if isinstance(x, dict) else str(x) for x in v)
    if isinstance(v, dict):
        v = str(v)
    return v


def _cell(ws: Any, value: Any) -> Any:
    # openpyxl writes Decimal and date cells (its stubs name fewer types).
    return WriteOnlyCell(ws, value=value)


def _number(v: Any) -> Decimal | None:
    if isinstance(v, bool) or v is None or v == "":
        return None
    try:
        return Decimal(str(v))
    except (InvalidOperation, ValueError):
        return None


def _typed_cell(ws: Any, c: Column, v: Any, label: Any) -> Any:
    """One cell as the screen shows it, typed: numbers as numbers, dates as dates, codes as labels."""
    if c.kind in ("amount", "number", "rate") and not isinstance(v, dict):
        n = _number(v)
        if n is not None:
            cell = _cell(ws, int(n) if c.kind == "number" else n)
            cell.number_format = {"amount": AMOUNT_FORMAT, "rate": RATE_FORMAT, "number": "#,##0"}[c.kind]
            return cell
    if c.kind == "date" and isinstance(v, str):
        try:
            cell = _cell(ws, date.fromisoformat(v))
            cell.number_format = DATE_FORMAT
            return cell
        except ValueError:
            pass
    if c.kind == "datetime" and isinstance(v, str):
        try:
            at = datetime.fromisoformat(v)
            at = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(BEIJING).replace(tzinfo=None)
            cell = WriteOnlyCell(ws, value=at)
            cell.number_format = DATETIME_FORMAT
            return cell
        except ValueError:
            pass
    if c.labels is not None:
        v = label(c.labels, v)
    return _text_cell(ws, _cell_value(v))


def _text_cell(ws: Any, value: Any) -> Any:
    cell = WriteOnlyCell(ws, value=value)
    if cell.data_type == "f":
        cell.data_type = "s"  # text people typed (names, purposes) is never a formula: formula injection
    return cell


def workbook_bytes(
    *,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[BaseModel],
    p: Principal,
    now: datetime,
    purpose: str,
    lang: Lang,
    db: Session | None = None,
) -> bytes:
    zh = lang == "zh-CN"
    label = labeler(db, lang) if db is not None else (lambda group, code: code)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    bold = Font(bold=True)

    def row(*values: Any, strong: bool = False) -> list[Any]:
        out = []
        for v in values:
            c = _text_cell(ws, v)
            if strong:
                c.font = bold
            out.append(c)
        return out

    ws.append(row(title, strong=True))
    ws.append(row("导出人" if zh else "Exported by", f"{p.display_name} ({p.username})"))
    at = (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(BEIJING)
    ws.append(row("导出时间（北京时间）" if zh else "Exported at (Beijing time)", at.strftime("%Y-%m-%d %H:%M:%S")))
    ws.append(row("用途" if zh else "Purpose", purpose))
    ws.append(row("行数" if zh else "Rows", len(rows)))
    masked = ("否" if p.can_unmask else "是") if zh else str(not p.can_unmask)
    if not p.can_view_amounts:
        masked += "（客户金额以区间显示）" if zh else " (customer amounts as bands)"
    ws.append(row("敏感信息已脱敏" if zh else "Sensitive fields masked", masked))
    ws.append([])
    ws.append(row(*(c.header(lang) for c in columns), strong=True))
    totals: dict[str, Decimal | None] = {c.key: Decimal(0) for c in columns if c.kind == "amount"}
    for model in rows:
        # The same (masking) serializers as the API; a banded amount becomes the band's text.
        data = model.model_dump(mode="json", context={"band_lang": lang})
        cells = []
        for c in columns:
            v = data.get(c.key)
            cell = _typed_cell(ws, c, v, label)
            if c.key in totals:
                sum_so_far = totals[c.key]
                if cell.data_type == "n" and sum_so_far is not None:
                    totals[c.key] = sum_so_far + Decimal(str(cell.value))
                elif v not in (None, ""):
                    totals[c.key] = None  # a band (text) does not add up: no total for the column
            cells.append(cell)
        ws.append(cells)
    if totals and rows:
        out = []
        for i, c in enumerate(columns):
            if i == 0:
                out.append(row("合计" if zh else "Total", strong=True)[0])
            elif c.key in totals and totals[c.key] is not None:
                cell = _cell(ws, totals[c.key])
                cell.number_format = AMOUNT_FORMAT
                cell.font = bold
                out.append(cell)
            else:
                out.append(WriteOnlyCell(ws, value=None))
        ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(
    db: Session,
    p: Principal,
    *,
    what: str,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[BaseModel],
    purpose: str,
    lang: Lang,
    filters: dict[str, Any],
    now: datetime,
) -> Response:
    content = workbook_bytes(title=title, columns=columns, rows=rows, p=p, now=now, purpose=purpose, lang=lang, db=db)
    audit.append(
        db,
        p.actor,
        "data.export",
        at=now,
        target_type=what,
        detail={
            "rows": len(rows),
            "purpose": purpose,
            "filters": filters,
            "masked": not p.can_unmask,
            "amounts_banded": not p.can_view_amounts,
        },
    )
    return Response(
        content=content, media_type=XLSX, headers={"Content-Disposition": content_disposition(what, title, now)}
    )


def content_disposition(what: str, title: str, now: datetime) -> str:
    """The file is named by its title in the export's language and the Beijing time
    (``对公十大客户-20240131-093000.xlsx``, RFC 5987 ``filename*``), with an ASCII name for old clients."""
    at = (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(BEIJING)
    stamp = f"{at:%Y%m%d-%H%M%S}"
    name = "".join(ch for ch in title if ch not in '\\/:*?"<>|\r\n\t') or what
    ascii_name = f"{what}-{stamp}.xlsx"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(f'{name}-{stamp}.xlsx', safe='')}"
