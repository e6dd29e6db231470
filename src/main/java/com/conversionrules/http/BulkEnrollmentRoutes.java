package com.conversionrules.http;

import com.conversionrules.campaign.CampaignService;
import com.conversionrules.engine.EnrollOutcome;
import com.conversionrules.engine.Intake;
import com.conversionrules.http.limits.BodyBudget;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Rejection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Enrolling a whole audience at launch in one streaming request: an NDJSON body, one
 * {@code {"userId","enrolledAt"?}} per line. Lines are checked as they arrive, without holding the
 * body; nothing is applied unless every line is valid. Then the enrollments go to the shards in
 * chunks, and the answer comes once all of them are durable.
 */
final class BulkEnrollmentRoutes {
    static final String NDJSON = "application/x-ndjson";
    static final int MAX_LINES = 2_000_000;
    private static final int MAX_LINE_BYTES = 4_096;
    private static final int CHUNK = 10_000;
    private static final int CHUNKS_IN_FLIGHT = 4;
    private static final long RETRY_MILLIS = 50;

    /** What a parsed line holds on to until the request is answered (an enrollment, its user id, a list slot). */
    private static final int BYTES_PER_LINE = 128;
    /** Memory is reserved a thousand lines at a time. */
    private static final int LINES_PER_RESERVATION = 1_000;

    private final CampaignService campaigns;
    private final Intake intake;
    private final Clock clock;
    private final BodyBudget memory;

    BulkEnrollmentRoutes(CampaignService campaigns, Intake intake, Clock clock, BodyBudget memory) {
        this.campaigns = campaigns;
        this.intake = intake;
        this.clock = clock;
        this.memory = memory;
    }

    /** Must be mounted before the body handler: this route reads the body as a stream. */
    void mount(Router router, Handler<RoutingContext> access) {
        router.post("/v1/campaigns/:id/enrollments").consumes(NDJSON).handler(access).handler(this::enroll);
    }

    private void enroll(RoutingContext ctx) {
        Campaign campaign = campaigns.require(ctx.pathParam("id"));
        if (campaign.status() != CampaignStatus.LIVE) {
            throw Rejection.conflict("campaign '" + campaign.id() + "' is " + campaign.status().wire()
                    + "; only live campaigns take enrollments");
        }
        Lines lines = new Lines(campaign.id(), clock.millis());
        RecordParser parser = RecordParser.newDelimited("\n", ctx.request()).maxRecordSize(MAX_LINE_BYTES);
        // Guards memory against a line that never ends; complete lines are measured one by one.
        parser.exceptionHandler(failure -> lines.fail(ctx, failure instanceof IllegalStateException
                ? tooLong(lines.count + 1) : failure));
        parser.handler(line -> lines.add(ctx, line));
        parser.endHandler(ignored -> {
            if (lines.failed) {
                return;
            }
            if (lines.enrollments.isEmpty()) {
                ctx.fail(Rejection.invalid("the body holds no enrollments; send one {\"userId\"} per line"));
                return;
            }
            apply(ctx.vertx().getOrCreateContext(), lines.enrollments).onComplete(result -> {
                if (result.failed()) {
                    ctx.fail(result.cause());
                    return;
                }
                Json.reply(ctx, intake.queues() ? 202 : 200,
                        Views.enrollOutcome(result.result()).put("lines", lines.enrollments.size()));
            });
        });
        // A client that asks before sending a large body (curl does past 1 MB) otherwise waits
        // out its own timeout, a second for curl; the key and the campaign were checked above.
        if ("100-continue".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.EXPECT))) {
            ctx.response().writeContinue();
        }
        ctx.request().resume();
    }

    /**
     * Up to {@link #CHUNKS_IN_FLIGHT} chunks at a time, so the shards fill the next chunk while the
     * store commits the last; waits for room when the shards are busy. A user's chunks reach their
     * shard in file order, so a user listed twice is enrolled once.
     */
    private Future<EnrollOutcome> apply(Context context, List<Enrollment> enrollments) {
        Promise<EnrollOutcome> done = Promise.promise();
        new Chunks(context, enrollments, done).fill();
        return done.future();
    }

    /**
     * The chunks of one request: which is next, how many are in flight, and the outcome so far. A
     * refused chunk stops new ones; the answer waits for those in flight, so it can say exactly what
     * was applied.
     */
    private final class Chunks {
        private final Context context;
        private final List<Enrollment> enrollments;
        private final Promise<EnrollOutcome> done;
        private int next;
        private int inFlight;
        private EnrollOutcome sofar = EnrollOutcome.NONE;
        private Throwable failure;

        Chunks(Context context, List<Enrollment> enrollments, Promise<EnrollOutcome> done) {
            this.context = context;
            this.enrollments = enrollments;
            this.done = done;
        }

        /** Runs on the request's context only; a retry timer may call it once more after the end. */
        void fill() {
            while (failure == null && inFlight < CHUNKS_IN_FLIGHT && next < enrollments.size()) {
                List<Enrollment> chunk = enrollments.subList(next, Math.min(enrollments.size(), next + CHUNK));
                try {
                    Future.fromCompletionStage(intake.enroll(chunk.get(0).getCampaignId(), chunk), context)
                            .onComplete(result -> {
                                inFlight--;
                                if (result.succeeded()) {
                                    sofar = sofar.plus(result.result());
                                } else if (failure == null) {
                                    failure = result.cause();
                                }
                                fill();
                            });
                } catch (RuntimeException refused) {
                    if (refused instanceof Rejection busy && busy.kind() == Rejection.Kind.TOO_BUSY) {
                        context.owner().setTimer(RETRY_MILLIS, id -> fill());
                        return;
                    }
                    failure = refused;
                    break;
                }
                next += chunk.size();
                inFlight++;
            }
            if (inFlight > 0) {
                return;
            }
            if (failure != null) {
                done.tryFail(new BulkRefusedPartway(failure, sofar, enrollments.size()));
            } else if (next >= enrollments.size()) {
                done.tryComplete(sofar);
            }
        }
    }

    private static Rejection tooLong(int line) {
        return Rejection.invalid("line " + line + " is longer than " + MAX_LINE_BYTES + " bytes");
    }

    /** The lines read so far, checked one by one. */
    private final class Lines {
        private final String campaignId;
        private final long now;
        private final List<Enrollment> enrollments = new ArrayList<>();
        private int count;
        private boolean failed;

        Lines(String campaignId, long now) {
            this.campaignId = campaignId;
            this.now = now;
        }

        void add(RoutingContext ctx, Buffer line) {
            if (failed) {
                return;
            }
            count++;
            byte[] bytes = line.getBytes();
            if (EnrollmentLine.isBlank(bytes)) {
                return;
            }
            try {
                if (bytes.length > MAX_LINE_BYTES) {
                    throw tooLong(count);
                }
                if (enrollments.size() == MAX_LINES) {
                    throw Rejection.invalid("line " + count + ": more than " + MAX_LINES
                            + " enrollments in one request; split the file");
                }
                if (enrollments.size() % LINES_PER_RESERVATION == 0) {
                    memory.reserve(ctx, (long) LINES_PER_RESERVATION * BYTES_PER_LINE);
                }
                enrollments.add(EnrollmentLine.read(bytes, count, campaignId, now));
            } catch (Rejection rejection) {
                fail(ctx, rejection);
            }
        }

        void fail(RoutingContext ctx, Throwable failure) {
            if (!failed) {
                failed = true;
                enrollments.clear();
                ctx.response().putHeader("connection", "close");
                ctx.fail(failure);
            }
        }
    }
}
