"""A data-entry user records a training course and its attendance; a manager only reads it."""
import datetime

import pytest

from tests.browser.helpers import fill_form
from training.models import Attendance, Event, Gender, Person, StaffCategory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_training_course_and_attendance(page, live_server, login, data_entry_user, manager_user):
    known = Person.objects.create(
        name="Hoàng Thị Lan", category=StaffCategory.CP_STAFF, organisation="Công ty Cao su Kon Tum",
        gender=Gender.FEMALE,
    )

    login("entry", "pw-entry-123")
    page.goto(f"{live_server.url}/training/")
    page.click("a[href='/training/events/new/']")
    fill_form(page, {
        "#id_code": "TH-2019-05", "#id_title": "Tập huấn SXSH cho ngành chế biến cà phê",
        "#id_kind": "training_course", "#id_start_date": "14/05/2019", "#id_end_date": "15/05/2019",
        "#id_place": "Thành phố Kon Tum",
    })
    page.click("#save-event")
    page.wait_for_load_state()
    assert page.url.endswith("/training/events/TH-2019-05/")
    assert "TH-2019-05" in page.locator("h1").inner_text()

    page.click("a[href='/training/events/TH-2019-05/attendance/']")
    page.fill("#find-q", "Cao su")
    page.click("#find-people")
    page.check(f"#pick-{known.pk}")
    page.click("#add-chosen")
    page.wait_for_load_state()
    assert page.locator(".row-person").inner_text() == "Hoàng Thị Lan"
    page.uncheck("#id_rows-0-completed")  # she did not finish the course

    # JavaScript adds rows; the new person goes into the last one.
    page.click("#add-row")
    assert page.input_value("#id_rows-TOTAL_FORMS") == "5"
    fill_form(page, {
        "#id_rows-4-name": "Y Đức", "#id_rows-4-category": "gov_staff", "#id_rows-4-organisation": "Sở Công Thương",
        "#id_rows-4-gender": "male",
    })
    page.click("#save-attendance")
    page.wait_for_load_state()

    assert page.url.endswith("/training/events/TH-2019-05/")
    table = page.locator("#attendance table").inner_text()
    assert "Hoàng Thị Lan" in table and "Y Đức" in table
    rows = {r.locator("td").first.inner_text(): r.inner_text() for r in page.locator("#attendance tbody tr").all()}
    assert "✗" in rows["Hoàng Thị Lan"]
    assert "✓" in rows["Y Đức"]
    event = Event.objects.get(code="TH-2019-05")
    assert sorted(Attendance.objects.filter(event=event).values_list("person__name", "completed")) == [
        ("Hoàng Thị Lan", False), ("Y Đức", True),
    ]

    # The manager sees the same event and no edit controls.
    page.context.clear_cookies()
    login("manager", "pw-manager-123")
    page.goto(f"{live_server.url}/training/events/TH-2019-05/")
    assert "Y Đức" in page.locator("#attendance").inner_text()
    assert page.locator("a[href$='/edit/']").count() == 0
    assert page.locator("a[href$='/attendance/']").count() == 0
    assert page.locator("a[href*='/remove/']").count() == 0
    assert page.locator("main form").count() == 0
    page.goto(f"{live_server.url}/training/")
    assert page.locator("a[href='/training/events/new/']").count() == 0
    assert "TH-2019-05" in page.locator("main table").inner_text()


def _open_attendance_through_the_menus(page, live_server, code):
    page.goto(f"{live_server.url}/")
    page.click("nav.mainnav a[href='/training/']")
    page.click(f"main table a[href='/training/events/{code}/']")
    page.click(f"main .actions a[href='/training/events/{code}/attendance/']")
    page.wait_for_load_state()
    assert page.url.endswith(f"/training/events/{code}/attendance/")


def _type_new_person(page):
    page.fill("#id_rows-0-name", "Y Đức")
    page.select_option("#id_rows-0-category", "gov_staff")
    page.fill("#id_rows-0-organisation", "Sở Công Thương")
    page.select_option("#id_rows-0-gender", "male")


def _typed_row_is_still_there(page):
    assert page.input_value("#id_rows-0-name") == "Y Đức"
    assert page.input_value("#id_rows-0-category") == "gov_staff"
    assert page.input_value("#id_rows-0-organisation") == "Sở Công Thương"
    assert page.input_value("#id_rows-0-gender") == "male"


def _search_keeps_typed_rows(page, live_server, login, *, with_javascript):
    event = Event.objects.create(code="TH-2019-06", title="Tập huấn SXSH ngành đường", kind="training_course",
                                 start_date=datetime.date(2019, 6, 4))
    known = Person.objects.create(name="Hoàng Thị Lan", category=StaffCategory.CP_STAFF,
                                  organisation="Công ty Cao su Kon Tum", gender=Gender.FEMALE)
    login("entry", "pw-entry-123")
    _open_attendance_through_the_menus(page, live_server, event.code)
    assert page.is_visible("#add-row") is with_javascript  # a button that needs JavaScript
    _type_new_person(page)
    loads = []
    page.on("load", lambda loaded: loads.append(loaded.url))
    page.fill("#find-q", "Cao su")
    page.click("#find-people")
    page.wait_for_selector(f"#pick-{known.pk}")
    # With JavaScript the search stays on the page; without, the page comes back with the typed rows.
    assert len(loads) == (0 if with_javascript else 1)
    _typed_row_is_still_there(page)
    assert not Attendance.objects.exists()

    page.check(f"#pick-{known.pk}")
    page.click("#add-chosen")
    page.wait_for_load_state()
    _typed_row_is_still_there(page)
    assert page.locator(".row-person").inner_text() == "Hoàng Thị Lan"
    page.click("#save-attendance")
    page.wait_for_load_state()
    assert page.url.endswith("/training/events/TH-2019-06/")
    names = page.locator("#attendance tbody tr td:first-child").all_inner_texts()
    assert sorted(names) == ["Hoàng Thị Lan", "Y Đức"]
    assert sorted(Attendance.objects.filter(event=event).values_list("person__name", flat=True)) == [
        "Hoàng Thị Lan", "Y Đức",
    ]


def test_search_keeps_the_rows_already_typed(page, live_server, login, data_entry_user):
    _search_keeps_typed_rows(page, live_server, login, with_javascript=True)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_search_keeps_the_rows_already_typed_without_javascript(page, live_server, login, data_entry_user):
    _search_keeps_typed_rows(page, live_server, login, with_javascript=False)
