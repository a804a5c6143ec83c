import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester.normalize import Unparseable, parse_bool, parse_price, to_country, to_currency


@pytest.mark.parametrize("value, expected", [
    (True, True), (False, False), ("true", True), ("False", False), ("TRUE", True), ("yes", True),
    ("no", False), ("1", True), ("0", False), (1, True), (0, False), (1.0, True), ("Y", True), ("N", False),
    ("y", True), ("on", True), ("off", False), ("oui", True), ("nein", False), ("예", True), ("아니오", False),
    ("是", True), ("否", False), ("ใช่", True), (" false ", False),  # oncampus "isAccessibleForFree": "false"
])
def test_parse_bool(value, expected):
    assert parse_bool(value) is expected


@pytest.mark.parametrize("value", ["maybe", "2", 2, -1, 0.5, "yess", "TBA", [True], "x" * 21])
def test_parse_bool_unparseable(value):
    with pytest.raises(Unparseable):
        parse_bool(value)


@pytest.mark.parametrize("value, expected", [
    ("49", 49.0), ("49.00 €", 49.0), ("€ 49,90", 49.9), ("49 \u20ac", 49.0), ("149 \u20ac", 149.0),
    ("150.00", 150.0), ("0.00", 0.0), (50, 50.0), (0, 0.0), (19.99, 19.99),
    ("free", 0.0), ("Free", 0.0), ("gratuit", 0.0), ("Kostenlos", 0.0), ("무료", 0.0), ("免费", 0.0), ("ฟรี", 0.0),
    ("₩50,000", 50000.0), ("50,000원", 50000.0), ("1.500.000 Rp", 1500000.0), ("Rp 1.500.000", 1500000.0),
    ("1.234,56 €", 1234.56), ("1,234.56", 1234.56), ("$49 USD", 49.0), ("USD 49", 49.0), ("US$ 49", 49.0),
    ("49,-", 49.0), ("฿1,990", 1990.0), ("49\u00a0€", 49.0), ("3 990 ₽", 3990.0), ("CHF 1'200.50", 1200.5),
    ("1.5", 1.5), ("RM 99", 99.0), ("¥5000", 5000.0), ("299 kr", 299.0),
])
def test_parse_price(value, expected):
    assert parse_price(value) == expected


@pytest.mark.parametrize("value", [None, "", "null", "n/a"])
def test_price_missing(value):
    assert parse_price(value) is None


@pytest.mark.parametrize("value", [
    "lots", "TBA", "-5", -5, "49-99", "1.2345", "12,3456", "49 dogs", "$$", "1,23,456", "free?!x",
    float("nan"), True, [49], "x" * 101,
])
def test_price_unparseable(value):
    with pytest.raises(Unparseable):
        parse_price(value)


@pytest.mark.parametrize("value, code", [
    ("€", "EUR"), ("$", "USD"), ("₩", "KRW"), ("원", "KRW"), ("฿", "THB"), ("eur", "EUR"), ("EUR", "EUR"),
    ("usd", "USD"), ("Euro", "EUR"), ("US Dollar", "USD"), ("978", "EUR"), ("Baht", "THB"), ("zł", "PLN"),
    ("RM", "MYR"), ("Rp", "IDR"), ("₫", "VND"), ("元", "CNY"), ("RMB", "CNY"), ("円", "JPY"), ("S$", "SGD"),
    ("￦", "KRW"),  # full-width
])
def test_to_currency(value, code):
    assert to_currency(value) == code


@pytest.mark.parametrize("value", ["¥", "kr", "₨", "dollar", "xyz", "XTS", "XXX", "lots", 978, "x" * 51])
def test_currency_unparseable(value):
    with pytest.raises(Unparseable):
        to_currency(value)


@pytest.mark.parametrize("value, code", [
    ("KR", "KR"), ("kr", "KR"), ("KOR", "KR"), ("Korea, Republic of", "KR"), ("Republic of Korea", "KR"),
    ("South Korea", "KR"), ("대한민국", "KR"), ("Deutschland", "DE"), ("Germany", "DE"), ("Thailand", "TH"),
    ("ประเทศไทย", "TH"), ("ไทย", "TH"), ("UK", "GB"), ("United Kingdom", "GB"), ("EL", "GR"),
    ("Ελλάδα", "GR"), ("Viet Nam", "VN"), ("Việt Nam", "VN"), ("Россия", "RU"), ("中国", "CN"),
    ("日本", "JP"), ("Polska", "PL"), ("Singapore", "SG"), ("Brunei Darussalam", "BN"),
    ("Lao People's Democratic Republic", "LA"), ("Laos", "LA"), ("Czech Republic", "CZ"), ("Türkiye", "TR"),
    ("Қазақстан", "KZ"), ("Монгол улс", "MN"), ("Pilipinas", "PH"), ("Malaysia", "MY"), ("  FR ", "FR"),
])
def test_to_country(value, code):
    assert to_country(value) == code


@pytest.mark.parametrize("value", [None, "", "null"])
def test_country_missing(value):
    assert to_country(value) is None


@pytest.mark.parametrize("value", [
    "EU", "XX", "Korea", "Europe", "World", "Atlantis", "Deutschlandfunk", "150", "123", 410, "x" * 101, "\x00",
])
def test_country_unparseable(value):
    with pytest.raises(Unparseable):
        to_country(value)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.integers(), st.floats(), st.none()))
def test_any_input_gives_a_value_none_or_unparseable(value):
    for parser in (parse_bool, parse_price, to_currency, to_country):
        try:
            parser(value)
        except Unparseable:
            pass
