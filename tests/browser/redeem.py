#!/usr/bin/python3
"""redeem.py: a real browser (headless Chromium, driven by Selenium) on the
merchant site, as a shop assistant uses it.

    /usr/bin/python3 redeem.py URL USER PASSWORD SERIAL SHOTS-DIR SPKI

Signs in, redeems SERIAL, sees "already redeemed" on a second try, is
refused a form posted from another site (no session cookie goes with it,
and no CSRF token), and checks that the pages fit a phone's width. Prints
one line per check, "ok NAME" or "not ok NAME: why"; screenshots go to
SHOTS-DIR. SPKI is the base64 SHA-256 of the site's public key: the
browser trusts that key as a real site's, so the site's cookies are
treated as they would be in use (Chromium keeps no Secure cookie of a site
whose certificate it refused).
"""
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

url, user, password, serial, shots, spki = sys.argv[1:7]


def shows(text, seconds=10):
    """Waits until the page holds text (a submit's page has loaded)."""
    try:
        WebDriverWait(browser, seconds).until(lambda b: text in b.page_source)
        return True
    except Exception:
        return False


def check(name, good, why=""):
    print(("ok " if good else "not ok ") + name + ("" if good else ": " + why),
          flush=True)


options = Options()
for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--window-size=390,844",
            "--ignore-certificate-errors-spki-list=" + spki):
    options.add_argument(arg)
browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                           options=options)
try:
    browser.set_page_load_timeout(30)
    browser.get(url + "/")
    check("signed out, the site sends the browser to sign in",
          browser.current_url.endswith("/login"), browser.current_url)
    browser.find_element(By.ID, "user").send_keys(user)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    check("signed in: the serial form", shows("Coupon serial"), browser.title)
    browser.save_screenshot(shots + "/1-serial-form.png")

    # typed as a customer reads it off a phone: lower case, spaces
    browser.find_element(By.ID, "serial").send_keys(
        serial.lower().replace("-", " "))
    browser.find_element(By.XPATH, "//button[text()='Look up']").click()
    check("the serial's promotion and offer are shown",
          shows("<dt>Offer</dt>") and serial in browser.page_source,
          browser.page_source[-300:])
    browser.save_screenshot(shots + "/2-coupon.png")
    browser.find_element(By.XPATH, "//button[text()='Redeem']").click()
    check("redeemed with one button", shows("Redeemed: " + serial))
    browser.save_screenshot(shots + "/3-redeemed.png")

    browser.get(url + "/")
    browser.find_element(By.ID, "serial").send_keys(serial)
    browser.find_element(By.XPATH, "//button[text()='Look up']").click()
    check("a second try: already redeemed, when and by whom",
          shows("Already redeemed on") and user in browser.page_source)
    width = browser.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]")
    check("the page fits a phone's width (no sideways scrolling)",
          width[0] <= width[1], str(width))
    browser.save_screenshot(shots + "/4-already-redeemed.png")

    # a form on another site that posts to this one: the browser sends
    # no session cookie (SameSite=Strict) and the form has no token
    browser.get("data:text/html,<form method=post action='" + url +
                "/redeem'><input name=serial value='" + serial +
                "'><button id=go>go</button></form>")
    browser.find_element(By.ID, "go").click()
    check("a form from another site is refused",
          shows("Sign in again") or
          "did not come from this site" in browser.page_source,
          browser.page_source[-300:])
    browser.save_screenshot(shots + "/5-cross-site-refused.png")
finally:
    browser.quit()
