from __future__ import annotations

from dataclasses import replace

from harvester.sources import icourse163
from spiders.base import ListingApiSpider, PageError, PageRequest


class Icourse163Spider(ListingApiSpider):
    """icourse163: the home page first (its NTESSTUDYSI cookie is the csrfKey added to
    every list URL), then the schools of the registry option ``school_ids`` in turn."""

    csrf: str | None = None

    def _request(self, page: PageRequest):
        if page.state.get("step") != "home":
            if self.csrf is None:  # e.g. a crawl resumed at a list page: a session first
                page = icourse163.home_request(page.state)
            else:
                page = replace(page, url=icourse163.with_csrf(page.url, self.csrf))
        return super()._request(page)

    def parse_listing_page(self, response, page):
        if page.state.get("step") != "home":
            yield from super().parse_listing_page(response, page)
            return
        try:
            self.csrf = icourse163.csrf_key([h.decode("latin-1") for h in response.headers.getlist("Set-Cookie")],
                                            (response.request.headers.get("Cookie") or b"").decode("latin-1"))
        except PageError as exc:
            self.page_failed(response.url, "parse", str(exc))
            return
        request = self._request(icourse163.list_request(page.state["then"]))
        if request is not None:
            yield request

    def on_page_failure(self, request):
        """A school's page that could not be fetched: the crawl goes on with the next school."""
        page = request.cb_kwargs.get("page")
        following = icourse163.next_school(page.state) if page and page.state.get("step") != "home" else None
        scrapy_request = self._request(following) if following else None
        if scrapy_request is not None:
            yield scrapy_request
