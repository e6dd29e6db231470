package com.conversionrules.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a shard in the middle of a batch, so a test can fill its queue and know what waits in it.
 * A test rule calls {@link #hold()} from the shard's thread when an event named {@link #EVENT} is
 * evaluated; the shard waits there until the test opens the gate. One test at a time uses it.
 */
public final class ShardGate {
    static final String EVENT = "Hold Shard";
    private static final String RULE = """
            package policies;

            import com.conversionrules.model.UserEvent;

            rule "A test event holds the shard that evaluates it"
            when
                UserEvent( name == "%s" )
            then
                com.conversionrules.http.ShardGate.hold();
            end
            """.formatted(EVENT);

    private static volatile CountDownLatch gate = new CountDownLatch(0);
    private static final Set<String> held = ConcurrentHashMap.newKeySet();

    private ShardGate() {
    }

    /** The shipped rules plus the holding rule, in a folder of the test's own. */
    static Path rulesWithGate(Path folder) throws IOException {
        Path rules = ReloadTest.copyShippedRules(folder);
        Files.writeString(rules.resolve("hold-shard.drl"), RULE);
        return rules;
    }

    /** From now on, a shard that evaluates the event waits. */
    static void close() {
        held.clear();
        gate = new CountDownLatch(1);
    }

    static void open() {
        gate.countDown();
    }

    /** Waits until {@code shards} different shards are held; returns their thread names. */
    static Set<String> awaitHeld(int shards) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (held.size() < shards) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + held + " held within 30 s, expected " + shards + " shards");
            }
            Thread.sleep(5);
        }
        return Set.copyOf(held);
    }

    /** Called by the rule, on the shard's thread. */
    public static void hold() throws InterruptedException {
        CountDownLatch current = gate;
        held.add(Thread.currentThread().getName());
        if (!current.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never opened the gate");
        }
    }
}
