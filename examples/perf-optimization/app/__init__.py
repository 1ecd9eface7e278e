"""Chirp: a small social network's API, slower than it should be."""
