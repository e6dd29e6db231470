package com.conversionrules.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.WebhookEndpoint;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An endpoint signs as the Standard Webhooks library verifies, and posts where its URL says. */
class SignedEndpointTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static SignedEndpoint endpoint(String url) {
        return new SignedEndpoint(new WebhookEndpoint("default", URI.create(url), SECRET));
    }

    @Test
    void everySignatureVerifiesWithTheStandardWebhooksLibrary() throws Exception {
        SignedEndpoint endpoint = endpoint("http://127.0.0.1:9/exits");
        long now = System.currentTimeMillis() / 1000;
        // The same signer twice in a row: a kept HMAC must start afresh each time.
        for (String body : List.of("{\"id\":\"e1\",\"user\":\"ann é\"}", "{\"id\":\"e2\"}")) {
            String signature = endpoint.sign("msg_1", now, body.getBytes(StandardCharsets.UTF_8));
            assertTrue(signature.startsWith("v1,"), signature);
            assertEquals(new Webhook(SECRET).sign("msg_1", now, body), signature);
            Map<String, List<String>> headers = Map.of("webhook-id", List.of("msg_1"),
                    "webhook-timestamp", List.of(Long.toString(now)), "webhook-signature", List.of(signature));
            new Webhook(SECRET).verify(body, headers);
            assertThrows(WebhookVerificationException.class, () -> new Webhook(SECRET).verify(body + " ", headers));
        }
    }

    @Test
    void aPostGoesToTheUrlsHostPortAndPathWithQuery() {
        RequestOptions post = endpoint("https://hooks.example/in/exits?team=a").post();
        assertEquals("hooks.example", post.getHost());
        assertEquals(443, post.getPort());
        assertTrue(post.isSsl());
        assertEquals("/in/exits?team=a", post.getURI());

        RequestOptions plain = endpoint("http://[::1]:8080").post();
        assertEquals("::1", plain.getHost());
        assertEquals(8080, plain.getPort());
        assertEquals("/", plain.getURI());
    }
}
