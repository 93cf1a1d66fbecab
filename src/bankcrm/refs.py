"""Opaque, short-lived references to things the browser may act on but not read: an account picked
from a linked-query result is sent back as a reference, so a user who sees only the masked number can
still attach it to a customer. Fernet (AES + HMAC, with a timestamp) from the ``cryptography``
library; the key comes from the settings or is generated once under ``var/``."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from bankcrm.config import Settings
from bankcrm.errors import BadRequest

TTL_SECONDS = 8 * 3600  # a working day: results stay usable while the page is open


def _key(settings: Settings) -> bytes:
    if settings.secret_key is not None:
        import base64
        import hashlib

        digest = hashlib.sha256(settings.secret_key.get_secret_value().encode()).digest()
        return base64.urlsafe_b64encode(digest)
    path = Path(settings.var_dir) / "secret.key"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(Fernet.generate_key())
    return path.read_bytes().strip()


class Refs:
    def __init__(self, settings: Settings) -> None:
        self._fernet = Fernet(_key(settings))

    def account(self, system: str, account_no: str) -> str:
        return self._fernet.encrypt(f"acct|{system}|{account_no}".encode()).decode()

    def read_account(self, token: str) -> tuple[str, str]:
        try:
            kind, system, account_no = self._fernet.decrypt(token.encode(), ttl=TTL_SECONDS).decode().split("|")
        except (InvalidToken, ValueError):
            raise BadRequest(
                "账户引用无效或已过期，请重新查询 / the account reference is invalid or expired: query again",
                code="invalid_ref",
            ) from None
        if kind != "acct":
            raise BadRequest("账户引用无效 / not an account reference", code="invalid_ref")
        return system, account_no
