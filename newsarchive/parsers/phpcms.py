"""Article pages of PHPCMS v9 sites, e.g.
http://www.example.org.cn/index.php?m=content&c=index&a=show&catid=9&id=123

The column is the last link of the `.crumbs` breadcrumb (首页 > 民族宗教 > 正文)."""

from newsarchive.parsers.generic import GenericArticlePage
from newsarchive.parsers.text import clean_text


class PhpcmsArticlePage(GenericArticlePage):
    name = "phpcms"
    default_kind = "reprint"
    body_selectors = ("#Article .content", "#Article", ".content", "#content")

    def category(self) -> str | None:
        links = self.response.css(".crumbs a::text").getall()
        return clean_text(links[-1]) if len(links) > 1 else super().category()
