"""The platform registry: YAML under config/, one entry per platform.

Adding a platform of a known family is a registry entry, not code. The file
named by ``--registry`` or ``MOOC_REGISTRY`` replaces the default one.
"""
from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from harvester.schedule import valid_schedule

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REGISTRY = REPO_ROOT / "config" / "platforms.yaml"
ASEM_COUNTRIES_FILE = REPO_ROOT / "config" / "asem_countries.csv"

_ID = re.compile(r"^[a-z0-9_-]+$")
_REQUIRED = ("id", "name", "country", "family", "url")


class RegistryError(ValueError):
    """The registry file is unreadable or an entry breaks the format."""


@dataclass(frozen=True)
class Platform:
    id: str
    name: str
    country: str
    family: str
    url: str
    languages: tuple[str, ...] = ()
    enabled: bool = True
    schedule: str | None = None
    note: str | None = None
    allowed_hosts: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @classmethod
    def from_entry(cls, entry: dict[str, Any], where: str) -> Platform:
        missing = [key for key in _REQUIRED if not entry.get(key)]
        if missing:
            raise RegistryError(f"{where}: missing {', '.join(missing)}")
        if not _ID.match(str(entry["id"])):
            raise RegistryError(f"{where}: id {entry['id']!r} must match [a-z0-9_-]+")
        country = str(entry["country"]).upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise RegistryError(f"{where}: country {entry['country']!r} is not ISO 3166-1 alpha-2")
        schedule = entry.get("schedule")
        if schedule is not None and not valid_schedule(str(schedule)):
            raise RegistryError(f"{where}: schedule {schedule!r} is not a cron expression")
        known = {"id", "name", "country", "family", "url", "languages", "enabled", "schedule",
                 "note", "allowed_hosts"}
        return cls(
            id=str(entry["id"]),
            name=str(entry["name"]),
            country=country,
            family=str(entry["family"]),
            url=str(entry["url"]),
            languages=tuple(entry.get("languages") or ()),
            enabled=bool(entry.get("enabled", True)),
            schedule=str(schedule) if schedule is not None else None,
            note=entry.get("note"),
            allowed_hosts=tuple(entry.get("allowed_hosts") or ()),
            options={k: v for k, v in entry.items() if k not in known},
        )


@dataclass(frozen=True)
class Registry:
    platforms: tuple[Platform, ...]
    country_notes: dict[str, str]
    path: Path

    def get(self, platform_id: str) -> Platform:
        for platform in self.platforms:
            if platform.id == platform_id:
                return platform
        raise KeyError(f"no platform {platform_id!r} in {self.path}")

    def enabled(self) -> list[Platform]:
        return [p for p in self.platforms if p.enabled]

    def by_country(self) -> dict[str, list[Platform]]:
        grouped: dict[str, list[Platform]] = {}
        for platform in self.platforms:
            grouped.setdefault(platform.country, []).append(platform)
        return grouped


def registry_path(path: str | os.PathLike | None = None) -> Path:
    return Path(path or os.environ.get("MOOC_REGISTRY") or DEFAULT_REGISTRY)


def load_registry(path: str | os.PathLike | None = None) -> Registry:
    source = registry_path(path)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RegistryError(f"cannot read registry {source}: {exc}") from exc
    entries = data.get("platforms") or []
    if not isinstance(entries, list):
        raise RegistryError(f"{source}: 'platforms' must be a list")
    platforms = tuple(
        Platform.from_entry(entry, f"{source}: platforms[{i}]") for i, entry in enumerate(entries)
    )
    seen: set[str] = set()
    for platform in platforms:
        if platform.id in seen:
            raise RegistryError(f"{source}: duplicate platform id {platform.id!r}")
        seen.add(platform.id)
    notes = {str(c["code"]).upper(): str(c.get("note") or "") for c in data.get("countries") or []}
    return Registry(platforms=platforms, country_notes=notes, path=source)


@dataclass(frozen=True)
class AsemCountry:
    code: str
    name: str
    group: str


def asem_countries() -> list[AsemCountry]:
    """The 51 ASEM partner countries (organisations left out)."""
    with ASEM_COUNTRIES_FILE.open(encoding="utf-8") as handle:
        return [
            AsemCountry(row["code"], row["name"], row["group"])
            for row in csv.DictReader(handle)
            if row["kind"] == "country"
        ]
