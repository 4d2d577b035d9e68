"""Validation rules of events, people, attendance and staff headcounts."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from establishments.models import Establishment
from kontum_cp.testing import NEGATIVE, NEGATIVE_VI, YEAR, YEAR_VI, assert_refused
from training.models import Attendance, Event, Person, StaffHeadcount

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    return Event.objects.create(code="EV-1", title="Hội thảo", kind="workshop", start_date=datetime.date(2015, 5, 4))


@pytest.fixture
def person():
    return Person.objects.create(name="Nguyễn Thị Lan", category="gov_staff", gender="female")


def test_attending_one_event_twice_is_refused(workshop, person):
    Attendance.objects.create(event=workshop, person=person)
    assert_refused(Attendance(event=workshop, person=person, completed=False), None,
                   "This person is already recorded at this event.",
                   "Người này đã có tên trong danh sách tham dự sự kiện.")


def test_the_same_person_may_attend_another_event(workshop, person):
    Attendance.objects.create(event=workshop, person=person)
    other = Event.objects.create(code="EV-2", title="Khóa", kind="training_course",
                                 start_date=datetime.date(2016, 1, 4))
    Attendance(event=other, person=person).full_clean()


def test_event_ending_before_it_starts_is_refused():
    event = Event(code="EV-3", title="T", kind="workshop", start_date=datetime.date(2015, 5, 4),
                  end_date=datetime.date(2015, 5, 3))
    assert_refused(event, None, "The end date cannot be before the start date.",
                   "Ngày kết thúc không thể trước ngày bắt đầu.")


@pytest.mark.parametrize("start", [datetime.date(1989, 12, 31), datetime.date(2101, 1, 1)])
def test_event_date_outside_1990_2100_is_refused(start):
    event = Event(code="EV-4", title="T", kind="workshop", start_date=start)
    assert_refused(event, None, "The date must be between 1990 and 2100.")


def test_negative_audience_is_refused():
    event = Event(code="EV-5", title="T", kind="media", start_date=datetime.date(2015, 5, 4), audience_reached=-1)
    assert_refused(event, "audience_reached", NEGATIVE, NEGATIVE_VI)


def test_negative_headcount_is_refused():
    assert_refused(StaffHeadcount(year=2015, category="gov_staff", headcount=-3), "headcount", NEGATIVE, NEGATIVE_VI)


@pytest.mark.parametrize("year", [1989, 2101])
def test_headcount_year_outside_range_is_refused(year):
    assert_refused(StaffHeadcount(year=year, category="gov_staff", headcount=3), "year", YEAR, YEAR_VI)


def test_second_headcount_for_a_year_and_category_is_refused():
    StaffHeadcount.objects.create(year=2015, category="cp_staff", headcount=4)
    assert_refused(StaffHeadcount(year=2015, category="cp_staff", headcount=5), None,
                   "A headcount for this year and category already exists.",
                   "Đã có số lượng cán bộ cho năm và đối tượng này.")


def test_technical_staff_need_their_establishment():
    person = Person(name="Trần Văn Nam", category="technical_staff")
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            person.full_clean()
        assert caught.value.message_dict == {
            "establishment": ["Technical staff of an establishment need the establishment they work at."]
        }
    person.establishment = Establishment.objects.create(code="T-1", name="Plant")
    person.full_clean()
