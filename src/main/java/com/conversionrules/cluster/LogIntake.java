package com.conversionrules.cluster;

import com.conversionrules.engine.EnrollOutcome;
import com.conversionrules.engine.EventsOutcome;
import com.conversionrules.engine.Intake;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.Rejection;
import com.conversionrules.model.UserEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Requests in a cluster: each event, enrollment and removal becomes a record on the events topic,
 * keyed by its user so that all of a user's records share one partition and one order, and the
 * request is answered once the brokers acknowledged every record of it (acks from all in-sync
 * replicas, idempotent: a retry never writes a record twice). The partition's owner evaluates them
 * moments later.
 *
 * <p>Sends run on one thread of their own: {@code send} can wait for metadata or buffer room, which
 * an event loop must never do. When that thread is far behind, requests are refused (429).
 */
final class LogIntake implements Intake, AutoCloseable {
    /** Requests waiting to be handed to the producer before new ones are refused. */
    private static final int MAX_WAITING = 10_000;

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final ThreadPoolExecutor sending = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAX_WAITING), runnable -> new Thread(runnable, "log-intake"));

    LogIntake(KafkaProducer<String, byte[]> producer, String eventsTopic) {
        this.producer = producer;
        this.topic = eventsTopic;
    }

    /** Fetches the events topic's metadata now, so the first requests need not wait for it. */
    void warmUp() {
        producer.partitionsFor(topic);
    }

    @Override
    public boolean queues() {
        return true;
    }

    @Override
    public CompletableFuture<EventsOutcome> evaluate(List<UserEvent> events) {
        return send(events, event -> new ProducerRecord<>(topic, event.getUserId(), Wire.event(event)))
                .thenApply(sent -> EventsOutcome.queued(events.size()));
    }

    @Override
    public CompletableFuture<EnrollOutcome> enroll(String campaignId, List<Enrollment> enrollments) {
        return send(enrollments, enrollment -> record(enrollment.getUserId(), Wire.ENROLL, Wire.enrollment(enrollment)))
                .thenApply(sent -> EnrollOutcome.queued(enrollments.size()));
    }

    @Override
    public CompletableFuture<Optional<Exit>> remove(String campaignId, String userId) {
        return send(List.of(userId), user -> record(user, Wire.REMOVE, Wire.removal(campaignId, user)))
                .thenApply(sent -> Optional.empty());
    }

    private ProducerRecord<String, byte[]> record(String userId, String kind, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Wire.KIND, Wire.bytes(kind));
        return new ProducerRecord<>(topic, null, userId, value, headers);
    }

    /** Completes once the brokers acknowledged every record, or fails saying that part may have been queued. */
    private <T> CompletableFuture<Void> send(List<T> items, Function<T, ProducerRecord<String, byte[]>> toRecord) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger waiting = new AtomicInteger(items.size());
        try {
            sending.execute(() -> {
                try {
                    for (T item : items) {
                        producer.send(toRecord.apply(item), (metadata, failure) -> {
                            if (failure != null) {
                                done.completeExceptionally(notTaken(failure, items.size() > 1));
                            } else if (waiting.decrementAndGet() == 0) {
                                done.complete(null);
                            }
                        });
                    }
                } catch (RuntimeException failure) {
                    done.completeExceptionally(notTaken(failure, items.size() > 1));
                }
            });
        } catch (RejectedExecutionException full) {
            throw Rejection.tooBusy("the Kafka cluster is not keeping up: nothing of this request was queued; retry "
                    + "after a second");
        }
        return done;
    }

    private static Rejection notTaken(Throwable failure, boolean several) {
        return Rejection.unavailable("the Kafka cluster did not take the request (" + failure.getMessage() + ")"
                + (several ? "; part of it may have been queued: sending it all again is safe, as events already "
                + "taken count as duplicates and users already enrolled stay as they are" : "") + "; retry later");
    }

    @Override
    public void close() {
        sending.shutdown();
        try {
            sending.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
