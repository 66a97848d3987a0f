"""Complete each article's derived fields before it is validated and stored."""

from itemadapter import ItemAdapter

from newsarchive.clock import utc_now
from newsarchive.crawl.prepare import prepared
from newsarchive.items import Article
from newsarchive.parsers.normalize import normalize


class NormalizePipeline:
    """Trim texts and fill body, site, content_hash and fetched_at (unless done where the page
    was read: crawl/prepare.py)."""

    def process_item(self, item):
        if isinstance(item, Article) and prepared(item) is None:
            normalize(ItemAdapter(item), fetched_at=utc_now())
        return item
