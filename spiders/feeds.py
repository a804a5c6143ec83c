"""The spider base of XML feed families (rss, federica): a listing spider that reads a feed in the
encoding its bytes are really in."""
from __future__ import annotations

import logging

from harvester.sources import feeds
from spiders.base import ListingApiSpider

logger = logging.getLogger(__name__)


class FeedSpider(ListingApiSpider):
    """RSS 2.0 / RSS 1.0 / Atom course feeds."""

    def parse_listing_page(self, response, page):
        """Re-decode a feed whose bytes do not fit its declared encoding (Latin-1 sent as UTF-8)."""
        declared = getattr(response, "encoding", None)
        if declared:
            fitting = feeds.fitting_encoding(response.body, declared)
            if fitting != declared:
                logger.warning("%s: %s is not valid %s, read as %s", self.platform.id, response.url,
                               declared, fitting)
                self.crawler.stats.inc_value("mooc/feed_encoding_fallback")
                response = response.replace(encoding=fitting)
        return super().parse_listing_page(response, page)
