"""The synthetic bank's org tree: sub-branches asked for exist at any size."""

from __future__ import annotations

import numpy as np
import pytest

from bankcrm.synth.orgs import build


@pytest.mark.parametrize("customers", [1, 100, 500, 1_000, 20_000])
def test_named_sub_branches_exist_at_any_size(customers: int) -> None:
    tree = build(customers, np.random.default_rng(7), ("320106", "320102", "320508"))
    by_code = {o.code: o for o in tree.orgs}
    for code, city in (("320106", "320100"), ("320102", "320100"), ("320508", "320500")):
        assert by_code[code].level == "sub_branch" and by_code[code].parent == city
        assert tree.orgs.index(by_code[code]) in tree.home  # customers live there
    assert len(by_code) == len(tree.orgs)  # codes stay unique


def test_without_them_a_small_tree_has_only_each_citys_first_districts() -> None:
    codes = {o.code for o in build(500, np.random.default_rng(7)).orgs}
    assert "320102" in codes and "320106" not in codes  # why the demo names the ones its logins need


def test_an_unknown_district_is_refused() -> None:
    with pytest.raises(ValueError, match="no district 329999"):
        build(500, np.random.default_rng(7), ("329999",))
