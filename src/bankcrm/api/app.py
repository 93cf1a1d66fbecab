"""The FastAPI application factory: routers per domain, error handling, the web bundle."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_flat_params
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy import Engine, text
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bankcrm import __version__
from bankcrm.api.deps import SAFE_METHODS, Authenticated, DbSession, Public, PublicAccess, Requires
from bankcrm.api.i18n import lang_of, lang_of_headers, localize, pick
from bankcrm.api.static import mount_web
from bankcrm.auth.router import router as auth_router
from bankcrm.auth.throttle import LoginThrottle
from bankcrm.clock import Clock
from bankcrm.config import Settings, get_settings
from bankcrm.customers.router import router as customers_router
from bankcrm.db import WORKER_THREADS, make_engine, make_sessionmaker
from bankcrm.errors import ERROR_STATUSES, DomainError
from bankcrm.etl.router import router as etl_router
from bankcrm.jobs import Jobs
from bankcrm.orgs.router import router as orgs_router
from bankcrm.query.router import router as query_router
from bankcrm.schemas import INCONSISTENT, ErrorOut
from bankcrm.system.router import router as system_router

log = logging.getLogger("bankcrm.api")

MAX_BODY_BYTES = 1_000_000
# Every domain router; the route sweep test walks these, so a router must be listed here to be mounted.
ROUTERS = (auth_router, orgs_router, system_router, customers_router, query_router, etl_router)


def _error(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        status_code=status, content={"code": code, "message": message, "details": details}, headers=headers
    )


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


# What the web bundle needs and nothing more: its own scripts (Vite emits no inline script), styles
# from itself plus the ones Ant Design injects at run time ('unsafe-inline' for styles only), images
# from itself, data: and blob: (the favicon, ECharts' exports), calls to its own API only; no plugin,
# no framing, forms and <base> only to itself.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
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
        # The document is served by ``openapi_route`` below, to signed-in users only; no browsable
        # UI (decision 0013: its scripts came from a public CDN a bank's closed network cannot reach).
        docs_url=None,
        openapi_url=None,
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
        details = _validation_details(exc)
        if details and all(d["type"] == INCONSISTENT for d in details):
            return _error(400, INCONSISTENT, pick("请求条件相互矛盾 / the request contradicts itself", lang), details)
        return _error(422, "validation_error", pick("请求参数不正确 / invalid request", lang), details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(exc.status_code, "http_error")
        message = {
            404: "资源不存在 / not found",
            405: "不支持的方法 / method not allowed",
            413: "请求体过大 / request body too large",
        }.get(exc.status_code, str(exc.detail))
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # RFC 9110: a 405 names every method the path has (Starlette names the first route's only).
            headers["Allow"] = ", ".join(_allowed_methods(app, request.scope))
        lang = lang_of(request.headers.get("accept-language"))
        return _error(exc.status_code, code, pick(message, lang), headers=headers or None)

    app.add_middleware(BodyLimit)
    app.add_middleware(Envelope, timing=settings.server_timing)  # added last: the outermost

    @app.get("/healthz", tags=["ops"], operation_id="ops-healthz", dependencies=[Public])
    def healthz(db: DbSession) -> dict[str, str]:
        db.execute(text("SELECT 1"))
        return {"status": "ok", "database": app.state.engine.dialect.name}

    for router in ROUTERS:
        app.include_router(router)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = openapi_document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_route(p: Authenticated) -> JSONResponse:
        """The API's contract, for signed-in users (it maps every route; no customer data)."""
        return JSONResponse(app.openapi())

    mount_web(app, settings.web_dist)  # last: its catch-all route answers what no router did
    return app


def all_routes(app: FastAPI) -> list[Route]:
    """The app's own routes and those of every domain router (FastAPI keeps an included router as
    one entry of ``app.routes``; ROUTERS are included without a prefix, so their paths are final)."""
    direct = [r for r in app.router.routes if isinstance(r, Route)]
    return [*direct, *(r for router in ROUTERS for r in router.routes if isinstance(r, Route))]


def _allowed_methods(app: FastAPI, scope: Scope) -> list[str]:
    methods: set[str] = set()
    for route in all_routes(app):
        if route.methods and route.matches(scope)[0] != Match.NONE:
            methods |= route.methods
    return sorted(methods)


def _access_rule(dependant: Dependant) -> Requires | PublicAccess | None:
    if isinstance(dependant.call, Requires | PublicAccess):
        return dependant.call
    for sub in dependant.dependencies:
        found = _access_rule(sub)
        if found is not None:
            return found
    return None


def error_statuses(route: APIRoute) -> set[int]:
    """The error statuses a route can answer whatever it does, from what it declares: its access
    rule (401 not signed in; 403 no permission, CSRF or cross-site, password change pending), its
    method (writes: 400 when the body is not JSON), its parameters (404 for an id in the path,
    422 for invalid input) and its body (413 past the limit). What a service refuses on its own
    (a login's 423...) the route declares with ``errors.error_responses``."""
    write = bool((route.methods or set()) - SAFE_METHODS)
    rule = _access_rule(route.dependant)
    statuses: set[int] = set()
    if write:
        statuses |= {400, 403}  # not JSON; a foreign Origin (and for signed-in routes, CSRF)
    if isinstance(rule, Requires):
        statuses.add(401)
        if rule.codes or not rule.allow_pending_password:
            statuses.add(403)
        if write and rule.codes:
            statuses.add(409)  # a change can conflict with the current state (taken code, non-empty org...)
    if route.param_convertors:
        statuses.add(404)
    if route.body_field is not None:
        statuses.add(413)
    if route.body_field is not None or get_flat_params(route.dependant):
        statuses.add(422)
    return statuses


ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


def _names_an_id(doc: dict[str, Any], operation: dict[str, Any]) -> bool:
    """Whether a request's query or body carries a property named ``*_id`` / ``*_ids`` (or an
    account reference), at any depth of the body."""
    schemas = doc.get("components", {}).get("schemas", {})
    seen: set[str] = set()

    def walk(node: Any) -> bool:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = ref.rsplit("/", 1)[-1]
                if name in seen:
                    return False
                seen.add(name)
                return walk(schemas.get(name, {}))
            props = node.get("properties", {})
            if any(p.endswith(("_id", "_ids")) or p == "ref" for p in props):
                return True
            return any(walk(v) for v in node.values())
        if isinstance(node, list):
            return any(walk(v) for v in node)
        return False

    query = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
    return any(n.endswith(("_id", "_ids")) for n in query) or walk(operation.get("requestBody", {}))


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document made true: every error status each route can answer, each with the one
    error body (``ErrorOut``) the handlers above write, in place of FastAPI's own 422 body."""
    doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    for route in all_routes(app):
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        for method in route.methods or ():
            operation = doc["paths"][route.path_format][method.lower()]
            responses = operation["responses"]
            statuses = error_statuses(route)
            if isinstance(_access_rule(route.dependant), Requires) and _names_an_id(doc, operation):
                statuses.add(404)  # an org, user, role... named in the query or body may not exist (or be out of scope)
            for status in sorted(statuses):
                if str(status) not in responses or status == 422:
                    responses[str(status)] = {
                        "description": ERROR_STATUSES[status],
                        "content": {"application/json": {"schema": ERROR_REF}},
                    }
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    text = json.dumps(doc)
    for unused in ("HTTPValidationError", "ValidationError"):
        if f'"#/components/schemas/{unused}"' not in text:
            schemas.pop(unused, None)
    return doc


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
