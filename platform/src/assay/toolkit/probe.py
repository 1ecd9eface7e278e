"""Say whether the pod's services are up, the way a person checks: any HTTP answer counts.

Usage: python -I probe.py PORT [PORT...]

Prints one JSON object: for each port asked about, ``"http 404"`` (it answered HTTP, with that
status), ``"open"`` (it accepts connections but answered no HTTP) or ``"closed"``; and every
TCP port the pod's network namespace listens on, so that a service started on another port
than expected can be found.
"""

import http.client
import json
import socket
import sys
from pathlib import Path

TIMEOUT_S = 2
LISTEN = "0A"


def state(port: int) -> str:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
        connection.request("GET", "/")
        status = connection.getresponse().status
        connection.close()
    except (OSError, http.client.HTTPException):
        return _tcp(port)
    return f"http {status}"


def _tcp(port: int) -> str:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S):
            return "open"
    except OSError:
        return "closed"


def listening() -> list[int]:
    """Ports in LISTEN state, from the kernel's tables of this network namespace."""
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.is_file():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            if len(fields) > 3 and fields[3] == LISTEN:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return sorted(ports)


if __name__ == "__main__":
    asked = [int(arg) for arg in sys.argv[1:]]
    print(
        json.dumps({"ports": {str(port): state(port) for port in asked}, "listening": listening()})
    )
