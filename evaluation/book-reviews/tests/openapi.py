"""From the candidate's OpenAPI document to a binding: the routes, fields and shapes it shows.

Nothing here sends a request but GETs of the document; ``establish.py`` confirms what this
module reads. What cannot be bound is named in the binding, never raised.
"""

import re
from dataclasses import dataclass
from typing import Any

import httpx
from binding import (
    BOOK_FIELDS,
    CREATE_BOOK,
    CREATE_REVIEW,
    ID_FIELDS,
    LIST_BOOKS,
    LIST_KEYS,
    LIST_REVIEWS,
    OPERATIONS,
    REVIEW_FIELDS,
    SYNONYMS,
    Binding,
    Json,
    Operation,
    json_of,
    normal,
)

DOCUMENTS = (
    "/openapi.json",
    "/api/openapi.json",
    "/api/v1/openapi.json",
    "/v1/openapi.json",
    "/docs/openapi.json",
    "/swagger.json",
)
DOC_PAGES = ("/docs", "/api/docs", "/api/v1/docs", "/redoc")
PREFIXES = ("", "/api", "/api/v1", "/v1")
BOOK_REFERENCE = ("book_id", "bookid", "book", "book_uuid", "id")
LIMIT_PARAMS = ("limit", "size", "page_size", "per_page", "pagesize", "perpage", "take", "count")
OFFSET_PARAMS = ("offset", "skip", "start")
PAGE_PARAMS = ("page", "page_number", "pagenumber", "page_no")
STRING_SAMPLES = {
    "email": "reader@example.com",
    "date": "2020-01-01",
    "date-time": "2020-01-01T00:00:00Z",
    "uuid": "6f1c0e1e-9a43-4c55-8d1f-3b8f8a0c2d11",
    "uri": "https://example.com/",
}


# Reading the OpenAPI document


def _get(client: httpx.Client, path: str) -> httpx.Response | None:
    try:
        return client.get(path)
    except httpx.HTTPError:
        return None


def fetch_document(client: httpx.Client) -> tuple[Json | None, str]:
    """The OpenAPI document where FastAPI and most projects serve it, or where /docs says."""
    for path in DOCUMENTS:
        document = json_of(_get(client, path))
        if isinstance(document, dict) and isinstance(document.get("paths"), dict):
            return document, path
    for page in DOC_PAGES:
        response = _get(client, page)
        if response is None or response.status_code != 200:
            continue
        found = re.search(r"""(?:url|spec-url)\s*[:=]\s*['"]([^'"]+\.json)['"]""", response.text)
        if found and "//" not in found.group(1):  # the service's own path, never another host
            document = json_of(_get(client, found.group(1)))
            if isinstance(document, dict) and isinstance(document.get("paths"), dict):
                return document, found.group(1)
    return None, ""


class Schemas:
    """Schemas of one document, with ``$ref``, ``allOf`` and optional (``anyOf`` null) resolved."""

    def __init__(self, document: Json) -> None:
        self.document = document

    def resolve(self, schema: Any, depth: int = 0) -> Json:
        if not isinstance(schema, dict) or depth > 20:
            return {}
        if "$ref" in schema:
            target: Any = self.document
            for part in str(schema["$ref"]).lstrip("#/").split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            return self.resolve(target, depth + 1)
        if "allOf" in schema:
            merged: Json = {"properties": {}, "required": []}
            for part in schema["allOf"]:
                resolved = self.resolve(part, depth + 1)
                merged["properties"].update(resolved.get("properties", {}))
                merged["required"] += resolved.get("required", [])
                merged.update({k: v for k, v in resolved.items() if k not in merged})
            return merged
        for key in ("anyOf", "oneOf"):
            if key in schema:
                options = [self.resolve(option, depth + 1) for option in schema[key]]
                real = [option for option in options if option.get("type") != "null"]
                if real:
                    return {**{k: v for k, v in schema.items() if k != key}, **real[0]}
        return schema

    def properties(self, schema: Any) -> tuple[dict[str, Json], set[str]]:
        resolved = self.resolve(schema)
        properties = resolved.get("properties")
        if not isinstance(properties, dict):
            return {}, set()
        return (
            {name: self.resolve(value) for name, value in properties.items()},
            set(resolved.get("required", [])),
        )


@dataclass
class Route:
    method: str
    path: str
    spec: Json
    shared: list[Any]

    def parameters(self, schemas: Schemas, where: str) -> dict[str, Json]:
        found = {}
        for raw in [*self.shared, *self.spec.get("parameters", [])]:
            parameter = schemas.resolve(raw)
            if parameter.get("in") == where and parameter.get("name"):
                found[str(parameter["name"])] = schemas.resolve(parameter.get("schema"))
        return found

    def body(self, schemas: Schemas) -> Json | None:
        content = (self.spec.get("requestBody") or {}).get("content") or {}
        media = content.get("application/json") or next(iter(content.values()), None)
        if not isinstance(media, dict) or "schema" not in media:
            return None
        return schemas.resolve(media["schema"])

    def success(self, schemas: Schemas) -> tuple[list[int], Json]:
        """Documented 2xx statuses, and the schema of the first one's JSON body."""
        responses = self.spec.get("responses") or {}
        codes = sorted(int(code) for code in map(str, responses) if re.fullmatch(r"2\d\d", code))
        schema: Json = {}
        if codes:
            content = (schemas.resolve(responses[str(codes[0])]).get("content")) or {}
            media = content.get("application/json") or {}
            schema = schemas.resolve(media.get("schema"))
        return codes, schema


def routes(document: Json) -> list[Route]:
    found = []
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in ("get", "post"):
            if isinstance(item.get(method), dict):
                found.append(
                    Route(method.upper(), str(path), item[method], item.get("parameters", []))
                )
    return found


# Choosing routes


def _parts(path: str) -> list[str]:
    return [part for part in path.strip("/").split("/") if part]


def _is_param(part: str) -> bool:
    return part.startswith("{") and part.endswith("}")


def _book_words(part: str) -> bool:
    return "book" in part.lower()


def books_score(route: Route) -> int:
    """How surely a route is the book collection: ``/books`` under any prefix scores highest."""
    parts = _parts(route.path)
    if not parts or any(_is_param(part) for part in parts):
        return 0
    if any("review" in part.lower() for part in parts):
        return 0
    last = parts[-1].lower()
    if last in ("books", "book"):
        return 10
    if _book_words(last):
        return 6
    books_at = [i for i, part in enumerate(parts) if part.lower() in ("books", "book")]
    return max(0, 4 - (len(parts) - 1 - books_at[-1])) if books_at else 0


def _book_reference(names: list[str]) -> str | None:
    by_normal = {normal(name): name for name in names}
    for wanted in BOOK_REFERENCE[:-1]:
        if wanted in by_normal:
            return by_normal[wanted]
    return None


def reviews_score(route: Route, schemas: Schemas) -> tuple[int, dict[str, str] | None]:
    """How surely a route is a book's reviews, and where it takes the book's id."""
    parts = _parts(route.path)
    params = [part[1:-1] for part in parts if _is_param(part)]
    literals = [part.lower() for part in parts if not _is_param(part)]
    if not literals or "review" not in literals[-1] or len(params) > 1:
        return 0, None
    if params:
        name = params[0]
        at = parts.index(f"{{{name}}}")
        nested = at == len(parts) - 2 and (
            (at > 0 and _book_words(parts[at - 1])) or _book_words(name)
        )
        if nested:
            return 10, {"in": "path", "name": name}
        if at == len(parts) - 1 and _book_words(name):
            return 7, {"in": "path", "name": name}
        return 0, None
    if route.method == "GET":
        query = _book_reference(list(route.parameters(schemas, "query")))
        return (6, {"in": "query", "name": query}) if query else (0, None)
    properties, _ = schemas.properties(route.body(schemas))
    reference = _book_reference(list(properties))
    return (6, {"in": "body", "name": reference}) if reference else (0, None)


def _scored(kind: str, route: Route, schemas: Schemas) -> tuple[int, Route, Any]:
    if kind == "book":
        return books_score(route), route, None
    score, reference = reviews_score(route, schemas)
    return score, route, reference


def _choose(
    name: str, scored: list[tuple[int, Route, Any]], binding: Binding
) -> tuple[Route, Any] | None:
    ranked = sorted((item for item in scored if item[0] > 0), key=lambda item: -item[0])
    if not ranked:
        binding.unbound[name] = "no route in the OpenAPI document looks like it"
        return None
    best = ranked[0]
    rivals = [item[1] for item in ranked[1:] if item[0] == best[0]]
    if rivals:
        others = ", ".join(f"{route.method} {route.path}" for route in rivals)
        binding.notes.append(f"{name}: chose {best[1].method} {best[1].path} over {others}")
    return best[1], best[2]


# Request fields


def sample(schema: Json) -> Any:
    """A plausible value for a required field the brief does not name, from its schema."""
    if schema.get("enum"):
        return schema["enum"][0]
    if schema.get("default") is not None:
        return schema["default"]
    kind = schema.get("type")
    if kind == "string":
        text = STRING_SAMPLES.get(schema.get("format", ""), "sample")
        text = text.ljust(int(schema.get("minLength", 0)), "x")
        return text[: int(schema["maxLength"])] if "maxLength" in schema else text
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        value = max(1, int(low) + (1 if "exclusiveMinimum" in schema else 0))
        return min(value, int(schema.get("maximum", value)))
    if kind == "array":
        return [sample(schema.get("items") or {"type": "string"})] * int(schema.get("minItems", 0))
    return {"boolean": False, "object": {}}.get(str(kind), "sample")


def map_fields(
    wanted: tuple[str, ...], properties: dict[str, Json], reserved: set[str]
) -> dict[str, str]:
    """The candidate's name for each brief field it has, by synonym, each name used once."""
    by_normal = {normal(name): name for name in properties if name not in reserved}
    fields: dict[str, str] = {}
    for brief in wanted:
        for synonym in SYNONYMS[brief]:
            name = by_normal.get(normal(synonym))
            if name is not None and name not in fields.values():
                fields[brief] = name
                break
    return fields


def bind_body(
    name: str,
    route: Route,
    *,
    schemas: Schemas,
    wanted: tuple[str, ...],
    op: Operation,
    notes: list[str],
) -> None:
    """Fill ``op.fields``, ``op.fill`` and ``op.wrap`` from the route's request body."""
    schema = route.body(schemas)
    if schema is None:
        op.fields = {brief: brief for brief in wanted}
        notes.append(f"{name}: no documented request body; sending the brief's field names")
        return
    properties, required = schemas.properties(schema)
    if len(properties) == 1 and not map_fields(wanted, properties, set()):
        ((outer, inner),) = properties.items()
        nested, nested_required = schemas.properties(inner)
        if nested:
            op.wrap, properties, required = outer, nested, nested_required
            notes.append(f"{name}: the body is wrapped in {outer!r}")
    reserved = {op.book["name"]} if op.book and op.book["in"] == "body" else set()
    op.fields = map_fields(wanted, properties, reserved)
    renamed = [f"{brief} as {real!r}" for brief, real in op.fields.items() if brief != real]
    if renamed:
        notes.append(f"{name}: sends {', '.join(renamed)}")
    absent = [brief for brief in wanted if brief not in op.fields]
    if absent:
        notes.append(f"{name}: no field for {', '.join(absent)} in {sorted(properties)}")
    for extra in sorted(required - set(op.fields.values()) - reserved):
        op.fill[extra] = sample(properties.get(extra, {}))
        notes.append(f"{name}: required field {extra!r} is sent as {op.fill[extra]!r}")


# Response shapes and paging


def _list_key(schema: Json, schemas: Schemas) -> tuple[bool, str | None]:
    """(documented, key): a bare array is (True, None); an envelope names its array's key."""
    if schema.get("type") == "array":
        return True, None
    properties, _ = schemas.properties(schema)
    arrays = [key for key, value in properties.items() if value.get("type") == "array"]
    for key in LIST_KEYS:
        if key in arrays:
            return True, key
    return (True, arrays[0]) if len(arrays) == 1 else (False, None)


def bind_paging(route: Route, schemas: Schemas, op: Operation) -> None:
    """Name the query parameters that page a list: limit/offset, or page/size, and the most
    items a page may hold."""
    query = route.parameters(schemas, "query")
    by_normal = {normal(name): name for name in query}

    def first(names: tuple[str, ...]) -> str | None:
        return next((by_normal[normal(n)] for n in names if normal(n) in by_normal), None)

    limit, offset, page = first(LIMIT_PARAMS), first(OFFSET_PARAMS), first(PAGE_PARAMS)
    if limit and query[limit].get("maximum") is not None:
        op.paging["max"] = int(query[limit]["maximum"])
    if page:
        start = query[page].get("default", query[page].get("minimum", 1))
        op.paging.update(page=page, first=int(start) if isinstance(start, int) else 1)
        if limit:
            op.paging["size"] = limit
    elif limit or offset:
        op.paging.update(
            {key: value for key, value in (("limit", limit), ("offset", offset)) if value}
        )


def _id_field(schema: Json, schemas: Schemas, kind: str) -> str | None:
    properties, _ = schemas.properties(schema)
    for pattern in ID_FIELDS:
        if pattern.format(kind=kind) in properties:
            return pattern.format(kind=kind)
    return None


def _describe(name: str, op: Operation) -> str:
    parts = [f"{name}: {op.method} {op.path}"]
    if op.book:
        parts.append(f"book id in {op.book['in']} {op.book['name']!r}")
    if op.statuses:
        parts.append(f"documented {'/'.join(map(str, op.statuses))}")
    if op.paging:
        parts.append("pages with " + ", ".join(f"{k}={v}" for k, v in op.paging.items()))
    return "; ".join(parts)


def from_document(document: Json) -> Binding:
    """Bind what the document says, before any request confirms it."""
    binding = Binding()
    schemas = Schemas(document)
    found = routes(document)
    plans = (
        (LIST_BOOKS, "GET", "book", None),
        (CREATE_BOOK, "POST", "book", BOOK_FIELDS),
        (LIST_REVIEWS, "GET", "review", None),
        (CREATE_REVIEW, "POST", "review", REVIEW_FIELDS),
    )
    for name, method, kind, wanted in plans:
        scored = [_scored(kind, route, schemas) for route in found if route.method == method]
        chosen = _choose(name, scored, binding)
        if chosen is None:
            continue
        route, reference = chosen
        op = Operation(method=route.method, path=route.path, book=reference)
        op.statuses, response = route.success(schemas)
        binding.operations[name] = op
        if wanted is None:
            bind_paging(route, schemas, op)
            binding.notes.append(_describe(name, op))
            documented, op.items = _list_key(response, schemas)
            if documented:
                shape = f"an envelope, items under {op.items!r}" if op.items else "a bare list"
                binding.notes.append(f"{name}: answers {shape}")
        else:
            binding.notes.append(_describe(name, op))
            bind_body(name, route, schemas=schemas, wanted=wanted, op=op, notes=binding.notes)
            op.id = _id_field(response, schemas, kind)
    return binding


def conventional(client: httpx.Client) -> Binding:
    """Without a document, try the paths most candidates choose, as a reviewer would."""
    binding = Binding(source="probed")
    for prefix in PREFIXES:
        response = _get(client, f"{prefix}/books")
        if response is not None and response.status_code == 200 and json_of(response) is not None:
            fields = {brief: brief for brief in BOOK_FIELDS}
            review_fields = {brief: brief for brief in REVIEW_FIELDS}
            reviews = f"{prefix}/books/{{book_id}}/reviews"
            book = {"in": "path", "name": "book_id"}
            binding.operations = {
                LIST_BOOKS: Operation("GET", f"{prefix}/books"),
                CREATE_BOOK: Operation("POST", f"{prefix}/books", fields=fields),
                LIST_REVIEWS: Operation("GET", reviews, book=book),
                CREATE_REVIEW: Operation("POST", reviews, book=book, fields=review_fields),
            }
            binding.notes.append(f"GET {prefix}/books answered 200: bound the usual paths there")
            return binding
    binding.unbound = dict.fromkeys(OPERATIONS, "no OpenAPI document and no /books answering")
    return binding
