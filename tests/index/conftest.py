"""Backends for the index contract suite: the embedded index in a temporary directory, and the
Elasticsearch/OpenSearch backend against a real cluster when ``ELASTICSEARCH_URL`` (elasticsearch
client) or ``OPENSEARCH_URL`` (opensearch-py) is set, else against the ``osmem-server`` test server
(started once per session on a free 127.0.0.1 port, stopped at the end)."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from indexer.elastic import ElasticIndex
from indexer.embedded import EmbeddedIndex


@dataclass(frozen=True)
class Cluster:
    client: str       # opensearch | elasticsearch
    url: str
    what: str         # for test ids and messages


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    if os.environ.get("ELASTICSEARCH_URL"):
        yield Cluster("elasticsearch", os.environ["ELASTICSEARCH_URL"], "Elasticsearch")
        return
    if os.environ.get("OPENSEARCH_URL"):
        yield Cluster("opensearch", os.environ["OPENSEARCH_URL"], "OpenSearch")
        return
    from osmem_server import OsmemServer
    server = OsmemServer.start(addr="127.0.0.1:0", japanese=False)
    try:
        yield Cluster("opensearch", server.url, f"osmem {server.version}")
    finally:
        server.close()


def new_cluster_index(cluster: Cluster) -> ElasticIndex:
    """An index under an alias of its own, so that tests never see each other's documents."""
    return ElasticIndex(cluster.url, client=cluster.client, name=f"mooc-test-{uuid.uuid4().hex[:10]}")


def drop(index) -> None:
    if isinstance(index, ElasticIndex):
        for target in index.client.alias_targets(index.alias):
            index.client.delete_index(target)
    index.close()


@pytest.fixture(params=["embedded", "cluster"])
def fresh_index(request, tmp_path):
    """An empty index of each backend, for tests that write."""
    if request.param == "embedded":
        index = EmbeddedIndex(tmp_path / "index")
    else:
        index = new_cluster_index(request.getfixturevalue("cluster"))
    yield index
    drop(index)
