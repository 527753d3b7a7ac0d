"""Apple Configurator and the ABM API accounts."""

import unittest

from selenium.webdriver.common.by import By

from portal_test import PortalTestCase, api


class AccountAndConfiguratorPagesTest(PortalTestCase):
    def test_devices_added_with_configurator_are_provisional(self):
        self.open("/web/configurator")
        self.driver.find_element(By.ID, "add-serials").send_keys("CFGBROWSER01\nCFGBROWSER02")
        self.driver.find_element(By.CSS_SELECTOR, "form[data-api$='/configurator/devices'] button[type=submit]").click()
        self.wait_for_text("#report", "added: 2")
        self.driver.refresh()
        self.wait_for_text("main", "CFGBROWSER02")
        self.screenshot("configurator")
        status, page = api("GET", "/portal/devices?limit=5&serial=CFGBROWSER")
        self.assertEqual([device["serial_number"] for device in page["devices"]], ["CFGBROWSER01", "CFGBROWSER02"])

    def test_an_api_accounts_key_is_shown_once(self):
        self.open("/web/api-accounts")
        self.driver.find_element(By.ID, "account-name").send_keys("Browser API")
        self.driver.find_element(By.ID, "account-name").submit()
        shown = self.wait_for_text("#created", "BEGIN")
        self.assertIn("PRIVATE KEY", shown)
        self.screenshot("api-accounts")
        self.driver.refresh()
        self.wait_for_text("main", "Browser API")
        self.assertNotIn("PRIVATE KEY", self.driver.find_element(By.TAG_NAME, "main").text)


if __name__ == "__main__":
    unittest.main()
