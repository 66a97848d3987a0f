"""Downloader middleware: decode each page by what its bytes are (parsers/charset.py)."""

from scrapy import Request
from scrapy.http import Response, TextResponse

from newsarchive.parsers.charset import with_best_encoding


class CharsetMiddleware:
    """Replace a text response's encoding when its labels lie about its bytes."""

    def process_response(self, request: Request, response: Response) -> Response:
        if isinstance(response, TextResponse):
            return with_best_encoding(response)
        return response
