"""One small real catalogue (tests/hardening/catalogue.py) for the session, served by `mooc serve` with the
rate limit off (tests/hardening/test_rate_limit.py serves its own, limited)."""
from __future__ import annotations

import httpx
import pytest

from tests.api.conftest import Server
from tests.hardening import catalogue


@pytest.fixture(scope="session")
def small_catalogue(tmp_path_factory):
    return catalogue.build(tmp_path_factory.mktemp("hardening_catalogue"))


@pytest.fixture(scope="session")
def served(small_catalogue, tmp_path_factory):
    log = tmp_path_factory.mktemp("hardening_serve") / "serve.log"
    server = Server(*small_catalogue["options"], env=small_catalogue["env"], log=log).wait()
    try:
        with httpx.Client(base_url=server.base, timeout=30) as http:
            yield {**small_catalogue, "base": server.base, "port": server.port, "http": http, "log": log,
                   "server": server}
    finally:
        server.stop()
