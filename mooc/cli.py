"""The ``mooc`` command: platforms, crawl, export, schema (and later index, serve)."""
from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from harvester import export as exporting
from harvester.families import crawlable_families
from harvester.registry import RegistryError, asem_countries, load_registry
from harvester.schema import json_schema
from harvester.store import COUNTERS, Store, StoreError

err = Console(stderr=True, width=None if sys.stderr.isatty() else 120)


@click.group()
@click.option("--registry", envvar="MOOC_REGISTRY", type=click.Path(dir_okay=False),
              help="Platform registry YAML (default config/platforms.yaml).")
@click.option("--db", envvar="MOOC_DB", type=click.Path(dir_okay=False),
              help="SQLite catalogue file (default var/catalogue.db).")
@click.pass_context
def main(ctx: click.Context, registry: str | None, db: str | None) -> None:
    """Harvest, store and export the ASEM MOOC catalogue."""
    ctx.obj = {"registry": registry, "db": db}


def _registry(ctx: click.Context):
    try:
        return load_registry(ctx.obj["registry"])
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from exc


def _choose(registry, platform_ids: tuple[str, ...]) -> list:
    """The named platforms, or every enabled one."""
    try:
        return [registry.get(pid) for pid in platform_ids] if platform_ids else registry.enabled()
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from exc


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def platforms(ctx: click.Context, fmt: str) -> None:
    """Every ASEM country with its platforms, families and whether a spider exists."""
    registry = _registry(ctx)
    spiders = crawlable_families()
    by_country = registry.by_country()
    rows = []
    for country in asem_countries():
        entries = by_country.get(country.code, [])
        rows.append({
            "country": country.code,
            "name": country.name,
            "platforms": [
                {"id": p.id, "name": p.name, "family": p.family, "url": p.url, "enabled": p.enabled,
                 "spider": p.family in spiders} for p in entries],
            "note": registry.country_notes.get(country.code),
        })
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"ASEM countries and their MOOC platforms ({registry.path})")
    for column in ("country", "platform", "family", "spider", "enabled"):
        table.add_column(column)
    for row in rows:
        label = f"{row['country']} {row['name']}"
        if not row["platforms"]:
            table.add_row(label, f"[dim]{escape(row['note'] or 'no known platform')}[/dim]", "", "", "")
        for i, p in enumerate(row["platforms"]):
            table.add_row(label if i == 0 else "", escape(f"{p['id']} ({p['name']})"), p["family"],
                          "yes" if p["spider"] else "[yellow]no[/yellow]", "yes" if p["enabled"] else "no")
    Console().print(table)
    covered = sum(1 for row in rows if row["platforms"])
    Console().print(f"{len(rows)} countries, {covered} with known platforms, "
                    f"{len(registry.platforms)} platforms, "
                    f"{sum(p.family in spiders for p in registry.platforms)} with a spider.")


@main.command()
@click.option("--platform", "platform_ids", multiple=True, help="Platform id (repeatable); default: all enabled.")
@click.option("--due", is_flag=True, help="Only platforms whose schedule is due (for cron or a systemd timer).")
@click.option("--accept-drop", is_flag=True,
              help="Release the held crawl of --platform (marks what it did not see gone); crawls nothing.")
@click.option("--verbose", is_flag=True, help="Show Scrapy's own log lines too.")
@click.pass_context
def crawl(ctx: click.Context, platform_ids: tuple[str, ...], due: bool, accept_drop: bool, verbose: bool) -> None:
    """Harvest platforms into the store and print a summary per platform."""
    from harvester.crawl import crawl_platforms, project_settings

    registry = _registry(ctx)
    chosen = _choose(registry, platform_ids)
    if accept_drop:
        if not platform_ids:
            raise click.ClickException("--accept-drop needs --platform")
        with Store(ctx.obj["db"]) as store:
            for p in chosen:
                try:
                    run = store.accept_drop(p.id)
                except ValueError as exc:
                    raise click.ClickException(str(exc)) from exc
                err.print(f"{p.id}: crawl run {run.id} accepted, {run.counts['gone']} courses marked gone")
        return
    if due:
        chosen = _due(ctx.obj["db"], chosen)
        if not chosen:
            err.print("no platform is due")
            return
    settings = project_settings(ctx.obj["db"], str(registry.path), {"MOOC_VERBOSE": verbose})
    spiders = crawlable_families()
    runnable = [p for p in chosen if p.family in spiders]
    for p in chosen:
        if p.family not in spiders:
            err.print(f"[yellow]{p.id}: no spider for family {p.family!r} yet, skipped[/yellow]")
    if not runnable:
        raise click.ClickException("nothing to crawl")
    with Store(settings.get("MOOC_DB")) as store:
        last_run = max((r.id for r in store.runs(limit=1)), default=0)
    crawl_platforms(runnable, settings)
    with Store(settings.get("MOOC_DB")) as store:
        runs = [r for r in reversed(store.runs(limit=len(runnable) * 2 + 10)) if r.id > last_run]
    _print_summary(runs)
    if len(runs) < len(runnable) or any(r.status in ("failed", "running") for r in runs):
        sys.exit(1)


def _due(db: str | None, platforms: list) -> list:
    from harvester.schedule import is_due, parse_time

    now = datetime.now(UTC)
    with Store(db) as store:
        last = {p.id: store.runs(p.id, limit=1) for p in platforms}
    return [p for p in platforms
            if is_due(p.schedule, parse_time(last[p.id][0].started_at) if last[p.id] else None, now)]


@main.command()
@click.option("--interval", default=60, show_default=True, help="Seconds between checks for due platforms.")
@click.pass_context
def schedule(ctx: click.Context, interval: int) -> None:
    """Crawl due platforms in the foreground, forever (a single-machine scheduler)."""
    import subprocess
    import time

    while True:
        args = [sys.executable, "-m", "mooc"]
        for key in ("registry", "db"):
            if ctx.obj[key]:
                args += [f"--{key}", ctx.obj[key]]
        subprocess.run([*args, "crawl", "--due"], check=False)  # a process per round: Scrapy's reactor runs once
        time.sleep(interval)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--stale-factor", default=3.0, show_default=True,
              help="Stale: no complete crawl within this many schedule periods.")
@click.pass_context
def health(ctx: click.Context, fmt: str, stale_factor: float) -> None:
    """Platforms that failed, went stale or dropped sharply; exits 1 if any did."""
    from harvester.health import platform_health

    registry = _registry(ctx)
    now = datetime.now(UTC)
    with Store(ctx.obj["db"]) as store:
        report = [platform_health(p, store.runs(p.id, limit=50), now, stale_factor) for p in registry.enabled()]
    alarming = [h for h in report if h.alarming]
    if fmt == "json":
        click.echo(json.dumps({"checked_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "alarming": len(alarming),
                               "platforms": [h.as_dict() for h in report]}, indent=2))
    else:
        table = Table(title="Crawl health")
        for column in ("platform", "state", "last run", "last success", "message"):
            table.add_column(column)
        for h in report:
            colour = "red" if h.alarming else "green" if h.state == "ok" else "yellow"
            table.add_row(h.platform, f"[{colour}]{h.state}[/{colour}]", str(h.last_run or ""),
                          h.last_success or "", escape(h.message))
        Console(width=None if sys.stdout.isatty() else 160).print(table)
    if alarming:
        sys.exit(1)


@main.command()
@click.option("--redis-url", envvar="MOOC_REDIS_URL", required=True, help="e.g. redis://127.0.0.1:6379/0")
@click.option("--platform", "platform_ids", multiple=True, help="Platform id (repeatable); default: all enabled.")
@click.option("--verbose", is_flag=True)
@click.pass_context
def worker(ctx: click.Context, redis_url: str, platform_ids: tuple[str, ...], verbose: bool) -> None:
    """Distributed mode: crawl with the request queue and duplicate filter shared in Redis."""
    from harvester.crawl import crawl_platforms, project_settings
    from harvester.distributed import worker_settings

    registry = _registry(ctx)
    chosen = _choose(registry, platform_ids)
    settings = project_settings(ctx.obj["db"], str(registry.path),
                                {**worker_settings(redis_url), "MOOC_VERBOSE": verbose})
    spiders = crawlable_families()
    crawl_platforms([p for p in chosen if p.family in spiders], settings, lock=False)


@main.command()
@click.option("--redis-url", envvar="MOOC_REDIS_URL", required=True)
@click.option("--workers", type=int, required=True, help="How many workers crawl each platform.")
@click.option("--until-idle", type=float, default=None,
              help="Exit once no run is open and nothing arrived for this many seconds.")
@click.pass_context
def writer(ctx: click.Context, redis_url: str, workers: int, until_idle: float | None) -> None:
    """Distributed mode: the single process that writes what the workers found into the store."""
    import logging

    import redis

    from harvester.distributed import DistributedWriter

    logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    with Store(ctx.obj["db"]) as store:
        finished = DistributedWriter(store, redis.Redis.from_url(redis_url), workers).run(until_idle)
        _print_summary([store.run(run_id) for run_id in finished])


def _print_summary(runs) -> None:
    table = Table(title="Crawl summary")
    table.add_column("platform")
    table.add_column("status")
    for counter in COUNTERS:
        table.add_column(counter, justify="right")
    for run in runs:
        colour = {"complete": "green", "incomplete": "yellow", "failed": "red", "held": "magenta"}.get(
            run.status, "white")
        table.add_row(run.platform, f"[{colour}]{run.status}[/{colour}]", *(str(run.counts[c]) for c in COUNTERS))
    err.print(table)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl")
@click.option("--platform", default=None, help="Only this platform's courses.")
@click.option("--include-gone", is_flag=True, help="Also courses no longer listed by their platform.")
@click.pass_context
def export(ctx: click.Context, fmt: str, platform: str | None, include_gone: bool) -> None:
    """Write stored courses to stdout, in SCHEMA.md field names."""
    with Store(ctx.obj["db"]) as store:
        records = store.courses(platform=platform, status=None if include_gone else "active")
        writer = exporting.write_jsonl if fmt == "jsonl" else exporting.write_csv
        writer(records, sys.stdout)


@main.command()
def schema() -> None:
    """Print the JSON Schema every exported record validates against."""
    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@main.command()
@click.option("--platform", default=None)
@click.option("--limit", default=20, show_default=True)
@click.pass_context
def runs(ctx: click.Context, platform: str | None, limit: int) -> None:
    """Recent crawl runs with their counts."""
    with Store(ctx.obj["db"]) as store:
        _print_summary(list(reversed(store.runs(platform, limit))))


@main.command()
@click.option("--rebuild", is_flag=True, help="Build a new index and swap it in atomically.")
@click.option("--max-change", default=0.5, show_default=True, type=click.FloatRange(0, None),
              help="With --rebuild: refuse the swap when the document count changes by more than this fraction.")
@click.pass_context
def index(ctx: click.Context, rebuild: bool, max_change: float) -> None:
    """Bring the search index up to date with the store (MOOC_INDEX picks the backend)."""
    from harvester.store import db_path
    from indexer.sync import run_index

    try:
        figures = run_index(db_path(ctx.obj["db"]), rebuild, max_change)
    except Exception as exc:  # noqa: BLE001 - one clear line, exit 1
        raise click.ClickException(f"indexing failed: {type(exc).__name__}: {exc}") from exc
    table = Table(title="Index " + ("rebuild" if rebuild else "update"))
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in figures.items():
        table.add_row(str(key), f"{value:.2f}" if isinstance(value, float) else str(value))
    err.print(table)
    click.echo(json.dumps(figures, ensure_ascii=False, default=str))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes (one per CPU core serves the most requests per second).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Serve the search API (and pages) with uvicorn."""
    import os

    import uvicorn

    from search_api.app import create_app
    from search_api.settings import Settings

    try:
        settings = Settings.from_env(db=ctx.obj["db"], registry=ctx.obj["registry"])
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    # X-Forwarded-For is not trusted by uvicorn: the rate limiter decides, from MOOC_TRUSTED_PROXIES
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info", proxy_headers=False)
        return
    # worker processes build the app themselves, from the environment
    os.environ["MOOC_DB"] = str(settings.db)
    if settings.registry:
        os.environ["MOOC_REGISTRY"] = str(settings.registry)
    uvicorn.run("search_api.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="info", proxy_headers=False)


def run() -> None:
    """Entry point: store errors (disk full, unreadable file) end the command with a clear message."""
    try:
        main()
    except StoreError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    run()
