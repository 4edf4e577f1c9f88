package org.troupe.server.cluster;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.AtomicFileOutputStream;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of one Raft group: it holds the group's named {@link ReplicatedState}s
 * and applies each committed entry (a batch of commands) to them in log order, returning one
 * outcome per command. It writes snapshots of all its states to {@link SimpleStateMachineStorage}
 * (one file per snapshot, with its MD5), loads the latest one at start before Ratis replays the
 * log after it, and reloads after a snapshot was installed from the leader.
 *
 * <p>Apply, snapshot and leadership calls hold one lock, so the states see one call at a time.
 */
final class ReplicatedStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedStateMachine.class);
    private static final int SNAPSHOT_MAGIC = 0x54525331; // "TRS1"

    /** What a Raft group tells its node about leadership; called on Ratis threads. */
    interface LeadershipEvents {
        void leaderReady(ReplicatedStateMachine machine);

        void notLeader(ReplicatedStateMachine machine);

        void leaderChanged(ReplicatedStateMachine machine, RaftPeerId newLeader);
    }

    private final String groupName;
    private final Function<String, ReplicatedState> creator;
    private final LeadershipEvents events;
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final Object lock = new Object();
    /** Sorted, so that a snapshot is the same bytes on every server. */
    private final Map<String, ReplicatedState> states = new TreeMap<>();
    private long commandIndex;
    private boolean leader;
    private long leaderTerm;

    ReplicatedStateMachine(String groupName, Function<String, ReplicatedState> creator, LeadershipEvents events) {
        this.groupName = groupName;
        this.creator = creator;
        this.events = events;
    }

    String groupName() {
        return groupName;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        load(storage.getLatestSnapshot());
    }

    @Override
    public void reinitialize() throws IOException {
        // A snapshot was installed from the leader (this server was too far behind).
        load(storage.loadLatestSnapshot());
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    /**
     * The only read-only request: how far this copy applied (see ClusterNode#awaitCaughtUp). The
     * leader answers it once it applied what it had committed when the request came.
     */
    @Override
    public CompletableFuture<Message> query(Message request) {
        byte[] index = java.nio.ByteBuffer.allocate(Long.BYTES).putLong(getLastAppliedTermIndex().getIndex()).array();
        return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(index)));
    }

    /** The log index a {@link #query} answered. */
    static long appliedIndexOf(Message reply) {
        return reply.getContent().asReadOnlyByteBuffer().getLong();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
        byte[] reply;
        synchronized (lock) {
            reply = BatchCodec.encodeReply(applyBatch(entry.getIndex(), entry.getTerm(), data));
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        }
        return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(reply)));
    }

    private List<BatchCodec.Outcome> applyBatch(long logIndex, long term, byte[] data) {
        List<BatchCodec.Command> commands;
        try {
            commands = BatchCodec.decodeEntry(data);
        } catch (IOException e) {
            // The same bytes are in every server's log, so every server refuses them alike.
            LOG.error("{}: log entry {} is not a command batch ({}); skipped", groupName, logIndex, e.getMessage());
            return List.of();
        }
        List<BatchCodec.Outcome> outcomes = new ArrayList<>(commands.size());
        for (BatchCodec.Command c : commands) {
            long index = ++commandIndex;
            try {
                ReplicatedState state = stateFor(c.stateName());
                outcomes.add(BatchCodec.Outcome.ok(state.apply(index, term, c.payload())));
            } catch (RuntimeException e) {
                LOG.warn("{}: state {} refused command {} (log entry {}): {}", groupName, c.stateName(), index,
                        logIndex, e.toString());
                outcomes.add(BatchCodec.Outcome.failed(c.stateName() + ": " + e));
            }
        }
        return outcomes;
    }

    private ReplicatedState stateFor(String name) {
        ReplicatedState state = states.get(name);
        if (state == null) {
            state = creator.apply(name);
            if (state == null) {
                throw new IllegalStateException("no state can be made for the name " + name);
            }
            states.put(name, state);
            if (leader) {
                tellLeadership(name, state, true, leaderTerm);
            }
        }
        return state;
    }

    @Override
    public long takeSnapshot() throws IOException {
        synchronized (lock) {
            TermIndex last = getLastAppliedTermIndex();
            if (last == null || last.getIndex() < 0) {
                return RaftLog.INVALID_LOG_INDEX;
            }
            File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new AtomicFileOutputStream(file)))) {
                out.writeInt(SNAPSHOT_MAGIC);
                out.writeLong(commandIndex);
                out.writeInt(states.size());
                for (Map.Entry<String, ReplicatedState> e : states.entrySet()) {
                    ByteArrayOutputStream one = new ByteArrayOutputStream();
                    e.getValue().writeSnapshot(new NonClosing(one));
                    out.writeUTF(e.getKey());
                    out.writeInt(one.size());
                    one.writeTo(out);
                }
            }
            MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
            storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
            LOG.debug("{}: snapshot at {} with {} states", groupName, last, states.size());
            return last.getIndex();
        }
    }

    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        synchronized (lock) {
            states.clear();
            commandIndex = 0;
            if (snapshot == null) {
                return;
            }
            File file = snapshot.getFile().getPath().toFile();
            if (!file.exists()) {
                throw new IOException(groupName + ": snapshot file " + file + " is missing");
            }
            MD5Hash stored = MD5FileUtil.readStoredMd5ForFile(file);
            if (stored != null && !stored.equals(MD5FileUtil.computeMd5ForFile(file))) {
                throw new IOException(groupName + ": snapshot file " + file + " does not match its MD5");
            }
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file.toPath())))) {
                if (in.readInt() != SNAPSHOT_MAGIC) {
                    throw new IOException(groupName + ": " + file + " is not a Troupe cluster snapshot");
                }
                commandIndex = in.readLong();
                int count = in.readInt();
                for (int i = 0; i < count; i++) {
                    String name = in.readUTF();
                    byte[] bytes = new byte[in.readInt()];
                    in.readFully(bytes);
                    ReplicatedState state = creator.apply(name);
                    state.readSnapshot(new ByteArrayInputStream(bytes));
                    states.put(name, state);
                }
            }
            setLastAppliedTermIndex(snapshot.getTermIndex());
            LOG.info("{}: loaded snapshot {} ({} states, {} commands)", groupName, snapshot.getTermIndex(),
                    states.size(), commandIndex);
        }
    }

    /** Tells every state of this group a leadership change, if it is one. */
    void deliverLeadership(boolean nowLeader, long term) {
        synchronized (lock) {
            if (nowLeader == leader && (!nowLeader || term == leaderTerm)) {
                return;
            }
            leader = nowLeader;
            leaderTerm = term;
            for (Map.Entry<String, ReplicatedState> e : states.entrySet()) {
                tellLeadership(e.getKey(), e.getValue(), nowLeader, term);
            }
        }
    }

    private void tellLeadership(String name, ReplicatedState state, boolean nowLeader, long term) {
        try {
            state.leadershipChanged(nowLeader, term);
        } catch (RuntimeException e) {
            LOG.warn("{}: state {} failed on leadership {} at term {}", groupName, name, nowLeader, term, e);
        }
    }

    /** The names of the states this group holds now. */
    List<String> stateNames() {
        synchronized (lock) {
            return List.copyOf(states.keySet());
        }
    }

    /** The commands applied so far in this group. */
    long commandIndex() {
        synchronized (lock) {
            return commandIndex;
        }
    }

    @Override
    public void notifyLeaderReady() {
        events.leaderReady(this);
    }

    @Override
    public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
        events.notLeader(this);
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        events.leaderChanged(this, newLeaderId);
    }

    /** Lets a state write into the snapshot stream without closing it. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
