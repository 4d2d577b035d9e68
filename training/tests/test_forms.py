"""Form rules on the training pages: messages next to fields, typed data kept, all or nothing, locking."""
import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kontum_cp.locking import STALE_MESSAGE
from kontum_cp.models import NEGATIVE_MESSAGE
from tests import factories as make
from training.forms import UNKNOWN_ESTABLISHMENT
from training.models import (
    DUPLICATE_ATTENDANCE,
    END_BEFORE_START,
    Attendance,
    Event,
    EventKind,
    Gender,
    Person,
    StaffCategory,
    StaffHeadcount,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def en_client(entry_client):
    entry_client.cookies["django_language"] = "en"
    return entry_client


def _text(response):
    return html.unescape(response.content.decode())


def _msg(lazy, **params):
    with translation.override("en"):
        text = str(lazy)
    return text % params if params else text


def _event_data(**overrides):
    data = {
        "code": "TH-2019-01", "title": "Tập huấn SXSH ngành tinh bột sắn", "kind": EventKind.TRAINING_COURSE,
        "start_date": "02/04/2019", "end_date": "03/04/2019", "place": "Kon Tum", "organiser": "Sở Công Thương",
        "topic": "", "audience_reached": "",
    }
    return {**data, **overrides}


# ---------------------------------------------------------------- events

def test_create_event_redirects_to_its_page(en_client):
    response = en_client.post(reverse("training:event_create"), _event_data())
    event = Event.objects.get(code="TH-2019-01")
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert event.end_date == datetime.date(2019, 4, 3)
    assert event.version == 1


def test_event_errors_next_to_fields_and_typed_data_kept(en_client):
    make.event(code="TAKEN")
    response = en_client.post(
        reverse("training:event_create"), _event_data(code="TAKEN", title="", topic="Nội dung đã gõ")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["code"] == [_msg(Event._meta.get_field("code").error_messages["unique"])]
    assert form.errors["title"] == ["This field is required."]
    page = _text(response)
    assert 'id="id_title_error"' in page and 'id="id_code_error"' in page
    assert "Nội dung đã gõ" in page
    assert Event.objects.count() == 1


def test_event_end_before_start_uses_model_message(en_client):
    response = en_client.post(reverse("training:event_create"), _event_data(end_date="01/04/2019"))
    assert response.status_code == 200
    assert _msg(END_BEFORE_START) in _text(response)
    assert not Event.objects.filter(code="TH-2019-01").exists()


def test_event_messages_in_vietnamese_by_default(entry_client):
    response = entry_client.post(reverse("training:event_create"), _event_data(end_date="01/04/2019"))
    with translation.override("vi"):
        expected = str(END_BEFORE_START)
    assert expected != _msg(END_BEFORE_START)
    assert expected in _text(response)


def test_second_of_two_concurrent_event_saves_is_refused(en_client, admin_user_role):
    event = make.event(code="LOCK-1", title="Original title")
    url = reverse("training:event_edit", args=[event.code])
    opened_version = en_client.get(url).context["form"]["version"].value()

    other = Client()
    other.force_login(admin_user_role)
    first = other.post(url, _event_data(code="LOCK-1", title="Title saved by the administrator",
                                        version=opened_version))
    assert first.status_code == 302

    second = en_client.post(url, _event_data(code="LOCK-1", title="Title typed by data entry",
                                             version=opened_version))
    assert second.status_code == 409  # a conflict, as on every edit page
    page = _text(second)
    assert _msg(STALE_MESSAGE) in page
    assert 'value="Title typed by data entry"' in page  # typed data kept
    assert "Title saved by the administrator" in page  # the other change shown
    event.refresh_from_db()
    assert event.title == "Title saved by the administrator"

    # Saving again from the refused form is a deliberate overwrite and works.
    again = second.context["form"]["version"].value()
    third = en_client.post(url, _event_data(code="LOCK-1", title="Title typed by data entry", version=again))
    assert third.status_code == 302
    event.refresh_from_db()
    assert event.title == "Title typed by data entry"
    assert event.version == 3


def test_edit_event_code_moves_its_page(en_client):
    event = make.event(code="OLD-1")
    response = en_client.post(
        reverse("training:event_edit", args=["OLD-1"]), _event_data(code="NEW-1", version=event.version)
    )
    assert response["Location"] == reverse("training:event_detail", args=["NEW-1"])


# ---------------------------------------------------------------- attendance

def _row(i, **values):
    base = {"person": "", "name": "", "category": "", "organisation": "", "establishment": "",
            "gender": Gender.UNSPECIFIED, "completed": "on"}
    base.update(values)
    if base["completed"] is None:
        base.pop("completed")
    return {f"rows-{i}-{k}": v for k, v in base.items()}


def _rows(*rows):
    data = {"rows-TOTAL_FORMS": str(len(rows)), "rows-INITIAL_FORMS": "0",
            "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "50"}
    for i, row in enumerate(rows):
        data.update(_row(i, **row))
    return data


def test_attendance_existing_and_new_people_saved(en_client):
    event = make.event()
    known = make.person(name="Trần Thị Bình")
    plant = make.establishment(code="KT-0099", name="Nhà máy tinh bột")
    response = en_client.post(
        reverse("training:attendance_add", args=[event.code]),
        _rows(
            {"person": known.pk, "completed": None},
            {"name": "Lê Văn Cường", "category": StaffCategory.TECHNICAL_STAFF, "organisation": "Nhà máy tinh bột",
             "establishment": "KT-0099", "gender": Gender.MALE},
            {},  # an empty row is ignored
        ),
    )
    assert response.status_code == 302
    rows = list(Attendance.objects.filter(event=event).order_by("person__name").values_list(
        "person__name", "completed", "person__establishment__code", "person__gender"))
    assert rows == [("Lê Văn Cường", True, "KT-0099", Gender.MALE), ("Trần Thị Bình", False, None, Gender.FEMALE)]
    assert plant.people.count() == 1


def test_attendance_one_bad_row_saves_nothing(en_client):
    event = make.event()
    people_before = Person.objects.count()
    response = en_client.post(
        reverse("training:attendance_add", args=[event.code]),
        _rows(
            {"name": "Nguyễn Văn Đúng", "category": StaffCategory.GOV_STAFF},
            {"name": "Phạm Thị Thiếu", "category": ""},
        ),
    )
    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert forms[0].errors == {}
    assert list(forms[1].errors) == ["category"]
    page = _text(response)
    assert 'value="Nguyễn Văn Đúng"' in page and 'value="Phạm Thị Thiếu"' in page
    assert Person.objects.count() == people_before
    assert not Attendance.objects.filter(event=event).exists()


def test_duplicate_attendance_rolls_back_new_people_of_other_rows(en_client):
    event = make.event()
    already = make.attendance(event).person
    response = en_client.post(
        reverse("training:attendance_add", args=[event.code]),
        _rows(
            {"name": "Người mới hợp lệ", "category": StaffCategory.GOV_STAFF},
            {"person": already.pk},
        ),
    )
    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert forms[1].non_field_errors() == [_msg(DUPLICATE_ATTENDANCE)]
    assert forms[0].errors == {}
    assert _msg(DUPLICATE_ATTENDANCE) in _text(response)
    # The first row's new person was created inside the transaction and rolled back.
    assert not Person.objects.filter(name="Người mới hợp lệ").exists()
    assert Attendance.objects.filter(event=event).count() == 1


def test_same_person_twice_in_one_entry_is_refused(en_client):
    event = make.event()
    person = make.person()
    response = en_client.post(
        reverse("training:attendance_add", args=[event.code]),
        _rows({"person": person.pk}, {"person": person.pk}),
    )
    assert response.context["formset"].forms[1].non_field_errors() == [_msg(DUPLICATE_ATTENDANCE)]
    assert not Attendance.objects.filter(event=event).exists()


def test_new_technical_staff_needs_establishment_and_a_known_code(en_client):
    event = make.event()
    response = en_client.post(
        reverse("training:attendance_add", args=[event.code]),
        _rows(
            {"name": "Kỹ thuật viên A", "category": StaffCategory.TECHNICAL_STAFF},
            {"name": "Kỹ thuật viên B", "category": StaffCategory.TECHNICAL_STAFF, "establishment": "NOPE-1"},
        ),
    )
    forms = response.context["formset"].forms
    assert forms[1].errors["establishment"] == [_msg(UNKNOWN_ESTABLISHMENT, code="NOPE-1")]
    assert 'value="NOPE-1"' in _text(response)
    # Row B failed in the form, so the service never ran: fix B and row A's model rule shows.
    plant = make.establishment()
    response = en_client.post(
        reverse("training:attendance_add", args=[event.code]),
        _rows(
            {"name": "Kỹ thuật viên A", "category": StaffCategory.TECHNICAL_STAFF},
            {"name": "Kỹ thuật viên B", "category": StaffCategory.TECHNICAL_STAFF, "establishment": plant.code},
        ),
    )
    forms = response.context["formset"].forms
    assert forms[0].errors["establishment"] == [
        "Technical staff of an establishment need the establishment they work at."
    ]
    assert not Person.objects.filter(name__startswith="Kỹ thuật viên").exists()


def test_empty_attendance_entry_asks_for_a_row(en_client):
    event = make.event()
    response = en_client.post(reverse("training:attendance_add", args=[event.code]), _rows({}, {}))
    assert response.status_code == 200
    assert "Fill in at least one row." in _text(response)


def test_search_keeps_the_typed_rows_and_saves_nothing(en_client):
    event = make.event()
    known = make.person(name="Hoàng Thị Tìm", organisation="Công ty Cao su")
    typed = {"name": "Lê Văn Mới", "category": StaffCategory.TECHNICAL_STAFF, "organisation": "Nhà máy đường",
             "establishment": "KT-CHUA-CO", "gender": Gender.MALE, "completed": None}
    response = en_client.post(
        reverse("training:attendance_add", args=[event.code]),
        {**_rows({}, typed, {"organisation": "Chỉ có đơn vị"}), "q": "Hoàng", "search": "1"},
    )
    assert response.status_code == 200
    assert response.context["results"] == [known]
    page = _text(response)
    for value in ("Lê Văn Mới", "Nhà máy đường", "KT-CHUA-CO", "Chỉ có đơn vị"):
        assert f'value="{value}"' in page
    assert '<option value="technical_staff" selected>' in page and '<option value="male" selected>' in page
    assert '<input type="checkbox" name="rows-0-completed" id="id_rows-0-completed">' in page  # still unticked
    assert f'id="pick-{known.pk}"' in page
    # A search is not a save: no row is marked wrong (the last row has no name yet), nothing is written.
    assert "error-summary" not in page and not response.context["formset"].is_bound
    assert not Person.objects.filter(name="Lê Văn Mới").exists()
    assert not Attendance.objects.filter(event=event).exists()


def test_people_ticked_in_the_results_join_the_typed_rows_then_all_are_saved(en_client):
    event = make.event()
    known = make.person(name="Hoàng Thị Tìm")
    url = reverse("training:attendance_add", args=[event.code])
    typed = {"name": "Lê Văn Mới", "category": StaffCategory.GOV_STAFF}
    response = en_client.post(url, {**_rows({}, typed), "q": "Hoàng", "add": [known.pk], "add_chosen": "1"})
    forms = response.context["formset"].forms
    assert [(f.chosen_person, f["name"].value()) for f in forms[:2]] == [(None, "Lê Văn Mới"), (known, None)]
    assert len(forms) == 2 + 3  # empty rows dropped, three fresh ones for new people
    assert f'id="pick-{known.pk}"' not in _text(response)  # now in the list below
    assert not Attendance.objects.filter(event=event).exists()
    # A person ticked but not yet added is saved with the rows rather than lost.
    other = make.person(name="Hoàng Văn Khác")
    response = en_client.post(url, {**_rows(typed, {"person": known.pk}), "q": "Hoàng", "add": [other.pk]})
    assert response.status_code == 302
    assert sorted(Attendance.objects.filter(event=event).values_list("person__name", flat=True)) == [
        "Hoàng Thị Tìm", "Hoàng Văn Khác", "Lê Văn Mới",
    ]


@pytest.mark.parametrize("garbage", ["abc", "-1", "0", "99999999999999999999", "1e30", "\x00", "x" * 3000])
def test_search_with_garbage_shows_the_page_again(en_client, garbage):
    event = make.event()
    data = {**_rows({"name": "Lê Văn Mới", "person": garbage}), "rows-TOTAL_FORMS": garbage,
            "q": garbage, "add": [garbage, garbage], "search": "1"}
    response = en_client.post(reverse("training:attendance_add", args=[event.code]), data)
    assert response.status_code == 200
    assert not Attendance.objects.exists()


def test_search_then_choose_prefills_rows(en_client):
    event = make.event()
    wanted = make.person(name="Hoàng Thị Tìm", organisation="Công ty Cao su")
    make.person(name="Người khác", organisation="Sở Tài chính")
    attending = make.person(name="Hoàng Văn Đã Có")
    make.attendance(event, attending)
    url = reverse("training:attendance_add", args=[event.code])
    response = en_client.get(url, {"q": "Hoàng"})
    assert [p.name for p in response.context["results"]] == ["Hoàng Thị Tìm", "Hoàng Văn Đã Có"]
    page = _text(response)
    assert f'name="add" value="{wanted.pk}"' in page
    assert f'name="add" value="{attending.pk}"' not in page  # already recorded: not offered
    assert en_client.get(url, {"q": "Cao su"}).context["results"] == [wanted]
    response = en_client.get(url, {"add": [wanted.pk]})
    forms = response.context["formset"].forms
    assert forms[0].chosen_person == wanted
    assert len(forms) == 4  # the chosen person + 3 rows for new people


def test_remove_attendance_keeps_the_person(en_client):
    event = make.event()
    attendance = make.attendance(event)
    url = reverse("training:attendance_remove", args=[attendance.pk])
    assert attendance.person.name in _text(en_client.get(url))
    response = en_client.post(url)
    assert response["Location"] == event.get_absolute_url()
    assert not Attendance.objects.filter(pk=attendance.pk).exists()
    assert Person.objects.filter(pk=attendance.person_id).exists()


def test_mark_completion(en_client):
    attendance = make.attendance(make.event(), completed=True)
    url = reverse("training:attendance_completion", args=[attendance.pk])
    en_client.post(url, {"completed": "0"})
    attendance.refresh_from_db()
    assert attendance.completed is False
    en_client.post(url, {"completed": "1"})
    attendance.refresh_from_db()
    assert attendance.completed is True


# ---------------------------------------------------------------- people

def test_person_edit_and_stale_refusal(en_client, admin_user_role):
    person = make.person(name="Tên cũ")
    url = reverse("training:person_edit", args=[person.pk])
    version = en_client.get(url).context["form"]["version"].value()
    data = {"name": "Tên mới", "category": StaffCategory.CP_STAFF, "organisation": "", "establishment": "",
            "gender": Gender.MALE, "version": version}
    assert en_client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert (person.name, person.category, person.version) == ("Tên mới", StaffCategory.CP_STAFF, 2)
    response = en_client.post(url, {**data, "name": "Tên thứ ba"})  # still carries version 1
    assert response.status_code == 409
    assert _msg(STALE_MESSAGE) in _text(response)
    assert 'value="Tên thứ ba"' in _text(response)
    person.refresh_from_db()
    assert person.name == "Tên mới"


# ---------------------------------------------------------------- headcounts

def _headcount_data(year="2019", **numbers):
    data = {"year": year, "note": ""}
    for value in StaffCategory.values:
        data[f"n_{value}"] = numbers.get(value, "")
    return data


def test_headcount_year_created(en_client):
    response = en_client.post(reverse("training:headcount_create"),
                              _headcount_data(gov_staff="12", cp_staff="4"))
    assert response.status_code == 302
    assert dict(StaffHeadcount.objects.filter(year=2019).values_list("category", "headcount")) == {
        "gov_staff": 12, "cp_staff": 4,
    }


def test_headcount_duplicate_year_and_negative_get_model_messages(en_client):
    make.headcount(2019, StaffCategory.GOV_STAFF, 10)
    response = en_client.post(reverse("training:headcount_create"),
                              _headcount_data(gov_staff="12", cp_staff="-3", other="2"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["n_gov_staff"] == ["A headcount for this year and category already exists."]
    assert form.errors["n_cp_staff"] == [_msg(NEGATIVE_MESSAGE)]
    assert 'value="-3"' in _text(response)
    # All or nothing: the valid "other" row was not kept.
    assert list(StaffHeadcount.objects.values_list("year", "category", "headcount")) == [(2019, "gov_staff", 10)]


def test_headcount_edit_changes_and_blank_removes(en_client):
    make.headcount(2018, StaffCategory.GOV_STAFF, 10)
    make.headcount(2018, StaffCategory.OTHER, 3)
    url = reverse("training:headcount_edit", args=[2018])
    form = en_client.get(url).context["form"]
    assert form["n_gov_staff"].value() == 10
    response = en_client.post(url, {**_headcount_data(year="1999", gov_staff="11", manager="7"),
                                    "opened": form["opened"].value()})
    assert response.status_code == 302
    # The year of an existing set is fixed; the posted "1999" is ignored.
    assert dict(StaffHeadcount.objects.filter(year=2018).values_list("category", "headcount")) == {
        "gov_staff": 11, "manager": 7,
    }
    assert not StaffHeadcount.objects.filter(year=1999).exists()


def test_headcount_year_out_of_range(en_client):
    response = en_client.post(reverse("training:headcount_create"), _headcount_data(year="1980", gov_staff="1"))
    assert response.context["form"].errors["year"] == ["The year must be between 1990 and 2100."]
    assert not StaffHeadcount.objects.exists()


def test_person_already_in_the_rows_is_not_offered_again(en_client):
    event = make.event()
    chosen = make.person(name="Đinh Văn Chọn")
    other = make.person(name="Đinh Thị Khác")
    url = reverse("training:attendance_add", args=[event.code])
    response = en_client.get(url, {"q": "Đinh", "add": [chosen.pk, chosen.pk]})
    page = _text(response)
    assert [f.chosen_person for f in response.context["formset"].forms if f.chosen_person] == [chosen]
    assert f'id="pick-{chosen.pk}"' not in page
    assert f'id="pick-{other.pk}"' in page
    # The chosen person travels in their row (the search is part of the same form), once.
    assert re.findall(r'name="rows-(\d+)-person" value="%d"' % chosen.pk, page) == ["0"]


def test_headcounts_changed_meanwhile_are_not_overwritten(en_client):
    make.headcount(2018, StaffCategory.GOV_STAFF, 10)
    url = reverse("training:headcount_edit", args=[2018])
    opened = en_client.get(url).context["form"]["opened"].value()
    # Somebody else saves the year while this form is open.
    StaffHeadcount.objects.filter(year=2018).update(headcount=12)
    response = en_client.post(url, {**_headcount_data(year="2018", gov_staff="11"), "opened": opened})
    assert response.status_code == 409
    assert StaffHeadcount.objects.get(year=2018).headcount == 12
    page = _text(response)
    assert _msg(STALE_MESSAGE) in page and "Government staff: 12" in page
    assert 'value="11"' in page  # what was typed is kept
    # Saving again from the refused form is a deliberate overwrite.
    again = response.context["form"]["opened"].value()
    response = en_client.post(url, {**_headcount_data(year="2018", gov_staff="11"), "opened": again})
    assert response.status_code == 302
    assert StaffHeadcount.objects.get(year=2018).headcount == 11


def test_people_with_ids_above_999_can_be_picked(en_client):
    # Ids are written without a thousands separator ("1,234" would not come back as a number).
    event = make.event()
    person = Person.objects.create(pk=12345, name="Hoàng Thị Nghìn", category=StaffCategory.GOV_STAFF)
    url = reverse("training:attendance_add", args=[event.code])
    page = _text(en_client.get(url, {"q": "Nghìn"}))
    assert 'name="add" value="12345" id="pick-12345"' in page and 'for="pick-12345"' in page
    response = en_client.get(url, {"add": ["12345"]})
    assert response.context["formset"].forms[0].chosen_person == person
    assert 'name="rows-0-person" value="12345"' in _text(response)
