"""Fixture platforms: local HTTP servers that replay platform responses in their real shapes."""
