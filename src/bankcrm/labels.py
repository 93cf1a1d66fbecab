"""The one place the server turns codes into labels (exports): the same texts as the web's
``lib/labels`` (``common:labels.*`` and the query screens), and the administrators' code tables
(``system``: products, ID types, industries, channels) where a code has one. An unknown code is
written as it came, never dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

Pair = tuple[str, str]

FIXED: dict[str, dict[str, Pair]] = {
    "system": {
        "cif": ("客户信息系统", "Customer information (CIF)"),
        "sav": ("储蓄", "Savings"),
        "corp": ("对公存款", "Corporate deposits"),
        "crd": ("对公信贷", "Corporate credit"),
        "pl": ("个人贷款", "Personal loans"),
        "card": ("信用卡", "Credit cards"),
        "wm": ("理财与基金", "Wealth management"),
        "hpf": ("公积金", "Housing fund"),
    },
    "status": {"A": ("正常", "Active"), "D": ("睡眠", "Dormant"), "F": ("冻结", "Frozen"), "C": ("销户", "Closed")},
    "five_class": {
        "1": ("正常", "Pass"),
        "2": ("关注", "Special mention"),
        "3": ("次级", "Substandard"),
        "4": ("可疑", "Doubtful"),
        "5": ("损失", "Loss"),
    },
    "kind": {
        "deposit": ("存款", "Deposit"),
        "loan": ("贷款", "Loan"),
        "card_debt": ("信用卡欠款", "Card debt"),
        "wealth": ("理财", "Wealth"),
        "housing_fund": ("公积金", "Housing fund"),
    },
    "currency": {
        "CNY": ("人民币", "CNY (yuan)"),
        "USD": ("美元", "USD"),
        "EUR": ("欧元", "EUR"),
        "HKD": ("港元", "HKD"),
        "JPY": ("日元", "JPY"),
        "GBP": ("英镑", "GBP"),
    },
    "customer_type": {"personal": ("个人", "Personal"), "corporate": ("对公", "Corporate")},
    "tier": {
        "hq_vip": ("总行级VIP", "HQ VIP"),
        "province_vip": ("省行级VIP", "Provincial VIP"),
        "branch_vip": ("支行级VIP", "Branch VIP"),
        "none": ("非VIP", "Not VIP"),
    },
    "actor": {"system": ("系统（自动任务）", "System (scheduled job)")},
}
CODE_TABLES = ("product", "id_type", "industry", "channel")
"""Groups whose labels come from the code tables the administrators keep."""


def labeler(db: Session, lang: str) -> Callable[[str, object], object]:
    """``label(group, code)`` in ``lang``; code tables are read once per export."""
    from bankcrm.system.models import CodeItem

    zh = lang == "zh-CN"
    tables: dict[str, dict[str, Pair]] = {}

    def table(group: str) -> dict[str, Pair]:
        if group not in tables:
            if group in CODE_TABLES:
                items = db.execute(
                    select(CodeItem.code, CodeItem.label_zh, CodeItem.label_en).where(CodeItem.table_code == group)
                ).all()
                tables[group] = {code: (lz, le or lz) for code, lz, le in items}
            else:
                tables[group] = FIXED.get(group, {})
        return tables[group]

    def label(group: str, code: object) -> object:
        if not isinstance(code, str) or code == "":
            return code
        pair = table(group).get(code.strip())
        return code if pair is None else (pair[0] if zh else pair[1])

    return label
