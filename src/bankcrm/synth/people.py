"""Customers: ~90% personal, ~10% corporate, with names, IDs, phones, addresses and wealth."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bankcrm.synth import vocab
from bankcrm.synth.cols import (
    RESIDENT_CHECK,
    USCC_CHARS,
    Arr,
    concat,
    digits,
    lit,
    num,
    orgcode_check_digit,
    resident_check_index,
    uscc_check_index,
    words,
    ymd,
    zpad,
)
from bankcrm.synth.orgs import OrgTree

PERSONAL, CORPORATE = 1, 2


@dataclass
class Population:
    n: int
    ctype: Arr  # 1 personal, 2 corporate
    home: Arr  # org index (into tree.orgs)
    city: Arr  # city index
    male: Arr
    birth: Arr  # datetime64[D] (personal)
    since: Arr  # datetime64[D] customer since
    wealth: Arr  # float yuan: total financial assets (personal) / deposits (corporate)
    income: Arr  # float yuan per month (salary/pension; corporate: monthly turnover)
    salary_day: Arr
    industry: Arr  # index into vocab.TRADES (corporate)
    # identity
    id18_first17: Arr  # int64 (personal with 18-digit IDs)
    id_check: Arr  # index into RESIDENT_CHECK
    legacy15: Arr  # bool: the person's ID is a 15-digit legacy number
    uscc17: Arr  # (n, 17) alphabet indices for corporates (zeros for personal)
    uscc_check: Arr
    # name parts
    surname: Arr
    given1: Arr
    given2: Arr  # -1 for one-character given names
    given_pool: Arr  # 0 male, 1 female, 2 neutral (for the first character)
    brand: Arr
    trade_word: Arr
    form: Arr
    # contact
    phone: Arr  # int64
    road: Arr
    house_no: Arr
    district: Arr  # index into the city's district list
    flat: Arr
    _cache: dict[tuple[str, str], Any] = field(default_factory=dict)

    @property
    def personal(self) -> Arr:
        return np.asarray(self.ctype == PERSONAL)

    def cached(self, key: str, encoding: str, build: Any) -> Any:
        k = (key, encoding)
        if k not in self._cache:
            self._cache[k] = build()
        return self._cache[k]

    # ---- identity documents -------------------------------------------------------------------
    def id_type(self) -> Any:
        return self.cached("id_type", "", lambda: num(np.where(self.personal, 101, 201)))

    def _id18(self, check: Arr) -> Any:
        return concat(zpad(self.id18_first17, 17), words(tuple(RESIDENT_CHECK), check, "ascii"))

    def _id15(self) -> Any:
        f = self.id18_first17
        region, birth, seq = f // 10**11, (f // 1000) % 10**8, f % 1000
        return concat(zpad(region * 10**9 + (birth % 10**6) * 1000 + seq, 15))

    def _uscc(self, check: Arr) -> Any:
        chars = np.concatenate([self.uscc17, check[:, None]], axis=1)
        # 18 single characters joined; vocabulary take per position is vectorised.
        alphabet = tuple(USCC_CHARS)
        return concat(*(words(alphabet, chars[:, j], "ascii") for j in range(18)))

    def id_no(self) -> Any:
        """Every customer's ID as the CIF holds it (15-digit for legacy holders)."""

        def build() -> Any:
            import pyarrow.compute as pc  # type: ignore[import-untyped]

            personal = pc.if_else(self.legacy15, self._id15(), self._id18(self.id_check))
            return pc.if_else(self.personal, personal, self._uscc(self.uscc_check))

        return self.cached("id_no", "", build)

    def id_no_other_format(self) -> Any:
        """The same ID in the other format: 18 digits for legacy holders, 15 for 18-digit holders born
        in the 1900s (only meaningful there)."""

        def build() -> Any:
            import pyarrow.compute as pc

            return pc.if_else(self.legacy15, self._id18(self.id_check), self._id15())

        return self.cached("id_alt", "", build)

    def id_no_bad(self) -> Any:
        """A wrong-checksum variant of every customer's ID (for dirty rows)."""

        def build() -> Any:
            import pyarrow.compute as pc

            personal = self._id18((self.id_check + 1 + self.n_bad_shift()) % 11)
            corp = self._uscc((self.uscc_check + 1 + self.n_bad_shift()) % 31)
            return pc.if_else(self.personal, personal, corp)

        return self.cached("id_bad", "", build)

    def n_bad_shift(self) -> Arr:
        return np.asarray(np.arange(self.n) % 7, dtype=np.int64)

    # ---- text ---------------------------------------------------------------------------------
    def name(self, encoding: str) -> Any:
        def build() -> Any:
            import pyarrow.compute as pc

            g1 = np.where(
                self.given_pool == 0,
                self.given1 % len(vocab.GIVEN_MALE),
                np.where(self.given_pool == 1, self.given1 % len(vocab.GIVEN_FEMALE), self.given1),
            )
            first = pc.if_else(
                self.given_pool == 0,
                words(vocab.GIVEN_MALE, g1 % len(vocab.GIVEN_MALE), encoding),
                pc.if_else(
                    self.given_pool == 1,
                    words(vocab.GIVEN_FEMALE, g1 % len(vocab.GIVEN_FEMALE), encoding),
                    words(vocab.GIVEN_NEUTRAL, g1 % len(vocab.GIVEN_NEUTRAL), encoding),
                ),
            )
            second_vocab = np.where(self.male, 0, 1)
            g2 = np.maximum(self.given2, 0)
            second = pc.if_else(
                second_vocab == 0,
                words(vocab.GIVEN_MALE, g2 % len(vocab.GIVEN_MALE), encoding),
                words(vocab.GIVEN_FEMALE, g2 % len(vocab.GIVEN_FEMALE), encoding),
            )
            second = pc.if_else(self.given2 >= 0, second, lit("", encoding))
            person = concat(words(vocab.SURNAMES, self.surname, encoding), first, second)
            return pc.if_else(self.personal, person, self._company(encoding))

        return self.cached("name", encoding, build)

    def _company(self, encoding: str) -> Any:
        import pyarrow.compute as pc

        cities = tuple(c[0] for c in vocab.CITIES)
        trade_txt = None
        for t, (_, words_t) in enumerate(vocab.TRADES):
            col = words(words_t, self.trade_word % len(words_t), encoding)
            trade_txt = col if trade_txt is None else pc.if_else(self.industry == t, col, trade_txt)
        return concat(
            words(cities, self.city, encoding),
            words(vocab.BRANDS, self.brand, encoding),
            trade_txt,
            words(vocab.FORMS, self.form, encoding),
        )

    def address(self, encoding: str) -> Any:
        def build() -> Any:
            import pyarrow.compute as pc

            district_names: list[str] = []
            offsets = []
            for _, _, _, ds in vocab.CITIES:
                offsets.append(len(district_names))
                district_names.extend(d[1] for d in ds)
            dist_idx = np.asarray(offsets)[self.city] + self.district
            base = concat(
                lit(vocab.PROVINCE_NAME, encoding),
                words(tuple(c[0] + "市" for c in vocab.CITIES), self.city, encoding),
                words(tuple(district_names), dist_idx, encoding),
                words(vocab.ROADS, self.road, encoding),
                num(self.house_no),
                lit("号", encoding),
            )
            flat = concat(base, num(self.flat // 100), lit("栋", encoding), num(self.flat), lit("室", encoding))
            return pc.if_else(self.personal & (self.flat > 0), flat, base)

        return self.cached("address", encoding, build)

    def industry_code(self) -> Any:
        import pyarrow as pa

        codes = tuple(t[0] for t in vocab.TRADES)
        col = words(codes, self.industry, "ascii")
        return pa.array(np.where(self.personal, None, col.to_numpy(zero_copy_only=False)), pa.binary())

    def phone_text(self) -> Any:
        return self.cached("phone", "", lambda: num(self.phone))


def build(n: int, tree: OrgTree, start: np.datetime64, rng: np.random.Generator) -> Population:
    n_corp = round(n * 0.1) if n >= 10 else (1 if n >= 2 else 0)
    ctype = np.full(n, PERSONAL, dtype=np.int64)
    ctype[rng.choice(n, size=n_corp, replace=False)] = CORPORATE
    personal = ctype == PERSONAL

    w = np.asarray(tree.home_weight, dtype=float)
    home = np.asarray(tree.home, dtype=np.int64)[rng.choice(len(w), size=n, p=w / w.sum())]
    city = np.asarray([tree.orgs[i].city for i in range(len(tree.orgs))], dtype=np.int64)[home]

    male = rng.random(n) < 0.5
    # Ages 18-85, most between 25 and 65.
    age_years = np.clip(rng.normal(44, 15, n), 18.05, 85.9)
    birth = start - (age_years * 365.25).astype(np.int64).astype("timedelta64[D]")
    max_years = np.where(personal, age_years - 18, 30.0)
    since_years = np.minimum(rng.exponential(7.0, n), max_years) + 0.05
    since = start - (since_years * 365.25).astype(np.int64).astype("timedelta64[D]")

    wealth = np.where(personal, rng.lognormal(np.log(30_000), 2.0, n), rng.lognormal(np.log(400_000), 2.1, n))
    retired = age_years >= 60
    income = np.where(
        personal,
        np.where(retired, rng.lognormal(np.log(3_500), 0.3, n), rng.lognormal(np.log(7_000), 0.55, n)),
        wealth * rng.uniform(0.2, 0.8, n),
    )
    salary_day = rng.choice(np.array([5, 10, 15, 20, 25]), size=n, p=[0.1, 0.4, 0.3, 0.1, 0.1])

    trade_w = np.asarray(vocab.TRADE_WEIGHTS, dtype=float)
    industry = rng.choice(len(trade_w), size=n, p=trade_w / trade_w.sum())

    # ---- resident IDs: region of the home district (85%) or a birthplace elsewhere ----------------
    regions = np.asarray([int(tree.orgs[i].region) for i in range(len(tree.orgs))], dtype=np.int64)[home]
    city_districts = [np.asarray([int(d[0]) for d in c[3]]) for c in vocab.CITIES]
    n_districts = np.asarray([len(d) for d in city_districts])
    district = (rng.random(n) * n_districts[city]).astype(np.int64)
    first_district = np.concatenate([[0], np.cumsum(n_districts)[:-1]])
    local_other = np.concatenate(city_districts)[first_district[city] + district]
    kind = rng.random(n)
    migrants = np.asarray([int(r) for r in vocab.MIGRANT_REGIONS])
    region = np.where(
        kind < 0.6, regions, np.where(kind < 0.85, local_other, migrants[rng.integers(len(migrants), size=n)])
    )
    seq = rng.integers(0, 500, n) * 2 + male.astype(np.int64)
    first17 = region * 10**11 + ymd(birth) * 1000 + seq
    id_check = resident_check_index(first17)
    old = birth < np.datetime64("1975-01-01")
    p15 = 0.02 / max(float(np.mean(old[personal])) if personal.any() else 1.0, 0.05)
    legacy15 = personal & old & (rng.random(n) < p15)

    # ---- unified social credit codes: 9 (registered by market regulator) 1 (enterprise) + region
    # + organisation code (8 digits + GB 11714 check) + check character -----------------------------
    org8 = rng.integers(10_000_000, 99_999_999, n)
    org_check = orgcode_check_digit(org8)
    uscc17 = np.zeros((n, 17), dtype=np.int64)
    uscc17[:, 0] = 9
    uscc17[:, 1] = 1
    uscc17[:, 2:8] = digits(np.where(personal, region, local_other), 6)
    uscc17[:, 8:16] = digits(org8, 8)
    uscc17[:, 16] = np.where(org_check == 10, USCC_CHARS.index("X"), org_check)
    uscc_check = uscc_check_index(uscc17)

    sw = np.asarray(vocab.SURNAME_WEIGHTS, dtype=float)
    pool = np.where(rng.random(n) < 0.25, 2, np.where(male, 0, 1))
    prefixes = np.asarray(vocab.MOBILE_PREFIXES, dtype=np.int64)
    phone = prefixes[rng.integers(len(prefixes), size=n)] * 10**8 + rng.integers(0, 10**8, n)
    fw = np.asarray(vocab.FORM_WEIGHTS, dtype=float)
    return Population(
        n=n,
        ctype=ctype,
        home=home,
        city=city,
        male=male,
        birth=birth,
        since=since,
        wealth=wealth,
        income=income,
        salary_day=salary_day,
        industry=industry,
        id18_first17=first17,
        id_check=id_check,
        legacy15=legacy15,
        uscc17=uscc17,
        uscc_check=uscc_check,
        surname=rng.choice(len(sw), size=n, p=sw / sw.sum()),
        given1=rng.integers(0, 10_000, n),
        given2=np.where(rng.random(n) < 0.3, -1, rng.integers(0, 10_000, n)),
        given_pool=pool,
        brand=rng.integers(0, len(vocab.BRANDS), n),
        trade_word=rng.integers(0, 1000, n),
        form=rng.choice(len(fw), size=n, p=fw / fw.sum()),
        phone=phone,
        road=rng.integers(0, len(vocab.ROADS), n),
        house_no=rng.integers(1, 400, n),
        district=district,
        flat=np.where(rng.random(n) < 0.8, rng.integers(1, 30, n) * 100 + rng.integers(1, 6, n), 0),
    )
