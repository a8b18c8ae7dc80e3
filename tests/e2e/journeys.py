"""What the browser journeys share: one way to drive a page either with the
mouse or with the keyboard alone, so the same journey is written once and run
both ways; and the axe check after every page load and htmx swap."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page

from tests.e2e.conftest import assert_accessible

# More tab stops than any page of the portal has: a target not reached by then
# is not reachable by the keyboard.
MAX_TAB_STOPS = 400


class Mouse:
    """Points and clicks, as most users do."""

    keyboard_only = False

    def __init__(self, page: Page, axe: Axe) -> None:
        self.page = page
        self.axe = axe

    def check_page(self) -> None:
        """axe after a page load or swap."""
        assert_accessible(self.axe, self.page)

    def follow(self, link: Locator) -> None:
        link.click()

    def press(self, button: Locator) -> None:
        button.click()

    def fill(self, field: Locator, text: str) -> None:
        field.fill(text)

    def choose(self, select: Locator, value: str) -> None:
        select.select_option(value)

    def tick(self, checkbox: Locator) -> None:
        checkbox.check()

    def pick(self, option: Locator, search: str) -> None:
        """Choose one option (a checkbox or radio button) of a searchable
        picker (portal/widgets.py); `search` is what a user would type to find it."""
        option.check()

    def enter_date(self, field: Locator, iso: str) -> None:
        """A date ("2025-03-25") or datetime-local ("2025-03-25T13:00") field."""
        field.fill(iso)


class Keyboard(Mouse):
    """Tab, Shift+Tab, Enter, Space, arrow keys and typing: nothing else.

    Every element it stops on must show that it has the focus (a visible
    focus indicator, WCAG 2.4.7)."""

    keyboard_only = True

    def _is_focused(self, target: Locator) -> bool:
        return bool(target.evaluate("el => el === document.activeElement"))

    def focus(self, target: Locator) -> None:
        """Tab (or Shift+Tab, when the target comes before the focus) until
        the target has the focus."""
        target.wait_for(state="visible")
        for _ in range(MAX_TAB_STOPS):
            if self._is_focused(target):
                self.assert_focus_visible()
                return
            forward = target.evaluate(
                """el => {
                    const active = document.activeElement;
                    if (!active || active === document.body) return true;
                    const after = active.compareDocumentPosition(el);
                    return !!(after & Node.DOCUMENT_POSITION_FOLLOWING);
                }"""
            )
            self.page.keyboard.press("Tab" if forward else "Shift+Tab")
        raise AssertionError(f"never reached by the keyboard: {target}")

    def assert_focus_visible(self) -> None:
        style = self.page.evaluate(
            """() => {
                const el = document.activeElement;
                const s = getComputedStyle(el);
                return {
                    tag: el.tagName, id: el.id,
                    focusVisible: el.matches(':focus-visible'),
                    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                };
            }"""
        )
        assert style["focusVisible"] and style["outline"], f"focus not visible: {style}"

    def active(self) -> dict[str, str]:
        return self.page.evaluate(
            "() => ({id: document.activeElement.id, tag: document.activeElement.tagName,"
            " name: document.activeElement.getAttribute('name') || ''})"
        )

    def follow(self, link: Locator) -> None:
        self.focus(link)
        self.page.keyboard.press("Enter")

    def press(self, button: Locator) -> None:
        self.focus(button)
        self.page.keyboard.press("Enter")

    def fill(self, field: Locator, text: str) -> None:
        self.focus(field)
        # Select what is there (as a user would, with Shift+Home or Ctrl+A) and type over it.
        self.page.keyboard.press("Control+A")
        if text:
            self.page.keyboard.type(text)
        else:
            self.page.keyboard.press("Delete")

    def enter_date(self, field: Locator, iso: str) -> None:
        """Type the parts of the date into the field's segments. Headless
        Chromium shows them in its own (US) order whatever the page's language:
        month, day, year, then hour and minute (in the afternoon: 24-hour
        digits set PM). Every part moves on by itself: the field's min and max
        (1990–2100) make the year four digits."""
        self.focus(field)
        date, _, clock = iso.partition("T")
        year, month, day = date.split("-")
        self.page.keyboard.type(month)
        self.page.keyboard.type(day)
        self.page.keyboard.type(year)
        if clock:
            # The year (four digits within the field's min and max) moves on by itself.
            hour, minute = clock.split(":")
            self.page.keyboard.type(hour)
            self.page.keyboard.type(minute)
        assert field.input_value() == iso, (field.input_value(), iso)

    def choose(self, select: Locator, value: str) -> None:
        """Arrow keys on a select (or a multiple select's list box) until the
        option is chosen."""
        self.focus(select)
        target = select.evaluate(
            "(el, value) => [...el.options].findIndex(o => o.value === value)", value
        )
        assert target >= 0, f"no option {value!r} in {select}"
        for _ in range(MAX_TAB_STOPS):
            current = select.evaluate(
                "el => el.multiple ? [...el.options].findIndex(o => o.selected) : el.selectedIndex"
            )
            if current == target:
                return
            self.page.keyboard.press("ArrowDown" if current < target else "ArrowUp")
        raise AssertionError(f"could not choose {value!r} with the arrow keys")

    def tick(self, checkbox: Locator) -> None:
        self.focus(checkbox)
        if not checkbox.is_checked():
            self.page.keyboard.press("Space")
        assert checkbox.is_checked()

    def pick(self, option: Locator, search: str) -> None:
        """Type into the picker's search box and press Enter: the first match
        is chosen (the search must single out `option`)."""
        if option.is_checked():
            return
        box = option.locator("xpath=ancestor::*[@data-picker][1]").locator(".picker__input")
        self.fill(box, search)
        self.page.keyboard.press("Enter")
        assert option.is_checked(), f"{search!r} did not choose {option}"
