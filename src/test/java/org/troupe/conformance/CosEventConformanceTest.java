package org.troupe.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.bench.ChildProcess;
import org.troupe.cli.TroupeCli;
import org.troupe.conformance.client.CosEventConformanceClient;

/**
 * OMG CosEvent conformance and bad-input checks, run against a real Troupe server process by a
 * client in a JVM of its own that knows nothing but the standard OMG stubs
 * ({@link CosEventConformanceClient}). Each check the client reports becomes one dynamic test.
 */
@Tag("process")
class CosEventConformanceTest {
    private static final Logger LOG = LoggerFactory.getLogger(CosEventConformanceTest.class);

    private static final long SERVER_START_MS = 30_000;
    private static final long CLIENT_RUN_MS = 120_000;
    private static final long STOP_MS = 10_000;

    /** What one run of server + client produced. */
    private record Outcome(Map<String, String> results, boolean done, String clientEnd, boolean serverAliveAfter,
            String serverProblem) {
    }

    @TestFactory
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    Stream<DynamicTest> cosEventConformance() throws Exception {
        long t0 = System.nanoTime();
        Outcome o = runServerAndClient();
        LOG.info("conformance run: {} results in {} ms", o.results().size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));

        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("server_started", () -> {
            if (o.serverProblem() != null) {
                fail(o.serverProblem());
            }
        }));
        for (String name : CosEventConformanceClient.CHECKS) {
            tests.add(DynamicTest.dynamicTest(name, () -> {
                if (!o.results().containsKey(name)) {
                    fail("no result from the client for this check (" + o.clientEnd() + ")");
                }
                String failure = o.results().get(name);
                if (failure != null) {
                    fail(failure);
                }
            }));
        }
        for (Map.Entry<String, String> e : o.results().entrySet()) {
            if (!CosEventConformanceClient.CHECKS.contains(e.getKey())) {
                // client-level failures (bad arguments, could not start)
                tests.add(DynamicTest.dynamicTest(e.getKey(), () -> fail(String.valueOf(e.getValue()))));
            }
        }
        tests.add(DynamicTest.dynamicTest("client_finished", () ->
                assertTrue(o.done(), "the client did not print DONE: " + o.clientEnd())));
        tests.add(DynamicTest.dynamicTest("server_alive_after_all_checks", () ->
                assertTrue(o.serverAliveAfter(), "the server process died during the checks")));
        return tests.stream();
    }

    private static Outcome runServerAndClient() throws Exception {
        ChildProcess server = null;
        int port = -1;
        String serverProblem = null;
        try {
            for (int attempt = 1; attempt <= 3 && server == null; attempt++) {
                port = freePort();
                ChildProcess s = ChildProcess.start("troupe-server", List.of("-Xmx512m"), TroupeCli.class,
                        serverArgs(port));
                try {
                    s.await("troupe server ready", SERVER_START_MS);
                    server = s;
                } catch (TimeoutException e) {
                    serverProblem = "server on port " + port + " did not start: " + e.getMessage();
                    LOG.warn("attempt {}: {}", attempt, serverProblem);
                    s.close();
                }
            }
            if (server == null) {
                return new Outcome(Map.of(), false, "no server", false, serverProblem);
            }
            Outcome o = runClient(port);
            boolean alive = server.isAlive();
            return new Outcome(o.results(), o.done(), o.clientEnd(), alive, null);
        } finally {
            if (server != null) {
                stopServer(server);
            }
        }
    }

    private static Outcome runClient(int port) throws Exception {
        Map<String, String> results = new LinkedHashMap<>();
        boolean done = false;
        String end;
        try (ChildProcess client = ChildProcess.start("conformance-client", List.of("-Xmx256m"),
                CosEventConformanceClient.class, clientArgs(port))) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLIENT_RUN_MS);
            try {
                while (!done) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    String line = client.await("", Math.max(1, left));
                    done = parse(line, results);
                }
                end = client.finish(STOP_MS) ? "client ended normally" : "client did not exit after DONE";
            } catch (TimeoutException e) {
                end = "client output ended after " + results.size() + " results: " + e.getMessage();
            }
        }
        return new Outcome(results, done, end, false, null);
    }

    /** Records a PASS/FAIL line; returns true on DONE. */
    private static boolean parse(String line, Map<String, String> results) {
        if (line.equals("DONE")) {
            return true;
        }
        if (line.startsWith("PASS ")) {
            results.put(line.substring(5).trim(), null);
            LOG.info("{}", line);
        } else if (line.startsWith("FAIL ")) {
            String rest = line.substring(5).trim();
            int sp = rest.indexOf(' ');
            String name = sp < 0 ? rest : rest.substring(0, sp);
            String reason = sp < 0 ? "(no reason given)" : rest.substring(sp + 1);
            results.put(name, reason);
            LOG.warn("{}", line);
        } else {
            LOG.info("client: {}", line);
        }
        return false;
    }

    private static List<String> serverArgs(int port) {
        List<String> args = new ArrayList<>(List.of("server", "--host", "127.0.0.1", "--port", Integer.toString(port), "--exit-with-parent"));
        for (String name : CosEventConformanceClient.CHECKS) {
            args.add("--channel");
            args.add(name);
        }
        return args;
    }

    private static List<String> clientArgs(int port) {
        List<String> args = new ArrayList<>();
        for (String name : CosEventConformanceClient.CHECKS) {
            args.add(name + "=corbaloc:iiop:127.0.0.1:" + port + "/Troupe/channels/" + name);
            if (CosEventConformanceClient.NAMING_CHECKS.contains(name)) {
                args.add("naming." + name + "=corbaname::127.0.0.1:" + port + "#troupe/channels/" + name);
            }
        }
        return args;
    }

    private static void stopServer(ChildProcess server) {
        try {
            if (server.isAlive()) {
                server.signal("TERM");
                if (!server.finish(STOP_MS)) {
                    LOG.warn("server did not stop within {} ms of SIGTERM; killing it", STOP_MS);
                }
            }
        } catch (IOException e) {
            LOG.warn("could not signal the server: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
