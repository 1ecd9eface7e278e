"""Pydantic request and response bodies.

TODO: BookCreate, BookRead, ReviewCreate, ReviewRead and the page envelope, following
the contract in the statement.
"""
