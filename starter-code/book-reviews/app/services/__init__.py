"""Use cases (layer 2 of 4): business rules and the cache; no FastAPI imports.

TODO: create and list books and reviews.
"""
