package com.conversionrules.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The jar's subcommands: for analysts {@code check-rules [DIR]}, {@code test-rules [DIR]} and
 * {@code simulate-rules}; for operators {@code class-archive [FILE]}.
 */
public final class Commands {
    /** Exit code for a command line that names no known command. */
    public static final int USAGE = 2;
    private static final String USAGE_TEXT = """
            usage: java -jar conversion-rules.jar                  start the service
                   java -jar conversion-rules.jar check-rules [DIR] compile the rules and check them, as the service would
                   java -jar conversion-rules.jar test-rules [DIR]  run the cases beside the rules
                   java -jar conversion-rules.jar %s
                                                                    what the proposed rules would have done since TIME
                   java -jar conversion-rules.jar class-archive [FILE]
                                                                    write a class-data archive for faster starts
                                                                    (FILE defaults to conversion-rules.jsa beside the jar)
            DIR defaults to $RULES_DIR, or ./rules; the data directory to $DATA_DIR, or ./data""".formatted(
            SimulateRulesCommand.USAGE);

    private Commands() {
    }

    /** Runs the command named by the first argument and returns its exit code. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args[0].equals("simulate-rules")) {
            return SimulateRulesCommand.run(List.of(args).subList(1, args.length), env, out, err);
        }
        if (args[0].equals("class-archive") && args.length <= 2) {
            return ClassArchiveCommand.run(args.length == 2 ? Path.of(args[1]) : null,
                    env.getOrDefault("RULES_DIR", "./rules"), out, err);
        }
        if (args.length > 2) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        Path rulesDir = Path.of(args.length == 2 ? args[1] : env.getOrDefault("RULES_DIR", "./rules"));
        return switch (args[0]) {
            case "help", "--help", "-h" -> {
                out.println(USAGE_TEXT);
                yield 0;
            }
            case "test-rules" -> TestRulesCommand.run(rulesDir, out);
            case "check-rules" -> CheckRulesCommand.run(rulesDir, out);
            default -> {
                err.println("unknown command '" + args[0] + "'");
                err.println(USAGE_TEXT);
                yield USAGE;
            }
        };
    }
}
