package org.troupe.server.events.corba;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.omg.CORBA.ORB;
import org.omg.CosEventChannelAdmin.ConsumerAdmin;
import org.omg.CosEventChannelAdmin.ConsumerAdminHelper;
import org.omg.CosEventChannelAdmin.EventChannelPOA;
import org.omg.CosEventChannelAdmin.SupplierAdmin;
import org.omg.CosEventChannelAdmin.SupplierAdminHelper;
import org.troupe.server.events.EventChannelCore;
import org.troupe.idl.Events.ChannelInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standard CosEventChannelAdmin::EventChannel. Owns its admins and proxies; destroying it
 * disconnects every client (each is told) and disposes every object it created.
 */
public final class ChannelServant extends EventChannelPOA {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelServant.class);

    private final EventChannelCore core;
    private final ORB orb;
    private final ServantRegistry proxies;
    private final PeerCalls peerCalls;
    private final Runnable onDestroy;
    /** Why suppliers may not connect through CORBA (a group's channel), or null: they may. */
    private final String supplierRefusal;
    private final AtomicLong proxyIds;
    private final ScheduledExecutorService expiry;
    /** Proxies obtained by clients and neither connected nor disposed yet (at most maxUnconnectedProxies). */
    private final AtomicInteger unconnected = new AtomicInteger();
    private final AtomicLong refusedObtains = new AtomicLong();
    /** Consumers connected (at most the channel's maxConsumers). */
    private final AtomicInteger consumers = new AtomicInteger();
    private final AtomicLong refusedConsumers = new AtomicLong();
    private final Map<String, ChannelProxy> live = new ConcurrentHashMap<>();
    /** Members' views of this (group) channel, open until their member goes or the channel does. */
    private final Map<String, MemberChannelServant> views = new ConcurrentHashMap<>();
    private final SupplierAdmin supplierAdmin;
    private final ConsumerAdmin consumerAdmin;
    private volatile boolean destroyed;
    /** The server-wide cap on pulls waiting at once. */
    private final WaitingPulls waitingPulls;

    /**
     * @param expiry the server's timer, which disposes proxies left unconnected past the
     *     channel's {@code proxyConnectTimeoutMillis}
     * @param onDestroy run when a client calls {@code destroy()}: removes the channel from the
     *     directory, which then calls {@link #disconnectAll()}
     * @param supplierRefusal null, or closes the supplier side: its {@code SupplierAdmin} still
     *     exists (the channel stays a standard EventChannel), but {@code obtain_push_consumer} and
     *     {@code obtain_pull_consumer} raise NO_PERMISSION with this message. The channel's owner
     *     publishes into {@link #core()} directly.
     */
    public ChannelServant(EventChannelCore core, ORB orb, ServantRegistry proxies, PeerCalls peerCalls,
            AtomicLong proxyIds, ScheduledExecutorService expiry, Runnable onDestroy, String supplierRefusal,
            WaitingPulls waitingPulls) {
        this.core = core;
        this.waitingPulls = waitingPulls;
        this.supplierRefusal = supplierRefusal;
        this.expiry = expiry;
        this.orb = orb;
        this.proxies = proxies;
        this.peerCalls = peerCalls;
        this.proxyIds = proxyIds;
        this.onDestroy = onDestroy;
        this.supplierAdmin = SupplierAdminHelper.unchecked_narrow(
                proxies.register(adminId("SA"), new SupplierAdminServant(this), SupplierAdminHelper.id()));
        // a group's channel (its supplier side closed) takes consumers through its manager and its
        // members' views only: its own admin refuses whoever found its object key
        ConsumerAdminServant ca = supplierRefusal == null ? new ConsumerAdminServant(this)
                : new ConsumerAdminServant(this, () -> {
                    throw new org.omg.CORBA.NO_PERMISSION("Troupe: group channel " + core.name()
                            + " is read through a member's view of it (JoinTicket.channel)");
                }, p -> { }, null);
        this.consumerAdmin = ConsumerAdminHelper.unchecked_narrow(
                proxies.register(adminId("CA"), ca, ConsumerAdminHelper.id()));
    }

    /**
     * Takes a place for one more connected consumer of this channel, or raises IMP_LIMIT when the
     * channel's {@code maxConsumers} are connected. The returned action gives the place back (it
     * may run more than once: only the first counts).
     */
    Runnable takeConsumerPlace() {
        int max = core.settings().maxConsumers();
        if (consumers.getAndUpdate(n -> n < max ? n + 1 : n) >= max) {
            long n = refusedConsumers.incrementAndGet();
            if (Long.bitCount(n) == 1) { // 1, 2, 4, 8 ...: a client looping on connect does not flood the log
                LOG.warn("channel {}: connect refused: {} consumers connected, the limit ({} refusals so far)",
                        core.name(), max, n);
            }
            throw new org.omg.CORBA.IMP_LIMIT("Troupe: channel " + core.name() + " already has " + max
                    + " consumers connected, the limit of the server (--max-consumers); try again later");
        }
        java.util.concurrent.atomic.AtomicBoolean given = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (given.compareAndSet(false, true)) {
                consumers.decrementAndGet();
            }
        };
    }

    /** Consumers connected now (places taken by {@link #takeConsumerPlace}). */
    int connectedConsumers() {
        return consumers.get();
    }

    /** The server-wide cap on pulls waiting for an event at once. */
    WaitingPulls waitingPulls() {
        return waitingPulls;
    }

    /** A member's view of a group's channel, and what closes it (see {@link #openMemberChannel}). */
    public record MemberChannel(org.omg.CosEventChannelAdmin.EventChannel channel, Runnable close) {
    }

    /**
     * Opens a member's view of this (group) channel: an EventChannel whose consumers connect to
     * this channel, each sent what {@code reader} makes of each event (the member's audience:
     * what the member may read), and are disconnected, told, when {@link MemberChannel#close}
     * runs (the member is gone); after that its objects raise OBJECT_NOT_EXIST.
     */
    public MemberChannel openMemberChannel(org.troupe.server.events.EventFilter reader) {
        java.util.Objects.requireNonNull(reader, "a member's view of a group channel reads through its audience");
        checkAlive();
        MemberChannelServant view = new MemberChannelServant(this, proxies, core.name() + "/M." + randomHex(),
                reader);
        org.omg.CosEventChannelAdmin.EventChannel ref = org.omg.CosEventChannelAdmin.EventChannelHelper
                .unchecked_narrow(proxies.register(view.id(), view, org.omg.CosEventChannelAdmin.EventChannelHelper.id()));
        views.put(view.id(), view);
        if (destroyed) { // lost a race with destroy(): close at once
            views.remove(view.id());
            view.close();
            checkAlive();
        }
        return new MemberChannel(ref, () -> {
            views.remove(view.id());
            view.close();
        });
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** 64 random bits in hex: object ids a client cannot guess from another one it holds. */
    private static String randomHex() {
        return String.format("%016x", RANDOM.nextLong());
    }

    private String adminId(String kind) {
        return core.name() + "/" + kind;
    }

    /**
     * Connects a push consumer from inside the server (the channel's owner, a group manager),
     * without a CORBA call to itself; returns what disconnects it again, quietly (no call-back).
     */
    public Runnable connectPushConsumer(org.omg.CosEventComm.PushConsumer consumer)
            throws org.omg.CosEventChannelAdmin.AlreadyConnected, org.omg.CosEventChannelAdmin.TypeError {
        return connectPushConsumer(consumer, null);
    }

    /**
     * As {@link #connectPushConsumer(org.omg.CosEventComm.PushConsumer)}, delivering what
     * {@code filter} makes of each event (null: every event as it is): filtering at the source,
     * so that a consumer is not sent what it would drop.
     */
    public Runnable connectPushConsumer(org.omg.CosEventComm.PushConsumer consumer,
            org.troupe.server.events.EventFilter filter)
            throws org.omg.CosEventChannelAdmin.AlreadyConnected, org.omg.CosEventChannelAdmin.TypeError {
        return connectPushConsumer(consumer, filter, reason -> { });
    }

    /**
     * As {@link #connectPushConsumer(org.omg.CosEventComm.PushConsumer, org.troupe.server.events.EventFilter)},
     * and tells {@code onEvicted} (with the reason) if the channel ever cuts the consumer off: a
     * push that failed as if the consumer were gone, or a full queue. It is called on the
     * channel's threads, possibly while an event is being published: it must only record.
     */
    public Runnable connectPushConsumer(org.omg.CosEventComm.PushConsumer consumer,
            org.troupe.server.events.EventFilter filter, java.util.function.Consumer<String> onEvicted)
            throws org.omg.CosEventChannelAdmin.AlreadyConnected, org.omg.CosEventChannelAdmin.TypeError {
        return connectOwnedPushConsumer(consumer, filter, onEvicted).disconnect();
    }

    /** A consumer connected by the channel's owner: how to queue events for it alone, and how to disconnect it. */
    public record OwnedConsumer(java.util.function.Consumer<org.omg.CORBA.Any[]> offer, Runnable disconnect) {
    }

    /**
     * As {@link #connectPushConsumer(org.omg.CosEventComm.PushConsumer, org.troupe.server.events.EventFilter,
     * java.util.function.Consumer)}, and also how to queue events for this consumer alone (through
     * its filter) ahead of those published later.
     */
    public OwnedConsumer connectOwnedPushConsumer(org.omg.CosEventComm.PushConsumer consumer,
            org.troupe.server.events.EventFilter filter, java.util.function.Consumer<String> onEvicted)
            throws org.omg.CosEventChannelAdmin.AlreadyConnected, org.omg.CosEventChannelAdmin.TypeError {
        checkAlive();
        ProxyPushSupplierServant s = new ProxyPushSupplierServant(this);
        s.filter(filter);
        s.onEvicted(onEvicted);
        register(s, s, org.omg.CosEventChannelAdmin.ProxyPushSupplierHelper.id()); // connected at once: no limit
        try {
            s.connect(consumer, true);
        } catch (org.omg.CosEventChannelAdmin.AlreadyConnected | org.omg.CosEventChannelAdmin.TypeError
                | RuntimeException e) {
            s.disconnectByChannel(); // a consumer that could not be connected leaves no proxy behind
            throw e;
        }
        return new OwnedConsumer(events -> {
            org.troupe.server.events.Subscription sub = s.subscription();
            if (sub != null) {
                sub.offer(events);
            }
        }, s::disconnectFromOwner); // nothing to undo if the channel dropped the consumer already
    }

    /** The channel's core. */
    public EventChannelCore core() {
        return core;
    }

    ORB orb() {
        return orb;
    }

    PeerCalls peerCalls() {
        return peerCalls;
    }

    /**
     * Registers a new proxy servant for a client ({@code obtain_*}) and returns its reference.
     * The proxy counts against the channel's {@code maxUnconnectedProxies} until it is connected
     * or disposed, and is disposed if it is not connected within {@code proxyConnectTimeoutMillis}.
     *
     * @throws org.omg.CORBA.IMP_LIMIT if the channel already holds that many unconnected proxies
     */
    org.omg.CORBA.Object addProxy(ChannelProxy proxy, org.omg.PortableServer.Servant servant, String repoId) {
        int max = core.settings().maxUnconnectedProxies();
        if (unconnected.getAndUpdate(n -> n < max ? n + 1 : n) >= max) {
            long n = refusedObtains.incrementAndGet();
            if (Long.bitCount(n) == 1) { // 1, 2, 4, 8 ...: a client looping on obtain_* does not flood the log
                LOG.warn("channel {}: obtain_* refused: {} proxies obtained and not connected, the limit"
                        + " ({} refusals so far)", core.name(), max, n);
            }
            throw new org.omg.CORBA.IMP_LIMIT("Troupe: channel " + core.name() + " already holds " + max
                    + " proxies obtained but not connected; connect or disconnect them (an unconnected proxy is"
                    + " disposed after " + core.settings().proxyConnectTimeoutMillis() + " ms)");
        }
        ProxyState state = proxy.state();
        state.onLeaveObtained(unconnected::decrementAndGet); // exactly once: connected or disposed
        org.omg.CORBA.Object ref = register(proxy, servant, repoId);
        try {
            state.expireAfter(expiry.schedule(org.troupe.server.Guarded.task("expiry of an unconnected proxy", LOG, state::expire), core.settings().proxyConnectTimeoutMillis(),
                    TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) { // the server is stopping
            proxy.disconnectByChannel();
        }
        return ref;
    }

    /** Registers a proxy servant under a new id and returns its reference. */
    private org.omg.CORBA.Object register(ChannelProxy proxy, org.omg.PortableServer.Servant servant, String repoId) {
        // unguessable: whoever holds one proxy cannot call another (disconnect someone else's consumer)
        String id = core.name() + "/" + proxyIds.incrementAndGet() + "." + randomHex();
        proxy.state().setId(id);
        live.put(id, proxy);
        org.omg.CORBA.Object ref = proxies.register(id, servant, repoId);
        if (destroyed) { // lost a race with destroy(): dispose at once
            proxy.disconnectByChannel();
        }
        return ref;
    }

    /** Disposes a proxy: later calls on it raise OBJECT_NOT_EXIST. */
    void removeProxy(String id) {
        live.remove(id);
        proxies.unregister(id);
    }

    @Override
    public ConsumerAdmin for_consumers() {
        checkAlive();
        return consumerAdmin;
    }

    @Override
    public SupplierAdmin for_suppliers() {
        checkAlive();
        return supplierAdmin;
    }

    @Override
    public void destroy() {
        checkAlive();
        onDestroy.run();
    }

    /** Raises NO_PERMISSION if this channel takes no suppliers through CORBA (a group's channel). */
    void checkSupplierSideOpen() {
        if (supplierRefusal != null) {
            throw new org.omg.CORBA.NO_PERMISSION(supplierRefusal);
        }
    }

    void checkAlive() {
        if (destroyed) {
            throw new org.omg.CORBA.OBJECT_NOT_EXIST("Troupe: channel " + core.name() + " was destroyed");
        }
    }

    /** Disconnects and disposes everything; each connected client is told. Idempotent. */
    public void disconnectAll() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        int n = 0;
        for (ChannelProxy p : live.values()) {
            if (p.isConnected()) {
                n++;
            }
            p.disconnectByChannel();
        }
        for (MemberChannelServant v : views.values()) {
            v.close();
        }
        views.clear();
        core.closeAll();
        proxies.unregister(adminId("SA"));
        proxies.unregister(adminId("CA"));
        LOG.info("channel {} destroyed; {} connected clients told", core.name(), n);
    }

    /** The channel as an operator sees it now, shown as {@code shownName}. */
    public org.troupe.server.events.ChannelStatus status(String shownName, boolean group) {
        int suppliers = 0; // connected to the channel's proxy consumers
        for (ChannelProxy p : live.values()) {
            if (p.isConnected()
                    && (p.kind() == ChannelProxy.Kind.PUSH_CONSUMER || p.kind() == ChannelProxy.Kind.PULL_CONSUMER)) {
                suppliers++;
            }
        }
        // every consumer holds a subscription, members of a group included (they connect through its manager)
        return new org.troupe.server.events.ChannelStatus(shownName, group, core.consumerCount(), suppliers,
                core.eventsDelivered(), core.eventsDropped(), core.consumersEvicted(), core.deepestQueue(),
                core.flowWaits(), core.flowTimeouts());
    }

    /** A snapshot for {@code list_channels} / {@code channel_info}. */
    public ChannelInfo info(org.omg.CosEventChannelAdmin.EventChannel self) {
        int[] counts = new int[ChannelProxy.Kind.values().length];
        for (ChannelProxy p : live.values()) {
            if (p.isConnected()) {
                counts[p.kind().ordinal()]++;
            }
        }
        return new ChannelInfo(core.name(), self,
                counts[ChannelProxy.Kind.PUSH_SUPPLIER.ordinal()], counts[ChannelProxy.Kind.PULL_SUPPLIER.ordinal()],
                counts[ChannelProxy.Kind.PUSH_CONSUMER.ordinal()], counts[ChannelProxy.Kind.PULL_CONSUMER.ordinal()],
                core.eventsIn(), core.eventsDelivered(), core.eventsDropped(), core.consumersEvicted());
    }
}
