"""The families table is the one declaration of the spiders: every crawlable row has its spider, found by
family name, and asking which families exist imports no Scrapy."""
from __future__ import annotations

import subprocess
import sys

import pytest
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

from harvester.families import FAMILIES, Family, crawlable_families
from harvester.sources import eduopen, kmooc
from spiders.base import ListingApiSpider
from spiders.families import SPIDERS, spider_class
from spiders.feeds import FeedSpider
from spiders.keyed import KeyedApiSpider
from tests.conftest import REPO


def test_the_spider_loader_lists_one_spider_per_crawlable_row():
    loader = SpiderLoader.from_settings(Settings({"SPIDER_MODULES": ["spiders"]}))
    assert sorted(loader.list()) == sorted(crawlable_families())
    for row in FAMILIES:
        if row.crawlable:
            spider = loader.load(row.name)
            assert spider is SPIDERS[row.name]
            assert spider.name == spider.family == row.name
            assert spider.source.__name__ == f"harvester.sources.{row.source}"


def test_rows_pick_their_spider_base():
    assert issubclass(SPIDERS["eduopen"], ListingApiSpider)
    assert issubclass(SPIDERS["rss"], FeedSpider) and issubclass(SPIDERS["federica"], FeedSpider)
    assert SPIDERS["schemaorg"].__mro__[1].__name__ == "SchemaOrgSpider"
    kmooc_spider = SPIDERS["kmooc"]
    assert issubclass(kmooc_spider, KeyedApiSpider)
    assert (kmooc_spider.key_env, kmooc_spider.key_param) == (kmooc.KEY_ENV, "serviceKey")


def test_a_new_family_is_a_source_module_and_a_row():
    spider = spider_class(Family("newfamily", "a new listing API", "eduopen"))
    assert spider.__name__ == "NewfamilySpider" and spider.name == "newfamily"
    assert issubclass(spider, ListingApiSpider) and spider.source is eduopen


@pytest.mark.parametrize("row, problem", [
    (Family("x", "d", "eduopen", spider="sitemap"), "unknown spider base 'sitemap'"),
    (Family("x", "d", "eduopen", key_param="key"), "key_param without a secret"),
    (Family("x", "d", "feeds", spider="feed", secrets=("MOOC_X",), key_param="key"), "key_param needs the listing"),
])
def test_a_wrong_row_is_a_clear_error(row, problem):
    with pytest.raises(ValueError, match=problem):
        spider_class(row)


def test_asking_which_families_have_spiders_imports_no_scrapy():
    code = ("import sys; import harvester.crawl, search_api.catalogue; "
            "from harvester.families import crawlable_families; print(sorted(crawlable_families())); print('scrapy' in sys.modules, 'twisted' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    names, imported = out.stdout.splitlines()
    assert names == str(sorted(crawlable_families()))
    assert imported == "False False"
