import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester.normalize import Unparseable, detect_language, normalize_languages, to_iso639_1


@pytest.mark.parametrize("value, code", [
    # names in their own language and script
    ("한국어", "ko"), ("English", "en"), ("Français", "fr"), ("ภาษาไทย", "th"), ("ไทย", "th"),
    ("中文", "zh"), ("简体中文", "zh"), ("繁體中文", "zh"), ("中文（简体）", "zh"), ("汉语", "zh"),
    ("Chinese", "zh"), ("Chinese (Simplified)", "zh"), ("Mandarin", "zh"), ("Deutsch", "de"),
    ("Polski", "pl"), ("Ελληνικά", "el"), ("Русский", "ru"), ("русский язык", "ru"),
    ("Português", "pt"), ("Português (Brasil)", "pt"), ("日本語", "ja"), ("Bahasa Indonesia", "id"),
    ("Tiếng Việt", "vi"), ("Español", "es"), ("Italiano", "it"), ("Nederlands", "nl"),
    ("Čeština", "cs"), ("Magyar", "hu"), ("Svenska", "sv"), ("Bahasa Melayu", "ms"),
    ("Bahasa Malaysia", "ms"), ("Filipino", "tl"), ("Tagalog", "tl"), ("Mongolian", "mn"),
    ("Монгол", "mn"), ("Монгол хэл", "mn"), ("Қазақ тілі", "kk"), ("हिन्दी", "hi"), ("ខ្មែរ", "km"),
    ("ລາວ", "lo"), ("Burmese", "my"), ("မြန်မာ", "my"), ("English language", "en"),
    # names in another language
    ("German", "de"), ("Englisch", "en"), ("Anglais", "en"), ("ภาษาอังกฤษ", "en"),
    ("Bahasa Inggris", "en"), ("Tiếng Anh", "en"), ("英文", "en"), ("日文", "ja"),
    # K-MOOC language_name values
    ("영어", "en"), ("중국어", "zh"), ("일본어", "ja"), ("프랑스어", "fr"), ("독일어", "de"),
    # ASCII-folded names as old feeds have them
    ("Francais", "fr"), ("ESPANOL", "es"), ("Tieng Viet", "vi"),
    # codes: BCP 47, POSIX, 639-2 B and T, 639-3, old and odd forms
    ("en", "en"), ("EN", "en"), ("en-US", "en"), ("en_GB", "en"), ("zh-cn", "zh"), ("zh_CN", "zh"),
    ("zh-Hans", "zh"), ("zh-TW", "zh"), ("ZH-HANS-CN", "zh"), ("de_DE", "de"), ("eng", "en"),
    ("fre", "fr"), ("fra", "fr"), ("ger", "de"), ("deu", "de"), ("chi", "zh"), ("kor", "ko"),
    ("tha", "th"), ("may", "ms"), ("bur", "my"), ("gre", "el"), ("cze", "cs"), ("iw", "he"),
    ("in", "id"), ("tl", "tl"), ("fil", "tl"), ("fil-PH", "tl"), ("cmn", "zh"), ("zsm", "ms"),
    ("yue", "yue"), ("Cantonese", "yue"), ("jp", "ja"), ("  ko  ", "ko"),
])
def test_to_iso639_1(value, code):
    assert to_iso639_1(value) == code


@pytest.mark.parametrize("value", [None, "", "   ", "null", "und"])
def test_missing(value):
    assert to_iso639_1(value) is None


@pytest.mark.parametrize("value", [
    "xyz-garbage", "TBA", "soon", "lots", "Elvish", "12", "English!!", "x-foo", "Latn",
    "mul", "zxx", "qaa",  # valid codes that name no teaching language
    "Deutschland", "Englishman", "English/French",  # only *start* with a language name
    "a" * 101, "ภาษา", 5, ["en"], "\x00", "en\x00",
])
def test_not_a_language(value):
    with pytest.raises(Unparseable):
        to_iso639_1(value)


@pytest.mark.parametrize("value, codes, bad", [
    (None, [], []),
    ("", [], []),
    ("en", ["en"], []),
    ("en, fr", ["en", "fr"], []),
    ("English/French", ["en", "fr"], []),
    ("ko;en", ["ko", "en"], []),
    ("English and Deutsch", ["en", "de"], []),
    ("한국어 및 영어", ["ko", "en"], []),
    ("中文、英文", ["zh", "en"], []),
    ("ไทยและอังกฤษ", ["th", "en"], []),
    ("Chinese (Simplified), English", ["zh", "en"], []),
    ("Bahasa Indonesia", ["id"], []),
    (["en", "EN", "English", "en-US"], ["en"], []),
    (["de", None, "", "xyz-garbage", 7], ["de"], ["xyz-garbage", 7]),
    ("en, klingonese", ["en"], ["klingonese"]),
    ("TBA", [], ["TBA"]),
    (("fr", "Français"), ["fr"], []),
])
def test_normalize_languages(value, codes, bad):
    assert normalize_languages(value) == (codes, bad)


def test_normalize_languages_hostile_input_is_quick_and_kept_raw():
    value = "en," * 5000
    start = time.perf_counter()
    codes, bad = normalize_languages(value)
    assert time.perf_counter() - start < 2
    assert codes == [] and bad == [value]


@pytest.mark.parametrize("text, code", [
    ("This course introduces the basics of programming in Python for complete beginners.", "en"),
    ("이 강좌는 파이썬 프로그래밍의 기초를 소개합니다. 재미있게 배워봅시다.", "ko"),
    ("本课程介绍Python编程的基础知识，适合初学者学习。", "zh"),
    ("Ce cours présente les bases de la programmation en Python pour les débutants.", "fr"),
    ("หลักสูตรนี้แนะนำพื้นฐานของการเขียนโปรแกรมภาษาไพธอนสำหรับผู้เริ่มต้น", "th"),
    ("Kursus ini memperkenalkan dasar-dasar pemrograman Python untuk pemula.", "id"),
    ("Khóa học này giới thiệu những kiến thức cơ bản về lập trình Python.", "vi"),
    ("Этот курс знакомит с основами программирования на языке Python.", "ru"),
    ("このコースではPythonプログラミングの基礎を紹介します。", "ja"),
    ("Der Kurs führt in die Grundlagen der Programmierung mit Python ein.", "de"),
    ("문화와 생활 속 청렴강좌는 인문학 속 역사 이야기와 생활 속 청렴 정보통으로 구성되어 있습니다", "ko"),
])
def test_detect_language(text, code):
    assert detect_language(text) == code


def test_detect_language_repeats():
    text = "Programming is everywhere: in dishwashers, cars and even space shuttles."
    assert {detect_language(text) for _ in range(5)} == {"en"}


@pytest.mark.parametrize("text", [None, "", "   ", "Python 3", "12345 67890 !!! ???", "AI & ML 101"])
def test_detect_language_too_short(text):
    assert detect_language(text) is None


def test_detect_language_long_text_is_capped():
    start = time.perf_counter()
    assert detect_language("Learning to program is fun and useful. " * 20_000) == "en"
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("alias", ["汉语", "漢語", "华语", "華語", "国语", "國語", "jp"])
def test_aliases_are_only_what_the_libraries_miss(alias):
    # If a library update learns one of these, the alias can go.
    from harvester.normalize.languages import _ALIASES, _from_name, _from_tag

    assert alias in _ALIASES
    assert _from_tag(alias) is None and _from_name(alias) is None


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.integers(), st.floats(), st.none()))
def test_any_input_gives_a_value_none_or_unparseable(value):
    for parser in (to_iso639_1, normalize_languages, detect_language):
        try:
            parser(value)
        except Unparseable:
            pass


@pytest.mark.parametrize("text, expected", [
    ("本课程介绍人工智能的基本原理和机器学习方法。", "zh"),   # langdetect alone answers "ko" here
    ("機械学習入門 このコースでは機械学習の基礎を学びます", "ja"),
    ("문화와 생활 속 청렴강좌는 인문학 속 역사 이야기", "ko"),
    ("เรียนรู้พื้นฐานวิทยาการข้อมูล การวิเคราะห์ข้อมูลด้วย Python", "th"),
    ("ការណែនាំអំពីវិទ្យាសាស្ត្រទិន្នន័យសម្រាប់សិស្ស", "km"),
])
def test_detect_language_decides_by_script_where_the_script_names_the_language(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize("text, hints, expected", [
    ("문화와 생활 속 청렴", (), "ko"),                 # short, but the script decides
    ("機械学習入門", ("ja", "en"), "ja"),              # kanji only, on a Japanese platform
    ("機械学習入門", (), "zh"),
    ("Data", ("en",), None),                          # too short: hints never answer alone
])
def test_detect_language_with_platform_hints(text, hints, expected):
    assert detect_language(text, hints) == expected


def test_a_hint_settles_a_close_call_between_related_languages():
    text = "Pengenalan kepada sains data dan analitik untuk pelajar universiti di Malaysia"
    assert detect_language(text, ("ms",)) == "ms"
