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
        code, year = random.choice(RECORDS["reports"])
        self.page(f"/indicators/reports/{code}/{year}/", "report page")


class Manager(PortalUser):
    role = "manager"
    weight = 2

    @task(1)
    def printable_report(self):
        self.page("/indicators/dashboard/report/", "printable report")


class DataEntry(PortalUser):
    role = "data_entry"
    weight = 2

    @task(2)
    def report_form(self):
        code, year = random.choice(RECORDS["reports"])
        self.page(f"/indicators/reports/{code}/{year}/edit/", "report form")


class Administrator(DataEntry):
    """Opens the report form as data entry does, and the admin."""

    role = "administrator"
    weight = 1

    @task(1)
    def admin_list(self):
        self.page("/admin/establishments/establishment/", "admin list")
