"""Scrapy settings for every spider of the project (scrapy.cfg points here)."""
import os

from harvester.pipelines import ITEM_PIPELINES  # noqa: F401  (Scrapy reads it by name)
from harvester.store import db_path

BOT_NAME = "mooc-harvester"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

USER_AGENT = "mooc-harvester/0.1 (+https://github.com/asem-mooc/mooc-harvester; ASEM Network of MOOCs catalogue)"
ROBOTSTXT_OBEY = True

# Politeness: one request at a time per platform, adapted to the server's latency.
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = float(os.environ.get("MOOC_DOWNLOAD_DELAY", "0.5"))
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = DOWNLOAD_DELAY
AUTOTHROTTLE_MAX_DELAY = 60
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024

# Retries with backoff; 429 is retried after the server's Retry-After.
RETRY_ENABLED = True
RETRY_TIMES = 4
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = float(os.environ.get("MOOC_RETRY_BACKOFF_BASE", "2.0"))
RETRY_BACKOFF_MAX = 300.0
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "harvester.middlewares.BackoffRetryMiddleware": 550,
    "harvester.middlewares.TransferStatsMiddleware": 950,  # below the HTTP cache (900)
    "harvester.middlewares.PrivateAddressGuardMiddleware": 40,  # before anything goes out, robots.txt included
}
# Hosts allowed although they resolve to loopback/private addresses (comma-separated); empty in production.
MOOC_ALLOW_PRIVATE_HOSTS = os.environ.get("MOOC_ALLOW_PRIVATE_HOSTS", "")
# Responses with these codes reach the spider's errback as errors, counted in the crawl report.
HTTPERROR_ALLOW_ALL = False

# Re-crawls transfer as little as possible: responses carrying ETag / Last-Modified are cached and
# revalidated with conditional requests (304 Not Modified); the cache lives next to the store.
HTTPCACHE_ENABLED = os.environ.get("MOOC_HTTPCACHE", "1") != "0"
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_STORAGE = "scrapy.extensions.httpcache.FilesystemCacheStorage"
HTTPCACHE_DIR = str(db_path(os.environ.get("MOOC_DB")).resolve().parent / "httpcache")  # next to the store
HTTPCACHE_IGNORE_HTTP_CODES = [301, 302, 303, 307, 400, 401, 403, 404, 408, 429, 500, 502, 503, 504]

ITEM_PIPELINES = ITEM_PIPELINES
MOOC_DB = os.environ.get("MOOC_DB")
MOOC_REGISTRY = os.environ.get("MOOC_REGISTRY")
# A complete crawl that sees fewer than (1 - MOOC_MAX_DROP) × the courses of the last complete one is held.
MOOC_MAX_DROP = float(os.environ.get("MOOC_MAX_DROP", "0.5"))

LOG_LEVEL = os.environ.get("MOOC_LOG_LEVEL", "INFO")
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no control port on a harvester that runs unattended
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_FORMATTER = "harvester.logformatter.QuietDropLogFormatter"
