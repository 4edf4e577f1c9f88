package org.troupe.hosted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.omg.CORBA.LocalObject;
import org.troupe.idl.Groups.Address;
import org.troupe.idl.Groups.AddressKind;
import org.troupe.idl.Groups.MemberInfo;
import org.troupe.idl.Groups.MessageRef;
import org.troupe.idl.Hosted.Delivery;
import org.troupe.idl.Hosted.MemberCallback;
import org.troupe.idl.Hosted.Received;

/**
 * The push lease with a fake cluster: a server calls a push member's callback only while its
 * claim's lease holds, renews it as it goes (recording the acknowledged position), stops for good
 * once another server claimed the member, and waits, keeping its batch, while the cluster does
 * not answer.
 */
@Tag("unit")
class PushLeaseTest {
    private static final Runnable DIRECT_NOTHING = () -> { };

    /** Renewals answered from a script; each one's claim and position kept. */
    private static final class FakeCluster implements PushLease.Renewer {
        final List<String> calls = new ArrayList<>();
        volatile PushLease.Renewal answer = PushLease.Renewal.ACCEPTED;
        volatile boolean fail;

        @Override
        public synchronized PushLease.Renewal renew(String pusher, long position) throws Exception {
            calls.add(pusher + "@" + position);
            if (fail) {
                throw new java.util.concurrent.TimeoutException("no answer");
            }
            return answer;
        }
    }

    private static PushLease lease(FakeCluster cluster, long claimedAgoMillis) {
        return new PushLease("test", "s1/aa", 1000, System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(claimedAgoMillis),
                4, cluster, Runnable::run);
    }

    @Test
    void aFreshLeaseAllowsCallsWithoutAskingTheCluster() {
        FakeCluster cluster = new FakeCluster();
        PushLease lease = lease(cluster, 0);
        assertTrue(lease.mayPush());
        assertEquals(List.of(), cluster.calls);
        assertEquals(4, lease.recorded(), "the claim's position is recorded already");
    }

    @Test
    void anAcknowledgedPositionIsRecordedThroughARenewalOfTheClaim() {
        FakeCluster cluster = new FakeCluster();
        PushLease lease = lease(cluster, 0);
        lease.acked(9);
        lease.acked(7); // lower: nothing to record
        assertEquals(List.of("s1/aa@9"), cluster.calls);
        assertEquals(9, lease.recorded());
    }

    @Test
    void aLeaseAThirdGoneIsRenewedInTheBackgroundAndCallsGoOn() {
        FakeCluster cluster = new FakeCluster();
        PushLease lease = lease(cluster, 500);
        assertTrue(lease.mayPush());
        assertEquals(List.of("s1/aa@4"), cluster.calls, "renewed with the position");
    }

    @Test
    void anIdleLeaseIsRenewedByTheTickOnceAThirdHasPassed() {
        FakeCluster cluster = new FakeCluster();
        PushLease fresh = lease(cluster, 0);
        fresh.tick();
        assertEquals(List.of(), cluster.calls, "nothing due yet");
        PushLease idle = lease(cluster, 400);
        idle.tick();
        assertEquals(List.of("s1/aa@4"), cluster.calls);
    }

    @Test
    void aServerPausedLongerThanItsLeaseAsksBeforeCallingAndStopsWhenAnotherClaimedTheMember() {
        FakeCluster cluster = new FakeCluster();
        cluster.answer = PushLease.Renewal.TAKEN;
        PushLease lease = lease(cluster, 10_000); // as after a SIGSTOP of 10 s
        assertFalse(lease.mayPush(), "no call once another server claimed the member");
        assertTrue(lease.taken());
        assertFalse(lease.mayPush());
        lease.acked(20);
        assertEquals(List.of("s1/aa@4"), cluster.calls, "asked once; nothing more after");
    }

    @Test
    void anExpiredLeaseThatCannotBeRenewedHoldsCallsUntilItIs() {
        FakeCluster cluster = new FakeCluster();
        cluster.fail = true;
        PushLease lease = lease(cluster, 2000);
        assertFalse(lease.mayPush(), "the cluster does not answer: no call");
        assertFalse(lease.taken(), "but the member is not lost");
        cluster.fail = false;
        assertTrue(lease.mayPush(), "renewed: calls go on");
    }

    @Test
    void aMemberThatIsOutIsNoLongerFenced() {
        FakeCluster cluster = new FakeCluster();
        cluster.answer = PushLease.Renewal.OUT;
        PushLease lease = lease(cluster, 2000);
        assertTrue(lease.mayPush(), "its CLOSED delivery still goes to its callback");
        assertFalse(lease.taken());
    }

    @Test
    void theTakeOverWaitsLongerThanTheLease() {
        for (long suspect : new long[] {300, 2500, 10_000}) {
            assertTrue(PushLease.takeOverAfterMillis(suspect) > PushLease.leaseMillis(suspect));
            assertTrue(PushLease.takeOverAfterMillis(suspect) < suspect, "well within the suspect time");
        }
    }

    /** A callback in this JVM, no ORB: counts its calls. */
    private static final class CountingCallback extends LocalObject implements MemberCallback {
        private static final long serialVersionUID = 1L;
        final AtomicInteger calls = new AtomicInteger();
        final List<Long> seqs = new ArrayList<>();

        @Override
        public synchronized void deliver(Delivery[] deliveries) {
            calls.incrementAndGet();
            for (Delivery d : deliveries) {
                if (d.discriminator() == org.troupe.idl.Hosted.DeliveryKind.MESSAGE_DELIVERY) {
                    seqs.add(d.message().sequence_id);
                }
            }
        }
    }

    private static Delivery message(long seq) {
        Delivery d = new Delivery();
        d.message(new Received(seq, new MemberInfo(1, "tess", "Teacher"), new MessageRef(1, seq), "Formula",
                new Address(AddressKind.TO_GROUP, "", 0), new byte[0], false, new MessageRef(0, 0)));
        return d;
    }

    @Test
    void aPusherWhoseMemberWasTakenOverNeverCallsAndSaysSo() throws Exception {
        FakeCluster cluster = new FakeCluster();
        cluster.answer = PushLease.Renewal.TAKEN;
        PushLease lease = lease(cluster, 10_000);
        Outbox outbox = new Outbox();
        assertTrue(outbox.put(message(5), 100));
        CountingCallback callback = new CountingCallback();
        CountDownLatch stopped = new CountDownLatch(1);
        List<String> removed = new ArrayList<>();
        Thread t = new Thread(new CallbackPusher("test", callback, outbox, 100, removed::add, DIRECT_NOTHING, lease,
                stopped::countDown));
        t.start();
        assertTrue(stopped.await(10, TimeUnit.SECONDS), "the pusher says it was taken over");
        t.join(10_000);
        assertFalse(t.isAlive());
        assertEquals(0, callback.calls.get(), "never called");
        assertEquals(List.of(), removed, "the member is not removed: it goes on on the other server");
    }

    @Test
    void aPusherWithItsLeaseCallsAndRecordsWhatTheCallbackAcknowledged() throws Exception {
        FakeCluster cluster = new FakeCluster();
        PushLease lease = lease(cluster, 0);
        Outbox outbox = new Outbox();
        assertTrue(outbox.put(message(5), 100));
        assertTrue(outbox.put(message(6), 100));
        CountingCallback callback = new CountingCallback();
        Thread t = new Thread(new CallbackPusher("test", callback, outbox, 100, s -> { }, DIRECT_NOTHING, lease,
                DIRECT_NOTHING));
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lease.recorded() < 6) {
            assertTrue(System.nanoTime() < deadline, "recorded " + lease.recorded());
            Thread.sleep(5);
        }
        synchronized (callback) {
            assertEquals(List.of(5L, 6L), callback.seqs);
        }
        assertTrue(cluster.calls.contains("s1/aa@6"), cluster.calls.toString());
        outbox.finish("done");
        t.join(10_000);
        assertFalse(t.isAlive());
    }
}
