"""Signals spiders send about pages, for the pipelines to record, and the helper that sends
the commonest one."""

from scrapy.crawler import Crawler

# Sent with url, stage, reason, detail, http_status, referer when a page is lost; the store
# records it, the check pipeline settles the reprints waiting for that page.
page_failed = object()
# Sent with urls (requested, in order) and url (final) when a page redirected.
page_redirected = object()


def report_failure(
    crawler: Crawler,
    *,
    url: str,
    stage: str,
    reason: str,
    detail: str | None = None,
    http_status: int | None = None,
    referer: str | None = None,
) -> None:
    """Count a lost page under `newsarchive/failures/<reason>` and send page_failed."""
    crawler.stats.inc_value("newsarchive/failures")
    crawler.stats.inc_value(f"newsarchive/failures/{reason}")
    crawler.signals.send_catch_log(
        page_failed,
        url=url,
        stage=stage,
        reason=reason,
        detail=detail,
        http_status=http_status,
        referer=referer,
    )
