package com.conversionrules.sender;

import com.conversionrules.config.WebhookEndpoint;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.net.URI;

/** A sender endpoint with its Standard Webhooks signer. */
final class SignedEndpoint {
    private final String name;
    private final URI url;
    private final Webhook signer;

    SignedEndpoint(WebhookEndpoint endpoint) {
        this.name = endpoint.name();
        this.url = endpoint.url();
        try {
            this.signer = new Webhook(endpoint.secret());
        } catch (EmptyWebhookSecretException e) {
            throw new IllegalArgumentException("the webhook secret of endpoint " + endpoint.name() + " is empty", e);
        }
    }

    String name() {
        return name;
    }

    URI url() {
        return url;
    }

    /** {@code webhook-signature}: {@code v1,} and the base64 HMAC-SHA256 of {@code id.timestamp.body}. */
    String sign(String id, long timestampSeconds, String body) {
        try {
            return signer.sign(id, timestampSeconds, body);
        } catch (WebhookSigningException e) {
            throw new IllegalStateException("signing a webhook failed", e);
        }
    }
}
