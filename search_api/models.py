"""Response models: what the OpenAPI document says the API answers."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from harvester.schema import Course
from search_api.params import FILTERS


class ErrorDetail(BaseModel):
    parameter: str | None = Field(description="The request parameter at fault, when one is")
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


class CourseOut(Course):
    """A course object in SCHEMA.md field names."""

    model_config = ConfigDict(extra="ignore", title="Course")


class CourseHit(CourseOut):
    model_config = ConfigDict(extra="ignore", title="CourseHit")

    highlights: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Field name → fragments of its text with the matches in <mark>…</mark>; "
                    "the fragments' other text is HTML-escaped.")


class FacetValue(BaseModel):
    value: str
    count: int


Facets = create_model(
    "Facets",
    __doc__="Counts per value for each filter, each ignoring its own filter (a faceted search).",
    **{param.name: (list[FacetValue], Field(default_factory=list, description=param.description))
       for param in FILTERS},
)


class SearchResponse(BaseModel):
    total: int = Field(description="Number of courses matching the query and filters")
    results: list[CourseHit]
    facets: Facets  # type: ignore[valid-type]
    next_cursor: str | None = Field(None, description="Pass as `cursor` to read the next page; null on the last")


class Suggestion(BaseModel):
    id: str
    title: str


class SuggestResponse(BaseModel):
    q: str
    suggestions: list[Suggestion]


class CrawlInfo(BaseModel):
    id: int
    status: Literal["running", "complete", "incomplete", "failed"]
    started_at: str
    finished_at: str | None
    counts: dict[str, int]


PlatformStatus = Literal["harvested", "incomplete", "failing", "not_crawled", "no_spider"]


class PlatformInfo(BaseModel):
    id: str
    name: str
    country: str
    family: str
    url: str
    languages: list[str]
    enabled: bool
    spider: bool = Field(description="A spider exists for the platform's family")
    status: PlatformStatus = Field(
        description="harvested: last crawl complete; incomplete: last crawl stopped part-way; failing: last "
                    "crawl failed; not_crawled: never crawled; no_spider: no spider for its family yet")
    courses: int = Field(description="Active courses in the store")
    last_crawl: CrawlInfo | None
    last_successful_crawl: str | None = Field(description="When the last complete crawl finished (UTC)")


class PlatformsResponse(BaseModel):
    platforms: list[PlatformInfo]


class CountryPlatform(BaseModel):
    id: str
    name: str
    family: str
    status: PlatformStatus
    courses: int
    last_successful_crawl: str | None


class CountryCoverage(BaseModel):
    code: str
    name: str
    group: str
    note: str | None = Field(description="Registry note for a country without a known listing")
    platforms: list[CountryPlatform]
    courses: int = Field(description="Active courses of the country's platforms")
    languages: list[FacetValue] = Field(description="Teaching languages, with course counts")
    isced_fields: list[FacetValue] = Field(description="ISCED-F broad fields, with course counts")
    last_successful_crawl: str | None


class CoverageTotals(BaseModel):
    countries: int
    countries_with_platforms: int
    countries_with_courses: int
    platforms: int
    platforms_harvested: int
    courses: int
    languages: list[FacetValue]
    isced_fields: list[FacetValue]
    last_successful_crawl: str | None


class CoverageResponse(BaseModel):
    totals: CoverageTotals
    countries: list[CountryCoverage]


class ComponentHealth(BaseModel):
    ok: bool
    documents: int | None = None
    detail: str | None = None


class HealthResponse(BaseModel):
    status: Literal["ok", "degraded"]
    store: ComponentHealth
    index: ComponentHealth
    backend: str
