"""What can go wrong with an archive, as exceptions a command turns into one line."""


class ArchiveError(Exception):
    """The archive cannot be opened or written: not a directory, no permission, not a
    database, the disk full."""


class ArchiveBusy(ArchiveError):
    """Another crawl is writing to this archive."""
