"""A request newsarchive refuses to make, with the failure code it is recorded under."""

from scrapy.exceptions import IgnoreRequest


class Refused(IgnoreRequest):
    """A request newsarchive refuses to make, or to make now; `reason` is its failure code."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
