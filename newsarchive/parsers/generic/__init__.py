"""Generic extraction for pages no family parser claims: originals on unknown hosts, reprint
sites without a profile. tree.py says what a reader sees, title.py, when.py, credits.py,
body.py and document.py read one field each, page.py puts them together."""

from newsarchive.parsers.generic.page import GenericArticlePage

__all__ = ["GenericArticlePage"]
