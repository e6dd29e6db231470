package com.conversionrules;

import com.conversionrules.config.Config;
import com.conversionrules.rules.RulesException;

/** Entry point: {@code java -jar target/conversion-rules.jar}, configured through the environment. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Config config;
        try {
            config = Config.fromEnvironment();
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
        } catch (Exception e) {
            System.err.println("Could not start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }
}
