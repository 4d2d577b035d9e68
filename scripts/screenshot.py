#!/usr/bin/env python
"""Screenshot pages of a running portal in headless Chromium (both languages, desktop and phone).

Usage: .venv/bin/python scripts/screenshot.py --base http://127.0.0.1:8000 \
           --user admin --password PW --out docs/screenshots /path1 /path2 ...
Writes <out>/<name>-<lang>-<width>.png for each path (name from the path).

The user guides' screenshots (docs/user-guide.<lang>.md show only <name>-<lang>-<width>.png):
    .venv/bin/python scripts/screenshot.py --guides --password PW --out docs/screenshots
retakes every one of them in both languages, with the users ``admin`` (Administrator), ``manager``
(Manager) and ``entry`` (Data entry) sharing the password PW. The portal runs on a scratch database
with ``migrate``, ``loaddata kontum_2009_2018`` and ``generate_demo_data --establishments 60 --seed 1``;
KT-0001 needs annual reports 2014–2018 (electricity, fresh cassava roots, water) for its page and the
report form's confirmation. Each picture is reduced to 256 colours when that makes it smaller.
"""
import argparse
import re
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]

# An annual reports file with three errors and an unknown column, for the import check's picture.
IMPORT_EXAMPLE = {
    "vi": "Mã cơ sở,Năm,Sản phẩm,Đơn vị sản phẩm,Sản lượng,Loại tiêu hao,Lượng tiêu thụ,Ghi chú\n",
    "en": "Establishment code,Year,Product,Product unit,Output,Resource,Quantity,Remarks\n",
}
IMPORT_ROWS = ("KT-0001,2019,{p},t,25500,electricity,5500000,\nKT-0001,2019,{p},t,25500,cassava_roots,106000,\n"
               "KT-0001,2019,{p},t,25500,water,-15,\nKT-0099,2019,{p},t,1000,water,100,\n"
               "KT-0001,31/12/2019,{p},t,25500,water,290000,\n")
EVENT = "DEMO-E00010"
AS_OF = "plan=1&year=2018"


def _login(browser, base, lang, user, password, width=1366):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    ctx.add_cookies([{"name": "django_language", "value": lang, "url": base}])
    page = ctx.new_page()
    page.goto(base + "/accounts/login/")
    if user:
        page.fill("#id_username", user)
        page.fill("#id_password", password)
        page.click("#sign-in")
        page.wait_for_load_state()
    return ctx, page


def _shrink(path):
    """Keep the picture in 256 colours when that is smaller (UI screenshots lose nothing visible)."""
    try:
        from PIL import Image
    except ImportError:
        return
    before = path.stat().st_size
    small = path.with_suffix(".tmp.png")
    Image.open(path).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                             dither=Image.Dither.NONE).save(small, optimize=True)
    if small.stat().st_size < before:
        small.replace(path)
    else:
        small.unlink()


def guides(browser, base, password, out):
    """Every screenshot the user guides show, each in its guide's language."""
    def shot(page, name, lang, width=1366, path=None, full=False, height=None):
        if path:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
        target = out / f"{name}-{lang}-{width}.png"
        clip = {"x": 0, "y": 0, "width": width, "height": height} if height else None
        page.screenshot(path=str(target), full_page=full, clip=clip)
        _shrink(target)
        print(target)

    for lang in ("vi", "en"):
        ctx, page = _login(browser, base, lang, None, password)
        shot(page, "login", lang)
        ctx.close()
        ctx, page = _login(browser, base, lang, "manager", password)
        shot(page, "home", lang, path="/")
        shot(page, "establishments-list", lang, path="/establishments/?place=1")  # the former Kon Tum province
        shot(page, "establishment-detail", lang, path="/establishments/KT-0001/", full=True, height=2040)
        shot(page, "completeness", lang, path="/indicators/reports/completeness/?year=2018")
        shot(page, "event-detail", lang, path=f"/training/events/{EVENT}/", full=True)
        shot(page, "dashboard", lang, path=f"/indicators/dashboard/?{AS_OF}", full=True, height=1720)
        if lang == "vi":  # the README's
            shot(page, "dashboard-top", lang, path=f"/indicators/dashboard/?{AS_OF}")
        shot(page, "indicator-detail", lang, path=f"/indicators/dashboard/cp_adoption/?{AS_OF}", full=True,
             height=1500)
        shot(page, "dashboard-report", lang, path=f"/indicators/dashboard/report/?{AS_OF}")
        ctx.close()
        ctx, page = _login(browser, base, lang, "entry", password)
        shot(page, "attendance-entry", lang, path=f"/training/events/{EVENT}/attendance/", full=True)
        page.goto(base + "/indicators/reports/KT-0001/2018/edit/")
        page.fill("#id_lines-0-quantity", "16320000")  # three times the electricity: "Is this right?"
        page.click("form button[type=submit].btn--primary")
        page.wait_for_load_state()
        shot(page, "report-form-confirm", lang, full=True)
        example = Path(tempfile.mkdtemp()) / f"reports-example-{lang}.csv"
        product = "Tinh bột sắn" if lang == "vi" else "Tapioca starch"
        example.write_text(IMPORT_EXAMPLE[lang] + IMPORT_ROWS.format(p=product), encoding="utf-8")
        page.goto(base + "/data/")
        page.select_option("#id_kind", "reports")
        page.set_input_files("#id_file", str(example))
        page.click("form.upload-form button[type=submit]")
        page.wait_for_load_state()
        shot(page, "import-preview", lang, full=True)
        ctx.close()
        ctx, page = _login(browser, base, lang, "entry", password, width=390)
        shot(page, "report-form", lang, width=390, path="/indicators/reports/KT-0001/new/", full=True)
        ctx.close()
        ctx, page = _login(browser, base, lang, "admin", password)
        shot(page, "admin", lang, path="/admin/")
        shot(page, "admin-department", lang, path="/admin/establishments/department/2/change/")
        ctx.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user")
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "shots"))
    parser.add_argument("--langs", default="vi,en")
    parser.add_argument("--widths", default="1366,390")
    parser.add_argument("--full-page", action="store_true")
    parser.add_argument("--guides", action="store_true", help="retake every screenshot of the user guides")
    parser.add_argument("paths", nargs="*")
    opts = parser.parse_args()
    if not opts.guides and not (opts.user and opts.paths):
        parser.error("give --user and paths, or --guides")
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        if opts.guides:
            guides(browser, opts.base, opts.password, out)
            browser.close()
            return
        for lang in opts.langs.split(","):
            for width in [int(w) for w in opts.widths.split(",")]:
                ctx, page = _login(browser, opts.base, lang, opts.user, opts.password, width)
                for path in opts.paths:
                    page.goto(opts.base + path)
                    page.wait_for_load_state()
                    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                    target = out / f"{name}-{lang}-{width}.png"
                    page.screenshot(path=str(target), full_page=opts.full_page)
                    print(target)
                ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
