package com.conversionrules.engine;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.rules.RulesLoader;
import com.conversionrules.store.Store;
import java.nio.file.Path;
import java.time.Clock;

/** Engines for the engine tests. */
final class TestEngines {
    private TestEngines() {
    }

    /** A started engine of two shards over the shipped {@code rules/} folder and {@code store}. */
    static Engine withShippedRules(Store store) throws Exception {
        Engine engine = new Engine(new RulesLoader(Path.of("rules")).load(), store, 2, 64, 10_000,
                Clock.systemUTC(), exits -> { }, Metrics.inMemory());
        engine.start();
        return engine;
    }
}
