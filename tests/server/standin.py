"""A stand-in for GitHub's and GitLab's REST APIs on loopback, since neither is reachable here.

It serves the few endpoints Assay calls, as their documentation describes them, records every
request (method, path, query, headers, JSON body) for the test to read, and refuses a request
of the wrong shape as the real API would (401 without a token, 422 for a bad body). A test
can script failures: ``standin.fail("/statuses/", 503, 503)`` answers the next two matching
requests with 503.
"""

import io
import json
import re
import tarfile
import threading
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

GITHUB_STATES = {"pending", "success", "failure", "error"}
GITLAB_STATES = {"pending", "running", "success", "failed", "canceled", "skipped"}
BOT = "assay-bot"


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def tarball(files: dict[str, str], *, top: str = "acme-app-0123456") -> bytes:
    """A ``.tar.gz`` as GitHub's tarball endpoint gives it: everything under one folder."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            data = content.encode()
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@dataclass
class StandIn:
    archives: dict[str, bytes] = field(default_factory=dict)  # by commit sha
    comments: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    requests: list[Seen] = field(default_factory=list)
    failures: deque[tuple[str, int]] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_id: int = 100

    def start(self) -> "StandIn":
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:  # quiet
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, headers, answer = standin.handle(
                    self.command, self.path, self.headers, body
                )
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_POST = do_PATCH = do_PUT = _serve  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def fail(self, path_part: str, *statuses: int) -> None:
        for status in statuses:
            self.failures.append((path_part, status))

    def seen(self, method: str, pattern: str) -> list[Seen]:
        return [r for r in self.requests if r.method == method and re.search(pattern, r.path)]

    # -- the APIs ------------------------------------------------------------------------

    def handle(
        self, method: str, raw: str, headers: Any, body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(raw)
        seen = Seen(
            method,
            parts.path,
            parse_qs(parts.query),
            {k.lower(): v for k, v in headers.items()},
            body,
        )
        with self.lock:
            self.requests.append(seen)
            if self.failures and self.failures[0][0] in parts.path:
                return self.failures.popleft()[1], {}, b'{"message": "scripted failure"}'
            return self._route(seen)

    def _json(self, status: int, data: Any, extra: dict[str, str] | None = None) -> tuple:
        return (
            status,
            {"Content-Type": "application/json", **(extra or {})},
            json.dumps(data).encode(),
        )

    def _route(self, seen: Seen) -> tuple[int, dict[str, str], bytes]:
        path = seen.path
        if match := re.fullmatch(r"/codeload/(?P<sha>\w+)", path):
            return self._archive(match["sha"])
        github = path.startswith("/repos/")
        if github and seen.headers.get("authorization", "") != "Bearer gh-token":
            return self._json(401, {"message": "Bad credentials"})
        if not github and seen.headers.get("private-token") != "gl-token":
            return self._json(401, {"message": "401 Unauthorized"})
        routes = [
            (r"GET /repos/[^/]+/[^/]+/tarball/(?P<sha>\w+)", self._github_tarball),
            (r"POST /repos/[^/]+/[^/]+/statuses/(?P<sha>\w+)", self._github_status),
            (r"GET /repos/[^/]+/[^/]+/issues/(?P<n>\d+)/comments", self._list),
            (r"POST /repos/[^/]+/[^/]+/issues/(?P<n>\d+)/comments", self._create),
            (r"PATCH /repos/[^/]+/[^/]+/issues/comments/(?P<id>\d+)", self._edit),
            (r"GET /api/v4/projects/[^/]+/repository/archive\.tar\.gz", self._gitlab_archive),
            (r"POST /api/v4/projects/[^/]+/statuses/(?P<sha>\w+)", self._gitlab_status),
            (r"GET /api/v4/projects/[^/]+/merge_requests/(?P<n>\d+)/notes", self._list),
            (r"POST /api/v4/projects/[^/]+/merge_requests/(?P<n>\d+)/notes", self._create),
            (r"PUT /api/v4/projects/[^/]+/merge_requests/\d+/notes/(?P<id>\d+)", self._edit),
        ]
        for pattern, answer in routes:
            if match := re.fullmatch(pattern, f"{seen.method} {path}"):
                return answer(seen, **match.groupdict())
        return self._json(404, {"message": "Not Found"})

    def _archive(self, sha: str) -> tuple[int, dict[str, str], bytes]:
        if sha not in self.archives:
            return self._json(404, {"message": "Not Found"})
        return 200, {"Content-Type": "application/x-gzip"}, self.archives[sha]

    def _github_tarball(self, seen: Seen, sha: str) -> tuple:
        # GitHub redirects to a signed URL on codeload.github.com
        return 302, {"Location": f"{self.url}/codeload/{sha}"}, b""

    def _gitlab_archive(self, seen: Seen) -> tuple:
        return self._archive(seen.query.get("sha", [""])[0])

    def _github_status(self, seen: Seen, sha: str) -> tuple:
        body = seen.json or {}
        if body.get("state") not in GITHUB_STATES or len(body.get("description", "")) > 140:
            return self._json(422, {"message": "Validation Failed"})
        return self._json(201, {"id": 1, "sha": sha, **body})

    def _gitlab_status(self, seen: Seen, sha: str) -> tuple:
        body = seen.json or {}
        if body.get("state") not in GITLAB_STATES:
            return self._json(400, {"message": "state is invalid"})
        return self._json(201, {"id": 1, "sha": sha, "status": body["state"]})

    def _person(self, seen: Seen) -> dict[str, str]:
        return {"login": BOT} if seen.path.startswith("/repos/") else {"username": BOT}

    def _key(self, seen: Seen) -> str:
        return "user" if seen.path.startswith("/repos/") else "author"

    def _list(self, seen: Seen, n: str) -> tuple:
        per_page = int(seen.query.get("per_page", ["30"])[0])
        page = int(seen.query.get("page", ["1"])[0])
        items = self.comments[n][(page - 1) * per_page : page * per_page]
        extra = {}
        if page * per_page < len(self.comments[n]):
            extra["Link"] = (
                f'<{self.url}{seen.path}?per_page={per_page}&page={page + 1}>; rel="next"'
            )
        return self._json(200, items, extra)

    def _create(self, seen: Seen, n: str) -> tuple:
        body = (seen.json or {}).get("body")
        if not isinstance(body, str) or not body:
            return self._json(422, {"message": "body is missing"})
        self.next_id += 1
        comment = {"id": self.next_id, "body": body, self._key(seen): self._person(seen)}
        self.comments[n].append(comment)
        return self._json(201, comment)

    def _edit(self, seen: Seen, id: str) -> tuple:
        body = (seen.json or {}).get("body")
        for comments in self.comments.values():
            for comment in comments:
                if str(comment["id"]) == id and isinstance(body, str):
                    if comment[self._key(seen)] != self._person(seen):
                        return self._json(403, {"message": "Must have admin rights"})
                    comment["body"] = body
                    return self._json(200, comment)
        return self._json(404, {"message": "Not Found"})
