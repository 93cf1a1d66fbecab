"""Authentication (SEC-6): login with lockout, server-side sessions with timeouts, password change."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bankcrm.auth import audit
from bankcrm.auth.models import (
    AuthSession,
    DataScope,
    LoginFailure,
    PasswordHistory,
    Role,
    RolePermission,
    User,
    UserStatus,
    user_role,
)
from bankcrm.auth.passwords import burn_verify, hash_password, policy_violations, verify_password
from bankcrm.auth.principal import Actor, Principal, grant_scopes
from bankcrm.errors import BadRequest, Forbidden, Locked, NotAuthenticated
from bankcrm.orgs.models import Org
from bankcrm.system.params import get_int, get_params

INVALID_CREDENTIALS = "用户名或密码错误 / wrong user name or password"
# A session's last-seen time is recorded when it moved by this much: the idle timeout is exact to the
# second, and a page that fires several requests at once writes once.
TOUCH_EVERY = timedelta(seconds=1)


def normalize_username(username: str) -> str:
    return username.strip().lower()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class LoginResult:
    user: User
    token: str
    csrf_token: str


def _locked_message(until: datetime) -> str:
    return (
        f"连续登录失败次数过多，账户已锁定至 {until:%H:%M}（UTC） / "
        f"too many failed attempts, locked until {until:%H:%M} UTC"
    )


def name_key(username: str) -> str:
    """The key failures are counted under: a hash, because people type passwords into the
    user-name box and the typed text must not be kept."""
    return hashlib.sha256(normalize_username(username).encode("utf-8")).hexdigest()


def _count_attempt(db: Session, key: str, now: datetime) -> tuple[int, datetime | None]:
    """Count one attempt atomically, *before* the password is checked, so parallel guesses cannot
    overwrite each other's counts. An expired lock starts a new count. Returns (count, locked_until)."""
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    expired = and_(LoginFailure.locked_until.is_not(None), LoginFailure.locked_until <= now)
    stmt = (
        insert(LoginFailure)
        .values(name_hash=key, count=1, last_failed_at=now, locked_until=None)
        .on_conflict_do_update(
            index_elements=[LoginFailure.name_hash],
            set_={
                "count": case((expired, 1), else_=LoginFailure.count + 1),
                "locked_until": case((expired, None), else_=LoginFailure.locked_until),
                "last_failed_at": now,
            },
        )
        .returning(LoginFailure.count, LoginFailure.locked_until)
    )
    row = db.execute(stmt).one()
    db.expire_all()
    return int(row[0]), row[1]


def _lock(db: Session, key: str, now: datetime) -> datetime:
    until = now + timedelta(minutes=get_int(db, "login.lockout_minutes"))
    db.execute(update(LoginFailure).where(LoginFailure.name_hash == key).values(locked_until=until))
    return until


def _locked(until: datetime) -> Locked:
    return Locked(_locked_message(until), details={"locked_until": until.isoformat()})


def login(db: Session, username: str, password: str, *, ip: str | None, now: datetime) -> LoginResult:
    """Check credentials. The attempt is committed before the password is checked (so the password hash
    is computed outside any transaction); the outcome is flushed and the caller commits it, failures
    included, before raising onwards."""
    name = normalize_username(username)
    key = name_key(name)
    user = db.scalars(select(User).where(User.username == name)).one_or_none()
    # Audit records name real users only: unknown text in the user-name box may be a password.
    actor = Actor(user.id, user.username, ip) if user else Actor(None, "(unknown)", ip)
    count, locked_until = _count_attempt(db, key, now)
    max_failures = get_int(db, "login.max_failures")
    # The attempt is counted and committed before the slow check: no lock is held while hashing.
    db.commit()
    if locked_until is not None and locked_until > now:
        burn_verify(password)
        audit.append(db, actor, "login.locked", at=now)
        raise _locked(locked_until)
    if count > max_failures:  # parallel attempts past the threshold: refuse without checking
        burn_verify(password)
        until = _lock(db, key, now)
        audit.append(db, actor, "login.lockout", at=now, detail={"consecutive_failures": count})
        raise _locked(until)

    if user is None:
        burn_verify(password)
    ok = user is not None and verify_password(user.password_hash, password)
    if not ok:
        # Locks in one order everywhere: the failure row, then the audit head (the other order, with
        # the count committed before hashing, deadlocked parallel guesses on PostgreSQL).
        lock_until = _lock(db, key, now) if count >= max_failures else None
        audit.append(db, actor, "login.failure", at=now, detail={"consecutive_failures": count})
        if lock_until is not None:
            audit.append(db, actor, "login.lockout", at=now)
            raise _locked(lock_until)
        raise NotAuthenticated(INVALID_CREDENTIALS, code="invalid_credentials")

    assert user is not None
    if user.status != UserStatus.active:
        audit.append(db, Actor(user.id, name, ip), "login.disabled", at=now)
        db.flush()
        raise Forbidden("账户已停用，请联系管理员 / account disabled", code="account_disabled")

    db.execute(delete(LoginFailure).where(LoginFailure.name_hash == key))
    token = secrets.token_urlsafe(32)  # 256 bits
    csrf = secrets.token_urlsafe(32)
    db.add(
        AuthSession(
            token_hash=token_hash(token), csrf_token=csrf, user_id=user.id, created_at=now, last_seen_at=now, ip=ip
        )
    )
    user.last_login_at = now
    audit.append(db, Actor(user.id, user.username, ip), "login.success", at=now)
    db.flush()
    return LoginResult(user, token, csrf)


def logout(db: Session, token: str, *, ip: str | None, now: datetime) -> None:
    sess = db.scalars(select(AuthSession).where(AuthSession.token_hash == token_hash(token))).one_or_none()
    if sess is None or sess.revoked_at is not None:
        return
    sess.revoked_at = now
    user = db.get(User, sess.user_id)
    audit.append(db, Actor(sess.user_id, user.username if user else "?", ip), "logout", at=now)
    db.flush()


# Built once: every request runs them, and building a statement costs more than SQLite running it.
SESSION_ROW = (
    select(
        AuthSession.id,
        AuthSession.csrf_token,
        AuthSession.created_at,
        AuthSession.last_seen_at,
        AuthSession.revoked_at,
        User.id,
        User.username,
        User.display_name,
        User.org_id,
        User.status,
        User.must_change_password,
        Org.path,
    )
    .join(User, User.id == AuthSession.user_id)
    .join(Org, Org.id == User.org_id)
    .where(AuthSession.token_hash == bindparam("h"))
)
GRANTS = (
    select(Role.data_scope, RolePermission.code)
    .join(user_role, user_role.c.role_id == Role.id)
    .outerjoin(RolePermission, RolePermission.role_id == Role.id)
    .where(user_role.c.user_id == bindparam("u"))
)


@dataclass(frozen=True)
class Resolved:
    principal: Principal
    session_id: int
    csrf_token: str
    must_change_password: bool
    touch: bool
    """The last-seen time is due to be recorded (``touch``), in a short transaction of its own."""


def resolve(db: Session, token: str | None, *, ip: str | None, now: datetime) -> Resolved:
    """The session behind a cookie, or NotAuthenticated when missing, revoked or timed out.
    Every request passes here: three reads (session with its user and org, the user's grants, the
    two timeout parameters). Nothing is written here on the way through (``touch`` records the
    last-seen time afterwards, and commits at once), so a read-only request takes no write lock."""
    if not token or len(token) > 200:
        raise NotAuthenticated("请先登录 / please sign in")
    row = db.execute(SESSION_ROW, {"h": token_hash(token)}).one_or_none()
    if row is None or row[4] is not None:
        raise NotAuthenticated("请先登录 / please sign in")
    sid, csrf, created_at, last_seen_at, _, user_id, username, display_name, org_id, status, must_change, path = row
    params = get_params(db, "session.idle_timeout_minutes", "session.absolute_timeout_hours")
    idle = timedelta(minutes=int(params["session.idle_timeout_minutes"]))
    absolute = timedelta(hours=int(params["session.absolute_timeout_hours"]))
    if now - last_seen_at > idle or now - created_at > absolute:
        db.execute(update(AuthSession).where(AuthSession.id == sid).values(revoked_at=now))
        raise NotAuthenticated("会话已超时，请重新登录 / session expired, please sign in again", code="session_expired")
    if status != UserStatus.active:
        db.execute(update(AuthSession).where(AuthSession.id == sid).values(revoked_at=now))
        raise NotAuthenticated("请先登录 / please sign in")
    grants = db.execute(GRANTS, {"u": user_id}).all()
    scopes = grant_scopes(grants)
    principal = Principal(
        user_id=user_id,
        username=username,
        display_name=display_name,
        org_id=org_id,
        org_path=path,
        data_scope=max({scope for scope, _ in grants} or {DataScope.own}, key=lambda s: s.rank),
        scopes=scopes,
        ip=ip,
    )
    return Resolved(principal, sid, csrf, must_change, touch=now - last_seen_at >= TOUCH_EVERY)


def touch(db: Session, session_id: int, *, now: datetime) -> None:
    """Record that the session was used now, and commit at once: the write lock (SQLite) or the row
    lock (PostgreSQL) is held for this one statement, not for the rest of the request."""
    db.execute(
        update(AuthSession).where(AuthSession.id == session_id, AuthSession.last_seen_at < now).values(last_seen_at=now)
    )
    db.commit()


def revoke_user_sessions(db: Session, user_id: int, *, now: datetime, keep: int | None = None) -> int:
    stmt = (
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    if keep is not None:
        stmt = stmt.where(AuthSession.id != keep)
    result = db.execute(stmt)
    return int(getattr(result, "rowcount", 0) or 0)


def set_password(db: Session, user: User, new_password: str, *, now: datetime, must_change: bool) -> None:
    """Store a new password hash, remembering it for the no-reuse rule."""
    h = hash_password(new_password)
    user.password_hash = h
    user.password_changed_at = now
    user.must_change_password = must_change
    db.add(PasswordHistory(user_id=user.id, password_hash=h, created_at=now))
    db.flush()


def change_password(db: Session, principal: Principal, session_id: int, old: str, new: str, *, now: datetime) -> None:
    user = db.get(User, principal.user_id)
    assert user is not None
    key = name_key(user.username)
    count, locked_until = _count_attempt(db, key, now)
    if locked_until is not None and locked_until > now:
        revoke_user_sessions(db, user.id, now=now)
        raise _locked(locked_until)
    if not verify_password(user.password_hash, old):
        # A stolen session must not become a password oracle: wrong guesses count toward lockout.
        audit.append(db, principal.actor, "password.change_failure", at=now, detail={"consecutive_failures": count})
        if count >= get_int(db, "login.max_failures"):
            until = _lock(db, key, now)
            revoke_user_sessions(db, user.id, now=now)
            audit.append(db, principal.actor, "login.lockout", at=now)
            raise _locked(until)
        raise BadRequest("原密码不正确 / current password is wrong", code="wrong_password")
    db.execute(delete(LoginFailure).where(LoginFailure.name_hash == key))
    problems = policy_violations(new, username=user.username, min_length=get_int(db, "password.min_length"))
    keep = get_int(db, "password.history_count")
    recent = db.scalars(
        select(PasswordHistory.password_hash)
        .where(PasswordHistory.user_id == user.id)
        .order_by(PasswordHistory.id.desc())
        .limit(keep)
    ).all()
    if any(verify_password(h, new) for h in [user.password_hash, *recent]):
        problems.append(f"不能与最近 {keep} 次使用的密码相同 / must differ from the last {keep} passwords")
    if problems:
        raise BadRequest(
            "新密码不符合密码策略 / the new password breaks the password policy",
            code="password_policy",
            details=problems,
        )
    set_password(db, user, new, now=now, must_change=False)
    revoke_user_sessions(db, user.id, now=now, keep=session_id)
    audit.append(db, principal.actor, "password.change", at=now, target_type="user", target_id=user.id)
