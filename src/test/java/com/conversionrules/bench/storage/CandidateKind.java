package com.conversionrules.bench.storage;

import java.nio.file.Path;

/** The designs measured, the baseline first. */
enum CandidateKind {
    SQLITE_TODAY("sqlite before issue 10 (baseline)") {
        Candidate open(Path dir) throws Exception {
            return new SqliteToday(dir, true);
        }
    },
    SQLITE_TODAY_MEMORY("sqlite, dedupe in memory (main)") {
        Candidate open(Path dir) throws Exception {
            return new SqliteToday(dir, false);
        }
    },
    SQLITE_APPEND("sqlite append-only") {
        Candidate open(Path dir) throws Exception {
            return new SqliteAppendOnly(dir);
        }
    },
    ROCKSDB("rocksdb, indexed") {
        Candidate open(Path dir) throws Exception {
            return new RocksLog(dir, RocksLog.Layout.INDEXED);
        }
    },
    ROCKSDB_LEAN("rocksdb, lean") {
        Candidate open(Path dir) throws Exception {
            return new RocksLog(dir, RocksLog.Layout.LEAN);
        }
    },
    ROCKSDB_APPEND("rocksdb append-only") {
        Candidate open(Path dir) throws Exception {
            return new RocksLog(dir, RocksLog.Layout.APPEND);
        }
    },
    SEGMENT_LOG("segmented log + index") {
        Candidate open(Path dir) throws Exception {
            return new SegmentLog(dir);
        }
    };

    final String label;

    CandidateKind(String label) {
        this.label = label;
    }

    abstract Candidate open(Path dir) throws Exception;

    String option() {
        return name().toLowerCase().replace('_', '-');
    }
}
