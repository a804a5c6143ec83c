from harvester.sources import richie
from spiders.base import ListingApiSpider


class RichieSpider(ListingApiSpider):
    name = "richie"
    family = "richie"
    source = richie
