package com.conversionrules.store;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.FailedEvent;
import com.conversionrules.model.UserEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What one step of the engine changed, to be stored as one unit and in the order it was made (a
 * user removed and enrolled again in one batch must leave the old enrollment before the new one
 * appears): events kept, enrollments made, exits, events set aside, and the campaign a campaign
 * change saves.
 */
public final class ChangeBatch {
    /** One change. */
    public sealed interface Change permits EventKept, Enrolled, Exited, EventSetAside, CampaignSaved {
    }

    /** An event evaluated for the first time: its id is a duplicate from now on, and performed-event queries see it. */
    public record EventKept(UserEvent event) implements Change {
    }

    /** A user entered a campaign, in its holdout group or not. */
    public record Enrolled(Enrollment enrollment, boolean holdout) implements Change {
    }

    /**
     * A user left a campaign: the exit, which also ends the user's active enrollment there; or, when
     * not {@code endsEnrollment}, an exit another instance of a cluster made, kept here for reads and
     * delivery, whose enrollment this store never had.
     */
    public record Exited(Exit exit, boolean endsEnrollment) implements Change {
        public Exited(Exit exit) {
            this(exit, true);
        }
    }

    /** An event a rule failed on, kept for the operator; not an event, so not a duplicate either. */
    public record EventSetAside(FailedEvent failed) implements Change {
    }

    /** A campaign created ({@code isNew}) or changed. */
    public record CampaignSaved(Campaign campaign, boolean isNew) implements Change {
    }

    private final long receivedAt;
    private final List<Change> changes = new ArrayList<>();
    private final List<Exit> exits = new ArrayList<>(0);
    private final List<FailedEvent> failed = new ArrayList<>(0);

    /** @param receivedAt when the engine took the batch's events, kept beside each event */
    public ChangeBatch(long receivedAt) {
        this.receivedAt = receivedAt;
    }

    public void event(UserEvent event) {
        changes.add(new EventKept(event));
    }

    public void enrollment(Enrollment enrollment, boolean holdout) {
        changes.add(new Enrolled(enrollment, holdout));
    }

    public void exit(Exit exit) {
        changes.add(new Exited(exit));
        exits.add(exit);
    }

    /** An exit made elsewhere (another instance of a cluster), kept for reads and delivery. */
    public void exitMadeElsewhere(Exit exit) {
        changes.add(new Exited(exit, false));
        exits.add(exit);
    }

    public void failed(FailedEvent event) {
        changes.add(new EventSetAside(event));
        failed.add(event);
    }

    public void campaign(Campaign campaign, boolean isNew) {
        changes.add(new CampaignSaved(campaign, isNew));
    }

    /** Appends another batch's changes after this one's. */
    public void addAll(ChangeBatch other) {
        changes.addAll(other.changes);
        exits.addAll(other.exits);
        failed.addAll(other.failed);
    }

    public long receivedAt() {
        return receivedAt;
    }

    public List<Change> changes() {
        return changes;
    }

    public List<Exit> exits() {
        return exits;
    }

    public List<FailedEvent> failed() {
        return failed;
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }
}
