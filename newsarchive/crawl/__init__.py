"""Crawl plumbing: the shared archive connection, signals, failure reasons, middlewares,
progress lines."""
