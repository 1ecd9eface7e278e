"""Pydantic request and response bodies.

TODO: the bodies of the statement (users, token pair, projects, members, tasks, the page
envelope). No response model may carry a password or a hash.
"""
