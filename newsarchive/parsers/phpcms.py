"""Article pages of PHPCMS v9 sites, e.g.
http://www.example.org.cn/index.php?m=content&c=index&a=show&catid=9&id=123"""

from newsarchive.parsers.generic import GenericArticlePage


class PhpcmsArticlePage(GenericArticlePage):
    name = "phpcms"
    default_kind = "reprint"
    body_selectors = ("#Article .content", "#Article", ".content", "#content")
