"""Answer whether an HTTP endpoint on the pod's loopback says it is healthy.

Usage: probe.py URL  (exit 0 on a 2xx answer; prints the status or the error)
"""

import sys
import urllib.error
import urllib.request

try:
    with urllib.request.urlopen(sys.argv[1], timeout=2) as response:  # noqa: S310 - loopback only
        print(response.status)
        sys.exit(0 if 200 <= response.status < 300 else 1)
except urllib.error.HTTPError as error:
    print(error.code)
except OSError as error:
    print(type(error).__name__, error)
sys.exit(1)
