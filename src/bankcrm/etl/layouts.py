"""The layouts of the files the core systems send (ETL-1, ETL-5): one source of truth.

The generator writes these layouts, the loader validates against them, and ``docs/feeds.md`` is
generated from them (``bankcrm feeds doc``), so the three can never disagree.

File names: ``<system>_<feed>_<YYYYMMDD>.<ext>``, plus a control file ``<same stem>.ctl`` holding one
line ``file name|row count|amount total|business date`` (UTF-8, the amount with two decimals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bankcrm.auth.masking import FieldKind

FieldType = Literal["str", "int", "decimal", "date", "code"]
Check = Literal["id_no", "uscc", "mobile"]


@dataclass(frozen=True)
class Column:
    name: str
    type: FieldType
    zh: str
    en: str
    required: bool = True
    max_length: int | None = None
    codes: tuple[str, ...] = ()
    """Allowed values for ``code`` columns."""
    check: Check | None = None
    """``id_no``: checked against the row's ``id_type`` (resident IDs by checksum, 15 digits upgraded);
    ``uscc``: unified social credit code checksum; ``mobile``: 11-digit mobile number."""
    non_negative: bool = False
    allow_tab: bool = False
    """A tab inside the field is data (never in a tab-delimited feed); otherwise it is refused as a
    control character."""


@dataclass(frozen=True)
class Feed:
    system: str
    name: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    amount: str | None
    """The column whose total the control record carries (row count only when None)."""
    encoding: Literal["utf-8", "gbk"] = "utf-8"
    delimiter: str = "|"
    header: bool = False
    quote: str = ""
    """The character that may enclose a field (a doubled one inside stands for itself); empty: none,
    every character is data."""
    date_format: str = "%Y%m%d"
    """How ``date`` fields are written (``strptime`` directives); stored as dates whatever it is."""
    ext: str = "txt"
    per_day: Literal["snapshot", "events"] = "snapshot"
    """``snapshot``: the full state on that date (accounts, loans); ``events``: that day's rows only."""

    @property
    def code(self) -> str:
        return f"{self.system}_{self.name}"

    def file_name(self, business_date: str) -> str:
        return f"{self.code}_{business_date}.{self.ext}"

    def control_name(self, business_date: str) -> str:
        return f"{self.code}_{business_date}.ctl"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


SYSTEMS: dict[str, tuple[str, str]] = {
    "cif": ("客户信息系统", "Customer information (CIF)"),
    "sav": ("储蓄系统", "Savings"),
    "corp": ("对公会计系统", "Corporate accounting"),
    "crd": ("对公信贷系统", "Corporate credit"),
    "pl": ("个人贷款系统", "Personal loans"),
    "card": ("信用卡系统", "Credit cards"),
    "wm": ("理财与基金系统", "Wealth management and funds"),
    "hpf": ("住房公积金系统", "Housing provident fund"),
}

PERSONAL_ID_TYPES = ("101", "102", "103", "104", "105", "106", "107", "108")
CORPORATE_ID_TYPES = ("201", "202", "203")
ID_TYPES = PERSONAL_ID_TYPES + CORPORATE_ID_TYPES
CURRENCIES = ("CNY", "USD", "EUR", "HKD", "JPY", "GBP")
CHANNELS = ("COUNTER", "ATM", "POS", "MOBILE", "INTERNET", "PHONE", "SELF", "THIRD")
FIVE_CLASS = ("1", "2", "3", "4", "5")  # 正常 关注 次级 可疑 损失
ACCOUNT_STATUS = ("A", "D", "F", "C")  # active, dormant, frozen, closed
INDUSTRIES = tuple("ABCDEFGHIJKLMNOPQRST")


def _c(name: str, type_: FieldType, zh: str, en: str, **kw: object) -> Column:
    return Column(name, type_, zh, en, **kw)  # type: ignore[arg-type]


def _holder(id_types: tuple[str, ...] = ID_TYPES) -> tuple[Column, ...]:
    """How every account feed names its holder: the source system's own customer number plus the
    identity document, which is what identity resolution links on."""
    return (
        _c("cust_id", "str", "源系统客户号", "Source customer number", max_length=32),
        _c("id_type", "code", "证件类型", "ID type", codes=id_types),
        _c("id_no", "str", "证件号码", "ID number", max_length=32, check="id_no"),
        _c("cust_name", "str", "客户名称", "Customer name", max_length=200),
    )


ORG = _c("org_code", "str", "源系统机构号", "Source org code", max_length=16)
OVERDUE = (
    _c("overdue_days", "int", "逾期天数", "Days overdue", non_negative=True),
    _c("overdue_amount", "decimal", "逾期金额", "Amount overdue", non_negative=True),
)
FIVE_CLASS_COLUMN = _c("five_class", "code", "五级分类", "Class (1 正常 2 关注 3 次级 4 可疑 5 损失)", codes=FIVE_CLASS)

TXN_COLUMNS = (
    _c("txn_id", "str", "交易流水号", "Transaction id", max_length=40),
    _c("account_no", "str", "账号", "Account number", max_length=32),
    _c("txn_date", "date", "交易日期", "Transaction date"),
    _c("txn_time", "str", "交易时间", "Time (HHMMSS)", max_length=6),
    _c("dc", "code", "借贷标志", "Debit/credit", codes=("D", "C")),
    _c("amount", "decimal", "交易金额", "Amount", non_negative=True),
    _c("balance_after", "decimal", "交易后余额", "Balance after"),
    _c("channel", "code", "渠道", "Channel", codes=CHANNELS),
    _c("memo", "str", "摘要", "Memo", required=False, max_length=100),
)

FEEDS: tuple[Feed, ...] = (
    Feed(
        "cif",
        "customer",
        "客户信息",
        "Customer master",
        (
            _c("cust_id", "str", "客户号", "Customer number", max_length=32),
            _c("cust_type", "code", "客户类型", "Customer type (1 personal, 2 corporate)", codes=("1", "2")),
            _c("name", "str", "客户名称", "Name", max_length=200),
            _c("id_type", "code", "证件类型", "ID type", codes=ID_TYPES),
            _c("id_no", "str", "证件号码", "ID number", max_length=32, check="id_no"),
            _c("gender", "code", "性别", "Gender", required=False, codes=("M", "F")),
            _c("birth_date", "date", "出生日期", "Birth date", required=False),
            _c("phone", "str", "手机号码", "Mobile phone", required=False, max_length=20, check="mobile"),
            _c("address", "str", "地址", "Address", required=False, max_length=300),
            _c("industry", "code", "行业", "Industry (corporate)", required=False, codes=INDUSTRIES),
            ORG,
            _c("open_date", "date", "开户日期", "Customer since"),
        ),
        key=("cust_id",),
        amount=None,
        encoding="gbk",
        delimiter="|",
        header=False,
        ext="dat",
    ),
    Feed(
        "sav",
        "account",
        "储蓄账户（活期、定期、定期一折通）",
        "Savings accounts (demand, fixed, passbook)",
        (
            _c("account_no", "str", "账号", "Account number", max_length=32),
            *_holder(PERSONAL_ID_TYPES),
            _c("product", "code", "产品", "Product", codes=("SAV_DEMAND", "SAV_FIXED", "SAV_YZT", "SAV_NOTICE")),
            _c("currency", "code", "币种", "Currency", codes=CURRENCIES),
            ORG,
            _c("open_date", "date", "开户日期", "Open date"),
            _c("maturity_date", "date", "到期日", "Maturity date (fixed-term)", required=False),
            _c("term_months", "int", "存期（月）", "Term (months)", required=False, non_negative=True),
            _c("rate", "decimal", "利率（%）", "Rate (% a year)", non_negative=True),
            _c("balance", "decimal", "余额", "Balance", non_negative=True),
            _c("status", "code", "状态", "Status (A active, D dormant, F frozen, C closed)", codes=ACCOUNT_STATUS),
        ),
        key=("account_no",),
        amount="balance",
        encoding="gbk",
        delimiter="|",
        header=False,
        ext="dat",
    ),
    Feed(
        "sav",
        "txn",
        "储蓄交易流水",
        "Savings transactions",
        TXN_COLUMNS,
        key=("txn_id",),
        amount="amount",
        encoding="gbk",
        delimiter="|",
        header=False,
        ext="dat",
        per_day="events",
    ),
    Feed(
        "corp",
        "account",
        "对公存款账户",
        "Corporate deposit accounts",
        (
            _c("account_no", "str", "账号", "Account number", max_length=32),
            *_holder(CORPORATE_ID_TYPES),
            _c("product", "code", "产品", "Product", codes=("CORP_DEMAND", "CORP_FIXED")),
            _c("currency", "code", "币种", "Currency", codes=CURRENCIES),
            ORG,
            _c("open_date", "date", "开户日期", "Open date"),
            _c("maturity_date", "date", "到期日", "Maturity date (fixed)", required=False),
            _c("rate", "decimal", "利率（%）", "Rate (% a year)", non_negative=True),
            _c("balance", "decimal", "余额", "Balance", non_negative=True),
            _c("status", "code", "状态", "Status", codes=ACCOUNT_STATUS),
        ),
        key=("account_no",),
        amount="balance",
        encoding="gbk",
        delimiter="|",
        header=False,
        ext="dat",
    ),
    Feed(
        "corp",
        "txn",
        "对公交易流水",
        "Corporate transactions",
        TXN_COLUMNS,
        key=("txn_id",),
        amount="amount",
        encoding="gbk",
        delimiter="|",
        header=False,
        ext="dat",
        per_day="events",
    ),
    Feed(
        "crd",
        "loan",
        "对公贷款（含五级分类）",
        "Corporate loans (five-category class)",
        (
            _c("contract_no", "str", "合同号", "Contract number", max_length=32),
            *_holder(CORPORATE_ID_TYPES),
            _c("product", "code", "产品", "Product", codes=("CORP_LOAN",)),
            ORG,
            _c("start_date", "date", "起始日", "Start date"),
            _c("maturity_date", "date", "到期日", "Maturity date"),
            _c("contract_amount", "decimal", "合同金额", "Contract amount", non_negative=True),
            _c("balance", "decimal", "贷款余额", "Outstanding balance", non_negative=True),
            _c("rate", "decimal", "利率（%）", "Rate (% a year)", non_negative=True),
            FIVE_CLASS_COLUMN,
            *OVERDUE,
        ),
        key=("contract_no",),
        amount="balance",
        encoding="utf-8",
        delimiter="|",
        header=True,
    ),
    Feed(
        "pl",
        "loan",
        "个人贷款",
        "Personal loans",
        (
            _c("loan_no", "str", "借据号", "Loan number", max_length=32),
            *_holder(PERSONAL_ID_TYPES),
            _c("product", "code", "产品", "Product", codes=("MORTGAGE", "CONSUMER_LOAN")),
            ORG,
            _c("start_date", "date", "发放日", "Start date"),
            _c("maturity_date", "date", "到期日", "Maturity date"),
            _c("loan_amount", "decimal", "贷款金额", "Loan amount", non_negative=True),
            _c("balance", "decimal", "贷款余额", "Outstanding balance", non_negative=True),
            _c("rate", "decimal", "利率（%）", "Rate (% a year)", non_negative=True),
            FIVE_CLASS_COLUMN,
            *OVERDUE,
        ),
        key=("loan_no",),
        amount="balance",
        encoding="utf-8",
        delimiter=",",
        header=True,
        ext="csv",
    ),
    Feed(
        "card",
        "account",
        "信用卡账户",
        "Credit card accounts",
        (
            _c("card_no", "str", "卡号", "Card number", max_length=19),
            *_holder(PERSONAL_ID_TYPES),
            ORG,
            _c("open_date", "date", "开卡日期", "Open date"),
            _c("credit_limit", "decimal", "信用额度", "Credit limit", non_negative=True),
            _c("balance", "decimal", "欠款余额", "Balance owed", non_negative=True),
            _c("overdraft_amount", "decimal", "超限金额", "Amount over the limit", non_negative=True),
            *OVERDUE,
            _c("status", "code", "状态", "Status", codes=ACCOUNT_STATUS),
        ),
        key=("card_no",),
        amount="balance",
        encoding="utf-8",
        delimiter=",",
        header=True,
        ext="csv",
    ),
    Feed(
        "card",
        "txn",
        "信用卡交易流水",
        "Card transactions",
        tuple(
            _c("card_no", "str", "卡号", "Card number", max_length=19) if c.name == "account_no" else c
            for c in TXN_COLUMNS
        ),
        key=("txn_id",),
        amount="amount",
        encoding="utf-8",
        delimiter=",",
        header=True,
        ext="csv",
        per_day="events",
    ),
    Feed(
        "wm",
        "holding",
        "理财与基金持有",
        "Wealth and fund holdings",
        (
            _c("holding_id", "str", "持仓编号", "Holding id", max_length=32),
            *_holder(),
            _c("product_code", "str", "产品代码", "Product code", max_length=20),
            _c("product_type", "code", "产品类型", "Product type", codes=("WEALTH", "FUND")),
            ORG,
            _c("buy_date", "date", "购买日", "Purchase date"),
            _c("maturity_date", "date", "到期日", "Maturity date (wealth products)", required=False),
            _c("amount", "decimal", "持有金额", "Amount held", non_negative=True),
            _c("expected_yield", "decimal", "预期收益率（%）", "Expected yield (%)", required=False),
        ),
        key=("holding_id",),
        amount="amount",
        encoding="utf-8",
        delimiter="\t",
        header=True,
    ),
    Feed(
        "hpf",
        "account",
        "住房公积金账户",
        "Housing provident fund accounts",
        (
            _c("hpf_account_no", "str", "公积金账号", "Fund account number", max_length=32),
            *_holder(PERSONAL_ID_TYPES),
            _c("employer_name", "str", "单位名称", "Employer", max_length=200),
            ORG,
            _c("open_date", "date", "开户日期", "Open date"),
            _c("balance", "decimal", "余额", "Balance", non_negative=True),
            _c("monthly_deposit", "decimal", "月缴存额", "Monthly contribution", non_negative=True),
            _c("status", "code", "状态", "Status", codes=ACCOUNT_STATUS),
        ),
        key=("hpf_account_no",),
        amount="balance",
        encoding="gbk",
        delimiter=",",
        header=False,
    ),
    *(
        Feed(
            system,
            "org",
            "源系统机构代码",
            "Source org codes",
            (
                _c("org_code", "str", "机构号", "Org code", max_length=16),
                _c("org_name", "str", "机构名称", "Org name", max_length=100),
                _c("parent_code", "str", "上级机构号", "Parent org code", required=False, max_length=16),
            ),
            key=("org_code",),
            amount=None,
            encoding="utf-8",
            delimiter="|",
            header=True,
        )
        for system in SYSTEMS
    ),
)

BY_CODE: dict[str, Feed] = {f.code: f for f in FEEDS}

# How the layouts' fields are classified wherever their values are shown (the reject viewer): the
# masking types of the API (JR/T 0171 C2), values known to carry no personal information, and the rest
# of a personal layout (free text, values that fail their column's format) masked conservatively.
SENSITIVE_COLUMNS: dict[str, FieldKind] = {
    "id_no": FieldKind.id_number,
    "phone": FieldKind.phone,
    "address": FieldKind.address,
    "account_no": FieldKind.account_number,
    "card_no": FieldKind.account_number,
    "hpf_account_no": FieldKind.account_number,
    "holding_id": FieldKind.account_number,
    "contract_no": FieldKind.account_number,
    "loan_no": FieldKind.account_number,
}
PLAIN_COLUMNS = frozenset(
    {"cust_id", "name", "cust_name", "org_code", "org_name", "parent_code", "product_code", "txn_id", "txn_time"}
)
"""Text columns shown as the API shows them (names, source codes); typed columns are plain when their
value has the column's format."""


def personal(feed: Feed) -> bool:
    """Layouts carrying personal information (every feed but the org code lists)."""
    return feed.name != "org"


def feed(code: str) -> Feed:
    return BY_CODE[code]


def control_line(file_name: str, rows: int, amount_total: str, business_date: str) -> str:
    return f"{file_name}|{rows}|{amount_total}|{business_date}\n"


@dataclass(frozen=True)
class ControlRecord:
    file_name: str
    rows: int
    amount_total: str
    business_date: str
    extra: dict[str, str] = field(default_factory=dict)
