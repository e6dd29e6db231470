package com.conversionrules.http;

import com.conversionrules.engine.Turns;
import io.netty.channel.SingleThreadEventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

/**
 * The turns of Vert.x's event loops: a turn reads what every ready connection sent and runs the
 * handlers; Netty then runs the tasks left for after the turn (its "tail tasks"), before waiting
 * for more input.
 */
public final class EventLoopTurns implements Turns {
    @Override
    public boolean atEndOfTurn(Runnable atEnd) {
        if (!Context.isOnEventLoopThread()
                || !(Vertx.currentContext() instanceof ContextInternal context)
                || !(context.nettyEventLoop() instanceof SingleThreadEventLoop loop)
                || !loop.inEventLoop()) {
            return false;
        }
        loop.executeAfterEventLoopIteration(atEnd);
        return true;
    }
}
