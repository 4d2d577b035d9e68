"""The in-app user guide: /guide/ renders docs/user-guide.<language>.md with served screenshots."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

DOCS = Path(settings.BASE_DIR) / "docs"
TITLES = {
    "vi": "Hướng dẫn sử dụng Cổng theo dõi sản xuất sạch hơn",
    "en": "Cleaner Production Portal — user guide",
}


class _Collect(HTMLParser):
    """Image sources, link targets, element ids and the table of contents' links of a page."""

    def __init__(self):
        super().__init__()
        self.images, self.hrefs, self.ids, self.toc_links = [], [], set(), []
        self.h1 = ""
        self._in_h1 = False
        self._toc_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
            if self._toc_depth:
                self.toc_links.append(attrs["href"])
        if tag == "nav" and attrs.get("aria-labelledby") == "guide-toc-title":
            self._toc_depth = 1
        elif tag == "nav" and self._toc_depth:
            self._toc_depth += 1
        if tag == "h1":
            self._in_h1 = True

    def handle_endtag(self, tag):
        if tag == "nav" and self._toc_depth:
            self._toc_depth -= 1
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


def _guide_page(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("user_guide"))
    assert response.status_code == 200
    page = _Collect()
    page.feed(response.content.decode())
    return response, page


def test_guide_needs_sign_in(client):
    response = client.get(reverse("user_guide"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_guide_in_the_active_language_with_contents(manager_client, language):
    response, page = _guide_page(manager_client, language)
    assert page.h1.strip() == TITLES[language]
    assert response["Content-Language"] == language
    # Every second-level heading of the Markdown file is in the table of contents, and each
    # entry points at a heading on the page.
    source = (DOCS / f"user-guide.{language}.md").read_text(encoding="utf-8")
    headings = [line[3:] for line in source.splitlines() if line.startswith("## ")]
    assert len(page.toc_links) == len(headings) >= 6
    assert all(href.startswith("#") and href[1:] in page.ids for href in page.toc_links)
    # Links to other Markdown files only work in the repository: none is left as a link.
    assert not [href for href in page.hrefs if href.split("#")[0].endswith(".md")]
    assert "docs/import-formats.md" in response.content.decode()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_guide_images_are_served_static_files(settings, language, manager_user):
    # Serve static files from the finders, as collectstatic + WhiteNoise do in production.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    client.force_login(manager_user)
    _response, page = _guide_page(client, language)
    source = (DOCS / f"user-guide.{language}.md").read_text(encoding="utf-8")
    referenced = re.findall(r"!\[[^\]]*\]\((screenshots/[^)]+)\)", source)
    assert len(page.images) == len(referenced) >= 5
    for src, path in zip(page.images, referenced):
        assert src == "/" + settings.STATIC_URL.strip("/") + "/" + path
        image = client.get(src)
        assert image.status_code == 200, src
        body = b"".join(image.streaming_content) if image.streaming else image.content
        assert body == (DOCS / path).read_bytes()


def test_footer_links_to_the_guide(entry_client):
    response = entry_client.get(reverse("home"))
    assert f'href="{reverse("user_guide")}"' in response.content.decode()


def test_sign_in_page_has_no_guide_link(client):
    response = client.get(reverse("login"))
    assert reverse("user_guide") not in response.content.decode()


IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(((?:docs/)?screenshots/[^)\s]+)\)")


def test_each_guide_shows_screenshots_in_its_own_language():
    for language in ("vi", "en"):
        source = (DOCS / f"user-guide.{language}.md").read_text(encoding="utf-8")
        images = IMAGE_LINK.findall(source)
        assert len(images) >= 10
        wrong = [path for path in images if f"-{language}-" not in Path(path).name]
        assert not wrong, f"user-guide.{language}.md shows screenshots of another language: {wrong}"
        missing = [path for path in images if not (DOCS / path).is_file()]
        assert not missing, f"user-guide.{language}.md shows missing screenshots: {missing}"


def test_every_screenshot_is_used():
    # The guides link screenshots/…, the README and other docs docs/screenshots/… or screenshots/….
    root = Path(settings.BASE_DIR)
    texts = [path.read_text(encoding="utf-8") for path in [root / "README.md", *sorted(DOCS.glob("*.md"))]]
    used = {Path(path).name for text in texts for path in IMAGE_LINK.findall(text)}
    on_disk = {path.name for path in (DOCS / "screenshots").iterdir()}
    assert on_disk, "docs/screenshots/ is empty"
    assert not on_disk - used, f"screenshots no document shows: {sorted(on_disk - used)}"
    assert not used - on_disk, f"documents show screenshots that do not exist: {sorted(used - on_disk)}"
