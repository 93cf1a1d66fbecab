"""ORM models of the customer master, its change history, customer-manager assignment, evaluations /
referrals / contacts, and VIP tiers."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Enum, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bankcrm.db import Base


class CustomerType(enum.StrEnum):
    personal = "personal"
    corporate = "corporate"


class Customer(Base):
    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_no: Mapped[str] = mapped_column(String(32), unique=True)
    type: Mapped[CustomerType] = mapped_column(Enum(CustomerType, native_enum=False, length=16))
    name: Mapped[str] = mapped_column(String(200))
    id_type: Mapped[str] = mapped_column(String(8))
    id_no: Mapped[str] = mapped_column(String(32))
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(300))
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"))
    source: Mapped[str | None] = mapped_column(String(16))
    """The system the customer was first seen in (``cif``, ``sav``, ...); None when entered by staff."""
    industry: Mapped[str | None] = mapped_column(String(8))
    """GB/T 4754 industry code (code table ``industry``); required for corporate customers."""
    email: Mapped[str | None] = mapped_column(String(100))
    tier: Mapped[str | None] = mapped_column(String(16))
    """VIP tier (CUS-7), recomputed after each load from the tier rules; None below every tier."""
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"))
    """Set when staff merged this record into another (one person under two IDs): its accounts and
    managers moved there; it stays for history and is left out of lists and searches."""
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_customer_org_id", "org_id"),
        Index("ix_customer_id_no", "id_type", "id_no"),
        Index("ix_customer_id_no_only", "id_no"),
        Index("ix_customer_phone", "phone"),
    )


class CustomerManager(Base):
    """A customer manager (客户经理) responsible for a customer, with a share of it."""

    __tablename__ = "customer_manager"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    share: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    start_date: Mapped[date]
    end_date: Mapped[date | None]


class AccountLink(Base):
    """A source record linked to one unified customer (统一客户号), and how the link was made:
    ``id`` (same ID number), ``id_upgraded`` (a 15-digit resident ID matched as its 18-digit form),
    ``uscc`` (unified social credit code), ``manual`` (staff). Customer records of the CIF are linked
    the same way with system ``cif`` and their customer number as ``account_no``."""

    __tablename__ = "account_link"
    __table_args__ = (UniqueConstraint("system", "account_no"), Index("ix_account_link_account_no", "account_no"))

    id: Mapped[int] = mapped_column(primary_key=True)
    system: Mapped[str] = mapped_column(String(16))
    account_no: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    counts_for_assessment: Mapped[bool] = mapped_column(default=True)
    linked_at: Mapped[datetime]
    linked_by: Mapped[str] = mapped_column(String(64))


class CustomerChange(Base):
    """One field of a customer changed by staff (CUS-1): who, when, from what to what."""

    __tablename__ = "customer_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(String(300))
    new_value: Mapped[str | None] = mapped_column(String(300))
    changed_at: Mapped[datetime]
    changed_by: Mapped[str] = mapped_column(String(64))


class RecordKind(enum.StrEnum):
    evaluation = "evaluation"  # 客户评价
    referral = "referral"  # 客户推介记录
    contact = "contact"  # 接触 / 走访记录


class CustomerRecord(Base):
    """An evaluation, referral or contact record of a customer (CUS-5)."""

    __tablename__ = "customer_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RecordKind] = mapped_column(Enum(RecordKind, native_enum=False, length=16))
    record_date: Mapped[date]
    channel: Mapped[str | None] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class TierChange(Base):
    """A customer's VIP tier as recomputed after a load, kept whenever it changes (CUS-7)."""

    __tablename__ = "customer_tier_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    business_date: Mapped[str] = mapped_column(String(8))
    old_tier: Mapped[str | None] = mapped_column(String(16))
    new_tier: Mapped[str | None] = mapped_column(String(16))
    basis: Mapped[Decimal] = mapped_column(Numeric(20, 2))
    """The average assets the rule compared (the tier parameter's measure)."""
    changed_at: Mapped[datetime]


class AccountUnlink(Base):
    """An account staff took off its customer (CUS-2 un-assign): identity resolution leaves it
    unlinked at later loads until staff attach it to a customer again."""

    __tablename__ = "account_unlink"

    system: Mapped[str] = mapped_column(String(16), primary_key=True)
    account_no: Mapped[str] = mapped_column(String(40), primary_key=True)
    former_customer_id: Mapped[int | None]
    unlinked_at: Mapped[datetime]
    unlinked_by: Mapped[str] = mapped_column(String(64))
