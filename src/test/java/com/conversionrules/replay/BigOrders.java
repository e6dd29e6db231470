package com.conversionrules.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A proposed rules folder for replays: orders count only from 100 on, with cases that pass check-rules. */
public final class BigOrders {
    /** Orders of 100 or more only: a proposal that passes check-rules with its own cases. */
    private static final String BIG_ORDERS = """
            package policies;

            import com.conversionrules.model.Campaign;
            import com.conversionrules.model.Conversion;
            import com.conversionrules.model.Enrollment;
            import com.conversionrules.model.UserEvent;

            rule "An order of 100 or more converts the user out of every live campaign waiting for an order"
                @conversionEvent("placed_order")
                @label("Placed order")
                @description("The user places an order worth 100 or more.")
            when
                $order : UserEvent( name in ("Placed Order", "Order Completed"), value >= 100 )
                $enrollment : Enrollment( conversionEvent == "placed_order", userId == $order.userId, inConversionWindow( $order ) )
                Campaign( live, id == $enrollment.campaignId )
            then
                delete( $enrollment );
                channels["sender"].send( new Conversion( $enrollment, $order ) );
            end
            """;
    private static final String BIG_ORDERS_CASES = """
            cases:
              - name: a big order converts
                given:
                  campaigns:
                    - id: c
                      conversionEvent: placed_order
                  enrollments:
                    - user: ann
                      campaign: c
                      at: 2026-11-01T10:00:00Z
                when:
                  - user: ann
                    name: Placed Order
                    time: 2026-11-02T10:00:00Z
                    properties: {value: 150}
                expect:
                  exits:
                    - user: ann
                      campaign: c
                      conversionEvent: placed_order
              - name: a small order does not
                given:
                  campaigns:
                    - id: c
                      conversionEvent: placed_order
                  enrollments:
                    - user: ann
                      campaign: c
                      at: 2026-11-01T10:00:00Z
                when:
                  - user: ann
                    name: Placed Order
                    time: 2026-11-02T10:00:00Z
                    properties: {value: 20}
                expect:
                  exits: []
                  active:
                    - user: ann
                      campaign: c
            """;

    private BigOrders() {
    }

    public static Path write(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("placed-order.drl"), BIG_ORDERS);
        Files.writeString(folder.resolve("placed-order.cases.yaml"), BIG_ORDERS_CASES);
        return folder;
    }

    /** The same with '=' for '==': a folder check-rules refuses. */
    public static Path writeBroken(Path folder) throws IOException {
        write(folder);
        Files.writeString(folder.resolve("placed-order.drl"), BIG_ORDERS.replace("value >= 100", "value = 100"));
        return folder;
    }
}
