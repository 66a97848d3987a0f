"""A loopback web site whose pages go wrong on purpose, and a second server that stands in
for the internal network and must never be asked anything.

The site looks like a XunRui reprint site: /list.html links /show-N.html, and each reprint's
原文链接 names one of the fault endpoints below (or an internal address). Every request the
servers receive is logged, so a test can tell what was fetched, and what never was.
"""

import gzip
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli

BOMB_BYTES = 64 * 1024 * 1024  # far past any DOWNLOAD_MAXSIZE the tests set

REPRINT = """<!DOCTYPE html><html><head><meta charset="{charset}">
<title>{title} - 故障测试网</title></head><body>
<div class="top">欢迎访问 故障测试网!</div>
<div class="pos">当前位置:<a href="/">网站首页</a> &gt;
<a href="/list.html">民族动态</a> &gt; 正文</div>
<h1>{title}</h1>
<ul class="info"><li>时间:2023-03-01 10:00:00</li>
<li>来源:内蒙古自治区民族事务委员会</li><li>作者:</li></ul>
<div class="content"><p>　　{title}。各地认真落实民族团结进步创建工作要求,推动各项措施落地见效。</p>
<p>原文链接:<a href="{original}">{original}</a></p></div>
<div class="foot">故障测试网 版权所有</div></body></html>"""

ORIGINAL = """<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="2023-02-27 09:00">
<meta name="SiteName" content="内蒙古自治区民族事务委员会"><title>{title}</title></head><body>
<h1>{title}</h1><div class="TRS_UEDITOR">
<p>　　{title}。各地认真落实民族团结进步创建工作要求，推动各项措施落地见效。</p>
</div></body></html>"""


@cache
def bomb(encoding: str) -> bytes:
    """A small body that unpacks to BOMB_BYTES of zeros."""
    zeros = bytes(BOMB_BYTES)
    return gzip.compress(zeros, 9) if encoding == "gzip" else brotli.compress(zeros, quality=5)


@dataclass
class Site:
    """What the site serves: `articles` maps a reprint number to the URL its 原文链接 names,
    `mislabelled` lists reprints served under a lying charset, `robots` how robots.txt
    answers (a status, or "timeout")."""

    articles: dict[int, str] = field(default_factory=dict)
    list_links: list[str] = field(default_factory=list)
    mislabelled: dict[int, tuple[str, str]] = field(default_factory=dict)  # n: (label, bytes)
    robots: int | str = 404
    slow_seconds: float = 5.0
    internal: str = ""  # base URL of the internal stand-in, for redirects and refreshes to it
    canary: str = ""  # file:// URL of a local file that must never be read
    requests: list[str] = field(default_factory=list)
    hits: Counter = field(default_factory=Counter)


class FaultHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "FaultServer"

    def log_message(self, format: str, *args) -> None:  # the request log is self.server's
        pass

    def do_GET(self) -> None:
        site = self.server.site
        site.requests.append(self.path)
        site.hits[self.path] += 1
        path = self.path.split("?")[0]
        if path == "/robots.txt":
            return self.robots()
        if path == "/list.html":
            links = [f"/show-{n}.html" for n in site.articles] + site.list_links
            anchors = "".join(f'<li><a href="{link}">文章</a></li>' for link in links)
            return self.page(f"<html><body><ul class='list'>{anchors}</ul></body></html>")
        if path.startswith("/show-"):
            number = int(path.removeprefix("/show-").removesuffix(".html"))
            if number not in site.articles:
                return self.send(404, b"not found")
            html = REPRINT.format(
                title=f"测试转载{number}", original=site.articles[number], charset="utf-8"
            )
            label, codec = site.mislabelled.get(number, ("utf-8", "utf-8"))
            html = html.replace('charset="utf-8"', f'charset="{label}"')
            return self.send(
                200, html.encode(codec), {"Content-Type": f"text/html; charset={label}"}
            )
        if path.startswith("/page/"):
            return self.page(ORIGINAL.format(title=f"原文{path.removeprefix('/page/')}"))
        fault = getattr(self, "fault_" + path.removeprefix("/fault/").replace("-", "_"), None)
        if path.startswith("/fault/") and fault:
            return fault()
        return self.send(404, b"not found")

    # answers ---------------------------------------------------------------------------

    def send(self, status: int, body: bytes, headers: dict | None = None) -> None:
        self.send_response_only(status)
        for name, value in {"Content-Type": "text/html; charset=utf-8", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def page(self, html: str) -> None:
        self.send(200, html.encode("utf-8"))

    def redirect(self, location: str) -> None:
        self.send(302, b"", {"Location": location})

    def robots(self) -> None:
        rule = self.server.site.robots
        if rule == "timeout":
            time.sleep(self.server.site.slow_seconds)
            return self.send(200, b"User-agent: *\nDisallow:\n", {"Content-Type": "text/plain"})
        return self.send(
            rule,
            b"User-agent: *\nDisallow:\n" if rule == 200 else b"oops",
            {"Content-Type": "text/plain"},
        )

    def fault_ok(self) -> None:
        self.page(ORIGINAL.format(title="一切正常"))

    def fault_slow(self) -> None:
        time.sleep(self.server.site.slow_seconds)
        self.fault_ok()

    def fault_reset(self) -> None:
        """Close with a TCP reset, answering nothing."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    def fault_truncated(self) -> None:
        """Promise 20,000 bytes, send 2,000, close: the connection closed early."""
        body = ORIGINAL.format(title="截断的原文").encode("utf-8") + b" " * 20000
        self.send_response_only(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[:2000])
        self.wfile.flush()
        self.close_connection = True

    def fault_gzip_bomb(self) -> None:
        self.send(200, bomb("gzip"), {"Content-Encoding": "gzip"})

    def fault_brotli_bomb(self) -> None:
        self.send(200, bomb("br"), {"Content-Encoding": "br"})

    def fault_huge(self) -> None:
        self.send(200, b"<html><body><p>" + b"x" * (12 * 1024 * 1024) + b"</p></body></html>")

    def fault_loop_a(self) -> None:
        self.redirect("/fault/loop-b")

    def fault_loop_b(self) -> None:
        self.redirect("/fault/loop-a")

    def fault_chain(self) -> None:
        hop = int(self.path.partition("?")[2] or 0)
        self.redirect(f"/fault/chain?{hop + 1}")

    def fault_flaky(self) -> None:
        """503 twice, then the page: a retry gets it."""
        if self.server.site.hits[self.path] <= 2:
            return self.send(503, b"busy")
        self.page(ORIGINAL.format(title="恢复的原文"))

    def fault_rate_limited(self) -> None:
        """429 with Retry-After: 1 once, then the page."""
        if self.server.site.hits[self.path] == 1:
            return self.send(429, b"slow down", {"Retry-After": "1"})
        self.page(ORIGINAL.format(title="限速后的原文"))

    def fault_rate_limited_long(self) -> None:
        self.send(429, b"slow down", {"Retry-After": "3600"})

    def fault_pdf(self) -> None:
        self.send(
            200,
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
            {"Content-Type": "application/pdf"},
        )

    def fault_server_error(self) -> None:
        self.send(500, b"internal error")

    def fault_gone(self) -> None:
        self.send(410, b"gone")

    def fault_to_internal(self) -> None:
        self.redirect(f"{self.server.site.internal}/secret")

    def fault_to_file(self) -> None:
        self.redirect(self.server.site.canary)

    def fault_refresh_internal(self) -> None:
        self.page(
            f'<html><head><meta http-equiv="refresh" content="0;url='
            f'{self.server.site.internal}/refreshed"></head><body>跳转中</body></html>'
        )


class FaultServer(ThreadingHTTPServer):
    """`with FaultServer(site) as server:` serves `site` on 127.0.0.1 in a thread."""

    daemon_threads = True

    def __init__(self, site: Site):
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.site = site

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self) -> "FaultServer":
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.shutdown()
        self.server_close()
