from __future__ import annotations

import hashlib
import json

from harvester.items import Listing
from harvester.schema import STORE_FIELDS


def content_hash(record: dict) -> str:
    """SHA-256 of the record's content, store-kept fields and harvest time left out."""
    content = {k: v for k, v in record.items() if k not in STORE_FIELDS}
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class HashPipeline:
    def process_item(self, item: Listing) -> Listing:
        if not isinstance(item, Listing):
            return item
        item.record["content_hash"] = content_hash(item.record)
        return item
