"""Article pages of EmpireCMS (帝国) sites, e.g.
http://www.example.org.cn/e/action/ShowInfo.php?classid=2&id=123 or /news/2023-02-17/123.html"""

from newsarchive.parsers.generic import GenericArticlePage


class EmpirecmsArticlePage(GenericArticlePage):
    name = "empirecms"
    default_kind = "reprint"
    body_selectors = ("#text", ".news_content", ".newstext", ".content", "#content")
