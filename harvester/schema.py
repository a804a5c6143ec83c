"""The shared course record (../shared/SCHEMA.md) as a pydantic model.

The model is the single source of truth: the JSON Schema shipped as
``harvester/course.schema.json`` is generated from it (``mooc schema`` prints it,
a test keeps the shipped file in sync), and every record is validated by it
before it is stored.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
IscedCode = Annotated[str, StringConstraints(pattern=r"^(0\d|10)$")]
HttpUrl = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=4096)]
UtcDateTime = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")]
UtcDateOrDateTime = Annotated[
    str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?Z)?$")
]

SCHEMA_PATH = Path(__file__).with_name("course.schema.json")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Organization(_Strict):
    name: Annotated[str, StringConstraints(min_length=1)]
    country: CountryCode | None = None


class Run(_Strict):
    start: UtcDateOrDateTime | None = None
    end: UtcDateOrDateTime | None = None
    enrollment_start: UtcDateOrDateTime | None = None
    enrollment_end: UtcDateOrDateTime | None = None
    pacing: Literal["self_paced", "instructor_paced"] | None = None


class Certificate(_Strict):
    available: bool | None = None
    price: Annotated[float, Field(ge=0)] | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None


class Course(_Strict):
    """One course as one platform offers it; runs nested."""

    # identity and provenance
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]+:.+$")]
    platform: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]+$")]
    source_id: Annotated[str, StringConstraints(min_length=1)]
    url: HttpUrl
    country: CountryCode
    harvested_at: UtcDateTime
    first_seen: UtcDateTime | None = None
    last_seen: UtcDateTime | None = None
    status: Literal["active", "gone"] = "active"
    content_hash: str | None = None
    unparsed: dict[str, Any] = Field(default_factory=dict)
    # what the course is
    title: Annotated[str, StringConstraints(min_length=1, max_length=1000)]
    summary: str | None = None
    description: str | None = None
    languages: list[LanguageCode] = Field(default_factory=list)
    language_source: Literal["declared", "detected"] | None = None
    subtitle_languages: list[LanguageCode] = Field(default_factory=list)
    subjects: list[str] = Field(default_factory=list)
    isced_fields: list[IscedCode] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    level: Literal["introductory", "intermediate", "advanced"] | None = None
    organizations: list[Organization] = Field(default_factory=list)
    instructors: list[str] = Field(default_factory=list)
    image_url: HttpUrl | None = None
    license: str | None = None
    # how it runs
    runs: list[Run] = Field(default_factory=list)
    effort_hours_per_week: Annotated[float, Field(ge=0)] | None = None
    duration_weeks: Annotated[float, Field(ge=0)] | None = None
    is_free: bool | None = None
    certificate: Certificate = Field(default_factory=Certificate)

    @field_validator("title")
    @classmethod
    def _title_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("title is blank")
        return value


# Fields whose value is kept by the store rather than by the harvest, and so
# left out of the content hash.
STORE_FIELDS = ("harvested_at", "first_seen", "last_seen", "status", "content_hash")


def json_schema() -> dict:
    schema = Course.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/asem-mooc/mooc-harvester/harvester/course.schema.json"
    return schema


def shipped_json_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))

