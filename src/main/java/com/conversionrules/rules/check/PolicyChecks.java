package com.conversionrules.rules.check;

import com.conversionrules.rules.PolicyContract;
import com.conversionrules.rules.RuleConditions;
import com.conversionrules.rules.SourceText;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.drl.ast.descr.AnnotationDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.ConditionalElementDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;

/**
 * Checks Drools cannot make: mistakes that compile yet make a policy silently wrong. Reads each
 * policy's DRL with the Drools parser, so rules are seen as Drools sees them.
 */
final class PolicyChecks {
    private static final Pattern SENDS = Pattern.compile("channels\\s*\\[\\s*\"sender\"\\s*]");
    private static final Pattern DELETES = Pattern.compile("\\b(delete|retract)\\s*\\(");
    private static final Pattern DELETED = Pattern.compile("\\b(?:delete|retract)\\s*\\(\\s*([$\\w]+)\\s*\\)");
    private static final Pattern CHANGES = Pattern.compile("\\b(update|modify)\\s*\\(");
    private static final Pattern INSERTS = Pattern.compile("\\b(insert|insertLogical)\\s*\\(");
    private static final Pattern LINE_COMMENT = Pattern.compile("//[^\\n]*");
    private static final Pattern WAITS_FOR = Pattern.compile("\\bconversionEvent\\s*==\\s*\"([^\"]*)\"");
    private static final String CAMPAIGN_FACT = "Campaign";
    private static final String ENROLLMENT_FACT = "Enrollment";
    private static final String WINDOW_CHECK = "inConversionWindow";

    private PolicyChecks() {
    }

    static List<Finding> check(PolicySource source) {
        if (source.drl() == null) {
            return List.of();
        }
        PackageDescr policy;
        DrlParser parser = new DrlParser();
        try {
            policy = parser.parse(false, source.drl());
        } catch (DroolsParserException e) {
            return List.of();
        }
        if (policy == null || parser.hasErrors()) {
            return List.of(); // the compiler reports syntax errors with their lines
        }
        List<Finding> findings = new ArrayList<>();
        for (RuleDescr rule : policy.getRules()) {
            findings.addAll(checkRule(source, rule));
        }
        return findings;
    }

    private static List<Finding> checkRule(PolicySource source, RuleDescr rule) {
        List<Finding> findings = new ArrayList<>();
        int ruleLine = source.lineOf(rule.getLine());
        var at = source.locate(ruleLine, List.of("rule \"" + rule.getName() + "\"", rule.getName()), 0, 1);
        String consequence = rule.getConsequence() == null ? ""
                : LINE_COMMENT.matcher(rule.getConsequence().toString()).replaceAll("");
        boolean sends = SENDS.matcher(consequence).find();
        AnnotationDescr declared = rule.getAnnotation(PolicyContract.CONVERSION_EVENT);
        String name = "rule \"" + rule.getName() + "\"";
        if (sends && declared == null) {
            findings.add(Finding.error(source.file(), at.line(), at.column(), name + " sends conversions but has no "
                    + "@conversionEvent(\"...\") metadata: add @conversionEvent(\"an_event_id\"), @label(\"...\") and "
                    + "@description(\"...\") under the rule name, or no campaign can choose it"));
        }
        if (declared != null && !sends) {
            findings.add(Finding.warning(source.file(), at.line(), at.column(), name + " declares conversion event '"
                    + String.valueOf(declared.getSingleValueStripped()) + "' but never sends a conversion: end its then-part with "
                    + "channels[\"sender\"].send( new Conversion( $enrollment, $event ) );"));
        }
        if (sends && !DELETES.matcher(consequence).find()) {
            findings.add(Finding.warning(source.file(), at.line(), at.column(), name + " sends a conversion but does "
                    + "not delete the enrollment: the service ends it anyway once the conversion is sent, but until "
                    + "then other rules still see the user enrolled; add delete( $enrollment ); before the send"));
        }
        if (declared != null) {
            String id = String.valueOf(declared.getSingleValueStripped());
            Set<String> enrollmentsWaitFor = new LinkedHashSet<>();
            collect(rule.getLhs(), ENROLLMENT_FACT, WAITS_FOR, enrollmentsWaitFor);
            Set<String> waitsFor = new LinkedHashSet<>(enrollmentsWaitFor);
            collect(rule.getLhs(), CAMPAIGN_FACT, WAITS_FOR, waitsFor);
            waitsFor.stream().filter(other -> !other.equals(id)).findFirst().ifPresent(other -> {
                var where = source.locate(0, List.of("\"" + other + "\"", other), 0, Math.max(ruleLine, 1));
                findings.add(Finding.error(source.file(), where.line(), where.column(), name + " declares conversion "
                        + "event '" + id + "' but matches campaigns waiting for '" + other + "': write "
                        + "Enrollment( conversionEvent == \"" + id + "\", ... ) so the rule converts the campaigns "
                        + "that chose it"));
            });
            if (sends && enrollmentsWaitFor.isEmpty()) {
                findings.add(Finding.warning(source.file(), at.line(), at.column(), name + " does not say which "
                        + "enrollments it converts: write Enrollment( conversionEvent == \"" + id + "\", ... ) so "
                        + "the rule holds only the enrollments of campaigns waiting for '" + id + "' (each rule "
                        + "that lets every enrollment through keeps all of them in memory again)"));
            }
        }
        if (sends && !usesWindow(rule.getLhs())) {
            findings.add(Finding.warning(source.file(), at.line(), at.column(), name + " ignores the campaign's "
                    + "conversion window: match the enrollment with Enrollment( ..., inConversionWindow( $event ) ) "
                    + "so late events do not convert"));
        }
        findings.addAll(factChanges(source, at, name, rule, consequence));
        for (String eventName : RuleConditions.namesCompared(rule.getLhs())) {
            if (!KnownEventNames.isKnown(eventName)) {
                var where = source.locate(0, List.of("\"" + eventName + "\"", eventName), 0, Math.max(ruleLine, 1));
                findings.add(Finding.warning(source.file(), where.line(), where.column(), "no documented source sends "
                        + "the event '" + eventName + "'" + KnownEventNames.closest(eventName)
                        .map(known -> " (did you mean '" + known + "'?)").orElse("")
                        + "; a name nobody sends never matches, so this condition never converts anyone. "
                        + "If a new source sends it, add it to the known event names"));
            }
        }
        return findings;
    }

    /**
     * A policy's then-part may delete the enrollment it converts and send the conversion, nothing
     * else of the shard's facts: a modify or update makes the rules fire again (a loop that holds the
     * shard), and an inserted fact would stay in the shard's memory for ever.
     */
    private static List<Finding> factChanges(PolicySource source, SourceText.Position at, String name, RuleDescr rule,
                                             String consequence) {
        List<Finding> findings = new ArrayList<>();
        Matcher changes = CHANGES.matcher(consequence);
        if (changes.find()) {
            findings.add(Finding.error(source.file(), at.line(), at.column(), name + " calls " + changes.group(1)
                    + "( ... ) in its then-part: a policy must not change the events, enrollments or campaigns the "
                    + "shard owns (a change makes the rules fire again and can loop for ever); delete( $enrollment ) "
                    + "and send the conversion instead"));
        }
        Matcher inserts = INSERTS.matcher(consequence);
        if (inserts.find()) {
            findings.add(Finding.error(source.file(), at.line(), at.column(), name + " calls " + inserts.group(1)
                    + "( ... ) in its then-part: a fact a policy inserts stays in the shard's memory for ever; "
                    + "send what the rule found to the sender channel instead"));
        }
        Set<String> enrollments = identifiers(rule.getLhs(), ENROLLMENT_FACT);
        Set<String> bound = identifiers(rule.getLhs(), null);
        Matcher deleted = DELETED.matcher(consequence);
        while (deleted.find()) {
            // A name bound nowhere is the compiler's to report, with its spelling.
            if (bound.contains(deleted.group(1)) && !enrollments.contains(deleted.group(1))) {
                findings.add(Finding.error(source.file(), at.line(), at.column(), name + " deletes "
                        + deleted.group(1) + ", which is not the Enrollment it matches: a policy deletes only the "
                        + "enrollment it converts (write $enrollment : Enrollment( ... ) and delete( $enrollment ))"));
            }
        }
        return findings;
    }

    /** The names bound to patterns of the given fact type ({@code $enrollment : Enrollment( ... )}), or of any when null. */
    private static Set<String> identifiers(BaseDescr descr, String fact) {
        Set<String> names = new LinkedHashSet<>();
        if (descr instanceof PatternDescr pattern) {
            if ((fact == null || fact.equals(pattern.getObjectType())) && pattern.getIdentifier() != null) {
                names.add(pattern.getIdentifier());
            }
        } else if (descr instanceof ConditionalElementDescr element) {
            element.getDescrs().forEach(child -> names.addAll(identifiers((BaseDescr) child, fact)));
        }
        return names;
    }

    /** Every first group of the pattern in the constraints of patterns of the given fact type. */
    private static void collect(BaseDescr descr, String fact, Pattern pattern, Set<String> found) {
        RuleConditions.forEachConstraint(descr, fact, expression -> {
            Matcher matcher = pattern.matcher(expression);
            while (matcher.find()) {
                found.add(matcher.group(1));
            }
        });
    }

    private static boolean usesWindow(BaseDescr lhs) {
        boolean[] uses = {false};
        RuleConditions.forEachConstraint(lhs, ENROLLMENT_FACT, expression -> uses[0] |= expression.contains(WINDOW_CHECK));
        return uses[0];
    }
}
