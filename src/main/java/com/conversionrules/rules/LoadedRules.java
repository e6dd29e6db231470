package com.conversionrules.rules;

import java.time.Instant;
import java.util.List;
import org.kie.api.KieBase;

/**
 * A compiled rules folder: the KieBase the shards run and the catalogue it defines.
 *
 * @param version a fingerprint of the folder's contents: the same files give the same version
 * @param files   the policy files compiled, relative to the rules folder
 * @param eventNames the event names the rules wait for, and which rules wait for each
 */
public record LoadedRules(KieBase kieBase, ConversionEvents conversionEvents, String version, Instant loadedAt,
                          List<String> files, EventNamesRead eventNames) {

    /** What an operator reads when rules load: version, how much was compiled, what campaigns can use. */
    public String describe() {
        int rules = kieBase.getKiePackages().stream().mapToInt(pkg -> pkg.getRules().size()).sum();
        return "version " + version + ", " + files.size() + (files.size() == 1 ? " file, " : " files, ") + rules
                + (rules == 1 ? " rule" : " rules") + "; conversion events " + String.join(", ", conversionEvents.ids());
    }
}
