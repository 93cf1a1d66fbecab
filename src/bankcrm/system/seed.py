"""Reference data every installation needs: built-in roles and code tables (idempotent)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bankcrm.auth.models import Role, RolePermission
from bankcrm.auth.permissions import BUILTIN_ROLES
from bankcrm.system.models import CodeItem, CodeTable

CODE_TABLES: dict[str, tuple[str, str, list[tuple[str, str, str]]]] = {
    "currency": (
        "币种",
        "Currencies",
        [
            ("CNY", "人民币", "Chinese yuan"),
            ("USD", "美元", "US dollar"),
            ("EUR", "欧元", "Euro"),
            ("HKD", "港币", "Hong Kong dollar"),
            ("JPY", "日元", "Japanese yen"),
            ("GBP", "英镑", "Pound sterling"),
        ],
    ),
    "id_type": (
        "证件类型",
        "ID types",
        [
            ("101", "居民身份证", "Resident identity card"),
            ("102", "临时居民身份证", "Temporary resident card"),
            ("103", "户口簿", "Household register"),
            ("104", "军官证", "Military officer card"),
            ("105", "港澳居民来往内地通行证", "Mainland travel permit (HK/Macao)"),
            ("106", "台湾居民来往大陆通行证", "Mainland travel permit (Taiwan)"),
            ("107", "护照", "Passport"),
            ("108", "外国人永久居留身份证", "Foreign permanent resident card"),
            ("201", "统一社会信用代码", "Unified social credit code"),
            ("202", "组织机构代码", "Organization code"),
            ("203", "营业执照", "Business licence"),
        ],
    ),
    "industry": (
        "行业（GB/T 4754）",
        "Industries (GB/T 4754)",
        [
            ("A", "农、林、牧、渔业", "Agriculture, forestry, animal husbandry and fishery"),
            ("B", "采矿业", "Mining"),
            ("C", "制造业", "Manufacturing"),
            ("D", "电力、热力、燃气及水生产和供应业", "Electricity, heat, gas and water"),
            ("E", "建筑业", "Construction"),
            ("F", "批发和零售业", "Wholesale and retail trade"),
            ("G", "交通运输、仓储和邮政业", "Transport, storage and post"),
            ("H", "住宿和餐饮业", "Accommodation and catering"),
            ("I", "信息传输、软件和信息技术服务业", "Information technology services"),
            ("J", "金融业", "Finance"),
            ("K", "房地产业", "Real estate"),
            ("L", "租赁和商务服务业", "Leasing and business services"),
            ("M", "科学研究和技术服务业", "Scientific research and technical services"),
            ("N", "水利、环境和公共设施管理业", "Water, environment and public facilities"),
            ("O", "居民服务、修理和其他服务业", "Resident services and repair"),
            ("P", "教育", "Education"),
            ("Q", "卫生和社会工作", "Health and social work"),
            ("R", "文化、体育和娱乐业", "Culture, sports and entertainment"),
            ("S", "公共管理、社会保障和社会组织", "Public administration and social organisations"),
            ("T", "国际组织", "International organisations"),
        ],
    ),
    "channel": (
        "渠道",
        "Channels",
        [
            ("COUNTER", "柜面", "Counter"),
            ("ATM", "自动柜员机", "ATM"),
            ("POS", "销售终端", "POS"),
            ("MOBILE", "手机银行", "Mobile banking"),
            ("INTERNET", "网上银行", "Internet banking"),
            ("PHONE", "电话银行", "Phone banking"),
            ("SELF", "自助终端", "Self-service terminal"),
            ("THIRD", "第三方支付", "Third-party payment"),
        ],
    ),
    "product": (
        "产品",
        "Products",
        [
            ("SAV_DEMAND", "活期储蓄", "Demand savings"),
            ("SAV_FIXED", "整存整取定期", "Fixed-term deposit"),
            ("SAV_YZT", "定期一折通", "Fixed-term passbook (Yizhetong)"),
            ("SAV_NOTICE", "通知存款", "Call deposit"),
            ("CORP_DEMAND", "单位活期存款", "Corporate demand deposit"),
            ("CORP_FIXED", "单位定期存款", "Corporate fixed deposit"),
            ("CORP_LOAN", "对公贷款", "Corporate loan"),
            ("MORTGAGE", "个人住房贷款", "Personal mortgage"),
            ("CONSUMER_LOAN", "个人消费贷款", "Consumer loan"),
            ("CREDIT_CARD", "信用卡", "Credit card"),
            ("DEBIT_CARD", "借记卡", "Debit card"),
            ("WEALTH", "理财产品", "Wealth-management product"),
            ("FUND", "基金", "Mutual fund"),
            ("HPF", "住房公积金", "Housing provident fund"),
        ],
    ),
}


def ensure_builtin_roles(db: Session) -> None:
    existing = {r.code: r for r in db.scalars(select(Role).where(Role.builtin.is_(True)))}
    for b in BUILTIN_ROLES:
        role = existing.get(b.code)
        if role is None:
            role = Role(code=b.code, name=b.name, name_en=b.name_en, data_scope=b.data_scope, builtin=True)
            db.add(role)
        role.name, role.name_en, role.data_scope = b.name, b.name_en, b.data_scope
        if role.codes != set(b.codes):
            role.permissions = [RolePermission(code=c) for c in sorted(b.codes)]
    db.flush()


def ensure_code_tables(db: Session) -> None:
    for code, (name_zh, name_en, items) in CODE_TABLES.items():
        if db.get(CodeTable, code) is None:
            db.add(CodeTable(code=code, name_zh=name_zh, name_en=name_en))
            db.flush()
        for i, (item_code, zh, en) in enumerate(items):
            if db.get(CodeItem, (code, item_code)) is None:
                db.add(CodeItem(table_code=code, code=item_code, label_zh=zh, label_en=en, sort=i * 10))
    db.flush()


def bootstrap(db: Session) -> None:
    ensure_builtin_roles(db)
    ensure_code_tables(db)
