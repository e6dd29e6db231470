package com.conversionrules.replay;

import com.conversionrules.model.Rejection;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.RulesException;
import com.conversionrules.rules.check.RulesGate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Rules folders an operator put beside the running ones for replays to try: each subfolder of
 * {@code SIMULATE_RULES_DIR} is one, named in the request. They go through check-rules' gate like
 * any rules the service takes; nothing comes from the request but the folder's name.
 */
public final class ProposedRules {
    /** A plain folder name: no path, no dot-names. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path base;

    /** @param base the folder of proposals; null when the service takes none */
    public ProposedRules(Path base) {
        this.base = base == null ? null : base.toAbsolutePath().normalize();
    }

    /** Checks the name and that the folder exists, on the caller's thread: a 4xx before anything runs. */
    public Path folder(String name) {
        if (base == null) {
            throw Rejection.unprocessable("this service takes no proposed rules: set SIMULATE_RULES_DIR to a folder "
                    + "whose subfolders are rules folders, or replay a folder at your desk with "
                    + "java -jar conversion-rules.jar simulate-rules --rules DIR");
        }
        if (!NAME.matcher(name).matches()) {
            throw Rejection.invalid("rules '" + (name.length() > 64 ? name.substring(0, 61) + "..." : name)
                    + "' is not a folder name: use letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
        Path folder = base.resolve(name).normalize();
        if (!folder.startsWith(base) || !Files.isDirectory(folder)) {
            throw Rejection.unprocessable("no rules folder '" + name + "' in SIMULATE_RULES_DIR (" + base + ")");
        }
        return folder;
    }

    /** Compiles and checks the folder as the service would load it; refused with check-rules' words. */
    public static LoadedRules load(Path folder, String name) {
        try {
            return RulesGate.load(folder);
        } catch (RulesException e) {
            throw Rejection.unprocessable("the rules folder '" + name + "' does not pass check-rules, so the service "
                    + "would not load it:\n" + e.getMessage());
        }
    }
}
