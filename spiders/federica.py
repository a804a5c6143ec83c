from __future__ import annotations

from harvester.sources import federica
from spiders.rss import RssSpider


class FedericaSpider(RssSpider):
    """Federica Web Learning's RSS course feed with its feu: elements."""

    name = "federica"
    family = "federica"
    source = federica
