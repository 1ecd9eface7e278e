"""Identifiers: random, so a URL says nothing of how many rows exist or whose they are."""

import uuid


def new_id() -> str:
    return uuid.uuid4().hex
