package org.troupe.bench.jgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.util.MessageBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.bench.OrderRecorder;

/**
 * The JGroups receiver of a bench member: records every delivered bench message in delivery order
 * with the same {@link OrderRecorder} as Troupe's bench member, and tells when the view is
 * complete and when every message arrived.
 */
final class DeliveryRecorder implements Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRecorder.class);

    private final int members;
    private final OrderRecorder recorder;
    private final CountDownLatch viewComplete = new CountDownLatch(1);
    private final CountDownLatch allDelivered;

    DeliveryRecorder(int members, int senders, int perSender) {
        this.members = members;
        this.recorder = new OrderRecorder(senders, perSender);
        this.allDelivered = new CountDownLatch((long) senders * perSender == 0 ? 0 : 1);
    }

    @Override
    public void viewAccepted(View view) {
        LOG.info("jgroups member: view {}", view);
        if (view.size() >= members) {
            viewComplete.countDown();
        }
    }

    @Override
    public synchronized void receive(Message msg) {
        record(msg);
    }

    @Override
    public synchronized void receive(MessageBatch batch) {
        for (Message msg : batch) {
            record(msg);
        }
    }

    private void record(Message msg) {
        byte[] b = msg.getArray();
        boolean all = b == null ? recorder.delivered(new byte[0]) : recorder.delivered(b, msg.getOffset(), msg.getLength());
        if (all) {
            allDelivered.countDown();
        }
    }

    boolean awaitView(long timeout, TimeUnit unit) throws InterruptedException {
        return viewComplete.await(timeout, unit);
    }

    void awaitAllDelivered() throws InterruptedException {
        allDelivered.await();
    }

    synchronized int delivered() {
        return recorder.count();
    }

    synchronized void write(Path file) throws IOException {
        recorder.write(file);
    }
}
