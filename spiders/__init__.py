"""Scrapy spiders, one per platform family. Which platform to crawl comes from the registry:
``scrapy crawl openedx -a platform=thaimooc``."""
