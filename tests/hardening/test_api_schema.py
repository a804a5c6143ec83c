"""schemathesis against the served OpenAPI document of a real `mooc serve`: every operation, every check
(no 5xx, responses match their schemas, documented status codes and content types, valid requests
accepted and invalid ones refused), a bounded number of examples with a fixed seed. The long run, random:
`make fuzz-api` (bench/fuzz_api.py)."""
from __future__ import annotations

from bench.fuzz_api import fuzz, summary
from harvester.store import Store

EXAMPLES = 80


def test_every_operation_keeps_its_contract(served, tmp_path):
    with Store(served["db"]) as store:
        ids = [course["id"] for course in store.courses(status="active")]
    result = fuzz(served["base"], ids, max_examples=EXAMPLES, seed=20261130, max_time=240,
                  report_dir=tmp_path / "report")
    report = result["report"]
    print(summary(report))
    assert result["exit_code"] == 0, result["output"][-8000:]
    assert report["operations"]["tested"] == report["operations"]["total"] == 6
    assert report["test_cases"]["generated"] >= 6 * 20 and report["test_cases"]["unique_failures"] == 0
    assert {name for name, p in report["phases"].items() if p["status"] == "success"} >= {"coverage", "fuzzing"}
    # stored courses were fetched (the hooks' ids), not only 404s
    rates = report["valid_rates"]["GET /api/v1/courses/{id}"]["fuzzing"]
    assert rates["accepted"] > 0
    assert "Traceback" not in served["log"].read_text(errors="replace")


def test_the_served_document_says_what_the_api_accepts(served):
    doc = served["http"].get("/openapi.json").json()
    operations = [(method, path) for path, item in doc["paths"].items() for method in item]
    assert len(operations) == 6 and all(method == "get" for method, _ in operations)
    search = {p["name"]: p for p in doc["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert all(p["allowEmptyValue"] for p in search.values())    # empty = absent, as the API reads it
    assert search["starts_after"]["schema"]["pattern"] == "^[1-9][0-9]{3}-"   # years 1000 to 9999
    suggest = {p["name"]: p for p in doc["paths"]["/api/v1/suggest"]["get"]["parameters"]}
    assert suggest["q"]["schema"]["pattern"]                       # one character that is not blank
    http = served["http"]
    assert http.get("/api/v1/search", params={"starts_after": "0999-12-31"}).status_code == 422
    assert http.get("/api/v1/suggest", params={"q": "\u3000\x10"}).json()["error"]["parameter"] == "q"
