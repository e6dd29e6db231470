package com.conversionrules.http;

import static com.conversionrules.http.TestService.ADMIN_KEY;
import static com.conversionrules.http.TestService.WRITE_KEY;
import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.Config;
import com.conversionrules.holdout.Holdout;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real browser against the real service: what a marketer and an analyst do with
 * it, the way they do it (clicks and the keyboard), with the API sending the events meanwhile.
 */
class ConsoleJourneyTest {
    private static final String ORDER_RULE = "An order converts the user out of every live campaign waiting for an order";

    @TempDir
    static Path dir;
    static Path rules;
    static TestService service;
    static ConsoleBrowser browser;
    static WebhookReceiver sender;

    @RegisterExtension
    final AfterTestExecutionCallback screenshots = ConsoleBrowser.screenshotsOnFailure(() -> browser);

    @BeforeAll
    static void start() throws Exception {
        rules = ReloadTest.copyShippedRules(dir.resolve("rules"));
        sender = new WebhookReceiver();
        service = TestService.start(dir.resolve("data"), Map.of(Config.RULES_DIR, rules.toString(),
                Config.RULES_POLL_SECONDS, "0",
                Config.SENDER_WEBHOOKS, "email=" + sender.url() + "|whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        browser = ConsoleBrowser.start("http://127.0.0.1:" + service.uri("/").getPort());
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (service != null) {
            service.close();
        }
        if (sender != null) {
            sender.close();
        }
    }

    private static WebDriver driver() {
        return browser.driver();
    }

    /** A fresh tab state: no key kept, the sign-in form, then the admin key; the browser's log starts empty. */
    private static void signIn() {
        signOutCompletely();
        browser.severeLogs();
        typeKey(ADMIN_KEY);
        browser.untilText(By.cssSelector("main h1"), "Campaigns");
    }

    private static void signOutCompletely() {
        browser.forgetVisited();
        browser.load("");
        browser.script("sessionStorage.clear()");
        browser.load("#/campaigns");
        browser.find(By.id("admin-key"));
    }

    private static void typeKey(String key) {
        WebElement input = browser.find(By.id("admin-key"));
        input.clear();
        input.sendKeys(key);
        driver().findElement(By.cssSelector("form.sign-in button[type=submit]")).click();
    }

    private static String text(String css) {
        return browser.find(By.cssSelector(css)).getText();
    }

    @Test
    void aMarketerCreatesReviewsAndLaunchesACampaignThenSeesTheConversionAndWhyTheUserLeft() {
        signIn();
        driver().findElement(By.linkText("New campaign")).click();
        browser.find(By.id("campaign-name")).sendKeys("Black Friday");
        assertEquals("black-friday", driver().findElement(By.id("campaign-id")).getAttribute("value"),
                "the id follows the name");
        WebElement placedOrder = browser.find(By.cssSelector("label[for='conversionEvent-placed_order']"));
        assertTrue(placedOrder.getText().contains("Placed order"), placedOrder.getText());
        assertTrue(text("#conversionEvent-placed_order-description").contains("Order Completed"),
                "each choice shows its description from the rules");
        placedOrder.click();
        driver().findElement(By.xpath("//button[normalize-space()='Continue to review']")).click();

        browser.untilText(By.cssSelector("main h1"), "Review Black Friday");
        assertTrue(text(".facts").contains("Placed order"), text(".facts"));
        JsonNode review = expect(200, service.get("/v1/campaigns/black-friday/review")).body();
        String warnings = text(".warnings");
        review.path("warnings").forEach(warning -> assertTrue(warnings.contains(warning.asText()),
                "the review shows the API's warning '" + warning.asText() + "': " + warnings));
        driver().findElement(By.id("launch")).click();

        browser.untilText(By.cssSelector(".meta"), "Live", "Converts on Placed order");
        assertEquals("live", expect(200, service.get("/v1/campaigns/black-friday")).body().path("status").asText());

        // The platform enrolls users and sends an order through the API while the page stays open.
        expect(200, service.post("/v1/campaigns/black-friday/enrollments",
                "{\"enrollments\":[{\"userId\":\"ann\"},{\"userId\":\"bob\"}]}"));
        expect(200, service.post("/v1/events", "{\"id\":\"order-1\",\"userId\":\"ann\",\"name\":\"Placed Order\","
                + "\"properties\":{\"value\":129.90}}"));

        browser.untilText(By.id("figure-converted"), "1");
        browser.untilText(By.id("latest-exits"), "email: delivered");
        String version = expect(200, service.get("/v1/rules")).body().path("version").asText();
        String exits = browser.untilText(By.id("latest-exits"), ORDER_RULE);
        assertTrue(exits.contains("ann") && exits.contains("placed-order.drl") && exits.contains(version)
                && exits.contains("Placed Order"), exits);
        assertEquals("2", text("#figure-enrolled"));
        assertEquals("1", text("#figure-active"));
        assertEquals("50%", text("#figure-rate"));
        assertTrue(text("#figure-revenue").contains("129.90"), text("#figure-revenue"));
        List<WebElement> bars = browser.until(d -> {
            List<WebElement> drawn = new ArrayList<>();
            for (WebElement bar : d.findElements(By.cssSelector(".chart rect.bar"))) {
                if (Double.parseDouble(bar.getAttribute("height")) > 0) {
                    drawn.add(bar);
                }
            }
            return drawn.isEmpty() ? null : drawn;
        });
        assertEquals(1, bars.size(), "one hour had conversions");
        assertTrue(driver().findElement(By.cssSelector(".chart svg title")).getAttribute("textContent")
                .contains("1 in all"), "the chart describes itself");
        browser.screenshotFullPage(ConsoleBrowser.SCREENSHOTS.resolve("campaign-page.png"));

        driver().findElement(By.cssSelector("#latest-exits a[href='#/users/ann']")).click();
        String why = browser.untilText(By.id("user-campaigns"), "Converted", "Placed Order", ORDER_RULE);
        assertTrue(why.contains("placed-order.drl") && why.contains("order-1") && why.contains("Black Friday"), why);

        WebElement eventName = browser.find(By.id("performed-event"));
        eventName.sendKeys("Placed Order");
        eventName.sendKeys(Keys.ENTER);
        assertTrue(browser.untilText(By.id("performed-answer"), "Yes").contains("1 time"));
        eventName.clear();
        eventName.sendKeys("Clicked SMS", Keys.ENTER);
        browser.untilText(By.id("performed-answer"), "No.", "has not performed");

        assertEquals(List.of(), otherHosts(), "the console asks nothing of any other host");
        assertEquals(List.of(), browser.severeLogs(), "no script error, refused request or policy violation");
    }

    @Test
    void aBrokenRulesFileShowsItsFileAndLineOnTheRulesPageAndTheCasesStillPass() throws Exception {
        signIn();
        browser.open("#/rules");
        String running = browser.untilText(By.id("rules-version"));
        browser.untilText(By.id("case-report"), "All pass");
        Path broken = rules.resolve("broken.drl");
        Files.writeString(broken, ReloadTest.WISHLIST.replace("then", "thn"));
        try {
            browser.find(By.id("reload-rules")).click();
            String errors = browser.untilText(By.id("reload-errors"), "broken.drl:");
            assertTrue(errors.matches("(?s).*broken\\.drl:\\d+.*"), "file:line: " + errors);
            assertTrue(text("#last-reload").contains("Refused: the folder does not compile"), text("#last-reload"));
            assertEquals(running, text("#rules-version"), "the running rules stay");
            assertTrue(text("#case-report").contains("against version " + running), text("#case-report"));
        } finally {
            Files.delete(broken);
        }
    }

    @Test
    void theSenderEndpointsPageShowsEachEndpointAndItsBacklog() {
        signIn();
        browser.open("#/endpoints");
        String endpoints = browser.untilText(By.id("endpoints"), "email", sender.url(), "Active");
        assertTrue(endpoints.contains("Waiting"), endpoints);
        assertEquals(List.of(), browser.severeLogs());
    }

    @Test
    void aCampaignNamedLikeMarkupShowsAsText() {
        String name = "<img src=x onerror=alert(1)>";
        expect(201, service.post("/v1/campaigns", "{\"id\":\"markup\",\"name\":\"" + name
                + "\",\"type\":\"multi_touch\",\"conversionEvent\":\"placed_order\"}"));
        signIn();
        assertEquals(name, browser.find(By.cssSelector("a[href='#/campaigns/markup']")).getText());
        browser.open("#/campaigns/markup");
        browser.untilText(By.cssSelector("main h1"), name);
        browser.open("#/campaigns/markup/review");
        browser.untilText(By.cssSelector("main h1"), "Review " + name);
        assertTrue(driver().findElements(By.cssSelector("main img")).isEmpty(), "no element was made from the name");
        assertThrows(NoAlertPresentException.class, () -> driver().switchTo().alert());
    }

    @Test
    void aWrongKeySaysSoAndSigningOutForgetsTheKey() {
        signOutCompletely();
        typeKey("wrong-key-0123456789abcdef");
        assertTrue(browser.untilText(By.cssSelector("#sign-in-feedback [role=alert]"), "not one of this service's keys")
                .length() > 0);
        typeKey(WRITE_KEY);
        browser.untilText(By.cssSelector("#sign-in-feedback [role=alert]"), "This is a write key");
        assertEquals(0L, browser.script("return sessionStorage.length"), "a refused key is not kept");

        typeKey(ADMIN_KEY);
        browser.untilText(By.cssSelector("main h1"), "Campaigns");
        assertEquals(ADMIN_KEY, browser.script("return sessionStorage.getItem('conversion-rules.admin-key')"));
        assertEquals(0L, browser.script("return localStorage.length"), "nothing outlives the tab");
        assertEquals("", browser.script("return document.cookie"));
        assertFalse(driver().getCurrentUrl().contains(ADMIN_KEY), driver().getCurrentUrl());

        driver().findElement(By.id("sign-out")).click();
        browser.untilText(By.id("sign-in-feedback"), "signed out");
        assertEquals(0L, browser.script("return sessionStorage.length"), "signing out forgets the key");
        browser.open("#/rules");
        browser.find(By.id("admin-key"));
        assertFalse(driver().findElement(By.id("nav")).isDisplayed(), "no console pages without a key");
    }

    @Test
    void aCampaignWithTwoConversionEventsAHoldoutAndNoReentryShowsThemAndWhatTheMessagesChanged() {
        signIn();
        driver().findElement(By.linkText("New campaign")).click();
        browser.find(By.id("campaign-name")).sendKeys("Winback");
        browser.find(By.cssSelector("label[for='conversionEvent-placed_order']")).click();
        browser.find(By.cssSelector("label[for='conversionEvent-clicked_email']")).click();
        new Select(browser.find(By.id("reentry-kind"))).selectByValue("never");
        WebElement holdout = browser.find(By.id("holdout-percent"));
        holdout.clear();
        holdout.sendKeys("50");
        driver().findElement(By.xpath("//button[normalize-space()='Continue to review']")).click();

        String facts = browser.untilText(By.cssSelector(".facts"), "Conversion events (the first that happens)",
                "Placed order", "Clicked email", "Never", "50% of enrolled users");
        JsonNode created = expect(200, service.get("/v1/campaigns/winback")).body();
        assertEquals(List.of("placed_order", "clicked_email"), created.path("conversionEvents").findValuesAsText("id"),
                facts);
        assertEquals("never", created.path("reentry").asText());
        assertEquals(50, created.path("holdoutPercent").asInt());
        driver().findElement(By.id("launch")).click();
        browser.untilText(By.cssSelector(".meta"), "Converts on whichever comes first: Placed order or Clicked email",
                "enter again: never", "50% held out");

        // Every user converts: half by an order, half by a click, in both groups.
        StringBuilder enrollments = new StringBuilder();
        int heldOut = 0;
        for (int u = 0; u < 20; u++) {
            enrollments.append(u == 0 ? "" : ",").append("{\"userId\":\"w").append(u).append("\"}");
            heldOut += Holdout.holdsOut("winback", "w" + u, 50) ? 1 : 0;
        }
        expect(200, service.post("/v1/campaigns/winback/enrollments", "{\"enrollments\":[" + enrollments + "]}"));
        for (int u = 0; u < 20; u++) {
            expect(200, service.post("/v1/events", u % 2 == 0
                    ? "{\"id\":\"wo" + u + "\",\"userId\":\"w" + u + "\",\"name\":\"Placed Order\"}"
                    : "{\"id\":\"wc" + u + "\",\"userId\":\"w" + u + "\",\"name\":\"Clicked Email\","
                            + "\"campaignId\":\"winback\"}"));
        }
        browser.untilText(By.id("figure-converted"), "20");
        String byEvent = browser.untilText(By.id("by-conversion-event"), "Placed order", "Clicked email");
        assertTrue(byEvent.contains("10"), byEvent);
        String groups = browser.untilText(By.id("uplift-groups"), "Got the messages", "Held out");
        assertTrue(groups.replaceAll("\\s+", " ").contains("Held out " + heldOut + " " + heldOut + " 100%"), groups);
        assertTrue(browser.untilText(By.id("uplift-verdict"), "Lift: 0.0 points").contains("95% interval"),
                text("#uplift-verdict"));
    }

    @Test
    void changingALiveCampaignSaysWhatHappensToItsUsersAndEndingAsksFirst() {
        service.liveCampaign("spring", "multi_touch", "placed_order");
        service.enroll("spring", "cy", "2026-11-01T10:00:00Z");
        signIn();
        browser.open("#/campaigns/spring");
        browser.find(By.linkText("Change")).click();

        String notice = browser.untilText(By.id("live-change-notice"), "live with 1 user");
        assertTrue(notice.contains("What they did before is not looked at again"), notice);
        WebElement length = browser.find(By.id("window-length"));
        length.sendKeys("3");
        driver().findElement(By.xpath("//button[normalize-space()='Save changes']")).click();
        browser.untilText(By.cssSelector(".meta"), "within 3 days of enrolling");
        assertEquals("P3D", expect(200, service.get("/v1/campaigns/spring")).body().path("conversionWindow").asText());

        driver().findElement(By.xpath("//button[normalize-space()='End campaign']")).click();
        WebElement dialog = browser.find(By.cssSelector("dialog[open]"));
        assertTrue(dialog.getText().contains("The 1 user still in it will leave"), dialog.getText());
        dialog.findElement(By.xpath(".//button[normalize-space()='Keep it running']")).click();
        browser.until(d -> d.findElements(By.cssSelector("dialog[open]")).isEmpty());
        assertEquals("live", expect(200, service.get("/v1/campaigns/spring")).body().path("status").asText());

        driver().findElement(By.xpath("//button[normalize-space()='End campaign']")).click();
        browser.find(By.id("confirm-end")).click();
        browser.untilText(By.cssSelector("main [role=status]"), "Ended. 1 user left the campaign");
        browser.untilText(By.cssSelector(".meta"), "Ended");
        assertEquals("ended", expect(200, service.get("/v1/campaigns/spring")).body().path("status").asText());
    }

    /** Keyboard only: type, Tab, Tab through the catalogue and Space to tick, Enter to submit, Tab to Launch. */
    @Test
    void aCampaignCanBeCreatedAndLaunchedWithTheKeyboardAlone() {
        signIn();
        browser.open("#/campaigns/new");
        browser.find(By.id("campaign-name")).click();
        WebElement focused = active();
        focused.sendKeys("Keyboard sale");
        focused.sendKeys(Keys.TAB);
        assertEquals("campaign-id", active().getAttribute("id"));
        active().sendKeys(Keys.TAB);
        assertEquals("type", active().getAttribute("name"), "Tab reaches the type choices");
        active().sendKeys(Keys.TAB);
        assertEquals("conversionEvent", active().getAttribute("name"), "Tab reaches the conversion event choices");
        for (int i = 0; i < 20 && !"placed_order".equals(active().getAttribute("value")); i++) {
            active().sendKeys(Keys.TAB);
        }
        assertEquals("placed_order", active().getAttribute("value"));
        active().sendKeys(Keys.SPACE);
        assertTrue(active().isSelected(), "space ticks the conversion event");
        for (int i = 0; i < 20 && !"window-length".equals(active().getAttribute("id")); i++) {
            active().sendKeys(Keys.TAB);
        }
        assertEquals("window-length", active().getAttribute("id"), "the window follows the conversion events");
        active().sendKeys("7", Keys.ENTER);

        browser.untilText(By.cssSelector("main h1"), "Review Keyboard sale");
        for (int i = 0; i < 30 && !"launch".equals(active().getAttribute("id")); i++) {
            active().sendKeys(Keys.TAB);
        }
        active().sendKeys(Keys.ENTER);
        browser.untilText(By.cssSelector(".meta"), "Live", "within 7 days");
        JsonNode campaign = expect(200, service.get("/v1/campaigns/keyboard-sale")).body();
        assertEquals("placed_order", campaign.path("conversionEvent").asText());
        assertEquals("P7D", campaign.path("conversionWindow").asText());
    }

    /** Every page on a phone: nothing wider than the screen, and every control named for a screen reader. */
    @Test
    void everyPageFitsAPhoneAndEveryControlHasALabel() {
        service.liveCampaign("phone", "multi_touch", "placed_order");
        service.enroll("phone", "dot", "2026-11-01T10:00:00Z");
        service.event("phone-order", "dot", "Placed Order", "2026-11-02T10:00:00Z", null);
        signIn();
        browser.size(ConsoleBrowser.PHONE);
        try {
            Map<String, String> pages = new java.util.LinkedHashMap<>();
            pages.put("campaigns", "#/campaigns");
            pages.put("new-campaign", "#/campaigns/new");
            pages.put("campaign", "#/campaigns/phone");
            pages.put("review", "#/campaigns/phone/review");
            pages.put("change-campaign", "#/campaigns/phone/edit");
            pages.put("users", "#/users");
            pages.put("user", "#/users/dot");
            pages.put("rules", "#/rules");
            pages.put("endpoints", "#/endpoints");
            for (Map.Entry<String, String> page : pages.entrySet()) {
                browser.open(page.getValue());
                browser.until(d -> d.findElements(By.cssSelector("main .loading")).isEmpty()
                        && !d.findElements(By.cssSelector("main h1")).isEmpty());
                browser.until(d -> !d.findElement(By.id("freshness")).getText().isEmpty()
                        || page.getKey().equals("new-campaign") || page.getKey().equals("users")
                        || page.getKey().equals("review") || page.getKey().equals("change-campaign"));
                assertEquals(List.of(), unlabelled(), page.getKey() + ": controls without a name");
                Object overflow = browser.script(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
                assertEquals(0L, overflow, page.getKey() + " is wider than a phone");
                browser.screenshotFullPage(ConsoleBrowser.SCREENSHOTS.resolve("phone").resolve(page.getKey() + ".png"));
            }
        } finally {
            browser.size(ConsoleBrowser.LAPTOP);
        }
    }

    private static WebElement active() {
        return driver().switchTo().activeElement();
    }

    /** Inputs, selects and buttons a screen reader could not name. */
    @SuppressWarnings("unchecked")
    private static List<String> unlabelled() {
        return (List<String>) browser.script("""
                return [...document.querySelectorAll('input, select, textarea, button, a[href]')]
                  .filter((el) => el.offsetParent !== null || el.type === 'radio')
                  .filter((el) => {
                    if (el.matches('input, select, textarea')) {
                      return el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby');
                    }
                    return el.textContent.trim() === '' && !el.getAttribute('aria-label');
                  })
                  .map((el) => el.outerHTML.slice(0, 120));""");
    }

    /** Every resource the page loaded that came from anywhere but the service. */
    @SuppressWarnings("unchecked")
    private static List<String> otherHosts() {
        return (List<String>) browser.script("""
                return performance.getEntriesByType('resource').map((entry) => entry.name)
                  .filter((url) => !url.startsWith(location.origin + '/'));""");
    }
}
