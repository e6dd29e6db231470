package com.conversionrules.engine;

import com.conversionrules.model.ConversionTerms;
import com.conversionrules.model.Enrollment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One campaign's active enrollments in a shard. An enrollment is one fact per conversion event its
 * campaign waits for (one for most campaigns), each under that event's terms: policies keep matching
 * {@code Enrollment( conversionEvent == "..." )}, and each fact sits in the join memory of its own
 * event's rules only, so a campaign with one conversion event costs what it did before. Table
 * {@code i} holds the facts of the campaign's conversion event {@code i}, by user.
 */
final class CampaignEnrollments {
    /** Changes to the session's facts, made by whoever owns the session. */
    interface Facts {
        void insert(Enrollment fact);

        void replace(Enrollment old, Enrollment now);

        void delete(Enrollment fact);
    }

    /** Null until the campaign is known: then one table of enrollments under no terms, which no policy matches. */
    private List<ConversionTerms> terms;
    private EnrollmentTable[] tables;

    CampaignEnrollments(List<ConversionTerms> terms) {
        this.terms = terms;
        this.tables = newTables(terms);
    }

    private static EnrollmentTable[] newTables(List<ConversionTerms> terms) {
        EnrollmentTable[] created = new EnrollmentTable[terms == null ? 1 : terms.size()];
        for (int i = 0; i < created.length; i++) {
            created[i] = new EnrollmentTable();
        }
        return created;
    }

    int size() {
        return tables[0].size();
    }

    /** The user's fact for the campaign's first conversion event; null when the user is not active. */
    Enrollment primary(String userId) {
        return tables[0].get(userId);
    }

    /** Every fact of the user's enrollment (none when not active). */
    List<Enrollment> facts(String userId) {
        List<Enrollment> facts = new ArrayList<>(tables.length);
        for (EnrollmentTable table : tables) {
            Enrollment fact = table.get(userId);
            if (fact != null) {
                facts.add(fact);
            }
        }
        return facts;
    }

    /** The facts to insert for a new enrollment; empty when the user is already active. */
    List<Enrollment> add(Enrollment enrollment) {
        // The first table's add is the check: one probe of the table per enrollment, not two.
        Enrollment first = terms == null ? enrollment : enrollment.under(terms.get(0));
        if (!tables[0].add(first)) {
            return List.of();
        }
        if (tables.length == 1) {
            return List.of(first);
        }
        List<Enrollment> facts = new ArrayList<>(tables.length);
        facts.add(first);
        for (int i = 1; i < tables.length; i++) {
            Enrollment fact = enrollment.under(terms.get(i));
            tables[i].add(fact);
            facts.add(fact);
        }
        return facts;
    }

    /** Takes the user's enrollment out; returns its facts (none when the user was not active). */
    List<Enrollment> remove(String userId) {
        List<Enrollment> removed = new ArrayList<>(tables.length);
        for (EnrollmentTable table : tables) {
            Enrollment fact = table.remove(userId);
            if (fact != null) {
                removed.add(fact);
            }
        }
        return removed;
    }

    /** True when this very fact is one of an active enrollment's. */
    boolean isActive(Enrollment fact) {
        int rank = rank(fact);
        return rank >= 0 && tables[rank].get(fact.getUserId()) == fact;
    }

    /** Where the fact's conversion event stands in the campaign's list; -1 when the campaign no longer has it. */
    int rank(Enrollment fact) {
        if (terms == null) {
            return fact.getConversionEvent() == null ? 0 : -1;
        }
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i).conversionEvent().equals(fact.getConversionEvent())) {
                return i;
            }
        }
        return -1;
    }

    /** Each active enrollment once, by its first fact. */
    void forEachEnrollment(Consumer<Enrollment> consumer) {
        tables[0].forEach(consumer);
    }

    /** Every fact of every active enrollment. */
    void forEachFact(Consumer<Enrollment> consumer) {
        for (EnrollmentTable table : tables) {
            table.forEach(consumer);
        }
    }

    /**
     * Puts every active enrollment under the campaign's new terms: a conversion event it keeps has its
     * fact replaced when its window changed, one it adds gets a fact, one it drops loses its fact.
     */
    void retarget(List<ConversionTerms> next, Facts facts) {
        EnrollmentTable[] moved = newTables(next);
        List<Enrollment> enrollments = new ArrayList<>(size());
        forEachEnrollment(enrollments::add);
        for (Enrollment enrollment : enrollments) {
            List<Enrollment> old = facts(enrollment.getUserId());
            for (int i = 0; i < next.size(); i++) {
                ConversionTerms goal = next.get(i);
                Enrollment kept = old.stream()
                        .filter(fact -> Objects.equals(fact.getConversionEvent(), goal.conversionEvent()))
                        .findFirst().orElse(null);
                if (kept == null) {
                    Enrollment added = enrollment.under(goal);
                    facts.insert(added);
                    moved[i].add(added);
                } else {
                    old.remove(kept);
                    Enrollment now = kept.under(goal);
                    if (now != kept) {
                        facts.replace(kept, now);
                    }
                    moved[i].add(now);
                }
            }
            old.forEach(facts::delete);
        }
        terms = next;
        tables = moved;
    }
}
