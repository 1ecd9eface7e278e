"""Database access (layer 3 of 4): queries over the models; no FastAPI, no hashing or JWT.

TODO: the queries the services need, with paging, filters and sorting in SQL.
"""
