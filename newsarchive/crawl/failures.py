"""Why a page was lost: a stable reason code for every way a fetch can fail.

Scrapy 2.19 raises its own exception classes for download errors and keeps Twisted's as their
cause; the code is read from the whole chain, newsarchive's own refusals first.
"""

from urllib.parse import urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotSupported,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed
from twisted.web.http import _DataLoss

from newsarchive.crawl.destinations import REFUSED_NAMES
from newsarchive.crawl.refusals import Refused

try:  # pyOpenSSL comes with Scrapy; its errors are what a failed handshake raises
    from OpenSSL.SSL import Error as OpenSSLError
except ImportError:  # pragma: no cover
    OpenSSLError = ()


# In order: the first class in an exception's chain that matches names the reason.
_REASONS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    ((ResponseDataLossError, _DataLoss), "data_loss"),
    ((DownloadTimeoutError, tx.TimeoutError, tx.TCPTimedOutError), "timeout"),
    ((CannotResolveHostError, tx.DNSLookupError), "dns_error"),
    ((DownloadConnectionRefusedError, tx.ConnectionRefusedError), "connection_refused"),
    ((OpenSSLError, tx.SSLError), "tls_error"),
    ((tx.ConnectionLost, tx.ConnectionDone, tx.ConnectionAborted), "connection_reset"),
    ((UnsupportedURLSchemeError, NotSupported), "unsupported_scheme"),
)


def _chain(exception: BaseException) -> list[BaseException]:
    """The exception, its causes, and the reasons a Twisted ResponseFailed carries."""
    found: list[BaseException] = []
    pending = [exception]
    while pending:
        current = pending.pop(0)
        if current is None or current in found:
            continue
        found.append(current)
        pending += [current.__cause__, current.__context__]
        if isinstance(current, ResponseFailed):
            pending += [reason.value for reason in current.reasons]
    return found


def reason_for(exception: BaseException, host: str | None = None) -> str:
    """The failure code of a download exception, e.g. `timeout` or `refused_address`;
    `host` is the request's, for a lookup the resolver refused."""
    chain = _chain(exception)
    if (
        host
        and host.lower() in REFUSED_NAMES
        and any(isinstance(link, (CannotResolveHostError, tx.DNSLookupError)) for link in chain)
    ):
        return REFUSED_NAMES[host.lower()].reason
    for link in chain:
        refusal = getattr(link, "refusal", None)  # a refused DNS answer carries its refusal
        if isinstance(link, Refused) or isinstance(refusal, Refused):
            return (refusal or link).reason
    for classes, reason in _REASONS:
        if any(isinstance(link, classes) for link in chain):
            return reason
    message = str(exception)
    # Scrapy says "max size" (DOWNLOAD_MAXSIZE) only in the text of the errors it raises.
    if "max size" in message or "DOWNLOAD_MAXSIZE" in message:
        return "too_large"
    if isinstance(exception, IgnoreRequest):
        return "too_many_redirects" if "max redirections" in message else "ignored"
    if isinstance(exception, DownloadCancelledError):
        return "cancelled"
    if isinstance(exception, DownloadFailedError):
        return "download_failed"
    return type(exception).__name__


def fetch_failure(failure: Failure) -> dict:
    """The url, reason, detail and http_status of an errback's failure.

    A page lost after redirects is recorded at the URL first asked for (the 原文链接 a
    reprint names), the hop where it was lost in its detail.
    """
    request = getattr(failure, "request", None)
    chain = request.meta.get("redirect_urls", []) if request is not None else []
    lost_at = f" (at {request.url}, after {len(chain)} redirects)" if chain else ""
    details = {
        "url": chain[0] if chain else request.url if request is not None else "",
        "referer": _referer(request),
        "detail": f"{failure.type.__name__}: {failure.getErrorMessage()}{lost_at}"[:500],
        "http_status": None,
    }
    if failure.check(HttpError):
        response = failure.value.response
        wait = response.meta.get("newsarchive_retry_after") if response.request else None
        if wait is not None:  # politeness.RetryAfterMiddleware did not wait that long
            details["detail"] += f"; Retry-After {wait:.0f} s is past NEWSARCHIVE_RETRY_AFTER_MAX"
        return details | {"reason": f"http_{response.status}", "http_status": response.status}
    host = urlsplit(request.url).hostname if request is not None else None
    return details | {"reason": reason_for(failure.value, host)}


def _referer(request) -> str | None:
    if request is None:
        return None
    referer = request.headers.get("Referer")
    return referer.decode("latin-1") if referer else None
