"""ORM models: operators, roles, sessions, password history, login failures, audit records."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Enum, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bankcrm.db import Base


class DataScope(enum.StrEnum):
    """What part of the customer base a role sees, narrowest first."""

    own = "own"  # customers the user manages
    org = "org"  # customers of the user's own org
    subtree = "subtree"  # customers of the user's org and everything below it
    all = "all"

    @property
    def rank(self) -> int:
        return list(DataScope).index(self)


class UserStatus(enum.StrEnum):
    active = "active"
    disabled = "disabled"


user_role = Table(
    "user_role",
    Base.metadata,
    Column("user_id", Integer, ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", Integer, ForeignKey("role.id", ondelete="CASCADE"), primary_key=True),
)


class Role(Base):
    __tablename__ = "role"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    data_scope: Mapped[DataScope] = mapped_column(Enum(DataScope, native_enum=False, length=16))
    # The org that owns the role; None for built-in roles usable everywhere.
    org_id: Mapped[int | None] = mapped_column(ForeignKey("org.id"))
    builtin: Mapped[bool] = mapped_column(default=False)
    permissions: Mapped[list[RolePermission]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="RolePermission.code"
    )

    @property
    def codes(self) -> set[str]:
        return {p.code for p in self.permissions}


class RolePermission(Base):
    __tablename__ = "role_permission"

    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    status: Mapped[UserStatus] = mapped_column(
        Enum(UserStatus, native_enum=False, length=16), default=UserStatus.active
    )
    must_change_password: Mapped[bool] = mapped_column(default=True)
    password_changed_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    roles: Mapped[list[Role]] = relationship(secondary=user_role, lazy="selectin", order_by=Role.id)

    @property
    def codes(self) -> set[str]:
        out: set[str] = set()
        for r in self.roles:
            out |= r.codes
        return out

    @property
    def data_scope(self) -> DataScope:
        scopes = [r.data_scope for r in self.roles]
        return max(scopes, key=lambda s: s.rank) if scopes else DataScope.own


class AuthSession(Base):
    """A server-side session. Only the SHA-256 of the cookie value is stored."""

    __tablename__ = "auth_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    ip: Mapped[str | None] = mapped_column(String(64))


class PasswordHistory(Base):
    __tablename__ = "password_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]


class LoginFailure(Base):
    """Consecutive failures per login name, known or not, so lockout reveals nothing about existence.
    Keyed by the SHA-256 of the normalised name: what was typed is never stored."""

    __tablename__ = "login_failure"

    name_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]


class AuditRecord(Base):
    """Append-only, hash-chained audit trail (database triggers refuse UPDATE and DELETE)."""

    __tablename__ = "audit_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_user_id: Mapped[int | None]
    actor_username: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    ip: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """One row holding the last hash; locking it serialises appends to the chain."""

    __tablename__ = "audit_head"
    __table_args__ = (UniqueConstraint("singleton"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    singleton: Mapped[int] = mapped_column(default=1)
    last_id: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(Text)
