"""Excel exports (STA-4), written once: purpose stated, size capped, user and time in the file,
sensitive fields masked as in every response, a customer's amounts written as bands (10万–50万 /
100k–500k, in the file's language) for callers without ``customer.amount.view``, each export audited
with its row count.

Rows are the same response models the list endpoints return, dumped with the same serializers,
so an export can never show more than the screen does.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from bankcrm.auth import audit
from bankcrm.auth.principal import Principal
from bankcrm.errors import BadRequest
from bankcrm.schemas import In
from bankcrm.system.params import get_int

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}, "description": "Excel file"}
}

Purpose = Annotated[str, Field(min_length=2, max_length=200)]
Lang = Literal["zh-CN", "en-US"]


class ExportIn(In):
    """Base of every export request: the filters of its list, plus why and in which language."""

    purpose: Purpose
    lang: Lang = "zh-CN"


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str

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
) -> bytes:
    zh = lang == "zh-CN"
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
    ws.append(row("导出时间（UTC）" if zh else "Exported at (UTC)", now.strftime("%Y-%m-%d %H:%M:%S")))
    ws.append(row("用途" if zh else "Purpose", purpose))
    ws.append(row("行数" if zh else "Rows", len(rows)))
    masked = ("否" if p.can_unmask else "是") if zh else str(not p.can_unmask)
    if not p.can_view_amounts:
        masked += "（客户金额以区间显示）" if zh else " (customer amounts as bands)"
    ws.append(row("敏感信息已脱敏" if zh else "Sensitive fields masked", masked))
    ws.append([])
    ws.append(row(*(c.header(lang) for c in columns), strong=True))
    for model in rows:
        # The same (masking) serializers as the API; a banded amount becomes the band's text.
        data = model.model_dump(mode="json", context={"band_lang": lang})
        ws.append([_text_cell(ws, _cell_value(data.get(c.key))) for c in columns])
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
    content = workbook_bytes(title=title, columns=columns, rows=rows, p=p, now=now, purpose=purpose, lang=lang)
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
    filename = f"{what}-{now:%Y%m%d-%H%M%S}.xlsx"
    return Response(
        content=content, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
