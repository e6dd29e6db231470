package com.conversionrules.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.WebhookEndpoint;
import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.store.DuePosition;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a lane moves between reading the store and taking exits from memory, and where its reads resume. */
class LaneTest {
    private static final SignedEndpoint ENDPOINT = new SignedEndpoint(new WebhookEndpoint("a",
            URI.create("http://127.0.0.1:9/exits"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));

    private static Exit exit(String id) {
        return new Exit(0, id, "c", "u", ExitReason.REMOVED, null, null, 0, null, 0);
    }

    @Test
    void aLaneStartsBehindAndGoesLiveWithWhatArrivedDuringAShortRead() {
        Lane lane = new Lane(ENDPOINT, false, 10);
        assertEquals(Lane.Mode.BEHIND, lane.mode());
        lane.arrived(exit("before")); // no read under way: the next read finds it in the store
        lane.freshReadStarted();
        lane.arrived(exit("during"));
        assertEquals(List.of(exit("during")), lane.freshRead(42, true));
        assertEquals(Lane.Mode.LIVE, lane.mode());
        assertEquals(42, lane.freshCursor());
    }

    @Test
    void aFullReadReadsOnFromItsCursor() {
        Lane lane = new Lane(ENDPOINT, false, 10);
        lane.freshReadStarted();
        assertTrue(lane.freshRead(500, false).isEmpty());
        assertEquals(Lane.Mode.BEHIND, lane.mode());
        assertEquals(500, lane.freshCursor());
    }

    @Test
    void moreArrivalsThanItsBoundDuringAReadKeepTheLaneBehind() {
        Lane lane = new Lane(ENDPOINT, false, 2);
        lane.freshReadStarted();
        lane.arrived(exit("1"));
        lane.arrived(exit("2"));
        lane.arrived(exit("3"));
        assertTrue(lane.freshRead(7, true).isEmpty(), "some were let go: they must be read from the store");
        assertEquals(Lane.Mode.BEHIND, lane.mode());
    }

    @Test
    void exitsLetGoDuringAReadKeepTheLaneBehind() {
        Lane lane = new Lane(ENDPOINT, false, 10);
        lane.freshReadStarted();
        lane.arrived(exit("1"));
        lane.fallBehind();
        assertTrue(lane.freshRead(7, true).isEmpty());
        assertEquals(Lane.Mode.BEHIND, lane.mode());
    }

    @Test
    void aLiveLaneThatFallsBehindReadsFromTheFirstDeliveryAgain() {
        Lane lane = new Lane(ENDPOINT, false, 10);
        lane.freshReadStarted();
        lane.freshRead(42, true);
        lane.fallBehind();
        assertEquals(Lane.Mode.BEHIND, lane.mode());
        assertEquals(0, lane.freshCursor(), "what memory held has no cursor: read from the start, skipping what it holds");
    }

    @Test
    void disablingLetsTheQueueGoAndForgetsAReadUnderWay() {
        Lane lane = new Lane(ENDPOINT, false, 10);
        Delivery queued = Delivery.fresh(exit("1"), "a");
        lane.queue().add(queued);
        lane.freshReadStarted();
        assertEquals(List.of(queued), lane.disable());
        assertTrue(lane.queue().isEmpty());
        assertTrue(lane.freshRead(9, true).isEmpty());
        assertEquals(Lane.Mode.DISABLED, lane.mode());
        assertEquals(Lane.Mode.DISABLED, new Lane(ENDPOINT, true, 10).mode());
    }

    @Test
    void retriesAreReadOnAfterAFullReadAndFromTheStartAtTheNextDueTimeAfterAShortOne() {
        Lane lane = new Lane(ENDPOINT, false, 10);
        assertEquals(0, lane.retriesDueAt(), "read at start");
        lane.retriesReadStarted();
        DuePosition last = new DuePosition(100, 5);
        lane.retriesRead(last, true, 1_000, 5_000L);
        assertEquals(last, lane.retryCursor());
        assertEquals(1_000, lane.retriesDueAt(), "more may be due now");

        lane.retriesReadStarted();
        lane.retryAt(3_000); // a failure recorded while the read was under way
        lane.retriesRead(new DuePosition(200, 6), false, 1_100, 5_000L);
        assertEquals(DuePosition.START, lane.retryCursor());
        assertEquals(3_000, lane.retriesDueAt(), "the sooner of the store's next and the failure's");

        lane.retriesReadStarted();
        lane.retriesRead(DuePosition.START, false, 3_000, null);
        assertEquals(Long.MAX_VALUE, lane.retriesDueAt(), "none waits");
    }
}
