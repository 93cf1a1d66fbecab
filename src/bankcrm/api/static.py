"""The built web bundle (``settings.web_dist``, from ``npm run build``): compressed, cached, SPA fallback.

- ``/assets/*``: the hashed files Vite writes. Sent with ``Cache-Control: public, max-age=31536000,
  immutable`` (a new build has new names, so a name's content never changes) and, when the browser
  accepts it, as the Brotli or gzip copy the build wrote beside the file (``name.js.br``,
  ``name.js.gz``; vite-plugin-compression2 in ``web/vite.config.ts``). Compressing once at build time
  costs nothing per request and gets the best ratio; a file without a copy is sent as it is. A missing
  asset is a 404 (JSON, as every error), never the page: a script tag must not receive HTML.
- Anything else that is not under ``/api/``: a file at the top of the bundle if one exists, else
  ``index.html`` (the client-side router owns the path), both ``Cache-Control: no-cache`` so a new
  release is picked up on the next visit. ``/api/...`` paths that no router answered stay JSON 404s.

Decision 0019.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.staticfiles import NotModifiedResponse, PathLike, StaticFiles
from starlette.types import Scope

from bankcrm.api.deps import Public

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# The server's order of preference among equally acceptable codings, with the suffix of each copy.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
SUFFIXES = dict(ENCODINGS)


def accepted_encodings(accept_encoding: str) -> list[str]:
    """The codings of ``ENCODINGS`` the ``Accept-Encoding`` value allows, best first (by q-value, then
    by the server's preference). ``q=0`` refuses a coding; ``*`` stands for the codings not named."""
    weights: dict[str, float] = {}
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0  # a malformed weight is not a yes
        weights[name] = q
    ranked = []
    for order, (coding, _) in enumerate(ENCODINGS):
        q = weights.get(coding, weights.get("*", 0.0))
        if q > 0:
            ranked.append((-q, order, coding))
    return [coding for _, _, coding in sorted(ranked)]


class BundleFiles(StaticFiles):
    """Files of the bundle with the given ``Cache-Control``, from their precompressed copy when the
    request accepts one, with ``Vary: Accept-Encoding`` (a cache keeps one answer per coding).
    Conditional requests (``If-None-Match``/``If-Modified-Since``) get a 304; each copy has its own ETag."""

    def __init__(self, *, directory: Path, cache_control: str) -> None:
        super().__init__(directory=directory)
        self.cache_control = cache_control

    def file_response(
        self, full_path: PathLike, stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        request_headers = Headers(scope=scope)
        media_type = mimetypes.guess_type(str(full_path))[0] or "application/octet-stream"
        headers = {"Cache-Control": self.cache_control, "Vary": "Accept-Encoding"}
        response: FileResponse | None = None
        for coding in accepted_encodings(request_headers.get("accept-encoding", "")):
            variant = f"{os.fspath(full_path)}{SUFFIXES[coding]}"
            try:
                variant_stat = os.stat(variant)
            except OSError:
                continue  # no copy in this coding (small files are not compressed)
            response = FileResponse(
                variant,
                status_code=status_code,
                stat_result=variant_stat,
                media_type=media_type,
                headers={**headers, "Content-Encoding": coding},
            )
            break
        if response is None:
            response = FileResponse(
                full_path, status_code=status_code, stat_result=stat_result, media_type=media_type, headers=headers
            )
        if self.is_not_modified(response.headers, request_headers):
            return NotModifiedResponse(response.headers)
        return response


def mount_web(app: FastAPI, dist: Path) -> None:
    """Serve the bundle at ``dist`` when it has been built (no ``index.html``: the API alone)."""
    index = dist / "index.html"
    if not index.is_file():
        return
    if (dist / "assets").is_dir():
        app.mount("/assets", BundleFiles(directory=dist / "assets", cache_control=IMMUTABLE), name="assets")
    top = BundleFiles(directory=dist, cache_control=REVALIDATE)

    @app.get("/{path:path}", include_in_schema=False, dependencies=[Public])
    async def spa(path: str, request: Request) -> Response:
        if path == "api" or path.startswith("api/"):
            raise StarletteHTTPException(404)
        full_path, stat_result = await run_in_threadpool(top.lookup_path, path) if path else ("", None)
        if stat_result is None or not stat.S_ISREG(stat_result.st_mode):
            full_path, stat_result = str(index), await run_in_threadpool(os.stat, index)
        return top.file_response(full_path, stat_result, request.scope)
