"""The overview and the MDM server pages."""

import subprocess
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from portal_test import PortalTestCase, api


class ServerPagesTest(PortalTestCase):
    def test_the_overview_shows_the_seeded_organisation(self):
        self.open("/")
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, "Acme Corp")
        families = [row.text for row in self.driver.find_elements(By.CSS_SELECTOR, "#devices ~ div tbody th")]
        self.assertIn("iPhone", families)
        self.screenshot("overview")

    def test_a_server_added_with_its_key_gives_a_token_that_decrypts(self):
        key, certificate = self.certificate("browser-mdm")
        self.open("/web/servers")
        form = self.driver.find_element(By.CSS_SELECTOR, "form[data-api$='/portal/servers']")
        form.find_element(By.NAME, "name").send_keys("Browser MDM")
        form.find_element(By.NAME, "certificate").send_keys(str(certificate))
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait_for_text("h1", "Browser MDM")
        self.assertIn("browser-mdm", self.driver.find_element(By.CSS_SELECTOR, ".facts").text)
        self.screenshot("server")

        self.driver.find_element(By.LINK_TEXT, "Download the server token").click()
        token = self.downloaded(".p7m")
        decrypted = subprocess.run(
            ["openssl", "smime", "-decrypt", "-in", str(token), "-inkey", str(key)],
            check=True, capture_output=True, text=True).stdout
        self.assertIn("consumer_key", decrypted)
        self.open("/web/servers")
        self.assertIn("expires", self.driver.find_element(By.CSS_SELECTOR, "tbody").text)
        self.screenshot("servers")

    def test_forms_work_with_the_keyboard_only(self):
        self.open("/web/servers")
        name = self.driver.find_element(By.ID, "new-name")
        name.send_keys("Keyboard MDM", Keys.ENTER)
        self.wait_for_text("h1", "Keyboard MDM")
        status, server = api("GET", "/portal/servers/Keyboard%20MDM")
        self.assertEqual(status, 200)
        self.assertFalse(server["has_certificate"])

    def test_bad_input_is_refused_in_the_json_routes_words_and_markup_stays_text(self):
        not_a_certificate = self.scratch / "notes.pem"
        not_a_certificate.write_text("these are my notes, not a certificate\n")
        self.open("/web/servers")
        form = self.driver.find_element(By.CSS_SELECTOR, "form[data-api$='/portal/servers']")
        form.find_element(By.NAME, "name").send_keys("Refused MDM")
        form.find_element(By.NAME, "certificate").send_keys(str(not_a_certificate))
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        shown = self.form_error(form)
        status, answer = api("POST", "/portal/servers",
                             {"name": "Refused MDM", "certificate": not_a_certificate.read_text()})
        self.assertEqual(status, 400)
        self.assertEqual(shown, answer["message"])
        self.screenshot("server-refused")

        markup = "<img src=x onerror=alert(1)> & <b>co</b>"
        form.find_element(By.NAME, "name").clear()
        form.find_element(By.NAME, "name").send_keys(markup)
        form.find_element(By.NAME, "certificate").clear()
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait_for_text("h1", markup)
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "main img, main b"), [])

    def test_a_server_becomes_the_default_of_the_families_chosen(self):
        api("POST", "/portal/servers", {"name": "Default MDM"})
        self.open("/web/servers/Default%20MDM")
        families = Select(self.driver.find_element(By.ID, "default-families"))
        families.select_by_value("MAC")
        families.select_by_value("IPAD")
        self.driver.find_element(By.ID, "default-families").submit()
        self.wait_until(lambda: api("GET", "/portal/servers/Default%20MDM/default-families")[1]["families"]
                        == ["IPAD", "MAC"])
        self.wait_for(By.ID, "default-families")
        chosen = [o.get_attribute("value") for o in Select(self.driver.find_element(By.ID, "default-families"))
                  .all_selected_options]
        self.assertEqual(chosen, ["IPAD", "MAC"])
        api("PUT", "/portal/servers/Default%20MDM/default-families", {"families": []})

    def test_deleting_a_server_asks_first(self):
        api("POST", "/portal/servers", {"name": "Doomed MDM"})
        self.open("/web/servers/Doomed%20MDM")
        self.driver.find_element(By.CSS_SELECTOR, "button.danger").click()
        self.driver.switch_to.alert.dismiss()
        self.assertEqual(api("GET", "/portal/servers/Doomed%20MDM")[0], 200)
        self.driver.find_element(By.CSS_SELECTOR, "button.danger").click()
        self.driver.switch_to.alert.accept()
        self.wait_for_text("h1", "MDM servers")
        self.assertEqual(api("GET", "/portal/servers/Doomed%20MDM")[0], 404)


if __name__ == "__main__":
    unittest.main()
