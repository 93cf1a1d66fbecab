"""The built web bundle as the server sends it (``api.static``): precompressed copies chosen by
``Accept-Encoding``, a year's cache on hashed assets, ``no-cache`` on the page, the SPA fallback."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bankcrm.api.app import create_app
from bankcrm.api.static import IMMUTABLE, accepted_encodings
from bankcrm.config import Settings
from bankcrm.db import make_engine

INDEX = b'<!doctype html><html><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head></html>'
SCRIPT = b"export const answer = 42;\n" * 200
STYLE = b".a{color:red}\n" * 100
# The server picks the file and never looks inside: a stand-in for the Brotli copy the build writes.
SCRIPT_BR = b"(brotli copy of the script)"


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A tiny bundle laid out as ``vite build`` writes it: index.html, hashed assets with .gz and .br
    copies (one asset without copies, as the build leaves files under its size threshold)."""
    root = tmp_path / "dist"
    assets = root / "assets"
    assets.mkdir(parents=True)
    (root / "index.html").write_bytes(INDEX)
    (root / "robots.txt").write_bytes(b"User-agent: *\n")
    (assets / "index-Ab12Cd34.js").write_bytes(SCRIPT)
    (assets / "index-Ab12Cd34.js.gz").write_bytes(gzip.compress(SCRIPT))
    (assets / "index-Ab12Cd34.js.br").write_bytes(SCRIPT_BR)
    (assets / "small-Ef56Gh78.css").write_bytes(STYLE)
    return root


@pytest.fixture
def web(dist: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(web_dist=dist, var_dir=tmp_path / "var")
    app = create_app(settings, engine=make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}"))
    # httpx would decode the body and ask for gzip by itself: each test says what it accepts.
    with TestClient(app) as client:
        yield client


def get(client: TestClient, path: str, accept: str | None, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and the body bytes exactly as sent (not decoded)."""
    sent = {"Accept-Encoding": accept if accept is not None else "identity", **headers}
    with client.stream("GET", path, headers=sent) as r:
        return r.status_code, dict(r.headers), b"".join(r.iter_raw())


def test_hashed_assets_are_cached_for_a_year_and_sent_in_the_best_accepted_coding(web: TestClient) -> None:
    path = "/assets/index-Ab12Cd34.js"
    status, headers, body = get(web, path, "gzip, deflate, br, zstd")
    assert status == 200 and headers["content-encoding"] == "br" and body == SCRIPT_BR
    assert headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"
    assert headers["vary"] == "Accept-Encoding"
    assert headers["content-type"].startswith("text/javascript")  # the original's type, not gzip's
    assert int(headers["content-length"]) == len(body)
    assert headers["x-content-type-options"] == "nosniff"  # the envelope's headers still apply

    status, headers, body = get(web, path, "gzip")
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == SCRIPT
    assert headers["cache-control"] == IMMUTABLE

    for refusing in (None, "br;q=0, gzip;q=0", "compress", ""):
        status, headers, body = get(web, path, refusing)
        assert status == 200 and "content-encoding" not in headers and body == SCRIPT, refusing
        assert headers["cache-control"] == IMMUTABLE and headers["vary"] == "Accept-Encoding"


def test_an_asset_without_compressed_copies_is_sent_as_it_is(web: TestClient) -> None:
    status, headers, body = get(web, "/assets/small-Ef56Gh78.css", "gzip, br")
    assert status == 200 and "content-encoding" not in headers and body == STYLE
    assert headers["content-type"].startswith("text/css") and headers["cache-control"] == IMMUTABLE


def test_each_coding_has_its_own_etag_and_a_revalidation_is_a_304(web: TestClient) -> None:
    path = "/assets/index-Ab12Cd34.js"
    _, br_headers, _ = get(web, path, "br")
    _, gz_headers, _ = get(web, path, "gzip")
    _, raw_headers, _ = get(web, path, None)
    assert len({br_headers["etag"], gz_headers["etag"], raw_headers["etag"]}) == 3
    status, headers, body = get(web, path, "br", **{"If-None-Match": br_headers["etag"]})
    assert status == 304 and body == b"" and headers["cache-control"] == IMMUTABLE
    # The gzip copy's tag does not validate the Brotli answer.
    status, _, body = get(web, path, "br", **{"If-None-Match": gz_headers["etag"]})
    assert status == 200 and body == SCRIPT_BR


def test_a_missing_asset_is_a_json_404_not_the_page(web: TestClient) -> None:
    for path in ("/assets/index-00000000.js", "/assets/%2e%2e/index.html", "/assets/sub/"):
        r = web.get(path)
        assert r.status_code == 404 and r.json()["code"] == "not_found", path


def test_the_page_and_every_client_route_get_index_html_revalidated_each_time(web: TestClient) -> None:
    for path in ("/", "/login", "/customers/42", "/system/orgs", "/index.html", "/assets", "/no/such/page.js"):
        status, headers, body = get(web, path, "gzip, br")
        assert status == 200 and body == INDEX, path
        assert headers["cache-control"] == "no-cache" and headers["content-type"].startswith("text/html"), path
    status, headers, body = get(web, "/robots.txt", "gzip")
    assert status == 200 and body == b"User-agent: *\n" and headers["cache-control"] == "no-cache"


def test_the_fallback_never_escapes_the_bundle(web: TestClient, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("not for the web")
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"):
        r = web.get(path)
        assert "not for the web" not in r.text, path


def test_api_paths_no_router_answers_stay_json_404s(web: TestClient) -> None:
    for path in ("/api/no-such-route", "/api/", "/api", "/api/assets/index-Ab12Cd34.js"):
        r = web.get(path, headers={"Accept": "text/html"})
        assert r.status_code == 404 and r.json() == {
            "code": "not_found",
            "message": "资源不存在",
            "details": None,
        }
        assert path == "/api" or r.headers["cache-control"] == "no-store", path


def test_without_a_built_bundle_only_the_api_answers(tmp_path: Path) -> None:
    settings = Settings(web_dist=tmp_path / "missing", var_dir=tmp_path / "var")
    client = TestClient(create_app(settings, engine=make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")))
    assert client.get("/").status_code == 404 and client.get("/assets/index-Ab12Cd34.js").status_code == 404


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", []),
        ("identity", []),
        ("gzip", ["gzip"]),
        ("gzip, br", ["br", "gzip"]),  # equal weights: the server prefers Brotli (smaller)
        ("br;q=0.5, gzip", ["gzip", "br"]),  # the client's weights come first
        ("GZIP;Q=0.3", ["gzip"]),
        ("br;q=0, gzip;q=0", []),
        ("*", ["br", "gzip"]),
        ("*;q=0.2, gzip", ["gzip", "br"]),
        ("br;q=x, gzip", ["gzip"]),  # a malformed weight is a no
        (" , ;q=1, br ;q=1", ["br"]),
    ],
)
def test_accept_encoding_is_read_with_its_weights(header: str, expected: list[str]) -> None:
    assert accepted_encodings(header) == expected
