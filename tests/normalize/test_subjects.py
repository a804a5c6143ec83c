import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester.normalize import Unparseable, isced_fields, normalize_level
from harvester.normalize.isced_table import ISCED_FIELDS, KEYWORDS, LEVELS

LABELS = [
    # English: edX, Coursera, FutureLearn, iversity subjects
    ("Computer Science", ["06"]), ("Data Science", ["06"]), ("Business & Management", ["04"]),
    ("Engineering", ["07"]), ("Health", ["09"]), ("Humanities", ["02"]), ("Social Sciences", ["03"]),
    ("Mathematics", ["05"]), ("Physics", ["05"]), ("Education", ["01"]), ("Law", ["04"]),
    ("Art & Culture", ["02"]), ("Languages", ["02"]), ("Environment", ["05"]), ("Agriculture", ["08"]),
    ("Online & Digital", ["06"]), ("Science", ["05"]), ("Science, Engineering & Maths", ["05", "07"]),
    ("Psychology & Mental Health", ["03", "09"]), ("Economics & Finance", ["03", "04"]),
    ("Physical Science and Engineering", ["05", "07"]), ("Information Technology", ["06"]),
    ("Personal Development", ["00"]), ("Math and Logic", ["05"]), ("Language Learning", ["02"]),
    ("Arts and Humanities", ["02"]), ("Biology & Life Sciences", ["05"]),
    ("Energy & Earth Sciences", ["05", "07"]), ("Teaching", ["01"]), ("Nature & Environment", ["05"]),
    ("Healthcare & Medicine", ["09"]), ("Tourism & Hospitality", ["10"]), ("Veterinary Science", ["08"]),
    # a keyword inside a longer one gives way to it
    ("Health Sciences", ["09"]), ("Political Science", ["03"]), ("Programming Languages", ["06"]),
    ("Software Engineering", ["06"]), ("Environmental Engineering", ["07"]),
    ("Natural Language Processing", ["06"]), ("Design Thinking", ["04"]), ("Web Design", ["06"]),
    ("Communication Skills", ["00"]), ("Physical Education", ["10"]),
    # French (FUN)
    ("Informatique", ["06"]), ("Santé", ["09"]), ("Droit", ["04"]), ("Économie et finance", ["03", "04"]),
    ("Sciences humaines", ["02"]), ("Sciences humaines et sociales", ["02", "03"]), ("Éducation", ["01"]),
    ("Environnement et développement durable", ["05"]), ("ECONOMIE ET FINANCE", ["03", "04"]),
    # German (openHPI, KI-Campus, iMooX, oncampus)
    ("Informatik", ["06"]), ("Wirtschaft", ["04"]), ("Gesundheit", ["09"]), ("Künstliche Intelligenz", ["06"]),
    ("Kunstliche Intelligenz", ["06"]), ("Nachhaltigkeit", ["05"]), ("Wirtschaftsinformatik", ["04", "06"]),
    ("Wirtschaftswissenschaften", ["03", "04"]), ("Landwirtschaft", ["08"]), ("Volkswirtschaftslehre", ["03"]),
    ("Sprachen", ["02"]), ("IT-Sicherheit", ["06"]), ("Pädagogik", ["01"]),
    # Korean: K-MOOC classfy_name and middle_classfy_name
    ("인문", ["02"]), ("사회", ["03"]), ("교육", ["01"]), ("공학", ["07"]), ("자연", ["05"]), ("의약", ["09"]),
    ("예체능", ["02"]), ("융·복합", []), ("기타", []), ("컴퓨터·통신", ["06"]), ("경영·경제", ["03", "04"]),
    ("법률", ["04"]), ("언어·문학", ["02"]), ("수학·물리·천문·지리", ["05"]), ("간호", ["09"]),
    ("치료·보건", ["09"]), ("인문과학", ["02"]), ("사회과학", ["03"]), ("교육일반", ["01"]), ("유아교육", ["01"]),
    ("특수교육", ["01"]), ("중등교육", ["01"]), ("건축", ["07"]), ("토목·도시", ["07"]), ("교통·운송", ["07"]),
    ("기계·금속", ["07"]), ("전기·전자", ["07"]), ("정밀·에너지", ["07"]), ("소재·재료", ["07"]), ("화공", ["07"]),
    ("농림·수산", ["08"]), ("생물·화학·환경", ["05"]), ("의료", ["09"]), ("약학", ["09"]), ("디자인", ["02"]),
    ("응용예술", ["02"]), ("무용·체육", ["02", "10"]), ("미술·조형", ["02"]), ("연극·영화", ["02"]),
    ("음악", ["02"]), ("컴퓨터공학", ["06"]), ("사회복지", ["09"]), ("물리치료", ["09"]), ("천문학", ["05"]),
    ("프로그래밍 언어", ["06"]), ("수의학", ["08"]),
    # Thai
    ("วิทยาศาสตร์", ["05"]), ("คอมพิวเตอร์", ["06"]), ("สุขภาพ", ["09"]), ("การศึกษา", ["01"]),
    ("ธุรกิจ", ["04"]), ("ภาษา", ["02"]), ("เกษตร", ["08"]), ("วิทยาศาสตร์สุขภาพ", ["09"]),
    ("ภาษาโปรแกรม", ["06"]), ("สังคมสงเคราะห์", ["09"]), ("สัตวแพทย์", ["08"]),
    # Polish, Greek, Russian
    ("Informatyka", ["06"]), ("Ekonomia", ["03"]), ("Prawo", ["04"]), ("Medycyna", ["09"]), ("Zarządzanie", ["04"]),
    ("Πληροφορική", ["06"]), ("Οικονομικά", ["03"]), ("Ιατρική", ["09"]), ("Νομική", ["04"]),
    ("Φυσική Αγωγή", ["10"]), ("Информатика", ["06"]), ("Экономика", ["03"]), ("Медицина", ["09"]),
    ("Физическая культура", ["10"]), ("Машинное обучение", ["06"]),
    # Portuguese, Italian, Spanish
    ("Informática", ["06"]), ("Saúde", ["09"]), ("Direito", ["04"]), ("Educação física", ["10"]),
    ("Ingegneria", ["07"]), ("Storia", ["02"]), ("Ciencias de la Computación", ["06"]), ("Derecho", ["04"]),
    # Chinese (icourse163, XuetangX)
    ("计算机", ["06"]), ("经济管理", ["03", "04"]), ("医药卫生", ["09"]), ("理学", ["05"]), ("工学", ["07"]),
    ("农林园艺", ["08"]), ("文史哲", ["02"]), ("教育教学", ["01"]), ("外语", ["02"]), ("心理学", ["03"]),
    ("管理学", ["04"]), ("物理学", ["05"]), ("护理学", ["09"]), ("兽医学", ["08"]), ("软件工程", ["06"]),
    ("电子商务", ["04"]),
    # Japanese
    ("情報", ["06"]), ("経済", ["03"]), ("医学", ["09"]), ("看護", ["09"]), ("プログラミング言語", ["06"]),
    # Indonesian, Malay
    ("Ilmu Komputer", ["06"]), ("Teknik Informatika", ["06"]), ("Kesehatan", ["09"]), ("Pendidikan", ["01"]),
    ("Hukum", ["04"]), ("Seni Bina", ["07"]), ("Bahasa Pemrograman", ["06"]), ("Sains Komputer", ["06"]),
    # Vietnamese: its marks tell words apart, so they are not folded
    ("Công nghệ thông tin", ["06"]), ("Kinh tế", ["03"]), ("Y tế", ["09"]), ("Giáo dục", ["01"]),
    ("Luật", ["04"]), ("Kế toán", ["04"]), ("Điện ảnh", ["02"]), ("Toán", ["05"]), ("Kỹ thuật số", ["06"]),
    ("Hóa học", ["05"]), ("Biểu diễn", []), ("An toàn", []), ("Khoa học", []),
    # unknown: no field rather than a guess
    ("Basket weaving", []), ("xyz", []), ("Miscellaneous", []), ("Other", []), ("", []), ("   ", []),
    ("Sciencefiction", []), ("Artist", []),
]


@pytest.mark.parametrize("label, fields", LABELS)
def test_isced_fields(label, fields):
    assert isced_fields([label]) == fields


def test_many_labels_sorted_and_unique():
    assert isced_fields(["Informatik", "Computer Science", "Law", "교육", None, 5, "Health"]) == ["01", "04", "06", "09"]


@pytest.mark.parametrize("value", [None, [], 5, {"a": 1}])
def test_no_labels(value):
    assert isced_fields(value) == []


def test_a_single_string_is_one_label():
    assert isced_fields("Computer Science") == ["06"]


def test_table_is_well_formed():
    assert set(KEYWORDS) == set(ISCED_FIELDS)
    for field, block in KEYWORDS.items():
        assert field in ISCED_FIELDS
        assert all(w.strip() for w in block.split("|")), field  # no empty entry from a stray "|"
    assert set(LEVELS) == {"introductory", "intermediate", "advanced"}


def test_hostile_labels_are_quick():
    start = time.perf_counter()
    assert isced_fields(["a " * 100_000, "의" * 100_000, "computer " * 10_000]) == ["06"]
    assert isced_fields([f"label {i}" for i in range(5_000)]) == []
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("value, level", [
    ("Beginner", "introductory"), ("beginners", "introductory"), ("Introductory", "introductory"),
    ("débutant", "introductory"), ("Einsteiger", "introductory"), ("Grundlagen", "introductory"),
    ("초급", "introductory"), ("입문", "introductory"), ("初级", "introductory"), ("入門", "introductory"),
    ("เบื้องต้น", "introductory"), ("Cơ bản", "introductory"), ("Pemula", "introductory"),
    ("Początkujący", "introductory"), ("FOUNDATION", "introductory"), ("A2", "introductory"),
    ("Intermediate", "intermediate"), ("INTERMEDIATE", "intermediate"), ("intermédiaire", "intermediate"),
    ("중급", "intermediate"), ("中级", "intermediate"), ("Średniozaawansowany", "intermediate"),
    ("Menengah", "intermediate"), ("B2", "intermediate"),
    ("advanced", "advanced"), ("Fortgeschritten", "advanced"), ("Fortgeschrittene", "advanced"),
    ("Avancé", "advanced"), ("고급", "advanced"), ("심화", "advanced"), ("上級", "advanced"), ("ขั้นสูง", "advanced"),
    ("Nâng cao", "advanced"), ("Zaawansowany", "advanced"), ("Продвинутый", "advanced"),
    ("Highly specialised", "advanced"),
    ("Level: Intermediate", "intermediate"), ("Intermediate level", "intermediate"),
    ("난이도 초급", "introductory"), ("Niveau avancé", "advanced"),
])
def test_normalize_level(value, level):
    assert normalize_level(value) == level


@pytest.mark.parametrize("value", [None, "", " ", "null"])
def test_level_missing(value):
    assert normalize_level(value) is None


@pytest.mark.parametrize("value", [
    "1", "3", 1,  # K-MOOC's numeric levels are not documented
    "All levels", "Mixed", "Beginner to Intermediate", "Beginner/Intermediate", "Not for beginners",
    "level", "TBA", "x" * 101,
])
def test_level_unparseable(value):
    with pytest.raises(Unparseable):
        normalize_level(value)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=100), max_size=5))
def test_any_labels_give_known_fields(labels):
    assert set(isced_fields(labels)) <= set(ISCED_FIELDS)
    try:
        assert normalize_level(labels[0] if labels else None) in (None, "introductory", "intermediate", "advanced")
    except Unparseable:
        pass
