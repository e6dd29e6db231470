package com.conversionrules.http;

import com.conversionrules.holdout.Holdout;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.ConversionGoal;
import com.conversionrules.model.ConversionWindow;
import com.conversionrules.model.Reentry;
import com.conversionrules.model.Rejection;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The campaign fields beyond names and types: what it converts on ({@code conversionEvent}, or
 * {@code conversionEvents} with a window each), re-entry and holdout. Each is checked for its shape
 * here; whether a conversion event exists is the campaign service's to say.
 */
final class CampaignFields {
    private static final Set<String> GOAL_FIELDS = Set.of("id", "conversionWindow");

    private CampaignFields() {
    }

    /**
     * The conversion events the body names, through {@code conversionEvent} (one) or
     * {@code conversionEvents} (one to four); null when it names none.
     */
    static List<ConversionGoal> goals(JsonNode body) {
        JsonNode list = body.get("conversionEvents");
        String single = Fields.optionalText(body, "", "conversionEvent", Fields.MAX_ID_LENGTH);
        if (list != null && !list.isNull() && single != null) {
            throw Rejection.invalid("send conversionEvent (one) or conversionEvents (a list), not both");
        }
        if (single != null) {
            return ConversionGoal.only(single);
        }
        if (list == null || list.isNull()) {
            return null;
        }
        if (!list.isArray()) {
            throw Rejection.invalid("conversionEvents must be a list such as [\"placed_order\", \"clicked_email\"] "
                    + "or [{\"id\": \"clicked_email\", \"conversionWindow\": \"P3D\"}]");
        }
        if (list.isEmpty()) {
            throw Rejection.invalid("conversionEvents is empty: list at least one conversion event, or [\"none\"] "
                    + "for a campaign that never exits users on conversion");
        }
        if (list.size() > ConversionGoal.MAX_PER_CAMPAIGN) {
            throw Rejection.invalid("conversionEvents lists " + list.size() + " conversion events; a campaign "
                    + "waits for at most " + ConversionGoal.MAX_PER_CAMPAIGN);
        }
        List<ConversionGoal> goals = new ArrayList<>(list.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            ConversionGoal goal = goal(list.get(i), "conversionEvents[" + i + "]");
            if (!seen.add(goal.conversionEvent())) {
                throw Rejection.invalid("conversionEvents lists '" + Fields.abbreviate(goal.conversionEvent())
                        + "' twice; list each conversion event once");
            }
            goals.add(goal);
        }
        if (goals.size() > 1 && seen.contains(Campaign.NO_CONVERSION_EVENT)) {
            throw Rejection.invalid("conversionEvents lists \"none\" with other conversion events; \"none\" means "
                    + "the campaign never exits users on conversion, so send it alone");
        }
        return goals;
    }

    private static ConversionGoal goal(JsonNode item, String where) {
        if (item.isTextual()) {
            return new ConversionGoal(Fields.checkId(where, item.asText()), null);
        }
        if (!item.isObject()) {
            throw Rejection.invalid(where + " must be a conversion event id such as \"placed_order\", or "
                    + "{\"id\": \"placed_order\", \"conversionWindow\": \"P7D\"}");
        }
        Fields.rejectUnknown(item, GOAL_FIELDS);
        String id = Fields.checkId(where + ".id", Fields.requiredText(item, where + ".", "id", Fields.MAX_ID_LENGTH));
        ConversionWindow window = Fields.optionalConversionWindow(item, "conversionWindow", where + ".");
        if (window != null && Campaign.NO_CONVERSION_EVENT.equals(id)) {
            throw Rejection.invalid(where + " gives \"none\" a conversionWindow; \"none\" converts nobody, so it "
                    + "takes no window");
        }
        return new ConversionGoal(id, window);
    }

    /** {@code reentry}: never, always or after:DURATION; null when absent. */
    static Reentry reentry(JsonNode body) {
        JsonNode value = body.get("reentry");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw Rejection.invalid("reentry must be a string: \"never\", \"always\" or \"after:P30D\"");
        }
        try {
            return Reentry.parse(value.asText());
        } catch (IllegalArgumentException e) {
            throw Rejection.invalid("reentry " + Fields.abbreviateQuoted(e.getMessage()));
        }
    }

    /** {@code holdoutPercent}: a whole number from 0 to 50; null when absent. */
    static Integer holdoutPercent(JsonNode body) {
        JsonNode value = body.get("holdoutPercent");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0
                || value.intValue() > Holdout.MAX_PERCENT) {
            throw Rejection.invalid("holdoutPercent must be a whole number from 0 to " + Holdout.MAX_PERCENT
                    + " (the share of users held out to measure the campaign's lift), got "
                    + Fields.abbreviate(value.toString()));
        }
        return value.intValue();
    }
}
