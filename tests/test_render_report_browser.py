"""Every HTML report the sample run writes, opened in a real browser (Debian's headless
Chromium, driven through its ChromeDriver by Selenium) and checked as an accessibility audit
would: axe-core at WCAG 2.2 A and AA, reflow at 320 CSS px, the keyboard (skip link first,
a visible focus indicator of at least 3:1 on every stop), text that follows the reader's text
size, chart text in forced colours, and the skip link left off the printed page.

Chromium and ChromeDriver come from `scripts/sysdeps.sh`, axe-core from npm (`tests/a11y/`,
installed by `make test` with `npm ci` from its lock). Nothing is downloaded at test time.
One browser serves the whole module.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# Flags that keep a headless Chromium quiet, offline and reproducible on a shared machine.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
# axe-core's tags for every WCAG 2.0, 2.1 and 2.2 success criterion at levels A and AA.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

# Colour arithmetic shared by the checks, run in the page: relative luminance and contrast
# ratio as WCAG 2.2 defines them, and the colour actually behind an element (the first
# ancestor with an opaque background, else the canvas).
COLOUR_JS = """
window.__a11y = (() => {
  const rgb = (text) => (text.match(/[0-9.]+/g) || []).map(Number);
  const canvas = () => {
    const probe = document.createElement('div');
    probe.style.backgroundColor = 'Canvas';
    document.body.appendChild(probe);
    const colour = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return colour;
  };
  const luminance = (text) => {
    const [r, g, b] = rgb(text).slice(0, 3).map((v) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const opaque = (text) => { const v = rgb(text); return v.length === 3 || v[3] >= 0.99; };
  const behind = (el) => {
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (opaque(colour)) return colour;
    }
    return canvas();
  };
  // What is painted under a chart's text: the first filled shape beneath its middle (the
  // box behind a label on a bar, say), else the background behind the chart.
  const under = (text) => {
    text.scrollIntoView({block: 'center', inline: 'center'});
    const box = text.getBoundingClientRect();
    const stack = document.elementsFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    for (const el of stack) {
      if (el === text || text.contains(el) || !(el instanceof SVGGeometryElement)) continue;
      const fill = getComputedStyle(el).fill;
      if (fill.startsWith('rgb') && opaque(fill)) return fill;
    }
    return behind(text.closest('svg'));
  };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && el.className.baseVal === undefined ? '.' + el.className : '') +
    ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
  return { contrast, behind, under, describe };
})();
"""


def _start_browser() -> Any:
    """A headless Chromium session, or a failure that says what to install."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:
        pytest.fail(
            f"The browser tests need {', '.join(missing)}: "
            "run `make test` (as root it installs them), or: sudo apt-get install chromium "
            "chromium-driver"
        )
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test`, or: npm ci --prefix tests/a11y")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="rhi-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_script_timeout(120)
    driver.__profile = profile  # type: ignore[attr-defined]
    return driver


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = _start_browser()
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(driver.__profile, ignore_errors=True)


def _open(driver: Any, path: Path, width: int = 1280) -> None:
    """Load a report afresh at a desktop (or given) width, with no emulation left over."""
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": []})
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )
    driver.execute_cdp_cmd("Page.setFontSizes", {"fontSizes": {"standard": 16}})
    driver.get(path.as_uri())
    driver.execute_script(COLOUR_JS)


def _press(driver: Any, key: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(key).perform()


def test_axe_finds_no_wcag_22_aa_violations(browser: Any, sample_html: list[Path]) -> None:
    axe = AXE.read_text(encoding="utf-8")
    found = {}
    for path in sample_html:
        _open(browser, path)
        browser.execute_script(axe)
        violations = browser.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})
              .then((r) => done(r.violations.map((v) => v.id + ' (' + v.help + '): ' +
                  v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; '))))
              .catch((e) => done(['axe failed: ' + e]));
            """,
            WCAG_22_AA,
        )
        if violations:
            found[str(path)] = violations
    assert not found, found


def test_at_320_css_px_only_tables_and_charts_scroll_sideways(
    browser: Any, sample_html: list[Path]
) -> None:
    # WCAG 1.4.10 Reflow: at 320 CSS px the page has no horizontal scroll bar; content that
    # needs two dimensions (a wide table, a chart) may scroll inside its own region, which a
    # keyboard user can focus.
    problems = {}
    for path in sample_html:
        _open(browser, path, width=320)
        found = browser.execute_script(
            """
            const view = document.documentElement.clientWidth;
            const out = [];
            if (document.documentElement.scrollWidth > view + 1) {
              out.push('page scrolls sideways: ' + document.documentElement.scrollWidth +
                       'px wide at ' + view + 'px');
            }
            for (const el of document.querySelectorAll('body *')) {
              const style = getComputedStyle(el);
              const scrolls = ['auto', 'scroll'].includes(style.overflowX) &&
                el.scrollWidth > el.clientWidth + 1;
              if (!scrolls) continue;
              const holds = el.querySelector(':scope > table, :scope > svg');
              if (!holds) out.push('scrolls but holds no table or chart: ' +
                                   window.__a11y.describe(el));
              else if (el.tabIndex < 0) out.push('scroll region not focusable: ' +
                                                 window.__a11y.describe(el));
            }
            return out;
            """
        )
        if found:
            problems[str(path)] = found
    assert not problems, problems


def test_tab_reaches_the_skip_link_first_and_it_moves_to_the_summary(
    browser: Any, sample_html: list[Path]
) -> None:
    from selenium.webdriver.common.keys import Keys

    for path in sample_html:
        _open(browser, path)
        _press(browser, Keys.TAB)
        first = browser.execute_script(
            """
            const el = document.activeElement, box = el.getBoundingClientRect();
            return {cls: el.className, href: el.getAttribute('href'), text: el.textContent,
                    seen: box.left >= 0 && box.top >= 0 && box.width > 0 &&
                          box.right <= innerWidth && box.bottom <= innerHeight};
            """
        )
        assert first["cls"] == "skip" and first["href"] == "#summary", (path, first)
        assert first["seen"], f"{path}: the focused skip link is off screen"
        _press(browser, Keys.ENTER)
        landed = browser.execute_script(
            "const s = document.getElementById('summary').getBoundingClientRect();"
            "return [location.hash, Math.round(s.top)];"
        )
        assert landed[0] == "#summary" and 0 <= landed[1] < 50, (path, landed)


def test_every_keyboard_stop_has_a_focus_outline_of_at_least_3_to_1(
    browser: Any, sample_html: list[Path]
) -> None:
    # WCAG 2.4.7 and 1.4.11: the focus indicator is drawn (an outline at least 2 CSS px
    # thick) and its colour has at least 3:1 against what it is drawn on.
    from selenium.webdriver.common.keys import Keys

    problems: dict[str, list[str]] = {}
    for path in sample_html:
        _open(browser, path)
        # Everything a keyboard can reach that is shown (a closed <details> hides its table).
        stops = browser.execute_script(
            "return [...document.querySelectorAll("
            "'a[href], summary, [tabindex]:not([tabindex=\"-1\"])')]"
            ".filter((el) => el.checkVisibility()).length"
        )
        assert stops > 10, f"{path}: only {stops} keyboard stops"
        visited = 0
        for _ in range(stops):
            _press(browser, Keys.TAB)
            stop = browser.execute_script(
                """
                const el = document.activeElement, s = getComputedStyle(el);
                (window.__visited = window.__visited || new Set()).add(el);
                const width = parseFloat(s.outlineWidth);
                const ratio = window.__a11y.contrast(s.outlineColor,
                  window.__a11y.behind(el.parentElement));
                return {what: window.__a11y.describe(el), style: s.outlineStyle, width, ratio,
                        visited: window.__visited.size};
                """
            )
            visited = stop["visited"]
            if stop["style"] == "none" or stop["width"] < 2 or stop["ratio"] < 3:
                problems.setdefault(str(path), []).append(
                    f"{stop['what']}: outline {stop['style']} {stop['width']}px, "
                    f"contrast {stop['ratio']:.2f}:1"
                )
        assert visited == stops, f"{path}: Tab visited {visited} of {stops} stops"
    assert not problems, problems


def test_text_grows_with_the_readers_text_size(browser: Any, sample_html: list[Path]) -> None:
    # WCAG 1.4.4: text sized in rem or % follows the browser's text size setting; text sized
    # in pt or px ignores it. Doubling the setting (16 px to 32 px) must double every line.
    measure = """
        return [...document.querySelectorAll('body *')]
          .filter((el) => !el.closest('svg') &&
                  [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
          .map((el) => [window.__a11y.describe(el), parseFloat(getComputedStyle(el).fontSize)]);
    """
    for path in sample_html:
        _open(browser, path)
        before = browser.execute_script(measure)
        browser.execute_cdp_cmd("Page.setFontSizes", {"fontSizes": {"standard": 32}})
        after = browser.execute_script(measure)
        fixed = [a[0] for a, b in zip(before, after, strict=True) if abs(b[1] / a[1] - 2) > 0.02]
        assert len(before) > 100 and not fixed, (path, fixed[:10], len(fixed))


def test_chart_text_keeps_its_contrast_in_forced_colours(
    browser: Any, sample_html: list[Path]
) -> None:
    # Forced colours with a dark theme (as Windows high contrast black): the page becomes
    # light text on black; chart text, drawn dark, must still be on a light background.
    problems = {}
    for path in sample_html:
        _open(browser, path)
        browser.execute_cdp_cmd(
            "Emulation.setEmulatedMedia",
            {
                "features": [
                    {"name": "forced-colors", "value": "active"},
                    {"name": "prefers-color-scheme", "value": "dark"},
                ]
            },
        )
        found = browser.execute_script(
            """
            if (!matchMedia('(forced-colors: active)').matches) return ['no forced colours'];
            const texts = [...document.querySelectorAll('figure svg text')];
            if (!texts.length) return ['no chart text found'];
            return texts.map((t) => [t.textContent.trim(),
                window.__a11y.contrast(getComputedStyle(t).fill, window.__a11y.under(t))])
              .filter(([, ratio]) => ratio < 4.5)
              .map(([text, ratio]) => text + ' at ' + ratio.toFixed(2) + ':1');
            """
        )
        if found:
            problems[str(path)] = found[:10]
    assert not problems, problems


def test_skip_link_is_left_off_the_printed_page(browser: Any, sample_html: list[Path]) -> None:
    for path in sample_html:
        _open(browser, path)
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        shown = browser.execute_script(
            "return getComputedStyle(document.querySelector('a.skip')).display"
        )
        assert shown == "none", f"{path}: the skip link prints ({shown})"


def test_contents_and_about_the_figures_are_headings(browser: Any, sample_html: list[Path]) -> None:
    for path in sample_html:
        _open(browser, path)
        headings = browser.execute_script(
            "return [...document.querySelectorAll('header h2')].map((h) => h.textContent.trim())"
        )
        assert headings == ["Contents", "About the figures"], (path, headings)
        label = browser.execute_script(
            "const nav = document.querySelector('nav.contents');"
            "return document.getElementById(nav.getAttribute('aria-labelledby')).textContent"
        )
        assert label == "Contents"


def test_contents_links_are_at_least_24_css_px_tall(browser: Any, sample_html: list[Path]) -> None:
    # WCAG 2.5.8 Target size (minimum): 24 by 24 CSS px, or spaced so a 24 px circle fits.
    for path in sample_html:
        _open(browser, path)
        heights = browser.execute_script(
            "return [...document.querySelectorAll('nav.contents a')]"
            ".map((a) => a.getBoundingClientRect().height)"
        )
        assert heights and min(heights) >= 24, (path, heights)
