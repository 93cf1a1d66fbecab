"""Importing the org tree from a file (CSV or Excel): read, check every line, preview, apply.

The file has one org per line: code, name, parent code, level and (optionally) type, with English or
Chinese headers. ``plan`` checks every line against the file and the current tree and says what
would be created, updated or rejected (with line and reason) and which orgs of the tree the file
does not mention; ``import_orgs`` applies the plan in the caller's transaction, all or nothing: a
file with a rejected line changes nothing. Orgs are never deleted or closed by an import.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from bankcrm.auth import audit
from bankcrm.auth.principal import Actor
from bankcrm.db import write_lock
from bankcrm.errors import BadRequest
from bankcrm.orgs.models import Org, OrgHistory, OrgLevel, OrgStatus
from bankcrm.schemas import CONTROL_CHARS
from bankcrm.system.models import CodeItem

MAX_ROWS = 20_000
MAX_NAME = 100
CODE_RE = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")  # the same rule as an org created in the UI
LEVEL_RANK = {lvl: i for i, lvl in enumerate(OrgLevel)}

COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "org code", "机构代码", "机构号", "机构编码"),
    "name": ("name", "org name", "机构名称"),
    "parent_code": ("parent code", "parent", "parent org code", "上级机构代码", "上级机构号", "上级机构"),
    "level": ("level", "org level", "机构级别", "机构层级", "级别"),
    "type": ("type", "org type", "机构类型"),
}
REQUIRED = ("code", "name", "parent_code", "level")
COLUMN_ZH = {
    "code": "机构代码",
    "name": "机构名称",
    "parent_code": "上级机构代码",
    "level": "机构级别",
    "type": "机构类型",
}

LEVEL_WORDS: dict[str, OrgLevel] = {
    **{lvl.value: lvl for lvl in OrgLevel},
    **{str(i + 1): lvl for i, lvl in enumerate(OrgLevel)},
    "sub-branch": OrgLevel.sub_branch,
    "sub branch": OrgLevel.sub_branch,
    "总行": OrgLevel.head,
    "省分行": OrgLevel.province,
    "一级分行": OrgLevel.province,
    "分行": OrgLevel.province,
    "市分行": OrgLevel.city,
    "二级分行": OrgLevel.city,
    "地市分行": OrgLevel.city,
    "支行": OrgLevel.sub_branch,
    "网点": OrgLevel.outlet,
    "营业网点": OrgLevel.outlet,
    "分理处": OrgLevel.outlet,
    "储蓄所": OrgLevel.outlet,
    "营业所": OrgLevel.outlet,
}
# Org types when the installation has no ``org_type`` code table of its own: (code, Chinese name).
DEFAULT_TYPES: tuple[tuple[str, str], ...] = (
    ("management", "管理机构"),
    ("business", "营业机构"),
    ("virtual", "虚拟机构"),
)
ORG_TYPE_TABLE = "org_type"


@dataclass(frozen=True)
class Reject:
    line: int
    code: str
    reason: str


@dataclass(frozen=True)
class Change:
    """An org the import creates (``changes`` empty) or updates (field: [before, after])."""

    line: int
    code: str
    name: str
    level: OrgLevel
    parent_code: str | None
    type: str | None
    changes: dict[str, list[str | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Absent:
    code: str
    name: str


@dataclass
class ImportResult:
    file_name: str
    file_format: str
    """``csv`` or ``xlsx``."""
    encoding: str | None
    """What the CSV was read as (``UTF-8``, ``UTF-8 (BOM)``, ``GBK``, ``UTF-16``); None for Excel."""
    rows: int
    creates: list[Change]
    updates: list[Change]
    unchanged: int
    rejects: list[Reject]
    absent: list[Absent]
    """Active orgs of the tree the file does not mention: kept as they are, reported."""
    applied: bool = False


@dataclass
class _Row:
    line: int
    code: str
    name: str
    parent_code: str
    level_text: str
    type_text: str
    level: OrgLevel = OrgLevel.outlet
    type: str | None = None


def _file_error(zh: str, en: str) -> BadRequest:
    return BadRequest(f"{zh} / {en}", code="import_file_invalid")


# ---------------------------------------------------------------- reading


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError as e:
            raise _file_error("文件声明为 UTF-8 但含非法字节", "the file says UTF-8 but holds invalid bytes") from e
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as e:
            raise _file_error("文件声明为 UTF-16 但含非法字节", "the file says UTF-16 but holds invalid bytes") from e
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK: every GBK file reads the same.
        return data.decode("gb18030"), "GBK"
    except UnicodeDecodeError as e:
        raise _file_error(
            "无法识别文件编码：请保存为 UTF-8 或 GBK 的 CSV，或 Excel（.xlsx）",
            "cannot tell the file's encoding: save it as CSV in UTF-8 or GBK, or as Excel (.xlsx)",
        ) from e


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    first = text.split("\n", 1)[0]
    delimiter = max((",", "\t", "|", ";"), key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for row in reader:
            yield line, row
            line = reader.line_num + 1
    except csv.Error as e:
        raise _file_error(f"CSV 第 {line} 行格式错误", f"line {line} is not valid CSV: {e}") from e


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.isoformat()
    return str(v)


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise _file_error("无法读取 Excel 文件", "cannot read the Excel file") from e
    try:
        ws = wb.worksheets[0]
        for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
            yield i, [_cell(v) for v in row]
    finally:
        wb.close()


def is_xlsx(file_name: str, data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04") or file_name.lower().endswith(".xlsx")


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lstrip("\ufeff").lower()).strip()


ALIASES = {_header_key(alias): col for col, aliases in COLUMNS.items() for alias in aliases}


def _pick(columns: dict[str, int], cells: list[str], col: str) -> str:
    i = columns.get(col)
    return cells[i] if i is not None and i < len(cells) else ""


def read_rows(file_name: str, data: bytes) -> tuple[str, str | None, list[_Row]]:
    """The file's format, encoding and data lines (blank lines skipped), or a file-level error."""
    if not data.strip():
        raise _file_error("文件为空", "the file is empty")
    if is_xlsx(file_name, data):
        fmt, encoding, lines = "xlsx", None, _xlsx_rows(data)
    else:
        text, enc = _decode(data)
        fmt, encoding, lines = "csv", enc, _csv_rows(text)
    columns: dict[str, int] | None = None
    rows: list[_Row] = []
    for line, cells in lines:
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if columns is None:
            columns = {}
            for i, h in enumerate(cells):
                col = ALIASES.get(_header_key(h))
                if col is not None and col not in columns:
                    columns[col] = i
            missing = [c for c in REQUIRED if c not in columns]
            if missing:
                raise _file_error(
                    "缺少列：" + "、".join(COLUMN_ZH[c] for c in missing),
                    "missing columns: " + ", ".join(c.replace("_", " ") for c in missing),
                )
            continue
        if len(rows) >= MAX_ROWS:
            raise _file_error(f"文件超过 {MAX_ROWS} 行", f"the file has more than {MAX_ROWS} lines")

        code, name, parent, level, kind = (_pick(columns, cells, c) for c in COLUMN_ZH)
        rows.append(_Row(line, code, name, parent, level, kind))
    if columns is None:
        raise _file_error("文件为空", "the file is empty")
    return fmt, encoding, rows


# ---------------------------------------------------------------- checking


def _allowed_types(db: Session) -> dict[str, str]:
    """Accepted type words (code or Chinese name) → code: the ``org_type`` code table when the
    installation keeps one, otherwise ``DEFAULT_TYPES``."""
    items = db.execute(
        select(CodeItem.code, CodeItem.label_zh).where(CodeItem.table_code == ORG_TYPE_TABLE, CodeItem.active)
    ).all()
    pairs = [(c, zh) for c, zh in items] or list(DEFAULT_TYPES)
    return {**{zh: c for c, zh in pairs}, **{c.lower(): c for c, _ in pairs}}


def _msg(zh: str, en: str) -> str:
    return f"{zh} / {en}"


def _check_row(row: _Row, types: dict[str, str]) -> str | None:
    for col, value in (
        ("code", row.code),
        ("name", row.name),
        ("parent_code", row.parent_code),
        ("level", row.level_text),
        ("type", row.type_text),
    ):
        if CONTROL_CHARS.search(value):
            return _msg(f"{COLUMN_ZH[col]}含控制字符", f"{col.replace('_', ' ')} holds a control character")
    if not row.code:
        return _msg("缺少机构代码", "missing code")
    if not CODE_RE.match(row.code):
        return _msg("机构代码须为 1–32 位字母、数字或 _ . -", "the code must be 1–32 letters, digits or _ . -")
    if not row.name:
        return _msg("缺少机构名称", "missing name")
    if len(row.name) > MAX_NAME:
        return _msg(f"机构名称超过 {MAX_NAME} 个字符", f"the name is longer than {MAX_NAME} characters")
    if not row.level_text:
        return _msg("缺少机构级别", "missing level")
    level = LEVEL_WORDS.get(row.level_text.lower())
    if level is None:
        return _msg(
            f"机构级别 {row.level_text} 无效（总行、省分行、市分行、支行、网点，或 1–5）",
            f"unknown level {row.level_text} (head, province, city, sub_branch, outlet, or 1–5)",
        )
    row.level = level
    if row.type_text:
        t = types.get(row.type_text) or types.get(row.type_text.lower())
        if t is None:
            allowed = ", ".join(sorted(set(types.values())))
            return _msg(f"机构类型 {row.type_text} 无效（{allowed}）", f"unknown type {row.type_text} ({allowed})")
        row.type = t
    if row.parent_code == row.code:
        return _msg("上级机构不能是自身", "the parent is the org itself")
    return None


def plan(db: Session, file_name: str, data: bytes) -> ImportResult:
    """What importing the file would do to the current tree; changes nothing."""
    fmt, encoding, rows = read_rows(file_name, data)
    tree = {o.code: o for o in db.scalars(select(Org))}
    by_id = {o.id: o for o in tree.values()}
    head = next((o for o in tree.values() if o.parent_id is None), None)
    types = _allowed_types(db)

    rejects: dict[int, Reject] = {}
    first_line: dict[str, int] = {}
    ok: dict[str, _Row] = {}  # code -> row still accepted

    def reject(row: _Row, reason: str) -> None:
        rejects[row.line] = Reject(row.line, row.code, reason)
        if ok.get(row.code) is row:
            del ok[row.code]

    # 1. Each line on its own, and duplicates.
    for row in rows:
        reason = _check_row(row, types)
        if reason is None and row.code in first_line:
            first = first_line[row.code]
            reason = _msg(f"机构代码重复（首次出现在第 {first} 行）", f"duplicate code, first on line {first}")
        if row.code:
            first_line.setdefault(row.code, row.line)
        if reason is not None:
            rejects[row.line] = Reject(row.line, row.code, reason)
        else:
            ok[row.code] = row

    # 2. The root: the existing head office, or exactly one new one.
    root_line: int | None = None
    for row in list(ok.values()):
        if not row.parent_code:
            if head is not None and row.code != head.code:
                reject(
                    row,
                    _msg(
                        f"无上级机构，与现有总行 {head.code} 冲突",
                        f"no parent: conflicts with the existing head office {head.code}",
                    ),
                )
            elif row.level != OrgLevel.head:
                reject(row, _msg("无上级的机构须为总行级别", "an org without parent must be level head"))
            elif head is None and root_line is not None:
                reject(
                    row,
                    _msg(f"根机构多于一个（第 {root_line} 行已是根）", f"more than one root (line {root_line} is one)"),
                )
            else:
                root_line = row.line
        elif head is not None and row.code == head.code:
            reject(row, _msg("总行不能有上级机构", "the head office cannot have a parent"))
        elif row.level == OrgLevel.head:
            reject(row, _msg("只有根机构可以是总行级别", "only the root can be level head"))

    def final_parent(code: str) -> str | None:
        if code in ok:
            return ok[code].parent_code or None
        org = tree.get(code)
        if org is None or org.parent_id is None:
            return None
        return by_id[org.parent_id].code

    def level_of(code: str) -> OrgLevel:
        return ok[code].level if code in ok else tree[code].level

    def diff(row: _Row) -> dict[str, list[str | None]] | None:
        """What the line changes in the tree; None for a new org."""
        org = tree.get(row.code)
        if org is None:
            return None
        before_parent = by_id[org.parent_id].code if org.parent_id is not None else None
        d: dict[str, list[str | None]] = {}
        if org.name != row.name:
            d["name"] = [org.name, row.name]
        if org.level != row.level:
            d["level"] = [org.level.value, row.level.value]
        if before_parent != (row.parent_code or None):
            d["parent_code"] = [before_parent, row.parent_code or None]
        return d

    children: dict[str, list[_Row]] = {}
    for row in ok.values():
        if row.parent_code:
            children.setdefault(row.parent_code, []).append(row)

    def parent_problem(row: _Row) -> str | None:
        p = row.parent_code
        if not p:
            return None
        if p in tree and tree[p].status != OrgStatus.active and diff(row) != {}:
            return _msg(f"上级机构 {p} 已撤销", f"parent {p} is closed")
        if p in ok or (p in tree and p not in first_line):
            return None
        if p in first_line:
            return _msg(
                f"上级机构 {p}（第 {first_line[p]} 行）被拒绝", f"parent {p} (line {first_line[p]}) is rejected"
            )
        return _msg(f"上级机构 {p} 不在文件中也不在机构树中", f"unknown parent {p}: not in the file or the tree")

    def propagate() -> None:
        """Reject lines whose parent is neither an accepted line nor a usable org of the tree, and
        then their children in the file, and so on down (a work list: one visit per line)."""
        work = list(ok.values())
        while work:
            row = work.pop()
            if ok.get(row.code) is not row:
                continue
            reason = parent_problem(row)
            if reason is not None:
                reject(row, reason)
                work.extend(children.get(row.code, ()))

    # 3. A closed org is not changed by an import.
    for row in list(ok.values()):
        org = tree.get(row.code)
        if org is not None and org.status != OrgStatus.active and diff(row):
            reject(row, _msg("机构已撤销，不能通过导入修改", "the org is closed: an import cannot change it"))
    propagate()

    # 4. Cycles in the tree the file would make.
    done: set[str] = set()
    for start in list(ok):
        chain: list[str] = []
        on_chain: set[str] = set()
        code: str | None = start
        while code is not None and code not in done and code not in on_chain:
            chain.append(code)
            on_chain.add(code)
            code = final_parent(code)
        if code is not None and code in on_chain:
            loop = chain[chain.index(code) :]
            text = " → ".join([*loop, code])
            for c in loop:
                if c in ok:
                    reject(ok[c], _msg(f"上下级关系成环：{text}", f"cycle: {text}"))
        done.update(chain)
    propagate()

    # 5. Levels: a child never sits above its parent; a level change keeps the existing children below.
    changed = True
    while changed:
        changed = False
        for row in list(ok.values()):
            p = row.parent_code
            if p and LEVEL_RANK[row.level] < LEVEL_RANK[level_of(p)]:
                reject(
                    row,
                    _msg(
                        f"级别 {row.level.value} 高于上级 {p} 的级别 {level_of(p).value}",
                        f"level {row.level.value} is above its parent {p}'s level {level_of(p).value}",
                    ),
                )
                changed = True
            elif row.code in tree and tree[row.code].level != row.level:
                org = tree[row.code]
                above = sorted(
                    c.code
                    for c in tree.values()
                    if c.parent_id == org.id
                    and c.code not in ok
                    and c.status == OrgStatus.active
                    and LEVEL_RANK[c.level] < LEVEL_RANK[row.level]
                )
                if above:
                    reject(
                        row,
                        _msg(
                            f"改为 {row.level.value} 后将高于现有下级 {above[0]}",
                            f"level {row.level.value} would sit below its existing child {above[0]}",
                        ),
                    )
                    changed = True
        if changed:
            propagate()

    creates: list[Change] = []
    updates: list[Change] = []
    unchanged = 0
    for row in sorted(ok.values(), key=lambda r: r.line):
        d = diff(row)
        change = Change(row.line, row.code, row.name, row.level, row.parent_code or None, row.type, d or {})
        if d is None:
            creates.append(change)
        elif d:
            updates.append(change)
        else:
            unchanged += 1

    seen = {r.code for r in rows}
    absent = [
        Absent(o.code, o.name)
        for o in sorted(tree.values(), key=lambda o: o.code)
        if o.code not in seen and o.status == OrgStatus.active
    ]
    return ImportResult(
        file_name=file_name,
        file_format=fmt,
        encoding=encoding,
        rows=len(rows),
        creates=creates,
        updates=updates,
        unchanged=unchanged,
        rejects=sorted(rejects.values(), key=lambda r: r.line),
        absent=absent,
    )


# ---------------------------------------------------------------- applying


def _lock_tree(db: Session) -> None:
    write_lock(db)  # SQLite ignores FOR UPDATE: the plan is made under the write lock
    db.execute(select(Org.id).where(Org.parent_id.is_(None)).with_for_update())
    db.expire_all()


def _depth_order(changes: Iterable[Change], final_parent: dict[str, str | None]) -> list[tuple[int, Change]]:
    """(depth in the tree the import makes, change), shallowest first."""
    depths: dict[str, int] = {}

    def depth(code: str) -> int:
        chain = []
        p: str | None = code
        while p is not None and p not in depths:
            chain.append(p)
            p = final_parent.get(p)
        d = depths[p] if p is not None else -1
        for c in reversed(chain):
            d += 1
            depths[c] = d
        return depths[code]

    return sorted(((depth(c.code), c) for c in changes), key=lambda dc: (dc[0], dc[1].line))


def rebuild_paths(db: Session) -> int:
    """Recompute every org's materialised path from the parent links; returns how many changed."""
    orgs = list(db.scalars(select(Org)))
    children: dict[int | None, list[Org]] = {}
    for o in orgs:
        children.setdefault(o.parent_id, []).append(o)
    changed = 0
    stack = [(o, f"/{o.id}/") for o in children.get(None, [])]
    while stack:
        org, path = stack.pop()
        if org.path != path:
            org.path = path
            changed += 1
        stack.extend((c, f"{path}{c.id}/") for c in children.get(org.id, []))
    db.flush()
    return changed


def import_orgs(db: Session, file_name: str, data: bytes, *, actor: Actor, apply: bool, now: datetime) -> ImportResult:
    """Preview (``apply`` False) or apply the file. Applying locks the tree, checks again and writes
    everything or, when a line is rejected, nothing; the caller's transaction commits it."""
    if apply:
        _lock_tree(db)
    result = plan(db, file_name, data)
    if not apply or result.rejects or not (result.creates or result.updates):
        return result
    tree = {o.code: o for o in db.scalars(select(Org))}
    final_parent: dict[str, str | None] = {}
    by_id = {o.id: o for o in tree.values()}
    for o in tree.values():
        final_parent[o.code] = by_id[o.parent_id].code if o.parent_id is not None else None
    for c in result.creates + result.updates:
        final_parent[c.code] = c.parent_code
    # Parents before children, one flush per depth (ids are needed for the children's parent links);
    # paths are set by rebuild_paths below.
    created: list[tuple[Change, Org]] = []
    for _, group in groupby(_depth_order(result.creates, final_parent), key=lambda dc: dc[0]):
        batch = []
        for _, c in group:
            parent = tree[c.parent_code] if c.parent_code else None
            org = Org(
                code=c.code,
                name=c.name,
                level=c.level,
                parent_id=parent.id if parent else None,
                path="",
                created_at=now,
            )
            tree[c.code] = org
            batch.append((c, org))
        db.add_all([org for _, org in batch])
        db.flush()
        created += batch
    for c, org in created:
        detail: dict[str, object] = {
            "code": c.code,
            "name": c.name,
            "level": c.level.value,
            "parent_code": c.parent_code,
            "via": "import",
        }
        if c.type:
            detail["type"] = c.type
        db.add(OrgHistory(org_id=org.id, action="create", detail=detail, actor_username=actor.username, at=now))
    for c in result.updates:
        org = tree[c.code]
        org.name = c.name
        org.level = c.level
        org.parent_id = tree[c.parent_code].id if c.parent_code else None
        changes = {"changes": c.changes, "via": "import"}
        db.add(OrgHistory(org_id=org.id, action="import", detail=changes, actor_username=actor.username, at=now))
    db.flush()
    rebuild_paths(db)
    audit.append(
        db,
        actor,
        "org.import",
        at=now,
        target_type="org",
        detail={
            "file": file_name,
            "format": result.file_format,
            "encoding": result.encoding,
            "rows": result.rows,
            "created": len(result.creates),
            "updated": len(result.updates),
            "unchanged": result.unchanged,
            "absent": len(result.absent),
        },
    )
    result.applied = True
    return result
