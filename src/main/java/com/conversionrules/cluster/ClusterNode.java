package com.conversionrules.cluster;

import com.conversionrules.campaign.CampaignLog;
import com.conversionrules.config.KafkaSettings;
import com.conversionrules.engine.EnrollOutcome;
import com.conversionrules.engine.EventsOutcome;
import com.conversionrules.engine.Intake;
import com.conversionrules.engine.ShardHealth;
import com.conversionrules.http.ClusterRouting;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.startup.StartupException;
import com.conversionrules.store.EngineStore;
import com.conversionrules.store.PositionedExits;
import com.conversionrules.store.ReadModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's part in a cluster: its topics, the producer requests go through, the campaign
 * catalogue, and the Kafka Streams application that evaluates the partitions assigned to it.
 * Membership, ownership, replication and failover are Kafka's: an instance that stops answering
 * loses its partitions to the others after {@code KAFKA_SESSION_TIMEOUT}, and the standby replica
 * of each takes over with its state already warm.
 */
public final class ClusterNode implements Intake, CampaignLog, ShardHealth, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(30);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    /**
     * Kafka Streams commits (and so makes exits visible to read_committed readers) this often, and an
     * idle stream thread looks for records this often: Kafka's default of 100 ms put about 150 ms
     * between an event and its exit at 1,000 events/s (bench/cluster.sh --quick), 25 ms halves it
     * for a few more small transactions a second.
     */
    private static final long COMMIT_INTERVAL_MS = 25;

    private final KafkaClients clients;
    /** Names this data directory's instance for good (its campaign transactions, its read model's group). */
    private final String instanceId;
    private final AtomicReference<LoadedRules> rules;
    private final short replication;
    private final LogIntake intake;
    private final CampaignBroadcast broadcast;
    private final CampaignCatalogue catalogue;
    private final List<Campaign> campaignsAtStart;
    private final PartitionTasks tasks = new PartitionTasks();
    private volatile KafkaStreams streams;
    private volatile HostInfo self;
    private volatile Peers peers;
    private ClusterReads reads;
    private final List<TopicFeed> feeds = new ArrayList<>();

    private ClusterNode(KafkaClients clients, String instanceId, AtomicReference<LoadedRules> rules, short replication,
                        LogIntake intake, CampaignBroadcast broadcast, CampaignCatalogue catalogue,
                        List<Campaign> campaignsAtStart) {
        this.clients = clients;
        this.instanceId = instanceId;
        this.rules = rules;
        this.replication = replication;
        this.intake = intake;
        this.broadcast = broadcast;
        this.catalogue = catalogue;
        this.campaignsAtStart = campaignsAtStart;
    }

    /**
     * Creates the topics if absent, connects the producers and reads the campaign catalogue. Fails
     * with what to check when the cluster cannot be reached.
     */
    public static ClusterNode connect(KafkaSettings settings, Path dataDir, LoadedRules rules) throws Exception {
        KafkaClients clients = new KafkaClients(settings);
        short replication;
        Admin admin = clients.admin();
        try {
            replication = ClusterTopics.ensure(admin, settings);
        } finally {
            // An admin call still pending (the brokers never answered) would hold close() for a minute.
            admin.close(Duration.ofSeconds(1));
        }
        LogIntake intake = new LogIntake(clients.intakeProducer(), settings.eventsTopic());
        CampaignBroadcast broadcast = null;
        CampaignCatalogue catalogue = null;
        try {
            // Metadata fetched now: the first requests need not wait for it.
            intake.warmUp();
            AtomicReference<LoadedRules> current = new AtomicReference<>(rules);
            String instanceId = instanceId(dataDir);
            catalogue = new CampaignCatalogue(clients);
            broadcast = new CampaignBroadcast(clients, settings.applicationId() + ".campaigns." + instanceId, current,
                    catalogue);
            List<Campaign> campaigns = catalogue.readAll(CONNECT_WAIT);
            LOG.info("Joined the Kafka cluster at {} as application {}: {} partitions, replication {}, {} campaigns",
                    settings.bootstrapServers(), settings.applicationId(), settings.partitions(), replication,
                    campaigns.size());
            return new ClusterNode(clients, instanceId, current, replication, intake, broadcast, catalogue, campaigns);
        } catch (KafkaException e) {
            close(intake, broadcast, catalogue);
            throw new StartupException("the Kafka cluster at " + settings.bootstrapServers() + " did not answer as it "
                    + "should (" + e.getMessage() + "); check " + KafkaSettings.KAFKA_BOOTSTRAP_SERVERS + " and "
                    + KafkaSettings.KAFKA_CLIENT_PROPERTIES);
        } catch (Exception | Error e) {
            close(intake, broadcast, catalogue);
            throw e;
        }
    }

    private static void close(LogIntake intake, CampaignBroadcast broadcast, CampaignCatalogue catalogue) {
        intake.close();
        if (broadcast != null) {
            broadcast.close();
        }
        if (catalogue != null) {
            catalogue.close();
        }
    }

    /**
     * Names this data directory's instance for good, so a restart fences its previous run's open
     * campaign transaction at once instead of after a timeout.
     */
    private static String instanceId(Path dataDir) throws IOException {
        Path file = dataDir.resolve("cluster-instance-id");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        String id = UUID.randomUUID().toString();
        Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
        return id;
    }

    /** The campaigns the catalogue held when this instance joined. */
    public List<Campaign> campaigns() {
        return campaignsAtStart;
    }

    /**
     * The API's reads in the cluster: per-user reads from this instance's partitions, the rest from
     * {@code local}, this instance's read model.
     */
    public ReadModel reads(ReadModel local, ReadModel outbox) {
        if (reads == null) {
            reads = new ClusterReads(this, local, outbox);
        }
        return reads;
    }

    /**
     * Feeds this instance's read model with every exit and every event a rule set aside, and, when
     * it sends webhooks, its outbox with the exits of the partitions the sender group gives it.
     *
     * @param exitsStored takes the exits each commit put in the outbox, for the sender to send from memory
     * @param metrics     gets {@code conversion_sender_partitions}: the exits-topic partitions this instance sends
     */
    public <S extends EngineStore & ReadModel> void feed(S readModel, S outbox, Consumer<List<Exit>> exitsStored,
                                                         Metrics metrics) {
        KafkaSettings settings = clients.settings();
        feeds.add(new TopicFeed("read-model-feed", clients.groupMember(settings.applicationId() + ".read-model."
                + instanceId, "read-model"), List.of(settings.exitsTopic(), settings.deadLetterTopic()),
                settings.exitsTopic(), readModel, readModel, exits -> { }, Clock.systemUTC()));
        if (outbox != null) {
            TopicFeed sender = new TopicFeed("sender-feed", clients.groupMember(settings.applicationId() + ".sender",
                    "sender"), List.of(settings.exitsTopic()), settings.exitsTopic(), outbox, outbox, exitsStored,
                    Clock.systemUTC());
            metrics.gauge("conversion_sender_partitions", "Partitions of the exits topic whose webhooks this instance "
                    + "sends now", "application", settings.applicationId(), sender::partitions);
            feeds.add(sender);
        }
        feeds.forEach(TopicFeed::start);
    }

    /**
     * Routes per-user reads to the user's owner, serves this instance's shares to the others, and
     * pages the exits feed of {@code exits} (this instance's read model) by the exits topic's
     * positions; call after {@link #reads}.
     */
    public ClusterRouting routing(PositionedExits exits) {
        KafkaSettings settings = clients.settings();
        return new NodeRouting(new OwnerRouting(this), new ShareRoutes(reads),
                new TopicExitFeed(exits, settings.exitsTopic(), settings.partitions()));
    }

    /**
     * Follows campaign changes made anywhere in the cluster and starts evaluating the partitions
     * Kafka assigns to this instance.
     *
     * @param applicationServer {@code host:port} the other instances reach this one's HTTP API at
     * @param adminKey          the admin key, which every instance accepts: instances pass reads to each other with it
     * @param threads           stream threads: how many partitions this instance evaluates at once
     */
    public void start(Consumer<Campaign> campaignChanged, String applicationServer, String adminKey, Path dataDir,
                      int threads, Duration dedupeWindow, Duration eventRetention, Clock clock, Metrics metrics)
            throws IOException {
        self = HostInfo.buildFromEndpoint(applicationServer);
        peers = new Peers(adminKey, self);
        catalogue.follow(campaignChanged);
        KafkaSettings settings = clients.settings();
        Path stateDir = Files.createDirectories(dataDir.resolve("kafka-streams"));
        Properties properties = clients.base(Map.ofEntries(
                Map.entry(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId()),
                Map.entry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2),
                Map.entry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.standbyReplicas()),
                Map.entry(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replication),
                Map.entry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads),
                Map.entry(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()),
                Map.entry(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer),
                Map.entry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS),
                Map.entry(StreamsConfig.POLL_MS_CONFIG, COMMIT_INTERVAL_MS),
                Map.entry(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                        clients.sessionTimeoutMs()),
                Map.entry(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                        clients.heartbeatIntervalMs())));
        KafkaStreams created = new KafkaStreams(ConversionTopology.build(settings,
                () -> new ShardProcessor(rules::get, dedupeWindow, eventRetention, clock, metrics, settings.partitions(),
                        tasks)),
                properties);
        created.setUncaughtExceptionHandler(failure -> {
            // Only the stores or Kafka fail here (a record's own faults go to the dead-letter topic): the
            // thread's tasks start again from their last commit, on a new thread.
            LOG.error("A stream thread failed; its partitions start again from their last commit", failure);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        created.setStateListener((next, previous) -> LOG.info("Cluster member: {} -> {}", previous, next));
        PartitionProgress progress = new PartitionProgress();
        created.setGlobalStateRestoreListener(progress);
        progress.register(metrics, settings.partitions(), settings.eventsTopic(), created);
        metrics.gauge("conversion_partitions_evaluated", "Partitions of the events topic this instance evaluates now",
                "application", settings.applicationId(), tasks::count);
        streams = created;
        created.start();
    }

    @Override
    public boolean queues() {
        return true;
    }

    @Override
    public CompletableFuture<EventsOutcome> evaluate(List<UserEvent> events) {
        return intake.evaluate(events);
    }

    @Override
    public CompletableFuture<EnrollOutcome> enroll(String campaignId, List<Enrollment> enrollments) {
        return intake.enroll(campaignId, enrollments);
    }

    @Override
    public CompletableFuture<Optional<Exit>> remove(String campaignId, String userId) {
        return intake.remove(campaignId, userId);
    }

    @Override
    public CompletableFuture<Integer> changeCampaign(Campaign next, boolean isNew) {
        return broadcast.changeCampaign(next, isNew);
    }

    @Override
    public CompletableFuture<Void> loadCampaign(Campaign campaign) {
        return broadcast.loadCampaign(campaign);
    }

    @Override
    public boolean feedsCatalogue() {
        return broadcast.feedsCatalogue();
    }

    @Override
    public CompletableFuture<Void> swapRules(LoadedRules next) {
        return broadcast.swapRules(next);
    }

    @Override
    public List<String> stalled(Duration limit) {
        return tasks.stalled(limit);
    }

    /** Ready once Kafka Streams runs: every partition assigned here restored and evaluating. */
    @Override
    public List<String> notReady() {
        KafkaStreams current = streams;
        if (current == null) {
            return List.of("joining the cluster");
        }
        KafkaStreams.State state = current.state();
        return switch (state) {
            case RUNNING -> List.of();
            case CREATED, REBALANCING -> List.of("the cluster is assigning partitions or this instance is restoring "
                    + "their state (" + state + ")");
            default -> List.of("this instance no longer evaluates partitions (" + state + "); see the log");
        };
    }

    /** The Kafka Streams application; null before {@link #start}. */
    KafkaStreams streams() {
        return streams;
    }

    /** Where the other instances reach this one; null before {@link #start}. */
    HostInfo self() {
        return self;
    }

    Peers peers() {
        return peers;
    }

    int partitions() {
        return clients.settings().partitions();
    }

    String eventsTopic() {
        return clients.settings().eventsTopic();
    }

    /**
     * Leaves the group at once, so the others take the partitions without waiting out the session;
     * then closes the rest side by side, so a stop with the brokers gone still ends within about
     * {@link #CLOSE_WAIT} plus a few seconds.
     */
    @Override
    public void close() {
        KafkaStreams current = streams;
        if (current != null) {
            current.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_WAIT));
        }
        List<AutoCloseable> parts = new ArrayList<>(feeds);
        parts.add(catalogue);
        parts.add(intake);
        parts.add(broadcast);
        CompletableFuture<?>[] closing = parts.stream().map(part -> CompletableFuture.runAsync(() -> {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", part.getClass().getSimpleName(), e.toString());
            }
        })).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(closing).get(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("The cluster's clients did not all close within {} s", CLOSE_WAIT.toSeconds());
        }
        if (reads != null) {
            reads.close();
        }
    }
}
