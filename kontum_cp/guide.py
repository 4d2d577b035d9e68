"""The user guide shown in the app: docs/user-guide.<language>.md rendered to HTML.

The same Markdown files are read on the code host and in the app, so image paths in
them are relative to docs/ (``screenshots/home-vi-1366.png``). The screenshots folder
is a static files directory (settings.STATICFILES_DIRS, prefix ``screenshots``), and
the renderer points each image at its static URL. Links to other Markdown files make
sense only in the repository, so in the app they are shown as plain text.
"""
from dataclasses import dataclass
from xml.etree.ElementTree import Element

import markdown
from django.conf import settings
from django.templatetags.static import static
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

GUIDE_DIR = settings.BASE_DIR / "docs"
SCREENSHOTS_PREFIX = "screenshots/"


@dataclass(frozen=True)
class RenderedGuide:
    html: str
    toc: str
    title: str


class _AppPaths(Treeprocessor):
    def run(self, root: Element):
        for img in root.iter("img"):
            src = img.get("src", "")
            if src.startswith(SCREENSHOTS_PREFIX):
                img.set("src", static(src))
                img.set("loading", "lazy")
        for link in root.iter("a"):
            href = link.get("href", "")
            if href.split("#", 1)[0].endswith(".md"):
                link.tag = "span"
                del link.attrib["href"]


class _AppPathsExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_AppPaths(md), "portal_app_paths", 5)


def guide_path(language):
    return GUIDE_DIR / f"user-guide.{language}.md"


def render_guide(language):
    """HTML, table of contents (second-level headings) and title of the guide."""
    text = guide_path(language).read_text(encoding="utf-8")
    md = markdown.Markdown(
        extensions=["tables", "toc", _AppPathsExtension()],
        extension_configs={"toc": {"toc_depth": "2-2"}},
        output_format="html",
    )
    lines = text.splitlines()
    # The first-level title becomes the page's <h1>, above the table of contents.
    title_at = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    title = lines.pop(title_at)[2:].strip() if title_at is not None else ""
    html = md.convert("\n".join(lines))
    return RenderedGuide(html=html, toc=md.toc, title=title)
