from __future__ import annotations

from harvester.sources import kmooc
from spiders.keyed import KeyedApiSpider


class KmoocSpider(KeyedApiSpider):
    """K-MOOC open data v2 (data.go.kr); items with public_yn = "N" are counted, not listed."""

    name = "kmooc"
    family = "kmooc"
    source = kmooc

    def parse_listing_page(self, response, page):
        self.crawler.stats.inc_value("mooc/skipped_not_public", kmooc.not_public_count(response.text))
        yield from super().parse_listing_page(response, page)
