import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester.normalize import Unparseable, to_spdx

HPI_V2 = {"id": "CC-BY-NC-SA-4.0", "url": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
          "name": "Creative Commons Attribution Non Commercial Share Alike 4.0 International",
          "author": "Hasso Plattner Institute, University of Potsdam"}
HPI_V3 = {"identifier": "CC-BY-SA-4.0", "url": "https://spdx.org/licenses/CC-BY-SA-4.0.html"}


@pytest.mark.parametrize("value, expected", [
    # short forms, any case and separator
    ("CC BY 4.0", "CC-BY-4.0"), ("CC-BY-SA-4.0", "CC-BY-SA-4.0"), ("cc-by-sa-4.0", "CC-BY-SA-4.0"),
    ("CC BY-NC-ND 3.0", "CC-BY-NC-ND-3.0"), ("CC BY-ND-NC 2.0", "CC-BY-NC-ND-2.0"),
    ("Creative Commons BY-SA 4.0 International", "CC-BY-SA-4.0"), ("CC BY 3.0 US", "CC-BY-3.0-US"),
    ("CC BY-SA 2.1 JP", "CC-BY-SA-2.1-JP"), ("CC-BY-SA-3.0-IGO", "CC-BY-SA-3.0-IGO"),
    ("CC0", "CC0-1.0"), ("CC0 1.0", "CC0-1.0"), ("cc0-1.0", "CC0-1.0"), ("MIT", "MIT"),
    # Creative Commons URLs (version from the URL), ports SPDX has
    ("https://creativecommons.org/licenses/by-nc-sa/4.0/", "CC-BY-NC-SA-4.0"),
    ("https://creativecommons.org/licenses/by-sa/4.0", "CC-BY-SA-4.0"),
    ("http://creativecommons.org/licenses/by-nc/4.0/legalcode", "CC-BY-NC-4.0"),
    ("https://creativecommons.org/licenses/by-sa/4.0/deed.de", "CC-BY-SA-4.0"),
    ("https://creativecommons.org/licenses/by/3.0/de/", "CC-BY-3.0-DE"),  # oncampus "licence"
    ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),  # iMooX image licence
    ("https://spdx.org/licenses/CC-BY-SA-4.0.html", "CC-BY-SA-4.0"),  # MOOChub v3 url
    # a port SPDX lacks is not the unported licence: the URL stays
    ("https://creativecommons.org/licenses/by/3.0/es/", "https://creativecommons.org/licenses/by/3.0/es/"),
    ("https://example.org/terms", "https://example.org/terms"),
    ("//example.org/terms", "https://example.org/terms"),
    # MOOChub objects and lists of them
    (HPI_V2, "CC-BY-NC-SA-4.0"), (HPI_V3, "CC-BY-SA-4.0"), ([HPI_V3], "CC-BY-SA-4.0"),
    ([HPI_V3, {"identifier": "CC-BY-SA-4.0", "url": None}], "CC-BY-SA-4.0"),
    ({"url": "https://creativecommons.org/licenses/by-sa/4.0/"}, "CC-BY-SA-4.0"),  # iMooX, no id
    ({"id": "Proprietary", "url": "https://hpi.de/terms"}, "https://hpi.de/terms"),
    ({"id": "CC-BY-SA", "url": "https://creativecommons.org/licenses/by-sa/3.0/"}, "CC-BY-SA-3.0"),
])
def test_to_spdx(value, expected):
    assert to_spdx(value) == expected


@pytest.mark.parametrize("value", [None, "", " ", "null", [], {"id": None, "url": None}, [None, ""]])
def test_missing(value):
    assert to_spdx(value) is None


@pytest.mark.parametrize("value", [
    "CC-BY-SA", "CC BY", "Creative Commons",  # version unknown: never assumed
    "CC BY 4.0 DE",  # 4.0 has no ports
    "All rights reserved", "Copyright", "© 2024 HPI", "Proprietary", "GPL",
    {"id": "Proprietary", "url": None, "name": "Proprietary License"},  # openHPI image licence
    [{"identifier": "CC-BY-4.0"}, {"identifier": "CC-BY-SA-4.0"}],  # two licences are not one
    "javascript:alert(1)", "https://", 5, "x" * 2_001,
])
def test_unparseable(value):
    with pytest.raises(Unparseable):
        to_spdx(value)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.integers(), st.floats(), st.none()))
def test_any_input_gives_a_value_none_or_unparseable(value):
    for parser in (to_spdx,):
        try:
            parser(value)
        except Unparseable:
            pass
