package com.conversionrules.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.conversionrules.http.Views;
import com.conversionrules.store.Backlog;
import com.conversionrules.store.EndpointReport;
import com.conversionrules.store.EndpointState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sender's figures of a cluster: every instance's share of each endpoint, added up. */
class EndpointSharesTest {
    private static EndpointReport report(String name, boolean configured, Long disabledAt, String reason, long waiting,
                                         long failed) {
        return new EndpointReport(new EndpointState(name, "https://" + name + ".example/hooks", configured, disabledAt,
                reason), new Backlog(waiting, failed));
    }

    @Test
    void eachEndpointsWaitingAndGivenUpDeliveriesAddUpOverTheInstances() {
        List<EndpointReport> a = List.of(report("email", true, null, null, 3, 1), report("sms", true, null, null, 0, 0));
        List<EndpointReport> b = List.of(report("email", true, null, null, 4, 2));
        assertEquals(List.of(report("email", true, null, null, 7, 3), report("sms", true, null, null, 0, 0)),
                EndpointShares.addUp(List.of(a, b)));
    }

    @Test
    void anEndpointIsDisabledSinceTheFirstInstanceGotA410AndConfiguredIfAnyInstanceHasIt() {
        List<EndpointReport> a = List.of(report("email", true, 2_000L, "answered 410 Gone to exit e-2", 5, 0));
        List<EndpointReport> b = List.of(report("email", false, 1_000L, "answered 410 Gone to exit e-1", 2, 0));
        List<EndpointReport> c = List.of(report("email", true, null, null, 1, 0));
        assertEquals(List.of(report("email", true, 1_000L, "answered 410 Gone to exit e-1", 8, 0)),
                EndpointShares.addUp(List.of(a, b, c)));
        assertEquals(List.of(), EndpointShares.addUp(List.of(List.of(), List.of())));
    }

    @Test
    void aShareReadsBackFromTheAnswerAnInstanceGives() {
        List<EndpointReport> share = List.of(report("email", true, 1_764_238_530_000L, "answered 410 Gone", 5, 2),
                report("sms", false, null, null, 0, 7));
        byte[] answer = Views.endpoints(share).toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(share, EndpointShares.parse(answer));
    }
}
