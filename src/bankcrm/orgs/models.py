"""ORM models of the org tree and its change history."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bankcrm.db import Base


class OrgLevel(enum.StrEnum):
    head = "head"
    province = "province"
    city = "city"
    sub_branch = "sub_branch"
    outlet = "outlet"


class OrgStatus(enum.StrEnum):
    active = "active"
    closed = "closed"


class Org(Base):
    __tablename__ = "org"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[OrgLevel] = mapped_column(Enum(OrgLevel, native_enum=False, length=16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org.id"))
    # Materialised path of ids, "/1/4/17/": a subtree is every org whose path starts with this one's.
    path: Mapped[str] = mapped_column(String(400))
    status: Mapped[OrgStatus] = mapped_column(Enum(OrgStatus, native_enum=False, length=16), default=OrgStatus.active)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("org.id"))
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_org_path", "path"), Index("ix_org_parent_id", "parent_id"))


class OrgHistory(Base):
    __tablename__ = "org_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    actor_username: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]


class OrgMapping(Base):
    """A source system's org code mapped onto the org tree (机构归并, ETL-7). ``org_id`` None means
    not mapped yet: reported on the data-quality page, never dropped."""

    __tablename__ = "org_mapping"

    system: Mapped[str] = mapped_column(String(16), primary_key=True)
    src_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    src_name: Mapped[str | None] = mapped_column(String(100))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("org.id"))
    method: Mapped[str | None] = mapped_column(String(16))
    updated_at: Mapped[datetime]


class OrgMappingRule(Base):
    """A rule for a whole source system (批量归并): its code ``c`` names the tree org whose code is
    ``add_prefix + c[len(strip_prefix):]`` when ``c`` starts with ``strip_prefix`` (the card system's
    ``K320106`` is the tree's ``320106``). Applied to unmapped codes when saved and to new codes at
    each load; a code it cannot place stays unmapped and reported."""

    __tablename__ = "org_mapping_rule"

    system: Mapped[str] = mapped_column(String(16), primary_key=True)
    strip_prefix: Mapped[str] = mapped_column(String(16), default="")
    add_prefix: Mapped[str] = mapped_column(String(16), default="")
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))

    def target(self, src_code: str) -> str | None:
        if not src_code.startswith(self.strip_prefix):
            return None
        return self.add_prefix + src_code[len(self.strip_prefix) :]
