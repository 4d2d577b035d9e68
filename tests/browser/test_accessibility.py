"""Every page of the portal against docs UI.md's accessibility rules, in a real browser.

The page list comes from the URLconf: every named URL outside the admin is visited, either
directly (no parameters) or with arguments taken from the data (``_args()``). A URL that
takes arguments and is neither in ``_args()`` nor in ``SKIP`` fails the test, so a new page
cannot slip past it. Pages that turn out not to be HTML (downloads, images) or to accept
POST only (HTTP 405) are left out after a first request.

On each page, signed in as an administrator:
- axe-core (vendored in ``vendor/axe.min.js``, never fetched) finds no "serious" or
  "critical" violation;
- at 390 px width the document does not scroll sideways (tables scroll in their box);
- ``<html lang>`` follows the language switch.
"""
import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.browser.helpers import (
    assert_accessible_on_a_desk_and_a_phone,
    broken_references,
    serious_violations,
    upload,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Named URLs that are not pages to check, with the reason.
SKIP = {
    "logout": "POST only",
    "set_language": "POST only",
    "healthz": "plain-text health check",
    "indicators:dashboard_export": "file download",
    "indicators:reductions_csv": "file download",
    "indicators:dashboard_chart": "SVG image (checked as the dashboard's <img>)",
    "training:attendance_completion": "POST only",
    "indicators:dashboard_publish": "POST only (the dashboard's publish form, checked there)",
    "indicators:report_transition": "POST only (the buttons of the report page, checked there)",
    "establishments:closed_year_reopen": "POST only (the reopen form of the closed-years page, checked there)",
    "dataio:upload": "GET redirects to the import page (checked there); POST only",
    "dataio:preview": "needs an uploaded file: checked by test_import_preview_is_accessible",
    "dataio:preview_errors": "file download",
    "dataio:confirm": "POST only",
    "dataio:cancel": "POST only",
    "dataio:template": "file download",
    "dataio:export": "file download",
}


def _named_urls(patterns=None, namespace=""):
    """(full name, takes arguments) for every named URL, the admin and the API excluded."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in ("admin", "api"):  # the API answers JSON; its docs page: test_api_docs.py
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_urls(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", bool(entry.pattern.converters)


def _demo_data():
    """The official 2009-2018 fixture plus a small generated dataset (events, people, headcounts)."""
    call_command("loaddata", "kontum_2009_2018", verbosity=0)
    call_command("generate_demo_data", establishments=4, seed=1, verbosity=0)


def _args():
    """Arguments for the URLs that need them, chosen from the data in the database."""
    from establishments.models import AssistanceRecord, CPMeasure, Establishment
    from indicators import engine
    from indicators.models import AnnualReport
    from training.models import Attendance, Event, Person, StaffHeadcount

    est = Establishment.objects.filter(measures__isnull=False).order_by("code").first()
    measure = CPMeasure.objects.order_by("pk").first()
    aid = AssistanceRecord.objects.order_by("pk").first()
    report = AnnualReport.objects.select_related("establishment").order_by("establishment__code", "year").first()
    event = Event.objects.filter(attendances__isnull=False).order_by("code").first()
    attendance = Attendance.objects.order_by("pk").first()
    person = Person.objects.order_by("pk").first()
    headcount = StaffHeadcount.objects.order_by("year").first()
    assert all([est, measure, aid, report, event, attendance, person, headcount]), "demo data incomplete"
    publication = _publication()
    return {
        "establishments:detail": [{"code": est.code}],
        "establishments:edit": [{"code": est.code}],
        "establishments:close": [{"code": est.code}],
        "establishments:measure_create": [{"code": est.code}],
        "establishments:measure_edit": [{"code": measure.establishment.code, "pk": measure.pk}],
        "establishments:assistance_create": [{"code": est.code}],
        "establishments:assistance_edit": [{"code": aid.establishment.code, "pk": aid.pk}],
        "indicators:report_create": [{"code": est.code}],
        "indicators:report_detail": [{"code": report.establishment.code, "year": report.year}],
        "indicators:report_edit": [{"code": report.establishment.code, "year": report.year}],
        "indicators:indicator_detail": [{"code": code} for code in sorted(engine.INDICATORS)],
        "training:event_detail": [{"code": event.code}],
        "training:event_edit": [{"code": event.code}],
        "training:attendance_add": [{"code": event.code}],
        "training:attendance_remove": [{"pk": attendance.pk}],
        "training:person_detail": [{"pk": person.pk}],
        "training:person_edit": [{"pk": person.pk}],
        "training:headcount_edit": [{"year": headcount.year}],
        "indicators:publication": [{"pk": publication.pk}],
        "indicators:publication_report": [{"pk": publication.pk}],
        "indicators:publication_compare": [{"pk": publication.pk}],
    }


def _publication():
    """The dashboard of the default plan published once, then a record changed (so the comparison lists it)."""
    from establishments.models import Establishment
    from indicators import publications, selectors

    plan = selectors.default_plan()
    publication = publications.publish(plan, 2018, None)
    est = Establishment.objects.order_by("code").first()
    est.name = est.name + " (đổi tên)"
    est.save()
    return publication


def _page_paths():
    args = _args()
    paths, missing = [], []
    for name, takes_args in _named_urls():
        if name in SKIP:
            continue
        if not takes_args:
            paths.append(reverse(name))
        elif name in args:
            paths.extend(reverse(name, kwargs=kwargs) for kwargs in args[name])
        else:
            missing.append(name)
    assert not missing, f"add arguments (_args) or a reason (SKIP) for these URLs: {missing}"
    # List pages filtered to nothing show their empty states; the dashboard for another year.
    no_match = "?q=zzzz-no-match"
    paths += [reverse(name) + no_match for name in
              ("establishments:list", "establishments:measure_list", "establishments:assistance_list",
               "indicators:report_list", "training:event_list", "training:person_list")]
    paths.append(reverse("indicators:dashboard") + "?year=2018")
    return sorted(set(paths))


def _html_pages(page, base, paths):
    """Keep the paths that answer GET with an HTML page; fail on server errors."""
    pages, errors = [], []
    for path in paths:
        response = page.request.get(base + path, max_redirects=0)
        if response.status == 405 or "text/html" not in response.headers.get("content-type", ""):
            continue
        if response.status != 200:
            errors.append(f"{path}: HTTP {response.status}")
            continue
        pages.append(path)
    assert not errors, errors
    return pages


# An empty state's message (with its next step) must be readable without scrolling a table sideways.
EMPTY_STATE_CUT = (
    "() => [...document.querySelectorAll('.empty')].some(el => el.offsetParent !== null"
    " && el.getBoundingClientRect().right > window.innerWidth + 1)"
)


def _scrolls_sideways(page):
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")


def test_every_page_is_accessible_and_fits_a_phone(page, live_server, login, admin_user_role):
    _demo_data()
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 900})

    # The sign-in page, before signing in.
    page.goto(base + "/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "vi"
    problems = {"/accounts/login/ (signed out)": serious_violations(page)}

    login("administrator", "pw-administrator-123")
    paths = _html_pages(page, base, _page_paths())
    assert len(paths) >= 30, paths  # the walk found the portal's pages

    for path in paths:
        page.goto(base + path)
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "vi", path
        problems[path] = serious_violations(page) + broken_references(page)
    # Forms sent empty: the error summary and the messages next to the fields.
    for name in ("establishments:create", "training:event_create", "training:headcount_create"):
        page.goto(base + reverse(name))
        page.locator("main form:not(.filters) button[type=submit]").last.click()
        page.wait_for_load_state()
        assert page.locator("#error-summary").is_visible(), name
        problems[f"{reverse(name)} (sent empty)"] = serious_violations(page) + broken_references(page)
    problems = {path: found for path, found in problems.items() if found}
    assert not problems, "\n".join(f"{path}: {found}" for path, found in problems.items())

    # Phone width, in both languages (English labels are longer).
    page.set_viewport_size({"width": 390, "height": 844})
    too_wide, cut_empty = [], []
    for language in ("vi", "en"):
        if language == "en":
            page.goto(base + "/")
            page.click("form.lang-switch button[value='en']")
            page.wait_for_load_state()
        for path in paths:
            page.goto(base + path)
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("lang") == language, path
            if _scrolls_sideways(page):
                too_wide.append(f"{path} ({language})")
            if page.evaluate(EMPTY_STATE_CUT):
                cut_empty.append(f"{path} ({language})")
    assert not too_wide, f"pages wider than a 390 px phone: {too_wide}"
    assert not cut_empty, f"empty-state message running off a 390 px phone: {cut_empty}"


def test_language_switch_sets_html_lang_and_skip_link_works(page, live_server, login, admin_user_role):
    login("administrator", "pw-administrator-123")
    page.goto(live_server.url + "/establishments/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.click("form.lang-switch button[value='en']")
    page.wait_for_load_state()
    assert page.url.endswith("/establishments/")  # back on the same page
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Establishments" in page.locator("nav.mainnav").inner_text()

    # The first Tab reaches the skip link, which shows itself and moves focus to <main>.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0  # on screen when focused
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    # Every stop on the way through the page (menus, filters, sort links, table box) shows a focus ring.
    no_ring = []
    for _ in range(30):
        page.keyboard.press("Tab")
        tag, ring = page.evaluate(
            "() => { const el = document.activeElement, st = getComputedStyle(el);"
            " return [el.tagName + (el.className ? '.' + el.className : ''),"
            " st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2]; }"
        )
        if not ring and tag != "BODY":  # BODY: past the last stop, focus left the page
            no_ring.append(tag)
    assert not no_ring, f"focused without a visible ring: {no_ring}"

    page.click("form.lang-switch button[value='vi']")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "vi"


def test_import_preview_is_accessible(login, live_server, data_entry_user, tmp_path, page):
    """The import preview, with an error and a good row, in both languages and on a phone."""
    path = tmp_path / "headcounts.csv"
    path.write_text("year,category,headcount\n2018,gov_staff,45\n2018,unknown_category,-3\n", encoding="utf-8")
    login("entry", "pw-entry-123")
    page.goto(f"{live_server.url}/data/")
    upload(page, "headcounts", path)
    assert "headcounts.csv" in page.inner_text("h1")
    assert page.locator("text=unknown_category").count() >= 1
    assert_accessible_on_a_desk_and_a_phone(page)
