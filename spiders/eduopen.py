from harvester.sources import eduopen
from spiders.base import ListingApiSpider


class EduOpenSpider(ListingApiSpider):
    name = "eduopen"
    family = "eduopen"
    source = eduopen
