package org.troupe.server.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How one server takes part in a cluster: its id, every peer's address (its own included), where
 * the Raft log and snapshots live, the election time-outs, the number of shards, and the bounds
 * of command batching. Immutable; built with {@link #builder}, which validates everything and
 * says what is wrong in one sentence ({@link IllegalArgumentException}).
 *
 * <p>The cluster name, the peer ids and the number of shards fix where each replicated state
 * lives; they are recorded in the data directory at the first start and must not change after.
 */
public final class ClusterConfig {
    /** The Raft transport between servers. */
    public enum Transport {
        /** Ratis over plain Netty: lower latency and CPU per command at low load here. */
        NETTY,
        /** Ratis over gRPC: pipelines AppendEntries, more throughput under load. */
        GRPC
    }

    /** One server of the cluster. */
    public record Peer(String id, String host, int port) {
        public Peer {
            checkId(id, "peer id");
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("peer " + id + " has an empty host");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("peer " + id + " has port " + port + ", not in 1..65535");
            }
        }

        /** {@code HOST:PORT}, IPv6 hosts in brackets. */
        public String address() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }

        @Override
        public String toString() {
            return id + "=" + address();
        }
    }

    public static final String DEFAULT_CLUSTER_NAME = "troupe";
    public static final int DEFAULT_SHARDS = 6;
    public static final int MAX_SHARDS = 256;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final String serverId;
    private final List<Peer> peers;
    private final Path dataDir;
    private final String clusterName;
    private final int shards;
    private final Transport transport;
    private final Duration electionTimeoutMin;
    private final Duration electionTimeoutMax;
    private final int maxBatchCommands;
    private final int maxBatchBytes;
    private final int maxEntriesInFlight;
    private final int maxQueuedCommands;
    private final Duration submitTimeout;
    private final long snapshotEveryEntries;
    private final int snapshotsRetained;
    private final boolean syncLog;
    private final boolean logCommits;
    private final Duration restoreLeadersAfter;
    private final org.troupe.orb.TlsConfig tls;
    /** Whether the transport was asked for, not the default (with TLS, the default is gRPC). */
    private final boolean transportGiven;

    private ClusterConfig(Builder b) {
        this.serverId = b.serverId;
        this.peers = List.copyOf(b.peers);
        this.dataDir = b.dataDir;
        this.clusterName = b.clusterName;
        this.shards = b.shards;
        this.transport = b.transport;
        this.electionTimeoutMin = b.electionTimeoutMin;
        this.electionTimeoutMax = b.electionTimeoutMax;
        this.maxBatchCommands = b.maxBatchCommands;
        this.maxBatchBytes = b.maxBatchBytes;
        this.maxEntriesInFlight = b.maxEntriesInFlight;
        this.maxQueuedCommands = b.maxQueuedCommands;
        this.submitTimeout = b.submitTimeout;
        this.snapshotEveryEntries = b.snapshotEveryEntries;
        this.snapshotsRetained = b.snapshotsRetained;
        this.syncLog = b.syncLog;
        this.logCommits = b.logCommits;
        this.restoreLeadersAfter = b.restoreLeadersAfter;
        this.tls = b.tls;
        this.transportGiven = b.transportGiven;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to change a few. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.serverId = serverId;
        b.peers = new ArrayList<>(peers);
        b.dataDir = dataDir;
        b.clusterName = clusterName;
        b.shards = shards;
        b.transport = transport;
        b.electionTimeoutMin = electionTimeoutMin;
        b.electionTimeoutMax = electionTimeoutMax;
        b.maxBatchCommands = maxBatchCommands;
        b.maxBatchBytes = maxBatchBytes;
        b.maxEntriesInFlight = maxEntriesInFlight;
        b.maxQueuedCommands = maxQueuedCommands;
        b.submitTimeout = submitTimeout;
        b.snapshotEveryEntries = snapshotEveryEntries;
        b.snapshotsRetained = snapshotsRetained;
        b.syncLog = syncLog;
        b.logCommits = logCommits;
        b.restoreLeadersAfter = restoreLeadersAfter;
        b.tls = tls;
        b.transportGiven = transportGiven;
        return b;
    }

    /**
     * Parses {@code "s1=HOST:PORT,s2=HOST:PORT,s3=HOST:PORT"} (spaces around entries allowed;
     * IPv6 hosts in brackets).
     *
     * @throws IllegalArgumentException the list is empty, an entry is malformed, or an id or an
     *     address appears twice
     */
    public static List<Peer> parsePeers(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the peer list is empty; expected ID=HOST:PORT,ID=HOST:PORT,...");
        }
        List<Peer> peers = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("the peer list '" + text + "' has an empty entry");
            }
            peers.add(parsePeer(entry));
        }
        checkPeers(peers);
        return peers;
    }

    /** Parses one {@code ID=HOST:PORT}. */
    public static Peer parsePeer(String entry) {
        int eq = entry.indexOf('=');
        if (eq <= 0 || eq == entry.length() - 1) {
            throw new IllegalArgumentException("peer '" + entry + "' is not ID=HOST:PORT");
        }
        String id = entry.substring(0, eq).trim();
        String address = entry.substring(eq + 1).trim();
        String host;
        String portText;
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            if (close < 0 || close + 1 >= address.length() || address.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("peer '" + entry + "' has a bracketed host without ]:PORT");
            }
            host = address.substring(1, close);
            portText = address.substring(close + 2);
        } else {
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1 || address.indexOf(':') != colon) {
                throw new IllegalArgumentException("peer '" + entry + "' has no HOST:PORT after '='");
            }
            host = address.substring(0, colon);
            portText = address.substring(colon + 1);
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("peer '" + entry + "' has port '" + portText + "', not a number");
        }
        checkId(id, "peer id in '" + entry + "'");
        return new Peer(id, host, port);
    }

    private static void checkId(String id, String what) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " '" + id
                    + "' must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
    }

    private static void checkPeers(List<Peer> peers) {
        Set<String> ids = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (Peer p : peers) {
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException("peer id " + p.id() + " appears twice in the peer list");
            }
            if (!addresses.add(p.host().toLowerCase(Locale.ROOT) + ":" + p.port())) {
                throw new IllegalArgumentException("address " + p.address() + " appears twice in the peer list");
            }
        }
    }

    public String serverId() {
        return serverId;
    }

    /** Every server of the cluster, this one included, in the order given. */
    public List<Peer> peers() {
        return peers;
    }

    /** This server's own entry of {@link #peers}: the address its Raft server binds. */
    public Peer self() {
        return peers.stream().filter(p -> p.id().equals(serverId)).findFirst().orElseThrow();
    }

    public Path dataDir() {
        return dataDir;
    }

    public String clusterName() {
        return clusterName;
    }

    public int shards() {
        return shards;
    }

    public Transport transport() {
        return transport;
    }

    public Duration electionTimeoutMin() {
        return electionTimeoutMin;
    }

    public Duration electionTimeoutMax() {
        return electionTimeoutMax;
    }

    /** The most commands packed into one Raft entry. */
    public int maxBatchCommands() {
        return maxBatchCommands;
    }

    /** The most command bytes packed into one Raft entry; also the largest single command. */
    public int maxBatchBytes() {
        return maxBatchBytes;
    }

    /** The most entries one server has in flight per Raft group when it leads that group. */
    public int maxEntriesInFlight() {
        return maxEntriesInFlight;
    }

    /** The most commands waiting per Raft group; a submit beyond is refused at once. */
    public int maxQueuedCommands() {
        return maxQueuedCommands;
    }

    /** How long a submitted command may wait to be committed before its future fails. */
    public Duration submitTimeout() {
        return submitTimeout;
    }

    /** A snapshot is taken after this many log entries (and at a clean stop). */
    public long snapshotEveryEntries() {
        return snapshotEveryEntries;
    }

    /** Snapshots kept on disk per Raft group. */
    public int snapshotsRetained() {
        return snapshotsRetained;
    }

    /**
     * Whether a server counts a log entry as stored only once it is on disk (fsync; the default).
     * Without, it counts it once written to the operating system and syncs in the background: a
     * commit then survives the loss of any minority of servers (processes or machines), but not
     * a power cut of a majority at once.
     */
    public boolean syncLog() {
        return syncLog;
    }

    /**
     * Whether Ratis also writes a log entry recording each new commit index (its "log metadata";
     * on by default). That entry is a second replication round right after each commit, which
     * also tells the followers the new commit index at once: they apply a command within a few
     * milliseconds of the leader, so what any server lists or answers is current. Off, an idle
     * group's command needs one synced write per server instead of two (p50 of one command at a
     * time on three servers 4.4-6.2 ms against 7.3-8.7 ms on, ClusterBench latency
     * log-commits=true|false, 5 pairs), but followers learn commits only at the leader's next
     * heartbeat (up to half an election time-out later), so a listing through a follower lags.
     */
    public boolean logCommits() {
        return logCommits;
    }

    /**
     * How long a Raft group's preferred leader (the top priority of its configuration) must have
     * answered this server, which leads the group in its place, before this server hands the
     * group back to it ({@link PreferredLeaderRestorer}); zero: never (the default of a bare
     * configuration; {@code troupe server} sets 30 s).
     */
    public Duration restoreLeadersAfter() {
        return restoreLeadersAfter;
    }

    /**
     * The key and trust stores of Raft over mutual TLS between the servers ({@link RaftTls}), or
     * null: plaintext Raft. With TLS the transport is gRPC.
     */
    public org.troupe.orb.TlsConfig tls() {
        return tls;
    }

    @Override
    public String toString() {
        return "cluster " + clusterName + " server " + serverId + " peers " + peers + " data " + dataDir
                + " shards " + shards + " transport " + transport + " election " + electionTimeoutMin.toMillis()
                + "-" + electionTimeoutMax.toMillis() + " ms" + (syncLog ? "" : " log not synced per entry")
                + (tls == null ? "" : " mutual TLS");
    }

    /** Builds a {@link ClusterConfig}; {@link #build} validates. */
    public static final class Builder {
        private String serverId;
        private List<Peer> peers = new ArrayList<>();
        private Path dataDir;
        private String clusterName = DEFAULT_CLUSTER_NAME;
        private int shards = DEFAULT_SHARDS;
        private Transport transport = Transport.NETTY;
        private Duration electionTimeoutMin = Duration.ofMillis(300);
        private Duration electionTimeoutMax = Duration.ofMillis(600);
        private int maxBatchCommands = 512;
        private int maxBatchBytes = 1 << 20;
        private int maxEntriesInFlight = 4;
        private int maxQueuedCommands = 16_384;
        private Duration submitTimeout = Duration.ofSeconds(15);
        private long snapshotEveryEntries = 20_000;
        private int snapshotsRetained = 2;
        private boolean syncLog = true;
        private boolean logCommits = true;
        private Duration restoreLeadersAfter = Duration.ZERO;
        private org.troupe.orb.TlsConfig tls;
        /** Whether {@link #transport} was called: with TLS, the default transport becomes gRPC. */
        private boolean transportGiven;

        private Builder() {
        }

        public Builder serverId(String id) {
            this.serverId = id;
            return this;
        }

        public Builder peers(List<Peer> peers) {
            this.peers = new ArrayList<>(Objects.requireNonNull(peers, "peers"));
            return this;
        }

        /** The peers as {@code "s1=HOST:PORT,s2=HOST:PORT,..."}. */
        public Builder peers(String peerList) {
            return peers(parsePeers(peerList));
        }

        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder clusterName(String name) {
            this.clusterName = name;
            return this;
        }

        public Builder shards(int shards) {
            this.shards = shards;
            return this;
        }

        public Builder transport(Transport transport) {
            this.transport = transport;
            this.transportGiven = true;
            return this;
        }

        public Builder electionTimeout(Duration min, Duration max) {
            this.electionTimeoutMin = min;
            this.electionTimeoutMax = max;
            return this;
        }

        public Builder maxBatchCommands(int n) {
            this.maxBatchCommands = n;
            return this;
        }

        public Builder maxBatchBytes(int n) {
            this.maxBatchBytes = n;
            return this;
        }

        public Builder maxEntriesInFlight(int n) {
            this.maxEntriesInFlight = n;
            return this;
        }

        public Builder maxQueuedCommands(int n) {
            this.maxQueuedCommands = n;
            return this;
        }

        public Builder submitTimeout(Duration d) {
            this.submitTimeout = d;
            return this;
        }

        public Builder snapshotEveryEntries(long n) {
            this.snapshotEveryEntries = n;
            return this;
        }

        public Builder snapshotsRetained(int n) {
            this.snapshotsRetained = n;
            return this;
        }

        public Builder syncLog(boolean sync) {
            this.syncLog = sync;
            return this;
        }

        public Builder logCommits(boolean log) {
            this.logCommits = log;
            return this;
        }

        /**
         * Raft between the servers over mutual TLS with these stores (null: plaintext). The
         * transport becomes gRPC unless another one was asked for, which {@link #build} refuses.
         */
        public Builder tls(org.troupe.orb.TlsConfig tls) {
            this.tls = tls;
            if (tls != null && !transportGiven) {
                this.transport = Transport.GRPC;
            }
            return this;
        }

        /** See {@link ClusterConfig#restoreLeadersAfter()}; zero: never. */
        public Builder restoreLeadersAfter(Duration d) {
            this.restoreLeadersAfter = d;
            return this;
        }

        /**
         * @throws IllegalArgumentException with one sentence saying which value is wrong and why
         */
        public ClusterConfig build() {
            checkId(serverId, "server id");
            if (peers.isEmpty()) {
                throw new IllegalArgumentException("the peer list is empty; a cluster of one lists this server itself");
            }
            checkPeers(peers);
            if (peers.stream().noneMatch(p -> p.id().equals(serverId))) {
                throw new IllegalArgumentException("server id " + serverId + " is not in the peer list " + peers);
            }
            if (dataDir == null) {
                throw new IllegalArgumentException("no data directory given for the Raft log and snapshots");
            }
            checkId(clusterName, "cluster name");
            if (shards < 1 || shards > MAX_SHARDS) {
                throw new IllegalArgumentException("shards must be in 1.." + MAX_SHARDS + ", got " + shards);
            }
            Objects.requireNonNull(transport, "transport");
            if (tls != null && transport != Transport.GRPC) {
                throw new IllegalArgumentException("Raft over TLS needs the gRPC transport (Ratis over Netty has no TLS"
                        + " for its RPC), but " + transport.name().toLowerCase(Locale.ROOT) + " was asked for");
            }
            if (tls != null && tls.keystore() == null) {
                throw new IllegalArgumentException("Raft over TLS needs a key store (--keystore): each server shows its"
                        + " certificate to the others");
            }
            if (electionTimeoutMin == null || electionTimeoutMax == null || electionTimeoutMin.toMillis() < 50) {
                throw new IllegalArgumentException("the election time-out must be at least 50 ms, got "
                        + (electionTimeoutMin == null ? "none" : electionTimeoutMin.toMillis() + " ms"));
            }
            if (electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
                throw new IllegalArgumentException("the election time-out's maximum (" + electionTimeoutMax.toMillis()
                        + " ms) must exceed its minimum (" + electionTimeoutMin.toMillis() + " ms)");
            }
            if (electionTimeoutMax.toMillis() > 60_000) {
                throw new IllegalArgumentException("the election time-out's maximum must be at most 60 s, got "
                        + electionTimeoutMax.toMillis() + " ms");
            }
            positive(maxBatchCommands, "the batch's command limit");
            if (maxBatchBytes < 1024 || maxBatchBytes > 32 << 20) {
                throw new IllegalArgumentException("the batch's byte limit must be in 1 KiB..32 MiB, got " + maxBatchBytes);
            }
            if (maxEntriesInFlight < 1 || maxEntriesInFlight > 64) {
                throw new IllegalArgumentException("entries in flight must be in 1..64, got " + maxEntriesInFlight);
            }
            positive(maxQueuedCommands, "the submit queue's limit");
            if (submitTimeout == null || submitTimeout.toMillis() < 100) {
                throw new IllegalArgumentException("the submit time-out must be at least 100 ms, got "
                        + (submitTimeout == null ? "none" : submitTimeout.toMillis() + " ms"));
            }
            if (snapshotEveryEntries < 1) {
                throw new IllegalArgumentException("the snapshot interval must be at least one entry, got "
                        + snapshotEveryEntries);
            }
            positive(snapshotsRetained, "the number of snapshots kept");
            if (restoreLeadersAfter == null || restoreLeadersAfter.isNegative()
                    || restoreLeadersAfter.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("the delay before a preferred leader gets its groups back must "
                        + "be in 0 s (never)..1 day, got " + restoreLeadersAfter);
            }
            return new ClusterConfig(this);
        }

        private static void positive(long value, String what) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be at least 1, got " + value);
            }
        }
    }
}
