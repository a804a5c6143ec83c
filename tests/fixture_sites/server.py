"""A local HTTP server that replays a fixture platform.

A site is a folder with ``site.yaml`` and the bodies it serves::

    routes:
      - path: /api/courses/v1/courses/     # exact path
        query: {page: "2"}                 # these query parameters must match (others ignored)
        method: GET                        # default GET
        file: page2.json                   # body file in the folder (or `body:` inline text)
        content_type: application/json
        status: 200
        headers: {ETag: '"v1"'}
        fail_first: [{status: 500}, {status: 429, headers: {Retry-After: "1"}}]  # answered before the real body
        etag: '"v1"'                       # sends ETag and answers If-None-Match with 304
        delay: 0.5                         # seconds to wait before answering (a slow platform)

``${BASE}`` in text bodies becomes the server's base URL, so absolute links
(``pagination.next``) point back at it. A route's most specific match wins
(the one with most query parameters). Every request is logged in
``server.requests`` for the tests to inspect.
"""
from __future__ import annotations

import argparse
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml

SITES_DIR = Path(__file__).resolve().parent


@dataclass
class Route:
    path: str
    method: str = "GET"
    query: dict[str, str] = field(default_factory=dict)
    file: str | None = None
    body: str | None = None
    content_type: str = "application/json"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    fail_first: list[dict[str, Any]] = field(default_factory=list)
    etag: str | None = None
    delay: float = 0
    hits: int = 0

    def matches(self, method: str, path: str, query: dict[str, list[str]]) -> bool:
        return (self.method == method and self.path == path
                and all(query.get(k, [None])[0] == str(v) for k, v in self.query.items()))


@dataclass
class LoggedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    status: int
    sent_bytes: int


class FixtureSite:
    def __init__(self, folder: Path, port: int = 0):
        self.folder = Path(folder)
        spec = yaml.safe_load((self.folder / "site.yaml").read_text(encoding="utf-8"))
        self.routes = [Route(**{k: v for k, v in r.items()}) for r in spec["routes"]]
        self.requests: list[LoggedRequest] = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread: threading.Thread | None = None

    def start(self) -> FixtureSite:
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> FixtureSite:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def requests_to(self, path: str) -> list[LoggedRequest]:
        return [r for r in self.requests if r.path == path]

    def body_of(self, route: Route) -> bytes:
        if route.file:
            data = (self.folder / route.file).read_bytes()
        else:
            data = (route.body or "").encode("utf-8")
        if route.file is None or not route.file.endswith((".gz", ".bin")):
            data = data.replace(b"${BASE}", self.base.encode())
        return data

    def respond(self, method: str, target: str, headers: dict[str, str], body: bytes):
        parts = urlsplit(target)
        query = parse_qs(parts.query, keep_blank_values=True)
        with self.lock:
            candidates = [r for r in self.routes if r.matches(method, parts.path, query)]
            route = max(candidates, key=lambda r: len(r.query), default=None)
        if route is not None and route.delay:
            time.sleep(route.delay)  # outside the lock: other requests are answered meanwhile
        with self.lock:
            if route is None:
                status, out_headers, data = 404, {"Content-Type": "text/plain"}, b"not found"
            else:
                route.hits += 1
                if route.hits <= len(route.fail_first):
                    failure = route.fail_first[route.hits - 1]
                    status = int(failure.get("status", 500))
                    out_headers = {"Content-Type": "text/plain", **failure.get("headers", {})}
                    data = str(failure.get("body", f"fixture failure {status}")).encode()
                elif route.etag and headers.get("If-None-Match") == route.etag:
                    status, out_headers, data = 304, {"ETag": route.etag}, b""
                else:
                    status = route.status
                    out_headers = {"Content-Type": route.content_type, **route.headers}
                    if route.etag:
                        out_headers["ETag"] = route.etag
                    data = self.body_of(route)
            self.requests.append(LoggedRequest(method, parts.path, query, headers, body, status, len(data)))
        return status, out_headers, data

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, headers, data = site.respond(method, self.path, dict(self.headers.items()), body)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if method != "HEAD":
                    self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

            def do_HEAD(self) -> None:  # noqa: N802
                self._serve("HEAD")

            def log_message(self, *args) -> None:
                pass

        return Handler


def site(name: str, port: int = 0) -> FixtureSite:
    return FixtureSite(SITES_DIR / name, port)


if __name__ == "__main__":  # serve one fixture site in the foreground (used by the demo)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    running = site(args.site, args.port)
    print(running.base, flush=True)
    running.httpd.serve_forever()
