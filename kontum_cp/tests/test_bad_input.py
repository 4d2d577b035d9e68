"""Garbage in the query string, the URL or a form never gives a server error.

Every page is requested with each GET parameter it reads set to letters,
huge and negative numbers, impossible dates, unknown codes, control
characters and very long text; every URL argument is replaced by the same
kind of garbage; every form is posted with garbage in each field. The
answer must be below 500 (a page, a form with messages, a 404 or a redirect).
The pages, their parameters, their valid form data and their number, date and code
boxes come from the URL table (tests/url_table.py).
"""
import pytest
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from kontum_cp.models import CODE_MESSAGE
from tests.url_table import FORMS, PROGRAMME, no_args

pytestmark = pytest.mark.django_db

GARBAGE = [
    "abc", "1e30", "99999999999999999999", "-1", "0", "", " ", "-99999999999999999999", "2.5",
    "31/02/2020", "99999", "²", "١٢", "NaN", "Infinity", "漢字ữ", "\x00", "x" * 3000, "<script>", "'; --",
]
# URL arguments that the path converter lets through (<str:...> takes anything without a slash,
# <int:...> only digits).
STR_ARGS = ["ZZZ-UNKNOWN", "漢字ữ", "x" * 3000, "%00", "\x00", "-1"]
INT_ARGS = [0, 99999, 99999999999999999999, 10**30]


def _failures(client, url, params):
    client.raise_request_exception = False
    bad = []
    for name in params:
        for value in GARBAGE:
            response = client.get(url, {name: value})
            if response.status_code >= 500:
                bad.append((name, value[:40], response.status_code))
    return bad


@pytest.mark.parametrize("page", PROGRAMME, ids=[page.name for page in PROGRAMME])
def test_garbage_query_parameters_never_break_a_page(admin_client_role, world, page):
    url = page.url(world)
    # The plain GET first: 200, or what the table says (the upload steps without an upload in progress
    # go back to the import page; a POST-only page answers 405).
    assert admin_client_role.get(url).status_code == page.get_status
    assert _failures(admin_client_role, url, page.params) == []


def _argument_variants(args):
    """The page's arguments with one of them replaced by garbage of its kind."""
    for i, arg in enumerate(args):
        for value in INT_ARGS if isinstance(arg, int) else STR_ARGS:
            yield args[:i] + [value] + args[i + 1:]


PAGES_WITH_ARGS = [page for page in PROGRAMME if page.args is not no_args]


@pytest.mark.parametrize("page", PAGES_WITH_ARGS, ids=[page.name for page in PAGES_WITH_ARGS])
def test_garbage_url_arguments_give_not_found_not_an_error(admin_client_role, world, page):
    admin_client_role.raise_request_exception = False
    bad = []
    for variant in _argument_variants(page.args(world)):
        try:
            url = reverse(page.name, args=variant)
        except NoReverseMatch:  # the path converter refuses it: the URL cannot even be formed
            continue
        for method in ("get", "post"):
            status = getattr(admin_client_role, method)(url).status_code
            if status >= 500:
                bad.append((method, str(variant)[:60], status))
    assert bad == []


# --- forms ------------------------------------------------------------------------------------

def _post_rolled_back(client, url, data):
    """POST, then undo whatever it saved, so that every variant starts from the same rows."""
    with transaction.atomic():
        response = client.post(url, data)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("page", FORMS, ids=[page.name for page in FORMS])
def test_garbage_in_any_form_field_never_gives_a_server_error(admin_client_role, world, page):
    admin_client_role.raise_request_exception = False
    url = page.url(world)
    valid = page.form(world)
    assert _post_rolled_back(admin_client_role, url, valid).status_code == 302
    bad = []
    for field in list(valid) + ["version"]:
        for value in GARBAGE:
            status = _post_rolled_back(admin_client_role, url, {**valid, field: value}).status_code
            if status >= 500:
                bad.append((field, value[:40], status))
    assert bad == []


# Number and date boxes typed with text: the form comes back (200) with a message next to the
# field and the text still in the box.
TYPED_NUMBERS = [(page, field) for page in FORMS for field in page.typed]


@pytest.mark.parametrize("value", ["abc", "31/02/2020", "99999999999999999999", "-1", "1e30"])
@pytest.mark.parametrize("page,field", TYPED_NUMBERS, ids=[f"{p.name}-{field}" for p, field in TYPED_NUMBERS])
def test_bad_number_or_date_gets_a_message_and_is_kept(admin_client_role, world, page, field, value):
    response = admin_client_role.post(page.url(world), {**page.form(world), field: value})
    assert response.status_code == 200, (field, value)
    page = response.content.decode()
    assert 'class="error-summary"' in page or 'class="errorlist' in page
    assert f'value="{value}"' in page


CODE_BOXES = [(page, field) for page in FORMS for field in page.codes]


@pytest.mark.parametrize("page,field", CODE_BOXES, ids=[f"{p.name}-{field}" for p, field in CODE_BOXES])
@pytest.mark.parametrize("value", ["KT/01", "KT 01", "..", "-x"])
def test_a_code_that_would_break_its_web_address_is_refused(admin_client_role, world, page, field, value):
    admin_client_role.cookies["django_language"] = "en"
    response = admin_client_role.post(page.url(world), {**page.form(world), field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [str(CODE_MESSAGE)]
    assert f'value="{value}"' in response.content.decode()


def test_a_nul_character_in_the_address_is_a_bad_request(admin_client_role, world):
    # PostgreSQL refuses NUL in any query; SQLite would accept it, so this is checked on both.
    assert admin_client_role.get(reverse("establishments:list"), {"q": "a\x00b"}).status_code == 400
    assert admin_client_role.get(reverse("establishments:detail", args=["KT\x00G1"])).status_code == 400
    assert admin_client_role.get(reverse("establishments:list"), {"q": "ab"}).status_code == 200
