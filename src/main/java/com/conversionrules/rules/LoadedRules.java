package com.conversionrules.rules;

import java.time.Instant;
import org.kie.api.KieBase;

/** A compiled rules folder: the KieBase the shards run and the catalogue it defines. */
public record LoadedRules(KieBase kieBase, ConversionEvents conversionEvents, String version, Instant loadedAt) {
}
