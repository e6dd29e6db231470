package com.conversionrules.model;

import java.util.List;

/**
 * A campaign as the rules see it, and as the store keeps it. Immutable: a change is a new instance,
 * which each shard swaps into its session.
 *
 * @param goals            the conversion events the campaign waits for, in the order they were
 *                         listed (at least one; {@code none} alone for no exit on conversion)
 * @param conversionWindow how long after enrolling an event can still convert, for every
 *                         conversion event that sets no window of its own; null for no limit
 * @param reentry          whether a user who left may enter again
 * @param holdoutPercent   the share of users held out (0 to 50), fixed at launch
 */
public record Campaign(String id, String name, CampaignType type, List<ConversionGoal> goals,
                       ConversionWindow conversionWindow, Reentry reentry, int holdoutPercent, CampaignStatus status,
                       long createdAt, Long launchedAt, Long endedAt) {

    /** The conversion event id that means "never exit on conversion". */
    public static final String NO_CONVERSION_EVENT = "none";

    public Campaign {
        goals = List.copyOf(goals);
        if (goals.isEmpty()) {
            throw new IllegalArgumentException("a campaign waits for at least one conversion event (or none)");
        }
        reentry = reentry == null ? Reentry.ALWAYS : reentry;
    }

    /** A campaign with one conversion event, re-entry always and no holdout: what campaigns were before those existed. */
    public Campaign(String id, String name, CampaignType type, String conversionEvent,
                    ConversionWindow conversionWindow, CampaignStatus status, long createdAt, Long launchedAt,
                    Long endedAt) {
        this(id, name, type, ConversionGoal.only(conversionEvent), conversionWindow, Reentry.ALWAYS, 0, status,
                createdAt, launchedAt, endedAt);
    }

    /** The first conversion event listed: the only one for most campaigns. */
    public String conversionEvent() {
        return goals.get(0).conversionEvent();
    }

    /** Every conversion event the campaign waits for, in its order. */
    public List<String> conversionEvents() {
        return goals.stream().map(ConversionGoal::conversionEvent).toList();
    }

    /** What each of the campaign's enrollments is held to, one entry per conversion event, in its order. */
    public List<ConversionTerms> terms() {
        return goals.stream().map(goal -> goal.termsUnder(conversionWindow)).toList();
    }

    public String getId() { return id; }
    public String getConversionEvent() { return conversionEvent(); }
    public List<String> getConversionEvents() { return conversionEvents(); }
    public ConversionWindow getConversionWindow() { return conversionWindow; }
    public boolean isLive() { return status == CampaignStatus.LIVE; }

    public Campaign withConversionEvent(String newConversionEvent) {
        return withGoals(ConversionGoal.only(newConversionEvent));
    }

    public Campaign withGoals(List<ConversionGoal> newGoals) {
        return new Campaign(id, name, type, newGoals, conversionWindow, reentry, holdoutPercent, status, createdAt,
                launchedAt, endedAt);
    }

    public Campaign withConversionWindow(ConversionWindow newWindow) {
        return new Campaign(id, name, type, goals, newWindow, reentry, holdoutPercent, status, createdAt, launchedAt,
                endedAt);
    }

    public Campaign withName(String newName) {
        return new Campaign(id, newName, type, goals, conversionWindow, reentry, holdoutPercent, status, createdAt,
                launchedAt, endedAt);
    }

    public Campaign withReentry(Reentry newReentry) {
        return new Campaign(id, name, type, goals, conversionWindow, newReentry, holdoutPercent, status, createdAt,
                launchedAt, endedAt);
    }

    public Campaign withHoldoutPercent(int newPercent) {
        return new Campaign(id, name, type, goals, conversionWindow, reentry, newPercent, status, createdAt,
                launchedAt, endedAt);
    }

    public Campaign launched(long at) {
        return new Campaign(id, name, type, goals, conversionWindow, reentry, holdoutPercent, CampaignStatus.LIVE,
                createdAt, at, endedAt);
    }

    public Campaign ended(long at) {
        return new Campaign(id, name, type, goals, conversionWindow, reentry, holdoutPercent, CampaignStatus.ENDED,
                createdAt, launchedAt, at);
    }
}
