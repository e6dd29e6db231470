package com.conversionrules.startup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Finds out before anything is written (keys, store) whether the configured address can be bound,
 * so a port in use is one line naming it, not a stack trace after a start that half happened.
 */
public final class PortCheck {
    private PortCheck() {
    }

    public static void check(String host, int port) throws StartupException {
        if (port == 0) {
            return; // any free port will do
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw inUse(host, port, e);
        }
    }

    /** The one line for an address that cannot be bound. */
    public static StartupException inUse(String host, int port, Throwable cause) {
        return new StartupException("cannot listen on " + host + ":" + port + " (" + cause.getMessage() + "): "
                + "another program holds the port, or the address is not this machine's; set PORT (and HOST) to a "
                + "free one");
    }
}
