"""The web portal driven in headless Chromium, as an administrator and a test author use it.

Run by scripts/browser-test, which starts fakedep and sets FAKEDEP_URL, FAKEDEP_MOCKDATA and
SCREENSHOTS. Each test leaves screenshots of the pages it visits at desktop and phone width.
"""

import json
import os
import subprocess
import tempfile
import time
import unittest
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

URL = os.environ.get("FAKEDEP_URL", "http://127.0.0.1:8080")
MOCKDATA = Path(os.environ.get("FAKEDEP_MOCKDATA", "Sources/FakeDEPServer/Resources/MockData"))
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS", ".build/screenshots"))
REBOUND_HOST = "rebound.fakedep.test"
WIDTHS = {"desktop": (1280, 1000), "phone": (390, 900)}


def api(method, path, body=None, content_type="application/json"):
    """Calls one of fakedep's JSON routes with a JSON body (or bytes as they are); returns the
    status and the decoded answer."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode() or "null")


def openssl(*arguments, cwd):
    return subprocess.run(["openssl", *arguments], cwd=cwd, check=True, capture_output=True)


class PortalTestCase(unittest.TestCase):
    """One browser for the whole module; each test starts on a page of its own."""

    browser = None
    downloads = None

    @classmethod
    def setUpClass(cls):
        if PortalTestCase.browser is None:
            PortalTestCase.downloads = tempfile.mkdtemp(prefix="fakedep-downloads-")
            options = Options()
            options.binary_location = "/usr/bin/chromium"
            for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]:
                options.add_argument(argument)
            options.add_argument("--window-size=%d,%d" % WIDTHS["desktop"])
            # A made-up name that resolves to fakedep, as a DNS-rebinding page's own name would.
            options.add_argument("--host-resolver-rules=MAP %s 127.0.0.1" % REBOUND_HOST)
            options.add_experimental_option("prefs", {"download.default_directory": PortalTestCase.downloads})
            PortalTestCase.browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
            PortalTestCase.browser.execute_cdp_cmd(
                "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": PortalTestCase.downloads})
        cls.scratch = Path(tempfile.mkdtemp(prefix="fakedep-browser-"))

    @property
    def driver(self):
        return PortalTestCase.browser

    def open(self, path):
        self.driver.get(URL + path)
        return self.wait_for(By.CSS_SELECTOR, "main")

    def wait_for(self, by, selector, timeout=20):
        return WebDriverWait(self.driver, timeout).until(expected_conditions.presence_of_element_located((by, selector)))

    def wait_until(self, condition, timeout=20, message=""):
        return WebDriverWait(self.driver, timeout).until(lambda _: condition(), message)

    def texts(self, selector):
        """The text of every element at `selector`; none while the page is being replaced."""
        try:
            return [element.text for element in self.driver.find_elements(By.CSS_SELECTOR, selector)]
        except WebDriverException:
            return []

    def wait_for_text(self, selector, text, timeout=20):
        """Waits until an element at `selector` shows `text`; returns its whole text."""
        try:
            self.wait_until(lambda: any(text in shown for shown in self.texts(selector)), timeout)
        except TimeoutException:
            self.fail("%r never showed %r; it shows %r" % (selector, text, self.texts(selector)))
        return next(shown for shown in self.texts(selector) if text in shown)

    def screenshot(self, name):
        """Saves the page at desktop and phone width."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for label, (width, height) in WIDTHS.items():
            self.driver.set_window_size(width, height)
            time.sleep(0.2)
            self.driver.save_screenshot(str(SCREENSHOTS / ("%s-%s.png" % (name, label))))
        self.driver.set_window_size(*WIDTHS["desktop"])

    def downloaded(self, suffix, timeout=20):
        """The newest finished download whose name ends in `suffix`."""
        def found():
            files = [p for p in Path(PortalTestCase.downloads).iterdir() if p.name.endswith(suffix)]
            return max(files, key=lambda p: p.stat().st_mtime) if files else None
        self.wait_until(lambda: found() is not None, timeout, "no %s download" % suffix)
        return found()

    def form_error(self, form, timeout=20):
        self.wait_until(lambda: form.find_element(By.CSS_SELECTOR, ".form-error").text.strip() != "", timeout)
        return form.find_element(By.CSS_SELECTOR, ".form-error").text

    def certificate(self, name):
        """A key and self-signed certificate made with openssl; returns their paths."""
        key, certificate = self.scratch / (name + ".key"), self.scratch / (name + ".pem")
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(certificate),
                "-subj", "/CN=" + name, "-days", "2", cwd=self.scratch)
        return key, certificate
