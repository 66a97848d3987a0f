"""Article pages of EmpireCMS (帝国) sites, e.g.
http://www.example.org.cn/e/action/ShowInfo.php?classid=2&id=123 or /news/2023-02-17/123.html

The column is the last link of the `.position` line (现在的位置：首页 > 民族要闻)."""

from newsarchive.parsers.generic import GenericArticlePage
from newsarchive.parsers.text import clean_text


class EmpirecmsArticlePage(GenericArticlePage):
    name = "empirecms"
    default_kind = "reprint"
    body_selectors = ("#text", ".news_content", ".newstext", ".content", "#content")

    def category(self) -> str | None:
        links = self.response.css(".position a::text").getall()
        return clean_text(links[-1]) if len(links) > 1 else super().category()
