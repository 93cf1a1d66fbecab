"""The password policy and hashing (pure functions)."""

from __future__ import annotations

import pytest

from bankcrm.auth.passwords import (
    character_classes,
    generate_initial_password,
    hash_password,
    policy_violations,
    verify_password,
)


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Abcdef1!", True),
        ("abcdefg1!", True),  # lower + digit + symbol
        ("Abc1!", False),  # too short
        ("abcdefgh", False),  # one class
        ("abcdefg1", False),  # two classes
        ("Aa123456!", False),  # common password, case-insensitive match
        ("P@ssw0rd1", False),
        ("x" * 60 + "A1!b", True),  # 64 characters accepted
        ("Ab1!" * 32, True),  # 128
        ("Ab1!" * 32 + "x", False),  # 129
        ("Zh张三李四!2024", True),  # non-ASCII counts as a symbol class
    ],
)
def test_policy(password: str, ok: bool) -> None:
    assert (policy_violations(password, username="someone") == []) is ok


def test_password_may_not_contain_the_user_name() -> None:
    assert policy_violations("Xy!liming2025", username="liming")


def test_generated_initial_passwords_pass_the_policy() -> None:
    for _ in range(50):
        pw = generate_initial_password()
        assert policy_violations(pw, username="someone") == []
        assert character_classes(pw) == 4


def test_argon2id_hash_round_trip() -> None:
    h = hash_password("Str0ng!Passw0rd")
    assert h.startswith("$argon2id$")
    assert verify_password(h, "Str0ng!Passw0rd")
    assert not verify_password(h, "Str0ng!Passw0rd ")
    assert not verify_password("not-a-hash", "x")
