package com.conversionrules.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.conversionrules.model.UserEvent;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A batch of the event log reads back as it was written: every field, nulls, any text, any size. */
class EventBatchCodecTest {
    @Test
    void aBatchReadsBackEventByEventWithSeqsRunningOnFromTheFirst() throws Exception {
        String bigProperties = "{\"note\":\"" + "x".repeat(10_000) + "\"}"; // past the first buffer: it grows
        List<UserEvent> events = List.of(
                new UserEvent("o1", "ann", "Placed Order", -5, "spring", Map.of(), "{\"value\":5}", 5),
                new UserEvent("v1", "zoë 😀", "Viewed Product", 1_700_000_000_000L, null, Map.of(), null, 0),
                new UserEvent("b1", "bob", "Big", 7, null, Map.of(), bigProperties, 0));
        EventBatchCodec.Encoder encoder = new EventBatchCodec.Encoder();
        for (UserEvent event : events) {
            encoder.add(event);
        }
        assertEquals(3, encoder.count());

        List<String> read = new ArrayList<>();
        EventBatchCodec.decode(41, encoder.toBytes(), (seq, userId, id, name, time, campaignId, properties) ->
                read.add(seq + "|" + userId + "|" + id + "|" + name + "|" + time + "|" + campaignId + "|" + properties));
        assertEquals(List.of(
                "41|ann|o1|Placed Order|-5|spring|{\"value\":5}",
                "42|zoë 😀|v1|Viewed Product|1700000000000|null|null",
                "43|bob|b1|Big|7|null|" + bigProperties), read);
    }

    @Test
    void aBatchOfAnotherVersionIsRefusedWithWhatToDo() {
        byte[] newer = {2, 0, 0, 0, 0};
        SQLException refused = assertThrows(SQLException.class,
                () -> EventBatchCodec.decode(1, newer, (seq, userId, id, name, time, campaignId, properties) -> { }));
        assertEquals(true, refused.getMessage().contains("newer version"), refused.getMessage());
    }
}
