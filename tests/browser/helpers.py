"""Steps and checks that several browser tests share."""
import json
from pathlib import Path

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")


def serious_violations(page):
    # Run through the DevTools protocol, which the page's Content-Security-Policy does not govern: an inline
    # <script> tag (add_script_tag) is blocked by the policy, as it should be.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate("() => { (0, eval)(" + json.dumps(AXE) + "); }")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [" ".join(node["target"]) for node in violation["nodes"][:5]]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return found


def broken_references(page):
    """aria-describedby / aria-labelledby ids with no element (axe passes them if one id resolves)."""
    return page.evaluate(
        "() => [...document.querySelectorAll('[aria-describedby], [aria-labelledby]')].flatMap(el =>"
        " ['aria-describedby', 'aria-labelledby'].flatMap(a => (el.getAttribute(a) || '').split(/\\s+/)"
        " .filter(id => id && !document.getElementById(id)).map(id => `${el.id || el.tagName} ${a}=${id}`)))"
    )


def assert_accessible_on_a_desk_and_a_phone(page):
    """No serious axe violation, no broken aria reference and no sideways scroll at 1366 and 390 px."""
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(400)  # portal.js re-checks scrollable tables 150 ms after a resize
        assert serious_violations(page) == []
        assert broken_references(page) == []
        assert not page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
    page.set_viewport_size({"width": 1366, "height": 900})


def upload(page, kind, path):
    """On the import page: choose the kind of data and the file, and send it to the preview."""
    page.select_option("#id_kind", kind)
    page.set_input_files("#id_file", str(path))
    page.click("button.btn--primary")
    page.wait_for_load_state()


def open_dashboard(page, login, language="vi", load_state="load"):
    """Sign in as the manager, switch to English if asked, and open the dashboard from the menu."""
    login("manager", "pw-manager-123")
    if language == "en":
        page.click(".lang-switch button[value='en']")
        page.wait_for_load_state()
    page.click("nav.mainnav a[href='/indicators/dashboard/']")
    page.wait_for_load_state(load_state)
    return page


def fill_form(page, values):
    """Type each value into the field of its selector, in order, as a person does; a select gets the option."""
    for selector, value in values.items():
        field = page.locator(selector)
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
