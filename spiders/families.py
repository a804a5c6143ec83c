"""The family spiders, derived from the families table (``harvester.families``): one class per crawlable row.

A row's ``spider`` picks the base (``listing``, ``feed`` or a ``module:Class`` path), its ``source`` the pure
module the base reads pages with, its ``key_param`` (with its first ``secrets`` entry) makes the spider add an
API key to every request. The classes are put in this module's namespace, where Scrapy's spider loader
(``SPIDER_MODULES = ["spiders"]``) finds them by name: ``scrapy list`` shows one spider per family.
"""
from __future__ import annotations

from importlib import import_module

from harvester.families import FAMILIES, Family
from spiders.base import ListingApiSpider, PlatformSpider
from spiders.feeds import FeedSpider
from spiders.keyed import KeyedApiSpider

BASES: dict[str, type[PlatformSpider]] = {"listing": ListingApiSpider, "feed": FeedSpider}


def base_class(row: Family) -> type[PlatformSpider]:
    spec = row.spider or ""
    if ":" in spec:
        module, _, name = spec.partition(":")
        base = getattr(import_module(module), name)
    elif spec in BASES:
        base = BASES[spec]
    else:
        raise ValueError(f"family {row.name}: unknown spider base {spec!r} (one of {sorted(BASES)} or module:Class)")
    if row.key_param:
        if not issubclass(KeyedApiSpider, base):
            raise ValueError(f"family {row.name}: key_param needs the listing base, not {spec!r}")
        base = KeyedApiSpider
    return base


def class_name(family: str) -> str:
    return "".join(part.capitalize() for part in family.replace("-", "_").split("_")) + "Spider"


def spider_class(row: Family) -> type[PlatformSpider]:
    """The spider of one crawlable row: its base with the row's name, family, source (and key)."""
    attributes: dict[str, object] = {
        "__module__": __name__, "__doc__": f"{row.name}: {row.description}.",
        "name": row.name, "family": row.name, "source": import_module(f"harvester.sources.{row.source}")}
    if row.key_param:
        if not row.secrets:
            raise ValueError(f"family {row.name}: key_param without a secret to take the key from")
        attributes.update(key_env=row.secrets[0], key_param=row.key_param)
    return type(class_name(row.name), (base_class(row),), attributes)


SPIDERS: dict[str, type[PlatformSpider]] = {row.name: spider_class(row) for row in FAMILIES if row.crawlable}
globals().update({cls.__name__: cls for cls in SPIDERS.values()})
