"""The pages in headless Chromium against `mooc serve` over a crawled and indexed store."""
from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from search_api.pages.views import timing
from tests.pages.conftest import chrome, quit_driver, screenshot

HOSTILE_IMG = "hocmo:HOCMO+XSS1"
HOSTILE_SCRIPT = "hocmo:HOCMO+XSS2"
PYTHON_VI = "hocmo:HOCMO+PY101"
ROBERT = "fixturemooc:HOSTILE+X1"
KOREAN = "fixturemooc:ACRCEDU+ACRC01"


def wait(driver, condition, timeout: float = 10):
    return WebDriverWait(driver, timeout).until(condition)


def query_of(driver) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(driver.current_url).query, keep_blank_values=True)


def results(driver) -> list[dict]:
    out = []
    for item in driver.find_elements(By.CSS_SELECTOR, ".result"):
        link = item.find_element(By.CSS_SELECTOR, ".result-title a")
        outs = item.find_elements(By.CSS_SELECTOR, "a.out")
        out.append({"title": link.text, "href": link.get_attribute("href"),
                    "meta": item.find_element(By.CSS_SELECTOR, ".meta").text,
                    "facts": item.find_element(By.CSS_SELECTOR, ".facts").text,
                    "out": outs[0].get_attribute("href") if outs else None})
    return out


def total(driver) -> int:
    return int("".join(ch for ch in driver.find_element(By.ID, "results-heading").text if ch.isdigit()))


def assert_no_injection(driver) -> None:
    """Nothing from course text became markup or ran."""
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert  # noqa: B018 - raises when no alert is open
    assert driver.find_elements(By.CSS_SELECTOR, "img[src='x'], svg[onload], [onerror], [onload]") == []
    assert driver.find_elements(By.CSS_SELECTOR, "[href^='javascript:' i], [src^='javascript:' i]") == []
    assert driver.execute_script("return document.querySelectorAll('main script').length") == 0
    assert "pwned" not in driver.title
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []   # no script or CSP error


def test_search_page_shows_every_course_with_facets_and_links(page, served):
    page.get(served["base"] + "/")
    screenshot(page, "search")
    records = served["records"]
    assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert total(page) == len(records) > 10
    legends = [e.text for e in page.find_elements(By.CSS_SELECTOR, ".facet legend")]
    assert {"Country", "Language", "Platform", "Subject", "Pacing", "Availability"} <= set(legends)
    subjects = page.find_element(By.ID, "facet-isced").text
    assert "Arts and humanities" in subjects and "02" not in subjects.split()  # names, not codes
    countries = page.find_element(By.ID, "facet-country").text
    assert "Thailand" in countries and "Vietnam" in countries and "France" in countries
    now = datetime.now(UTC)
    shown = results(page)
    assert len(shown) == min(20, len(records))
    for item in shown:
        course = records[unquote(urlsplit(item["href"]).path[len("/courses/"):])]
        assert item["out"] == course["url"]                       # the course page on its platform
        assert ("Thailand" if course["country"] == "TH" else "") in item["meta"]
        kind = timing(course, now).kind
        expected = {"self_paced": "Self-paced", "upcoming": "Starts", "open": "Running since", "archived": "Ended",
                    "unknown": "No dates announced"}[kind]
        assert expected in item["facts"], (course["id"], item["facts"])
        assert ("Free" in item["facts"]) == (course.get("is_free") is True)
        if course.get("effort_hours_per_week"):
            assert "h a week" in item["facts"]
    page.get(served["base"] + "/?q=introduction")
    assert page.find_elements(By.CSS_SELECTOR, ".result-title mark, .snippet mark")   # matches highlighted
    screenshot(page, "search-query", doc="search")


def test_a_query_submitted_from_the_box_lives_in_the_url(page, served):
    page.get(served["base"] + "/")
    box = page.find_element(By.ID, "q")
    box.send_keys("lập trình")
    box.send_keys(Keys.ENTER)
    wait(page, lambda d: "q=" in d.current_url)
    assert query_of(page) == [("q", "lập trình")]     # only what was set: no empty filters, no default sort
    shown = results(page)
    assert shown and shown[0]["title"] == "Nhập môn lập trình Python"
    assert page.find_element(By.ID, "q").get_attribute("value") == "lập trình"
    page.get(page.current_url)  # the shared link gives the same search
    assert results(page)[0]["title"] == "Nhập môn lập trình Python"


def test_filters_apply_on_change_show_counts_and_are_removed_from_their_chip(page, served):
    records = served["records"]
    page.get(served["base"] + "/")
    france = page.find_element(By.CSS_SELECTOR, "#facet-country input[value='FR']")
    label = page.find_element(By.CSS_SELECTOR, f"label[for='{france.get_attribute('id')}']")
    count = int(label.find_element(By.CSS_SELECTOR, ".count").text)
    expected = [r for r in records.values() if r["country"] == "FR"]
    assert count == len(expected) > 0
    label.click()
    wait(page, lambda d: "country=FR" in d.current_url)
    assert query_of(page) == [("country", "FR")]
    assert total(page) == count
    assert all("France" in item["meta"] for item in results(page))
    # focus comes back to the control that changed, so that keyboard users keep their place
    assert page.execute_script("return document.activeElement.name + '=' + document.activeElement.value") == \
        "country=FR"
    screenshot(page, "search-filtered")
    # a filter of another facet narrows further; the country facet's counts ignore the country filter
    language = next(r["languages"][0] for r in expected if r["languages"])
    page.find_element(By.CSS_SELECTOR, f"#facet-language input[value='{language}'] + label").click()
    wait(page, lambda d: f"language={language}" in d.current_url)
    assert sorted(query_of(page)) == [("country", "FR"), ("language", language)]
    assert total(page) == sum(1 for r in expected if language in r["languages"])
    chips = page.find_elements(By.CSS_SELECTOR, ".chips a")
    assert len(chips) == 2
    chip = page.find_element(By.CSS_SELECTOR, ".chips a[aria-label*='Country']")
    assert "France" in chip.text
    chip.click()
    wait(page, lambda d: "country=" not in d.current_url)
    assert query_of(page) == [("language", language)]
    assert page.find_elements(By.CSS_SELECTOR, ".chips a[aria-label*='Country']") == []
    page.find_element(By.CSS_SELECTOR, ".active-filters a.clear").click()
    wait(page, lambda d: urlsplit(d.current_url).query == "")
    assert total(page) == len(records)


def test_filters_and_paging_work_without_javascript_and_the_browser_language_is_honoured(served):
    driver = chrome(javascript=False, accept_language="fr-FR,fr;q=0.9,en;q=0.5")
    try:
        driver.get(served["base"] + "/")
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
        assert "js" not in (driver.find_element(By.TAG_NAME, "html").get_attribute("class") or "")
        assert driver.find_element(By.TAG_NAME, "h1").text == "Trouver un cours en ligne en Asie et en Europe"
        korean = driver.find_element(By.CSS_SELECTOR, "#facet-language input[value='ko']")
        driver.find_element(By.CSS_SELECTOR, f"label[for='{korean.get_attribute('id')}']").click()
        driver.find_element(By.CSS_SELECTOR, "button.apply").click()
        wait(driver, lambda d: "language=ko" in d.current_url)
        expected = {r["id"] for r in served["records"].values() if "ko" in r["languages"]}
        assert total(driver) == len(expected) > 0
        assert all("coréen" in item["meta"].lower() for item in results(driver))
        screenshot(driver, "search-no-javascript-fr")
        driver.get(served["base"] + "/?size=5")
        pager = driver.find_element(By.CSS_SELECTOR, "nav.pager")
        pager.find_element(By.CSS_SELECTOR, "a[rel='next']").click()
        assert ("page", "2") in query_of(driver) and len(results(driver)) == 5
    finally:
        quit_driver(driver)


def test_course_page_shows_what_the_store_knows_and_links_out(page, served):
    course = served["records"][KOREAN]
    page.get(served["base"] + "/?q=" + "청렴")
    link = next(a for a in page.find_elements(By.CSS_SELECTOR, ".result-title a") if a.text == course["title"])
    link.click()
    wait(page, EC.title_contains(course["title"]))
    screenshot(page, "course", doc="course")
    assert page.find_element(By.TAG_NAME, "h1").text == course["title"]
    facts = page.find_element(By.CSS_SELECTOR, ".course-facts").text
    for name in course["instructors"]:
        assert name in facts
    assert course["organizations"][0]["name"] in facts
    assert "Arts and humanities" in facts  # its ISCED-F field by name
    rows = page.find_elements(By.CSS_SELECTOR, "table.runs tbody tr")
    assert len(rows) == len(course["runs"]) == 2
    assert page.find_element(By.CSS_SELECTOR, "a.out").get_attribute("href") == course["url"]
    description = page.find_element(By.CSS_SELECTOR, ".course-text").text
    assert course["summary"].split()[0] in description


def test_switching_language_translates_the_interface_and_is_remembered(page, served):
    page.get(served["base"] + "/?q=python")
    page.find_element(By.CSS_SELECTOR, ".lang-switch a[hreflang='ko']").click()
    wait(page, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ko")
    assert ("q", "python") in query_of(page)                         # the search is kept
    assert page.find_element(By.CSS_SELECTOR, "label[for='q']").text == "무엇을 배우고 싶으세요?"
    assert "국가" in [e.text for e in page.find_elements(By.CSS_SELECTOR, ".facet legend")]
    assert page.find_element(By.CSS_SELECTOR, ".lang-switch a[aria-current='true']").text == "한국어"
    screenshot(page, "search-ko")
    page.get(served["base"] + "/dashboard")                           # the choice sticks (cookie)
    assert page.find_element(By.TAG_NAME, "h1").text == "ASEM 국가별 수집 현황"
    page.find_element(By.CSS_SELECTOR, ".lang-switch a[hreflang='th']").click()
    wait(page, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "th")
    assert "เวียดนาม" in page.find_element(By.CSS_SELECTOR, "table.coverage").text  # CLDR names, in Thai
    screenshot(page, "dashboard-th")
    page.find_element(By.CSS_SELECTOR, ".lang-switch a[hreflang='en']").click()
    wait(page, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")


def test_hostile_course_text_is_shown_as_text(page, served):
    records = served["records"]
    for course_id in (HOSTILE_IMG, HOSTILE_SCRIPT, ROBERT):
        title = records[course_id]["title"]
        assert any(mark in title for mark in ("<img", "<script", "DROP TABLE"))
    page.get(served["base"] + "/?q=Fractions")
    assert_no_injection(page)
    shown = results(page)
    assert records[HOSTILE_IMG]["title"] in [i["title"] for i in shown]   # the literal text, <img …> included
    assert page.find_elements(By.CSS_SELECTOR, ".result-title mark")     # the match is highlighted, nothing more
    page.get(served["base"] + "/?q=" + "cooking")
    assert_no_injection(page)
    assert records[HOSTILE_SCRIPT]["title"] in [i["title"] for i in results(page)]
    for course_id in (HOSTILE_IMG, ROBERT):
        page.get(served["base"] + "/courses/" + course_id)
        assert_no_injection(page)
        assert page.find_element(By.TAG_NAME, "h1").text == records[course_id]["title"]
    page.get(served["base"] + "/courses/" + HOSTILE_IMG)
    screenshot(page, "course-hostile")
    facts = page.find_element(By.CSS_SELECTOR, ".course-facts").text
    assert records[HOSTILE_IMG]["organizations"][0]["name"] in facts     # "><svg onload=…> as text
    assert "javascript:alert(4)" in page.find_element(By.CSS_SELECTOR, ".course-text").text
    page.get(served["base"] + "/courses/" + ROBERT)
    unparsed = page.find_element(By.CSS_SELECTOR, ".unparsed")            # the refused javascript: image URL
    unparsed.find_element(By.TAG_NAME, "summary").click()
    assert "javascript:alert(1)" in unparsed.text
    assert page.find_elements(By.CSS_SELECTOR, "img.course-image") == []


def test_autocomplete_suggests_titles_and_opens_one_with_the_keyboard(page, served):
    page.get(served["base"] + "/")
    box = page.find_element(By.ID, "q")
    box.send_keys("Nhập")
    wait(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#q-suggestions [role='option']"))
    assert box.get_attribute("aria-expanded") == "true"
    options = page.find_elements(By.CSS_SELECTOR, "#q-suggestions [role='option']")
    assert options[0].text == "Nhập môn lập trình Python"
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == options[0].get_attribute("id")
    box.send_keys(Keys.ENTER)
    wait(page, lambda d: "/courses/" in d.current_url)
    assert page.find_element(By.TAG_NAME, "h1").text == "Nhập môn lập trình Python"
    # a hostile title is suggested as text too
    page.get(served["base"] + "/")
    page.find_element(By.ID, "q").send_keys("Fractio")
    wait(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#q-suggestions [role='option']"))
    texts = [o.text for o in page.find_elements(By.CSS_SELECTOR, "#q-suggestions [role='option']")]
    assert served["records"][HOSTILE_IMG]["title"] in texts
    assert_no_injection(page)


def test_dashboard_shows_coverage_per_country_totals_and_charts(page, served, tmp_path):
    records = served["records"].values()
    page.get(served["base"] + "/dashboard")
    screenshot(page, "dashboard", doc="dashboard")
    rows = {row.get_attribute("id")[len("country-"):]: row
            for row in page.find_elements(By.CSS_SELECTOR, "table.coverage tbody tr")}
    assert len(rows) == 51
    for code in ("TH", "VN", "FR", "DE"):
        cells = rows[code].find_elements(By.TAG_NAME, "td")
        assert int(cells[4].text) == sum(1 for r in records if r["country"] == code) > 0, code
    vn = rows["VN"].find_elements(By.TAG_NAME, "td")
    assert (vn[0].text, vn[3].text) == ("1", "1")            # Học Mở harvested; a platform without a spider
    ph = rows["PH"].find_elements(By.TAG_NAME, "td")
    assert ph[1].text == "1" and "alarm" in ph[1].get_attribute("class")   # the failing platform
    assert "No known public MOOC listing." in rows["BN"].text
    assert "Vietnamese" in vn[5].text
    footer = page.find_element(By.CSS_SELECTOR, "table.coverage tfoot").find_elements(By.TAG_NAME, "td")
    assert int(footer[4].text) == len(served["records"])
    charts = page.find_elements(By.CSS_SELECTOR, "svg.chart[role='img']")
    assert [c.get_attribute("id") for c in charts] == ["chart-courses", "chart-languages", "chart-freshness"]
    bars = page.find_elements(By.CSS_SELECTOR, "#chart-courses g.bar")
    assert len(bars) == len({r["country"] for r in records})
    marks = page.find_elements(By.CSS_SELECTOR, "#chart-freshness g.mark")
    assert len(marks) == 6 and len(page.find_elements(By.CSS_SELECTOR, "#chart-freshness g.mark.no_spider")) == 1
    for link in ("/dashboard.csv", "/dashboard.json"):
        assert page.find_element(By.CSS_SELECTOR, f".downloads a[href='{link}']")


def test_health_report_lists_recent_runs_with_counts_and_errors(page, served):
    page.get(served["base"] + "/health-report")
    screenshot(page, "health-report", doc="health-report")
    sections = page.find_elements(By.CSS_SELECTOR, "section.platform-health")
    ids = [s.get_attribute("id") for s in sections]
    assert ids[0] == "platform-brokenedx"                       # the failing platform first
    assert {"platform-fixturemooc", "platform-hocmo", "platform-fixrichie", "platform-hubfixture"} <= set(ids)
    assert "platform-nospider" not in ids                       # disabled and never crawled
    broken = sections[0]
    assert "Failed" in broken.find_element(By.CSS_SELECTOR, ".badge").text
    row = broken.find_element(By.CSS_SELECTOR, "tbody tr")
    assert row.find_elements(By.TAG_NAME, "td")[-1].text == "1"  # errors
    details = broken.find_element(By.CSS_SELECTOR, "details.run-errors")
    details.find_element(By.TAG_NAME, "summary").click()
    assert "404" in details.text
    ok = page.find_element(By.ID, "platform-hocmo")
    cells = [c.text for c in ok.find_elements(By.CSS_SELECTOR, "tbody tr td")]
    assert "complete" in cells and "4" in cells                 # fetched 4, new 4


@pytest.mark.parametrize("path", ["/", "/courses/hocmo:HOCMO+PY101", "/dashboard", "/health-report"])
def test_pages_fit_a_phone_screen(page, served, path):
    page.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                         {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    page.get(served["base"] + path + "?lang=th")
    overflow = page.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
    screenshot(page, "phone-" + (path.strip("/").split("/")[0] or "search"), full=False,
               doc="search-phone-th" if path == "/" else None)
    if path == "/":
        assert page.find_element(By.ID, "filters").get_attribute("open") is None   # collapsed on a phone
        page.find_element(By.CSS_SELECTOR, "#filters > summary").click()
        assert page.find_element(By.ID, "filters").get_attribute("open") is not None
    assert [e for e in page.get_log("browser") if e["level"] == "SEVERE"] == []   # no script or CSP error


def test_keyboard_users_skip_to_the_content_and_reach_the_filters(page, served):
    page.get(served["base"] + "/")
    page.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = page.switch_to.active_element
    assert focused.get_attribute("class") == "skip-link"
    focused.send_keys(Keys.ENTER)
    assert page.switch_to.active_element.get_attribute("id") == "main"
    box = page.find_element(By.ID, "q")
    assert page.find_element(By.CSS_SELECTOR, "label[for='q']").text  # every control has a label
    unlabeled = page.execute_script("""
        return [...document.querySelectorAll('input:not([type=hidden]), select')]
          .filter(e => !(e.labels && e.labels.length)).map(e => e.outerHTML)""")
    assert unlabeled == []
    box.send_keys(Keys.TAB)                     # the search button, then the filters
    assert page.switch_to.active_element.tag_name == "button"
