"""The composition root: the ``mooc`` command, the configuration object and the demo.

Everything here sits above the layers it composes (``harvester``, ``spiders``, ``indexer``,
``search_api``); no layer imports this package.
"""
