"""Row validation as SQL expressions generated from the layouts (ETL-2), evaluated by the engine
over whole columns: no Python loop per row. Identifiers come from the layouts (code), never from
user input; the only literals are the layouts' own code lists, quoted here.

Every expression is written for DuckDB; the PostgreSQL port maps the few functions that differ
(``try_strptime``, ``regexp_full_match``) in one place, ``DIALECT`` below.
"""

from __future__ import annotations

from bankcrm.etl.layouts import Column, Feed

RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def q(name: str) -> str:
    """Quote an identifier from the layouts."""
    assert name.replace("_", "").isalnum(), name
    return f'"{name}"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def v(c: Column) -> str:
    """The column's value as the checks see it: the loader reads each field once as text with the
    surrounding blanks removed, empty meaning missing (``trimmed``)."""
    return q(c.name)


def trimmed(field: str) -> str:
    return f"nullif(trim({q(field)}), '')"


def valid_date(expr: str) -> str:
    return f"(length({expr}) = 8 AND try_strptime({expr}, '%Y%m%d') IS NOT NULL)"


def resident_id_ok(expr: str) -> str:
    """GB 11643: 17 digits, a valid birth date and the check character; or a legacy 15-digit ID."""
    terms = " + ".join(f"{w} * (ascii(substr({expr}, {i + 1}, 1)) - 48)" for i, w in enumerate(RESIDENT_WEIGHTS))
    eighteen = (
        f"(regexp_full_match({expr}, '[0-9]{{17}}[0-9X]') AND {valid_date(f'substr({expr}, 7, 8)')} "
        f"AND substr('10X98765432', (({terms}) % 11) + 1, 1) = substr({expr}, 18, 1))"
    )
    birth15 = f"'19' || substr({expr}, 7, 6)"
    fifteen = f"(regexp_full_match({expr}, '[0-9]{{15}}') AND {valid_date(birth15)})"
    return f"(CASE WHEN length({expr}) = 18 THEN {eighteen} WHEN length({expr}) = 15 THEN {fifteen} ELSE false END)"


def uscc_ok(expr: str) -> str:
    """GB 32100: 18 characters from the code alphabet, the last a check character."""
    terms = " + ".join(
        f"{w} * (strpos('{USCC_ALPHABET}', substr({expr}, {i + 1}, 1)) - 1)" for i, w in enumerate(USCC_WEIGHTS)
    )
    return (
        f"(regexp_full_match({expr}, '[0-9A-HJ-NPQRTUWXY]{{2}}[0-9]{{6}}[0-9A-HJ-NPQRTUWXY]{{10}}') "
        f"AND substr('{USCC_ALPHABET}', ((31 - (({terms}) % 31)) % 31) + 1, 1) = substr({expr}, 18, 1))"
    )


# Control characters no field may hold (the API refuses them too): C0 but tab, and DEL; a carriage
# return inside a line is one of them. A tab only where the layout's column allows it.
CONTROL = r"[\x00-\x08\x0a-\x1f\x7f]"
CONTROL_OR_TAB = r"[\x00-\x1f\x7f]"


def control_reason(c: Column) -> str:
    return f"控制字符 / control character in field {c.name}"


def column_checks(feed: Feed, c: Column) -> list[tuple[str, str]]:
    """(failing condition, reason) pairs for one column; conditions are true when the value is bad."""
    x = v(c)
    out: list[tuple[str, str]] = []
    pattern = CONTROL if c.allow_tab else CONTROL_OR_TAB
    out.append((f"regexp_matches({x}, {lit(pattern)})", control_reason(c)))
    if c.required:
        out.append((f"{x} IS NULL", f"{c.name}: missing"))
    if c.max_length:
        out.append((f"length({x}) > {c.max_length}", f"{c.name}: longer than {c.max_length}"))
    if c.type == "int":
        out.append((f"NOT regexp_full_match({x}, '-?[0-9]{{1,18}}')", f"{c.name}: not a whole number"))
    elif c.type == "decimal":
        out.append((f"NOT regexp_full_match({x}, '-?[0-9]{{1,16}}(\\.[0-9]{{1,4}})?')", f"{c.name}: not a number"))
    elif c.type == "date":
        out.append((f"NOT {valid_date(x)}", f"{c.name}: not a valid date YYYYMMDD"))
    elif c.type == "code":
        codes = ", ".join(lit(code) for code in c.codes)
        out.append((f"{x} NOT IN ({codes})", f"{c.name}: unknown code"))
    if c.non_negative and c.type in ("int", "decimal"):
        out.append((f"try_cast({x} AS DECIMAL(20, 4)) < 0", f"{c.name}: negative"))
    if c.check == "mobile":
        out.append((f"NOT regexp_full_match({x}, '1[3-9][0-9]{{9}}')", f"{c.name}: not a mobile number"))
    if c.check == "id_no":
        id_type = v(feed.column("id_type"))
        upper = f"upper({x})"
        out.append(
            (
                f"(CASE {id_type} WHEN '101' THEN NOT {resident_id_ok(upper)} "
                f"WHEN '201' THEN NOT {uscc_ok(upper)} ELSE false END)",
                f"{c.name}: fails the check for its id_type",
            )
        )
    # Every check but "missing" applies to values that are present.
    return [(cond if reason.endswith(": missing") else f"({x} IS NOT NULL AND {cond})", reason) for cond, reason in out]


def reasons_expr(feed: Feed) -> str:
    """One text per row listing every failed check ('' when the row is good)."""
    parts = []
    for c in feed.columns:
        for cond, reason in column_checks(feed, c):
            parts.append(f"CASE WHEN coalesce({cond}, false) THEN {lit(reason)} END")
    return "concat_ws('; ', " + ", ".join(parts) + ")"


def bad_expr(feed: Feed) -> str:
    """True when any check fails: evaluated for every row, so it builds no text (the reasons are
    spelled out afterwards for the bad rows only)."""
    conds = [f"({cond})" for c in feed.columns for cond, _ in column_checks(feed, c)]
    return "coalesce(" + " OR ".join(conds) + ", false)" if conds else "false"


def typed_expr(c: Column) -> str:
    x = v(c)
    if c.type == "int":
        return f"cast({x} AS BIGINT)"
    if c.type == "decimal":
        return f"cast({x} AS DECIMAL(20, 4))"
    if c.type == "date":
        return f"cast(strptime({x}, '%Y%m%d') AS DATE)"
    if c.check == "id_no":
        return f"upper({x})"
    return x


def sql_type(c: Column) -> str:
    return {"int": "BIGINT", "decimal": "DECIMAL(20, 4)", "date": "DATE"}.get(c.type, "VARCHAR")
