"""Article pages of DedeCMS (织梦) sites, e.g. http://www.example.org.cn/a/2023/0217/123.html

The info line reads 时间/来源/作者/点击 (the 点击 count is written by /plus/count.php, not data).
The default template wraps the body in a table inside `.content`; its cell's paragraphs are read.
The column is the last link of the `.place` breadcrumb (当前位置: 主页 > 民族动态 >).
"""

from newsarchive.parsers.generic import GenericArticlePage
from newsarchive.parsers.text import clean_text


class DedecmsArticlePage(GenericArticlePage):
    name = "dedecms"
    default_kind = "reprint"
    body_selectors = (
        ".article_content",
        ".content",
        "#content",
        ".arc_content",
        ".arcbody",
    )

    def category(self) -> str | None:
        links = self.response.css(".place a::text").getall()
        return clean_text(links[-1]) if len(links) > 1 else super().category()
