"""Git's own ``git http-backend`` run as a CGI program for one request, streamed both ways.

The request body goes to the program as it arrives, never more than the upload limit (over it
the program is stopped and the answer is 413 before anything else was sent); its output goes
to the client as it comes, so that a push's progress and the hooks' lines reach ``git push``
live, and a slow client holds the program back instead of filling the server's memory.
"""

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

import anyio
from fastapi import Response
from fastapi.responses import StreamingResponse

from assay.errors import PlatformError, TooLarge

log = logging.getLogger(__name__)
CHUNK = 64 * 1024
READ_AHEAD = 16  # chunks of output held for a slow client; beyond that the program waits
HEADERS_MAX = 64 * 1024
ERRORS_KEPT = 8 * 1024
# A client that leaves mid-push does not cut the hooks short at once: the post-receive hook
# may be storing the submission. It is asked to stop after this, then killed.
GRACE_S = 10.0
KILL_AFTER_S = 5.0


@dataclass(frozen=True)
class Request:
    """What the CGI program is told of one HTTP request."""

    method: str
    path_info: str
    query: str
    content_type: str
    content_length: str | None
    content_encoding: str
    git_protocol: str
    remote_user: str
    remote_addr: str

    def cgi_env(self) -> dict[str, str]:
        env = {
            "GATEWAY_INTERFACE": "CGI/1.1",
            "REQUEST_METHOD": self.method,
            "PATH_INFO": self.path_info,
            "QUERY_STRING": self.query,
            "CONTENT_TYPE": self.content_type,
            "REMOTE_USER": self.remote_user,
            "REMOTE_ADDR": self.remote_addr,
        }
        if self.content_length is not None:
            env["CONTENT_LENGTH"] = self.content_length
        if self.content_encoding:
            env["HTTP_CONTENT_ENCODING"] = self.content_encoding
        if self.git_protocol:
            env["HTTP_GIT_PROTOCOL"] = self.git_protocol
            env["GIT_PROTOCOL"] = self.git_protocol
        return env


def git_config(settings: Mapping[str, str]) -> dict[str, str]:
    """Configuration given to every Git the program starts, as ``GIT_CONFIG_*`` variables."""
    env = {"GIT_CONFIG_COUNT": str(len(settings))}
    for number, (key, value) in enumerate(settings.items()):
        env[f"GIT_CONFIG_KEY_{number}"] = key
        env[f"GIT_CONFIG_VALUE_{number}"] = value
    return env


async def _read(stream: asyncio.StreamReader, out: "asyncio.Queue[bytes]") -> None:
    try:
        while chunk := await stream.read(CHUNK):
            await out.put(chunk)
    finally:
        with contextlib.suppress(asyncio.QueueFull):
            out.put_nowait(b"")  # the end; a full queue is only ever read by a gone client


async def _drain(stream: asyncio.StreamReader) -> bytes:
    kept = b""
    while chunk := await stream.read(CHUNK):
        kept = (kept + chunk)[-ERRORS_KEPT:]
    return kept


async def _feed(body: AsyncIterator[bytes], stdin: asyncio.StreamWriter, limit: int) -> None:
    total = 0
    try:
        async for chunk in body:
            total += len(chunk)
            if total > limit:
                raise TooLarge(f"the push is over {limit // (1 << 20)} MiB")
            if not chunk:
                continue
            if stdin.is_closing():
                break  # the program stopped reading (a probe, an error): its answer says why
            stdin.write(chunk)
            await stdin.drain()
    except (BrokenPipeError, ConnectionResetError):
        pass  # the same, noticed while writing
    finally:
        stdin.close()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            await stdin.wait_closed()


async def _head(out: "asyncio.Queue[bytes]") -> tuple[int, dict[str, str], bytes]:
    """The CGI headers (``Status:`` among them) and what followed them in the output."""
    data = b""
    while True:
        chunk = await out.get()
        if not chunk:
            raise PlatformError("git http-backend ended without an answer")
        data += chunk
        for separator in (b"\r\n\r\n", b"\n\n"):
            head, found, rest = data.partition(separator)
            if found:
                return (*_parse(head.decode("latin-1")), rest)
        if len(data) > HEADERS_MAX:
            raise PlatformError("git http-backend answered headers without an end")


def _parse(head: str) -> tuple[int, dict[str, str]]:
    status, headers = 200, {}
    for line in head.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "status":
            status = int(value.strip().split()[0])
        elif name.strip():
            headers[name.strip()] = value.strip()
    return status, headers


def _signal(process: asyncio.subprocess.Process, number: int) -> None:
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, number)


async def _finish(
    process: asyncio.subprocess.Process,
    tasks: list["asyncio.Task[object]"],
    errors: "asyncio.Task[bytes]",
    *,
    grace: float,
) -> None:
    """Let the program end (within ``grace``), then make sure it and its children have."""
    with anyio.CancelScope(shield=True):
        for task in tasks:
            task.cancel()
        with anyio.move_on_after(grace):
            await process.wait()
        _signal(process, signal.SIGTERM)
        with anyio.move_on_after(KILL_AFTER_S):
            await process.wait()
        _signal(process, signal.SIGKILL)
        await process.wait()
        with anyio.move_on_after(1):
            stderr = await errors
            if process.returncode and stderr:
                log.warning("git http-backend: %s", stderr.decode(errors="replace").strip())


async def respond(
    argv: list[str], env: dict[str, str], body: AsyncIterator[bytes], *, limit: int
) -> Response:
    """Run the CGI program on ``body`` and answer with its output, streamed."""
    process = await asyncio.create_subprocess_exec(
        *argv,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,  # its own process group: the hooks stop with it
    )
    if process.stdin is None or process.stdout is None or process.stderr is None:
        raise PlatformError("git http-backend started without its pipes")
    out: asyncio.Queue[bytes] = asyncio.Queue(READ_AHEAD)
    reader: asyncio.Task[object] = asyncio.create_task(_read(process.stdout, out))
    errors = asyncio.create_task(_drain(process.stderr))
    try:
        await _feed(body, process.stdin, limit)
        status, headers, first = await _head(out)
    except BaseException:
        await _finish(process, [reader], errors, grace=0)
        raise

    async def rest() -> AsyncIterator[bytes]:
        try:
            if first:
                yield first
            while chunk := await out.get():
                yield chunk
        finally:
            await _finish(process, [reader], errors, grace=GRACE_S)

    media_type = headers.pop("Content-Type", None)
    return StreamingResponse(rest(), status_code=status, headers=headers, media_type=media_type)
