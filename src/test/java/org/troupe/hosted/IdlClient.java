package org.troupe.hosted;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.omg.CORBA.ORB;
import org.omg.PortableServer.POA;
import org.omg.PortableServer.POAHelper;
import org.troupe.idl.Groups.Address;
import org.troupe.idl.Groups.AddressKind;
import org.troupe.idl.Hosted.Closed;
import org.troupe.idl.Hosted.Delivery;
import org.troupe.idl.Hosted.DeliveryKind;
import org.troupe.idl.Hosted.HostedMember;
import org.troupe.idl.Hosted.HostedMembers;
import org.troupe.idl.Hosted.HostedMembersHelper;
import org.troupe.orb.OrbFactory;

/**
 * A client of the hosted-member IDL with nothing but the generated stubs and its own ORB (no
 * Troupe member library): what a C++ client does, from Java.
 */
final class IdlClient implements AutoCloseable {
    final ORB orb;
    final POA poa;
    final HostedMembers factory;
    private final List<Puller> pullers = new ArrayList<>();

    IdlClient(String hostPort) throws Exception {
        orb = OrbFactory.init(OrbFactory.clientProperties("127.0.0.1", 10_000));
        poa = POAHelper.narrow(orb.resolve_initial_references("RootPOA"));
        poa.the_POAManager().activate();
        factory = HostedMembersHelper.narrow(orb.string_to_object("corbaloc:iiop:" + hostPort + "/"
                + OrbFactory.HOSTED_KEY));
    }

    static Address toGroup() {
        return new Address(AddressKind.TO_GROUP, "", 0);
    }

    /** Pulls {@code m}'s deliveries on a thread of its own into a list, until stopped or closed. */
    Puller pull(HostedMember m, String name) {
        Puller p = new Puller(m, name);
        synchronized (pullers) {
            pullers.add(p);
        }
        p.thread.start();
        return p;
    }

    @Override
    public void close() {
        synchronized (pullers) {
            pullers.forEach(Puller::stop);
        }
        orb.shutdown(false);
    }

    /** A pull loop: receive(100, 200 ms) until Closed, stopped, or an error. */
    static final class Puller {
        final HostedMember member;
        final Thread thread;
        private final List<Delivery> got = new ArrayList<>();
        private volatile boolean stopped;
        private volatile String end;

        Puller(HostedMember member, String name) {
            this.member = member;
            this.thread = new Thread(this::loop, "idl-pull-" + name);
            thread.setDaemon(true);
        }

        private void loop() {
            while (!stopped) {
                try {
                    Delivery[] ds = member.receive(100, 200);
                    synchronized (this) {
                        got.addAll(List.of(ds));
                        notifyAll();
                    }
                } catch (Closed e) {
                    end = "Closed: " + e.reason;
                    return;
                } catch (Exception e) {
                    end = e.toString();
                    return;
                }
            }
        }

        /** Stops pulling (the client goes silent) and waits for the loop to end. */
        void stop() {
            stopped = true;
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String end() {
            return end;
        }

        synchronized List<Delivery> all() {
            return List.copyOf(got);
        }

        /** Waits (up to {@code ms}) until the deliveries so far match; returns them. */
        synchronized List<Delivery> await(Predicate<List<Delivery>> match, String what, long ms)
                throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
            while (!match.test(got)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no " + what + " within " + ms + " ms; got " + describe(got)
                            + (end != null ? "; pull loop ended: " + end : ""));
                }
                wait(Math.min(left, 100));
            }
            return List.copyOf(got);
        }
    }

    static List<Delivery> messages(List<Delivery> ds) {
        return ds.stream().filter(d -> d.discriminator() == DeliveryKind.MESSAGE_DELIVERY).toList();
    }

    static long count(List<Delivery> ds, DeliveryKind kind) {
        return ds.stream().filter(d -> d.discriminator() == kind).count();
    }

    static String text(Delivery d) {
        return new String(d.message().payload, java.nio.charset.StandardCharsets.UTF_8);
    }

    static String describe(List<Delivery> ds) {
        StringBuilder b = new StringBuilder("[");
        for (Delivery d : ds) {
            switch (d.discriminator().value()) {
                case DeliveryKind._MESSAGE_DELIVERY -> b.append(" MSG#").append(d.message().sequence_id).append(' ')
                        .append(d.message().sender.name).append(' ').append(d.message().message_type).append(':')
                        .append(text(d));
                case DeliveryKind._VIEW_DELIVERY -> b.append(" VIEW#").append(d.view().sequence_id).append(" v")
                        .append(d.view().view.view_id);
                case DeliveryKind._QUERY_DELIVERY -> b.append(" QUERY ").append(d.query().query).append(' ')
                        .append(d.query().outcome.value());
                default -> b.append(" CLOSED ").append(d.reason());
            }
        }
        return b.append(" ]").toString();
    }
}
