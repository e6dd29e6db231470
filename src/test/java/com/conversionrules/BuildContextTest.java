package com.conversionrules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Docker build context: .dockerignore lets in what the Dockerfile copies and keeps out the data
 * folder (keys, store), build output and logs. Read with Docker's rules: the last pattern that matches
 * a path or one of its parents decides, {@code !} lets a path back in.
 */
class BuildContextTest {
    private record Rule(Pattern pattern, boolean include) {
    }

    private static List<Rule> rules() throws IOException {
        List<Rule> rules = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(".dockerignore"))) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            boolean include = text.startsWith("!");
            String glob = (include ? text.substring(1) : text).replaceAll("/+$", "");
            // ** crosses folders, * stays within one.
            String regex = Pattern.quote(glob.replace("**/", "\u0000")).replace("*", "\\E[^/]*\\Q")
                    .replace("\u0000", "\\E(?:.+/)?\\Q");
            rules.add(new Rule(Pattern.compile(regex), include));
        }
        return rules;
    }

    private static boolean sent(String path) throws IOException {
        boolean sent = true;
        for (Rule rule : rules()) {
            String prefix = path;
            while (true) {
                if (rule.pattern().matcher(prefix).matches()) {
                    sent = rule.include();
                    break;
                }
                int slash = prefix.lastIndexOf('/');
                if (slash < 0) {
                    break;
                }
                prefix = prefix.substring(0, slash);
            }
        }
        return sent;
    }

    @Test
    void everyPathTheDockerfileCopiesIsSent() throws IOException {
        Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(\\S+) ").matcher(Files.readString(Path.of("Dockerfile")));
        List<String> copied = new ArrayList<>();
        while (copy.find()) {
            copied.add(copy.group(1));
        }
        assertEquals(List.of("pom.xml", "src", "rules", "rules", "jvm.options"), copied);
        for (String path : List.of("pom.xml", "src/main/resources/openapi.json", "rules/placed-order.drl",
                "jvm.options")) {
            assertTrue(sent(path), path);
        }
    }

    @Test
    void dataBuildOutputKeysAndLogsStayOut() throws IOException {
        for (String path : List.of("data/keys.json", "data/conversion-rules.db", "target/conversion-rules.jar",
                "service.log", ".git/config", "keys.json", "rules/keys.json", "src/data/conversion-rules.db")) {
            assertFalse(sent(path), path);
        }
    }
}
