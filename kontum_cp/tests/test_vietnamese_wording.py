"""Every page read in Vietnamese, as each role, shows no English word of the interface.

The pages are those of the URL table that every access and bad-input test reads (`tests/url_table.py`),
with the official data loaded and a record of every kind added, so that detail and edit pages exist; the
Django admin's index, a change list and a change form are read too.

What counts as an English word: a word of the project's messages (the msgids of the catalogue, which also
holds the admin's strings that Django lacks in Vietnamese, and of Django's own admin catalogue) that never
appears in a Vietnamese translation. A Vietnamese syllable without diacritics ("tin", "cho", "khi") or a code
that translations quote ("electricity", "CSV") is therefore never taken for English, and a new message that
somebody forgets to translate is caught with no list to keep. The text read is what people see: the page's
text without scripts and styles, and the titles, labels, placeholders, image texts and button values. Left
out: machine identifiers in <code>, text marked as another language (the switch's "English"), and the
English names the official report gives the enterprises (data, quoted in their notes).
"""
import datetime
import gettext
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from establishments.models import Establishment
from indicators.models import ActionPlan
from kontum_cp.roles import ADMINISTRATOR, DATA_ENTRY, MANAGER
from tests import factories as f
from tests.url_table import PROGRAMME
from training.models import Attendance, Event, Person, StaffHeadcount

pytestmark = pytest.mark.django_db

# Not read: pages that are not HTML (exports, charts, downloads), that only redirect without an upload in
# progress, or that answer only a POST.
HTML_PAGES = [page for page in PROGRAMME if page.html and page.get_status == 200]
ADMIN_PAGES = ["admin:index", "admin:establishments_establishment_changelist", "admin:auth_group_changelist",
               "admin:auth_user_changelist", "admin:indicators_reportedvalue_changelist"]
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
WORD = re.compile(r"[A-Za-z]{3,}")
IDENTIFIER = re.compile(r"\w+")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|\{\w*\}")


def words_of(text):
    """The words of a text, leaving out codes ("in_progress", "KT-0001") and placeholders ("%(year)s")."""
    return [w for w in IDENTIFIER.findall(PLACEHOLDER.sub(" ", text)) if WORD.fullmatch(w)]
# Names and codes that are English on purpose (none of them a word of the interface's messages today;
# listed so that a future message using one of them does not make this test flaky).
ALLOWED = {"sxsh", "csv", "xlsx", "excel", "pdf", "utf", "kon", "tum", "english", "ldap"}


def _catalogue_words(path):
    """(words of the msgids, words of the translations) of a compiled catalogue."""
    with open(path, "rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    english, vietnamese = set(), set()
    for msgid, msgstr in catalog.items():
        if not msgid or (isinstance(msgid, tuple) and not msgid[0]):
            continue  # the header
        msgid = msgid[0] if isinstance(msgid, tuple) else msgid
        english |= {w.lower() for w in words_of(msgid.split("\x04")[-1])}
        vietnamese |= {w.lower() for w in words_of(msgstr)}
    return english, vietnamese


@cache
def english_words():
    english, vietnamese = set(), set()
    django_locale = Path(django.__file__).parent / "contrib" / "admin" / "locale" / "vi" / "LC_MESSAGES"
    for path in [Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES" / "django.mo", django_locale / "django.mo"]:
        e, v = _catalogue_words(path)
        english |= e
        vietnamese |= v
    return frozenset(english - vietnamese - ALLOWED)


class VisibleText(HTMLParser):
    """The text a person sees on a page, and the attribute texts they see or hear."""

    SKIPPED = {"script", "style", "code", "template"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.stack = []  # (tag, skipped)

    def _skipping(self):
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        other_language = attrs.get("lang") not in (None, "vi")
        if not self._skipping() and not other_language:
            self.parts += [attrs[name] for name in ATTRIBUTES if attrs.get(name)]
            if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
                self.parts.append(attrs["value"])
        if tag not in self.VOID:
            self.stack.append((tag, tag in self.SKIPPED or other_language))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self._skipping():
            self.parts.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def vietnamese_data_words():
    """Words of the Vietnamese reference data that are also English ("Than", coal)."""
    from establishments.models import Place, Sector
    from indicators.models import ResourceType

    names = [n for model in (Place, Sector, ResourceType) for n in model.objects.values_list("name_vi", flat=True)]
    return {w.lower() for w in words_of(" ".join(names))}


def english_left(html, data_phrases=(), data_words=frozenset()):
    text = visible_text(html)
    for phrase in data_phrases:
        text = text.replace(phrase, " ")
    words = english_words() - data_words
    return sorted({w for w in words_of(text) if w.lower() in words})


@pytest.fixture
def records(official_data):
    """A record of every kind beside the official data, with the codes of the URL table."""
    est = f.establishment(code="KT-G1", name="Nhà máy thử")
    measure = f.measure(est, title="Quản lý nội vi")
    assistance = f.assistance(est, description="Khảo sát nhà máy")
    f.report(est, 2017, 1000, {"electricity": 200000, "water": 20000}, product="Tinh bột sắn")
    event = Event.objects.create(code="EV-G1", title="Tập huấn sản xuất sạch hơn", kind="training_course",
                                 start_date=datetime.date(2018, 5, 10))
    person = Person.objects.create(name="Nguyễn Văn An", category="gov_staff", organisation="Sở Công Thương")
    attendance = Attendance.objects.create(event=event, person=person)
    StaffHeadcount.objects.create(year=2018, category="gov_staff", headcount=10)
    publication = f.publication(ActionPlan.objects.get(decision_number="835/QĐ-UBND"), 2018)
    return {"est": est, "measure": measure, "assistance": assistance, "event": event, "person": person,
            "attendance": attendance, "publication": publication}


def official_english_names():
    """The enterprises' names in the English version of the 2018 report, quoted in their Vietnamese notes."""
    names = []
    for notes in Establishment.objects.values_list("notes", flat=True):
        if match := re.search(r"\(bản tiếng Anh\): (.+?)\. ", notes):
            names.append(match.group(1))
    return names


ROLES = {DATA_ENTRY: "Trần Thị Bình", MANAGER: "Lê Văn Cường", ADMINISTRATOR: "Phạm Thị Dung"}


def signed_in(client, role):
    last, first = ROLES[role].rsplit(" ", 1)
    username = {DATA_ENTRY: "binh", MANAGER: "cuong", ADMINISTRATOR: "dung"}[role]
    user = get_user_model().objects.create_user(username=username, password="pw-12345678",
                                                first_name=first, last_name=last)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return client


def test_the_detector_knows_english_interface_words_and_no_vietnamese_syllable():
    words = english_words()
    assert {"save", "edit", "baseline", "show", "counts", "resource", "establishment"} <= words
    assert not {"tin", "cho", "khi", "nay", "con", "electricity", "csv"} & words


def test_the_detector_reads_what_people_see():
    html = ('<html lang="vi"><head><title>Tổng quan</title><style>.save{}</style></head><body>'
            '<script>var edit = 1;</script><p title="Show counts">Lưu</p><input type="submit" value="Save">'
            '<button lang="en">English</button><code>baseline_year</code><img alt="Năm cơ sở"></body></html>')
    assert english_left(html) == ["Save", "Show", "counts"]


@pytest.mark.parametrize("role", [DATA_ENTRY, MANAGER, ADMINISTRATOR])
def test_every_page_reads_in_vietnamese(client, records, role):
    client = signed_in(client, role)
    names, data_words = official_english_names(), vietnamese_data_words()
    found = {}
    for page in HTML_PAGES:
        url = page.url(records)
        response = client.get(url)
        assert response.status_code in (200, 403), (url, response.status_code)
        if left := english_left(response.content.decode(), names, data_words):
            found[url] = left
    # The dashboard and the printed report of the national strategy too (its own targets and texts).
    for name in ("indicators:dashboard", "indicators:dashboard_report"):
        url = reverse(name) + "?plan=1419/QĐ-TTg&year=2015&annex=1"
        if left := english_left(client.get(url).content.decode(), names, data_words):
            found[url] = left
    assert found == {}


def test_the_admin_reads_in_vietnamese(client, records):
    client = signed_in(client, ADMINISTRATOR)
    est = Establishment.objects.get(code="KT-0002")
    urls = [reverse(name) for name in ADMIN_PAGES] + [
        reverse("admin:establishments_establishment_change", args=[est.pk]),
        reverse("admin:auth_group_change", args=[Group.objects.get(name=MANAGER).pk]),
    ]
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        # Group keys ("Data entry") are data in the group form's name box, not words of the interface.
        html = response.content.decode().replace('value="Manager"', "")
        if left := english_left(html, official_english_names(), vietnamese_data_words()):
            found[url] = left
    assert found == {}
    # The admin's JavaScript (the two-box selector of permissions, the calendar) from locale/vi/djangojs.po.
    script = client.get(reverse("admin:jsi18n")).content.decode()
    assert "Ch\\u1ecdn t\\u1ea5t c\\u1ea3 %s" in script or "Chọn tất cả %s" in script
    assert "Th\\u1ee9 hai" in script or "Thứ hai" in script


def test_roles_are_named_in_vietnamese_in_the_top_bar_and_the_admin(client, records):
    client = signed_in(client, ADMINISTRATOR)
    assert "· Quản trị</span>" in client.get(reverse("home")).content.decode()
    groups = visible_text(client.get(reverse("admin:auth_group_changelist")).content.decode())
    assert {"Nhập liệu", "Lãnh đạo", "Quản trị"} <= set(re.findall(r"Nhập liệu|Lãnh đạo|Quản trị", groups))
    with translation.override("en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert "· Administrator</span>" in client.get(reverse("home")).content.decode()


def test_english_text_boxes_say_they_are_english(client, records):
    client = signed_in(client, ADMINISTRATOR)
    est = Establishment.objects.get(code="KT-0002")
    for url in (reverse("establishments:edit", args=[est.code]),
                reverse("admin:establishments_establishment_change", args=[est.pk])):
        html = client.get(url).content.decode()
        assert re.search(r'<textarea[^>]*name="notes_en"[^>]*lang="en"|<textarea[^>]*lang="en"[^>]*name="notes_en"',
                         html), url
        assert "Named in the report among the enterprises" in html  # the English box holds the English text
        assert "Named in the report" not in visible_text(html)  # and is read as English, not as the page's text
