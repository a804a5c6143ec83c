"""Item pipelines, in the order they run (see ``ITEM_PIPELINES`` in harvester.settings):

| order | pipeline                   | job                                              |
|-------|----------------------------|--------------------------------------------------|
| 100   | ValidateListingPipeline    | reject listings without id, title or url         |
| 200   | NormalizePipeline          | draft → shared-schema record (pure normalizers)  |
| 300   | ValidateRecordPipeline     | record checked against the Course schema         |
| 400   | HashPipeline               | content hash, so unchanged courses are not rewritten |
| 500   | StorePipeline              | upsert into the catalogue store, crawl-run report |
"""
from harvester.pipelines.hash import HashPipeline
from harvester.pipelines.normalize import NormalizePipeline
from harvester.pipelines.store import StorePipeline
from harvester.pipelines.validate import ValidateListingPipeline, ValidateRecordPipeline

ITEM_PIPELINES = {
    "harvester.pipelines.ValidateListingPipeline": 100,
    "harvester.pipelines.NormalizePipeline": 200,
    "harvester.pipelines.ValidateRecordPipeline": 300,
    "harvester.pipelines.HashPipeline": 400,
    "harvester.pipelines.StorePipeline": 500,
}

__all__ = ["ITEM_PIPELINES", "HashPipeline", "NormalizePipeline", "StorePipeline",
           "ValidateListingPipeline", "ValidateRecordPipeline"]
