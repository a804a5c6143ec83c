"""The families table: one row per platform family, pure data (no Scrapy import).

A family is a pure source module (``harvester/sources/<module>.py``: page text → drafts + next page) plus
this row. The registry validates each entry's family-specific keys against ``options``; ``mooc platforms``,
the pages and the API learn from here which families can be crawled, without importing Scrapy; the
spiders are derived from the rows (``spiders/``).

``spider`` names the spider base the family runs on: ``listing`` (``spiders.base.ListingApiSpider``: the
source module's ``first_request``/``parse_page`` do everything), ``feed`` (the same for XML feeds, re-decoding
a feed whose bytes do not match its declared encoding), or a ``module:Class`` path for the few families whose
crawl needs more than listing pages (sitemaps, a session cookie, a guest catalogue). ``None``: the family is
known (registry entries may name it) but has no spider yet. ``key_param``: the query parameter that carries
the family's API key (its first ``secrets`` entry), added to each request as it is sent, never stored.

Adding a family: its source module and one row here; ``spiders/families.py`` makes its spider.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    name: str                           # the registry's ``family:`` value, and the spider's name
    description: str                    # what it reads, one line
    source: str | None = None           # module under harvester.sources (None: no spider yet)
    spider: str | None = "listing"      # spider base: "listing" or "module:Class"; None: no spider yet
    options: tuple[str, ...] = ()       # family-specific registry keys it accepts
    secrets: tuple[str, ...] = ()       # environment variables it reads (API keys); never in the registry
    key_param: str | None = None        # query parameter the API key (secrets[0]) goes in, added on sending

    @property
    def crawlable(self) -> bool:
        return self.source is not None and self.spider is not None


FAMILIES: tuple[Family, ...] = (
    Family("openedx", "Open edX LMS Course List API", "openedx", spider="spiders.openedx:OpenEdxSpider"),
    Family("moochub", "MOOChub JSON:API course feeds (v1/v2/v3)", "moochub"),
    Family("schemaorg", "schema.org Course markup on sitemap-listed pages", "schemaorg",
           spider="spiders.schemaorg:SchemaOrgSpider", options=("url_pattern",)),
    Family("moodle", "Moodle guest catalogue or REST web service", "moodle", spider="spiders.moodle:MoodleSpider",
           options=("catalogue", "search_terms", "perpage", "ws_function"), secrets=("MOOC_TOKEN_<ID>",)),
    Family("richie", "Richie course search API", "richie", options=("page_size",)),
    Family("rss", "RSS 2.0 / RSS 1.0 / Atom course feeds", "feeds", spider="feed", options=("link_pattern",)),
    Family("federica", "Federica Web Learning RSS feed with feu: elements", "federica", spider="feed"),
    Family("eduopen", "EduOpen JSON course feed", "eduopen"),
    Family("kmooc", "K-MOOC open data v2 on data.go.kr", "kmooc", options=("page_size", "site_url"),
           secrets=("MOOC_KMOOC_API_KEY",), key_param="serviceKey"),
    Family("icourse163", "icourse163 school course lists (RPC)", "icourse163",
           spider="spiders.icourse163:Icourse163Spider", options=("school_ids", "page_size")),
    Family("swayam", "SWAYAM GraphQL catalogue", "swayam", options=("statuses", "page_size")),
    Family("openlearning", "OpenLearning API v2.1", "openlearning", options=("page_size", "site_url"),
           secrets=("MOOC_OPENLEARNING_API_KEY",), key_param="api_key"),
    # known in the registry, no spider yet
    Family("futurelearn", "FutureLearn course feed", spider=None),
    Family("coursera", "Coursera catalog API", spider=None),
    Family("stepik", "Stepik course API", spider=None),
    Family("moocfi", "mooc.fi GraphQL", spider=None),
    Family("xuetangx", "XuetangX course list API", spider=None),
    Family("nptel", "NPTEL course list", spider=None),
    Family("custom-html", "a catalogue with no API (no generic reader yet)", spider=None),
)

BY_NAME: dict[str, Family] = {family.name: family for family in FAMILIES}


def family(name: str) -> Family | None:
    return BY_NAME.get(name)


def crawlable_families() -> set[str]:
    """Names of the families that have a spider."""
    return {f.name for f in FAMILIES if f.crawlable}
