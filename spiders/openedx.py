from __future__ import annotations

import logging
from datetime import UTC, datetime

from harvester.items import Checkpoint
from harvester.sources import openedx
from spiders.base import PlatformSpider

logger = logging.getLogger(__name__)


class OpenEdxSpider(PlatformSpider):
    """Open edX LMS course list: every page is read before courses are yielded,
    because the runs of one course may be spread over several pages."""

    def start_requests(self):
        self.runs: list[tuple[str, dict]] = []
        first = openedx.first_page_url(self.platform.url)
        resume = getattr(self.crawl_run, "resume_from", None)
        if resume:  # an interrupted crawl: its pages' runs were carried in the store
            self.runs = [tuple(pair) for pair in self.crawl_run.carried()]
            first = resume["url"]
        request = self.page_request(first, self.parse_page)
        if request is not None:
            yield request

    def parse_page(self, response):
        payload = self.json_body(response)
        if payload is None:
            yield from self.flush()
            return
        try:
            results, next_url = openedx.parse_page(payload)
        except openedx.PageError as exc:
            self.page_failed(response.url, "parse", str(exc))
            yield from self.flush()
            return
        self.runs.extend((response.url, r) for r in results)
        logger.info("%s: %s: %d runs", self.platform.id, response.url, len(results))
        request = self.page_request(response.urljoin(next_url), self.parse_page) if next_url else None
        if request is not None:
            # this page's runs are kept in the store with the next page: a killed crawl resumes there
            yield Checkpoint({"url": request.url}, carry=[[response.url, r] for r in results])
            yield request
        else:
            yield from self.flush()

    def on_page_failure(self, request):
        yield from self.flush()

    def flush(self):
        """Yield one listing per course from the runs gathered so far."""
        source_of = {id(run): url for url, run in self.runs}
        now = datetime.now(UTC)
        self.crawler.stats.inc_value(
            "mooc/skipped_hidden_runs", sum(1 for _, run in self.runs if not openedx.is_listed(run)))
        for url, run in self.runs:
            if openedx.run_key(run) is None:  # rejected downstream with its reason
                yield self.listing({"source_id": None, "title": run.get("name"), "url": None}, url)
        for key, runs in openedx.group_runs(run for _, run in self.runs).items():
            yield self.listing(openedx.transform(key, runs, self.platform.url, now), source_of[id(runs[0])])
        self.runs = []
