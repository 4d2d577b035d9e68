"""Every drill-down row links to the record it lists: establishment, annual report, person."""
import pytest
from django.urls import reverse

from . import dashboard_data as d

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    plan = d.plan(cp_adoption=15, energy_intensity_reduction=(5, 8, 2020), gov_staff_disseminated=100,
                  technical_staff_trained=25)
    applying = d.est(code="HX-01", baseline=2016, technical=4)
    d.measure(applying, 2017)
    d.report(applying, 2016, 100, electricity=1000)
    d.report(applying, 2018, 100, electricity=900)
    d.assist(applying, 2017)
    course = d.event(2017, kind="training_course")
    officer = d.person("gov_staff")
    technician = d.person("technical_staff", e=applying)
    d.attend(officer, course)
    d.attend(technician, course)
    d.headcount(2018, "gov_staff", 5)
    return plan, applying, officer, technician


def _drill(client, plan, code):
    url = reverse("indicators:indicator_detail", args=[code])
    return client.get(url, {"plan": plan.pk, "year": 2018}).content.decode()


def test_establishment_rows_link_to_the_establishment(manager_client, world):
    plan, applying, _officer, _technician = world
    link = f'href="{applying.get_absolute_url()}"'
    for code in ("cp_adoption", "establishments_disseminated", "establishments_assisted",
                 "energy_intensity_reduction", "technical_staff_trained"):
        assert link in _drill(manager_client, plan, code), code


def test_reduction_rows_link_to_both_reports(manager_client, world):
    plan, applying, _officer, _technician = world
    html = _drill(manager_client, plan, "energy_intensity_reduction")
    for year in (2016, 2018):
        assert f'href="{reverse("indicators:report_detail", args=[applying.code, year])}"' in html


def test_people_rows_link_to_the_person(manager_client, world):
    plan, applying, officer, technician = world
    assert f'href="{reverse("training:person_detail", args=[officer.pk])}"' in _drill(
        manager_client, plan, "gov_staff_disseminated")
    html = _drill(manager_client, plan, "technical_staff_trained")
    assert f'href="{reverse("training:person_detail", args=[technician.pk])}"' in html
