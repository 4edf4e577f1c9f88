package org.troupe.member;

import java.util.ArrayList;
import java.util.List;
import org.omg.CORBA.ORB;
import org.omg.PortableServer.POA;
import org.omg.PortableServer.POAHelper;
import org.troupe.idl.Groups.AlreadyMember;
import org.troupe.idl.Groups.GroupExists;
import org.troupe.idl.Groups.GroupInfo;
import org.troupe.idl.Groups.GroupManager;
import org.troupe.idl.Groups.GroupsAdministrator;
import org.troupe.idl.Groups.GroupsAdministratorHelper;
import org.troupe.idl.Groups.InvalidDescriptor;
import org.troupe.idl.Groups.JoinTicket;
import org.troupe.idl.Groups.RoleFull;
import org.troupe.idl.Groups.UnknownGroup;
import org.troupe.idl.Groups.UnknownRole;
import org.troupe.member.corba.CorbaTransport;
import org.troupe.member.corba.SendQueue;
import org.troupe.member.model.ChannelStats;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.stack.CorrelationLayer;
import org.troupe.member.stack.DeliveryLayer;
import org.troupe.member.stack.DestinationFilterLayer;
import org.troupe.member.stack.Handoff;
import org.troupe.member.stack.HeartbeatLayer;
import org.troupe.member.stack.ProtocolStack;
import org.troupe.member.stack.SequencerLayer;
import org.troupe.member.stack.StateTransferLayer;
import org.troupe.member.stack.TotalOrderLayer;
import org.troupe.member.stack.TurnLayer;
import org.troupe.orb.OrbFactory;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.wire.Descriptors;

/**
 * A connection to a Troupe server, with its own ORB: the entry point of the Java member API.
 *
 * <pre>{@code
 * try (Troupe troupe = Troupe.connect("127.0.0.1:2809");
 *      Group g = troupe.join("math-101", "Student", "ann")) {
 *     g.send("Answer", "42".getBytes(UTF_8));
 *     Delivery d = g.receive(Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class Troupe implements AutoCloseable {
    /** How long a call to the server may take before it fails (TIMEOUT), in milliseconds. */
    public static final long REPLY_TIMEOUT_MS = 10_000;
    /** How often a member's stack clock ticks (query time-outs are this precise). */
    static final long TICK_MILLIS = 50;

    private final ORB orb;
    private final POA poa;
    /** Each server's Groups Administrator (several: a cluster), and which answered last. */
    private final List<GroupsAdministrator> admins = new ArrayList<>();
    private volatile int current;
    /** Each server's corbaloc prefix, where a member finds its group's manager after a server goes. */
    private final List<String> servers = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();
    private boolean closed; // guarded by groups
    private volatile Thread exitHook;
    /** This connection's TLS configuration, or null for plain IIOP. */
    private volatile org.troupe.orb.TlsConfig tls;

    /** Whether an inline listener's deliveries run on the thread that read them ({@link org.troupe.orb.ReaderDispatch}). */
    private final org.troupe.orb.ReaderDispatch readerDispatch; // null: not available on this ORB
    /** Inline listeners of groups joined from now on run on the ORB's request threads, never on a reader. */
    private volatile boolean inlineOffReaders;

    private Troupe(ORB orb, org.troupe.orb.ServerAddress where, boolean bidirectional) throws Exception {
        this.orb = orb;
        this.poa = POAHelper.narrow(orb.resolve_initial_references("RootPOA"));
        this.readerDispatch = org.troupe.orb.ReaderDispatch.install(orb, poa, bidirectional);
        poa.the_POAManager().activate();
        for (org.troupe.orb.ServerAddress server : where.each()) {
            admins.add(GroupsAdministratorHelper.unchecked_narrow(orb.string_to_object(
                    server.objectUrl(OrbFactory.GROUPS_KEY))));
            servers.add(server.corbaloc());
        }
    }

    /**
     * From now on, the inline listeners ({@link JoinOptions#listenerInline}) of groups joined or
     * resumed on this connection run on the ORB's request threads, one thread hand-off after the
     * connection's reader, never on the reader itself. For a connection whose groups must not
     * hold each other up: a listener that waits then holds up its own group only, and the
     * connection goes on reading for the others (a server hosting members for its clients
     * shares one connection between all of them). Returns this connection.
     */
    public Troupe inlineOffReaders() {
        inlineOffReaders = true;
        return this;
    }

    /**
     * Refuses a call made from an inline listener running on a connection's reader: the server
     * calls the member back over that connection before it answers (it checks the new consumer),
     * and this thread is the one that would have to read that call.
     */
    private static void notOnReaderThread(String call) {
        if (org.troupe.orb.ReaderDispatch.onReaderThread()) {
            throw new IllegalStateException(call + " from an inline listener: the server calls this member back over "
                    + "the connection whose thread runs the listener; " + call + " from another thread");
        }
    }

    /** A call on a server's Groups Administrator. */
    @FunctionalInterface
    private interface AdminCall<T> {
        T call(GroupsAdministrator admin) throws org.omg.CORBA.UserException;
    }

    /**
     * Makes {@code call} on the server that answered last, and on the others in turn while a
     * server cannot be reached (in a cluster, any server answers for every group).
     */
    private <T> T onServers(AdminCall<T> call) throws org.omg.CORBA.UserException {
        org.omg.CORBA.SystemException last = null;
        for (int i = 0; i < admins.size(); i++) {
            int k = (current + i) % admins.size();
            try {
                T result = call.call(admins.get(k));
                current = k;
                return result;
            } catch (org.omg.CORBA.TRANSIENT | org.omg.CORBA.COMM_FAILURE | org.omg.CORBA.TIMEOUT e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * Connects to a server: {@code HOST:PORT}, {@code corbaloc:iiop:HOST:PORT}, or any URL or IOR
     * the server prints (its groups administrator, factory, naming service, a channel's corbaloc
     * or corbaname ...): only the server's address counts. Nothing is called yet: an unreachable
     * server shows at the first call. A value that is not a server address is refused with one
     * sentence saying so.
     */
    public static Troupe connect(String where) throws TroupeException {
        org.troupe.orb.TlsConfig tls;
        try {
            tls = org.troupe.orb.TlsConfig.fromSystemProperties();
        } catch (IllegalArgumentException e) {
            throw new TroupeException(e.getMessage());
        }
        return connect(where, tls);
    }

    /**
     * Connects to a server as {@link #connect(String)} does, over TLS if {@code tls} is given:
     * the server's certificate must be signed by an authority of its trust store, and its key
     * store (if any) is shown when the server asks for a client certificate. Without {@code tls}
     * ({@code connect(String)} reads it from the {@code troupe.tls.*} system properties) the
     * connection is plain IIOP. A failure to reach the server is explained in one sentence by
     * {@link org.troupe.orb.TlsDiagnosis} (TLS missing on one side, certificate not trusted ...).
     */
    public static Troupe connect(String where, org.troupe.orb.TlsConfig tls) throws TroupeException {
        org.troupe.orb.ServerAddress address;
        try {
            address = org.troupe.orb.ServerAddress.parse(where);
            if (tls != null) {
                tls.check(false);
                address = address.withTls(true);
            } else if (address.tls()) {
                throw new IllegalArgumentException("'" + where + "' names a server over TLS: connect with a trust "
                        + "store (--tls --truststore FILE, or -D" + org.troupe.orb.TlsConfig.TRUSTSTORE_PROPERTY
                        + "=FILE)");
            }
        } catch (IllegalArgumentException e) {
            throw new TroupeException(e.getMessage());
        }
        ORB orb = OrbFactory.init(OrbFactory.clientProperties("127.0.0.1", REPLY_TIMEOUT_MS, tls));
        try {
            Troupe t = new Troupe(orb, address, tls != null); // over TLS call-backs share the member's connection
            t.tls = tls;
            return t;
        } catch (Exception e) {
            orb.shutdown(false);
            throw new TroupeException("cannot connect to '" + where + "': " + e.getMessage(), e);
        }
    }

    /**
     * One sentence on why the servers could not be reached when TLS is the cause (missing on one
     * side, certificate not trusted, client certificate required), or null.
     */
    public String explainUnreachable() {
        for (String base : servers) {
            String why = org.troupe.orb.TlsDiagnosis.explain(org.troupe.orb.ServerAddress.parse(base), tls);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    /**
     * The administrator's URL on the server named by what a user typed: any URL or IOR the server
     * prints names its server (see {@link org.troupe.orb.ServerAddress}).
     */
    static String adminUrl(String where) {
        return org.troupe.orb.ServerAddress.parse(where).objectUrl(OrbFactory.GROUPS_KEY);
    }

    /** The ORB of this connection (for tests and tools). */
    public ORB orb() {
        return orb;
    }

    /** Creates a group (it must be new) with roles and types only: every role sends every type, in total order. */
    public void createGroup(String name, GroupSpec spec) throws TroupeException {
        ApplicationProtocol protocol;
        try {
            protocol = spec.toProtocol();
        } catch (IllegalArgumentException e) {
            throw new TroupeException("cannot create group '" + name + "': " + e.getMessage());
        }
        createGroup(name, protocol, true);
    }

    /** Creates a group (it must be new) from an application protocol (see {@code ProtocolLoader}). */
    public void createGroup(String name, ApplicationProtocol protocol) throws TroupeException {
        createGroup(name, protocol, true);
    }

    /**
     * Creates a group from an application protocol; {@code impliedOrder} false makes every
     * message go through the sequencer (responses and turns do not skip it: for comparison).
     */
    public void createGroup(String name, ApplicationProtocol protocol, boolean impliedOrder) throws TroupeException {
        createGroup(name, protocol, impliedOrder, null);
    }

    /**
     * Creates a group; with a {@code joinKey} (8-1024 characters; null: none), only members who
     * give it ({@link JoinOptions#joinKey}) may join. The server keeps a salted hash of it only.
     */
    public void createGroup(String name, ApplicationProtocol protocol, boolean impliedOrder, String joinKey)
            throws TroupeException {
        try {
            onServers(a -> joinKey == null ? a.create_group(name, Descriptors.toIdl(protocol, impliedOrder))
                    : a.create_keyed_group(name, Descriptors.toIdl(protocol, impliedOrder), joinKey));
        } catch (GroupExists e) {
            throw new TroupeException("group '" + name + "' exists already");
        } catch (InvalidDescriptor e) {
            throw new TroupeException("cannot create group '" + name + "': " + e.reason);
        } catch (org.omg.CORBA.UserException e) {
            throw new TroupeException("cannot create group '" + name + "': " + e);
        } catch (org.omg.CORBA.SystemException e) {
            throw unreachable(e);
        }
    }

    /** Destroys a group: its members are disconnected. */
    public void destroyGroup(String name) throws TroupeException {
        try {
            onServers(a -> {
                a.destroy_group(name);
                return null;
            });
        } catch (UnknownGroup e) {
            throw unknownGroup(name);
        } catch (org.omg.CORBA.UserException e) {
            throw new TroupeException("cannot destroy group '" + name + "': " + e);
        } catch (org.omg.CORBA.SystemException e) {
            throw unreachable(e);
        }
    }

    /** The server's groups, with their views and counters. */
    public GroupInfo[] groups() throws TroupeException {
        try {
            return onServers(GroupsAdministrator::list_groups);
        } catch (org.omg.CORBA.UserException e) {
            throw new TroupeException("cannot list groups: " + e);
        } catch (org.omg.CORBA.SystemException e) {
            throw unreachable(e);
        }
    }

    /** Joins {@code group} as {@code name} in {@code role}, with default options (pull delivery). */
    public Group join(String group, String role, String name) throws TroupeException {
        return join(group, role, name, JoinOptions.defaults());
    }

    /**
     * Joins {@code group} as {@code name} in {@code role}. The member is in JOIN_MODE until its
     * own view is delivered (the first delivery); from there on it receives every message of the
     * group addressed to it, in the group's total order.
     */
    public Group join(String group, String role, String name, JoinOptions options) throws TroupeException {
        notOnReaderThread("join");
        Member m = member(group, options);
        JoinTicket ticket;
        try {
            ticket = m.transport().join(name, role, options.sequencer, options.joinKey);
        } catch (org.troupe.idl.Groups.JoinKeyRefused e) {
            throw new TroupeException("wrong join key for group " + group);
        } catch (org.omg.CORBA.NO_PERMISSION e) {
            if (e.minor == org.troupe.orb.AdminOperations.MINOR_JOIN_KEY_REQUIRED) {
                throw new TroupeException("group " + group + " requires a join key");
            }
            throw new TroupeException("cannot join group " + group + ": " + e, e);
        } catch (UnknownRole e) {
            throw new TroupeException("group " + group + " has no role '" + role + "' (roles: "
                    + Group.list(e.roles) + ")");
        } catch (RoleFull e) {
            throw new TroupeException("role " + e.role + " of group " + group + " is full (max "
                    + Integer.toUnsignedString(e.max) + ")");
        } catch (AlreadyMember e) {
            throw new TroupeException("'" + e.name + "' is already a member of group " + group + " (member "
                    + e.member + ")");
        } catch (org.omg.CORBA.SystemException e) {
            throw new TroupeException("cannot join group " + group + ": " + e, e);
        } catch (Exception e) {
            throw new TroupeException("cannot join group " + group + ": " + e.getMessage(), e);
        }
        return started(m, group, new MemberInfo(ticket.member, name, role), ticket, options);
    }

    /**
     * Goes on as member {@code me} of {@code group}, whose stack ran in another process that is
     * gone (a member hosted by a server that died): the same member (id, token), no view change.
     * It delivers what the group ordered after sequence id {@code delivered}, and its first
     * message gets id {@code nextMessageId}. The server replays the events after {@code
     * replayFrom} (at most {@code delivered}) so that messages published before {@code
     * delivered} and ordered after it are not missed.
     *
     * @throws TroupeException the member is no longer in the group, or no server takes it
     */
    public Group resume(String group, MemberInfo me, String token, long delivered, long replayFrom, long nextMessageId,
            JoinOptions options) throws TroupeException {
        if (replayFrom > delivered) {
            throw new IllegalArgumentException("replay from " + replayFrom + " is after the delivered sequence id "
                    + delivered);
        }
        notOnReaderThread("resume");
        Member m = member(group, options);
        JoinTicket ticket;
        try {
            ticket = m.transport().resume(me.id(), token, me.role(), delivered, replayFrom);
        } catch (org.troupe.idl.Groups.NotMember e) {
            throw new TroupeException("member " + me.id() + " is no longer in group " + group + ": " + e.reason);
        } catch (org.omg.CORBA.SystemException e) {
            throw new TroupeException("cannot resume member " + me.id() + " of group " + group + ": " + e, e);
        } catch (Exception e) {
            throw new TroupeException("cannot resume member " + me.id() + " of group " + group + ": " + e.getMessage(),
                    e);
        }
        Group g = started(m, group, me, ticket, options);
        g.continueAt(nextMessageId);
        return g;
    }

    /** A member's stack, built from its group's protocol, before it joins or resumes. */
    private record Member(CorbaTransport transport, ProtocolStack stack, Handoff handoff, ChannelStats stats,
            ApplicationProtocol protocol, InlineDelivery inline) {
    }

    private Group started(Member m, String group, MemberInfo me, JoinTicket ticket, JoinOptions options) {
        if (m.protocol().hasQueries() || options.requestState) {
            m.stack().startTicker("troupe-" + group + "-clock", TICK_MILLIS, System::nanoTime);
        }
        Group g = new Group(group, me, m.stack(), m.handoff(), m.stats(), m.protocol(),
                Integer.toUnsignedLong(ticket.max_payload), options.listener, m.inline(), System::nanoTime,
                options.stateProvider, options.requestState);
        synchronized (groups) {
            groups.add(g);
        }
        return g;
    }

    private Member member(String group, JoinOptions options) throws TroupeException {
        GroupManager manager;
        try {
            manager = onServers(a -> a.find_group(group));
        } catch (UnknownGroup e) {
            throw unknownGroup(group);
        } catch (org.omg.CORBA.UserException e) {
            throw new TroupeException("cannot find group '" + group + "': " + e);
        } catch (org.omg.CORBA.SystemException e) {
            throw unreachable(e);
        }
        ApplicationProtocol protocol;
        boolean impliedOrder;
        try {
            org.troupe.idl.Groups.GroupDescriptor descriptor = descriptorOf(manager);
            protocol = Descriptors.fromIdl(descriptor);
            impliedOrder = descriptor.implied_order;
        } catch (org.omg.CORBA.SystemException e) {
            throw unreachable(e);
        } catch (IllegalArgumentException e) {
            throw new TroupeException("group " + group + " has an inconsistent protocol: " + e.getMessage());
        }
        ChannelStats stats = new ChannelStats();
        CorbaTransport transport = new CorbaTransport(orb, poa, manager, group, new SendQueue.Limits(options.sendQueue,
                options.maxBatch, options.sendQueueBytes, REPLY_TIMEOUT_MS), stats,
                servers.size() > 1 ? this::serversFromCurrent : null); // one server: nowhere to move
        InlineDelivery inline = options.listener != null && options.inline
                ? new InlineDelivery(options.listener, options.deliveryCapacity) : null;
        if (inline != null && readerDispatch != null && !inlineOffReaders) {
            readerDispatch.targetsExist();
            transport.dispatchOnReaderThread();
        }
        Handoff handoff = new Handoff(options.deliveryCapacity, inline);
        ProtocolStack stack = ProtocolStack.builder()
                .add(transport)
                .add(new HeartbeatLayer(group))
                .addIf(options.sequencer, SequencerLayer::new)
                .add(new TotalOrderLayer(options.holdBackLimit, protocol, impliedOrder))
                .add(new DestinationFilterLayer(options.selfDiscard, protocol))
                .addIf(protocol.hasQueries(), CorrelationLayer::new)
                .addIf(protocol.hasTurns(), () -> new TurnLayer(protocol))
                .add(new StateTransferLayer(options.requestState, options.stateFromRole, options.stateTimeoutMillis,
                        options.deliveryCapacity))
                .add(new DeliveryLayer(group, handoff, options.deliveryTimeoutMillis))
                .build();
        return new Member(transport, stack, handoff, stats, protocol, inline);
    }

    /**
     * The group's descriptor, asked again for a while as long as the answer is TRANSIENT: in a
     * cluster, while the group's shard elects a leader.
     */
    private static org.troupe.idl.Groups.GroupDescriptor descriptorOf(GroupManager manager) {
        long deadline = System.nanoTime() + REPLY_TIMEOUT_MS * 1_000_000L;
        while (true) {
            try {
                return manager.descriptor();
            } catch (org.omg.CORBA.TRANSIENT e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException i) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The servers, starting with the one that answered last. */
    private List<String> serversFromCurrent() {
        List<String> out = new ArrayList<>(servers.size());
        int c = current;
        for (int i = 0; i < servers.size(); i++) {
            out.add(servers.get((c + i) % servers.size()));
        }
        return out;
    }

    private static TroupeException unknownGroup(String group) {
        return new TroupeException("unknown group '" + group + "'");
    }

    /** One sentence for a call that no server took: where it went, and what to check. */
    private TroupeException unreachable(org.omg.CORBA.SystemException e) {
        String where = String.join(", ", servers.stream().map(s -> s.replaceFirst("^corbaloc:(iiop:|ssliop:1\\.2@)", ""))
                .toList());
        String what = e.getClass().getSimpleName();
        if (e instanceof org.omg.CORBA.TRANSIENT || e instanceof org.omg.CORBA.COMM_FAILURE
                || e instanceof org.omg.CORBA.NO_PERMISSION) {
            String tlsWhy = explainUnreachable(); // TLS missing on one side, an untrusted certificate ...
            if (tlsWhy != null) {
                return new TroupeException(tlsWhy, e);
            }
        }
        if (e instanceof org.omg.CORBA.TRANSIENT || e instanceof org.omg.CORBA.COMM_FAILURE) {
            return new TroupeException("cannot reach the Troupe server at " + where + " (" + what
                    + "): is 'troupe server' running there, and is the address right?", e);
        }
        if (e instanceof org.omg.CORBA.TIMEOUT) {
            return new TroupeException("the Troupe server at " + where + " did not answer within " + REPLY_TIMEOUT_MS
                    + " ms (TIMEOUT): it may be overloaded or stopped", e);
        }
        String detail = e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage();
        return new TroupeException("the Troupe server at " + where + " refused the call (" + what + detail + ")", e);
    }

    /** Leaves every group joined through this connection and shuts its ORB down. Idempotent. */
    @Override
    public void close() {
        List<Group> all;
        synchronized (groups) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(groups);
            groups.clear();
        }
        Thread hook = exitHook;
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook); // closed before the exit: nothing left to do then
            } catch (IllegalStateException e) {
                // the JVM is exiting: this is the hook's own close
            }
        }
        for (Group g : all) {
            g.leave();
        }
        orb.shutdown(false);
    }

    /**
     * Closes this connection when the JVM exits (Ctrl-C, SIGTERM, the end of {@code main}), so
     * that its members leave their groups and the others see them leave, not crash. The exit
     * waits for that at most {@code atMost}; a connection already closed costs nothing.
     *
     * @return this connection
     */
    public Troupe closeOnExit(java.time.Duration atMost) {
        Thread hook = new Thread(() -> {
            Thread closing = new Thread(this::close, "troupe-close-on-exit");
            closing.setDaemon(true);
            closing.start();
            try {
                closing.join(Math.max(1, atMost.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "troupe-exit");
        synchronized (groups) {
            if (closed || exitHook != null) {
                return this;
            }
            exitHook = hook;
        }
        Runtime.getRuntime().addShutdownHook(hook);
        return this;
    }
}
