"""Posts of WordPress sites, e.g. http://www.example.org.cn/2023/02/some-slug/ or /?p=123

The time is the post's `<time datetime>` (with its offset), the body `.entry-content`.
"""

from newsarchive.parsers.generic import GenericArticlePage


class WordpressArticlePage(GenericArticlePage):
    name = "wordpress"
    default_kind = "reprint"
    body_selectors = (".entry-content", ".post-content", ".post-entry", "article .content")
