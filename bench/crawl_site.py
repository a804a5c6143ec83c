"""A generated Open edX platform on 127.0.0.1 for crawl benchmarks: ``pages`` × ``per_page`` courses in the LMS
Course List API's shape (``results`` + ``pagination.next``), robots.txt answering 404, no ETags (every re-crawl
gets 200s, so an unchanged re-crawl is measured without the HTTP cache's help)."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

API = "/api/courses/v1/courses/"


def course(i: int, base: str) -> dict:
    key = f"course-v1:BenchX+C{i:06d}+2026_T1"
    return {
        "blocks_url": f"{base}/api/courses/v1/blocks/?course_id={key}", "course_id": key, "id": key,
        "effort": "3:00", "end": "2026-12-31T00:00:00Z", "enrollment_start": "2026-01-01T00:00:00Z",
        "enrollment_end": None, "hidden": False, "invitation_only": False, "mobile_available": True,
        "media": {"course_image": {"uri": f"/asset-v1:BenchX+C{i:06d}+2026_T1+type@asset+block@img.jpg"}},
        "name": f"Data science for public health, part {i}", "number": f"C{i:06d}", "org": "BenchX",
        "pacing": "instructor" if i % 3 else "self",
        "short_description": f"<p>Course {i}: an introduction to <b>data</b> analysis with examples from Europe "
                             "and Asia.</p>",
        "start": "2026-03-01T00:00:00Z", "start_display": "March 1, 2026", "start_type": "timestamp",
    }


def page_body(page: int, pages: int, per_page: int, base: str) -> bytes:
    results = [course((page - 1) * per_page + k, base) for k in range(per_page)]
    following = f"{base}{API}?page={page + 1}" if page < pages else None
    return json.dumps({"results": results, "pagination": {
        "next": following, "previous": None, "count": pages * per_page, "num_pages": pages}}).encode()


@contextmanager
def serve_openedx(pages: int, per_page: int) -> Iterator[str]:
    """Serve the platform; yields its base URL."""
    cache: dict[int, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            parts = urlsplit(self.path)
            if parts.path != API:
                self.send_error(404)
                return
            page = int((parse_qs(parts.query).get("page") or ["1"])[0])
            if not 1 <= page <= pages:
                self.send_error(404)
                return
            body = cache.get(page) or cache.setdefault(page, page_body(page, pages, per_page, base))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
