"""Which article pages a scheduled crawl fetches again, and what an original's fetch says of it.

List pages are always fetched. An article page fetched lately (within its recheck period:
NEWSARCHIVE_RECHECK_AFTER for reprints, a profile's `recheck_after`, and
NEWSARCHIVE_RECHECK_ORIGINALS_AFTER for originals) is skipped; one that is due is asked for
conditionally when its server gave an ETag or Last-Modified, so an unchanged page costs a 304.
A page whose last fetch failed for a passing reason (a timeout, a 5xx) is due at once.
NEWSARCHIVE_REFRESH fetches everything, unconditionally.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsarchive.archive import Archive

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
# A page gone or forbidden stays so until its next recheck; one that answered (2xx, 304) is
# settled only once its record is stored (a crawl killed before storing it fetches it again).
# Others (5xx, no response) are retried at once.
_GONE = {403, 404, 410, 451}
_ANSWERED = {200, 203, 304}
KIND = "newsarchive_kind"  # request meta: "reprint" or "original" for an article request


def parse_duration(text: str | float | int) -> float:
    """Seconds in `30d`, `12h`, `90m`, `3600` or `0` (0: always due)."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        seconds = float(text)
    elif isinstance(text, str) and (match := _DURATION.match(text)):
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
    else:
        raise ValueError(f"not a duration: {text!r} (e.g. 30d, 12h, 90m, 0)")
    return seconds


@dataclass(frozen=True)
class Plan:
    """Whether to fetch an article page, and the conditional headers to ask with."""

    fetch: bool
    headers: dict[str, str] = field(default_factory=dict)
    again: bool = False  # not fetched because this run has fetched it: a duplicate link


@dataclass(frozen=True)
class Recheck:
    reprints: float
    originals: float
    refresh: bool = False

    @classmethod
    def from_settings(cls, settings) -> "Recheck":
        return cls(
            reprints=parse_duration(settings.get("NEWSARCHIVE_RECHECK_AFTER")),
            originals=parse_duration(settings.get("NEWSARCHIVE_RECHECK_ORIGINALS_AFTER")),
            refresh=settings.getbool("NEWSARCHIVE_REFRESH"),
        )

    def period(self, kind: str, site_period: float | None = None) -> float:
        if kind == "original":
            return self.originals
        return self.reprints if site_period is None else site_period

    def plan(
        self,
        archive: Archive,
        url: str,
        kind: str,
        site_period: float | None = None,
        run: int | None = None,
    ) -> Plan:
        """`run` is this crawl's: a page it has fetched already is not due again (nor
        counted as skipped: a first run over two list pages naming one article skips
        nothing)."""
        if self.refresh:
            return Plan(True)
        fetched = archive.fetches.get(url)
        if fetched is not None and run is not None and fetched["run"] == run:
            return Plan(False, again=True)
        known = archive.records.url_of(url) is not None
        if fetched is None:
            if not known:
                return Plan(True)  # never asked for
            seen = archive.records.last_seen(url)  # an archive from before fetches were kept
            return Plan(not _within(seen, self.period(kind, site_period)))
        settled = fetched["status"] in _GONE or (known and fetched["status"] in _ANSWERED)
        if settled and _within(fetched["fetched_at"], self.period(kind, site_period)):
            return Plan(False)
        headers = {}
        if known and fetched["status"] in _ANSWERED:
            if fetched["etag"]:
                headers["If-None-Match"] = fetched["etag"]
            if fetched["last_modified"]:
                headers["If-Modified-Since"] = fetched["last_modified"]
        return Plan(True, headers)


def _within(moment: str | None, seconds: float) -> bool:
    if not moment or seconds <= 0:
        return False
    then = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return (datetime.now(UTC) - then).total_seconds() < seconds


# What a failed fetch of an original says of it (reason codes of crawl/failures.py).
_STATE_OF_REASON = {
    "http_404": "removed",
    "http_410": "removed",
    "http_403": "blocked",
    "http_451": "blocked",
    "robots_forbidden": "blocked",
}


def state_of_failure(reason: str) -> str | None:
    """`removed`, `blocked` or `unreachable` for a fetch that failed for `reason`; None when
    the failure says nothing of the original (a link never followed, a refused address)."""
    if reason in _STATE_OF_REASON:
        return _STATE_OF_REASON[reason]
    if reason.startswith("http_5") or reason in (
        "http_429",
        "timeout",
        "dns_error",
        "connection_refused",
        "connection_reset",
        "tls_error",
        "data_loss",
        "download_failed",
    ):
        return "unreachable"
    return None
