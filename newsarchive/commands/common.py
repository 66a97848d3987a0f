"""What every command shares: exit statuses, the errors a user can fix, the archive to use."""

import argparse
from datetime import UTC, date, datetime
from pathlib import Path

from newsarchive import settings
from newsarchive.archive import DATABASE_NAME, Archive

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
EXIT_QUALITY = 4  # a crawl done, but a site's pages read worse than before (crawl/quality.py)
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report it


class UserError(Exception):
    """A problem the user can fix; printed as one line, without a traceback (exit 1)."""


class UsageError(UserError):
    """Arguments that cannot work together, or are malformed (exit 2)."""


def archive_dir(args: argparse.Namespace) -> Path:
    """--archive, else NEWSARCHIVE_ARCHIVE (environment), else ./archive."""
    return Path(args.archive or settings.NEWSARCHIVE_ARCHIVE)


def open_archive(directory: Path) -> Archive:
    if not (directory / DATABASE_NAME).exists():
        raise UserError(f"no archive at {directory} (run `newsarchive crawl` first)")
    return Archive(directory)


def iso_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def workers_count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"not a number of processes (1 or more): {text!r}")
    return count


def utc_time(text: str) -> str:
    """A time as the archive writes them (UTC, to the second, with a Z), from a day or any
    ISO 8601 time; naive times are UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a time: {text!r} (give YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+08:00])"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
