package org.troupe.conformance.client;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.omg.CORBA.Any;
import org.omg.CORBA.BooleanHolder;
import org.omg.CORBA.ORB;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.EventChannelHelper;
import org.omg.CosEventChannelAdmin.ProxyPullSupplier;
import org.omg.CosEventChannelAdmin.ProxyPushConsumer;
import org.omg.CosEventChannelAdmin.ProxyPushSupplier;
import org.omg.CosEventComm.Disconnected;
import org.omg.CosEventComm.PullConsumerHelper;
import org.omg.CosEventComm.PullConsumerPOA;
import org.omg.CosEventComm.PullSupplierHelper;
import org.omg.CosEventComm.PullSupplierPOA;
import org.omg.CosEventComm.PushConsumerHelper;
import org.omg.CosEventComm.PushConsumerPOA;
import org.omg.CosEventComm.PushSupplierHelper;
import org.omg.CosEventComm.PushSupplierPOA;
import org.omg.PortableServer.POA;
import org.omg.PortableServer.POAHelper;

/**
 * A CosEvent client as a third party would write it: nothing but the standard OMG stubs and an
 * ORB (JacORB, configured by properties only), in a JVM of its own. It plays one role, given as
 * the first argument, on the channel given as the second (a corbaloc, corbaname or IOR):
 * <ul>
 *   <li>{@code push-consumer}: commands {@code CONNECT} (a new consumer object and proxy;
 *       prints {@code CONNECTED}), {@code AWAIT N MS} (until N events arrived on the current
 *       connection; prints {@code AWAITED ok=.. received=..}), {@code DISCONNECT} (calls
 *       {@code disconnect_push_supplier} from this thread, not from inside push; prints
 *       {@code DISCONNECTED}), {@code QUIET MS} (waits, at most 10 s, until no push arrived for
 *       MS; prints {@code QUIET ok=..}), {@code REPORT}. It prints {@code TOLD} when the channel
 *       calls its {@code disconnect_push_consumer}. REPORT fields: {@code received} (all),
 *       {@code late} (events pushed to a connection after its own disconnect_push_supplier
 *       returned), {@code after_told} (events pushed after it was told), {@code told}. An
 *       optional third argument is a delay in ms spent in each push (a slow consumer);
 *   <li>{@code push-supplier}: connects with a call-back object and prints {@code CONNECTED};
 *       {@code PUSH N} pushes N string events and prints {@code PUSHED N};
 *   <li>{@code pull-consumer}: connects with a call-back object, prints {@code CONNECTED}, and
 *       then blocks in {@code pull()} (prints {@code PULLED} for each event);
 *   <li>{@code pull-supplier}: connects; always has an event; {@code REPORT} prints
 *       {@code REPORT try_pulls=N pulls=N}.
 * </ul>
 * Exits when stdin closes.
 */
public final class StandardClient {
    private final ORB orb;
    private final POA poa;
    private final EventChannel channel;

    private StandardClient(String url) throws Exception {
        Properties p = new Properties();
        p.setProperty("org.omg.CORBA.ORBClass", "org.jacorb.orb.ORB");
        p.setProperty("org.omg.CORBA.ORBSingletonClass", "org.jacorb.orb.ORBSingleton");
        p.setProperty("OAIAddr", "127.0.0.1");
        p.setProperty("jacorb.connection.client.pending_reply_timeout", "10000");
        p.setProperty("jacorb.iiop.enable_loopback", "off");
        p.setProperty("jacorb.retries", "0");
        p.setProperty("jacorb.poa.queue_wait", "on");
        p.setProperty("jacorb.poa.queue_max", "10000");
        orb = ORB.init(new String[0], p);
        poa = POAHelper.narrow(orb.resolve_initial_references("RootPOA"));
        poa.the_POAManager().activate();
        channel = EventChannelHelper.narrow(orb.string_to_object(url));
    }

    static void out(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }

    public static void main(String[] args) throws Exception {
        // end with the test JVM that started us, so a killed test run leaves no orphans
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
        StandardClient c = new StandardClient(args[1]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        switch (args[0]) {
            case "push-consumer" -> c.pushConsumer(in, args.length > 2 ? Long.parseLong(args[2]) : 0);
            case "push-supplier" -> c.pushSupplier(in);
            case "pull-consumer" -> c.pullConsumer(in);
            case "pull-supplier" -> c.pullSupplier(in);
            default -> out("ERROR unknown role " + args[0]);
        }
        c.orb.shutdown(false);
        System.exit(0);
    }

    // ---------------------------------------------------------------- push consumer

    /** The counters of every connection this process made. */
    private final Object lock = new Object();
    private long received;
    private long late;
    private long afterTold;
    private boolean told;
    private long lastPushNanos = System.nanoTime();

    /** One connection: a consumer object of its own. */
    private final class Consumer extends PushConsumerPOA {
        private final long delayMillis;
        long count;
        boolean disconnectReturned;

        Consumer(long delayMillis) {
            this.delayMillis = delayMillis;
        }

        @Override
        public void push(Any data) {
            synchronized (lock) {
                received++;
                count++;
                lastPushNanos = System.nanoTime();
                if (disconnectReturned) {
                    late++;
                }
                if (told) {
                    afterTold++;
                }
                lock.notifyAll();
            }
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis); // a deliberately slow consumer
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void disconnect_push_consumer() {
            synchronized (lock) {
                told = true;
            }
            out("TOLD");
        }
    }

    private void pushConsumer(BufferedReader in, long delayMillis) throws Exception {
        Consumer current = null;
        ProxyPushSupplier proxy = null;
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split("\\s+");
            switch (cmd[0]) {
                case "CONNECT" -> {
                    current = new Consumer(delayMillis);
                    proxy = channel.for_consumers().obtain_push_supplier();
                    proxy.connect_push_consumer(PushConsumerHelper.narrow(poa.servant_to_reference(current)));
                    out("CONNECTED");
                }
                case "AWAIT" -> {
                    long n = Long.parseLong(cmd[1]);
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(cmd[2]));
                    synchronized (lock) {
                        while (current.count < n && deadline - System.nanoTime() > 0) {
                            TimeUnit.NANOSECONDS.timedWait(lock, deadline - System.nanoTime());
                        }
                        out("AWAITED ok=" + (current.count >= n) + " received=" + current.count);
                    }
                }
                case "DISCONNECT" -> {
                    proxy.disconnect_push_supplier();
                    synchronized (lock) {
                        current.disconnectReturned = true;
                    }
                    out("DISCONNECTED");
                }
                case "QUIET" -> {
                    long quiet = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(cmd[1]));
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    boolean ok;
                    synchronized (lock) {
                        while (!(ok = System.nanoTime() - lastPushNanos >= quiet) && deadline - System.nanoTime() > 0) {
                            TimeUnit.NANOSECONDS.timedWait(lock,
                                    Math.max(1, Math.min(quiet - (System.nanoTime() - lastPushNanos), deadline - System.nanoTime())));
                        }
                    }
                    out("QUIET ok=" + ok);
                }
                case "REPORT" -> {
                    synchronized (lock) {
                        out("REPORT received=" + received + " late=" + late + " after_told=" + afterTold + " told=" + told);
                    }
                }
                default -> out("ERROR unknown command " + line);
            }
        }
    }

    // ---------------------------------------------------------------- push supplier

    private final class Supplier extends PushSupplierPOA {
        @Override
        public void disconnect_push_supplier() {
            out("TOLD");
        }
    }

    private void pushSupplier(BufferedReader in) throws Exception {
        ProxyPushConsumer proxy = channel.for_suppliers().obtain_push_consumer();
        proxy.connect_push_supplier(PushSupplierHelper.narrow(poa.servant_to_reference(new Supplier())));
        out("CONNECTED");
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split("\\s+");
            if (cmd[0].equals("PUSH")) {
                int n = Integer.parseInt(cmd[1]);
                for (int i = 0; i < n; i++) {
                    Any a = orb.create_any();
                    a.insert_string("event " + i);
                    proxy.push(a);
                }
                out("PUSHED " + n);
            } else {
                out("ERROR unknown command " + line);
            }
        }
    }

    // ---------------------------------------------------------------- pull consumer

    private final class PullConsumer extends PullConsumerPOA {
        @Override
        public void disconnect_pull_consumer() {
            out("TOLD");
        }
    }

    private void pullConsumer(BufferedReader in) throws Exception {
        ProxyPullSupplier proxy = channel.for_consumers().obtain_pull_supplier();
        proxy.connect_pull_consumer(PullConsumerHelper.narrow(poa.servant_to_reference(new PullConsumer())));
        out("CONNECTED");
        Thread puller = new Thread(() -> {
            try {
                while (true) {
                    proxy.pull();
                    out("PULLED");
                }
            } catch (Disconnected | org.omg.CORBA.SystemException e) {
                out("PULL_ENDED " + e.getClass().getSimpleName());
            }
        }, "puller");
        puller.setDaemon(true);
        puller.start();
        while (in.readLine() != null) {
            out("ERROR no commands");
        }
    }

    // ---------------------------------------------------------------- pull supplier

    private final AtomicLong tryPulls = new AtomicLong();
    private final AtomicLong pulls = new AtomicLong();

    /** Always has an event. */
    private final class PullSupplier extends PullSupplierPOA {
        @Override
        public Any pull() {
            pulls.incrementAndGet();
            return event();
        }

        @Override
        public Any try_pull(BooleanHolder hasEvent) {
            tryPulls.incrementAndGet();
            hasEvent.value = true;
            return event();
        }

        private Any event() {
            Any a = orb.create_any();
            a.insert_string("pulled");
            return a;
        }

        @Override
        public void disconnect_pull_supplier() {
            out("TOLD");
        }
    }

    private void pullSupplier(BufferedReader in) throws Exception {
        org.omg.CosEventChannelAdmin.ProxyPullConsumer proxy = channel.for_suppliers().obtain_pull_consumer();
        proxy.connect_pull_supplier(PullSupplierHelper.narrow(poa.servant_to_reference(new PullSupplier())));
        out("CONNECTED");
        String line;
        while ((line = in.readLine()) != null) {
            if (line.trim().equals("REPORT")) {
                out("REPORT try_pulls=" + tryPulls.get() + " pulls=" + pulls.get());
            } else {
                out("ERROR unknown command " + line);
            }
        }
    }
}
