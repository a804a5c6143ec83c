from scrapy.logformatter import LogFormatter


class QuietDropLogFormatter(LogFormatter):
    """Dropped listings are reported by the store pipeline with platform, URL and reason;
    Scrapy's own line (with the whole item) goes to DEBUG."""

    def dropped(self, item, exception, response, spider=None):
        entry = super().dropped(item, exception, response, spider)
        entry["level"] = 10  # logging.DEBUG
        return entry
