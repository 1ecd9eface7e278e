"""Database access (layer 3 of 4): queries over the models; no FastAPI, no Redis.

TODO: the queries the services need.
"""
