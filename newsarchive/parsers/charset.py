"""Which encoding a page's bytes are really in, when its declarations disagree (DOMAIN.md §4).

Scrapy believes the HTTP header first; Chinese sites often label UTF-8 pages `gb2312` (or the
reverse) after a template or server move, and the page then decodes to mojibake that loses its
原文链接. UTF-8 validates itself: bytes that decode as strict UTF-8 and are not plain ASCII are
UTF-8 whatever a label says. Otherwise the declared encodings and GB18030 are tried, and the one
that leaves the fewest replacement characters wins. GB2312 and GBK labels mean GB18030.
"""

import re

from scrapy.http import TextResponse
from w3lib.encoding import read_bom, resolve_encoding

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_SNIFF = 4096  # <meta charset> must come within the first 1024 bytes; be generous
REPLACEMENT = "\ufffd"


def declared_charsets(response: TextResponse) -> dict[str, str]:
    """The labels a response gives its encoding, as written: `header`, `bom`, `meta`."""
    declared = {}
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    if match := _HEADER_CHARSET.search(content_type):
        declared["header"] = match.group(1).lower()
    if bom := read_bom(response.body)[0]:
        declared["bom"] = bom
    if match := _META_CHARSET.search(response.body[:_SNIFF]):
        declared["meta"] = match.group(1).decode("ascii").lower()
    return declared


def _errors(body: bytes, codec: str) -> int:
    return body.decode(codec, errors="replace").count(REPLACEMENT)


def best_encoding(response: TextResponse) -> str:
    """The codec that decodes the body to valid text (see the module docstring)."""
    body = response.body
    bom = read_bom(body)[0]
    if bom:
        return bom
    if not body.isascii():
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return "utf-8"
    if body.isascii():
        return response.encoding  # every label Scrapy accepts decodes ASCII alike
    codecs = [resolve_encoding(label) for label in declared_charsets(response).values()]
    candidates = list(dict.fromkeys(c for c in [*codecs, "gb18030"] if c))
    return min(candidates, key=lambda codec: _errors(body, codec))  # first of the fewest


def charset_conflict(response: TextResponse) -> bool:
    """Whether the page's labels disagree with each other or with the codec it decodes with."""
    codecs = {resolve_encoding(label) for label in declared_charsets(response).values()}
    return bool(codecs) and codecs != {resolve_encoding(response.encoding)}


def with_best_encoding(response: TextResponse) -> TextResponse:
    """The response, decoded with best_encoding() where that is not what Scrapy chose."""
    chosen = best_encoding(response)
    if resolve_encoding(chosen) == resolve_encoding(response.encoding):
        return response
    return response.replace(encoding=chosen)
