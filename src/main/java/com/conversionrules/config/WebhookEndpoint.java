package com.conversionrules.config;

import java.net.URI;

/**
 * One sender endpoint exits are delivered to: a short name (shown in delivery state), its URL, and
 * the {@code whsec_} secret its Standard Webhooks signatures are made with.
 */
public record WebhookEndpoint(String name, URI url, String secret) {
}
