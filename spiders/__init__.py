"""Spiders: they decide what to fetch next and hand each page to its parser.

Installed as `newsarchive.spiders`.
"""
