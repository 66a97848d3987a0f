"""Every setting newsarchive uses, with its default. Environment variables are read here only."""

import os

BOT_NAME = "newsarchive"
# The repository's spiders/ and pipelines/, installed inside the package (pyproject.toml).
SPIDER_MODULES = ["newsarchive.spiders"]
NEWSPIDER_MODULE = "newsarchive.spiders"

# Crawl politely: these are small public-interest sites.
USER_AGENT = "newsarchive/0.1 (+https://github.com/newsarchive/newsarchive)"
ROBOTSTXT_OBEY = True
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS_PER_DOMAIN = 2
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_TIMES = 2
DOWNLOAD_TIMEOUT = 30
# The pipelines are synchronous, so items gain nothing from running concurrently, while Scrapy
# starts this many tasks for every callback's output (default 100): the bench showed the cost.
CONCURRENT_ITEMS = 4
# Gov pages are small; anything this large is not an article and is not archived.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024

DOWNLOADER_MIDDLEWARES = {
    # Before HttpProxyMiddleware (750), so replayed requests look like proxied ones.
    "newsarchive.crawl.middlewares.ReplayProxyMiddleware": 740,
}

# Order: complete derived fields, reject broken records, drop what the archive already holds,
# store, then check reprints against originals, which needs the records stored.
ITEM_PIPELINES = {
    "newsarchive.pipelines.normalize.NormalizePipeline": 100,
    "newsarchive.pipelines.validate.ValidatePipeline": 200,
    "newsarchive.pipelines.dedupe.DedupePipeline": 300,
    "newsarchive.pipelines.store.StorePipeline": 400,
    "newsarchive.pipelines.check.CheckPipeline": 500,
}

EXTENSIONS = {
    "newsarchive.crawl.progress.ProgressExtension": 500,
}

FEED_EXPORT_ENCODING = "utf-8"  # Chinese stays readable in feeds, never \u escapes
# One CSV for feeds and `newsarchive export`: lists and objects as JSON cells; csv_excel adds
# the byte order mark Excel needs to read UTF-8.
FEED_EXPORTERS = {
    "csv": "newsarchive.output.tables.CsvExporter",
    "csv_excel": "newsarchive.output.tables.ExcelCsvExporter",
}
LOG_LEVEL = os.environ.get("NEWSARCHIVE_LOG_LEVEL", "INFO")

# The archive directory (SQLite database inside); the store and dedupe pipelines need it.
NEWSARCHIVE_ARCHIVE = os.environ.get("NEWSARCHIVE_ARCHIVE", "archive")
# Proxy URL of a running replay server (`newsarchive replay`); empty to fetch from the web.
NEWSARCHIVE_REPLAY_PROXY = os.environ.get("NEWSARCHIVE_REPLAY_PROXY", "")
# Check each reprint against its original during the crawl (`newsarchive check` redoes it).
NEWSARCHIVE_CHECK_ENABLED = True
# Column list pages the xunrui spider starts from (its `start` argument overrides them). Empty:
# a real crawl says where to start (`crawl --start`); `crawl --replay samples` reads the
# sample web's own list from samples/sites.toml.
NEWSARCHIVE_XUNRUI_START_URLS: list[str] = []
# Progress lines on stderr while crawling, every this many seconds (0 turns them off).
NEWSARCHIVE_PROGRESS_INTERVAL = float(os.environ.get("NEWSARCHIVE_PROGRESS_INTERVAL", "0"))
