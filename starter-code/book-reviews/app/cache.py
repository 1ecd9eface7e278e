"""Redis cache for GET /books.

TODO: cache-aside that keeps answering from the database when Redis is down.
"""
