import select
import socket
import ssl
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import SAMPLES

from newsarchive.replay import ReplayServer, sample_path, sample_url


def fetch(server, url: str) -> tuple[int, dict, bytes]:
    """GET `url` through the replay server as an HTTP proxy, as Scrapy does."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": server.proxy_url}))
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_serves_stored_bytes_and_headers_by_absolute_url(replay_server):
    status, headers, body = fetch(replay_server, "http://zjifz.org.cn/show-10595.html")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == (SAMPLES / "zjifz.org.cn/show-10595.html").read_bytes()


def test_gbk_page_keeps_its_charset_header_and_bytes(replay_server):
    url = "http://www.huhhot.gov.cn/zwdt/bmdt/202303/t20230315_1470358.html"
    status, headers, body = fetch(replay_server, url)
    assert (status, headers["Content-Type"]) == (200, "text/html; charset=gb2312")
    assert "堃".encode("gbk") in body


def test_query_url_and_root_url_map_to_stored_files(replay_server):
    assert fetch(replay_server, "http://zjifz.org.cn/index.php?c=show&id=10601")[0] == 200
    _, _, body = fetch(replay_server, "http://zjifz.org.cn/")
    assert body == (SAMPLES / "zjifz.org.cn/index.html").read_bytes()


@pytest.mark.parametrize(
    "url",
    [
        "http://mw.nmg.gov.cn/xw/msdt/202303/t20230307_2271546.html",  # the vanished original
        "http://mw.nmg.gov.cn/robots.txt",
        "http://zjifz.org.cn/show-10595.html.expected.json",
        "http://zjifz.org.cn/show-10595.html.headers.json",
        "http://unknown.example/",
        "http://zjifz.org.cn/../mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html",
    ],
)
def test_anything_not_stored_answers_404(replay_server, url):
    assert fetch(replay_server, url)[0] == 404


def test_direct_requests_name_the_host_in_the_path(replay_server):
    with urllib.request.urlopen(
        f"{replay_server.proxy_url}/zjifz.org.cn/robots.txt", timeout=10
    ) as r:
        assert r.read().startswith(b"User-agent: *")


def test_https_urls_are_served_through_a_tls_tunnel(replay_server):
    insecure = ssl.create_default_context()
    insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE  # self-signed
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({"https": replay_server.proxy_url}),
        urllib.request.HTTPSHandler(context=insecure),
    )
    with opener.open("https://zjifz.org.cn/show-10595.html", timeout=10) as response:
        assert response.read() == (SAMPLES / "zjifz.org.cn/show-10595.html").read_bytes()
    with pytest.raises(urllib.error.HTTPError) as missing:
        opener.open("https://zjifz.org.cn/missing.html", timeout=10)
    missing.value.close()
    assert missing.value.code == 404


@pytest.mark.parametrize(
    ("url", "relative"),
    [
        ("http://zjifz.org.cn/show-10595.html", "zjifz.org.cn/show-10595.html"),
        ("http://zjifz.org.cn/", "zjifz.org.cn/index.html"),
        (
            "http://zjifz.org.cn/index.php?c=show&id=10601",
            "zjifz.org.cn/index.php%3Fc=show&id=10601",
        ),
        ("https://mw.nmg.gov.cn/xw/", "mw.nmg.gov.cn/xw/index.html"),
    ],
)
def test_sample_path_and_sample_url_are_inverse(tmp_path, url, relative):
    path = sample_path(tmp_path, url)
    assert path == (tmp_path / relative).resolve()
    assert sample_url(path) == url.replace("https://", "http://")


@pytest.mark.parametrize("url", ["ftp://zjifz.org.cn/a", "file:///etc/passwd", "http:///nohost"])
def test_urls_that_cannot_be_stored_have_no_path(url):
    assert sample_path(Path("/tmp"), url) is None


def test_a_burst_of_connections_is_queued_while_the_server_is_busy_not_dropped():
    """A crawl opens its connections to the proxy in bursts. While every server thread is busy
    (here: none accepts at all), the kernel completes up to the listen backlog's handshakes and
    drops the other SYNs, whose clients then wait a second for TCP to send them again: with
    socketserver's backlog of 5, bench/crawl.py's crawls stalled so, every process idle."""
    server = ReplayServer(SAMPLES)  # bound and listening, never serving
    sockets = [socket.socket() for _ in range(64)]
    try:
        for client in sockets:
            client.setblocking(False)
            client.connect_ex(server.server_address[:2])
        connected, deadline = set(), time.monotonic() + 0.5  # a retried SYN comes after 1 s
        while len(connected) < len(sockets) and time.monotonic() < deadline:
            waiting = [client for client in sockets if client not in connected]
            _, writable, _ = select.select([], waiting, [], max(0, deadline - time.monotonic()))
            connected.update(writable)
        assert len(connected) == len(sockets)
        assert {client.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) for client in sockets} == {0}
    finally:
        for client in sockets:
            client.close()
        server.server_close()
