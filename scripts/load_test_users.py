"""The simulated users of `scripts/load_test.py` (a locustfile; locust is in requirements-dev.txt).

Three roles, as the portal's groups (kontum_cp/roles.py): a Manager, a Data entry clerk and an Administrator.
Each simulated user signs in through the real sign-in form (CSRF token and all), then reads pages with a short
pause between them: the dashboard and an indicator's drill-down, the lists, the detail pages of establishments
and annual reports, and (data entry and administrators, who may change reports) the annual report form. Nothing
is written. Accounts and the records to read come from the files that load_test.py writes (environment:
LOAD_TEST_ACCOUNTS, LOAD_TEST_RECORDS).
"""
import json
import os
import random
import re

from locust import HttpUser, between, constant, task

ACCOUNTS = json.loads(os.environ["LOAD_TEST_ACCOUNTS"])
with open(os.environ["LOAD_TEST_RECORDS"], encoding="utf-8") as _file:
    RECORDS = json.load(_file)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
THINK = float(os.environ.get("LOAD_TEST_THINK", "0"))  # most seconds a user waits between pages


class PortalUser(HttpUser):
    abstract = True
    role = None
    wait_time = between(0, THINK) if THINK > 0 else constant(0)

    def on_start(self):
        username, password = ACCOUNTS[self.role]
        page = self.client.get("/accounts/login/", name="sign-in form")
        token = TOKEN.search(page.text)
        with self.client.post("/accounts/login/", name="sign-in", catch_response=True,
                              data={"username": username, "password": password,
                                    "csrfmiddlewaretoken": token.group(1) if token else ""}) as response:
            if response.url.rstrip("/").endswith("/accounts/login") or response.status_code != 200:
                response.failure(f"sign-in refused ({response.status_code})")

    def page(self, path, name):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif "/accounts/login/" in response.url:
                response.failure("signed out")

    @task(4)
    def dashboard(self):
        self.page("/indicators/dashboard/", "dashboard")

    @task(1)
    def drill_down(self):
        self.page("/indicators/dashboard/cp_adoption/", "dashboard drill-down")

    @task(2)
    def establishment_list(self):
        self.page(f"/establishments/?page={random.randint(1, RECORDS['establishment_pages'])}", "establishment list")

    @task(1)
    def other_lists(self):
        path, name = random.choice([("/indicators/reports/", "report list"),
                                    ("/establishments/measures/", "measure list"),
                                    ("/training/", "event list")])
        self.page(path, name)

    @task(3)
    def establishment_detail(self):
        self.page(f"/establishments/{random.choice(RECORDS['establishments'])}/", "establishment page")

    @task(2)
    def report_detail(self):
        self.report_page("", "report page")

    def report_page(self, suffix, name):
        """One of the annual reports, at random: its page ("") or its form ("edit/")."""
        code, year = random.choice(RECORDS["reports"])
        self.page(f"/indicators/reports/{code}/{year}/{suffix}", name)


# What each role does besides reading (task functions with their weights, as locust's `tasks` takes them).

def printable_report(user):
    user.page("/indicators/dashboard/report/", "printable report")


def report_form(user):
    user.report_page("edit/", "report form")


def admin_list(user):
    user.page("/admin/establishments/establishment/", "admin list")


class Manager(PortalUser):
    role, weight = "manager", 2
    tasks = {printable_report: 1}


class DataEntry(PortalUser):
    role, weight = "data_entry", 2
    tasks = {report_form: 2}


class Administrator(PortalUser):
    role, weight = "administrator", 1
    tasks = {report_form: 2, admin_list: 1}
