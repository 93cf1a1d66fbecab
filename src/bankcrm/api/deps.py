"""Request dependencies, as ``Annotated`` aliases.

Every route declares exactly one access rule in its signature, in one visible place:
``Requires("org.view")`` (a permission code), ``Authenticated`` (any signed-in user, allowed
while a password change is pending), or ``Public`` (login, health). The route sweep test
walks the app and fails on a route with none.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bankcrm.auth import sessions
from bankcrm.auth.masking import set_amount_view, set_unmask
from bankcrm.auth.permissions import CODES, SELF_SERVICE
from bankcrm.auth.principal import Principal
from bankcrm.clock import Clock
from bankcrm.errors import BadRequest, Forbidden, NotAuthenticated

log = logging.getLogger("bankcrm.auth")
SESSION_COOKIE = "bankcrm_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_db(request: Request) -> Iterator[Session]:
    """The request's unit of work: the only place that commits (services only flush)."""
    session: Session = request.app.state.sessionmaker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


DbSession = Annotated[Session, Depends(get_db, scope="function")]


def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def now(request: Request) -> datetime:
    return get_clock(request).now()


Now = Annotated[datetime, Depends(now)]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def check_write_origin(request: Request) -> None:
    """Writes must be JSON (a cross-site form cannot send it without a CORS preflight, which we
    never grant) and, when the browser says where it comes from, come from this site."""
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("origin")
    if origin is not None:
        host = request.headers.get("host", "")
        if origin.split("://", 1)[-1].rstrip("/") != host:
            raise Forbidden("跨站请求被拒绝 / cross-site request refused", code="csrf_failed")
    body_expected = (
        request.headers.get("content-length", "0") not in ("", "0")
        or "chunked" in request.headers.get("transfer-encoding", "").lower()
    )
    ctype = request.headers.get("content-type", "")
    if body_expected and not ctype.startswith("application/json"):
        raise BadRequest("请求体须为 JSON / request body must be JSON", code="unsupported_media_type")


def _authenticate(db: Session, token: str | None, *, ip: str | None, now: datetime) -> sessions.Resolved:
    """The session behind the cookie, its last-seen time recorded (a short write of its own, committed
    before the route runs, so the request holds no lock for its reads)."""
    try:
        resolved = sessions.resolve(db, token, ip=ip, now=now)
    except NotAuthenticated:
        db.commit()  # an expired session stays revoked
        raise
    if resolved.touch:
        try:
            sessions.touch(db, resolved.session_id, now=now)
        except OperationalError:
            # The store is busy with a long write (a load's identity resolution): serving the read
            # matters more than recording this use; the next request records it.
            db.rollback()
            log.warning("session last-seen time not recorded: the store is busy")
    # End the check's read transaction: the connection goes back to the pool while the request waits
    # for a worker thread (holding it there let waiting requests take every connection from the
    # threads that run routes: pool time-outs at 300 users).
    db.commit()
    return resolved


class Requires:
    """Access rule: the caller must be signed in and hold every one of ``codes``
    (``self`` = any signed-in user)."""

    def __init__(self, *codes: str, allow_pending_password: bool = False) -> None:
        if not codes:
            raise ValueError("Requires needs at least one code")
        for code in codes:
            if code != SELF_SERVICE and code not in CODES:
                raise ValueError(f"unknown permission code {code!r}")
        self.codes = tuple(c for c in codes if c != SELF_SERVICE)
        self.allow_pending_password = allow_pending_password

    def __repr__(self) -> str:
        return f"Requires{self.codes!r}"

    async def __call__(self, request: Request, db: DbSession) -> Principal:
        set_unmask(False)
        set_amount_view(False)
        check_write_origin(request)
        token = request.cookies.get(SESSION_COOKIE)
        resolved = await run_in_threadpool(_authenticate, db, token, ip=client_ip(request), now=now(request))
        if request.method not in SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER, "")
            if not hmac.compare_digest(sent.encode(), resolved.csrf_token.encode()):
                raise Forbidden("CSRF 校验失败，请刷新页面 / CSRF check failed, reload the page", code="csrf_failed")
        if resolved.must_change_password and not self.allow_pending_password:
            raise Forbidden("请先修改初始密码 / change your initial password first", code="password_change_required")
        principal = resolved.principal
        missing = [c for c in self.codes if not principal.has(c)]
        if missing:
            raise Forbidden(
                "没有此项操作的权限 / you lack the permission for this",
                code="permission_denied",
                details={"required": missing},
            )
        principal = principal.acting_as(self.codes)
        request.state.auth_session_id = resolved.session_id
        request.state.csrf_token = resolved.csrf_token
        set_unmask(principal.can_unmask)
        set_amount_view(principal.can_view_amounts)
        return principal


class PublicAccess:
    """Access rule for routes anyone may call (login, health)."""

    def __repr__(self) -> str:
        return "Public"

    async def __call__(self, request: Request) -> None:
        set_unmask(False)
        set_amount_view(False)
        check_write_origin(request)


def requires(*codes: str) -> Any:
    return Depends(Requires(*codes))


Authenticated = Annotated[Principal, Depends(Requires(SELF_SERVICE, allow_pending_password=True))]
Public = Depends(PublicAccess())
