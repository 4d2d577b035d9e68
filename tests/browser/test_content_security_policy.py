"""Under the Content-Security-Policy (kontum_cp/settings.py) no page of the portal, nor the Django admin, has
anything blocked, and the printable report's print button still works (its script is a static file now).

Chromium reports a blocked script, style, image or frame on the console ("... violates the following Content
Security Policy directive ..."); every console message of every page is collected.
"""
import pytest

from establishments.models import Establishment
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Counts the calls instead of opening the print dialog (headless Chromium has none).
STUB_PRINT = "window.__printed = 0; window.print = function () { window.__printed += 1; };"


@pytest.fixture
def console(page):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(f"page error: {error}"))
    return messages


def _violations(messages):
    return [m for m in messages if "Content Security Policy" in m or "page error" in m]


def _visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")


def test_the_main_pages_break_no_rule_of_the_policy(page, live_server, login, manager_user, official_data,
                                                    console):
    factories.registry_coverage(2018)  # the percentages are judged: the cards show their progress bars
    page.add_init_script(STUB_PRINT)
    login("manager", "pw-manager-123")
    code = Establishment.objects.order_by("code").values_list("code", flat=True).first()
    for path in ("/", "/indicators/dashboard/", "/establishments/", f"/establishments/{code}/",
                 "/indicators/dashboard/cp_adoption/", "/training/", "/guide/"):
        _visit(page, live_server.url + path)
    _visit(page, live_server.url + "/indicators/dashboard/")
    bars = page.locator(".ind-card svg.ind-progress rect")
    assert bars.count() > 0
    # The progress bar is drawn from its rect's width attribute (no style attribute), as wide as the progress.
    for i in range(bars.count()):
        rect = bars.nth(i)
        percent = float(rect.get_attribute("width").rstrip("%"))
        full = rect.evaluate("el => el.ownerSVGElement.getBoundingClientRect().width")
        assert full > 100
        assert rect.evaluate("el => el.getBoundingClientRect().width") == pytest.approx(full * percent / 100, abs=1)

    # A chart opened at full size: matplotlib's SVG styles its shapes inline, which its own policy allows.
    _visit(page, live_server.url + "/indicators/dashboard/charts/by-place.svg")
    _visit(page, live_server.url + "/indicators/dashboard/report/")
    page.click("button[data-print]")
    assert page.evaluate("window.__printed") == 1
    assert _violations(console) == []


def test_the_admin_breaks_no_rule_of_the_policy(page, live_server, login, admin_user_role, official_data,
                                                console):
    factories.establishment()
    login("administrator", "pw-administrator-123")
    est = Establishment.objects.order_by("code").first()
    for path in ("/admin/", "/admin/establishments/establishment/",
                 f"/admin/establishments/establishment/{est.pk}/change/",
                 "/admin/establishments/establishment/add/",
                 f"/admin/establishments/establishment/{est.pk}/history/",
                 "/admin/auth/user/", "/admin/auth/user/add/"):
        _visit(page, live_server.url + path)
    # The changelist's actions bar and a change form's date widgets run the admin's own static scripts.
    _visit(page, live_server.url + "/admin/establishments/establishment/")
    page.check("#action-toggle")
    assert page.locator(".action-counter").inner_text().strip() != ""
    assert _violations(console) == []


def test_the_data_entry_forms_and_their_scripts_break_no_rule_of_the_policy(page, live_server, login,
                                                                            data_entry_user, console):
    est = factories.establishment()
    login("entry", "pw-entry-123")
    _visit(page, f"{live_server.url}/indicators/reports/{est.code}/new/")
    rows = page.locator("input[name$='-quantity']").count()
    page.click("#add-line")  # static/js/report-lines.js copies the row template
    assert page.locator("input[name$='-quantity']").count() > rows
    for path in ("/establishments/new/", f"/establishments/{est.code}/edit/", "/data/"):
        _visit(page, live_server.url + path)
    assert _violations(console) == []
