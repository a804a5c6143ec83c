"""The web app: ``create_app(settings)`` builds it; ``mooc serve`` runs it under uvicorn.

The JSON API lives under /api/v1 (``search_api.api``); server-rendered pages
(``search_api.pages``) mount on the same app and reuse ``search_api.params``
for their query strings and ``search_api.catalogue`` for their figures.
"""
from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from search_api import api, errors, pages
from search_api.catalogue import Catalogue
from search_api.engine import IndexHandle
from search_api.ratelimit import RateLimitMiddleware
from search_api.settings import Settings

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.index.close()

    app = FastAPI(
        title="ASEM MOOC catalogue",
        version="1",
        description="Courses harvested from MOOC platforms across the 51 ASEM countries: search with facets, "
                    "course records in the shared schema, platforms and coverage per country.",
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.catalogue = Catalogue(settings.db, settings.registry, settings.coverage_ttl)
    app.state.index = IndexHandle(settings)
    errors.install(app)
    if settings.rate_limit:
        app.add_middleware(RateLimitMiddleware, limit=settings.rate_limit, trusted_proxies=settings.trusted_proxies)
    app.include_router(api.router, prefix=API_PREFIX)
    app.include_router(pages.router)  # HTML pages: search, course, dashboard, crawl health
    return app
