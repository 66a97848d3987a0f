import json
from pathlib import Path

import pytest
from conftest import SAMPLES
from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse

from newsarchive.parsers import page_for
from newsarchive.parsers.base import title_suffix
from newsarchive.parsers.generic import GenericArticlePage
from newsarchive.parsers.generic.document import document_table
from newsarchive.parsers.trs_wcm import TrsWcmArticlePage
from newsarchive.parsers.xunrui import XunruiArticlePage
from newsarchive.replay import EXPECTED_SUFFIX, sample_url, stored_headers

EXPECTED = sorted(SAMPLES.rglob(f"*{EXPECTED_SUFFIX}"))
# Texts that belong to the page around an article, never to its body. (Credit lines such as
# （责任编辑：王芳） are the article's own; the comparator keeps them apart.)
NOT_BODY = [
    "免责声明",
    "原文链接",
    "版权所有",
    "当前位置",
    "点击",
    "字号",
    "打印",
    "关闭",
    "分享到",
    "TRS_Editor",
    "上一篇",
    "下一篇",
    "主办",
]


def served(page: Path, url: str | None = None) -> HtmlResponse:
    """The page as the replay server serves it: its bytes and its stored headers."""
    return HtmlResponse(
        url=url or sample_url(page), body=page.read_bytes(), headers=stored_headers(page)[1]
    )


def expected_page(expected_path: Path) -> tuple[HtmlResponse, dict]:
    """A sample page served at the URL its expected record names (https:// ones included)."""
    expected = json.loads(expected_path.read_text("utf-8"))
    page = expected_path.with_name(expected_path.name.removesuffix(EXPECTED_SUFFIX))
    return served(page, expected["url"]), expected


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_sample_page_parses_to_its_expected_record(expected_path):
    response, expected = expected_page(expected_path)
    page = page_for(response)
    assert page.is_article()
    assert ItemAdapter(page.to_item()).asdict() == expected


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_body_holds_no_navigation_disclaimer_or_footer(expected_path):
    body = page_for(expected_page(expected_path)[0]).to_item().body
    assert [word for word in NOT_BODY if word in body] == []


def test_seed_reprint_keeps_title_time_empty_source_and_original_link():
    item = page_for(served(SAMPLES / "zjifz.org.cn/show-10595.html")).to_item()
    assert item.title == "呼和浩特“三个结合”扎实开展民族团结进步创建"
    assert item.published_at == "2023-02-17T17:00:27+08:00"
    assert (item.source, item.author) == ("", "")
    assert item.original_url == "http://mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html"
    assert item.body.startswith("近年来") and item.body.endswith("营造了良好的创建氛围。")
    assert len(item.paragraphs) == 13


def test_reprint_without_source_link_has_no_original():
    item = page_for(served(SAMPLES / "zjifz.org.cn/show-10603.html")).to_item()
    assert item.original_url is None


def test_gbk_original_is_decoded_as_gb18030():
    page = SAMPLES / "www.huhhot.gov.cn/zwdt/bmdt/202303/t20230315_1470358.html"
    with pytest.raises(UnicodeDecodeError):
        page.read_bytes().decode("gb2312")
    item = page_for(served(page)).to_item()
    assert item.encoding == "gb18030"
    assert "堃" in item.body
    assert "\ufffd" not in item.body


@pytest.mark.parametrize(
    ("url", "family"),
    [
        ("http://zjifz.org.cn/show-10595.html", XunruiArticlePage),
        ("http://w.mzdc.org.cn/show-1.html", XunruiArticlePage),
        ("http://mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html", TrsWcmArticlePage),
        ("http://www.example.gov.cn/zwgk/202301/t20230105_1.shtml", TrsWcmArticlePage),
        ("http://www.example.gov.cn/art/2023/2/16/art_1_2.html", GenericArticlePage),
        ("http://news.example.com/a.html", GenericArticlePage),
    ],
)
def test_page_for_picks_the_family_by_host_and_url(url, family):
    assert type(page_for(HtmlResponse(url=url, body=b"<html></html>"))) is family


@pytest.mark.parametrize(
    "path",
    ["zjifz.org.cn/index.html", "zjifz.org.cn/list-zjsp.html", "zjifz.org.cn/list-zjsp-2.html"],
)
def test_home_and_list_pages_are_not_articles(path):
    assert not page_for(served(SAMPLES / path)).is_article()


def test_kind_given_by_the_crawl_overrides_the_family_default():
    response = served(SAMPLES / "zjifz.org.cn/show-10595.html")
    assert page_for(response).to_item().kind == "reprint"
    assert page_for(response, "original").to_item().kind == "original"


def test_generic_extraction_reads_government_meta_tags_and_paragraphs():
    html = """<html><head><title>Page - Site</title>
    <meta name="ArticleTitle" content="标题"><meta name="PubDate" content="2023-02-16 10:21">
    <meta name="ContentSource" content="某某局"><meta name="SiteName" content="某某网"></head>
    <body><div class="nav"><a href="/">首页</a></div>
    <p>　　第一段。</p><p> </p><p>第二段。</p></body></html>"""
    response = HtmlResponse(
        url="http://www.example.gov.cn/art/2023/2/16/art_1_2.html",
        body=html.encode("utf-8"),
        encoding="utf-8",
    )
    item = page_for(response, "original").to_item()
    assert (item.title, item.source, item.site_name) == ("标题", "某某局", "某某网")
    assert item.published_at == "2023-02-16T10:21+08:00"
    assert item.paragraphs == ["第一段。", "第二段。"]
    assert item.parser == "generic"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            '<p>原文链接:<a href="http://a.gov.cn/t20230101_1.html">x</a></p>',
            "http://a.gov.cn/t20230101_1.html",
        ),
        ("<p>原文链接：http://a.gov.cn/t20230101_1.html</p>", "http://a.gov.cn/t20230101_1.html"),
        ('<p>原文链接:<a href="/show-1.html">本站</a></p>', "http://zjifz.org.cn/show-1.html"),
        ("<p>原文链接:file:///etc/passwd</p>", "file:///etc/passwd"),
        ("<p>原文链接:</p>", None),
    ],
)
def test_original_link_from_href_or_text(line, expected):
    html = f"<html><body><div class='content'><p>正文。</p>{line}</div></body></html>"
    response = HtmlResponse(
        url="http://zjifz.org.cn/show-9.html", body=html.encode(), encoding="utf-8"
    )
    assert page_for(response).original_url() == expected


def html_page(url: str, html: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=html.encode("utf-8"), encoding="utf-8")


def test_generic_extraction_reads_open_graph_and_the_other_government_meta_tags():
    html = """<html><head><title>标题 - 某网</title>
    <meta property="og:site_name" content="某某新闻网">
    <meta property="article:published_time" content="2023-02-16T10:21:00+08:00">
    <meta name="Author" content="王芳"><meta name="ColumnName" content="要闻"></head>
    <body><div class="article">
    <p>第一段，全市各族群众共同团结奋斗，推动经济社会高质量发展，成效明显。</p>
    <p><img src="/a.jpg"></p></div><div class="sidebar"><img src="/b.jpg"></div></body></html>"""
    page = page_for(html_page("http://news.example.com/2023/0216/1.html", html), "original")
    item = page.to_item()
    assert (item.site_name, item.author, item.category, item.source) == (
        "某某新闻网",
        "王芳",
        "要闻",
        None,
    )
    assert (item.published_at_raw, item.published_at) == (
        "2023-02-16T10:21:00+08:00",  # as the meta tag writes it
        "2023-02-16T10:21:00+08:00",
    )
    assert item.images == ["http://news.example.com/a.jpg"]  # the article's, not the sidebar's


XUNRUI_ARTICLE = """<html><head>{title}</head><body>{welcome}
<div class="pos">当前位置：{crumbs} &gt; 正文</div><h1>{heading}</h1>
<ul class="info"><li>时间：2023-02-17 17:00:27</li><li>来源：</li><li>作者：</li></ul>
<div class="content">{body}</div></body></html>"""


def xunrui(
    title="<title>标题 - 乙网</title>",
    welcome="",
    crumbs='<a href="/">网站首页</a> &gt; <a href="/list-a.html">栏目</a>',
    heading="标题",
    body="<p>正文。</p>",
    info=True,
) -> XunruiArticlePage:
    html = XUNRUI_ARTICLE.format(
        title=title, welcome=welcome, crumbs=crumbs, heading=heading, body=body
    )
    if not info:
        html = html.replace('class="info"', 'class="meta"')
    return page_for(html_page("http://zjifz.org.cn/show-1.html", html))


@pytest.mark.parametrize(
    ("title", "welcome", "site_name"),
    [
        ("<title>标题 - 乙网</title>", '<div class="top">欢迎访问 甲网！</div>', "甲网"),
        ("<title>标题 - 栏目 - 乙网</title>", "", "乙网"),  # the last part names the site
        ("<title>标题 - 乙网</title>", "", "乙网"),
        ("", "", None),
        ("<title>标题</title>", "", None),
    ],
)
def test_xunrui_site_name_from_the_welcome_line_else_the_title_suffix(title, welcome, site_name):
    assert xunrui(title=title, welcome=welcome).site_name() == site_name


@pytest.mark.parametrize(
    ("crumbs", "category"),
    [
        ('<a href="/">网站首页</a> &gt; <a href="/list-a.html">栏目</a>', "栏目"),
        (
            '<a href="/">网站首页</a> &gt; <a href="/list-a.html">栏目</a> &gt; '
            '<a href="/list-b.html">子栏目</a>',
            "子栏目",
        ),
        ('<a href="/">网站首页</a>', None),  # the home page is no column
    ],
)
def test_xunrui_category_is_the_last_breadcrumb_column(crumbs, category):
    assert xunrui(crumbs=crumbs).category() == category


def test_xunrui_article_needs_its_info_line_a_title_and_a_body():
    assert xunrui().is_article()
    assert not xunrui(info=False).is_article()
    assert not xunrui(heading="").is_article()
    assert not xunrui(body="<p> </p>").is_article()
    assert xunrui(body='<p><img src="/a.jpg"></p>').is_article()  # a picture is a body


def test_trs_page_without_title_or_site_name_has_neither():
    html = "<html><head></head><body><div class='TRS_UEDITOR'><p>正文。</p></div></body></html>"
    page = page_for(html_page("http://mw.nmg.gov.cn/xw/202302/t20230216_1.html", html))
    assert (page.title(), page.site_name()) == (None, None)


def test_pager_links_are_read_by_their_whole_text_inside_child_elements_too():
    """`<a><span>2</span></a>` is a page number as much as `<a>3</a>` (DOMAIN.md §1): TRS
    numbers an article's second page _1, its third _2; 首页 is no page of it."""
    html = """<html><body><h1>关于做好民族团结进步创建工作的通知</h1>
    <div class="TRS_UEDITOR"><p>各旗县区民族事务部门：现将有关事项通知如下。</p></div>
    <div class="page"><a href="/index.html"><span>首页</span></a>
    <a href="t20230216_2257296_1.html"><span>2</span></a> <a href="t20230216_2257296_2.html">3</a>
    <a href="t20230216_2257296_1.html"><b>下一页</b></a></div></body></html>"""
    page = page_for(html_page("http://mw.nmg.gov.cn/xw/202302/t20230216_2257296.html", html))
    assert page.more_pages() == [
        "http://mw.nmg.gov.cn/xw/202302/t20230216_2257296_1.html",
        "http://mw.nmg.gov.cn/xw/202302/t20230216_2257296_2.html",
    ]


def test_a_government_document_table_is_read_by_its_space_justified_labels():
    """索引号, 发布机构 … as DOMAIN.md and the module describe them: a label's value after its
    colon or in the next text; dates as ISO days; other lines are no fields."""
    texts = [
        "首页 > 信息公开 > 通知公告",
        "索 引 号：011532010/2023-00087",
        "发布机构：",
        "包头市人民政府办公室",
        "文　　号：包府办发〔2023〕21号",
        "成文日期：2023年04月14日",
        "\u3000发布日期：2023-04-18",
        "主题分类：民族、宗教",
        "有 效 性：有效",
        "关于做好民族团结进步创建工作的通知",
    ]
    assert document_table(texts) == {
        "索引号": "011532010/2023-00087",
        "发布机构": "包头市人民政府办公室",
        "文号": "包府办发〔2023〕21号",
        "成文日期": "2023-04-14",
        "发布日期": "2023-04-18",
        "主题分类": "民族、宗教",
        "有效性": "有效",
    }
    assert document_table(texts[:1] + texts[-1:]) is None  # no 索引号, no 文号: no table


def test_a_page_without_a_host_has_an_empty_site():
    page = page_for(
        html_page("file:///tmp/page.html", "<html><title>页</title><p>正文。</p></html>")
    )
    assert page.site() == ""


@pytest.mark.parametrize(
    ("title", "separator", "name"),
    [
        ("标题_盟市动态_内蒙古自治区民族事务委员会", "_", "内蒙古自治区民族事务委员会"),
        ("标题 - 宗教法治网", " - ", "宗教法治网"),
        ("标题 - 栏目 - 宗教法治网", " - ", "宗教法治网"),
        ("标题", "_", None),
        ("标题_", "_", None),
        (None, "_", None),
    ],
)
def test_a_title_suffix_is_what_follows_the_last_separator(title, separator, name):
    assert title_suffix(title, separator) == name


def test_xunrui_welcome_line_split_over_elements_still_names_the_site():
    welcome = '<div class="top">欢迎访问 <b>甲网</b>！</div>'
    assert xunrui(welcome=welcome).site_name() == "甲网"


def test_trs_visible_headline_wins_over_a_differing_article_title_meta():
    # DOMAIN.md §3: meta is evidence, cross-checked with the visible title. An ArticleTitle
    # that says something else is a short title the editor typed for lists.
    html = """<html><head><meta name="ArticleTitle" content="会议召开">
    <title>别的_栏目_网站</title></head><body><h1>内蒙古自治区召开会议</h1>
    <div class="TRS_UEDITOR"><p>会议指出，要把铸牢中华民族共同体意识作为主线，抓好各项工作。</p>
    </div></body></html>"""
    page = page_for(html_page("http://mw.nmg.gov.cn/xw/202302/t20230216_1.html", html))
    assert page.title() == "内蒙古自治区召开会议"
