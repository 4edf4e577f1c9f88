package org.troupe.server.cluster;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test state: an append-only list of the commands applied, each with its index; apply returns
 * the index (8 bytes). A command "fail..." throws, to test per-command errors. Thread-safe for
 * readers in tests (the cluster calls it one call at a time).
 */
final class AppendOnlyList implements ReplicatedState {
    private final String name;
    private final List<String> commands = new ArrayList<>();
    private final List<Long> indexes = new ArrayList<>();
    private volatile boolean leader;
    private volatile long leaderTerm;

    AppendOnlyList(String name) {
        this.name = name;
    }

    /** A factory making one list per name, and remembering them. */
    static final class Factory implements ReplicatedState.Factory {
        final java.util.Map<String, AppendOnlyList> made = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public ReplicatedState createDirectory() {
            return create(ClusterLayout.DIRECTORY);
        }

        @Override
        public ReplicatedState create(String stateName) {
            if (stateName.startsWith("bad")) {
                throw new IllegalArgumentException("no state may be called " + stateName);
            }
            AppendOnlyList l = new AppendOnlyList(stateName);
            made.put(stateName, l);
            return l;
        }

        AppendOnlyList get(String name) {
            return made.get(name);
        }
    }

    @Override
    public synchronized byte[] apply(long index, byte[] command) {
        String c = new String(command, StandardCharsets.UTF_8);
        if (c.startsWith("fail")) {
            throw new IllegalArgumentException("refused " + c);
        }
        commands.add(c);
        indexes.add(index);
        return ByteBuffer.allocate(8).putLong(index).array();
    }

    @Override
    public synchronized void writeSnapshot(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            d.writeLong(indexes.get(i));
            d.writeUTF(commands.get(i));
        }
        d.flush();
    }

    @Override
    public synchronized void readSnapshot(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int n = d.readInt();
        commands.clear();
        indexes.clear();
        for (int i = 0; i < n; i++) {
            indexes.add(d.readLong());
            commands.add(d.readUTF());
        }
    }

    @Override
    public void leadershipChanged(boolean leader, long term) {
        this.leader = leader;
        this.leaderTerm = term;
    }

    synchronized List<String> commands() {
        return List.copyOf(commands);
    }

    synchronized List<Long> indexes() {
        return List.copyOf(indexes);
    }

    synchronized int size() {
        return commands.size();
    }

    boolean leader() {
        return leader;
    }

    long leaderTerm() {
        return leaderTerm;
    }

    String name() {
        return name;
    }

    static long index(byte[] result) {
        return ByteBuffer.wrap(result).getLong();
    }
}
