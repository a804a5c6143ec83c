"""The pages against a real ``mooc serve``: fixture platforms crawled with ``mooc crawl``, indexed with
``mooc index``, driven by headless Chromium (Debian ``chromium`` + ``chromium-driver``, through Selenium).

Screenshots of every page visited go to ``test-artifacts/screenshots/``. The README's screenshots in
``docs/screenshots/`` are written when missing, or all of them with ``MOOC_DOC_SCREENSHOTS=1``.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import Server, mooc_env
from tests.conftest import REPO, export_jsonl, run_mooc, write_registry
from tests.fixture_sites.server import FixtureSite
from tests.fixture_sites.server import site as fixture_site

SITE = Path(__file__).resolve().parent / "site"   # our own Open edX-shaped platform (Vietnam, hostile text)
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
DOCS = REPO / "docs" / "screenshots"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-first-run", "--disable-extensions", "--disable-default-apps", "--mute-audio")
DESKTOP = (1280, 900)


def entries(openedx: str, own: str, richie: str, moochub: str) -> list[dict]:
    return [
        {"id": "fixturemooc", "name": "Fixture Thai MOOC", "country": "TH", "family": "openedx", "url": openedx,
         "languages": ["th", "en"]},
        {"id": "hocmo", "name": "Học Mở", "country": "VN", "family": "openedx", "url": own,
         "languages": ["vi", "en"]},
        {"id": "fixrichie", "name": "Fixture FUN", "country": "FR", "family": "richie", "url": richie,
         "languages": ["fr"], "page_size": 3},
        {"id": "hubfixture", "name": "Fixture MOOChub", "country": "DE", "family": "moochub",
         "url": f"{moochub}/bridges/moochub/courses", "languages": ["de", "en"]},
        # an Open edX site answering 404: a failed crawl with its error, for the dashboard and the health page
        {"id": "brokenedx", "name": "Broken edX", "country": "PH", "family": "openedx", "url": f"{own}/gone",
         "languages": ["en"]},
        # a known platform of a family without a spider
        {"id": "nospider", "name": "No Spider MOOC", "country": "VN", "family": "custom-vn",
         "url": "https://nospider.example", "languages": ["vi"], "enabled": False},
    ]


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    db = folder / "catalogue.db"
    index_env = {"MOOC_INDEX_DIR": str(folder / "index")}
    with fixture_site("openedx") as openedx, FixtureSite(SITE) as own, fixture_site("richie") as richie, \
            fixture_site("moochub") as moochub:
        registry = write_registry(folder, *entries(openedx.base, own.base, richie.base, moochub.base))
        text = registry.read_text(encoding="utf-8")
        registry.write_text(text + "countries:\n- code: BN\n  note: No known public MOOC listing.\n", encoding="utf-8")
        crawl = run_mooc("crawl", registry=registry, db=db, check=False, env=index_env)  # exits 1: brokenedx fails
        assert "hocmo" in crawl.stderr, crawl.stderr[-3000:]
        run_mooc("index", registry=registry, db=db, env=index_env)
        env = mooc_env(**index_env)
        server = Server("--db", str(db), "--registry", str(registry), env=env, log=folder / "serve.log").wait()
        try:
            with httpx.Client(base_url=server.base, timeout=30) as http:
                yield {"base": server.base, "db": db, "registry": registry, "http": http,
                       "records": {r["id"]: r for r in export_jsonl(db)}, "crawl": crawl}
        finally:
            server.stop()


def _require(found: object, what: str) -> None:
    if not found:
        message = f"{what} not found: install the Debian packages chromium and chromium-driver, and selenium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def chrome(*, javascript: bool = True, accept_language: str = "en-GB,en", size: tuple[int, int] = DESKTOP):
    """A fresh headless Chromium (its own profile) driven through the system chromedriver."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _require(None, "selenium")
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists()
                                                    else None)
    _require(binary, "chromium")
    _require(driver_path, "chromedriver")
    os.environ.setdefault("SE_OFFLINE", "true")   # never let Selenium Manager download anything
    options = Options()
    options.binary_location = binary
    profile = tempfile.mkdtemp(prefix="mooc-chromium-")
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}",
                 f"--lang={accept_language.split(',')[0]}"):
        options.add_argument(flag)
    prefs = {"intl.accept_languages": accept_language}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    driver.profile_dir = profile
    return driver


def quit_driver(driver) -> None:
    profile = getattr(driver, "profile_dir", None)
    driver.quit()
    if profile:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    driver = chrome()
    yield driver
    quit_driver(driver)


@pytest.fixture
def page(browser, served):
    """The shared browser, reset: no cookies (so no language choice), desktop size, blank page."""
    browser.get(served["base"] + "/static/style.css")
    browser.delete_all_cookies()
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.set_window_size(*DESKTOP)
    browser.get_log("browser")   # forget what earlier tests logged
    return browser


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-")


def screenshot(driver, name: str, doc: str | None = None, full: bool = True) -> Path:
    """The whole page into test-artifacts/screenshots/<name>.png; with ``doc``, the top of the page
    (what fits 1280×1000) into docs/screenshots/<doc>.png when missing or when MOOC_DOC_SCREENSHOTS=1."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{_slug(name)}.png"
    size = driver.get_window_size()
    if full:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(size["width"], min(max(height + 140, size["height"]), 8000))
    driver.save_screenshot(str(path))
    if full:
        driver.set_window_size(size["width"], size["height"])
    if doc:
        target = DOCS / f"{doc}.png"
        if os.environ.get("MOOC_DOC_SCREENSHOTS") == "1" or not target.exists():
            DOCS.mkdir(parents=True, exist_ok=True)
            driver.execute_script("window.scrollTo(0, 0)")
            if full:
                driver.set_window_size(size["width"], 1000 + 140)
            driver.save_screenshot(str(target))
            driver.set_window_size(size["width"], size["height"])
    return path
