package com.conversionrules.rules.cases;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A throwaway rules folder for tests: one placed-order policy, and whatever files a test adds. */
public final class PolicyFolder {
    public static final String ORDER_RULE = "An order converts the user";
    public static final String POLICY = """
            // Placed order, for tests.
            package policies;

            import com.conversionrules.model.Campaign;
            import com.conversionrules.model.Conversion;
            import com.conversionrules.model.Enrollment;
            import com.conversionrules.model.UserEvent;

            rule "An order converts the user"
                @conversionEvent("placed_order")
                @label("Placed order")
            when
                $order : UserEvent( name == "Placed Order" )
                $enrollment : Enrollment( conversionEvent == "placed_order", userId == $order.userId, inConversionWindow( $order ) )
                Campaign( live, id == $enrollment.campaignId )
            then
                delete( $enrollment );
                channels["sender"].send( new Conversion( $enrollment, $order ) );
            end
            """;

    /** A case where ann (enrolled) orders, with the expectations given. */
    public static String orderCase(String name, String expect) {
        return """
                  - name: %s
                    given:
                      campaigns:
                        - id: black-friday
                          conversionEvent: placed_order
                      enrollments:
                        - user: ann
                          campaign: black-friday
                          at: 2026-11-01T10:00:00Z
                        - user: bob
                          campaign: black-friday
                          at: 2026-11-01T10:00:00Z
                    when:
                      - id: evt-1
                        user: ann
                        name: Placed Order
                        time: 2026-11-02T10:00:00Z
                    expect:
                %s
                """.formatted(name, expect.indent(6).stripTrailing());
    }

    public static final String CONVERTS = orderCase("an order converts ann", """
            exits:
              - user: ann
                campaign: black-friday
                conversionEvent: placed_order
            active:
              - user: bob
                campaign: black-friday""");

    public static final String BROWSING_DOES_NOT_CONVERT = orderCase("browsing does not convert ann", """
            exits: []
            active:
              - user: ann
                campaign: black-friday""").replace("name: Placed Order", "name: Viewed Product");

    private PolicyFolder() {
    }

    public static void write(Path dir, String file, String text) throws IOException {
        Files.createDirectories(dir.resolve(file).getParent());
        Files.writeString(dir.resolve(file), text);
    }

    /** The test policy with the given cases beside it. */
    public static void withCases(Path dir, String... cases) throws IOException {
        write(dir, "placed-order.drl", POLICY);
        write(dir, "placed-order.cases.yaml", "cases:\n" + String.join("\n", cases));
    }
}
