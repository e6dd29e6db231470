package com.conversionrules.rules;

import java.util.List;

/**
 * A conversion event a campaign can name, as its policy file declares it through rule metadata.
 *
 * @param file    the policy file that implements it, relative to the rules folder; null for {@code none}
 * @param warning what a marketer should know before launching a campaign with it; may be null
 */
public record ConversionEventDefinition(String id, String label, String description, String warning,
                                        String file, List<String> rules) {

    static final ConversionEventDefinition NONE = new ConversionEventDefinition(
            "none", "No conversion event",
            "The campaign runs regardless of what users do; nobody exits on conversion.",
            "Users stay in the campaign whatever they do: only removal or the end of the campaign stops the series.",
            null, List.of());
}
