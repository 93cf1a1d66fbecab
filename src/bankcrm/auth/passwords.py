"""Password hashing (Argon2id) and the password policy (pure functions)."""

from __future__ import annotations

import os
import secrets
import string
import threading
from functools import lru_cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import Type

from bankcrm.config import get_settings

MAX_LENGTH = 128


@lru_cache
def hasher() -> PasswordHasher:
    s = get_settings()
    return PasswordHasher(
        time_cost=s.argon2_time_cost,
        memory_cost=s.argon2_memory_kib,
        parallelism=s.argon2_parallelism,
        type=Type.ID,
    )


@lru_cache
def _slots() -> threading.BoundedSemaphore:
    """At most this many hashes at once (``settings.hashing_concurrency``; 0: half the cores): a burst
    of sign-ins queues here instead of taking every core from the requests of signed-in users."""
    n = get_settings().hashing_concurrency or max(1, (os.cpu_count() or 2) // 2)
    return threading.BoundedSemaphore(n)


def hash_password(password: str) -> str:
    with _slots():
        return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        with _slots():
            return hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@lru_cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def burn_verify(password: str) -> None:
    """Spend the time of one verification, so an unknown user answers as slowly as a known one."""
    verify_password(_dummy_hash(), password)


@lru_cache
def common_passwords() -> frozenset[str]:
    text = files("bankcrm.auth").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def character_classes(password: str) -> int:
    classes = [
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


def policy_violations(password: str, *, username: str, min_length: int = 8) -> list[str]:
    """Reasons the password is refused; empty when acceptable. Messages are zh-CN first."""
    problems: list[str] = []
    if len(password) < min_length:
        problems.append(f"密码至少 {min_length} 位 / at least {min_length} characters")
    if len(password) > MAX_LENGTH:
        problems.append(f"密码最多 {MAX_LENGTH} 位 / at most {MAX_LENGTH} characters")
    if character_classes(password) < 3:
        problems.append(
            "须包含大写字母、小写字母、数字、符号中的至少三类 / "
            "use at least 3 of: upper case, lower case, digits, symbols"
        )
    if password.lower() in common_passwords():
        problems.append("密码过于常见 / this password is too common")
    if username and username.lower() in password.lower():
        problems.append("密码不能包含用户名 / must not contain the user name")
    return problems


def generate_initial_password() -> str:
    """A random password that satisfies the policy; the user must change it at first login."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(12))
        candidate = body + secrets.choice("!@#$%^&*-_") + secrets.choice(string.digits)
        if character_classes(candidate) == 4:
            return candidate
