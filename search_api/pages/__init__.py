"""Server-rendered pages for learners (search, course) and staff (coverage dashboard, crawl health).

``router`` is included by ``search_api.app.create_app``; see ``routes`` for the pages.
"""
from search_api.pages.routes import router

__all__ = ["router"]
