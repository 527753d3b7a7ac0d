"""A fakedep started with --admin-token, in the browser: its pages send a browser that has not
signed in to the sign-in page, and its JSON routes refuse that browser's requests; once signed
in, the pages and the portal work as on an open server; signed out, they are refused again.

Starts a fakedep of its own (FAKEDEP_BIN, set by scripts/browser-test), as the shared one has
no token."""

import json
import os
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium.webdriver.common.by import By

from portal_test import PortalTestCase

TOKEN = "browser-admin-token"
FETCH_SERVERS = """const done = arguments[arguments.length - 1];
fetch("/portal/servers").then(r => done(r.status), e => done(String(e)));"""


class GuardedServer:
    """A fakedep on a free loopback port, its token in its environment."""

    def __init__(self):
        self.work = Path(tempfile.mkdtemp(prefix="fakedep-guarded-"))
        ready = self.work / "ready"
        binary = os.environ.get("FAKEDEP_BIN", ".build/debug/fakedep")
        environment = dict(os.environ, FAKEDEP_ADMIN_TOKEN=TOKEN)
        self.process = subprocess.Popen(
            [binary, "serve", "--port", "0", "--db", ":memory:", "--ready-file", str(ready), "--log-level", "warning"],
            env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            if ready.exists() and ready.read_text().strip():
                break
            time.sleep(0.1)
        self.url = ready.read_text().strip()

    def api(self, method, path, body=None):
        """Calls a JSON route with the token, as a program does."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", "Bearer " + TOKEN)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read().decode() or "null")

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=30)


class AdminTokenTest(PortalTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = GuardedServer()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        super().tearDownClass()

    def fetch_status(self):
        """The status the page's own same-origin fetch of a portal route gets."""
        return self.driver.execute_async_script(FETCH_SERVERS)

    def sign_in(self, token):
        field = self.wait_for(By.NAME, "token")
        field.clear()
        field.send_keys(token)
        self.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()

    def test_the_pages_and_the_portal_need_a_sign_in_and_refuse_again_after_signing_out(self):
        url = self.server.url
        self.driver.delete_all_cookies()
        self.driver.get(url + "/web/servers")
        self.wait_until(lambda: "/web/sign-in" in self.driver.current_url)
        self.assertEqual(self.wait_for(By.CSS_SELECTOR, "h1").text, "Sign in")
        self.assertNotIn("Acme", self.driver.page_source)
        self.assertEqual(self.fetch_status(), 401)
        self.screenshot("sign-in")

        self.sign_in("a guess")
        self.wait_for_text(".notice.error", "not the admin token")
        self.assertEqual(self.fetch_status(), 401)

        self.sign_in(TOKEN)
        self.wait_until(lambda: self.driver.current_url == url + "/web/servers")
        self.assertEqual(self.wait_for(By.CSS_SELECTOR, "h1").text, "MDM servers")
        self.assertEqual(self.fetch_status(), 200)
        # HttpOnly: no script of the page reads the cookie.
        self.assertNotIn("fakedep_admin", self.driver.execute_script("return document.cookie"))
        cookie = self.driver.get_cookie("fakedep_admin")
        self.assertNotEqual(cookie["value"], TOKEN)
        self.assertEqual(cookie.get("sameSite"), "Strict")

        # The portal works through the page's own form, carried by the cookie.
        name = "Signed-in MDM"
        self.driver.find_element(By.ID, "new-name").send_keys(name)
        self.driver.find_element(By.CSS_SELECTOR, "form[data-api] button[type=submit]").click()
        self.wait_until(lambda: "/web/servers/" in self.driver.current_url and "/web/servers" != self.driver.current_url)
        status, servers = self.server.api("GET", "/portal/servers")
        self.assertIn(name, [server["name"] for server in servers])
        self.screenshot("signed-in")

        self.driver.find_element(By.CSS_SELECTOR, "form.sign-out button").click()
        self.wait_until(lambda: "/web/sign-in" in self.driver.current_url)
        self.assertEqual(self.fetch_status(), 401)
        self.driver.get(url + "/web/servers")
        self.wait_until(lambda: "/web/sign-in" in self.driver.current_url)
        self.assertNotIn(name, self.driver.page_source)
