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
# A page that fails after its retries is recorded with its reason and listed in the summary.
RETRY_GIVE_UP_LOG_LEVEL = "INFO"
DOWNLOAD_TIMEOUT = 30
# The pipelines are synchronous, so items gain nothing from running concurrently, while Scrapy
# starts this many tasks for every callback's output (default 100): the bench showed the cost.
CONCURRENT_ITEMS = 4
# News pages are tens of kilobytes; a body past this (decompressed too: a gzip or brotli
# bomb) is refused and recorded as too_large, one past the warning size is logged.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
# A response short of its Content-Length is a failure (data_loss), never an archived page.
DOWNLOAD_FAIL_ON_DATALOSS = True

# Only http and https are ever fetched, whatever produced the request (a file://, ftp:// or
# data: link on a page nobody here controls).
DOWNLOAD_HANDLERS = {
    "file": None,
    "data": None,
    "ftp": None,
    "s3": None,
    # Scrapy's own, keeping connections to a proxy open (crawl/pool.py).
    "http": "newsarchive.crawl.pool.PooledDownloadHandler",
    "https": "newsarchive.crawl.pool.PooledDownloadHandler",
}
# Host names are refused when they resolve to an internal address.
TWISTED_DNS_RESOLVER = "newsarchive.crawl.resolver.GuardedResolver"
# Destinations a user deliberately allows although they are internal (an intranet archive):
# networks (10.1.0.0/16), addresses or host names, each with an optional :port.
NEWSARCHIVE_ALLOWED_DESTINATIONS: list[str] = []
# Longest wait a Retry-After header (429, 503) gets; a longer one is recorded, not made.
NEWSARCHIVE_RETRY_AFTER_MAX = 120.0

# Processes that read pages and compare pairs beside the reactor (crawl/workers.py): one per
# core beyond the first, up to 4; 0 does that work in the crawl's own process.
NEWSARCHIVE_WORKERS = max(0, min(4, (os.cpu_count() or 1) - 1))
# Seconds a worker may spend on one page or pair; past it the page is recorded as failed and
# the worker replaced, so one pathological page cannot stall a scheduled crawl. 0: no limit.
NEWSARCHIVE_WORKER_TIMEOUT = 120
# Incremental runs (crawl/incremental.py): an article page fetched within its recheck period
# is skipped; a due one is asked for conditionally. Durations as 30d, 12h, 90m or seconds.
NEWSARCHIVE_RECHECK_AFTER = "30d"  # reprints (a profile's recheck_after overrides it)
NEWSARCHIVE_RECHECK_ORIGINALS_AFTER = "7d"  # originals: their state (removed, moved) matters
NEWSARCHIVE_REFRESH = False  # fetch every page again, unconditionally
NEWSARCHIVE_STOP_AT_KNOWN = True  # no further list pages past one whose articles are all known
# What started the run, kept with it: cron, systemd, scrapyd, manual (crawl/quality.py, trigger_of).
NEWSARCHIVE_TRIGGER = os.environ.get("NEWSARCHIVE_TRIGGER", "")
NEWSARCHIVE_SCRAPYD_JOB = os.environ.get("SCRAPY_JOB", "")  # scrapyd names its jobs so
# Monitoring (crawl/quality.py): a site's share of pages with a title, time, body, 原文链接
# falling this far below its mean over the previous runs is reported, and exits 4.
NEWSARCHIVE_QUALITY_DROP = 0.2
NEWSARCHIVE_QUALITY_MIN_PAGES = 5  # fewer pages of a site in a run: too few to judge
# Share of a run's pages that may fail (for reasons that are not the sites' facts) before the
# crawl exits 3; 0: any such failure does.
NEWSARCHIVE_FAILURE_THRESHOLD = 0.0

DOWNLOADER_MIDDLEWARES = {
    # First of all: a request to a refused destination goes no further, not even to robots.txt.
    "newsarchive.crawl.middlewares.DestinationGuardMiddleware": 10,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newsarchive.crawl.politeness.StrictRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newsarchive.crawl.politeness.RetryAfterMiddleware": 550,
    # Pages decode by what their bytes are; after decompression (590) and meta refresh (580).
    "newsarchive.crawl.charset.CharsetMiddleware": 570,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newsarchive.crawl.redirects.LoopAwareMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "newsarchive.crawl.redirects.LoopAwareRedirectMiddleware": 600,
    # Before HttpProxyMiddleware (750), so replayed requests look like proxied ones.
    "newsarchive.crawl.middlewares.ReplayProxyMiddleware": 740,
    # Nearest the downloader: its process_response runs first (highest number first), so the
    # WARC records hold every response as received, compressed (590) and 3xx (600) included;
    # above the HTTP cache (900), whose answers never reach the downloader and are not fetches.
    "newsarchive.crawl.warc.WarcMiddleware": 950,
}

# Scrapy's in-memory stats, without the hook it runs on every attribute read (crawl/stats.py).
STATS_CLASS = "newsarchive.crawl.stats.CrawlStats"

# Order: complete derived fields, reject broken records, drop what the archive already holds,
# store, then check reprints against originals, which needs the records stored.
ITEM_PIPELINES = {
    "newsarchive.pipelines.normalize.NormalizePipeline": 100,
    "newsarchive.pipelines.validate.ValidatePipeline": 200,
    "newsarchive.pipelines.dedupe.DedupePipeline": 300,
    "newsarchive.pipelines.store.StorePipeline": 400,
    "newsarchive.pipelines.check.CheckPipeline": 500,
}

# Scrapy's telnet console and its remote control both run Python code sent to a port on this
# machine (the remote control's token in a file of the user's profile): not for a crawler of
# pages nobody here controls, run unattended.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

EXTENSIONS = {
    "newsarchive.crawl.logs.HeldLogLevel": 0,
    "newsarchive.crawl.garbage.GarbageCollection": 400,
    "newsarchive.crawl.progress.ProgressExtension": 500,
    "newsarchive.crawl.quality.QualityMonitor": 510,
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
# Largest size the archive's database may grow to, in bytes (0: as large as the disk allows);
# reaching it stops a crawl as a full disk does, with everything stored so far kept.
NEWSARCHIVE_ARCHIVE_MAX_BYTES = 0
# Write every fetched response, as received, with its request, to WARC files in the archive's
# warc/ directory (crawl/warc.py).
NEWSARCHIVE_WARC_ENABLED = True
# A WARC file past this many bytes (compressed) is closed and the next record starts a new one.
NEWSARCHIVE_WARC_MAX_BYTES = 1024 * 1024 * 1024
# Proxy URL of a running replay server (`newsarchive replay`); empty to fetch from the web.
NEWSARCHIVE_REPLAY_PROXY = os.environ.get("NEWSARCHIVE_REPLAY_PROXY", "")
# Check each reprint against its original during the crawl (`newsarchive check` redoes it).
NEWSARCHIVE_CHECK_ENABLED = True
# The sites a crawl visits (spiders/sites.py): the profiles file (empty: the package's
# sites/default.toml) and the names of the sites in it to crawl ("*" for all of them). A
# crawl with no names crawls nothing: `newsarchive crawl` says what to choose.
NEWSARCHIVE_SITES_FILE = ""
NEWSARCHIVE_SITES: list[str] = []
# Or list pages to start from, as one site of a CMS family (`crawl --start URL --family F`).
NEWSARCHIVE_START_URLS: list[str] = []
NEWSARCHIVE_START_FAMILY = "generic"
# Progress lines on stderr while crawling, every this many seconds (0 turns them off).
NEWSARCHIVE_PROGRESS_INTERVAL = float(os.environ.get("NEWSARCHIVE_PROGRESS_INTERVAL", "0"))
