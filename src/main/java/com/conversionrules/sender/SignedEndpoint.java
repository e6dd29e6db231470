package com.conversionrules.sender;

import com.conversionrules.config.WebhookEndpoint;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A sender endpoint with its Standard Webhooks signer. It keeps one HMAC and the parsed URL, since
 * both are used for every delivery; not thread-safe, so only the sender's context uses it.
 */
final class SignedEndpoint {
    private static final String HMAC = "HmacSHA256";
    private static final String SECRET_PREFIX = "whsec_";

    private final String name;
    private final URI url;
    private final Mac mac;
    private final boolean ssl;
    private final String host;
    private final int port;
    private final String path;

    SignedEndpoint(WebhookEndpoint endpoint) {
        this.name = endpoint.name();
        this.url = endpoint.url();
        try {
            new Webhook(endpoint.secret());
        } catch (EmptyWebhookSecretException e) {
            throw new IllegalArgumentException("the webhook secret of endpoint " + endpoint.name() + " is empty", e);
        }
        // The key as the Standard Webhooks library reads a secret: base64, after an optional whsec_ prefix.
        String secret = endpoint.secret();
        byte[] key = Base64.getDecoder().decode(secret.startsWith(SECRET_PREFIX)
                ? secret.substring(SECRET_PREFIX.length()) : secret);
        try {
            this.mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
        this.ssl = "https".equalsIgnoreCase(url.getScheme());
        // An IPv6 literal comes bracketed in a URI, and without brackets in a request's host.
        this.host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
        this.port = url.getPort() >= 0 ? url.getPort() : ssl ? 443 : 80;
        String rawPath = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        this.path = url.getRawQuery() == null ? rawPath : rawPath + '?' + url.getRawQuery();
    }

    String name() {
        return name;
    }

    URI url() {
        return url;
    }

    /** A POST to this endpoint, without parsing its URL again. */
    RequestOptions post() {
        return new RequestOptions().setMethod(HttpMethod.POST).setSsl(ssl).setHost(host).setPort(port).setURI(path);
    }

    /** {@code webhook-signature}: {@code v1,} and the base64 HMAC-SHA256 of {@code id.timestamp.body}. */
    String sign(String id, long timestampSeconds, byte[] body) {
        mac.update((id + '.' + timestampSeconds + '.').getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }
}
