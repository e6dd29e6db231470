package com.conversionrules.rules;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.ConditionalElementDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RuleDescr;

/**
 * What a rule's conditions say, read from the Drools parser's tree: the constraints on each fact
 * type, and the event names a rule waits for. Shared by check-rules and the loaded rules.
 */
public final class RuleConditions {
    public static final String EVENT_FACT = "UserEvent";
    private static final Pattern NAME_COMPARED = Pattern.compile("\\bname\\s*(?:==|!=)\\s*\"([^\"]*)\"");
    private static final Pattern NAME_EQUALS = Pattern.compile("\\bname\\s*==\\s*\"([^\"]*)\"");
    private static final Pattern NAME_IN = Pattern.compile("\\bname\\s+in\\s*\\(([^)]*)\\)");
    private static final Pattern NAME_IN_OR_NOT = Pattern.compile("\\bname\\s+(?:not\\s+)?in\\s*\\(([^)]*)\\)");
    private static final Pattern STRING = Pattern.compile("\"([^\"]*)\"");

    private RuleConditions() {
    }

    /**
     * The event names a rule waits for: each {@code UserEvent} pattern either names them
     * ({@code name == "A"}, {@code name in ("A", "B")}), or lets any name through ({@code anyName}:
     * no such constraint, or one this reading cannot enumerate, such as {@code name != "A"}).
     */
    public record EventNames(Set<String> names, boolean anyName) {
    }

    public static EventNames eventNames(RuleDescr rule) {
        Set<String> names = new LinkedHashSet<>();
        boolean[] anyName = {false};
        forEachPattern(rule.getLhs(), EVENT_FACT, pattern -> {
            Set<String> named = new LinkedHashSet<>();
            constraints(pattern, expression -> {
                collect(NAME_EQUALS, expression, named);
                Matcher in = NAME_IN.matcher(expression);
                while (in.find()) {
                    collect(STRING, in.group(1), named);
                }
            });
            if (named.isEmpty()) {
                anyName[0] = true;
            }
            names.addAll(named);
        });
        return new EventNames(names, anyName[0]);
    }

    /** Every name a rule's {@code UserEvent} patterns compare {@code name} with, in any way: what a typo check reads. */
    public static Set<String> namesCompared(BaseDescr lhs) {
        Set<String> names = new LinkedHashSet<>();
        forEachConstraint(lhs, EVENT_FACT, expression -> {
            collect(NAME_COMPARED, expression, names);
            Matcher in = NAME_IN_OR_NOT.matcher(expression);
            while (in.find()) {
                collect(STRING, in.group(1), names);
            }
        });
        return names;
    }

    /** Every constraint expression of the patterns of the given fact type, in nested elements too. */
    public static void forEachConstraint(BaseDescr descr, String fact, Consumer<String> action) {
        forEachPattern(descr, fact, pattern -> constraints(pattern, action));
    }

    private static void forEachPattern(BaseDescr descr, String fact, Consumer<PatternDescr> action) {
        if (descr instanceof PatternDescr pattern) {
            if (fact.equals(pattern.getObjectType())) {
                action.accept(pattern);
            }
        } else if (descr instanceof ConditionalElementDescr element) {
            element.getDescrs().forEach(child -> forEachPattern((BaseDescr) child, fact, action));
        }
    }

    private static void constraints(PatternDescr pattern, Consumer<String> action) {
        pattern.getDescrs().stream().filter(ExprConstraintDescr.class::isInstance)
                .map(child -> ((ExprConstraintDescr) child).getExpression()).forEach(action);
    }

    private static void collect(Pattern pattern, String text, Set<String> found) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
    }
}
