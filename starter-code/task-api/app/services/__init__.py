"""Use cases (layer 2 of 4): business rules, authentication and authorization; no FastAPI.

TODO: register, log in, refresh, log out; projects, members and tasks with the access
policy of the statement (404 for outsiders, 403 for members asking for owner-only actions).
"""
