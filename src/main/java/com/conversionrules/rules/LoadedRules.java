package com.conversionrules.rules;

import java.time.Instant;
import java.util.List;
import org.kie.api.KieBase;

/**
 * A compiled rules folder: the KieBase the shards run and the catalogue it defines.
 *
 * @param version a fingerprint of the folder's contents: the same files give the same version
 * @param files   the policy files compiled, relative to the rules folder
 */
public record LoadedRules(KieBase kieBase, ConversionEvents conversionEvents, String version, Instant loadedAt,
                          List<String> files) {
}
