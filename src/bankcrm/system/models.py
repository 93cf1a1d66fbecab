"""ORM models of parameter overrides and code tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bankcrm.db import Base


class ParameterValue(Base):
    """A stored value; parameters never set keep their default from ``system.params``."""

    __tablename__ = "system_parameter"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class CodeTable(Base):
    __tablename__ = "code_table"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))


class CodeItem(Base):
    __tablename__ = "code_item"

    table_code: Mapped[str] = mapped_column(ForeignKey("code_table.code"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    label_zh: Mapped[str] = mapped_column(String(100))
    label_en: Mapped[str] = mapped_column(String(100))
    sort: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
