package com.conversionrules.rules.check;

import com.conversionrules.rules.CompiledRulesCache;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.RuleProblem;
import com.conversionrules.rules.RulesException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the service takes a rules folder, at start and at every reload: only if check-rules passes it
 * (compiler errors, policy checks and the analysts' cases), refused otherwise with check-rules' own
 * words, so what the log and GET /v1/rules say is what an analyst runs at their desk.
 */
public final class RulesGate {
    private static final Logger LOG = LoggerFactory.getLogger(RulesGate.class);

    private RulesGate() {
    }

    public static LoadedRules load(Path rulesDir) throws RulesException {
        return check(rulesDir);
    }

    /**
     * As {@link #load(Path)}, but a folder this data directory has seen pass before (every file the
     * same, the same build) is read back compiled, without compiling or checking it again.
     */
    public static LoadedRules load(Path rulesDir, CompiledRulesCache cache) throws RulesException {
        String key;
        try {
            key = cache.key(rulesDir);
        } catch (IOException e) {
            return check(rulesDir); // the checker says what is unreadable
        }
        Optional<LoadedRules> cached = cache.load(key);
        if (cached.isPresent()) {
            LOG.info("Rules version {} read back compiled from the data directory (this folder passed check-rules "
                    + "before)", cached.get().version());
            return cached.get();
        }
        LoadedRules checked = check(rulesDir);
        cache.save(key, checked);
        return checked;
    }

    private static LoadedRules check(Path rulesDir) throws RulesException {
        RulesChecker.Checked checked = RulesChecker.checkAndCompile(rulesDir);
        List<Finding> errors = checked.errors();
        if (!errors.isEmpty()) {
            throw new RulesException(errors.stream()
                    .map(error -> new RuleProblem(error.file(), error.line(), error.column(), error.message()))
                    .toList());
        }
        checked.warnings().forEach(warning -> LOG.warn("{}", warning));
        return checked.rules();
    }
}
