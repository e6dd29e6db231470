package com.conversionrules.rules.check;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.UserEvent;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewords the messages of the Drools compiler for someone who writes rules but not Java, and says
 * which text in the file the problem is about, so it can be found when Drools gives no line.
 */
final class DroolsMessages {
    /** The facts a policy can match, by the simple name rules use. */
    static final List<Class<?>> FACTS = List.of(UserEvent.class, Campaign.class, Enrollment.class);

    private static final Pattern NO_MEMBER =
            Pattern.compile("unable to resolve method using strict-mode: ([\\w.$]+)\\.([\\w$]+)\\(\\)");
    private static final Pattern EXPRESSION = Pattern.compile("^Unable to Analyse Expression (.*?):?\\s*$",
            Pattern.MULTILINE);
    private static final Pattern PARSE =
            Pattern.compile("\\[ERR \\d+] Line \\d+:(\\d+) (.*?)(?: in rule \"(.*)\")?\\s*$", Pattern.MULTILINE);
    private static final Pattern MISMATCHED = Pattern.compile("mismatched input '(.*?)'( in pattern)?");
    private static final Pattern NO_TYPE = Pattern.compile("Unable to resolve ObjectType '(.*?)'");
    private static final Pattern DUPLICATE_RULE = Pattern.compile("Duplicate rule name: (.*)");
    private static final Pattern THEN_PART = Pattern.compile("^Rule Compilation error\\s*(.*)", Pattern.DOTALL);
    private static final Pattern UNRESOLVED = Pattern.compile("(\\$?\\w+) cannot be resolved to a variable");
    private static final Pattern NO_CONSTRUCTOR = Pattern.compile("The constructor (\\w+)\\((.*?)\\) is undefined");
    private static final Pattern QUOTED = Pattern.compile("'([^']+)'|\"([^\"]+)\"");

    /**
     * @param message     what to tell the analyst
     * @param needles     text to look for in the file, most telling first
     * @param column      the 1-based column Drools gave, or 0
     * @param searchAfter the line Drools gave is where the rule starts, not the problem: look from there on
     */
    record Explained(String message, List<String> needles, int column, boolean searchAfter) {
        Explained(String message, List<String> needles, int column) {
            this(message, needles, column, false);
        }
    }

    private DroolsMessages() {
    }

    static Explained explain(String raw) {
        Matcher member = NO_MEMBER.matcher(raw);
        if (member.find()) {
            return noMember(raw, simpleName(member.group(1)), member.group(2));
        }
        Matcher parse = PARSE.matcher(raw);
        if (parse.find()) {
            return unreadable(parse.group(2), parse.group(3), Integer.parseInt(parse.group(1)) + 1);
        }
        Matcher type = NO_TYPE.matcher(raw);
        if (type.find()) {
            String name = type.group(1);
            String known = String.join(", ", FACTS.stream().map(Class::getSimpleName).toList());
            return new Explained("there is no fact type '" + name + "'"
                    + didYouMean(name, FACTS.stream().map(Class::getSimpleName).toList())
                    + "; rules match " + known + ", each imported at the top of the file",
                    List.of(name + "(", name), 0);
        }
        Matcher duplicate = DUPLICATE_RULE.matcher(raw);
        if (duplicate.find()) {
            String rule = duplicate.group(1).strip();
            return new Explained("two rules are named \"" + rule + "\"; rule names must be unique across the "
                    + "rules folder, so rename one", List.of("rule \"" + rule + "\"", rule), 0);
        }
        Matcher thenPart = THEN_PART.matcher(raw.strip());
        if (thenPart.find()) {
            return thenPart(thenPart.group(1).strip());
        }
        String firstLine = raw.lines().findFirst().orElse(raw).strip();
        List<String> needles = new ArrayList<>();
        Matcher quoted = QUOTED.matcher(raw);
        while (quoted.find()) {
            String token = quoted.group(1) != null ? quoted.group(1) : quoted.group(2);
            needles.add("\"" + token + "\"");
            needles.add(token);
        }
        return new Explained(firstLine, needles, 0);
    }

    /** Java errors in a rule's then-part; Drools places them at the rule's first line. */
    private static Explained thenPart(String detail) {
        Matcher unresolved = UNRESOLVED.matcher(detail);
        if (unresolved.find()) {
            String name = unresolved.group(1);
            return new Explained("'" + name + "' in the then-part is not bound in this rule: use a name bound in "
                    + "the when-part (such as $enrollment) or fix its spelling", List.of(name), 0, true);
        }
        Matcher constructor = NO_CONSTRUCTOR.matcher(detail);
        if (constructor.find()) {
            String type = constructor.group(1);
            return new Explained("new " + type + "( ... ) is given the wrong things (" + constructor.group(2)
                    + "): a conversion is sent as new Conversion( $enrollment, $event )",
                    List.of("new " + type, type), 0, true);
        }
        String first = detail.lines().findFirst().orElse(detail).strip();
        return new Explained("the then-part of this rule does not compile: " + first, List.of("then"), 0, true);
    }

    private static Explained noMember(String raw, String type, String member) {
        Matcher expression = EXPRESSION.matcher(raw);
        List<String> needles = new ArrayList<>();
        if (expression.find()) {
            needles.add(expression.group(1).strip());
        }
        needles.add(member);
        if (member.startsWith("$")) {
            return new Explained("'" + member + "' is not bound in this rule: bind it in an earlier pattern (e.g. "
                    + member + " : UserEvent( ... )) or fix its spelling", needles, 0);
        }
        List<String> fields = fieldsOf(type);
        if (fields.isEmpty()) {
            return new Explained(type + " has no field '" + member + "'", needles, 0);
        }
        return new Explained(type + " has no field '" + member + "'" + didYouMean(member, fields)
                + "; its fields are " + String.join(", ", fields), needles, 0);
    }

    private static Explained unreadable(String what, String rule, int column) {
        String inRule = rule == null ? "" : " in rule \"" + rule + "\"";
        Matcher mismatched = MISMATCHED.matcher(what);
        if (mismatched.find()) {
            String input = mismatched.group(1);
            if (input.equals("=")) {
                return new Explained("Drools cannot read '='" + inRule + ": to compare, write '=='", List.of("="),
                        column);
            }
            if (mismatched.group(2) != null) {
                return new Explained("a condition is not closed before '" + input + "'" + inRule + ": check that "
                        + "'then' is spelled right and that every '(' has its ')'", List.of(input), column);
            }
            return new Explained("Drools cannot read '" + input + "'" + inRule + ": check this line and the one "
                    + "before it for a missing bracket, comma or quote, or a misspelt keyword (rule, when, then, end)",
                    List.of(input), column);
        }
        return new Explained("Drools cannot read this" + inRule + " (" + what + "): check this line and the one "
                + "before it for a missing bracket, comma or quote", List.of(), column);
    }

    /** What a rule can read on a fact: its getters and is-methods, as Drools names them. */
    static List<String> fieldsOf(String simpleName) {
        return FACTS.stream().filter(type -> type.getSimpleName().equals(simpleName)).findFirst()
                .map(type -> Arrays.stream(type.getMethods())
                        .filter(method -> !Modifier.isStatic(method.getModifiers()) && method.getParameterCount() == 0)
                        .map(Method::getName)
                        .filter(name -> !name.equals("getClass"))
                        .map(DroolsMessages::property)
                        .flatMap(Optional::stream)
                        .distinct().sorted().toList())
                .orElse(List.of());
    }

    private static Optional<String> property(String method) {
        for (String prefix : List.of("get", "is")) {
            if (method.startsWith(prefix) && method.length() > prefix.length()
                    && Character.isUpperCase(method.charAt(prefix.length()))) {
                String rest = method.substring(prefix.length());
                return Optional.of(Character.toLowerCase(rest.charAt(0)) + rest.substring(1));
            }
        }
        return Optional.empty();
    }

    static String didYouMean(String wrong, List<String> candidates) {
        return candidates.stream()
                .filter(candidate -> KnownEventNames.distance(candidate.toLowerCase(), wrong.toLowerCase()) <= 2)
                .min(Comparator.comparingInt(candidate -> KnownEventNames.distance(candidate.toLowerCase(),
                        wrong.toLowerCase())))
                .map(candidate -> " (did you mean '" + candidate + "'?)").orElse("");
    }

    private static String simpleName(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }
}
