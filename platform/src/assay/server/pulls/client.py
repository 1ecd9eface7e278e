"""The one way Assay calls out to GitHub and GitLab: httpx with timeouts and retries.

A 5xx answer or a transport error (refused, reset, timed out) is retried with exponential
backoff; a 4xx never is (a wrong token or a missing repository does not heal by waiting),
and neither is anything once the tries run out: the caller gets :class:`Unavailable` and
decides (a Celery task retries later), or :class:`Refused` and gives up.

    Exception
     └── ForgeError           the provider did not do what was asked
          ├── Refused         it answered 4xx: asking again would change nothing
          └── Unavailable     it answered 5xx or not at all, every time: try later
"""

import time
from collections.abc import Callable
from typing import Any

import httpx

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
TRIES = 4
BACKOFF_S = 0.5
BACKOFF_MAX_S = 8.0
EXCERPT = 300


class ForgeError(Exception):
    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class Refused(ForgeError):
    pass


class Unavailable(ForgeError):
    pass


class Client:
    """Calls to one provider's API, authenticated with one token."""

    def __init__(
        self,
        base_url: str,
        headers: dict[str, str],
        *,
        tries: int = TRIES,
        backoff_s: float = BACKOFF_S,
        timeout: httpx.Timeout = TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.tries = max(1, tries)
        self.backoff_s = backoff_s
        self.sleep = sleep
        self.http = httpx.Client(
            headers={"User-Agent": "assay", **headers},
            timeout=timeout,
            transport=transport,
            # GitHub answers an archive with a redirect to a signed URL on another host; httpx
            # drops the Authorization header when it follows one there
            follow_redirects=True,
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"

    def _wait(self, attempt: int) -> None:
        self.sleep(min(self.backoff_s * 2**attempt, BACKOFF_MAX_S))

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send a request; a 2xx answer, :class:`Refused` on 4xx, :class:`Unavailable` when every
        try met a 5xx or a transport error."""
        last: ForgeError = Unavailable(f"{method} {path}: not tried")
        for attempt in range(self.tries):
            try:
                response = self.http.request(method, self._url(path), **kwargs)
            except httpx.TransportError as error:
                last = Unavailable(f"{method} {path}: {type(error).__name__}: {error}")
            else:
                if response.is_success:
                    return response
                excerpt = response.text[:EXCERPT]
                message = f"{method} {path} answered {response.status_code}: {excerpt}"
                if response.status_code < 500:
                    raise Refused(message, response.status_code)
                last = Unavailable(message, response.status_code)
            if attempt < self.tries - 1:
                self._wait(attempt)
        raise last

    def download(self, path: str, *, limit: int, **kwargs: Any) -> bytes:
        """A body of at most ``limit`` bytes (larger is refused while it streams in), with the
        same retries as :meth:`request`."""
        last: ForgeError = Unavailable(f"GET {path}: not tried")
        for attempt in range(self.tries):
            try:
                with self.http.stream("GET", self._url(path), **kwargs) as response:
                    if response.status_code >= 400:
                        excerpt = response.read()[:EXCERPT].decode(errors="replace")
                        message = f"GET {path} answered {response.status_code}: {excerpt}"
                        if response.status_code < 500:
                            raise Refused(message, response.status_code)
                        raise Unavailable(message, response.status_code)
                    data = bytearray()
                    for chunk in response.iter_bytes():
                        data += chunk
                        if len(data) > limit:
                            raise Refused(f"GET {path}: over {limit // (1 << 20)} MiB")
                    return bytes(data)
            except httpx.TransportError as error:
                last = Unavailable(f"GET {path}: {type(error).__name__}: {error}")
            except Unavailable as error:
                last = error
            if attempt < self.tries - 1:
                self._wait(attempt)
        raise last
