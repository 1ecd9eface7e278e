"""Bounded capture of a process's output: the head and the tail survive, the middle is cut."""

from collections import deque


class CappedOutput:
    def __init__(self, limit: int) -> None:
        self._head_size = max(limit // 2, 1)
        self._half = max(limit - self._head_size, 1)
        self._head = bytearray()
        self._tail: deque[bytes] = deque()
        self._tail_size = 0
        self.dropped = 0

    def feed(self, chunk: bytes) -> None:
        room = self._head_size - len(self._head)
        if room > 0:
            self._head += chunk[:room]
            chunk = chunk[room:]
        if not chunk:
            return
        self._tail.append(chunk)
        self._tail_size += len(chunk)
        while self._tail_size - len(self._tail[0]) >= self._half:
            self._tail_size -= len(self._tail[0])
            self.dropped += len(self._tail.popleft())

    def text(self) -> str:
        tail = b"".join(self._tail)
        if len(tail) > self._half:
            self.dropped += len(tail) - self._half
            tail = tail[-self._half :]
            self._tail = deque([tail])
            self._tail_size = len(tail)
        cut = f"\n[... {self.dropped} bytes cut ...]\n" if self.dropped else ""
        return bytes(self._head).decode(errors="replace") + cut + tail.decode(errors="replace")
