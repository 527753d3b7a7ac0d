"""Pages of other sites open in the same browser cannot change fakedep: a form posted across
sites, a `text/plain` fetch, and a page whose own name resolves to fakedep (DNS rebinding) are
all refused, and the portal's JSON API shows afterwards that nothing changed."""

import http.server
import threading
import time
import unittest
from urllib.parse import urlsplit

from portal_test import REBOUND_HOST, URL, PortalTestCase, api

FORM_PAGE = """<!doctype html><title>form</title>
<form method="POST" action="{fakedep}/portal/servers" enctype="text/plain">
<input name='{{"name":"Forged by a form","x":"' value='"}}'></form>
<script>document.forms[0].submit();</script>"""

URLENCODED_PAGE = """<!doctype html><title>form</title>
<form method="POST" action="{fakedep}/_fakedep/worlds"><input name="name" value="forged"></form>
<script>document.forms[0].submit();</script>"""

FETCH_PAGE = """<!doctype html><title>waiting</title><script>
const sent = () => {{ document.title = "sent"; }};
Promise.allSettled([
  fetch("{fakedep}/portal/servers", {{method: "POST", mode: "no-cors",
    headers: {{"Content-Type": "text/plain"}}, body: '{{"name":"Forged by fetch"}}'}}),
  fetch("{fakedep}/portal/seed", {{method: "POST", mode: "no-cors",
    headers: {{"Content-Type": "text/plain"}}, body: '{{"devices":5}}'}}),
  fetch("{fakedep}/portal/servers", {{method: "POST", mode: "no-cors", body: new Blob(['{{"name":"Forged blob"}}'])}}),
]).then(sent);
</script>"""


class OtherSite:
    """A second local web server on another port: the origin of the attacking pages."""

    def __init__(self, pages):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = pages.get(self.path, "").encode()
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *arguments):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class CrossSiteTest(PortalTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        pages = {"/form": FORM_PAGE, "/urlencoded": URLENCODED_PAGE, "/fetch": FETCH_PAGE}
        cls.site = OtherSite({path: page.format(fakedep=URL) for path, page in pages.items()})

    @classmethod
    def tearDownClass(cls):
        cls.site.close()
        super().tearDownClass()

    def state(self):
        """What the attacking pages try to change, read through the portal's JSON API."""
        return [api("GET", "/portal/servers"), api("GET", "/_fakedep/worlds"), api("GET", "/portal/orders")]

    def test_a_form_posted_from_another_site_changes_nothing(self):
        before = self.state()
        for page in ["/form", "/urlencoded"]:
            self.driver.get(self.site.url + page)
            # The form navigates to fakedep's refusal.
            self.wait_until(lambda: self.driver.current_url.startswith(URL), message=page)
            self.assertIn("CROSS_SITE_REQUEST", self.driver.page_source, page)
        self.assertEqual(self.state(), before)

    def test_a_plain_text_fetch_from_another_site_changes_nothing(self):
        before = self.state()
        self.driver.get(self.site.url + "/fetch")
        self.wait_until(lambda: self.driver.title == "sent", message="the fetches did not settle")
        time.sleep(0.5)
        self.assertEqual(self.state(), before)

    def test_a_page_on_a_rebound_name_can_neither_read_nor_change_fakedep(self):
        before = self.state()
        rebound = "http://%s:%d" % (REBOUND_HOST, urlsplit(URL).port)
        self.driver.get(rebound + "/portal/servers")
        self.assertIn("MISDIRECTED_REQUEST", self.driver.page_source)
        # Same-origin to the rebound name, so nothing but the Host tells fakedep apart.
        status = self.driver.execute_async_script(
            """const done = arguments[arguments.length - 1];
            fetch("/portal/servers", {method: "POST", headers: {"Content-Type": "application/json"},
              body: JSON.stringify({name: "Forged by rebinding"})}).then((r) => done(r.status), (e) => done(String(e)));""")
        self.assertEqual(status, 421)
        self.assertEqual(self.state(), before)

    def test_the_portals_own_pages_still_act(self):
        self.open("/web/servers")
        status = self.driver.execute_async_script(
            """const done = arguments[arguments.length - 1];
            fetch("/portal/servers", {method: "POST", headers: {"Content-Type": "application/json"},
              body: JSON.stringify({name: "Added by its own page"})}).then((r) => done(r.status), (e) => done(String(e)));""")
        self.assertEqual(status, 201)
        self.assertEqual(api("DELETE", "/portal/servers/Added%20by%20its%20own%20page")[0], 204)


if __name__ == "__main__":
    unittest.main()
