"""Response bodies of customers. Sensitive fields use the masking types of ``auth.masking``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from bankcrm.auth.masking import Address, IdNumber, Phone
from bankcrm.customers.models import CustomerType
from bankcrm.exports import Column, ExportIn
from bankcrm.schemas import In, Out, PageNo, PageSize


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


class CustomerDetailOut(CustomerOut):
    address: Address | None


RevealField = Literal["id_no", "phone", "address"]


class RevealIn(In):
    field: RevealField
    purpose: Annotated[str, Field(min_length=2, max_length=200)]


class RevealOut(Out):
    field: RevealField
    value: str | None


class CustomerSearchIn(In):
    q: Annotated[str, Field(max_length=64)] = ""
    page: PageNo = 1
    page_size: PageSize = 20


class CustomerExportIn(ExportIn):
    q: Annotated[str, Field(max_length=64)] = ""


CUSTOMER_COLUMNS = (
    Column("customer_no", "客户号", "Customer no."),
    Column("name", "客户名称", "Name"),
    Column("type", "类型", "Type"),
    Column("id_type", "证件类型", "ID type"),
    Column("id_no", "证件号码", "ID number"),
    Column("phone", "手机号码", "Phone"),
    Column("org_name", "所属机构", "Org"),
)
