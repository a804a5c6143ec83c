import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester.normalize import Unparseable, absolute_url

KMOOC = "http://www.kmooc.kr/courses/course-v1:ACRCEDU+ACRC01+2021_01/about"


@pytest.mark.parametrize("value, base, expected", [
    # K-MOOC course_image uri: relative, with Hangul in the path
    ("/asset-v1:ACRCEDU+ACRC01+2021_01+type@asset+block@2021-1_대표이미지.PNG", KMOOC,
     "http://www.kmooc.kr/asset-v1:ACRCEDU+ACRC01+2021_01+type@asset+block@2021-1_%EB%8C%80%ED%91%9C%EC%9D%B4%EB%AF%B8%EC%A7%80.PNG"),
    # already encoded: unchanged
    ("http://www.kmooc.kr/asset-v1:X+type@asset+block@2021-1_%EB%8C%80.PNG", None,
     "http://www.kmooc.kr/asset-v1:X+type@asset+block@2021-1_%EB%8C%80.PNG"),
    ("//view.vzaar.com/4251365/video", None, "https://view.vzaar.com/4251365/video"),  # FutureLearn trailer
    ("//cdn.x/y.png", "http://a.org/", "https://cdn.x/y.png"),
    ("  https://open.hpi.de/courses/internetworking2020 \n", None, "https://open.hpi.de/courses/internetworking2020"),
    ("img/a.png", "https://a.org/x/", "https://a.org/x/img/a.png"),
    ("../b.png", "https://a.org/x/y/", "https://a.org/x/b.png"),
    ("?page=2", "https://a.org/list?page=1", "https://a.org/list?page=2"),
    ("#syllabus", "https://a.org/c/1", "https://a.org/c/1#syllabus"),
    ("/course/view.php?id=9", "https://moodle.example.org/course/search.php?search=x",
     "https://moodle.example.org/course/view.php?id=9"),
    ("HTTPS://Example.ORG/A", None, "https://example.org/A"),
    ("https://例え.jp/コース 1", None, "https://xn--r8jz45g.jp/%E3%82%B3%E3%83%BC%E3%82%B9%201"),
    ("http://www.icourse163.org/course/PKU-1465995174", "https://ignored.example/", "http://www.icourse163.org/course/PKU-1465995174"),
    ("https://a.org/x\n/y", None, "https://a.org/x/y"),  # browsers drop tabs and newlines
])
def test_absolute_url(value, base, expected):
    assert absolute_url(value, base) == expected


@pytest.mark.parametrize("value", [None, "", "   ", "null"])
def test_missing(value):
    assert absolute_url(value, KMOOC) is None


@pytest.mark.parametrize("value, base", [
    ("javascript:alert(1)", KMOOC), ("JaVaScRiPt:alert(1)", KMOOC), ("java\tscript:alert(1)", KMOOC),
    (" javascript:alert(1)", KMOOC), ("data:image/png;base64,AAAA", KMOOC), ("mailto:a@b.org", KMOOC),
    ("ftp://x.org/a", None), ("file:///etc/passwd", KMOOC), ("vbscript:x", KMOOC),
    ("/relative", None), ("/relative", "ftp://x.org/"), ("/relative", "not a url"),
    ("www.example.com/x", KMOOC),  # a host, not a path: http or https? unknown
    ("http:///path", None), ("https://", None), ("http://[::1", None), ("http://x.org:99999/", None),
    (5, None), (["https://a.org"], None), ("https://a.org/" + "x" * 10_000, None),
])
def test_unparseable(value, base):
    with pytest.raises(Unparseable):
        absolute_url(value, base)


def test_hostile_input_is_quick():
    start = time.perf_counter()
    for value in ["/" * 9_999, "%" * 9_999, "http://" + "a." * 4_990, "?" + "&a=1" * 2_400]:
        try:
            absolute_url(value, "https://a.org/")
        except Unparseable:
            pass
    assert time.perf_counter() - start < 2


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.integers(), st.floats(), st.none()))
def test_any_input_gives_a_value_none_or_unparseable(value):
    for parser in (lambda v: absolute_url(v, "https://a.org/x/"), absolute_url):
        try:
            parser(value)
        except Unparseable:
            pass
