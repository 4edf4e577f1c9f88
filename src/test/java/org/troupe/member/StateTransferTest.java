package org.troupe.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.troupe.member.TestGroupsServer.utf8;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.Received;
import org.troupe.member.model.StateTransfer;
import org.troupe.member.model.ViewChange;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.RoleDef;

/**
 * Group state transfer against a real server, each member with its own ORB: a joiner that asks
 * for the state while another member sends gets the state plus exactly the messages after it (its
 * list ends equal to the provider's); candidates without a provider or too slow are skipped; the
 * first member is told there is none; reserved types cannot be sent by applications.
 */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StateTransferTest {
    private static final ApplicationProtocol LOG_PROTOCOL = ApplicationProtocol.of("log",
            List.of(new RoleDef("Keeper", 0, RoleDef.UNBOUNDED), new RoleDef("Node", 0, RoleDef.UNBOUNDED)),
            List.of("Add"));
    private static TestGroupsServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestGroupsServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A list that tells waiters when it grows. */
    static final class Log {
        private final List<String> entries = new ArrayList<>();

        synchronized void add(String e) {
            entries.add(e);
            notifyAll();
        }

        synchronized int size() {
            return entries.size();
        }

        synchronized List<String> copy() {
            return new ArrayList<>(entries);
        }

        /** Waits until it has at least {@code n} entries; fails after {@code timeout}. */
        synchronized void awaitSize(int n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (entries.size() < n) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "only " + entries.size() + " of " + n + " entries within " + timeout);
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /** A replicated log kept by a listener; its state is the log, one entry per line. */
    static final class LogKeeper implements GroupListener {
        final Log log = new Log();

        @Override
        public void onMessage(Received m) {
            log.add(m.text());
        }

        byte[] state() {
            return String.join("\n", log.copy()).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static List<String> lines(byte[] state) {
        String s = new String(state, StandardCharsets.UTF_8);
        return s.isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(s.split("\n")));
    }

    @Test
    void aJoinerDuringTrafficGetsTheStateThenExactlyTheMessagesAfterIt() throws Exception {
        server.connect().createGroup("log1", LOG_PROTOCOL);
        LogKeeper keeper = new LogKeeper();
        Group k = server.connect().join("log1", "Keeper", "kay",
                JoinOptions.defaults().listener(keeper).stateProvider(keeper::state));
        int total = 400;
        Thread sender = new Thread(() -> {
            try {
                for (int i = 0; i < total; i++) {
                    k.send("Add", utf8("e" + i));
                    if (i % 20 == 0) {
                        Thread.sleep(5); // pacing, not waiting: the stream must still run when joe joins
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sender.start();
        keeper.log.awaitSize(total / 4, Duration.ofSeconds(20));
        Group j = server.connect().join("log1", "Node", "joe", JoinOptions.defaults().requestState("Keeper"));
        Delivery first = j.receive(Duration.ofSeconds(10));
        assertInstanceOf(ViewChange.class, first, "the join's view first");
        StateTransfer st = assertInstanceOf(StateTransfer.class, j.receive(Duration.ofSeconds(10)), "then the state");
        assertTrue(st.available(), st.note());
        assertEquals("kay", st.from().name());
        List<String> mine = lines(st.state());
        assertTrue(mine.size() >= total / 4, "the state holds what kay had before joe's request: " + mine.size());
        sender.join(30_000);
        assertTrue(k.flush(Duration.ofSeconds(10)));
        while (mine.size() < total) {
            Delivery d = j.receive(Duration.ofSeconds(10));
            assertNotNull(d, "joe timed out with " + mine.size() + " of " + total + " entries");
            if (d instanceof Received r) {
                mine.add(r.text());
            }
        }
        assertNull(j.receive(Duration.ofMillis(300)), "nothing more: no message twice");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            expected.add("e" + i);
        }
        assertEquals(expected, mine, "state + later messages = the whole log, once each, in order");
        keeper.log.awaitSize(total, Duration.ofSeconds(10));
        assertEquals(expected, keeper.log.copy());
        System.err.printf("state transfer: joe got %d entries as state (request at seq %d), %d as messages%n",
                lines(st.state()).size(), st.sequenceId(), total - lines(st.state()).size());
    }

    @Test
    void aSilentMemberAndOneWithoutProviderAreSkippedAndAPullProviderAnswers() throws Exception {
        server.connect().createGroup("log2", LOG_PROTOCOL);
        Group silent = server.connect().join("log2", "Node", "sid"); // takes no deliveries: never answers
        Group none = server.connect().join("log2", "Node", "nat", JoinOptions.defaults().listener(m -> { }));
        Log pulled = new Log();
        Group pam = server.connect().join("log2", "Node", "pam", JoinOptions.defaults().stateProvider(
                () -> String.join("\n", pulled.copy()).getBytes(StandardCharsets.UTF_8)));
        Thread puller = new Thread(() -> {
            try {
                while (!pam.isClosed()) {
                    Delivery d = pam.receive(Duration.ofMillis(200)); // the capture runs inside receive
                    if (d instanceof Received r) {
                        pulled.add(r.text());
                    }
                }
            } catch (GroupClosedException e) {
                // left
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        puller.start();
        for (int i = 0; i < 5; i++) {
            pam.send("Add", utf8("p" + i));
        }
        pulled.awaitSize(5, Duration.ofSeconds(10));
        Group zed = server.connect().join("log2", "Node", "zed",
                JoinOptions.defaults().requestState().stateTimeout(Duration.ofSeconds(1)));
        StateTransfer st = null;
        for (int i = 0; i < 3 && st == null; i++) {
            Delivery d = zed.receive(Duration.ofSeconds(10));
            if (d instanceof StateTransfer s) {
                st = s;
            }
        }
        assertNotNull(st, "a state transfer within three deliveries");
        assertTrue(st.available(), st.note());
        assertEquals("pam", st.from().name());
        assertEquals(List.of("p0", "p1", "p2", "p3", "p4"), lines(st.state()));
        assertTrue(st.note().contains("sid did not answer within 1000 ms"), st.note());
        assertTrue(st.note().contains("nat: no state provider"), st.note());
        pam.send("Add", utf8("p5"));
        Received after = assertInstanceOf(Received.class, zed.receive(Duration.ofSeconds(10)));
        assertEquals("p5", after.text(), "then what comes after the state");
        pam.leave();
        puller.join(5000);
        silent.leave();
        none.leave();
    }

    @Test
    void theFirstMemberIsToldThereIsNoState() throws Exception {
        server.connect().createGroup("log3", LOG_PROTOCOL);
        Group g = server.connect().join("log3", "Keeper", "first", JoinOptions.defaults().requestState());
        assertInstanceOf(ViewChange.class, g.receive(Duration.ofSeconds(10)));
        StateTransfer st = assertInstanceOf(StateTransfer.class, g.receive(Duration.ofSeconds(10)));
        assertFalse(st.available());
        assertEquals("no state: no other member", st.note());
        TroupeException e = assertThrows(TroupeException.class, () -> g.send("troupe:state", new byte[1]));
        assertEquals("message type 'troupe:state' is reserved for Troupe's own messages", e.getMessage());
    }
}
