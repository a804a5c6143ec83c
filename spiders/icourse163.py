from __future__ import annotations

from harvester.sources import icourse163
from spiders.base import ListingApiSpider, PageError


class Icourse163Spider(ListingApiSpider):
    """icourse163: the home page first (its NTESSTUDYSI cookie is the csrfKey), then one
    paging sequence per school of the registry option ``school_ids``."""

    name = "icourse163"
    family = "icourse163"
    source = icourse163

    def parse_listing_page(self, response, page):
        if page.state.get("step") != "home":
            yield from super().parse_listing_page(response, page)
            return
        try:
            csrf = icourse163.csrf_key([h.decode("latin-1") for h in response.headers.getlist("Set-Cookie")],
                                       (response.request.headers.get("Cookie") or b"").decode("latin-1"))
        except PageError as exc:
            self.page_failed(response.url, "parse", str(exc))
            return
        for school in icourse163.school_requests(page, csrf):
            request = self._request(school)
            if request is not None:
                yield request
