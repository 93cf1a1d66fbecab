"""Linked queries (QRY-1..QRY-4): every condition is a typed field, combined with AND; nothing typed
by a user becomes SQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, WithJsonSchema, model_validator

from bankcrm.auth.masking import AccountNumber, IdNumber, MaskedAmount
from bankcrm.exports import Column, ExportIn
from bankcrm.schemas import Id, In, Lax, Out, PageNo, PageSize, SafeDate, decimal_input, inconsistent

PersonalSystem = Literal["sav", "card", "hpf", "pl"]
AMOUNT_TEXT = r"^-?[0-9]{1,15}(\.[0-9]{1,2})?$"
Amount = Annotated[
    Decimal,
    Lax,
    decimal_input(AMOUNT_TEXT),
    Field(ge=-(10**15), le=10**15, max_digits=20, decimal_places=2),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": -(10**15), "maximum": 10**15, "multipleOf": 0.01},
                {"type": "string", "pattern": AMOUNT_TEXT},
            ]
        }
    ),
]
Code = Annotated[str, Field(pattern=r"^[A-Z0-9_]{1,16}$")]
AccountSort = Literal["balance", "mtd_avg", "open_date", "maturity_date", "customer_no", "account_no"]


class _Ranges(In):
    org_id: Id | None = None
    """The org and everything under it (within the caller's scope)."""
    open_from: SafeDate | None = None
    open_to: SafeDate | None = None
    balance_min: Amount | None = None
    balance_max: Amount | None = None

    @model_validator(mode="after")
    def _ordered(self) -> _Ranges:
        if self.open_from and self.open_to and self.open_from > self.open_to:
            raise inconsistent("open_from is after open_to")
        if self.balance_min is not None and self.balance_max is not None and self.balance_min > self.balance_max:
            raise inconsistent("balance_min is above balance_max")
        return self


class PersonalQueryIn(_Ranges):
    """QRY-1: personal accounts across savings, cards, housing fund and personal loans."""

    systems: Annotated[list[PersonalSystem], Field(min_length=1, max_length=4)] = ["sav", "card", "hpf", "pl"]
    name: Annotated[str, Field(max_length=50)] = ""
    """Customer name contains."""
    id_no: Annotated[IdNumber, Field(pattern=r"^[0-9Xx]{15,18}$")] | None = None
    account_no: Annotated[AccountNumber, Field(pattern=r"^[0-9A-Za-z]{6,40}$")] | None = None
    products: Annotated[list[Code], Field(max_length=20)] = []
    maturity_from: SafeDate | None = None
    maturity_to: SafeDate | None = None
    overdue_only: bool = False
    five_class: Annotated[list[Literal["1", "2", "3", "4", "5"]], Field(max_length=5)] = []
    sort: AccountSort = "balance"
    order: Literal["asc", "desc"] = "desc"


class PassbookQueryIn(_Ranges):
    """QRY-2: fixed-term passbooks (定期一折通) by org, open date and balance range."""

    sort: AccountSort = "balance"
    order: Literal["asc", "desc"] = "desc"


class CorporateQueryIn(_Ranges):
    """QRY-3: corporate accounts and credit by name, business type + account number, open date."""

    name: Annotated[str, Field(max_length=100)] = ""
    product: Code | None = None
    """Business type: CORP_DEMAND, CORP_FIXED (accounting) or CORP_LOAN (credit)."""
    account_no: Annotated[AccountNumber, Field(pattern=r"^[0-9A-Za-z]{6,40}$")] | None = None
    sort: AccountSort = "balance"
    order: Literal["asc", "desc"] = "desc"


class PageIn(In):
    page: PageNo = 1
    page_size: PageSize = 20


class PersonalQueryPageIn(PersonalQueryIn, PageIn):
    pass


class PassbookQueryPageIn(PassbookQueryIn, PageIn):
    pass


class CorporateQueryPageIn(CorporateQueryIn, PageIn):
    pass


class PersonalQueryExportIn(PersonalQueryIn, ExportIn):
    pass


class PassbookQueryExportIn(PassbookQueryIn, ExportIn):
    pass


class CorporateQueryExportIn(CorporateQueryIn, ExportIn):
    pass


class AccountRowOut(Out):
    system: str
    account_no: AccountNumber
    ref: str
    """An opaque reference to the account, valid for a working day: what linking sends back."""
    kind: str
    customer_id: int | None
    customer_no: str | None
    customer_name: str | None
    product: str | None
    org_code: str | None
    balance: MaskedAmount | None
    mtd_avg: MaskedAmount | None
    open_date: date | None
    maturity_date: date | None
    rate: Decimal | None
    amount: MaskedAmount | None
    five_class: str | None
    overdue_days: int | None
    status: str | None
    as_of: date


ACCOUNT_COLUMNS = (  # the screen's columns, in its order (web AccountResults.ACCOUNT_COLUMNS)
    Column("system", "系统", "System", labels="system"),
    Column("account_no", "账号/卡号", "Account / card no."),
    Column("customer_no", "客户号", "Customer no."),
    Column("customer_name", "客户名称", "Customer"),
    Column("product", "产品", "Product", labels="product"),
    Column("balance", "余额（元）", "Balance (yuan)", kind="amount"),
    Column("mtd_avg", "月日均（元）", "Month-to-date average (yuan)", kind="amount"),
    Column("open_date", "开户日", "Opened", kind="date"),
    Column("maturity_date", "到期日", "Maturity", kind="date"),
    Column("rate", "利率", "Rate", kind="rate"),
    Column("amount", "金额/额度（元）", "Amount / limit (yuan)", kind="amount"),
    Column("five_class", "五级分类", "Class", labels="five_class"),
    Column("overdue_days", "逾期天数", "Days overdue", kind="number"),
    Column("status", "状态", "Status", labels="status"),
    Column("org_code", "源系统机构", "Source org"),
    Column("as_of", "数据日期", "As of", kind="date"),
)


class TopQueryIn(In):
    """QRY-4: the top-N corporate customers of an org (对公十大客户)."""

    org_id: Id | None = None
    by: Literal["deposits", "loans", "npl"] = "deposits"
    n: Annotated[int, Field(ge=1, le=100)] = 10


class TopQueryExportIn(TopQueryIn, ExportIn):
    pass


class TopRowOut(Out):
    rank: int
    customer_id: int
    customer_no: str
    name: str
    org_name: str
    deposits: MaskedAmount
    loans: MaskedAmount
    npl: MaskedAmount
    """Loans classed 次级/可疑/损失 (classes 3, 4, 5)."""


TOP_COLUMNS = (
    Column("rank", "排名", "Rank", kind="number"),
    Column("customer_no", "客户号", "Customer no."),
    Column("name", "客户名称", "Customer"),
    Column("org_name", "所属机构", "Org"),
    Column("deposits", "存款余额（元）", "Deposits (yuan)", kind="amount"),
    Column("loans", "贷款余额（元）", "Loans (yuan)", kind="amount"),
    Column("npl", "不良贷款余额（元）", "Non-performing loans (yuan)", kind="amount"),
)
