"""Domain exceptions carrying their HTTP status; one handler in ``api.app`` maps them to JSON."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details
        self.headers: dict[str, str] | None = None


class BadRequest(DomainError):
    status_code = 400
    code = "bad_request"


class NotAuthenticated(DomainError):
    status_code = 401
    code = "not_authenticated"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class Locked(DomainError):
    status_code = 423
    code = "account_locked"


class TooManyRequests(DomainError):
    status_code = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, code: str | None = None, retry_after: int) -> None:
        super().__init__(message, code=code, details={"retry_after": retry_after})
        self.headers = {"Retry-After": str(retry_after)}


# What each error status means, for the OpenAPI document (the body is always ``schemas.ErrorOut``).
ERROR_STATUSES: dict[int, str] = {
    400: "请求无法处理 / bad request (code names why: not JSON, a business rule...)",
    401: "未登录或会话已过期 / not signed in, or the session expired",
    403: "无权限、CSRF 校验失败或须先修改初始密码 / forbidden: permission, CSRF, or password change pending",
    404: "不存在或不在本人数据范围内 / not found, or outside the caller's data scope",
    409: "与当前状态冲突 / conflicts with the current state",
    413: "请求体过大 / request body too large",
    422: "请求参数不正确 / invalid request (details name the fields, never the values)",
    423: "账号已锁定 / account locked",
    429: "请求过于频繁 / too many requests",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: each status answered with the one error body of ``api.app``."""
    from bankcrm.schemas import ErrorOut

    return {s: {"model": ErrorOut, "description": ERROR_STATUSES[s]} for s in statuses}
