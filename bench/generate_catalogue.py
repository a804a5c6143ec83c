"""A realistic synthetic catalogue for benchmarks: N courses (default 200,000) from platforms in the 51
ASEM countries, in 15 languages (titles and summaries in each language's own words and script), with
runs, ISCED fields, organizations, instructors, prices. Deterministic for a seed.

    python bench/generate_catalogue.py --n 200000 --jsonl var/bench/catalogue.jsonl
    python bench/generate_catalogue.py --n 200000 --db var/bench/catalogue.db     # a harvester store

Dates are spread around ``--anchor`` (default 2026-06-01): query the catalogue with ``now=anchor``
for the same mix of open, upcoming, self-paced and archived courses whatever the day.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harvester.pipelines.hash import content_hash  # noqa: E402

LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "cs", "el", "ru", "zh", "ja", "ko", "th", "id")

# 20 topics, each with its ISCED-F broad field, in every language.
ISCED = ("06", "06", "05", "09", "04", "04", "02", "05", "06", "09", "04", "07", "02", "03", "04", "08", "10",
         "01", "04", "09")
TOPICS = {
    "en": ["data science", "machine learning", "climate change", "public health", "entrepreneurship",
           "digital marketing", "philosophy", "statistics", "Python programming", "nutrition",
           "project management", "renewable energy", "world history", "psychology", "accounting",
           "sustainable agriculture", "tourism management", "teaching methods", "international law", "nursing"],
    "fr": ["science des données", "apprentissage automatique", "changement climatique", "santé publique",
           "entrepreneuriat", "marketing numérique", "philosophie", "statistiques", "programmation en Python",
           "nutrition", "gestion de projet", "énergies renouvelables", "histoire du monde", "psychologie",
           "comptabilité", "agriculture durable", "gestion du tourisme", "méthodes d'enseignement",
           "droit international", "soins infirmiers"],
    "de": ["Datenwissenschaft", "maschinelles Lernen", "Klimawandel", "öffentliche Gesundheit", "Unternehmertum",
           "digitales Marketing", "Philosophie", "Statistik", "Programmierung mit Python", "Ernährung",
           "Projektmanagement", "erneuerbare Energien", "Weltgeschichte", "Psychologie", "Rechnungswesen",
           "nachhaltige Landwirtschaft", "Tourismusmanagement", "Unterrichtsmethoden", "Völkerrecht",
           "Krankenpflege"],
    "es": ["ciencia de datos", "aprendizaje automático", "cambio climático", "salud pública", "emprendimiento",
           "marketing digital", "filosofía", "estadística", "programación en Python", "nutrición",
           "gestión de proyectos", "energías renovables", "historia universal", "psicología", "contabilidad",
           "agricultura sostenible", "gestión turística", "métodos de enseñanza", "derecho internacional",
           "enfermería"],
    "it": ["scienza dei dati", "apprendimento automatico", "cambiamento climatico", "salute pubblica",
           "imprenditorialità", "marketing digitale", "filosofia", "statistica", "programmazione in Python",
           "nutrizione", "gestione dei progetti", "energie rinnovabili", "storia mondiale", "psicologia",
           "contabilità", "agricoltura sostenibile", "gestione del turismo", "metodi di insegnamento",
           "diritto internazionale", "infermieristica"],
    "pt": ["ciência de dados", "aprendizagem automática", "alterações climáticas", "saúde pública",
           "empreendedorismo", "marketing digital", "filosofia", "estatística", "programação em Python",
           "nutrição", "gestão de projetos", "energias renováveis", "história mundial", "psicologia",
           "contabilidade", "agricultura sustentável", "gestão do turismo", "métodos de ensino",
           "direito internacional", "enfermagem"],
    "nl": ["datawetenschap", "machinaal leren", "klimaatverandering", "volksgezondheid", "ondernemerschap",
           "digitale marketing", "filosofie", "statistiek", "programmeren in Python", "voeding",
           "projectmanagement", "hernieuwbare energie", "wereldgeschiedenis", "psychologie", "boekhouding",
           "duurzame landbouw", "toerismemanagement", "onderwijsmethoden", "internationaal recht",
           "verpleegkunde"],
    "cs": ["datová věda", "strojové učení", "změna klimatu", "veřejné zdraví", "podnikání", "digitální marketing",
           "filozofie", "statistika", "programování v Pythonu", "výživa", "projektové řízení",
           "obnovitelné zdroje energie", "světové dějiny", "psychologie", "účetnictví", "udržitelné zemědělství",
           "řízení cestovního ruchu", "metody výuky", "mezinárodní právo", "ošetřovatelství"],
    "el": ["επιστήμη δεδομένων", "μηχανική μάθηση", "κλιματική αλλαγή", "δημόσια υγεία", "επιχειρηματικότητα",
           "ψηφιακό μάρκετινγκ", "φιλοσοφία", "στατιστική", "προγραμματισμός σε Python", "διατροφή",
           "διαχείριση έργων", "ανανεώσιμες πηγές ενέργειας", "παγκόσμια ιστορία", "ψυχολογία", "λογιστική",
           "βιώσιμη γεωργία", "διοίκηση τουρισμού", "μέθοδοι διδασκαλίας", "διεθνές δίκαιο", "νοσηλευτική"],
    "ru": ["наука о данных", "машинное обучение", "изменение климата", "общественное здравоохранение",
           "предпринимательство", "цифровой маркетинг", "философия", "статистика", "программирование на Python",
           "питание", "управление проектами", "возобновляемая энергетика", "всемирная история", "психология",
           "бухгалтерский учёт", "устойчивое сельское хозяйство", "управление туризмом", "методы обучения",
           "международное право", "сестринское дело"],
    "zh": ["数据科学", "机器学习", "气候变化", "公共卫生", "创业", "数字营销", "哲学", "统计学", "Python编程",
           "营养学", "项目管理", "可再生能源", "世界历史", "心理学", "会计学", "可持续农业", "旅游管理", "教学方法",
           "国际法", "护理学"],
    "ja": ["データサイエンス", "機械学習", "気候変動", "公衆衛生", "起業", "デジタルマーケティング", "哲学", "統計学",
           "Pythonプログラミング", "栄養学", "プロジェクトマネジメント", "再生可能エネルギー", "世界史", "心理学",
           "会計学", "持続可能な農業", "観光マネジメント", "教授法", "国際法", "看護学"],
    "ko": ["데이터과학", "기계학습", "기후변화", "공중보건", "창업", "디지털마케팅", "철학", "통계학", "파이썬프로그래밍",
           "영양학", "프로젝트관리", "재생에너지", "세계사", "심리학", "회계학", "지속가능농업", "관광경영", "교수법",
           "국제법", "간호학"],
    "th": ["วิทยาการข้อมูล", "การเรียนรู้ของเครื่อง", "การเปลี่ยนแปลงสภาพภูมิอากาศ", "สาธารณสุข",
           "การเป็นผู้ประกอบการ", "การตลาดดิจิทัล", "ปรัชญา", "สถิติ", "การเขียนโปรแกรมไพทอน", "โภชนาการ",
           "การบริหารโครงการ", "พลังงานหมุนเวียน", "ประวัติศาสตร์โลก", "จิตวิทยา", "การบัญชี", "เกษตรยั่งยืน",
           "การจัดการการท่องเที่ยว", "วิธีการสอน", "กฎหมายระหว่างประเทศ", "การพยาบาล"],
    "id": ["ilmu data", "pembelajaran mesin", "perubahan iklim", "kesehatan masyarakat", "kewirausahaan",
           "pemasaran digital", "filsafat", "statistika", "pemrograman Python", "gizi", "manajemen proyek",
           "energi terbarukan", "sejarah dunia", "psikologi", "akuntansi", "pertanian berkelanjutan",
           "manajemen pariwisata", "metode pengajaran", "hukum internasional", "keperawatan"],
}
# Title forms ({T}: topic capitalized) and places/domains a course applies its topic to ({q}).
TITLES = {
    "en": ["Introduction to {t}", "{T}", "{T} for Beginners", "Advanced {t}", "Foundations of {t}",
           "{T}: Theory and Practice", "Applied {t}", "{T} in {q}"],
    "fr": ["Introduction : {t}", "{T}", "{T} pour débutants", "{T} : théorie et pratique", "Les bases : {t}",
           "{T} en {q}", "Cours de {t}"],
    "de": ["Einführung: {T}", "{T}", "{T} für Anfänger", "{T} in Theorie und Praxis", "Grundlagen: {T}",
           "{T} in {q}", "Angewandte Themen: {T}"],
    "es": ["Introducción a {t}", "{T}", "{T} para principiantes", "{T}: teoría y práctica", "Fundamentos de {t}",
           "{T} en {q}", "Curso de {t}"],
    "it": ["Introduzione: {t}", "{T}", "{T} per principianti", "{T}: teoria e pratica", "Fondamenti di {t}",
           "{T} in {q}", "Corso di {t}"],
    "pt": ["Introdução: {t}", "{T}", "{T} para iniciantes", "{T}: teoria e prática", "Fundamentos de {t}",
           "{T} em {q}", "Curso de {t}"],
    "nl": ["Inleiding: {t}", "{T}", "{T} voor beginners", "{T}: theorie en praktijk", "Basis van {t}",
           "{T} in {q}", "Cursus {t}"],
    "cs": ["Úvod: {t}", "{T}", "{T} pro začátečníky", "{T}: teorie a praxe", "Základy: {t}", "{T} v {q}",
           "Kurz: {t}"],
    "el": ["Εισαγωγή: {t}", "{T}", "{T} για αρχάριους", "{T}: θεωρία και πράξη", "Βασικές αρχές: {t}",
           "{T} στην {q}", "Μάθημα: {t}"],
    "ru": ["Введение: {t}", "{T}", "{T} для начинающих", "{T}: теория и практика", "Основы: {t}", "{T} в {q}",
           "Курс: {t}"],
    "zh": ["{t}导论", "{t}", "{t}入门", "{t}基础", "高级{t}", "{t}与实践", "{q}{t}"],
    "ja": ["{t}入門", "{t}", "はじめての{t}", "{t}の基礎", "実践{t}", "{q}と{t}"],
    "ko": ["{t} 입문", "{t}", "{t}개론", "{t}의 기초", "고급 {t}", "{q} {t}"],
    "th": ["{t}เบื้องต้น", "{t}", "ความรู้เบื้องต้นเกี่ยวกับ{t}", "{t}ขั้นสูง", "{t}สำหรับผู้เริ่มต้น", "{t}ใน{q}"],
    "id": ["Pengantar {t}", "{T}", "{T} untuk Pemula", "{T}: Teori dan Praktik", "Dasar-dasar {t}",
           "{T} di {q}", "Kursus {t}"],
}
PLACES = {
    "en": ["Asia", "Europe", "Healthcare", "Business", "Everyday Life", "Small Businesses", "Cities", "Education"],
    "fr": ["Asie", "Europe", "santé", "entreprise", "milieu urbain", "éducation"],
    "de": ["Asien", "Europa", "der Medizin", "Unternehmen", "der Stadt", "der Schule"],
    "es": ["Asia", "Europa", "salud", "la empresa", "las ciudades", "educación"],
    "it": ["Asia", "Europa", "sanità", "azienda", "città", "educazione"],
    "pt": ["Ásia", "Europa", "saúde", "empresas", "cidades", "educação"],
    "nl": ["Azië", "Europa", "de zorg", "het bedrijfsleven", "de stad", "het onderwijs"],
    "cs": ["Asii", "Evropě", "zdravotnictví", "podnikání", "městech", "školství"],
    "el": ["Ασία", "Ευρώπη", "υγεία", "επιχείρηση", "πόλη", "εκπαίδευση"],
    "ru": ["Азии", "Европе", "медицине", "бизнесе", "городе", "образовании"],
    "zh": ["亚洲", "欧洲", "医疗", "企业", "城市", "教育"],
    "ja": ["アジア", "ヨーロッパ", "医療", "ビジネス", "都市", "教育"],
    "ko": ["아시아", "유럽", "의료", "비즈니스", "도시", "교육"],
    "th": ["เอเชีย", "ยุโรป", "การแพทย์", "ธุรกิจ", "เมือง", "การศึกษา"],
    "id": ["Asia", "Eropa", "Kesehatan", "Bisnis", "Perkotaan", "Pendidikan"],
}
SUMMARIES = {
    "en": ["This course introduces the key ideas of {t} with practical examples from {q}.",
           "Learn {t} step by step through {w}, {w2} and short quizzes.",
           "A course on {t} for students and professionals who want to understand {w}."],
    "fr": ["Ce cours présente les notions clés de {t} avec des exemples concrets en {q}.",
           "Apprenez {t} pas à pas grâce à des {w} et des {w2}.",
           "Un cours de {t} pour les étudiants et les professionnels qui veulent comprendre les {w}."],
    "de": ["Dieser Kurs führt in {t} ein, mit praktischen Beispielen aus {q}.",
           "Lernen Sie {t} Schritt für Schritt mit {w} und {w2}.",
           "Ein Kurs über {t} für Studierende und Berufstätige, die {w} verstehen wollen."],
    "es": ["Este curso presenta las ideas clave de {t} con ejemplos prácticos de {q}.",
           "Aprende {t} paso a paso con {w} y {w2}.",
           "Un curso de {t} para estudiantes y profesionales que quieren entender los {w}."],
    "it": ["Questo corso presenta i concetti chiave di {t} con esempi pratici da {q}.",
           "Impara {t} passo dopo passo con {w} e {w2}.",
           "Un corso di {t} per studenti e professionisti che vogliono capire i {w}."],
    "pt": ["Este curso apresenta as ideias principais de {t} com exemplos práticos de {q}.",
           "Aprenda {t} passo a passo com {w} e {w2}.",
           "Um curso de {t} para estudantes e profissionais que querem compreender os {w}."],
    "nl": ["Deze cursus introduceert de kernbegrippen van {t} met praktijkvoorbeelden uit {q}.",
           "Leer {t} stap voor stap met {w} en {w2}.",
           "Een cursus {t} voor studenten en professionals die {w} willen begrijpen."],
    "cs": ["Tento kurz představuje klíčové myšlenky oboru {t} na praktických příkladech.",
           "Naučte se {t} krok za krokem pomocí {w} a {w2}.",
           "Kurz {t} pro studenty a odborníky, kteří chtějí porozumět {w}."],
    "el": ["Το μάθημα παρουσιάζει τις βασικές ιδέες της ενότητας {t} με πρακτικά παραδείγματα.",
           "Μάθετε {t} βήμα προς βήμα με {w} και {w2}.",
           "Ένα μάθημα για φοιτητές και επαγγελματίες που θέλουν να κατανοήσουν {w}."],
    "ru": ["Курс знакомит с ключевыми идеями темы «{t}» на практических примерах.",
           "Изучайте {t} шаг за шагом: {w} и {w2}.",
           "Курс для студентов и специалистов, которые хотят понять {w}."],
    "zh": ["本课程介绍{t}的核心概念，并结合{q}的实际案例。", "通过{w}和{w2}循序渐进地学习{t}。",
           "面向学生和从业者的{t}课程，帮助理解{w}。"],
    "ja": ["この講座では{t}の基本的な考え方を{q}の事例とともに学びます。", "{w}と{w2}を通して{t}を段階的に学びます。",
           "{w}を理解したい学生と社会人のための{t}の講座です。"],
    "ko": ["이 강좌는 {q} 사례와 함께 {t}의 핵심 개념을 소개합니다.", "{w}와 {w2}를 통해 {t}를 단계별로 배웁니다.",
           "{w}를 이해하려는 학생과 직장인을 위한 {t} 강좌입니다."],
    "th": ["รายวิชานี้แนะนำแนวคิดสำคัญของ{t}พร้อมตัวอย่างจาก{q}", "เรียนรู้{t}ทีละขั้นตอนผ่าน{w}และ{w2}",
           "รายวิชา{t}สำหรับนักศึกษาและผู้ทำงานที่ต้องการเข้าใจ{w}"],
    "id": ["Kursus ini memperkenalkan gagasan utama {t} dengan contoh praktis dari {q}.",
           "Pelajari {t} langkah demi langkah melalui {w} dan {w2}.",
           "Kursus {t} bagi mahasiswa dan profesional yang ingin memahami {w}."],
}
WORDS = {
    "en": ["models", "methods", "case studies", "data", "policies", "tools", "research", "ethics", "projects",
           "simulations", "interviews", "field work"],
    "fr": ["modèles", "méthodes", "études de cas", "données", "politiques", "outils", "recherches", "projets",
           "simulations", "entretiens"],
    "de": ["Modelle", "Methoden", "Fallstudien", "Daten", "Werkzeuge", "Projekte", "Simulationen", "Interviews"],
    "es": ["modelos", "métodos", "estudios de caso", "datos", "herramientas", "proyectos", "simulaciones"],
    "it": ["modelli", "metodi", "casi di studio", "dati", "strumenti", "progetti", "simulazioni"],
    "pt": ["modelos", "métodos", "estudos de caso", "dados", "ferramentas", "projetos", "simulações"],
    "nl": ["modellen", "methoden", "casussen", "gegevens", "hulpmiddelen", "projecten", "simulaties"],
    "cs": ["modelů", "metod", "případových studií", "dat", "nástrojů", "projektů"],
    "el": ["μοντέλα", "μεθόδους", "μελέτες περίπτωσης", "δεδομένα", "εργαλεία", "έργα"],
    "ru": ["модели", "методы", "кейсы", "данные", "инструменты", "проекты"],
    "zh": ["模型", "方法", "案例", "数据", "工具", "项目"],
    "ja": ["モデル", "手法", "事例", "データ", "ツール", "プロジェクト"],
    "ko": ["모델", "방법", "사례", "데이터", "도구", "프로젝트"],
    "th": ["แบบจำลอง", "วิธีการ", "กรณีศึกษา", "ข้อมูล", "เครื่องมือ", "โครงงาน"],
    "id": ["model", "metode", "studi kasus", "data", "alat", "proyek"],
}
# ASEM countries: code, capital (for institution names), main teaching language (of the 15), weight.
COUNTRIES = [
    ("AT", "Vienna", "de", 2), ("BE", "Brussels", "fr", 2), ("BG", "Sofia", "en", 1), ("HR", "Zagreb", "en", 1),
    ("CY", "Nicosia", "el", 1), ("CZ", "Prague", "cs", 2), ("DK", "Copenhagen", "en", 1),
    ("EE", "Tallinn", "en", 1), ("FI", "Helsinki", "en", 2), ("FR", "Paris", "fr", 8), ("DE", "Berlin", "de", 8),
    ("GR", "Athens", "el", 2), ("HU", "Budapest", "en", 1), ("IE", "Dublin", "en", 2), ("IT", "Rome", "it", 5),
    ("LV", "Riga", "en", 1), ("LT", "Vilnius", "en", 1), ("LU", "Luxembourg", "fr", 1), ("MT", "Valletta", "en", 1),
    ("NL", "Amsterdam", "nl", 4), ("PL", "Warsaw", "en", 3), ("PT", "Lisbon", "pt", 3), ("RO", "Bucharest", "en", 2),
    ("SK", "Bratislava", "cs", 1), ("SI", "Ljubljana", "en", 1), ("ES", "Madrid", "es", 8),
    ("SE", "Stockholm", "en", 2), ("GB", "London", "en", 8), ("NO", "Oslo", "en", 1), ("CH", "Bern", "de", 2),
    ("AU", "Canberra", "en", 3), ("BD", "Dhaka", "en", 2), ("BN", "Bandar Seri Begawan", "en", 1),
    ("KH", "Phnom Penh", "en", 1), ("CN", "Beijing", "zh", 14), ("IN", "New Delhi", "en", 10),
    ("ID", "Jakarta", "id", 6), ("JP", "Tokyo", "ja", 8), ("KZ", "Astana", "ru", 2), ("KR", "Seoul", "ko", 8),
    ("LA", "Vientiane", "en", 1), ("MY", "Kuala Lumpur", "en", 3), ("MN", "Ulaanbaatar", "en", 1),
    ("MM", "Naypyidaw", "en", 1), ("NZ", "Wellington", "en", 1), ("PK", "Islamabad", "en", 2),
    ("PH", "Manila", "en", 3), ("RU", "Moscow", "ru", 6), ("SG", "Singapore", "en", 3), ("TH", "Bangkok", "th", 6),
    ("VN", "Hanoi", "en", 3),
]
ORG_FORMS = ["University of {c}", "{c} Institute of Technology", "{c} Open University", "{c} Business School",
             "National Academy of Sciences ({c})", "{c} Medical College"]
FIRST = ["Anna", "Ben", "Chen", "Dara", "Elena", "Farid", "Gita", "Hiro", "Ines", "Jan", "Kim", "Lucia", "Minh",
         "Nok", "Omar", "Pia", "Ravi", "Sara", "Tomas", "Yuki"]
LAST = ["Bauer", "Chen", "Dubois", "Garcia", "Hansen", "Ivanova", "Kato", "Kowalski", "Lee", "Martin", "Nguyen",
        "Novak", "Papadopoulos", "Rossi", "Sato", "Silva", "Smith", "Suzuki", "Wang", "Wongsa"]
CURRENCY = {"GB": "GBP", "CN": "CNY", "JP": "JPY", "KR": "KRW", "TH": "THB", "IN": "INR", "ID": "IDR",
            "RU": "RUB", "AU": "AUD", "SG": "SGD", "CH": "CHF"}


def _day(anchor: date, offset_days: int) -> str:
    return (anchor + timedelta(days=offset_days)).isoformat()


def _runs(rnd: random.Random, anchor: date) -> list[dict[str, Any]]:
    kind = rnd.random()
    if kind < 0.12:
        return []
    if kind < 0.42:   # self-paced, open-ended or with an end
        start = rnd.randint(-3000, 120)
        end = None if rnd.random() < 0.7 else start + rnd.randint(180, 1500)
        return [{"start": _day(anchor, start), "end": _day(anchor, end) if end is not None else None,
                 "enrollment_start": None, "enrollment_end": None, "pacing": "self_paced"}]
    runs = []
    start = rnd.randint(-3200, 200)
    for _ in range(rnd.choice((1, 1, 1, 2, 2, 3, 4, 6))):
        length = rnd.choice((28, 42, 56, 70, 84, 120))
        runs.append({"start": _day(anchor, start), "end": _day(anchor, start + length) if rnd.random() < 0.92 else None,
                     "enrollment_start": _day(anchor, start - 30), "enrollment_end": _day(anchor, start + 14),
                     "pacing": "instructor_paced" if rnd.random() < 0.95 else None})
        start += length + rnd.randint(60, 400)
    return runs


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def generate(n: int = 200_000, seed: int = 42, anchor: date = date(2026, 6, 1)) -> Iterator[dict[str, Any]]:
    rnd = random.Random(seed)
    weights = [w for *_, w in COUNTRIES]
    platforms = {}
    for code, capital, lang, weight in COUNTRIES:
        platforms[code] = [f"{code.lower()}-mooc{k}" if k else f"{code.lower()}-mooc" for k in range(1 + weight // 4)]
    for i in range(n):
        code, capital, main, _ = rnd.choices(COUNTRIES, weights)[0]
        platform = rnd.choice(platforms[code])
        r = rnd.random()
        lang = main if r < 0.7 else ("en" if r < 0.93 else rnd.choice(LANGUAGES))
        languages = [lang] + (["en"] if lang != "en" and rnd.random() < 0.1 else [])
        topic_i = rnd.randrange(len(ISCED))
        topic = TOPICS[lang][topic_i]
        place = rnd.choice(PLACES[lang])
        words = WORDS[lang]
        title = rnd.choice(TITLES[lang]).format(t=topic, T=_cap(topic), q=place)
        if rnd.random() < 0.25:
            title += rnd.choice((" I", " II", " 2", " (2025)", " – Module 1", " – Part 2"))
        fill = {"t": topic, "q": place, "w": rnd.choice(words), "w2": rnd.choice(words)}
        summary = rnd.choice(SUMMARIES[lang]).format(**fill)
        description = " ".join(s.format(**{**fill, "w": rnd.choice(words), "w2": rnd.choice(words)})
                               for s in rnd.sample(SUMMARIES[lang], 2))
        isced = [ISCED[topic_i]] + ([rnd.choice(ISCED)] if rnd.random() < 0.15 else [])
        org = rnd.choice(ORG_FORMS).format(c=capital)
        price = None
        certificate = rnd.random()
        if certificate < 0.6:
            price = rnd.choice((None, 0, 29, 49, 99, 149))
            cert = {"available": True, "price": price, "currency": CURRENCY.get(code, "EUR") if price else None}
        elif certificate < 0.9:
            cert = {"available": False, "price": None, "currency": None}
        else:
            cert = {"available": None, "price": None, "currency": None}
        source_id = f"c{i:07d}"
        first_seen = anchor - timedelta(days=rnd.randint(0, 2500), seconds=rnd.randint(0, 86399))
        record = {
            "id": f"{platform}:{source_id}", "platform": platform, "source_id": source_id,
            "url": f"https://{platform}.example.org/courses/{source_id}", "country": code,
            "harvested_at": f"{anchor.isoformat()}T03:00:00Z",
            "first_seen": f"{first_seen.isoformat()}T{rnd.randint(0, 23):02d}:00:00Z",
            "last_seen": f"{anchor.isoformat()}T03:00:00Z", "status": "active", "unparsed": {},
            "title": title, "summary": summary, "description": description, "languages": languages,
            "language_source": "declared" if rnd.random() < 0.8 else "detected",
            "subtitle_languages": ["en"] if rnd.random() < 0.2 else [],
            "subjects": [TOPICS["en"][topic_i].title()], "isced_fields": list(dict.fromkeys(isced)),
            "keywords": rnd.sample(words, 2),
            "level": rnd.choices(("introductory", "intermediate", "advanced", None), (50, 30, 10, 10))[0],
            "organizations": [{"name": org, "country": code}],
            "instructors": [f"{rnd.choice(FIRST)} {rnd.choice(LAST)}" for _ in range(rnd.choice((0, 1, 1, 2, 3)))],
            "image_url": f"https://{platform}.example.org/img/{source_id}.jpg" if rnd.random() < 0.8 else None,
            "license": rnd.choice((None, None, "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-SA-4.0")),
            "runs": _runs(rnd, anchor),
            "effort_hours_per_week": rnd.choice((None, 2.0, 3.0, 4.0, 5.0, 6.0)),
            "duration_weeks": rnd.choice((None, 4.0, 6.0, 8.0, 10.0, 12.0)),
            "is_free": rnd.choices((True, False, None), (80, 15, 5))[0], "certificate": cert,
        }
        record["content_hash"] = content_hash(record)
        yield record


def write_jsonl(records: Iterator[dict[str, Any]], path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def write_store(records: Iterator[dict[str, Any]], path: Path) -> int:
    """Into a harvester store, one crawl run per platform; first_seen kept as generated."""
    from harvester.store import Store
    count = 0
    with Store(path) as store:
        runs: dict[str, int] = {}
        with store.transaction():
            for record in records:
                run_id = runs.get(record["platform"])
                if run_id is None:
                    store.db.execute("INSERT INTO crawl_runs (platform, family, started_at, status) "
                                     "VALUES (?, 'synthetic', ?, 'running')", (record["platform"], record["harvested_at"]))
                    run_id = runs[record["platform"]] = store.db.execute("SELECT last_insert_rowid()").fetchone()[0]
                store.upsert(record, run_id)
                store.db.execute("UPDATE courses SET first_seen = ? WHERE id = ?", (record["first_seen"], record["id"]))
                count += 1
            store.db.execute("UPDATE crawl_runs SET status = 'complete', finished_at = started_at WHERE family = 'synthetic'")
    return count


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--anchor", default="2026-06-01", help="the 'now' the dates are spread around")
    parser.add_argument("--jsonl", type=Path, help="write one JSON record per line here")
    parser.add_argument("--db", type=Path, help="write into this harvester store (SQLite)")
    args = parser.parse_args(argv)
    if not args.jsonl and not args.db:
        parser.error("give --jsonl and/or --db")
    anchor = date.fromisoformat(args.anchor)
    if args.jsonl:
        print(f"{write_jsonl(generate(args.n, args.seed, anchor), args.jsonl)} courses → {args.jsonl}")
    if args.db:
        print(f"{write_store(generate(args.n, args.seed, anchor), args.db)} courses → {args.db}")


if __name__ == "__main__":
    main()
