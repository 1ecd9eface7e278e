"""Use cases: the feed, publishing, following."""
