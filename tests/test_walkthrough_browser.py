"""The walkthrough page in a real browser: headless Chromium, driven by Selenium.

Debian's ``chromium`` and ``chromium-driver`` (their versions match, and
nothing is downloaded at test time; ``make test`` installs them). Without
them these tests skip, except when AUTODIDACT_REQUIRE_BROWSER=1 (as in
CI): then they fail. Every wait is on the page's state (``data-step`` on
<body>), never a sleep. Screenshots go to a temporary folder.
"""

import json
import os
import re
import shutil
import tempfile

import numpy as np
import pytest

import viz
from autodidact import graph
from autodidact.scalar import Scalar
from viz.record import Recorder

import walk_examples

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]
WIDTH, HEIGHT = 1024, 768


def _browser_problem():
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    for program in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(program):
            return f"{program} is missing (apt-get install chromium chromium-driver, or make test)"
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    problem = _browser_problem()
    if problem is not None:
        if os.environ.get("AUTODIDACT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"AUTODIDACT_REQUIRE_BROWSER=1 but {problem}")
        pytest.skip(f"{problem}: the walkthrough's browser tests skipped")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="autodidact-chromium-")
    for flag in FLAGS + [f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    # The viewport itself 1024x768, as a projector shows it (the window adds no frame).
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
    driver.screenshots = tmp_path_factory.mktemp("walkthrough-screenshots")
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


class Page:
    """One walkthrough loaded in the browser, and what it shows."""

    def __init__(self, driver, walk, path):
        from selenium.webdriver.support.ui import WebDriverWait
        self.driver, self.walk, self.url = driver, walk, path.as_uri()
        driver.get_log("browser"), driver.get_log("performance")   # start clean
        driver.get(self.url)
        self.wait = WebDriverWait(driver, 10)
        self.wait.until(lambda d: d.execute_script("return document.body.dataset.step") == "1")

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    @property
    def step(self):
        return int(self.js("return document.body.dataset.step"))

    def key(self, name, expected_step):
        from selenium.webdriver.common.keys import Keys
        self.driver.find_element("tag name", "body").send_keys(getattr(Keys, name))
        self.wait.until(lambda d: self.step == expected_step)

    def click(self, button, expected_step):
        self.driver.find_element("id", button).click()
        self.wait.until(lambda d: self.step == expected_step)

    def slide(self, step):
        self.js("var s = document.getElementById('slider'); s.value = arguments[0];"
                "s.dispatchEvent(new Event('input'));", str(step))
        self.wait.until(lambda d: self.step == step)

    def panel(self):
        return self.js("return document.getElementById('panel').innerText")

    def active_nodes(self):
        return self.js("return Array.from(document.querySelectorAll('#graph g.node.active'))"
                       ".map(g => g.querySelector('title').textContent)")

    def leaves_shown(self):
        return self.js("return Array.from(document.querySelectorAll('tr[data-leaf]'))"
                       ".map(r => [r.dataset.leaf, r.cells[1].innerText])")

    def screenshot(self, name):
        self.driver.save_screenshot(str(self.driver.screenshots / f"{name}.png"))

    def assert_clean(self):
        """No console error, and no request but the page's own file:// URL."""
        errors = [e for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []
        urls = set()
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                urls.add(message["params"]["request"]["url"])
        assert urls <= {self.url}
        assert self.js("return performance.getEntriesByType('resource').length") == 0


def _open(browser, tmp_path, example, **kwargs):
    output, params, leaves = getattr(walk_examples, example)()
    walk = viz.walkthrough(output, params=params, **kwargs)
    return Page(browser, walk, walk.save(tmp_path / f"{example}.html")), output, leaves


def _engine_ids(output):
    """The drawn ids of the nodes the engine reaches, in its order (from a real pass)."""
    recorder = Recorder()
    with graph.observe(recorder):
        output.backward() if isinstance(output, Scalar) else output.backward(retain_graph=True)
    root = output if isinstance(output, Scalar) else output.grad_fn
    order = graph.topological_order(root)
    prefix = "s" if isinstance(output, Scalar) else "n"
    return [f"{prefix}{order.index(s.node) + 1}" for s in recorder.steps]


def _numbers(text):
    return [float(v) for v in re.findall(r"-?\d+\.?\d*(?:e[-+]?\d+)?", text)]


def _assert_leaves_equal_grad(page, leaves):
    """The table of leaves at the current step against each leaf's real ``.grad``."""
    shown = {label.split(" #")[0]: text for label, text in page.leaves_shown()}
    assert set(leaves) <= set(shown)
    for name, leaf in leaves.items():
        grad = leaf.grad if isinstance(leaf, Scalar) else leaf.grad.numpy()
        np.testing.assert_allclose(_numbers(shown[name]), np.ravel(grad), atol=1e-4)


@pytest.mark.parametrize("example", ["seed_model", "scalar_neuron", "mlp_with_broadcast_bias",
                                     "used_twice"])
def test_every_node_in_the_engines_order_then_leaf_grads_equal_grad(browser, tmp_path, example):
    page, output, leaves = _open(browser, tmp_path, example)
    expected = _engine_ids(output)   # a real pass: each leaf's .grad is now the real one
    assert len(page.walk.steps) == len(expected)
    for number, node_id in enumerate(expected, start=1):
        if number > 1:
            page.key("ARROW_RIGHT", number)
        assert page.js("return document.body.dataset.activeNode") == node_id
        assert node_id in page.active_nodes()
        shown = page.js("return document.getElementById('grad').innerText")
        assert shown.startswith(page.walk.steps[number - 1]["grad"]["text"])
    _assert_leaves_equal_grad(page, leaves)
    page.assert_clean()


def _step_of(page, predicate):
    return next(i for i, s in enumerate(page.walk.steps, start=1) if predicate(s))


def test_what_the_panel_says_where_broadcasting_is_undone(browser, tmp_path):
    page, output, _ = _open(browser, tmp_path, "mlp_with_broadcast_bias")
    number = _step_of(page, lambda s: any("(4, 3) → (3,)" in r["text"] for r in s["reduced"]))
    page.slide(number)
    text = page.panel()
    assert "summed over axis 0: (4, 3) → (3,)" in text
    assert "AddBackward0" in text and "b1 #" in text
    assert "d(a+b)/da = d(a+b)/db = 1" in text and "each receive grad unchanged" in text
    assert page.active_nodes() == [page.walk.steps[number - 1]["id"]]
    active_edges = page.js("return document.querySelectorAll('#graph g.edge.active').length")
    assert active_edges >= 2   # the gradient came in on one edge and left on two
    page.screenshot("mlp-broadcast")
    # The finished nodes of this pass are marked: every step before this one.
    done = page.js("return Array.from(document.querySelectorAll('#graph g.node.done'))"
                   ".map(g => g.querySelector('title').textContent)")
    assert set(done) == {s["id"] for s in page.walk.steps[:number - 1]}
    page.assert_clean()


def test_two_contributions_summed_where_a_value_is_used_twice(browser, tmp_path):
    page, output, _ = _open(browser, tmp_path, "used_twice")
    number = _step_of(page, lambda s: len(s["contributions"]) == 2)
    page.slide(number)
    text = page.panel()
    assert "2 contributions summed" in text and "MulBackward0" in text
    assert text.count("from ") == 2
    page.screenshot("used-twice")
    page.assert_clean()


def test_three_passes_accumulate_in_grad_pass_by_pass(browser, tmp_path):
    page, output, leaves = _open(browser, tmp_path, "seed_model", passes=3)
    w = leaves["w"]
    assert w.grad is None   # restored: the page recorded its passes and put .grad back
    assert "Pass 1 of 3" in page.panel()
    page.key("END", len(page.walk.steps))
    text = page.panel()
    assert "Pass 3 of 3" in text and "[-18.6667] → [-28.0]" in text   # 3 × -9.3333
    page.screenshot("three-passes")
    output.backward(retain_graph=True)
    output.backward(retain_graph=True)
    output.backward()
    _assert_leaves_equal_grad(page, leaves)
    page.assert_clean()


def test_controls_buttons_slider_keys_and_play(browser, tmp_path):
    page, _, _ = _open(browser, tmp_path, "seed_model")
    last = len(page.walk.steps)
    page.click("forward", 2)
    page.click("forward", 3)
    page.click("back", 2)
    page.key("ARROW_LEFT", 1)
    page.slide(last)
    page.click("reset", 1)
    page.click("play", 1)
    assert page.js("return document.getElementById('play').textContent").endswith("Pause")
    page.wait.until(lambda d: page.step == 2)   # playing moves on by itself
    page.click("play", page.step)
    assert page.js("return document.getElementById('play').textContent").endswith("Play")
    page.assert_clean()


def test_at_1024x768_nothing_overflows_and_text_is_readable(browser, tmp_path):
    page, _, _ = _open(browser, tmp_path, "mlp_with_broadcast_bias")
    assert page.js("return [window.innerWidth, window.innerHeight]") == [WIDTH, HEIGHT]
    for number in (1, len(page.walk.steps) // 2, len(page.walk.steps)):
        page.slide(number)
        page.screenshot(f"mlp-step-{number}")
        problems = page.js("""
            var out = [], w = window.innerWidth, h = window.innerHeight;
            var doc = document.documentElement;
            if (doc.scrollWidth > w || doc.scrollHeight > h) { out.push('page scrolls'); }
            document.querySelectorAll('header *, #panel, #graph').forEach(function (e) {
              var r = e.getBoundingClientRect();
              if (r.right > w + 0.5 || r.bottom > h + 0.5 || r.left < -0.5) {
                out.push((e.id || e.tagName) + ' overflows');
              }
            });
            var panel = document.getElementById('panel');
            if (panel.scrollWidth > panel.clientWidth) { out.push('panel scrolls sideways'); }
            panel.querySelectorAll('*').forEach(function (e) {
              if (e.textContent.trim() && parseFloat(getComputedStyle(e).fontSize) < 14) {
                out.push((e.id || e.className || e.tagName) + ' text under 14px');
              }
            });
            return out;""")
        assert problems == []
    page.assert_clean()


def test_over_the_drawing_cap_a_collapsed_run_is_one_step(browser, tmp_path):
    import autodidact
    x = autodidact.tensor([0.5, -0.5], requires_grad=True)
    y = x
    for _ in range(100):
        y = (y * 0.999).tanh()
    walk = viz.walkthrough(y.sum(), params={"x": x}, max_nodes=20)
    page = Page(browser, walk, walk.save(tmp_path / "capped.html"))
    number = _step_of(page, lambda s: s["id"] == "omitted")
    page.slide(number)
    assert "182 nodes left out of the drawing" in page.panel()
    assert page.active_nodes() == ["omitted"]
    page.key("END", len(walk.steps))
    assert page.js("return document.body.dataset.activeNode") == walk.steps[-1]["id"]
    assert "x.grad" in page.panel()
    page.assert_clean()
