"""The crawl floor: a bare Scrapy spider over Open edX course-list pages, parsing the same JSON.

    scrapy runspider bench/floor_spider.py -s LOG_LEVEL=WARNING \
        -a start=http://127.0.0.1:PORT/api/courses/v1/courses/?page=1

No pipelines, no normalizing, no store: each result becomes a dict; ``pagination.next`` is followed.
"""
from __future__ import annotations

import json

import scrapy


class FloorSpider(scrapy.Spider):
    name = "floor"
    custom_settings = {"ROBOTSTXT_OBEY": False, "HTTPCACHE_ENABLED": False, "DOWNLOAD_DELAY": 0,
                       "AUTOTHROTTLE_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
                       "CONCURRENT_REQUESTS_PER_DOMAIN": 2}

    def __init__(self, start: str = "", **kwargs):
        super().__init__(**kwargs)
        self.start_url = start

    async def start(self):
        yield scrapy.Request(self.start_url)

    def parse(self, response):
        page = json.loads(response.text)
        for result in page.get("results") or []:
            yield {"id": result.get("id"), "name": result.get("name"), "start": result.get("start")}
        following = (page.get("pagination") or {}).get("next")
        if following:
            yield scrapy.Request(following)
