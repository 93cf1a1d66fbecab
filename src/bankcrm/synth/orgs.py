"""The CRM org tree of the synthetic bank and each source system's own org codes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bankcrm.synth import vocab

HEAD_CODE = "000000"
CARD_PREFIX = "K"
# Codes a source system uses that no mapping knows (org unification must report them, not drop them).
UNMAPPED: dict[str, tuple[tuple[str, str], ...]] = {
    "sav": (("990001", "电子银行中心"), ("990002", "已撤并网点（旧）")),
    "wm": (("WM0001", "理财直销中心"),),
}


@dataclass(frozen=True)
class Org:
    code: str
    name: str
    level: str
    parent: str | None
    city: int
    """Index into ``vocab.CITIES`` (-1 for head office and province)."""
    region: str
    """Administrative division code used for residents' IDs (district for district branches)."""


@dataclass(frozen=True)
class OrgTree:
    orgs: tuple[Org, ...]
    """Head office first, then province, city branches, sub-branches, outlets."""
    home: tuple[int, ...]
    """Indices of orgs where customers and accounts live (sub-branches and outlets)."""
    home_weight: tuple[float, ...]

    def system_code(self, system: str, crm_code: str) -> str:
        return CARD_PREFIX + crm_code if system == "card" else crm_code

    def city_branch(self, i: int) -> int:
        """Index of the city branch above org ``i``."""
        org = self.orgs[i]
        while org.level not in ("city", "province", "head"):
            assert org.parent is not None
            i = next(j for j, o in enumerate(self.orgs) if o.code == org.parent)
            org = self.orgs[i]
        return i


def _short(district: str) -> str:
    return district[:-1] if len(district) > 2 and district[-1] in "区县市" else district


def build(n_customers: int, rng: np.random.Generator, sub_branches: tuple[str, ...] = ()) -> OrgTree:
    """The tree for ``n_customers`` (about one sub-branch per 50 customers, 10 to 100 of them);
    ``sub_branches`` names district sub-branches (a district code of ``vocab.CITIES``) that exist
    whatever the size: a small bank gets only each city's first districts otherwise."""
    orgs: list[Org] = [
        Org(HEAD_CODE, "示范银行总行", "head", None, -1, vocab.PROVINCE_CODE),
        Org(vocab.PROVINCE_CODE, vocab.PROVINCE_NAME[:-1] + "省分行", "province", HEAD_CODE, -1, vocab.PROVINCE_CODE),
    ]
    n_sub = int(np.clip(n_customers // 50, len(vocab.CITIES), 100))
    sizes = np.array([c[2] for c in vocab.CITIES])
    per_city = np.maximum(1, np.floor(sizes / sizes.sum() * n_sub)).astype(int)
    per_city[0] += n_sub - per_city.sum()
    for code in sub_branches:
        where = [(ci, k) for ci, c in enumerate(vocab.CITIES) for k, (d, _) in enumerate(c[3]) if d == code]
        if not where:
            raise ValueError(f"no district {code} to place a sub-branch in")
        ci, k = where[0]
        per_city[ci] = max(int(per_city[ci]), k + 1)
    home: list[int] = []
    weight: list[float] = []
    subs: list[tuple[int, int]] = []  # (org index, city index)
    for ci, (city, ccode, size, districts) in enumerate(vocab.CITIES):
        city_code = ccode + "00"
        orgs.append(Org(city_code, f"{city}分行", "city", vocab.PROVINCE_CODE, ci, districts[0][0]))
        for k in range(int(per_city[ci])):
            if k < len(districts):
                code, dname = districts[k]
                name, region = f"{city}{_short(dname)}支行", code
            else:
                road = vocab.ROADS[(k - len(districts)) % len(vocab.ROADS)]
                code = f"{ccode}{50 + k - len(districts):02d}"
                name = f"{city}{road}支行"
                region = districts[int(rng.integers(len(districts)))][0]
            orgs.append(Org(code, name, "sub_branch", city_code, ci, region))
            subs.append((len(orgs) - 1, ci))
            home.append(len(orgs) - 1)
            # Zipf-like: the first (central) sub-branches of a city are the biggest.
            weight.append(size / (k + 1) ** 0.6)
    n_outlets = max(2, n_sub // 10)
    for j, pick in enumerate(rng.choice(len(subs), size=min(n_outlets, len(subs)), replace=False)):
        oi, ci = subs[int(pick)]
        parent = orgs[oi]
        road = vocab.ROADS[(j * 7 + 3) % len(vocab.ROADS)]
        suffix = vocab.OUTLET_SUFFIXES[j % len(vocab.OUTLET_SUFFIXES)]
        orgs.append(
            Org(parent.code + "01", f"{parent.name[:-2]}{road}{suffix}", "outlet", parent.code, ci, parent.region)
        )
        home.append(len(orgs) - 1)
        weight.append(weight[home.index(oi)] * 0.3)
    return OrgTree(tuple(orgs), tuple(home), tuple(weight))


def system_org_rows(tree: OrgTree, system: str) -> list[tuple[str, str, str | None]]:
    """(code, name, parent code) as the system's own ``<sys>_org`` feed lists them."""
    rows: list[tuple[str, str, str | None]] = [
        (
            tree.system_code(system, o.code),
            o.name,
            tree.system_code(system, o.parent) if o.parent is not None else None,
        )
        for o in tree.orgs
    ]
    rows.extend((code, name, vocab.PROVINCE_CODE) for code, name in UNMAPPED.get(system, ()))
    return rows
