package org.troupe.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.protocol.exceptions.TransferLeadershipException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server of a Troupe cluster: a Ratis server hosting the directory's Raft group and a fixed
 * number of shard Raft groups, each replicating opaque commands for named
 * {@link ReplicatedState}s. It knows nothing of what the states are.
 *
 * <pre>
 *  submit(name, cmd) ──► shard = crc32(name) % shards ──► BatchingSubmitter (bounded queue, batches)
 *        ▲                                                    │ one Raft entry = many commands
 *        │ result                                             ▼
 *        └──── reply (one outcome per command) ◄── leader's log ─► majority ─► apply on every server
 *                                                           ReplicatedStateMachine ─► ReplicatedState.apply
 * </pre>
 *
 * <p>Every server is a peer of every Raft group; priorities rotate so the preferred leaders
 * spread over the servers. A data directory with no Raft group in it is formatted; one with
 * groups recovers them (log and snapshots) and must have been made for the same cluster name,
 * peers and number of shards.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    private static final String LAYOUT_FILE = "cluster.properties";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int EVENT_QUEUE = 4096;
    /** gRPC (shaded in Ratis) logs through java.util.logging; loggers are weakly held, keep them. */
    private static final List<java.util.logging.Logger> QUIETED = new ArrayList<>();

    static {
        for (String name : List.of("org.apache.ratis.thirdparty.io.grpc", "org.apache.ratis.thirdparty.io.netty")) {
            java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
            l.setLevel(Level.WARNING);
            QUIETED.add(l);
        }
    }

    private final ClusterConfig config;
    private final ClusterLayout layout;
    private final RaftPeerId self;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final ReplicatedStateMachine[] machines;
    private final BatchingSubmitter[] submitters;
    private final ScheduledThreadPoolExecutor submitThread;
    private final ThreadPoolExecutor eventThread;
    private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
    private final RaftProperties properties;
    /** TLS of the Raft transport (empty: plaintext), for the server and every client it builds. */
    private final org.apache.ratis.conf.Parameters parameters;
    private RaftServer server;
    private RaftClient rpcClient;
    private volatile boolean closed;
    /** Hands groups back to their preferred leaders once they are back (null: off). */
    private PreferredLeaderRestorer restorer;
    /** Told each applied command's submit-to-applied time (null: nobody asks). */
    private volatile java.util.function.LongConsumer commitObserver;

    private ClusterNode(ClusterConfig config, ReplicatedState.Factory factory) {
        this.config = config;
        this.layout = new ClusterLayout(config);
        this.self = RaftPeerId.valueOf(config.serverId());
        this.machines = new ReplicatedStateMachine[layout.slots()];
        this.submitters = new BatchingSubmitter[layout.slots()];
        this.submitThread = new ScheduledThreadPoolExecutor(1, daemon("troupe-cluster-submit-" + config.serverId()));
        this.submitThread.setRemoveOnCancelPolicy(true);
        this.eventThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(EVENT_QUEUE), daemon("troupe-cluster-events-" + config.serverId()));
        ReplicatedStateMachine.LeadershipEvents events = new Events();
        for (int slot = 0; slot < layout.slots(); slot++) {
            Function<String, ReplicatedState> creator;
            if (slot == 0) {
                creator = name -> {
                    if (!ClusterLayout.DIRECTORY.equals(name)) {
                        throw new IllegalArgumentException("the directory group holds only the directory, not " + name);
                    }
                    return factory.createDirectory();
                };
            } else {
                creator = factory::create;
            }
            machines[slot] = new ReplicatedStateMachine(layout.groupName(slot), creator, events);
        }
        this.properties = raftProperties(config);
        this.parameters = RaftTls.parameters(config.tls());
    }

    /**
     * Starts this server: formats its data directory when it holds no Raft group, recovers the
     * groups when it does, binds the Raft transport to this server's own address only, and joins
     * every Raft group of the layout. Returns without waiting for leaders (see {@link #awaitLeaders}).
     *
     * @throws IOException the data directory is unusable or was made for another layout, the
     *     address cannot be bound, or a Raft group cannot be started
     */
    public static ClusterNode start(ClusterConfig config, ReplicatedState.Factory factory) throws IOException {
        ClusterNode node = new ClusterNode(config, factory);
        try {
            node.startServer();
            return node;
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
    }

    private void startServer() throws IOException {
        prepareDataDir();
        server = RaftServer.newBuilder()
                .setServerId(self)
                .setProperties(properties)
                .setParameters(parameters)
                .setStateMachineRegistry(this::machineFor)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        server.start();
        Set<RaftGroupId> present = new HashSet<>();
        server.getGroupIds().forEach(present::add);
        for (int slot = 0; slot < layout.slots(); slot++) {
            RaftGroup group = layout.group(slot);
            if (present.contains(group.getGroupId())) {
                continue;
            }
            GroupManagementRequest add = GroupManagementRequest.newAdd(clientId, self, callIds.incrementAndGet(), group, true);
            RaftClientReply reply = await(server.groupManagementAsync(add), START_TIMEOUT, "add " + layout.groupName(slot));
            if (!reply.isSuccess()) {
                throw new IOException(config.serverId() + " could not start Raft group " + layout.groupName(slot)
                        + ": " + reply.getException());
            }
        }
        rpcClient = RaftClient.newBuilder()
                .setClientId(clientId)
                .setRaftGroup(layout.group(0))
                .setProperties(properties)
                .setParameters(parameters)
                .setRetryPolicy(RetryPolicies.noRetry())
                .build();
        boolean unordered = config.transport() == ClusterConfig.Transport.GRPC;
        for (int slot = 0; slot < layout.slots(); slot++) {
            RaftEntryChannel channel = new RaftEntryChannel(server, layout.group(slot).getGroupId(),
                    layout.groupName(slot), clientId, rpcClient.getClientRpc(), unordered);
            submitters[slot] = new BatchingSubmitter(layout.groupName(slot), channel, submitThread, callIds, config,
                    System::nanoTime);
        }
        submitThread.scheduleWithFixedDelay(() -> {
            try {
                for (BatchingSubmitter s : submitters) {
                    s.expire();
                }
            } catch (Throwable t) {
                LOG.error("cluster {}: time-out sweep failed", config.serverId(), t);
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
        if (!config.restoreLeadersAfter().isZero()) {
            restorer = new PreferredLeaderRestorer(config.serverId(), new PreferredLeaderRestorer.Leaderships() {
                @Override
                public List<PreferredLeaderRestorer.Candidate> ledForOthers() {
                    return ClusterNode.this.ledForOthers();
                }

                @Override
                public void handOver(String group, String to, Duration timeout) throws IOException {
                    transferLeadership(group, to, timeout);
                }
            }, config.restoreLeadersAfter(), System::nanoTime).start(
                    PreferredLeaderRestorer.period(config.restoreLeadersAfter()));
        }
        LOG.info("cluster {}: server {} started on {} with {} shards, data {}", config.clusterName(),
                config.serverId(), config.self().address(), config.shards(), config.dataDir());
    }

    private ReplicatedStateMachine machineFor(RaftGroupId id) {
        int slot = layout.slotOf(id);
        if (slot < 0) {
            throw new IllegalStateException("Raft group " + id + " in " + config.dataDir()
                    + " is not part of cluster " + config.clusterName());
        }
        return machines[slot];
    }

    /** Creates the data directory, or checks that it was made for this cluster's layout. */
    private void prepareDataDir() throws IOException {
        Path dir = config.dataDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create the data directory " + dir + ": " + e, e);
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("the data directory " + dir + " is not writable");
        }
        Properties want = new Properties();
        want.setProperty("cluster", config.clusterName());
        want.setProperty("shards", Integer.toString(config.shards()));
        want.setProperty("peers", config.peers().toString());
        want.setProperty("server", config.serverId());
        Path file = dir.resolve(LAYOUT_FILE);
        if (Files.exists(file)) {
            Properties have = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                have.load(in);
            }
            for (String key : List.of("cluster", "server", "shards", "peers")) {
                if (!want.getProperty(key).equals(have.getProperty(key))) {
                    throw new IOException("the data directory " + dir + " was made with " + key + " "
                            + have.getProperty(key) + ", not " + want.getProperty(key)
                            + "; start with the same settings or an empty directory");
                }
            }
        } else {
            Path tmp = dir.resolve(LAYOUT_FILE + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                want.store(out, "Troupe cluster layout: fixed at the first start");
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static RaftProperties raftProperties(ClusterConfig config) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(config.dataDir().resolve("raft").toFile()));
        RaftServerConfigKeys.setRemovedGroupsDir(p, config.dataDir().resolve("raft-removed").toFile());
        ClusterConfig.Peer me = config.self();
        if (config.transport() == ClusterConfig.Transport.GRPC) {
            RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
            GrpcConfigKeys.Server.setHost(p, me.host());
            GrpcConfigKeys.Server.setPort(p, me.port());
        } else {
            RaftConfigKeys.Rpc.setType(p, SupportedRpcType.NETTY);
            NettyConfigKeys.Server.setHost(p, me.host());
            NettyConfigKeys.Server.setPort(p, me.port());
        }
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(config.electionTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(config.electionTimeoutMax()));
        RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
        // read-only requests (awaitCaughtUp) are linearizable: the leader confirms it leads and applied its commit index
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotEveryEntries());
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, config.snapshotsRetained());
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, config.logCommits());
        // Unsafe flush: an entry counts as written once handed to the log's writer, fsync follows.
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, !config.syncLog());
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("8MB"));
        RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf("1MB"));
        // An AppendEntries carries up to the appender's byte limit; the log's write buffer must hold one.
        int appendBytes = Math.max(4 << 20, 2 * config.maxBatchBytes());
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(appendBytes));
        RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(appendBytes + (1 << 20)));
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(3, TimeUnit.SECONDS));
        if (config.transport() == ClusterConfig.Transport.GRPC) {
            GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(Math.max(64 << 20, 4 * config.maxBatchBytes())));
        }
        return p;
    }

    private static TimeDuration millis(Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    public ClusterConfig config() {
        return config;
    }

    public ClusterLayout layout() {
        return layout;
    }

    /**
     * Replicates a command for the named state (in the shard its name hashes to) and completes
     * with the state's result once the command is committed to a majority and applied here or
     * on the leader. Commands this server submits for one shard are applied in submission order.
     * Batches with whatever else waits for that shard.
     *
     * <p>The future fails with {@link CommandFailedException} (the state's apply threw),
     * {@link TimeoutException} (not answered within the submit time-out: it may still be
     * applied), {@link RejectedExecutionException} (too many commands wait for that shard),
     * {@link IllegalArgumentException} (name or command too large) or
     * {@link IllegalStateException} (this node is closed). It completes on the node's submit
     * thread: dependent stages must not block.
     */
    public CompletableFuture<byte[]> submit(String stateName, byte[] command) {
        int slot = ClusterLayout.slotOfShard(layout.shardOf(stateName));
        java.util.function.LongConsumer observer = commitObserver;
        if (observer == null) {
            return submitters[slot].submit(stateName, command);
        }
        long submitted = System.nanoTime();
        CompletableFuture<byte[]> f = submitters[slot].submit(stateName, command);
        f.thenRun(() -> observer.accept(System.nanoTime() - submitted));
        return f;
    }

    /**
     * From now on, every command submitted to a shard that is applied tells {@code nanos} how long
     * it took from submit to applied (on the submit thread: it must be quick and must not throw).
     */
    public void observeCommits(java.util.function.LongConsumer nanos) {
        commitObserver = nanos;
    }

    /** Replicates a command for the directory's state, as {@link #submit}. */
    public CompletableFuture<byte[]> submitToDirectory(byte[] command) {
        return submitters[0].submit(ClusterLayout.DIRECTORY, command);
    }

    /** {@code "shard-N"}: the Raft group that holds this state. */
    public String groupOf(String stateName) {
        return layout.groupName(ClusterLayout.slotOfShard(layout.shardOf(stateName)));
    }

    /** Every Raft group as this server sees it: the directory first, then the shards. */
    public List<RaftGroupStatus> status() {
        List<RaftGroupStatus> out = new ArrayList<>();
        for (int slot = 0; slot < layout.slots(); slot++) {
            out.add(status(slot));
        }
        return out;
    }

    /** One Raft group ({@code "directory"} or {@code "shard-N"}) as this server sees it. */
    public RaftGroupStatus status(String group) {
        return status(slotOrThrow(group));
    }

    /**
     * Waits until this server's copy of the Raft group holding {@code stateName} has applied
     * everything its leader had committed when asked: a linearizable read at the leader (it
     * confirms with a majority that it still leads, waits until it applied its commit index, and
     * answers how far it applied), then a wait until this copy applied that far. Then the copy
     * holds whatever any leader acknowledged before the call, which a copy read right after a
     * fail-over, or a follower a heartbeat behind, may not. (Ratis answers a linearizable read at
     * a follower only over gRPC, hence the read at the leader.)
     *
     * @throws TimeoutException not within {@code timeout} (no leader answered, or this copy far behind)
     * @throws IOException this server holds no copy of that Raft group
     */
    public void awaitCaughtUp(String stateName, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        RaftGroup group = layout.group(ClusterLayout.slotOfShard(layout.shardOf(stateName)));
        long deadline = System.nanoTime() + timeout.toNanos();
        long leaderApplied = leaderAppliedIndex(group, stateName, deadline, timeout);
        while (true) {
            try {
                if (server.getDivision(group.getGroupId()).getInfo().getLastAppliedIndex() >= leaderApplied) {
                    return;
                }
            } catch (IOException e) {
                // the division is not there yet (starting): wait
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException(config.serverId() + ": the copy of " + stateName + " did not apply up to "
                        + "index " + leaderApplied + " within " + timeout.toMillis() + " ms");
            }
            Thread.sleep(5);
        }
    }

    /**
     * How far the leader of {@code group} applied, by a linearizable read at it. A leader that
     * stopped answers nothing, and this server may name it until the next election: each attempt
     * is bounded by twice the longest election time-out (at least a second), and the next goes to
     * whichever leader this server knows then, until {@code deadline}. While no leader is known,
     * or this server's copy is still starting, it waits.
     */
    private long leaderAppliedIndex(RaftGroup group, String stateName, long deadline, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        long attemptMillis = Math.max(1000, 2 * config.electionTimeoutMax().toMillis());
        String lastFailure = "no leader known";
        while (true) {
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMillis <= 0) {
                throw new TimeoutException(config.serverId() + ": no leader of " + stateName + " answered within "
                        + timeout.toMillis() + " ms (" + lastFailure + ")");
            }
            RaftPeerId leader;
            try {
                leader = server.getDivision(group.getGroupId()).getInfo().getLeaderId();
            } catch (IOException e) {
                leader = null; // the division is not there yet (starting): wait
                lastFailure = e.toString();
            }
            if (leader == null) {
                Thread.sleep(Math.min(20, remainingMillis));
                continue;
            }
            try (RaftClient reader = RaftClient.newBuilder()
                    .setRaftGroup(group)
                    .setLeaderId(leader)
                    .setProperties(properties)
                    .setParameters(parameters)
                    .build()) {
                RaftClientReply r = reader.async().sendReadOnly(Message.EMPTY, leader)
                        .get(Math.min(attemptMillis, remainingMillis), TimeUnit.MILLISECONDS);
                if (r.isSuccess()) {
                    return ReplicatedStateMachine.appliedIndexOf(r.getMessage());
                }
                lastFailure = leader + " answered " + r.getException();
            } catch (java.util.concurrent.ExecutionException e) {
                lastFailure = leader + " failed: " + e.getCause();
            } catch (TimeoutException e) {
                lastFailure = leader + " did not answer within " + Math.min(attemptMillis, remainingMillis) + " ms";
            }
            // a leader that failed at once is not asked again before an election could have replaced it
            Thread.sleep(Math.min(config.electionTimeoutMin().toMillis(),
                    Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        }
    }

    /** True once {@link #close} was called: nothing is submitted through this node any more. */
    public boolean isClosed() {
        return closed;
    }

    /** The Raft group holding this state, as this server sees it. */
    public RaftGroupStatus statusOf(String stateName) {
        return status(ClusterLayout.slotOfShard(layout.shardOf(stateName)));
    }

    private RaftGroupStatus status(int slot) {
        RaftGroup group = layout.group(slot);
        String preferred = config.peers().get(layout.preferredLeader(slot)).id();
        int queued = submitters[slot] == null ? 0 : submitters[slot].queued();
        try {
            RaftServer.Division d = server.getDivision(group.getGroupId());
            DivisionInfo info = d.getInfo();
            RaftPeerId leader = info.getLeaderId();
            // The priorities in force (a transfer changes them), not only the initial layout's.
            preferred = d.getRaftConf().getCurrentPeers().stream()
                    .max(java.util.Comparator.comparingInt(org.apache.ratis.protocol.RaftPeer::getPriority))
                    .map(p -> p.getId().toString()).orElse(preferred);
            return new RaftGroupStatus(layout.groupName(slot), group.getGroupId().getUuid().toString(),
                    leader == null ? null : leader.toString(), info.getCurrentTerm(),
                    d.getRaftLog().getLastCommittedIndex(), info.getLastAppliedIndex(),
                    info.isLeader() && info.isLeaderReady(), preferred, queued);
        } catch (IOException | RuntimeException e) {
            return new RaftGroupStatus(layout.groupName(slot), group.getGroupId().getUuid().toString(), null, 0, -1,
                    -1, false, preferred, queued);
        }
    }

    private int slotOrThrow(String group) {
        int slot = layout.slotOf(group);
        if (slot < 0) {
            throw new IllegalArgumentException("no Raft group named " + group + "; there are directory and shard-0..shard-"
                    + (layout.shards() - 1));
        }
        return slot;
    }

    /** The names of the states this server holds in a Raft group now. */
    public List<String> stateNames(String group) {
        return machines[slotOrThrow(group)].stateNames();
    }

    /**
     * Waits until every Raft group has a leader that this server knows.
     *
     * @throws TimeoutException some group has none within the time; the message names them
     */
    public void awaitLeaders(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> without = new ArrayList<>();
            for (RaftGroupStatus s : status()) {
                if (s.leader() == null || s.appliedIndex() < 0) {
                    without.add(s.group());
                }
            }
            if (without.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException(config.serverId() + ": no leader within " + timeout.toMillis() + " ms for "
                        + without);
            }
            Thread.sleep(20);
        }
    }

    public void addLeadershipListener(LeadershipListener l) {
        listeners.add(l);
    }

    public void removeLeadershipListener(LeadershipListener l) {
        listeners.remove(l);
    }

    /**
     * Moves the leadership of a Raft group to a server: gives that server the group's top
     * priority (a replicated configuration change, so it stays the preferred leader until the
     * next transfer) and asks the current leader to hand over.
     *
     * @throws IllegalArgumentException unknown group or server
     * @throws IOException the change or the hand-over was refused or timed out
     */
    public void transferLeadership(String group, String serverId, Duration timeout) throws IOException {
        int slot = slotOrThrow(group);
        var peers = layout.raftPeersLedBy(serverId);
        int attempts = (int) Math.max(1, timeout.toMillis() / 200);
        try (RaftClient admin = RaftClient.newBuilder()
                .setRaftGroup(layout.group(slot))
                .setProperties(properties)
                .setParameters(parameters)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts,
                        TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
                .build()) {
            RaftClientReply r = admin.admin().setConfiguration(peers);
            if (!r.isSuccess()) {
                throw new IOException(group + ": priorities for " + serverId + " refused: " + r.getException());
            }
            // The transferee's election can be lost (a vote arrives late under load, or another
            // server times out first); the old leader then stays and the request fails with
            // DIFFERENT_LEADER. Ask again while the deadline allows.
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                Exception failed;
                try {
                    r = admin.admin().transferLeadership(RaftPeerId.valueOf(serverId), left);
                    if (r.isSuccess()) {
                        return;
                    }
                    failed = r.getException();
                } catch (TransferLeadershipException e) { // the blocking call throws what the reply carries
                    failed = e;
                }
                if (!(failed instanceof TransferLeadershipException)
                        || deadline - System.nanoTime() < TimeUnit.MILLISECONDS.toNanos(500)) {
                    throw new IOException(group + ": transfer to " + serverId + " refused: " + failed, failed);
                }
                LOG.info("{}: transfer to {} failed ({}), asking again", group, serverId, failed.getMessage());
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(group + ": transfer to " + serverId + " interrupted", e);
                }
            }
        }
    }

    /**
     * Hands every Raft group this server leads, but the layout prefers another server for, back
     * to that server (restoring the layout's priorities). Ratis gives a preferred server its
     * leadership back by itself only when the current leader finds it fully caught up while idle,
     * which a steady load can postpone indefinitely; call this after a server rejoined.
     *
     * @return the groups handed over; a group whose hand-over failed is logged and left as it is
     */
    public List<String> restorePreferredLeaders(Duration timeout) {
        List<String> moved = new ArrayList<>();
        for (int slot = 0; slot < layout.slots(); slot++) {
            String preferred = config.peers().get(layout.preferredLeader(slot)).id();
            RaftGroupStatus s = status(slot);
            if (!s.localLeader() || preferred.equals(config.serverId())) {
                continue;
            }
            try {
                transferLeadership(s.group(), preferred, timeout);
                moved.add(s.group());
            } catch (IOException | RuntimeException e) {
                LOG.warn("cluster {}: could not hand {} back to {}: {}", config.serverId(), s.group(), preferred,
                        e.toString());
            }
        }
        return moved;
    }

    /**
     * Each Raft group this server leads whose preferred leader (the top priority of its
     * configuration now) is another server, and whether that server answered this leader within
     * the longest election time-out.
     */
    public List<PreferredLeaderRestorer.Candidate> ledForOthers() {
        List<PreferredLeaderRestorer.Candidate> out = new ArrayList<>();
        long answerMillis = config.electionTimeoutMax().toMillis();
        for (int slot = 0; slot < layout.slots(); slot++) {
            RaftGroupStatus s = status(slot);
            if (!s.localLeader() || s.preferredLeader() == null || s.preferredLeader().equals(config.serverId())) {
                continue;
            }
            boolean answering = false;
            try {
                DivisionInfo info = server.getDivision(layout.group(slot).getGroupId()).getInfo();
                for (org.apache.ratis.proto.RaftProtos.ServerRpcProto f
                        : info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList()) {
                    if (RaftPeerId.valueOf(f.getId().getId()).toString().equals(s.preferredLeader())) {
                        answering = f.getLastRpcElapsedTimeMs() <= answerMillis;
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("cluster {}: followers of {}: {}", config.serverId(), s.group(), e.toString());
            }
            out.add(new PreferredLeaderRestorer.Candidate(s.group(), s.preferredLeader(), answering));
        }
        return out;
    }

    /** Takes a snapshot of one Raft group on this server now (normally they come by themselves). */
    public long snapshot(String group, Duration timeout) throws IOException {
        int slot = slotOrThrow(group);
        SnapshotManagementRequest req = SnapshotManagementRequest.newCreate(clientId, self,
                layout.group(slot).getGroupId(), callIds.incrementAndGet(), timeout.toMillis(), 1);
        RaftClientReply r = await(server.snapshotManagementAsync(req), timeout, "snapshot " + group);
        if (!r.isSuccess()) {
            throw new IOException(group + ": snapshot failed: " + r.getException());
        }
        return r.getLogIndex();
    }

    /** Entries and commands answered so far and entries resent, summed over the groups. */
    public long[] submitCounters() {
        long entries = 0;
        long commands = 0;
        long retries = 0;
        for (BatchingSubmitter s : submitters) {
            if (s != null) {
                entries += s.entriesAnswered();
                commands += s.commandsAnswered();
                retries += s.retries();
            }
        }
        return new long[] {entries, commands, retries};
    }

    /**
     * Stops this server: fails the commands not yet answered, takes a snapshot of every group,
     * and closes the Raft server. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (restorer != null) {
            restorer.close();
        }
        IllegalStateException reason = new IllegalStateException("cluster node " + config.serverId() + " is closed");
        for (BatchingSubmitter s : submitters) {
            if (s != null) {
                s.close(reason);
            }
        }
        submitThread.shutdownNow();
        if (rpcClient != null) {
            try {
                rpcClient.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("cluster {}: closing the client failed: {}", config.serverId(), e.toString());
            }
        }
        if (server != null) {
            try {
                server.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("cluster {}: closing the Raft server failed: {}", config.serverId(), e.toString());
            }
        }
        eventThread.shutdown();
        try {
            if (!eventThread.awaitTermination(5, TimeUnit.SECONDS)) {
                eventThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T await(CompletableFuture<T> f, Duration timeout, String what) throws IOException {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(what + " did not finish within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " was interrupted", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private void onEventThread(Runnable task) {
        try {
            eventThread.execute(() -> {
                try {
                    task.run();
                } catch (Throwable t) {
                    LOG.error("cluster {}: leadership event failed", config.serverId(), t);
                }
            });
        } catch (RejectedExecutionException e) {
            if (!closed) {
                LOG.error("cluster {}: leadership event dropped ({} waiting)", config.serverId(), EVENT_QUEUE);
            }
        }
    }

    private long currentTerm(ReplicatedStateMachine m) {
        try {
            return server.getDivision(m.getGroupId()).getInfo().getCurrentTerm();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private void announce(ReplicatedStateMachine m) {
        int slot = layout.slotOf(m.groupName());
        if (submitters[slot] != null) {
            submitters[slot].leadershipMoved();
        }
        if (server == null || listeners.isEmpty()) {
            return;
        }
        RaftGroupStatus status = status(slot);
        for (LeadershipListener l : listeners) {
            try {
                l.leadershipChanged(status);
            } catch (RuntimeException e) {
                LOG.warn("cluster {}: leadership listener failed on {}", config.serverId(), status, e);
            }
        }
    }

    /** Ratis' leadership callbacks, moved to the event thread. */
    private final class Events implements ReplicatedStateMachine.LeadershipEvents {
        @Override
        public void leaderReady(ReplicatedStateMachine m) {
            onEventThread(() -> {
                long term = currentTerm(m);
                LOG.info("cluster {}: leads {} at term {}", config.serverId(), m.groupName(), term);
                m.deliverLeadership(true, term);
                announce(m);
            });
        }

        @Override
        public void notLeader(ReplicatedStateMachine m) {
            onEventThread(() -> {
                m.deliverLeadership(false, currentTerm(m));
                announce(m);
            });
        }

        @Override
        public void leaderChanged(ReplicatedStateMachine m, RaftPeerId newLeader) {
            onEventThread(() -> {
                if (!self.equals(newLeader)) {
                    m.deliverLeadership(false, currentTerm(m));
                }
                announce(m);
            });
        }
    }
}
