"""Response bodies of customers. Sensitive fields use the masking types of ``auth.masking``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, WithJsonSchema, model_serializer, model_validator

from bankcrm.auth.masking import AccountNumber, Address, IdNumber, MaskedAmount, Phone, mask_field_value
from bankcrm.customers.models import CustomerType, RecordKind
from bankcrm.exports import Column, ExportIn
from bankcrm.schemas import (
    Id,
    In,
    Lax,
    Out,
    PageNo,
    PageSize,
    SafeDate,
    UtcDateTime,
    decimal_input,
    document_clean_text,
)


class CustomerOut(Out):
    id: int
    customer_no: str
    type: CustomerType
    name: str
    id_type: str
    id_no: IdNumber
    phone: Phone | None
    org_id: int
    org_name: str
    tier: str | None = None


class CustomerDetailOut(CustomerOut):
    address: Address | None


RevealField = Literal["id_no", "phone", "address"]


class RevealIn(In):
    field: RevealField
    purpose: Annotated[str, Field(min_length=2, max_length=200)]


class RevealOut(Out):
    field: RevealField
    value: str | None


CUSTOMER_COLUMNS = (
    Column("customer_no", "客户号", "Customer no."),
    Column("name", "客户名称", "Name"),
    Column("type", "类型", "Type", labels="customer_type"),
    Column("id_type", "证件类型", "ID type", labels="id_type"),
    Column("id_no", "证件号码", "ID number"),
    Column("phone", "手机号码", "Phone"),
    Column("org_name", "所属机构", "Org"),
    Column("tier", "VIP等级", "VIP tier", labels="tier"),
)


SortField = Literal["customer_no", "name", "org_name", "tier", "updated_at"]


class CustomerFilterIn(In):
    """Structured filters of the customer list: every field is a typed value, never SQL."""

    q: Annotated[str, Field(max_length=64)] = ""
    type: Annotated[CustomerType, Lax] | None = None
    org_id: Id | None = None
    """The org and everything under it."""
    tier: Annotated[str, Field(pattern=r"^(hq_vip|province_vip|branch_vip|none)$")] | None = None
    manager_id: Id | None = None
    mine: bool = False
    """我的客户: only customers the caller manages now."""
    sort: SortField = "customer_no"
    order: Literal["asc", "desc"] = "asc"


class CustomerListIn(CustomerFilterIn):
    page: PageNo = 1
    page_size: PageSize = 20


class CustomerListExportIn(ExportIn, CustomerFilterIn):
    pass


class CustomerProfileOut(CustomerDetailOut):
    tier: str | None
    industry: str | None
    email: Address | None
    source: str | None
    created_at: UtcDateTime
    updated_at: UtcDateTime


class AccountHoldingOut(Out):
    system: str
    account_no: AccountNumber
    kind: str
    product: str | None
    org_code: str | None
    open_on_date: bool | None
    balance: MaskedAmount | None
    mtd_avg: MaskedAmount | None
    qtd_avg: MaskedAmount | None
    ytd_avg: MaskedAmount | None
    currency: str | None
    open_date: date | None
    maturity_date: date | None
    rate: Decimal | None
    term_months: int | None
    amount: MaskedAmount | None
    five_class: str | None
    overdue_days: int | None
    overdue_amount: MaskedAmount | None
    overdraft_amount: MaskedAmount | None
    status: str | None
    counts_for_assessment: bool | None


class TotalsOut(Out):
    as_of: date
    deposits: MaskedAmount
    wealth: MaskedAmount
    aum: MaskedAmount
    loans: MaskedAmount
    card_debt: MaskedAmount
    liabilities: MaskedAmount
    housing_fund: MaskedAmount
    deposits_mtd_avg: MaskedAmount
    deposits_qtd_avg: MaskedAmount
    deposits_ytd_avg: MaskedAmount
    aum_mtd_avg: MaskedAmount
    aum_qtd_avg: MaskedAmount
    aum_ytd_avg: MaskedAmount
    accounts: int


class TrendPointOut(Out):
    business_date: date
    deposits: MaskedAmount
    wealth: MaskedAmount
    loans: MaskedAmount
    card_debt: MaskedAmount
    housing_fund: MaskedAmount


class MixOut(Out):
    kind: str
    product: str
    balance: MaskedAmount


class ManagerOut(Out):
    id: int
    user_id: int
    username: str
    display_name: str
    share: Decimal
    start_date: date
    end_date: date | None


class RecordOut(Out):
    id: int
    kind: RecordKind
    record_date: date
    channel: str | None
    content: str
    outcome: str | None
    created_at: UtcDateTime
    created_by: str


class ChangeOut(Out):
    field: str
    old_value: str | None
    new_value: str | None
    changed_at: UtcDateTime
    changed_by: str

    @model_serializer(mode="wrap")
    def _mask(self, handler: Any) -> Any:
        data = handler(self)
        data["old_value"] = mask_field_value(self.field, self.old_value)
        data["new_value"] = mask_field_value(self.field, self.new_value)
        return data


class TierChangeOut(Out):
    business_date: str
    old_tier: str | None
    new_tier: str | None
    basis: MaskedAmount
    changed_at: UtcDateTime


class Customer360Out(Out):
    profile: CustomerProfileOut
    totals: TotalsOut | None
    accounts: list[AccountHoldingOut]
    trend: list[TrendPointOut]
    mix: list[MixOut]
    managers: list[ManagerOut]
    records: list[RecordOut]
    changes: list[ChangeOut]
    tiers: list[TierChangeOut]


class TransactionOut(Out):
    system: str
    account_no: AccountNumber
    txn_id: str
    txn_date: date
    txn_time: str | None
    dc: str
    amount: MaskedAmount
    balance_after: MaskedAmount | None
    channel: str | None
    memo: str | None


Text200 = Annotated[str, Field(max_length=200)]


class CustomerUpdateIn(In):
    """Only the fields sent change; an empty string clears an optional field."""

    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    id_type: Annotated[str, Field(pattern=r"^[0-9]{3}$")] | None = None
    id_no: Annotated[IdNumber, Field(pattern=r"^[0-9A-Za-z]{6,32}$")] | None = None
    phone: Annotated[Phone, Field(max_length=20)] | None = None
    address: Annotated[Address, Field(max_length=300)] | None = None
    email: Annotated[str, Field(max_length=100)] | None = None
    industry: Annotated[str, Field(max_length=8)] | None = None


class RecordIn(In):
    kind: Annotated[RecordKind, Lax]
    record_date: SafeDate
    channel: Annotated[str, Field(pattern=r"^[A-Z_]{2,16}$")] | None = None
    content: Annotated[str, Field(min_length=2, max_length=2000)]
    outcome: Text200 | None = None


# A share as text: 0.01 .. 100 with at most two decimals.
SHARE_TEXT = r"^(100(\.0{1,2})?|[1-9][0-9]?(\.[0-9]{1,2})?|0\.(0[1-9]|[1-9][0-9]?))$"


class ManagerShareIn(In):
    user_id: Id
    share: Annotated[
        Decimal,
        Lax,
        decimal_input(SHARE_TEXT),
        Field(gt=0, le=100, max_digits=5, decimal_places=2),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "number", "exclusiveMinimum": 0, "maximum": 100, "multipleOf": 0.01},
                    {"type": "string", "pattern": SHARE_TEXT},
                ]
            }
        ),
    ]


class ManagersIn(In):
    # At least one: an empty list would silently end the current managers (a customer is never left
    # without one by a replace; ending an assignment is done by assigning someone else).
    managers: Annotated[list[ManagerShareIn], Field(min_length=1, max_length=10)]
    start_date: SafeDate


class TransferBookIn(In):
    from_user_id: Id
    to_user_id: Id
    start_date: SafeDate


class TransferBookOut(Out):
    customers: int


class ManagerCandidateOut(Out):
    id: int
    username: str
    display_name: str
    org_name: str


def _one_way_schema(schema: dict[str, Any]) -> None:
    """The document says what ``AccountRefIn._one_way`` checks: a ref, or a system and a number."""
    document_clean_text(schema)
    schema["oneOf"] = [
        {"required": ["ref"], "properties": {"ref": {"type": "string"}}},
        {
            "required": ["system", "account_no"],
            "properties": {"system": {"type": "string"}, "account_no": {"type": "string"}},
        },
    ]


class AccountRefIn(In):
    """An account by system and number, or by the opaque ``ref`` a linked query handed out (for
    users who see only the masked number)."""

    model_config = ConfigDict(json_schema_extra=lambda schema: _one_way_schema(schema))

    system: Annotated[str, Field(pattern=r"^(sav|corp|crd|pl|card|wm|hpf)$")] | None = None
    account_no: Annotated[AccountNumber, Field(pattern=r"^[0-9A-Za-z_-]{1,40}$")] | None = None
    ref: Annotated[str, Field(pattern=r"^[A-Za-z0-9_=-]{20,400}$")] | None = None

    @model_validator(mode="after")
    def _one_way(self) -> AccountRefIn:
        if (self.ref is None) == (self.system is None or self.account_no is None):
            raise ValueError("give either ref, or system and account_no")
        return self


class LinkIn(In):
    accounts: Annotated[list[AccountRefIn], Field(min_length=1, max_length=50)]
    counts_for_assessment: bool = True
    """True: the account counts for the customer's (and managers') assessment; false: watch only."""
    move: bool = False
    """Move accounts now linked to another customer of the caller's scope (otherwise refused)."""


class UnlinkIn(In):
    accounts: Annotated[list[AccountRefIn], Field(min_length=1, max_length=50)]


class LinkOut(Out):
    accounts: int


class CustomerCreateIn(In):
    type: Annotated[CustomerType, Lax]
    org_id: Id
    name: Annotated[str, Field(min_length=1, max_length=200)]
    id_type: Annotated[str, Field(pattern=r"^[0-9]{3}$")]
    id_no: Annotated[IdNumber, Field(pattern=r"^[0-9A-Za-z]{6,32}$")]
    phone: Annotated[Phone, Field(max_length=20)] | None = None
    address: Annotated[Address, Field(max_length=300)] | None = None
    email: Annotated[str, Field(max_length=100)] | None = None
    industry: Annotated[str, Field(max_length=8)] | None = None
    accounts: Annotated[list[AccountRefIn], Field(max_length=50)] = []
    counts_for_assessment: bool = True
    move: bool = False
