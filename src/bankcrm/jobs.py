"""The server's job runner: long work (loads, batch steps) runs beside the web requests, one job at
a time, on the server's own warehouse connection, so that in the embedded default (one writer per
DuckDB file) a load never blocks or breaks the readers. Injectable: tests run jobs inline."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger("bankcrm.jobs")


class Jobs:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bankcrm-job")

    def submit(self, name: str, fn: Callable[[], object]) -> Future[object]:
        def run() -> object:
            try:
                return fn()
            except Exception:
                log.exception("job failed", extra={"job": name})
                raise

        return self._pool.submit(run)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)


class InlineJobs(Jobs):
    """Runs each job at once in the caller's thread (tests)."""

    def __init__(self) -> None:
        pass

    def submit(self, name: str, fn: Callable[[], object]) -> Future[object]:
        f: Future[object] = Future()
        try:
            f.set_result(fn())
        except Exception as e:  # the job records its own failure; the future carries it
            f.set_exception(e)
        return f

    def shutdown(self) -> None:
        pass
