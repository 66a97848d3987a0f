"""Article pages of DedeCMS (织梦) sites, e.g. http://www.example.org.cn/a/2023/0217/123.html

The info line reads 时间/来源/作者/点击 (the 点击 count is written by /plus/count.php, not data).
"""

from newsarchive.parsers.generic import GenericArticlePage


class DedecmsArticlePage(GenericArticlePage):
    name = "dedecms"
    default_kind = "reprint"
    body_selectors = (".article_content", ".content", "#content", ".arc_content", ".arcbody")
