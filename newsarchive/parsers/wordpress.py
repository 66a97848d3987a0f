"""Posts of WordPress sites, e.g. http://www.example.org.cn/2023/02/some-slug/ or /?p=123

The time is the post's `<time datetime>` (with its offset), the body `.entry-content`, the
column the post's first category link (`rel="category tag"`); WordPress separates the site's
name in `<title>` with an en dash (`标题 &#8211; 站名`).
"""

from newsarchive.parsers.base import title_suffix
from newsarchive.parsers.generic import GenericArticlePage
from newsarchive.parsers.text import clean_text


class WordpressArticlePage(GenericArticlePage):
    name = "wordpress"
    default_kind = "reprint"
    body_selectors = (".entry-content", ".post-content", ".post-entry", "article .content")

    def site_name(self) -> str | None:
        return super().site_name() or title_suffix(self.html_title(), " \u2013 ")

    def category(self) -> str | None:
        found = self.response.xpath("//a[contains(concat(' ', @rel, ' '), ' category ')]/text()")
        return clean_text(found.get()) or super().category()
