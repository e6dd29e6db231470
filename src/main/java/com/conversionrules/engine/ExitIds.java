package com.conversionrules.engine;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

/**
 * New exit ids: time-ordered UUIDs (version 7, RFC 9562), still 36 characters and unique. The store
 * keeps a unique index on exit ids in two tables; a random (version 4) id put each new one on a
 * random page of each, and a commit of 100 conversions wrote some 200 whole pages to the log: at
 * 10,000 conversions/s the service wrote 190-200 MB/s. Ordered ids land on the last pages.
 */
final class ExitIds {
    private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

    private ExitIds() {
    }

    static String next() {
        return GENERATOR.generate().toString();
    }
}
