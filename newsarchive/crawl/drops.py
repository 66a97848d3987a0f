"""Why a pipeline dropped an item: the exceptions the store reads to record what happened."""

from scrapy.exceptions import DropItem

from newsarchive.archive import Stored


class DuplicateItem(DropItem):
    """An unchanged page, or the same article under a second URL; the store notes which."""

    def __init__(self, url: str, decision: Stored):
        super().__init__(
            f"{decision.outcome.capitalize()}: {url} (stored as {decision.url})", log_level="DEBUG"
        )
        self.url, self.decision = url, decision


class InvalidItem(DropItem):
    """A record that broke the schema or a rule; the store records it as a failure."""

    def __init__(self, url: str, errors: list[str]):
        super().__init__(f"Invalid record {url}: {'; '.join(errors)}")
        self.url, self.errors = url, errors
