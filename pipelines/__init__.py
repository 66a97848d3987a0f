"""Item pipelines, one step each: normalize, validate, dedupe, store, check.

Installed as `newsarchive.pipelines`; they share the crawl's one archive connection
(newsarchive.crawl.archive) and never import each other.
"""
