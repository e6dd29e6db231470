package com.conversionrules;

import com.conversionrules.cli.Commands;
import com.conversionrules.config.Config;
import com.conversionrules.config.DataDir;
import com.conversionrules.config.LogSettings;
import com.conversionrules.rules.RulesException;
import com.conversionrules.startup.StartupException;

/**
 * Entry point: {@code java -jar target/conversion-rules.jar} starts the service, configured through
 * the environment; {@code check-rules} and {@code test-rules} are the analysts' commands.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            System.exit(Commands.run(args, System.getenv(), System.out, System.err));
        }
        startService();
    }

    private static void startService() {
        Config config;
        try {
            // Before anything logs: logback reads these once, when the first logger is made.
            LogSettings.apply(System.getenv());
            config = Config.fromEnvironment();
            DataDir.requireWritable(config.dataDir());
        } catch (IllegalArgumentException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            Application application = Application.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(application::close, "shutdown"));
        } catch (RulesException e) {
            System.err.println(Application.describe(e));
            System.exit(1);
        } catch (StartupException e) {
            System.err.println("Could not start: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("Could not start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }
}
