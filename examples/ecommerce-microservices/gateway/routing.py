"""The public routes: which service answers each, and whether it needs a signed-in user.

Anything not in the table is not found; in particular the services' `/internal` routes
are never reachable from outside.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    """A public path, the service behind it and whether a token is required."""

    method: str
    pattern: re.Pattern[str]
    service: str
    authenticated: bool


def _route(method: str, path: str, service: str, *, authenticated: bool) -> Route:
    regex = re.sub(r"\{\w+\}", r"[^/]+", path)
    return Route(method, re.compile(f"^{regex}$"), service, authenticated)


ROUTES = (
    _route("POST", "/auth/register", "users", authenticated=False),
    _route("POST", "/auth/login", "users", authenticated=False),
    _route("GET", "/users/me", "users", authenticated=True),
    _route("PATCH", "/users/me", "users", authenticated=True),
    _route("GET", "/products", "products", authenticated=False),
    _route("POST", "/products", "products", authenticated=True),
    _route("GET", "/products/{id}", "products", authenticated=False),
    _route("POST", "/orders", "orders", authenticated=True),
    _route("GET", "/orders", "orders", authenticated=True),
    _route("GET", "/orders/{id}", "orders", authenticated=True),
)


def resolve(method: str, path: str) -> Route | None | bool:
    """The route for a request; False when the path exists with other methods, None if not."""
    matching = [route for route in ROUTES if route.pattern.match(path)]
    for route in matching:
        if route.method == method:
            return route
    return False if matching else None
