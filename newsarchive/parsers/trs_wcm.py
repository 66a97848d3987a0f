"""Government originals published with TRS WCM, e.g.
http://mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html

TRS writes the page meta tags of DOMAIN.md §3 (ArticleTitle, PubDate, ContentSource, Author);
the generic reading weighs them against what the page shows, which matters because a
re-published TRS page carries a regenerated PubDate.
"""

import re

from newsarchive.parsers.generic import GenericArticlePage

# Body containers in the order TRS-style templates use them (DOMAIN.md §3).
BODY_CONTAINERS = (
    ".TRS_UEDITOR",
    ".trs_editor_view",
    ".TRS_Editor",
    ".Custom_UnionStyle",
    "#UCAP-CONTENT",
    ".pages_content",
    "#ivs_content",
    "#zoom",
    "#Zoom",
    ".article-content",
    "#vsb_content",
    ".wp_articlecontent",
)
TRS_ARTICLE_URL = re.compile(r"/t\d{8}_\d+\.s?html?$")


class TrsWcmArticlePage(GenericArticlePage):
    """Article page of a government site on TRS WCM."""

    name = "trs_wcm"
    default_kind = "original"
    body_selectors = BODY_CONTAINERS
