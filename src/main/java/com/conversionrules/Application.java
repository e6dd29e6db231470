package com.conversionrules;

import com.conversionrules.campaign.CampaignService;
import com.conversionrules.cluster.ClusterNode;
import com.conversionrules.config.Config;
import com.conversionrules.config.KafkaSettings;
import com.conversionrules.engine.Engine;
import com.conversionrules.engine.Intake;
import com.conversionrules.engine.ShardHealth;
import com.conversionrules.http.ApiServer;
import com.conversionrules.http.ClusterRouting;
import com.conversionrules.http.EventLoopTurns;
import com.conversionrules.http.MetricsServer;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.Exit;
import com.conversionrules.reload.LiveRules;
import com.conversionrules.replay.ProposedRules;
import com.conversionrules.replay.Simulator;
import com.conversionrules.rules.CompiledRulesCache;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.RulesException;
import com.conversionrules.rules.check.RulesGate;
import com.conversionrules.security.ApiKeys;
import com.conversionrules.security.KeySetup;
import com.conversionrules.sender.WebhookSender;
import com.conversionrules.startup.DataDirLock;
import com.conversionrules.startup.EnrollmentFeed;
import com.conversionrules.startup.PortCheck;
import com.conversionrules.store.ReadModel;
import com.conversionrules.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import com.conversionrules.metrics.VertxMeters;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service, wired by hand: store, rules, shards, sender, HTTP. Starts them in that order,
 * rebuilds the sessions from the store, and stops them in reverse.
 */
public final class Application implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    private static final int LOAD_CHUNK = 10_000;
    private static final Duration SENDER_DRAIN = Duration.ofSeconds(5);

    private final Config config;
    private final Consumer<Application> beforeRebuild;
    private final Clock clock = Clock.systemUTC();
    private Metrics metrics;
    private Vertx vertx;
    private Vertx senderVertx;
    private Store store;
    /** Where the sender finds its deliveries: the store itself, or in a cluster this instance's share of the exits. */
    private Store outbox;
    private Engine engine;
    private ClusterNode cluster;
    private CampaignService campaigns;
    private LiveRules liveRules;
    private Simulator simulator;
    private volatile WebhookSender sender;
    private ApiServer api;
    private MetricsServer metricsServer;
    private volatile boolean ready;
    private DataDirLock dataDirLock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Application(Config config, Consumer<Application> beforeRebuild) {
        this.config = config;
        this.beforeRebuild = beforeRebuild;
    }

    /** Starts the service; fails with every rule error if the rules folder does not compile. */
    public static Application start(Config config) throws Exception {
        return start(config, listening -> { });
    }

    /**
     * Starts the service, running {@code beforeRebuild} once the API listens and before the sessions
     * are rebuilt: where a test holds the start to see what requests meet meanwhile.
     */
    static Application start(Config config, Consumer<Application> beforeRebuild) throws Exception {
        Application application = new Application(config, beforeRebuild);
        try {
            application.startAll();
        } catch (Exception | Error e) {
            application.close();
            throw e;
        }
        return application;
    }

    private void startAll() throws Exception {
        dataDirLock = DataDirLock.acquire(config.dataDir());
        PortCheck.check(config.host(), config.port());
        if (config.metricsPort() != null) {
            PortCheck.check(config.host(), config.metricsPort());
        }
        // The rules (read back compiled, or compiled and checked) load beside the store's opening.
        CompiledRulesCache compiledRules = new CompiledRulesCache(config.dataDir());
        FutureTask<LoadedRules> rulesLoading = new FutureTask<>(() -> RulesGate.load(config.rulesDir(), compiledRules));
        new Thread(rulesLoading, "rules-load").start();
        metrics = Metrics.prometheus();
        store = new Store(config.dataDir(), metrics, config.eventRetention());
        // Reading the active enrollments takes a second or more per million: it starts now, beside
        // the rules and the rest of the start, and hands chunks to the shards once they hold the campaigns.
        // In a cluster, each partition's state is in Kafka: nothing is read here.
        long rebuildStarted = System.nanoTime();
        boolean clustered = config.kafka().isPresent();
        CompletableFuture<List<Campaign>> storedCampaigns = clustered ? CompletableFuture.completedFuture(List.of())
                : store.campaigns();
        EnrollmentFeed enrollments = new EnrollmentFeed();
        CompletableFuture<Void> read = clustered ? CompletableFuture.completedFuture(null)
                : store.forEachActiveEnrollment(LOAD_CHUNK, enrollments::accept);
        LoadedRules rules = loaded(rulesLoading);
        LOG.info("Rules loaded from {}: {}", config.rulesDir(), rules.describe());

        // The sender comes after the shards have started loading; exits committed before it exists
        // are in the store, where the sender's start finds them.
        Consumer<List<Exit>> exitsCommitted = exits -> {
            WebhookSender current = sender;
            if (current != null) {
                current.handOver(exits);
            }
        };
        Intake intake;
        ShardHealth shardHealth;
        if (clustered) {
            cluster = ClusterNode.connect(config.kafka().get(), config.dataDir(), rules);
            intake = cluster;
            shardHealth = cluster;
            campaigns = new CampaignService(cluster, rules, clock);
        } else {
            engine = new Engine(rules, store, config.shards(), Engine.DEFAULT_MAX_BATCH, config.shardQueue(),
                    config.dedupeWindow(), clock, exitsCommitted, metrics);
            engine.rememberStoredEvents().join();
            engine.queueByTurn(new EventLoopTurns());
            engine.start();
            intake = engine;
            shardHealth = engine;
            campaigns = new CampaignService(engine, rules, clock);
            campaigns.restore(storedCampaigns.join());
            enrollments.start(engine);
        }
        // The route label gives each route its own request meters (vertx_http_server_*{route="/v1/events"}).
        // Netty's native epoll transport where it loads (Linux x86_64), Java NIO elsewhere: it took a
        // tenth off the service's CPU per single-event request (BENCHMARKS.md §2).
        vertx = Vertx.builder()
                .with(new VertxOptions().setPreferNativeTransport(true).setMetricsOptions(new MicrometerMetricsOptions()
                        .setEnabled(true).addLabels(Label.HTTP_ROUTE)))
                .withMetrics(new VertxMeters(metrics.registry()))
                .build();
        if (!config.webhooks().isEmpty()) {
            // In a cluster, the store holds every exit for the API's reads; the exits this instance delivers
            // (its share of the sender group's partitions) go to an outbox of their own.
            outbox = !clustered ? store
                    : new Store(config.dataDir().resolve("sender"), metrics, config.eventRetention());
            Set<String> disabledEndpoints = WebhookSender.registerEndpoints(outbox, config.webhooks());
            // An event loop of its own: sharing the HTTP server's, bursts of deliveries delayed acknowledgements.
            // No Vert.x meters on it: per-request meters cost more than the requests; conversion_webhook_* count them.
            senderVertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true))
                    .build();
            sender = new WebhookSender(senderVertx, outbox, config.webhooks(), disabledEndpoints,
                    config.retrySchedule(), config.giveUpAfter(), config.webhookTimeout(), clock, metrics);
        } else {
            WebhookSender.registerEndpoints(store, config.webhooks());
        }
        liveRules = new LiveRules(config.rulesDir(), campaigns, compiledRules, clock);

        ApiKeys keys = KeySetup.resolve(config.writeKeys(), config.adminKeys(), config.dataDir());
        ReadModel reads = cluster == null ? store : cluster.reads(store, outbox);
        ClusterRouting routing = cluster == null ? ClusterRouting.NONE : cluster.routing(store);
        simulator = new Simulator(store::openEventHistory, clock);
        api = new ApiServer(vertx, config.http(), config.stalls(), intake, shardHealth, campaigns, liveRules, reads, store,
                metrics, () -> ready, clock, keys, config.accessLog(), simulator,
                new ProposedRules(config.simulateRulesDir()), routing);
        try {
            api.listen(config.host(), config.port()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw PortCheck.inUse(config.host(), config.port(), e.getCause());
        }
        LOG.info("Listening on http://{}:{} ({})", config.host(), api.port(), transport());
        if (config.metricsPort() != null) {
            metricsServer = new MetricsServer(vertx, metrics);
            try {
                metricsServer.listen(config.host(), config.metricsPort()).toCompletionStage().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw PortCheck.inUse(config.host(), config.metricsPort(), e.getCause());
            }
            LOG.info("Serving metrics without a key on http://{}:{}/metrics", config.host(), metricsServer.port());
        }

        beforeRebuild.accept(this);
        if (cluster != null) {
            campaigns.restore(cluster.campaigns());
            cluster.start(campaigns::observed, applicationServer(config.kafka().get()), config.adminKeys().get(0),
                    config.dataDir(), config.shards(), config.dedupeWindow(), config.eventRetention(), clock, metrics);
            cluster.feed(store, outbox, exitsCommitted, metrics);
        } else {
            finishRebuild(enrollments.loaded(read).join(), rebuildStarted);
        }
        if (sender != null) {
            sender.start();
            config.webhooks().forEach(endpoint -> LOG.info("Delivering exits to {} at {}", endpoint.name(), endpoint.url()));
        }
        if (config.rulesPollSeconds() > 0) {
            liveRules.watch(config.rulesPollSeconds());
        }
        ready = true;
        LOG.info("Ready");
    }

    /** The rules the loading thread produced, or its failure as it was thrown. */
    private static LoadedRules loaded(FutureTask<LoadedRules> rulesLoading) throws Exception {
        try {
            return rulesLoading.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The sessions hold every campaign and active enrollment: end what ended campaigns left behind. */
    private void finishRebuild(long enrollments, long started) {
        int leftOver = campaigns.finishEndedCampaigns();
        LOG.info("Rebuilt {} sessions with {} campaigns and {} active enrollments in {} ms{}", engine.shardCount(),
                campaigns.all().size(), enrollments, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                leftOver == 0 ? "" : "; ended " + leftOver + " enrollments of ended campaigns");
    }

    /** Where the other instances of the cluster reach this one's API. */
    private String applicationServer(KafkaSettings kafka) throws UnknownHostException {
        if (kafka.applicationServer() != null) {
            return kafka.applicationServer();
        }
        InetAddress bound = InetAddress.getByName(config.host());
        String host = bound.isAnyLocalAddress() ? InetAddress.getLocalHost().getHostName() : config.host();
        return host + ":" + api.port();
    }

    public int port() {
        return api.port();
    }

    /** How the HTTP server reads and writes its sockets: Netty's native epoll, or Java NIO and why. */
    public String transport() {
        if (vertx.isNativeTransportEnabled()) {
            return "native epoll transport";
        }
        Throwable cause = vertx.unavailableNativeTransportCause();
        return cause == null ? "Java NIO transport" : "Java NIO transport; the native one did not load: " + cause;
    }

    /** The port of the metrics-only server; -1 when METRICS_PORT is not set. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    /** The routes the HTTP server serves, as {@code METHOD /path/{param}}. */
    public List<String> routes() {
        return api.routes();
    }

    public boolean ready() {
        return ready;
    }

    /**
     * Stops taking requests, lets the shards finish what they queued, commits it, gives the sender a
     * few seconds to deliver what is waiting, then releases everything. What the sender could not
     * deliver stays in the outbox for the next start.
     */
    @Override
    public void close() {
        // A shutdown hook and an explicit close may both come; the second has nothing left to do.
        if (closed.getAndSet(true)) {
            return;
        }
        ready = false;
        if (api != null) {
            await(api.close().toCompletionStage().toCompletableFuture());
        }
        if (metricsServer != null) {
            await(metricsServer.close().toCompletionStage().toCompletableFuture());
        }
        if (liveRules != null) {
            liveRules.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (campaigns != null) {
            campaigns.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (store != null) {
            await(store.flush());
        }
        if (sender != null) {
            sender.drain(SENDER_DRAIN);
        }
        if (outbox != null && outbox != store) {
            outbox.close();
        }
        if (store != null) {
            store.close();
        }
        if (senderVertx != null) {
            await(senderVertx.close().toCompletionStage().toCompletableFuture());
        }
        if (vertx != null) {
            await(vertx.close().toCompletionStage().toCompletableFuture());
        }
        if (dataDirLock != null) {
            try {
                dataDirLock.close();
            } catch (IOException e) {
                LOG.warn("Releasing the lock on the data directory failed", e);
            }
        }
        LOG.info("Stopped");
    }

    private static void await(CompletableFuture<?> future) {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Shutdown step did not finish cleanly", e);
        }
    }

    /** Thrown when the rules folder does not compile; printed one problem per line. */
    static String describe(RulesException e) {
        return "The rules in the rules folder do not compile:\n" + e.getMessage()
                + "\nRun java -jar conversion-rules.jar check-rules [DIR] for each problem with its column and what to fix.";
    }
}
