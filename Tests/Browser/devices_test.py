"""The device list, a device's page, and assignment by serials, order and CSV upload."""

import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from portal_test import MOCKDATA, PortalTestCase, api


class DevicePagesTest(PortalTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        status, world = api("POST", "/_fakedep/worlds", {"name": "Ten thousand", "seed": {"devices": 10000, "seed": 9}})
        assert status == 201, world
        cls.world = "/_fakedep/worlds/" + world["id"]
        status, _ = api("POST", cls.world + "/portal/servers", {"name": "Paging MDM"})
        assert status == 201

    def serials_on_page(self):
        return [cell.text for cell in self.driver.find_elements(By.CSS_SELECTOR, "tbody th[scope=row] code")]

    def test_paging_visits_each_of_ten_thousand_devices_once(self):
        self.open(self.world + "/web/devices")
        self.screenshot("devices")
        seen = []
        while True:
            seen += self.serials_on_page()
            following = self.driver.find_elements(By.CSS_SELECTOR, "a[rel=next]")
            if not following:
                break
            following[0].click()
            self.wait_until(lambda: self.serials_on_page() and self.serials_on_page()[0] > seen[-1])
        self.assertEqual(len(seen), 10000)
        self.assertEqual(len(set(seen)), 10000)
        self.assertEqual(seen, sorted(seen))

    def test_a_filter_narrows_the_list_and_survives_paging(self):
        self.open(self.world + "/web/devices")
        Select(self.driver.find_element(By.ID, "filter-family")).select_by_value("iPad")
        self.driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
        self.wait_until(lambda: "family=iPad" in self.driver.current_url)
        families = {cell.text for cell in self.driver.find_elements(By.CSS_SELECTOR, "tbody td:nth-child(3)")}
        self.assertEqual(families, {"iPad"})
        self.driver.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
        self.wait_until(lambda: "after=" in self.driver.current_url)
        self.assertIn("family=iPad", self.driver.current_url)
        families = {cell.text for cell in self.driver.find_elements(By.CSS_SELECTOR, "tbody td:nth-child(3)")}
        self.assertEqual(families, {"iPad"})
        self.screenshot("devices-filtered")

    def test_an_order_is_assigned_from_the_assign_page(self):
        status, orders = api("GET", self.world + "/portal/orders")
        order = orders[0]
        self.open(self.world + "/web/assign")
        Select(self.driver.find_element(By.ID, "order-server")).select_by_visible_text("Paging MDM")
        self.driver.find_element(By.ID, "order-number").send_keys(order["number"])
        self.driver.find_element(By.ID, "order-number").submit()
        report = self.wait_for_text("#report", "assigned")
        self.assertIn("assigned: %d" % order["device_count"], report)
        status, page = api("GET", self.world + "/portal/devices?limit=1000&order=" + order["number"])
        self.assertEqual({device["server"] for device in page["devices"]}, {"Paging MDM"})

    def test_a_device_page_assigns_and_boots_the_device(self):
        status, page = api("GET", self.world + "/portal/devices?limit=1&status=unassigned")
        serial = page["devices"][0]["serial_number"]
        self.open(self.world + "/web/devices/" + serial)
        self.assertIn(serial, self.driver.find_element(By.TAG_NAME, "h1").text)
        form = self.driver.find_element(By.CSS_SELECTOR, "form[data-api$='/devices'][data-then=report]")
        Select(form.find_element(By.TAG_NAME, "select")).select_by_visible_text("Paging MDM")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait_for_text("main", "assigned: 1")
        self.screenshot("device")
        status, device = api("GET", self.world + "/portal/devices?limit=1&serial=" + serial)
        self.assertEqual(device["devices"][0]["server"], "Paging MDM")


class AssignPageTest(PortalTestCase):
    def test_the_csv_with_problems_gives_a_report_line_by_line(self):
        api("POST", "/portal/servers", {"name": "CSV MDM"})
        self.open("/web/assign")
        Select(self.driver.find_element(By.ID, "file-server")).select_by_visible_text("CSV MDM")
        self.driver.find_element(By.ID, "file-csv").send_keys(str((MOCKDATA / "csv" / "assign-with-problems.csv").resolve()))
        self.driver.find_element(By.ID, "file-csv").submit()
        self.wait_for_text("#report", "Report")
        outcomes = {row.get_attribute("data-outcome")
                    for row in self.driver.find_elements(By.CSS_SELECTOR, "#report tbody tr")}
        self.assertTrue({"assigned", "unknown_serial", "malformed"} <= outcomes, outcomes)
        link = self.driver.find_element(By.LINK_TEXT, "Download the report (CSV)")
        self.assertTrue(link.get_attribute("href").startswith("blob:"))
        self.screenshot("assign-report")

    def test_a_hundred_thousand_line_csv_uploads_and_its_report_is_shown_in_part(self):
        api("POST", "/portal/servers", {"name": "Bulk MDM"})
        upload = self.scratch / "bulk.csv"
        upload.write_text("serial_number\r\n" + "".join("NOSUCH%06d\r\n" % n for n in range(100000)))
        self.open("/web/assign")
        Select(self.driver.find_element(By.ID, "file-server")).select_by_visible_text("Bulk MDM")
        self.driver.find_element(By.ID, "file-csv").send_keys(str(upload))
        self.driver.find_element(By.ID, "file-csv").submit()
        # The page answers scripts while the upload and the assignment run.
        self.assertEqual(self.driver.execute_script("return 1 + 1"), 2)
        report = self.wait_for_text("#report", "unknown_serial: 100,000", timeout=120)
        self.assertIn("The first 1,000 of 100,000 lines", report)
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "#report tbody tr")), 1000)

    def test_an_empty_csv_and_an_oversized_key_are_refused_in_the_pages(self):
        api("POST", "/portal/servers", {"name": "Empty MDM"})
        empty = self.scratch / "empty.csv"
        empty.write_bytes(b"")
        self.open("/web/assign")
        form = self.driver.find_element(By.CSS_SELECTOR, "form[data-body=file]")
        Select(self.driver.find_element(By.ID, "file-server")).select_by_visible_text("Empty MDM")
        self.driver.find_element(By.ID, "file-csv").send_keys(str(empty))
        form.submit()
        shown = self.form_error(form)
        status, answer = api("POST", "/portal/servers/Empty%20MDM/devices/csv", b"", "text/csv")
        self.assertEqual(status, 400)
        self.assertEqual(shown, answer["message"])

        huge = self.scratch / "huge.pem"
        with open(huge, "wb") as file:
            file.write(b"-----BEGIN CERTIFICATE-----\n" + b"A" * (50 << 20))
        self.open("/web/servers/Empty%20MDM")
        form = self.driver.find_element(By.CSS_SELECTOR, "form[data-body=file]")
        form.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(huge))
        form.submit()
        self.assertIn("larger than this action accepts", self.form_error(form, timeout=60))


if __name__ == "__main__":
    unittest.main()
