"""Timestamps as the archive writes them: UTC, to the second, with a Z."""

import time

_last = (0, "")  # the second last asked for, and its timestamp


def utc_now() -> str:
    # Formatted once a second: a crawl asks a dozen times a page (1 µs each).
    global _last
    now = int(time.time())
    if now != _last[0]:
        _last = (now, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)))
    return _last[1]
