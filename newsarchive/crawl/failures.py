"""Why a page was lost: stable reason codes for failed fetches."""

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

# Reason codes a scheduler or a person can group by.
_NETWORK_REASONS = (
    ((DNSLookupError,), "dns_error"),
    ((TimeoutError, TCPTimedOutError), "timeout"),
    ((ConnectionRefusedError,), "connection_refused"),
)


def fetch_failure(failure: Failure) -> dict:
    """The url, reason, detail and http_status of an errback's failure."""
    request = getattr(failure, "request", None)
    details = {
        "url": request.url if request is not None else "",
        "referer": _referer(request),
        "detail": f"{failure.type.__name__}: {failure.getErrorMessage()}",
        "http_status": None,
    }
    if failure.check(HttpError):
        status = failure.value.response.status
        return details | {
            "url": failure.value.response.url,
            "reason": f"http_{status}",
            "http_status": status,
        }
    for error_types, reason in _NETWORK_REASONS:
        if failure.check(*error_types):
            return details | {"reason": reason}
    if failure.check(IgnoreRequest):
        return details | {"reason": "ignored"}  # robots.txt forbids it, or a size limit
    return details | {"reason": failure.type.__name__}


def _referer(request) -> str | None:
    if request is None:
        return None
    referer = request.headers.get("Referer")
    return referer.decode("latin-1") if referer else None
