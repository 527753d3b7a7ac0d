"""The test-control pages: the clock, fault rules and the live journal."""

import json
import unittest
from datetime import datetime, timedelta

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from portal_test import PortalTestCase, api


class ControlPagesTest(PortalTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        status, world = api("POST", "/_fakedep/worlds", {"name": "Control", "seed": "mock"})
        assert status == 201, world
        cls.world = "/_fakedep/worlds/" + world["id"]

    def test_advancing_the_clock_moves_the_worlds_time_and_says_what_fell_due(self):
        status, before = api("GET", self.world + "/clock")
        self.open(self.world + "/web/control#clock")
        self.driver.find_element(By.ID, "advance-by").send_keys("P7D")
        self.driver.find_element(By.ID, "advance-by").submit()
        shown = self.wait_for_text("#clock-due", "now")
        moved = datetime.fromisoformat(json.loads(shown)["now"].replace("Z", "+00:00"))
        start = datetime.fromisoformat(before["now"].replace("Z", "+00:00"))
        # The world's clock runs on while the page works: a week and a few seconds.
        self.assertLess(abs(moved - start - timedelta(days=7)), timedelta(seconds=30))
        self.screenshot("control")

    def test_a_fault_added_on_the_page_fires_and_is_removed_there(self):
        self.open(self.world + "/web/control#faults")
        Select(self.driver.find_element(By.ID, "fault-operation")).select_by_visible_text("portal_list_orders")
        self.driver.find_element(By.ID, "fault-status").send_keys("503")
        self.driver.find_element(By.ID, "fault-times").send_keys("1")
        self.driver.find_element(By.ID, "fault-status").submit()
        self.wait_for_text("#faults-section tbody", "portal_list_orders")
        status, rules = api("GET", self.world + "/faults")
        self.assertEqual(len(rules), 1, rules)
        self.assertEqual(api("GET", self.world + "/portal/orders")[0], 503)
        self.driver.refresh()
        self.wait_for(By.CSS_SELECTOR, "#faults-section")
        fired = self.driver.find_elements(By.CSS_SELECTOR, "#faults-section tbody td.num")
        self.assertEqual([cell.text for cell in fired], ["1", "1"])
        self.driver.find_element(By.CSS_SELECTOR, "#faults-section tbody button[aria-label^='Remove rule']").click()
        self.wait_for_text("#faults-section tbody", "No fault rules")
        self.assertEqual(api("GET", self.world + "/faults")[1], [])

    def test_a_request_appears_in_the_live_journal(self):
        self.open(self.world + "/web/control/journal")
        self.wait_until(lambda: self.driver.find_element(By.ID, "journal-pause").is_displayed())
        api("GET", self.world + "/portal/servers/Nobody%20Here")
        row = self.wait_for_text("#journal-rows tr", "portal_show_server")
        self.assertIn("404", row)
        self.screenshot("journal")


if __name__ == "__main__":
    unittest.main()
