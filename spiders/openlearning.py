from __future__ import annotations

from harvester.sources import openlearning
from spiders.keyed import KeyedApiSpider


class OpenLearningSpider(KeyedApiSpider):
    name = "openlearning"
    family = "openlearning"
    source = openlearning
