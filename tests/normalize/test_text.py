import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester.normalize import Unparseable, clean_title, html_to_text

FUTURELEARN = (
    "<p>Programming is everywhere: in dishwashers, cars and even space shuttles. This course will help "
    "you to understand how programs work.</p>\n\n<p>Expert guidance from staff at the "
    "<a href=\"http://www.reading.ac.uk/sse/\" title=\"School of Systems Engineering\">School of Systems "
    "Engineering</a> at the University of Reading, UK.</p>\n"
)


@pytest.mark.parametrize("value, expected", [
    (FUTURELEARN, "Programming is everywhere: in dishwashers, cars and even space shuttles. This course will "
                  "help you to understand how programs work.\n\nExpert guidance from staff at the School of "
                  "Systems Engineering at the University of Reading, UK."),
    ("<p> This is an example of an complete course. Also the data is <b>NOT REAL</b> it will help.</p>\n",
     "This is an example of an complete course. Also the data is NOT REAL it will help."),
    ("<p>Para one\nstill one.</p><p>Two<br>line2</p><ul><li>a</li><li>b</li></ul>tail",
     "Para one still one.\n\nTwo\nline2\n\na\nb\n\ntail"),
    ("<div>x</div><div>y</div>", "x\ny"),
    ("<p>one<br><br>two</p>", "one\n\ntwo"),
    ("<h2>Title</h2>Text", "Title\n\nText"),
    ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"),
    ("<script>alert(1)</script><style>p{color:red}</style><p>Hi &nbsp; there</p>", "Hi there"),
    ("<!-- comment --><b>bold</b> &amp; <i>italic</i>", "bold & italic"),
    ("<p>Universit&auml;t Osnabr&uuml;ck &#x2013; &#8220;MOOC&#8221;</p>", "Universität Osnabrück – “MOOC”"),
    ("<p>다음 강좌는<br/>한국어로 진행됩니다.</p>", "다음 강좌는\n한국어로 진행됩니다."),
    ("<p>หลักสูตรนี้&nbsp;เหมาะสำหรับ</p><p>ผู้เริ่มต้น</p>", "หลักสูตรนี้ เหมาะสำหรับ\n\nผู้เริ่มต้น"),
    # plain text: its own line breaks stay, entities are decoded, "<" is no tag
    ("문화와 생활 속 청렴강좌는\n인문학 속 역사 이야기와\n", "문화와 생활 속 청렴강좌는\n인문학 속 역사 이야기와"),
    ("line1\r\nline2\n\n\n\nline3   x", "line1\nline2\n\nline3 x"),
    ("a < b and c > d", "a < b and c > d"),
    ("a<b and c>d", "a<b and c>d"),
    ("x <3 y", "x <3 y"),
    ("Tom &amp; Jerry &lt;3", "Tom & Jerry <3"),
    ("R&D costs", "R&D costs"),
    ("  \u00a0 text\u200b here \t", "text here"),
])
def test_html_to_text(value, expected):
    assert html_to_text(value) == expected


@pytest.mark.parametrize("value", [None, "", "   ", "null", "<p></p>", "<p> &nbsp; </p>", "<style>p{}</style>", "<br><br>"])
def test_html_to_text_empty(value):
    assert html_to_text(value) is None


@pytest.mark.parametrize("value", [5, ["<p>x</p>"], {"html": "x"}])
def test_html_to_text_not_text(value):
    with pytest.raises(Unparseable):
        html_to_text(value)


@pytest.mark.parametrize("value, expected", [
    ("  Algorithmen   und\nDatenstrukturen ", "Algorithmen und Datenstrukturen"),
    ("Universit&auml;t Osnabr&uuml;ck", "Universität Osnabrück"),
    ("<b>Intro</b> to <i>AI</i>", "Intro to AI"),
    ("Foo<br>Bar", "Foo Bar"),
    ("<p>Mobile Application Experiences Part 4:</p><p>Understanding Use</p>",
     "Mobile Application Experiences Part 4: Understanding Use"),
    ("\u201cMaking\u201d - Kreatives digitales Gestalten mit Kindern", "\u201cMaking\u201d - Kreatives digitales Gestalten mit Kindern"),
    ("a < b and c > d", "a < b and c > d"),
    ("x<y", "x<y"),
    ("R&D &amp; co", "R&D & co"),
    ("문화와\t생활 속  청렴", "문화와 생활 속 청렴"),
    ("骨骼肌肉系统再生医学", "骨骼肌肉系统再生医学"),
    ("A\u200bB\ufeff", "AB"),
])
def test_clean_title(value, expected):
    assert clean_title(value) == expected


@pytest.mark.parametrize("value", [None, "", " \n ", "null", "<b></b>"])
def test_clean_title_empty(value):
    assert clean_title(value) is None


@pytest.mark.parametrize("value", [42, "x" * 10_001])
def test_clean_title_unparseable(value):
    with pytest.raises(Unparseable):
        clean_title(value)


@pytest.mark.parametrize("hostile", [
    "<div>" * 50_000,
    "<div>" * 30_000 + "x" + "</div>" * 30_000,  # deep nesting
    "<div><p>" * 20_000 + "x</p>",
    "<p>" + "<br>" * 100_000 + "</p>",  # many siblings
    "<!--" * 50_000,  # quadratic in html.parser
    "<li>" * 60_000,
    "<" * 200_000,
    "<a " + "x=1 " * 40_000 + ">",
    ("<p>" + "word " * 50 + "</p>") * 2_000,
    " " * 200_000 + "x",
    "\ue000\ue001\ue002 " * 30_000,
])
def test_hostile_html_is_quick(hostile):
    start = time.perf_counter()
    html_to_text(hostile)
    assert time.perf_counter() - start < 5


def test_overlong_html_is_cut_not_rejected():
    text = html_to_text("<p>" + "a " * 150_000 + "</p>")
    assert text.startswith("a a") and len(text) <= 100_000


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_any_text_gives_text_or_none(value):
    for parser in (html_to_text, clean_title):
        result = parser(value)
        assert result is None or (result == result.strip() and result)
    title = clean_title(value)
    assert title is None or ("\n" not in title and "  " not in title)
