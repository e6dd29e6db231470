package com.conversionrules.http;

import static com.conversionrules.http.TestService.ADMIN_KEY;
import static com.conversionrules.http.TestService.WRITE_KEY;
import static com.conversionrules.http.TestService.assertDetailContains;
import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.conversionrules.http.TestService.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A 401 says what is wrong with the Authorization header, and never blames a key that is right. */
class AuthHeaderTest extends SharedServiceTest {
    private static byte[] event(String id, String user) {
        return ("{\"id\":\"" + id + "\",\"userId\":\"" + user + "\",\"name\":\"Placed Order\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> authorization(String value) {
        return Map.of("content-type", "application/json", "authorization", value);
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static int placedOrders(String user) {
        return expect(200, service.get("/v1/users/" + user + "/performed?event=Placed%20Order")).body()
                .path("count").asInt();
    }

    @Test
    void aKeyWithoutBearerIsToldToAddTheScheme() {
        Reply reply = service.raw("POST", "/v1/events", event("ah-1", "ah-u1"), authorization(WRITE_KEY));
        problem(401, reply);
        assertDetailContains(reply, "holds no scheme", "put 'Bearer ' before the key");
        assertFalse(reply.detail().contains("not one of this service's keys"), reply.detail());
        Reply admin = service.raw("GET", "/v1/campaigns", null, authorization(ADMIN_KEY));
        problem(401, admin);
        assertDetailContains(admin, "holds no scheme");
        assertEquals(0, placedOrders("ah-u1"));
    }

    @Test
    void anUnknownSchemeOrAnEmptyBearerSaysSo() {
        assertDetailContains(service.raw("POST", "/v1/events", event("ah-2", "ah-u2"),
                authorization("Token " + WRITE_KEY)), "scheme 'Token' is not one this service reads");
        assertDetailContains(service.raw("POST", "/v1/events", event("ah-2", "ah-u2"),
                authorization("Bearer")), "no key after 'Bearer'");
        assertDetailContains(service.raw("POST", "/v1/events", event("ah-2", "ah-u2"),
                authorization("Basic !!!")), "not base64");
        assertEquals(0, placedOrders("ah-u2"));
    }

    @Test
    void basicAuthWithTheWriteKeyWorksOnEveryWriteRoute() {
        expect(200, service.raw("POST", "/v1/events", event("ah-3", "ah-u3"), authorization(basic(WRITE_KEY + ":"))));
        expect(200, service.raw("POST", "/v1/events", event("ah-4", "ah-u3"), authorization(basic(":" + WRITE_KEY))));
        expect(200, service.raw("POST", "/v1/page", "{\"messageId\":\"ah-5\",\"userId\":\"ah-u3\"}"
                .getBytes(StandardCharsets.UTF_8), authorization(basic(WRITE_KEY + ":"))));
        assertEquals(2, placedOrders("ah-u3"));
        Reply wrongKind = service.raw("POST", "/v1/events", event("ah-6", "ah-u3"), authorization(basic(ADMIN_KEY + ":")));
        problem(403, wrongKind);
        assertDetailContains(wrongKind, "needs a write key; the key sent is an admin key");
    }

    @Test
    void anUnknownKeySaysWhereTheKeysAre() {
        Reply reply = service.raw("GET", "/v1/campaigns", null, authorization("Bearer ak_not-a-key-0123456789"));
        problem(401, reply);
        assertDetailContains(reply, "not one of this service's keys", "keys.json");
    }

    @Test
    void theWrongKindSaysWhichKindIsNeededWithItsArticle() {
        Reply reply = service.raw("GET", "/v1/exits", null, authorization("Bearer " + WRITE_KEY));
        problem(403, reply);
        assertDetailContains(reply, "this route needs an admin key; the key sent is a write key");
        Reply none = service.raw("GET", "/v1/exits", null, Map.of());
        assertDetailContains(none, "this route needs an admin key");
    }
}
