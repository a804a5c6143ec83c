from __future__ import annotations

from harvester.sources import moochub
from spiders.base import ListingApiSpider


class MoochubSpider(ListingApiSpider):
    """MOOChub feeds (JSON:API, ``links.next`` paging) of Xikolo and Moodle platforms."""

    name = "moochub"
    family = "moochub"
    source = moochub
