"""Replay: serve samples/ on 127.0.0.1 as an HTTP proxy, so offline crawls request real URLs.

layout.py says where a page is stored, server.py serves them, process.py runs the server in
a process of its own for a crawl, tls.py makes the certificates of its https:// tunnel.
"""

from newsarchive.replay.layout import (
    CHECK_SUFFIX,
    EXPECTED_SUFFIX,
    HEADERS_SUFFIX,
    sample_path,
    sample_url,
    stored_headers,
)
from newsarchive.replay.server import ReplayServer

__all__ = [
    "CHECK_SUFFIX",
    "EXPECTED_SUFFIX",
    "HEADERS_SUFFIX",
    "ReplayServer",
    "sample_path",
    "sample_url",
    "stored_headers",
]
