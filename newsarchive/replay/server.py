"""Serves a samples directory on 127.0.0.1 as an HTTP proxy, for offline crawls and tests.

A crawl sends each request for `http://HOST/PATH` to this server (https:// ones through a
CONNECT tunnel with a self-signed certificate), which answers with the bytes stored at
`DIR/HOST/PATH` and the headers of the `.headers.json` beside them, so records keep their real
URLs. Anything not stored answers 404, as a vanished page would. A WARC file, or a folder of
them, is served the same way: each URL's last captured response (warc.py).
The standard library server suffices: it only reads files, and Twisted's would tie it to a
reactor that the crawl owns.
"""

import hashlib
import logging
import socket
import ssl
import threading
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self

from newsarchive.replay import tls
from newsarchive.replay.layout import SIDECAR_SUFFIXES, sample_path, stored_headers
from newsarchive.replay.warc import Served, WarcIndex, is_warc_source, warc_files

logger = logging.getLogger(__name__)


_KEPT_ON_304 = ("etag", "last-modified", "cache-control", "expires", "date", "vary")


def _validated(
    headers: list[tuple[str, str]], body: bytes, request
) -> tuple[list[tuple[str, str]], bool]:
    """The page's headers with an ETag (a static file server's, from its bytes, when none was
    recorded), and whether the request's If-None-Match or If-Modified-Since says the client
    has it already: the conditional requests of an incremental crawl, answered as nginx does."""
    names = {name.lower(): value for name, value in headers}
    if "etag" not in names:
        names["etag"] = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
        headers = [*headers, ("ETag", names["etag"])]
    if (tags := request.get("If-None-Match")) is not None:
        return headers, tags.strip() == "*" or names["etag"] in [t.strip() for t in tags.split(",")]
    since, modified = request.get("If-Modified-Since"), names.get("last-modified")
    if since and modified:
        try:
            return headers, parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return headers, False
    return headers, False


class ReplayHandler(BaseHTTPRequestHandler):
    """Answers proxy requests (`GET http://host/path`) and direct ones (`GET /host/path`)."""

    protocol_version = "HTTP/1.1"  # keep-alive: a crawl reuses its connection to the proxy
    # Buffered: headers and body leave in one write, flushed when the request is answered.
    wbufsize = 1 << 16
    server: "ReplayServer"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    tunnel_host: str | None = None

    def do_CONNECT(self) -> None:
        """Open an https:// tunnel: TLS with a self-signed certificate, then serve inside it."""
        self.send_response_only(200, "Connection established")
        self.end_headers()
        self.wfile.flush()  # the client starts its TLS handshake only once it has this answer
        self.tunnel_host = self.path.rsplit(":", 1)[0]
        secure = self.server.tls_context(self.tunnel_host).wrap_socket(
            self.connection, server_side=True
        )
        self.connection = secure
        self.rfile, self.wfile = secure.makefile("rb"), secure.makefile("wb", self.wbufsize)
        self.close_connection = False  # clients send CONNECT as HTTP/1.0; the tunnel stays open

    def finish(self) -> None:
        super().finish()
        if self.tunnel_host:  # the TLS socket took over the connection from self.request
            self.connection.close()

    def _answer(self, send_body: bool) -> None:
        if self.tunnel_host:
            url = f"https://{self.tunnel_host}{self.path}"
        else:
            url = self.path if "://" in self.path else "http:/" + self.path
        found = self.server.lookup(url)
        if found is None:
            self._send(
                404,
                [("Content-Type", "text/html; charset=utf-8")],
                b"<html><body><h1>404 Not Found</h1></body></html>",
                send_body,
            )
            return
        status, headers, body = found
        if status == 200:
            headers, not_modified = _validated(headers, body, self.headers)
            if not_modified:
                self._send(304, [h for h in headers if h[0].lower() in _KEPT_ON_304], b"", False)
                return
        self._send(status, headers, body, send_body)

    def setup(self) -> None:
        super().setup()
        # Without TCP_NODELAY every keep-alive response waits ~40 ms for the client's delayed
        # ACK (Nagle's algorithm): the crawl would measure this server, not itself.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _send(
        self, status: int, headers: list[tuple[str, str]], body: bytes, send_body: bool
    ) -> None:
        self.send_response_only(status)
        for name, value in headers:
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        logger.debug("replay: " + format, *args)


class ReplayServer(ThreadingHTTPServer):
    """The replay proxy; `with ReplayServer(root) as server:` serves in a background thread.

    `root` is a samples directory, or a WARC file or folder of WARC files (`warc` is then
    their index).
    """

    daemon_threads = True
    # The listen backlog: socketserver's is 5. A crawl that opens more connections than that at
    # once had the rest of its SYNs dropped, and each waited a second for TCP to send it again,
    # with every process idle (the kernel's ListenOverflows counter rose with each stall).
    request_queue_size = 128

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0):
        self.root = Path(root).resolve()
        self.warc = WarcIndex(warc_files(self.root)) if is_warc_source(self.root) else None
        if self.warc is None and not self.root.is_dir():
            raise FileNotFoundError(f"replay directory not found: {root}")
        super().__init__((host, port), ReplayHandler)
        self._thread: threading.Thread | None = None
        self._tls_contexts: dict[str, ssl.SSLContext] = {}
        self._tls_lock = threading.Lock()

    def lookup(self, url: str) -> Served | None:
        """Status, headers and body stored for `url`, or None when nothing is."""
        if self.warc is not None:
            return self.warc.serve(url)
        page = sample_path(self.root, url)
        if page is None or not page.is_file() or page.name.endswith(SIDECAR_SUFFIXES):
            return None
        status, headers = stored_headers(page)
        return status, list(headers.items()), page.read_bytes()

    def tls_context(self, host: str) -> ssl.SSLContext:
        """One certificate per host, made on first use: most samples are http://."""
        with self._tls_lock:
            if host not in self._tls_contexts:
                self._tls_contexts[host] = tls.server_context(host)
            return self._tls_contexts[host]

    @property
    def proxy_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "ReplayServer":
        self._thread = threading.Thread(target=self.serve_forever, name="replay", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread:
            self._thread.join()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
