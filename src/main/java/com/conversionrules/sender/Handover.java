package com.conversionrules.sender;

import com.conversionrules.model.Exit;
import io.vertx.core.Context;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Carries committed exits from the engine's threads to the sender's context: what comes while the
 * context is busy is taken in one go. It holds at most {@code limit} exits; past that, exits are let
 * go (they are in the store) and the sender is told, so that it reads them back from there.
 */
final class Handover {
    private final Context context;
    private final int limit;
    private final Consumer<List<Exit>> take;
    private final Runnable letGo;
    private final ConcurrentLinkedQueue<List<Exit>> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private final AtomicBoolean someLetGo = new AtomicBoolean();

    /**
     * @param take  runs on the context with exits handed over, in the order they came
     * @param letGo runs on the context, before what came after, when exits were let go
     */
    Handover(Context context, int limit, Consumer<List<Exit>> take, Runnable letGo) {
        this.context = context;
        this.limit = limit;
        this.take = take;
        this.letGo = letGo;
    }

    /** From any thread: exits whose commit is durable. The list must not change afterwards. */
    void offer(List<Exit> exits) {
        if (exits.isEmpty()) {
            return;
        }
        if (count.addAndGet(exits.size()) > limit) {
            count.addAndGet(-exits.size());
            someLetGo.set(true);
        } else {
            waiting.add(exits);
        }
        if (drainQueued.compareAndSet(false, true)) {
            context.runOnContext(ignored -> drain());
        }
    }

    private void drain() {
        drainQueued.set(false);
        if (someLetGo.getAndSet(false)) {
            letGo.run();
        }
        List<Exit> exits;
        while ((exits = waiting.poll()) != null) {
            count.addAndGet(-exits.size());
            take.accept(exits);
        }
    }

    /** Exits handed over and not yet taken; readable from any thread. */
    int pending() {
        return count.get();
    }
}
