package org.troupe.member.process;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.troupe.member.GroupSpec;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;
import org.troupe.server.JavaProcess;
import org.troupe.server.TroupeProcesses;

/**
 * Test helper: a Troupe server in its own JVM and group members ({@link ProcessMember}) each in
 * its own JVM with its own ORB, all on 127.0.0.1 with ports chosen at run time. {@link #close}
 * kills every process it started.
 */
final class ProcessCluster implements AutoCloseable {
    /** Small, quick-starting member JVMs (2 cores, several at once). */
    static final List<String> MEMBER_JVM_ARGS = List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Dtroupe.log=WARN");
    /** How long a member may take to start its JVM and join. */
    static final long START_TIMEOUT_MS = TroupeProcesses.START_TIMEOUT_MS;

    private final String label;
    private final JavaProcess server;
    private final String url;
    private final Map<String, Member> members = new LinkedHashMap<>();

    private ProcessCluster(String label, JavaProcess server, String url) {
        this.label = label;
        this.server = server;
        this.url = url;
    }

    /** Starts {@code troupe server --exit-with-parent --port P --no-naming extra...} and waits until it is ready. */
    static ProcessCluster start(String label, String... serverArgs)
            throws IOException, TimeoutException, InterruptedException {
        int port = JavaProcess.freePort();
        List<String> extra = new ArrayList<>(List.of("--host", "127.0.0.1", "--no-naming"));
        extra.addAll(List.of(serverArgs));
        JavaProcess server = TroupeProcesses.startServer(label + "-server", port, extra);
        return new ProcessCluster(label, server, "127.0.0.1:" + port);
    }

    String url() {
        return url;
    }

    JavaProcess server() {
        return server;
    }

    /** Creates a group of Students (and an optional Teacher) exchanging Question and Answer messages. */
    void createGroup(String group) throws TroupeException {
        try (Troupe admin = Troupe.connect(url)) {
            admin.createGroup(group, GroupSpec.parse("process-test", "Teacher:0:1,Student:1:n", "Question,Answer"));
        }
    }

    /** Starts a member JVM (it joins at once, or at {@code JOIN} with {@code --join-on-stdin}); does not wait. */
    Member member(String group, String name, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of(url, group, "Student", name));
        args.addAll(List.of(options));
        Member m = new Member(name, JavaProcess.start(label + "-" + name, MEMBER_JVM_ARGS, ProcessMember.class, args));
        members.put(name, m);
        return m;
    }

    /** Every process's output, for failure messages. */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (Member m : members.values()) {
            b.append(tail(m.process().describe(), 6000)).append('\n');
        }
        b.append(tail(server.describe(), 4000));
        return b.toString();
    }

    private static String tail(String s, int max) {
        return s.length() <= max ? s : "[...]" + s.substring(s.length() - max);
    }

    @Override
    public void close() {
        for (Member m : members.values()) {
            m.process().close();
        }
        server.close();
    }
}
