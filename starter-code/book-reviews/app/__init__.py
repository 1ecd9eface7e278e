"""Book Reviews service."""
