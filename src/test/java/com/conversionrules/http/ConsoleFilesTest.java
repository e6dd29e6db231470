package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.http.TestService.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The console's files come from the jar with their security headers, open like the API document. */
class ConsoleFilesTest extends SharedServiceTest {
    private static final Pattern IMPORT = Pattern.compile("from '(\\.{1,2}/[^']+)'");

    private static Reply fetch(String path) {
        return service.raw("GET", path, null, Map.of());
    }

    private static String text(String path) {
        return fetch(path).body().asText();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/", "/assets/app.js", "/assets/console.css", "/assets/pages/campaign.js", "/assets/icon.svg"})
    void everyConsoleFileCarriesTheSecurityHeaders(String path) {
        Reply reply = expect(200, fetch(path));
        String policy = reply.header("content-security-policy");
        assertTrue(policy.contains("default-src 'none'"), policy);
        assertTrue(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), policy);
        assertTrue(policy.contains("frame-ancestors 'none'"), policy);
        assertTrue(policy.contains("connect-src 'self'"), policy);
        assertEquals("nosniff", reply.header("x-content-type-options"));
        assertEquals("no-referrer", reply.header("referrer-policy"));
        assertEquals("DENY", reply.header("x-frame-options"));
        assertEquals("no-cache", reply.header("cache-control"));
    }

    @Test
    void thePageHasNoInlineScriptOrStyleAndLoadsOnlyItsOwnFiles() {
        Reply page = expect(200, fetch("/"));
        assertTrue(page.contentType().startsWith("text/html"), page.contentType());
        String html = page.body().asText();
        Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(html);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertTrue(scripts.group(1).contains("src=\"/assets/"), "every script is a file of the console: " + scripts.group());
        }
        assertEquals(1, count, html);
        assertFalse(html.contains("<style"), "no inline style");
        assertFalse(html.contains(" style="), "no style attribute");
        assertFalse(Pattern.compile("<[^>]*\\son[a-z]+=").matcher(html).find(), "no inline event handler");
        assertFalse(html.contains("http://") || html.contains("https://"), "nothing from another host");
    }

    /** Module scripts only run when served as JavaScript; every module the app imports is in the jar. */
    @Test
    void everyModuleTheConsoleImportsIsServedAsJavaScript() throws IOException {
        List<String> pending = new ArrayList<>(List.of("/assets/app.js"));
        Set<String> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            String path = pending.remove(0);
            if (!seen.add(path)) {
                continue;
            }
            Reply reply = expect(200, fetch(path));
            assertTrue(reply.contentType().startsWith("text/javascript"), path + ": " + reply.contentType());
            String source = resource(path);
            assertFalse(source.contains("innerHTML") || source.contains("insertAdjacentHTML")
                    || source.contains("document.write") || source.contains("eval("), path + " builds HTML from text");
            Matcher imports = IMPORT.matcher(source);
            while (imports.find()) {
                pending.add(URI.create("http://console" + path).resolve(imports.group(1)).getPath());
            }
        }
        assertTrue(seen.size() >= 10, seen.toString());
    }

    @Test
    void anUnchangedFileIsA304AndHeadSendsNoBody() {
        Reply first = expect(200, fetch("/assets/app.js"));
        String etag = first.header("etag");
        assertTrue(etag.startsWith("\"") && etag.length() > 10, etag);
        Reply again = expect(304, service.raw("GET", "/assets/app.js", null, Map.of("if-none-match", etag)));
        assertEquals(etag, again.header("etag"));
        assertEquals("nosniff", again.header("x-content-type-options"));
        Reply head = expect(200, service.raw("HEAD", "/", null, Map.of()));
        assertTrue(head.header("content-security-policy").contains("frame-ancestors 'none'"));
        assertEquals(null, head.body());
    }

    @Test
    void anUnknownConsoleFileIsAProblemNotAPage() {
        TestService.problem(404, fetch("/assets/no-such-file.js"));
        TestService.problem(404, fetch("/assets/pages/"));
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = ConsoleFilesTest.class.getResourceAsStream("/console" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
