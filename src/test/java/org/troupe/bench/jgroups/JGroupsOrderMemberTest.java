package org.troupe.bench.jgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs JGroupsOrderMember children as real JVMs the way the total-order bench coordinator does, and
 * checks what they report: one delivery order everywhere, every message once, sane time stamps.
 */
@Tag("process")
class JGroupsOrderMemberTest {
    /** What a member wrote: the bench's own file format. */
    private static final class MemberFile {
        static org.troupe.bench.OrderRecorder.Record read(Path file) throws IOException {
            return org.troupe.bench.OrderRecorder.Record.read(file);
        }
    }


    @Test
    void threeMembersDeliverEveryMessageOnceInOneOrder(@TempDir Path dir) throws Exception {
        Result r = runMembers(dir, 3, 3, 2000, 100, 120);
        assertEquals(3, r.files.size());
    }

    record Result(List<org.troupe.bench.OrderRecorder.Record> files) {
    }

    private static final class Member {
        final Process process;
        final Writer stdin;
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Path err;

        Member(Process process, Path err) {
            this.process = process;
            this.err = err;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // gone
                }
            });
            t.setDaemon(true);
            t.start();
        }

        void send(String line) throws IOException {
            stdin.write(line + "\n");
            stdin.flush();
        }

        /** The next stdout line must be {@code expected}: stdout carries protocol lines only. */
        void expect(String expected, long deadlineNanos) throws Exception {
            String line = lines.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!expected.equals(line)) {
                fail("expected '" + expected + "', got " + (line == null ? "nothing" : "'" + line + "'")
                        + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")") + "; stderr tail:\n"
                        + tail(err));
            }
        }
    }

    private static String tail(Path file) {
        try {
            List<String> all = Files.readAllLines(file);
            return all.subList(Math.max(0, all.size() - 30), all.size()).stream().collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    private static Result runMembers(Path dir, int n, int senders, int perSender, int size, int timeoutSeconds)
            throws Exception {
        JGroupsPorts ports = JGroupsPorts.pick(n);
        String portList = ports.portList();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Member> members = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Path err = dir.resolve("member-" + i + ".err");
                List<String> cmd = List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                        JGroupsOrderMember.class.getName(),
                        "--index", Integer.toString(i), "--members", Integer.toString(n),
                        "--senders", Integer.toString(senders), "--size", Integer.toString(size),
                        "--per-sender", Integer.toString(perSender),
                        "--out", dir.resolve("member-" + i + ".bin").toString(),
                        "--ports", portList, "--fd-offset", Integer.toString(ports.fdOffset()), "--cluster", "troupe-test-" + ProcessHandle.current().pid());
                Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
                members.add(new Member(p, err));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            long t0 = System.nanoTime();
            for (Member m : members) {
                m.expect("READY", deadline);
            }
            long ready = System.nanoTime();
            for (Member m : members) {
                m.send("GO");
            }
            for (Member m : members) {
                m.expect("DONE", deadline);
            }
            long done = System.nanoTime();
            for (Member m : members) {
                m.send("EXIT");
            }
            for (Member m : members) {
                assertTrue(m.process.waitFor(30, TimeUnit.SECONDS), "member did not exit after EXIT");
                assertEquals(0, m.process.exitValue(), "exit code; stderr tail:\n" + tail(m.err));
                assertTrue(m.lines.isEmpty(), "stray stdout lines: " + m.lines);
            }

            List<org.troupe.bench.OrderRecorder.Record> files = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                files.add(read(dir.resolve("member-" + i + ".bin")));
            }
            int total = senders * perSender;
            double slowest = Double.MAX_VALUE;
            for (org.troupe.bench.OrderRecorder.Record f : files) {
                assertEquals(files.get(0).orderHash(), f.orderHash(), "order hash");
                assertEquals(total, f.count());
                assertEquals(0, f.duplicates());
                long firstSend = Long.MAX_VALUE;
                long lastDelivery = Long.MIN_VALUE;
                for (int g = 0; g < total; g++) {
                    long s = f.sendMicros()[g];
                    long d = f.deliveryMicros()[g];
                    assertTrue(s > 0, "send time of " + g);
                    assertTrue(d >= s, "delivery before send for " + g + ": " + s + " > " + d);
                    firstSend = Math.min(firstSend, s);
                    lastDelivery = Math.max(lastDelivery, d);
                }
                slowest = Math.min(slowest, total * 1e6 / Math.max(1, lastDelivery - firstSend));
            }
            System.err.printf("jgroups %d members, %d senders x %d msgs x %d B: ready after %d ms, GO..DONE %d ms, "
                    + "slowest member %.0f msgs/s%n", n, senders, perSender, size,
                    TimeUnit.NANOSECONDS.toMillis(ready - t0), TimeUnit.NANOSECONDS.toMillis(done - ready), slowest);
            return new Result(files);
        } finally {
            for (Member m : members) {
                m.process.destroyForcibly();
            }
            for (Member m : members) {
                m.process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static org.troupe.bench.OrderRecorder.Record read(Path file) throws IOException {
        return MemberFile.read(file);
    }
}
