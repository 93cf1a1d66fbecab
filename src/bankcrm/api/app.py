"""The FastAPI application factory: routers per domain, error handling, the web bundle."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, text
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bankcrm import __version__
from bankcrm.api.deps import DbSession, Public
from bankcrm.api.i18n import lang_of, lang_of_headers, localize, pick
from bankcrm.api.static import mount_web
from bankcrm.auth.router import router as auth_router
from bankcrm.auth.throttle import LoginThrottle
from bankcrm.clock import Clock
from bankcrm.config import Settings, get_settings
from bankcrm.customers.router import router as customers_router
from bankcrm.db import WORKER_THREADS, make_engine, make_sessionmaker
from bankcrm.errors import DomainError
from bankcrm.etl.router import router as etl_router
from bankcrm.jobs import Jobs
from bankcrm.orgs.router import router as orgs_router
from bankcrm.query.router import router as query_router
from bankcrm.system.router import router as system_router

log = logging.getLogger("bankcrm.api")

MAX_BODY_BYTES = 1_000_000
# Every domain router; the route sweep test walks these, so a router must be listed here to be mounted.
ROUTERS = (auth_router, orgs_router, system_router, customers_router, query_router, etl_router)


def _error(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"code": code, "message": message, "details": details})


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Echo where and why, never the submitted value (it may be a password or an ID number).
    return [
        {"loc": [str(x) for x in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]


class BodyLimit:
    """Refuse bodies past ``limit`` bytes however they arrive: ``Content-Length`` can be absent
    (chunked transfer), so the bytes are counted as they are read."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise StarletteHTTPException(413)
            return message

        await self.app(scope, counted, send)


SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)


class Envelope:
    """What every response carries, as plain ASGI (no per-request task group): a declared body past
    the limit is refused before it is read; security headers; ``no-store`` on the API; and
    ``Server-Timing: app;dur=<ms>``, the server's own time up to the response headers (what the
    benchmarks report as server-side latency, and what operators see in the browser's network tab;
    ``settings.server_timing`` turns it off)."""

    def __init__(self, app: ASGIApp, *, timing: bool = True) -> None:
        self.app = app
        self.timing = timing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        api = scope["path"].startswith("/api/")
        responded = False

        async def send_with_headers(message: Message) -> None:
            nonlocal responded
            if message["type"] == "http.response.start":
                responded = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    if name not in headers:
                        headers.append(name, value)
                if api and "cache-control" not in headers:
                    headers.append("Cache-Control", "no-store")
                if self.timing:
                    headers.append("Server-Timing", f"app;dur={(time.perf_counter() - started) * 1000:.2f}")
            await send(message)

        for name, value in scope["headers"]:
            # A length of more than 7 digits is over the limit whatever it says (and int() of thousands
            # of digits is refused by Python itself).
            if name == b"content-length" and (not value.isdigit() or len(value) > 7 or int(value) > MAX_BODY_BYTES):
                message = pick("请求体过大 / request body too large", lang_of_headers(scope["headers"]))
                await _error(413, "too_large", message)(scope, receive, send_with_headers)
                return
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # Answered here, inside this middleware, so the 500 carries the headers too (Starlette's own
            # error middleware sits outside every other).
            if responded:
                raise
            log.exception("unhandled error", extra={"path": scope["path"], "method": scope["method"]})
            message = pick("系统内部错误，请稍后再试 / internal error", lang_of_headers(scope["headers"]))
            await _error(500, "internal_error", message)(scope, receive, send_with_headers)


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    clock: Clock | None = None,
    jobs: Jobs | None = None,
) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Loads handed over by `bankcrm etl load` while this server holds the warehouse.
        from bankcrm.etl.service import serve_queue

        # As many request threads as the pool has connections for (db.WORKER_THREADS): no thread waits
        # for a connection while holding one of the others' turns.
        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        stop = threading.Event()
        poller = threading.Thread(
            target=serve_queue,
            args=(app.state.sessionmaker, app.state.warehouse, app.state.jobs.submit, app.state.clock, stop),
            name="bankcrm-etl-queue",
            daemon=True,
        )
        poller.start()
        yield
        stop.set()
        poller.join(timeout=5)
        app.state.jobs.shutdown()  # a running load finishes (or fails and is recorded) before exit
        app.state.close_warehouse()

    app = FastAPI(
        lifespan=lifespan,
        title="bankcrm",
        version=__version__,
        description="商业银行客户关系管理系统 API / Bank CRM API",
        docs_url="/docs",
        openapi_url="/openapi.json",
        redoc_url=None,
    )
    app.state.engine = engine or make_engine(settings.resolved_database_url())
    app.state.sessionmaker = make_sessionmaker(app.state.engine)
    app.state.clock = clock or Clock()
    app.state.warehouse, app.state.close_warehouse = _warehouse_opener(settings)
    app.state.jobs = jobs or Jobs()
    app.state.settings = settings
    from bankcrm.refs import Refs

    app.state.refs = Refs(settings)
    app.state.login_throttle = LoginThrottle(
        per_address=settings.login_throttle_per_address, per_account=settings.login_throttle_per_account
    )

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        lang = lang_of(request.headers.get("accept-language"))
        response = _error(exc.status_code, exc.code, pick(exc.message, lang), localize(exc.details, lang))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        lang = lang_of(request.headers.get("accept-language"))
        return _error(422, "validation_error", pick("请求参数不正确 / invalid request", lang), _validation_details(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(exc.status_code, "http_error")
        message = {
            404: "资源不存在 / not found",
            405: "不支持的方法 / method not allowed",
            413: "请求体过大 / request body too large",
        }.get(exc.status_code, str(exc.detail))
        return _error(exc.status_code, code, pick(message, lang_of(request.headers.get("accept-language"))))

    app.add_middleware(BodyLimit)
    app.add_middleware(Envelope, timing=settings.server_timing)  # added last: the outermost

    @app.get("/healthz", tags=["ops"], operation_id="ops-healthz", dependencies=[Public])
    def healthz(db: DbSession) -> dict[str, str]:
        db.execute(text("SELECT 1"))
        return {"status": "ok", "database": app.state.engine.dialect.name}

    for router in ROUTERS:
        app.include_router(router)

    mount_web(app, settings.web_dist)  # last: its catch-all route answers what no router did
    return app


def _warehouse_opener(settings: Settings) -> tuple[Any, Any]:
    """A per-request handle on one shared warehouse (DuckDB: a cursor of one connection; PostgreSQL: a
    pooled engine), opened on first use; and its closer."""
    state: dict[str, Any] = {}

    def cursor() -> Any:
        if "con" not in state:
            from bankcrm import warehouse
            from bankcrm.etl import snapshot
            from bankcrm.etl.loader import ensure_schema

            state["con"] = warehouse.connect(settings)
            ensure_schema(state["con"])
            snapshot.ensure_schema(state["con"])
        return state["con"].reader()

    def close() -> None:
        if "con" in state:
            state.pop("con").close()

    return cursor, close
