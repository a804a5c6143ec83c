from __future__ import annotations

from harvester.sources import swayam
from spiders.base import ListingApiSpider


class SwayamSpider(ListingApiSpider):
    name = "swayam"
    family = "swayam"
    source = swayam
