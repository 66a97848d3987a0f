"""Reason codes of failed fetches, from the exceptions Scrapy and Twisted really raise."""

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from newsarchive.crawl.failures import fetch_failure

URL = "http://mw.nmg.gov.cn/xw/msdt/202303/t20230307_2271546.html"
REFERER = "http://zjifz.org.cn/show-10604.html"


def failed(error: Exception) -> Failure:
    """A Failure as an errback receives it: raised for real, with its request attached."""
    try:
        raise error
    except Exception:
        failure = Failure()
    failure.request = Request(URL, headers={"Referer": REFERER})
    return failure


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (DNSLookupError("no such host"), "dns_error"),
        (TimeoutError("took too long"), "timeout"),
        (TCPTimedOutError(), "timeout"),
        (ConnectionRefusedError(), "connection_refused"),
        (IgnoreRequest("Forbidden by robots.txt"), "ignored"),
        (ValueError("odd"), "ValueError"),
    ],
)
def test_each_download_error_has_its_reason_code(error, reason):
    details = fetch_failure(failed(error))
    assert details["reason"] == reason
    assert (details["url"], details["referer"], details["http_status"]) == (URL, REFERER, None)
    assert details["detail"].startswith(type(error).__name__ + ": ")


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_an_http_error_is_its_status(status):
    response = Response(URL, status=status, request=Request(URL))
    details = fetch_failure(failed(HttpError(response, "Ignoring non-200 response")))
    assert (details["reason"], details["http_status"], details["url"]) == (
        f"http_{status}",
        status,
        URL,
    )


def test_a_page_lost_after_redirects_is_recorded_at_the_url_first_asked_for():
    moved = "https://mw.nmg.gov.cn/zwdt/moved.html"
    hop = Request(moved, meta={"redirect_urls": [URL]})
    failure = failed(HttpError(Response(moved, status=404, request=hop), "Ignoring"))
    failure.request = hop
    details = fetch_failure(failure)
    assert (details["url"], details["reason"]) == (URL, "http_404")
    assert f"at {moved}, after 1 redirects" in details["detail"]


def test_a_failure_without_a_request_still_has_a_reason():
    try:
        raise DNSLookupError("no such host")
    except DNSLookupError:
        details = fetch_failure(Failure())
    assert (details["url"], details["referer"], details["reason"]) == ("", None, "dns_error")
