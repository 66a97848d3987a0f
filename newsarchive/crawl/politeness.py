"""A polite crawler's rules where Scrapy's defaults are too lenient: robots.txt that cannot be
read means "keep out" (RFC 9309 §2.3.1.4), and a server asking for time (Retry-After on 429
or 503) gets it, up to a cap."""

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

from newsarchive.crawl.failures import reason_for
from newsarchive.crawl.refusals import Refused

logger = logging.getLogger(__name__)


UNREACHABLE = {"dns_error", "connection_refused", "tls_error", "refused_address"}


class KeepOut:
    """The rules of a site whose robots.txt could not be read: nothing is allowed."""

    def __init__(self, why: str, reason: str | None = None):
        self.why, self.reason = why, reason or "robots_unavailable"

    def allowed(self, url: str, user_agent: str) -> bool:
        return False


def _without_traceback(record: logging.LogRecord) -> bool:
    record.exc_info = record.exc_text = None
    return True


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, but a 5xx answer or a failed fetch disallows the whole
    site for this run (a later run asks again); a 4xx answer allows everything."""

    @classmethod
    def from_crawler(cls, crawler):
        # A robots.txt that cannot be fetched is recorded against each page it keeps out
        # (robots_unavailable); Scrapy's log of it needs one line, not a traceback.
        logging.getLogger(RobotsTxtMiddleware.__module__).addFilter(_without_traceback)
        return super().from_crawler(crawler)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._settle(netloc, KeepOut(f"robots.txt answered {response.status}"))
            return
        if response.status >= 400:
            response = response.replace(body=b"")  # no robots.txt: no rules
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        reason = reason_for(exc, urlsplit(f"//{netloc}").hostname)
        why = f"robots.txt could not be fetched: {reason}"
        # A host that cannot be reached at all is recorded as such; any other failure to read
        # its rules (a timeout, a reset) as robots_unavailable.
        self._settle(netloc, KeepOut(why, reason if reason in UNREACHABLE else None))

    def _settle(self, netloc: str, rules: KeepOut) -> None:
        self._stats.inc_value("newsarchive/robots/unavailable")
        waiting = self._parsers[netloc]
        self._parsers[netloc] = rules
        waiting.callback(rules)

    def process_request_2(self, rp, request: Request) -> None:
        if isinstance(rp, KeepOut):
            raise Refused(rp.reason, f"{rp.why}; the site is not crawled this run")
        if rp is not None and not rp.allowed(request.url, self._user_agent(request)):
            self._stats.inc_value("robotstxt/forbidden")
            raise Refused("robots_forbidden", "Forbidden by robots.txt")

    def _user_agent(self, request: Request):
        return self._robotstxt_useragent or request.headers.get(
            b"User-Agent", self._default_useragent
        )


def retry_after_seconds(value: bytes | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date); None if unusable."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting as long as a 429 or 503 answer's Retry-After asks, up to
    NEWSARCHIVE_RETRY_AFTER_MAX seconds; a longer wait is not made, and the answer becomes
    the page's failure (http_429, http_503) with the wait asked for in its detail."""

    async def process_response(self, request: Request, response: Response):
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if response.status not in (429, 503) or wait is None or request.meta.get("dont_retry"):
            return super().process_response(request, response)
        cap = self.crawler.settings.getfloat("NEWSARCHIVE_RETRY_AFTER_MAX")
        if wait > cap:
            self.crawler.stats.inc_value("newsarchive/retry_after/too_long")
            request.meta["newsarchive_retry_after"] = wait
            return response
        self.crawler.stats.inc_value("newsarchive/retry_after/waited")
        from twisted.internet import reactor  # the one Scrapy installed, not a default one

        await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return super().process_response(request, response)
