"""Rate limiting per client (search_api/ratelimit.py): a real `mooc serve` with a small limit, clients on
different loopback addresses (127.0.0.1, 127.0.0.2, …: each a client of its own), the limit off, and
X-Forwarded-For honoured only from trusted proxies."""
from __future__ import annotations

import ipaddress
import subprocess

import httpx
import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_api.ratelimit import DEFAULT_LIMIT, client_address, parse_limit, parse_networks
from search_api.settings import Settings
from tests.api.conftest import MOOC, REPO, Server

LIMIT = 5


def client_from(base: str, address: str) -> httpx.Client:
    """An HTTP client whose connections leave from ``address`` (any of 127.0.0.0/8 is this machine)."""
    return httpx.Client(base_url=base, timeout=30, transport=httpx.HTTPTransport(local_address=address))


@pytest.fixture(scope="module")
def limited(small_catalogue, tmp_path_factory):
    env = {**small_catalogue["env"], "MOOC_RATE_LIMIT": f"{LIMIT}/minute"}
    log = tmp_path_factory.mktemp("rate_limit") / "serve.log"
    server = Server(*small_catalogue["options"], env=env, log=log).wait()   # wait() reads /openapi.json once
    try:
        yield server.base
    finally:
        server.stop()


def test_over_the_limit_a_client_gets_429_with_retry_after(limited):
    with client_from(limited, "127.0.0.3") as http:
        statuses = [http.get("/api/v1/search", params={"q": "data"}).status_code for _ in range(LIMIT)]
        assert statuses == [200] * LIMIT
        refused = http.get("/api/v1/search", params={"q": "data"})
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert refused.headers["content-type"].startswith("application/json")
        error = refused.json()["error"]
        assert error["parameter"] is None and f"{LIMIT} per 1 minute" in error["message"]
        for path in ("/api/v1/courses/fixturemooc:CHULA+DS101", "/api/v1/health", "/openapi.json"):
            assert http.get(path).status_code == 429              # one budget per client, every endpoint
        page = http.get("/", params={"q": "data"})
        assert page.status_code == 429 and page.headers["retry-after"] and "rate limit" in page.text
        assert http.get("/static/style.css").status_code == 200   # static files are not counted


def test_other_clients_are_not_affected(limited):
    with client_from(limited, "127.0.0.4") as greedy, client_from(limited, "127.0.0.5") as other:
        while greedy.get("/api/v1/platforms").status_code != 429:
            pass
        assert [other.get("/api/v1/platforms").status_code for _ in range(LIMIT)] == [200] * LIMIT
        # a forged X-Forwarded-For from an untrusted peer does not buy a fresh budget
        forged = greedy.get("/api/v1/platforms", headers={"X-Forwarded-For": "203.0.113.9"})
        assert forged.status_code == 429


def test_a_forged_x_forwarded_for_from_localhost_buys_no_fresh_budget(limited):
    """uvicorn rewrites the client address from X-Forwarded-For when the peer is in its
    FORWARDED_ALLOW_IPS (default 127.0.0.1): `mooc serve` must leave that to MOOC_TRUSTED_PROXIES."""
    with client_from(limited, "127.0.0.1") as http:
        while http.get("/api/v1/platforms").status_code != 429:
            pass
        forged = http.get("/api/v1/platforms", headers={"X-Forwarded-For": "203.0.113.10"})
        assert forged.status_code == 429


def test_disabled_no_request_is_refused(served):
    """The session's server runs with MOOC_RATE_LIMIT=0: more requests than the default limit allows."""
    count = int(DEFAULT_LIMIT.split("/")[0]) + 50
    with client_from(served["base"], "127.0.0.6") as http:
        statuses = {http.get("/api/v1/platforms").status_code for _ in range(count)}
    assert statuses == {200}


def test_limit_configuration():
    assert Settings.from_env({}).rate_limit == DEFAULT_LIMIT                  # on by default
    assert Settings.from_env({"MOOC_RATE_LIMIT": ""}).rate_limit == DEFAULT_LIMIT
    for off in ("0", "off", "OFF"):
        assert Settings.from_env({"MOOC_RATE_LIMIT": off}).rate_limit is None
    assert parse_limit("20/second;600/minute") == "20/second;600/minute"
    for bad in ("many", "10/fortnight", "-1/minute", "0/minute"):
        with pytest.raises(ValueError, match="MOOC_RATE_LIMIT"):
            parse_limit(bad)
    with pytest.raises(ValueError, match="MOOC_TRUSTED_PROXIES"):
        parse_networks("10.0.0.1, proxy.example")
    assert parse_networks(" 10.0.0.1, 192.168.0.0/16,::1") == ("10.0.0.1/32", "192.168.0.0/16", "::1/128")


def test_a_bad_limit_stops_mooc_serve_with_a_clear_message(small_catalogue):
    env = {**small_catalogue["env"], "MOOC_RATE_LIMIT": "lots"}
    done = subprocess.run([*MOOC, *small_catalogue["options"], "serve", "--port", "0"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "MOOC_RATE_LIMIT='lots'" in done.stderr


@pytest.mark.parametrize(("peer", "forwarded", "expected"), [
    ("198.51.100.7", ["1.2.3.4"], "198.51.100.7"),                       # untrusted peer: header ignored
    ("10.0.0.2", ["1.2.3.4"], "1.2.3.4"),                                # trusted proxy: the client it saw
    ("10.0.0.2", ["6.6.6.6, 1.2.3.4"], "1.2.3.4"),                       # a forged first hop is not believed
    ("10.0.0.2", ["1.2.3.4, 10.0.0.3"], "1.2.3.4"),                      # two trusted proxies in a row
    ("10.0.0.2", ["1.2.3.4", "10.0.0.3"], "1.2.3.4"),                    # the header repeated
    ("10.0.0.2", [], "10.0.0.2"),
    ("10.0.0.2", ["10.0.0.3"], "10.0.0.2"),
    ("10.0.0.2", ["[2001:db8::1]:4711"], "2001:db8::1"),
    ("10.0.0.2", ["1.2.3.4:80"], "1.2.3.4"),
    ("10.0.0.2", ["garbage"], "garbage"),
    (None, ["1.2.3.4"], "unknown"),
])
def test_the_client_behind_trusted_proxies(peer, forwarded, expected):
    trusted = [ipaddress.ip_network("10.0.0.0/24")]
    assert client_address(peer, forwarded, trusted) == expected


def test_x_forwarded_for_counts_per_client_only_behind_a_trusted_proxy(tmp_path):
    def app(trusted: str):
        settings = Settings.from_env({"MOOC_RATE_LIMIT": "2/minute", "MOOC_TRUSTED_PROXIES": trusted},
                                     db=tmp_path / "none.db", index_dir=tmp_path / "index")
        return create_app(settings)

    with TestClient(app("10.0.0.1"), client=("10.0.0.1", 4000)) as proxy:
        for address in ("1.1.1.1", "2.2.2.2"):
            statuses = [proxy.get("/api/v1/platforms", headers={"X-Forwarded-For": address}).status_code
                        for _ in range(3)]
            assert 429 not in statuses[:2] and statuses[2] == 429, (address, statuses)
    with TestClient(app("10.0.0.1"), client=("192.0.2.50", 4000)) as direct:
        statuses = [direct.get("/api/v1/platforms", headers={"X-Forwarded-For": f"1.1.1.{n}"}).status_code
                    for n in range(3)]
        assert statuses[2] == 429
