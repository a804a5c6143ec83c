"""Run family spiders over registry platforms, one after the other, in one Scrapy process.

Crawls run in sequence so that one SQLite writer is active at a time and each
platform gets the whole politeness budget of its own host.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from contextlib import nullcontext

from harvester.locks import PlatformLocked, platform_lock
from harvester.registry import Platform
from harvester.store import db_path

logger = logging.getLogger(__name__)


def project_settings(db: str | None = None, registry: str | None = None, overrides: dict | None = None):
    from scrapy.utils.project import get_project_settings  # Scrapy only where a crawl is set up

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "harvester.settings")
    settings = get_project_settings()
    if db:
        settings.set("MOOC_DB", str(db), priority="cmdline")
    settings.set("HTTPCACHE_DIR", str(db_path(settings.get("MOOC_DB")).resolve().parent / "httpcache"),
                 priority="cmdline")
    if registry:
        settings.set("MOOC_REGISTRY", str(registry), priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def crawl_platforms(platforms: Iterable[Platform], settings, lock: bool = True) -> None:
    """Crawl each platform in turn; a failing platform does not stop the others.

    ``lock``: hold the platform's lock during its crawl (off for distributed workers,
    which crawl the same platform together on purpose)."""
    from scrapy.crawler import CrawlerRunner
    from scrapy.utils.log import configure_logging
    from scrapy.utils.reactor import install_reactor
    from twisted.internet import defer

    install_reactor(settings["TWISTED_REACTOR"])
    configure_logging(settings)
    if not settings.getbool("MOOC_VERBOSE"):
        for name in ("scrapy", "py.warnings", "protego", "filelock"):
            logging.getLogger(name).setLevel(logging.WARNING)
    runner = CrawlerRunner(settings)
    from twisted.internet import reactor  # installed just above

    @defer.inlineCallbacks
    def run_all():
        try:
            for platform in platforms:
                logger.info("%s: crawling %s (%s)", platform.id, platform.url, platform.family)
                try:
                    with platform_lock(db_path(settings.get("MOOC_DB")), platform.id) if lock else nullcontext():
                        yield runner.crawl(runner.spider_loader.load(platform.family), platform=platform.id)
                except PlatformLocked as exc:
                    logger.warning("%s", exc)
                except Exception:  # noqa: BLE001 - reported, and the next platform still runs
                    logger.exception("%s: crawl failed", platform.id)
        finally:
            reactor.stop()

    reactor.callWhenRunning(run_all)
    reactor.run()
