"""Reject what cannot become a record: before normalizing (no id, title or url) and after (schema)."""
from __future__ import annotations

from pydantic import ValidationError
from scrapy.exceptions import DropItem

from harvester.items import Listing
from harvester.schema import Course


class ValidateListingPipeline:
    def process_item(self, item: Listing) -> Listing:
        if not isinstance(item, Listing):
            return item
        draft = item.draft
        missing = [key for key in ("source_id", "title", "url")
                   if not isinstance(draft.get(key), (str, int)) or not str(draft.get(key)).strip()]
        if missing:
            raise DropItem(f"listing without {', '.join(missing)}")
        return item


def schema_errors(record: dict) -> str | None:
    """A one-line summary of what in the record breaks the schema, or None."""
    try:
        Course.model_validate(record)
    except ValidationError as exc:
        return "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()[:5])
    return None


class ValidateRecordPipeline:
    def process_item(self, item: Listing) -> Listing:
        if not isinstance(item, Listing):
            return item
        problem = schema_errors(item.record)
        if problem:
            raise DropItem(f"record breaks the schema: {problem}")
        return item
