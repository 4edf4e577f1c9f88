package org.troupe.conformance.client;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.omg.CORBA.Any;
import org.omg.CORBA.BAD_PARAM;
import org.omg.CORBA.BooleanHolder;
import org.omg.CORBA.OBJECT_NOT_EXIST;
import org.omg.CORBA.ORB;
import org.omg.CORBA.SystemException;
import org.omg.CORBA.TCKind;
import org.omg.CORBA.UserException;
import org.omg.CosEventChannelAdmin.AlreadyConnected;
import org.omg.CosEventChannelAdmin.ConsumerAdmin;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.omg.CosEventChannelAdmin.EventChannelHelper;
import org.omg.CosEventChannelAdmin.ProxyPullConsumer;
import org.omg.CosEventChannelAdmin.ProxyPullSupplier;
import org.omg.CosEventChannelAdmin.ProxyPushConsumer;
import org.omg.CosEventChannelAdmin.ProxyPushSupplier;
import org.omg.CosEventChannelAdmin.SupplierAdmin;
import org.omg.CosEventChannelAdmin.TypeError;
import org.omg.CosEventComm.Disconnected;
import org.omg.CosEventComm.PullConsumer;
import org.omg.CosEventComm.PullConsumerHelper;
import org.omg.CosEventComm.PullConsumerPOA;
import org.omg.CosEventComm.PullSupplier;
import org.omg.CosEventComm.PullSupplierHelper;
import org.omg.CosEventComm.PullSupplierPOA;
import org.omg.CosEventComm.PushConsumer;
import org.omg.CosEventComm.PushConsumerHelper;
import org.omg.CosEventComm.PushConsumerPOA;
import org.omg.CosEventComm.PushSupplier;
import org.omg.CosEventComm.PushSupplierHelper;
import org.omg.CosEventComm.PushSupplierPOA;
import org.omg.CosNaming.NamingContextExt;
import org.omg.CosNaming.NamingContextExtHelper;
import org.omg.CosNaming.NamingContextPackage.NotFound;
import org.omg.PortableServer.POA;
import org.omg.PortableServer.POAHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-alone OMG CosEvent conformance client. It uses nothing but the standard OMG stubs
 * (CORBA, PortableServer, CosEventComm, CosEventChannelAdmin, CosNaming) and the JacORB ORB, so it checks
 * what any CORBA client of any vendor would see; it must never use a Troupe class.
 *
 * <p>Arguments: {@code CHECK=URL} for every check in {@link #CHECKS} (the corbaloc URL or
 * corbaname of the channel that check may use, and destroy), plus {@code naming.CHECK=CORBANAME}
 * for the checks in {@link #NAMING_CHECKS}. Output on stdout, one line per check, in order:
 * {@code PASS name} or {@code FAIL name reason}; then {@code DONE}. Exit status 0 if every check
 * passed, 1 if any failed, 2 if the client could not start.
 */
public final class CosEventConformanceClient {
    private static final Logger LOG = LoggerFactory.getLogger(CosEventConformanceClient.class);

    /** How long a call-back or an event may take to arrive. */
    static final long WAIT_MS = 5_000;
    /** How long a check may take in all before it is reported as hung. */
    static final long CHECK_LIMIT_MS = 30_000;
    /** How long we watch to prove that a blocking pull does not return (the only sleep). */
    static final long STILL_BLOCKED_MS = 300;
    static final int FIFO_EVENTS = 500;

    /** The checks, in the order they run. Each gets a channel of its own, named like the check. */
    public static final List<String> CHECKS = List.of(
            // finding the channel
            "resolve_corbaloc",
            "resolve_corbaname",
            // the four push/pull combinations
            "push_to_push",
            "push_to_pull",
            "pull_to_push",
            "pull_to_pull",
            "nil_clients_accepted",
            // connect errors
            "already_connected_proxy_push_consumer",
            "already_connected_proxy_pull_consumer",
            "already_connected_proxy_push_supplier",
            "already_connected_proxy_pull_supplier",
            "bad_param_nil_push_consumer",
            "bad_param_nil_pull_supplier",
            "type_error_push_consumer",
            "type_error_pull_supplier",
            "push_before_connect_raises_disconnected",
            "pull_before_connect_raises_disconnected",
            "try_pull_before_connect_raises_disconnected",
            // disconnect call-backs and disposal
            "consumer_disconnect_push_calls_back",
            "consumer_disconnect_pull_calls_back",
            "supplier_disconnect_push_calls_back",
            "supplier_disconnect_push_nil_supplier",
            "supplier_disconnect_pull_calls_back",
            "disposed_proxy_push_supplier",
            "disposed_proxy_pull_supplier",
            "disposed_proxy_push_consumer",
            "disposed_proxy_pull_consumer",
            "disconnect_before_connect_disposes",
            // pull semantics
            "pull_blocks_until_event",
            "try_pull_never_blocks",
            "blocked_pull_returns_on_disconnect",
            "blocked_pull_returns_on_destroy",
            // destroy
            "destroy_tells_every_client",
            "destroy_disposes_everything",
            // order
            "fifo_two_push_suppliers",
            "fifo_two_pull_suppliers",
            // bad input; the server must go on serving
            "bad_input_empty_any",
            "bad_input_void_any",
            "bad_input_connect_twice",
            "bad_input_call_after_disconnect",
            "bad_input_destroy_in_use",
            "bad_input_server_still_serves");

    /** Checks that also need the channel's corbaname, passed as {@code naming.CHECK=URL}. */
    public static final Set<String> NAMING_CHECKS = Set.of("resolve_corbaname", "destroy_disposes_everything");

    private final Map<String, String> urls;
    private final ORB orb;
    private final POA poa;
    private final Map<String, Body> bodies = new LinkedHashMap<>();

    /** One check: fails by throwing. */
    @FunctionalInterface
    interface Body {
        void run(Scope s) throws Exception;
    }

    /** A check's failure, with the reason to print. */
    static final class CheckFailed extends Exception {
        private static final long serialVersionUID = 1L;

        CheckFailed(String reason) {
            super(reason);
        }
    }

    /** A call that may throw anything (CORBA user and system exceptions). */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    CosEventConformanceClient(Map<String, String> urls) throws Exception {
        this.urls = urls;
        Properties p = new Properties();
        p.setProperty("org.omg.CORBA.ORBClass", "org.jacorb.orb.ORB");
        p.setProperty("org.omg.CORBA.ORBSingletonClass", "org.jacorb.orb.ORBSingleton");
        p.setProperty("OAIAddr", "127.0.0.1");
        p.setProperty("jacorb.connection.client.pending_reply_timeout", "10000");
        p.setProperty("jacorb.connection.client.connect_timeout", "3000");
        p.setProperty("jacorb.iiop.enable_loopback", "off");
        p.setProperty("jacorb.retries", "0");
        p.setProperty("jacorb.poa.queue_wait", "on");
        p.setProperty("jacorb.poa.queue_max", "10000");
        this.orb = ORB.init(new String[0], p);
        this.poa = POAHelper.narrow(orb.resolve_initial_references("RootPOA"));
        poa.the_POAManager().activate();
        define();
        if (!bodies.keySet().equals(new java.util.LinkedHashSet<>(CHECKS))) {
            throw new IllegalStateException("check list and check bodies differ");
        }
    }

    public static void main(String[] args) {
        // end with the test JVM that started us, so a killed test run leaves no orphans
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
        Map<String, String> urls = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                System.out.println("FAIL client_arguments not KEY=URL: " + a);
                System.out.println("DONE");
                System.exit(2);
            }
            urls.put(a.substring(0, eq), a.substring(eq + 1));
        }
        int status;
        CosEventConformanceClient client = null;
        try {
            client = new CosEventConformanceClient(urls);
            status = client.runAll(System.out) ? 0 : 1;
        } catch (Exception e) {
            LOG.error("conformance client could not start", e);
            System.out.println("FAIL client_start " + oneLine(e.toString()));
            System.out.println("DONE");
            status = 2;
        } finally {
            if (client != null) {
                client.orb.shutdown(false);
            }
        }
        System.out.flush();
        System.exit(status);
    }

    /** Runs every check in order; returns true if all passed. */
    boolean runAll(PrintStream out) {
        ExecutorService runner = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "check");
            t.setDaemon(true);
            return t;
        });
        boolean allPassed = true;
        try {
            for (String name : CHECKS) {
                String failure = runOne(runner, name);
                if (failure == null) {
                    out.println("PASS " + name);
                } else {
                    allPassed = false;
                    out.println("FAIL " + name + " " + oneLine(failure));
                }
                out.flush();
            }
        } finally {
            runner.shutdownNow();
        }
        out.println("DONE");
        out.flush();
        return allPassed;
    }

    /** Runs one check with a time limit; returns null on success, else the reason. */
    private String runOne(ExecutorService runner, String name) {
        String url = urls.get(name);
        if (url == null) {
            return "no channel URL given (argument " + name + "=URL)";
        }
        long t0 = System.nanoTime();
        Future<String> f = runner.submit(() -> {
            Scope s = new Scope(name, url);
            try {
                bodies.get(name).run(s);
                return null;
            } catch (CheckFailed e) {
                return e.getMessage();
            } catch (Exception e) {
                LOG.warn("check {} failed with an unexpected exception", name, e);
                return "unexpected " + describe(e);
            } finally {
                s.close();
            }
        });
        try {
            String r = f.get(CHECK_LIMIT_MS, TimeUnit.MILLISECONDS);
            LOG.debug("check {} took {} ms", name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            return r;
        } catch (TimeoutException e) {
            f.cancel(true);
            return "did not finish within " + CHECK_LIMIT_MS + " ms (hung)";
        } catch (ExecutionException e) {
            return "unexpected " + describe(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    // ------------------------------------------------------------------------------------------
    // The checks
    // ------------------------------------------------------------------------------------------

    private void define() {
        bodies.put("resolve_corbaloc", s -> {
            EventChannel ch = s.channel();
            if (ch._non_existent()) {
                throw fail("the channel at " + s.url + " says it does not exist");
            }
            if (ch.for_consumers() == null || ch.for_suppliers() == null) {
                throw fail("for_consumers / for_suppliers returned nil");
            }
        });

        bodies.put("resolve_corbaname", s -> {
            String corbaname = urls.get("naming." + s.name);
            if (corbaname == null) {
                throw fail("no corbaname given (argument naming." + s.name + "=URL)");
            }
            EventChannel byName = EventChannelHelper.narrow(orb.string_to_object(corbaname));
            if (byName == null) {
                throw fail(corbaname + " resolved to nil");
            }
            // push through the reference from naming, receive through the corbaloc one
            PushConsumerImpl c = new PushConsumerImpl();
            s.pushConsumer(s.channel(), c);
            ProxyPushConsumer ppc = s.pushSupplier(byName, null);
            Any e = text("via corbaname");
            ppc.push(e);
            expectEvents(c, List.of(e));
        });

        bodies.put("push_to_push", s -> {
            EventChannel ch = s.channel();
            PushConsumerImpl c = new PushConsumerImpl();
            s.pushConsumer(ch, c);
            ProxyPushConsumer ppc = s.pushSupplier(ch, new PushSupplierImpl());
            List<Any> sent = mixedEvents(20);
            for (Any e : sent) {
                ppc.push(e);
            }
            expectEvents(c, sent);
        });

        bodies.put("push_to_pull", s -> {
            EventChannel ch = s.channel();
            ProxyPullSupplier pls = s.pullConsumer(ch, new PullConsumerImpl());
            ProxyPushConsumer ppc = s.pushSupplier(ch, new PushSupplierImpl());
            List<Any> sent = mixedEvents(10);
            for (Any e : sent) {
                ppc.push(e);
            }
            List<Any> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                got.add(pls.pull());
            }
            got.addAll(tryPullN(pls, 5));
            compareEvents(sent, got);
        });

        bodies.put("pull_to_push", s -> {
            EventChannel ch = s.channel();
            PushConsumerImpl c = new PushConsumerImpl();
            s.pushConsumer(ch, c);
            PullSupplierImpl sup = new PullSupplierImpl();
            List<Any> sent = mixedEvents(20);
            sup.offer(sent);
            s.pullSupplier(ch, sup);
            expectEvents(c, sent);
        });

        bodies.put("pull_to_pull", s -> {
            EventChannel ch = s.channel();
            ProxyPullSupplier pls = s.pullConsumer(ch, new PullConsumerImpl());
            PullSupplierImpl sup = new PullSupplierImpl();
            List<Any> sent = mixedEvents(10);
            sup.offer(sent);
            s.pullSupplier(ch, sup);
            List<Any> got = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                got.add(pullWithin(pls, WAIT_MS));
            }
            compareEvents(sent, got);
        });

        bodies.put("nil_clients_accepted", s -> {
            // CosEvent allows a nil supplier in connect_push_supplier and a nil consumer in
            // connect_pull_consumer: those clients just are not told about disconnects.
            EventChannel ch = s.channel();
            ProxyPullSupplier pls = ch.for_consumers().obtain_pull_supplier();
            s.onClose(pls::disconnect_pull_supplier);
            pls.connect_pull_consumer(null);
            ProxyPushConsumer ppc = ch.for_suppliers().obtain_push_consumer();
            s.onClose(ppc::disconnect_push_consumer);
            ppc.connect_push_supplier(null);
            Any e = text("nil clients");
            ppc.push(e);
            compareEvents(List.of(e), List.of(pullWithin(pls, WAIT_MS)));
            ppc.disconnect_push_consumer();
            pls.disconnect_pull_supplier();
        });

        bodies.put("already_connected_proxy_push_consumer", s -> {
            EventChannel ch = s.channel();
            PushConsumerImpl c = new PushConsumerImpl();
            s.pushConsumer(ch, c);
            ProxyPushConsumer ppc = s.pushSupplier(ch, new PushSupplierImpl());
            expectUser("second connect_push_supplier", AlreadyConnected.class,
                    () -> ppc.connect_push_supplier(ref(new PushSupplierImpl())));
            Any e = text("still connected");
            ppc.push(e);
            expectEvents(c, List.of(e));
        });

        bodies.put("already_connected_proxy_pull_consumer", s -> {
            EventChannel ch = s.channel();
            PushConsumerImpl c = new PushConsumerImpl();
            s.pushConsumer(ch, c);
            PullSupplierImpl sup = new PullSupplierImpl();
            ProxyPullConsumer plc = s.pullSupplier(ch, sup);
            expectUser("second connect_pull_supplier", AlreadyConnected.class,
                    () -> plc.connect_pull_supplier(ref(new PullSupplierImpl())));
            Any e = text("still connected");
            sup.offer(List.of(e));
            expectEvents(c, List.of(e));
        });

        bodies.put("already_connected_proxy_push_supplier", s -> {
            EventChannel ch = s.channel();
            PushConsumerImpl c = new PushConsumerImpl();
            ProxyPushSupplier pps = s.pushConsumer(ch, c);
            expectUser("second connect_push_consumer", AlreadyConnected.class,
                    () -> pps.connect_push_consumer(ref(new PushConsumerImpl())));
            ProxyPushConsumer ppc = s.pushSupplier(ch, null);
            Any e = text("still connected");
            ppc.push(e);
            expectEvents(c, List.of(e));
        });

        bodies.put("already_connected_proxy_pull_supplier", s -> {
            EventChannel ch = s.channel();
            ProxyPullSupplier pls = s.pullConsumer(ch, new PullConsumerImpl());
            expectUser("second connect_pull_consumer", AlreadyConnected.class,
                    () -> pls.connect_pull_consumer(ref(new PullConsumerImpl())));
            ProxyPushConsumer ppc = s.pushSupplier(ch, null);
            Any e = text("still connected");
            ppc.push(e);
            compareEvents(List.of(e), List.of(pullWithin(pls, WAIT_MS)));
        });

        bodies.put("bad_param_nil_push_consumer", s -> {
            EventChannel ch = s.channel();
            ProxyPushSupplier pps = ch.for_consumers().obtain_push_supplier();
            s.onClose(pps::disconnect_push_supplier);
            expectSystem("connect_push_consumer(nil)", BAD_PARAM.class, () -> pps.connect_push_consumer(null));
            // the refused call left the proxy as it was: it can still be connected
            PushConsumerImpl c = new PushConsumerImpl();
            pps.connect_push_consumer(ref(c));
            ProxyPushConsumer ppc = s.pushSupplier(ch, null);
            Any e = text("after BAD_PARAM");
            ppc.push(e);
            expectEvents(c, List.of(e));
        });

        bodies.put("bad_param_nil_pull_supplier", s -> {
            EventChannel ch = s.channel();
            ProxyPullConsumer plc = ch.for_suppliers().obtain_pull_consumer();
            s.onClose(plc::disconnect_pull_consumer);
            expectSystem("connect_pull_supplier(nil)", BAD_PARAM.class, () -> plc.connect_pull_supplier(null));
            PushConsumerImpl c = new PushConsumerImpl();
            s.pushConsumer(ch, c);
            PullSupplierImpl sup = new PullSupplierImpl();
            Any e = text("after BAD_PARAM");
            sup.offer(List.of(e));
            plc.connect_pull_supplier(ref(sup));
            expectEvents(c, List.of(e));
        });

        bodies.put("type_error_push_consumer", s -> {
            EventChannel ch = s.channel();
            ProxyPushSupplier pps = ch.for_consumers().obtain_push_supplier();
            s.onClose(pps::disconnect_push_supplier);
            // a PullConsumer passed off as a PushConsumer
            PushConsumer impostor = PushConsumerHelper.unchecked_narrow(poa.servant_to_reference(new PullConsumerImpl()));
            expectUser("connect_push_consumer(a PullConsumer)", TypeError.class,
                    () -> pps.connect_push_consumer(impostor));
            PushConsumerImpl c = new PushConsumerImpl();
            pps.connect_push_consumer(ref(c));
            ProxyPushConsumer ppc = s.pushSupplier(ch, null);
            Any e = text("after TypeError");
            ppc.push(e);
            expectEvents(c, List.of(e));
        });

        bodies.put("type_error_pull_supplier", s -> {
            EventChannel ch = s.channel();
            ProxyPullConsumer plc = ch.for_suppliers().obtain_pull_consumer();
            s.onClose(plc::disconnect_pull_consumer);
            // a PushSupplier passed off as a PullSupplier
            PullSupplier impostor = PullSupplierHelper.unchecked_narrow(poa.servant_to_reference(new PushSupplierImpl()));
            expectUser("connect_pull_supplier(a PushSupplier)", TypeError.class,
                    () -> plc.connect_pull_supplier(impostor));
            PushConsumerImpl c = new PushConsumerImpl();
            s.pushConsumer(ch, c);
            PullSupplierImpl sup = new PullSupplierImpl();
            Any e = text("after TypeError");
            sup.offer(List.of(e));
            plc.connect_pull_supplier(ref(sup));
            expectEvents(c, List.of(e));
        });

        bodies.put("push_before_connect_raises_disconnected", s -> {
            EventChannel ch = s.channel();
            PushConsumerImpl c = new PushConsumerImpl();
            s.pushConsumer(ch, c);
            ProxyPushConsumer ppc = ch.for_suppliers().obtain_push_consumer();
            s.onClose(ppc::disconnect_push_consumer);
            expectUser("push before connect_push_supplier", Disconnected.class, () -> ppc.push(text("too early")));
            ppc.connect_push_supplier(null);
            Any e = text("after connect");
            ppc.push(e);
            expectEvents(c, List.of(e)); // and not the early one
        });

        bodies.put("pull_before_connect_raises_disconnected", s -> {
            ProxyPullSupplier pls = s.channel().for_consumers().obtain_pull_supplier();
            s.onClose(pls::disconnect_pull_supplier);
            expectUser("pull before connect_pull_consumer", Disconnected.class, pls::pull);
        });

        bodies.put("try_pull_before_connect_raises_disconnected", s -> {
            ProxyPullSupplier pls = s.channel().for_consumers().obtain_pull_supplier();
            s.onClose(pls::disconnect_pull_supplier);
            expectUser("try_pull before connect_pull_consumer", Disconnected.class,
                    () -> pls.try_pull(new BooleanHolder()));
        });

        bodies.put("consumer_disconnect_push_calls_back", s -> {
            PushConsumerImpl c = new PushConsumerImpl();
            ProxyPushSupplier pps = s.pushConsumer(s.channel(), c);
            pps.disconnect_push_supplier();
            awaitLatch(c.disconnected, "the channel to call disconnect_push_consumer on the consumer");
        });

        bodies.put("consumer_disconnect_pull_calls_back", s -> {
            PullConsumerImpl c = new PullConsumerImpl();
            ProxyPullSupplier pls = s.pullConsumer(s.channel(), c);
            pls.disconnect_pull_supplier();
            awaitLatch(c.disconnected, "the channel to call disconnect_pull_consumer on the consumer");
        });

        bodies.put("supplier_disconnect_push_calls_back", s -> {
            PushSupplierImpl sup = new PushSupplierImpl();
            ProxyPushConsumer ppc = s.pushSupplier(s.channel(), sup);
            ppc.disconnect_push_consumer();
            awaitLatch(sup.disconnected, "the channel to call disconnect_push_supplier on the supplier");
        });

        bodies.put("supplier_disconnect_push_nil_supplier", s -> {
            ProxyPushConsumer ppc = s.pushSupplier(s.channel(), null);
            ppc.disconnect_push_consumer(); // nobody to tell; must not fail
            expectSystem("push after disconnect_push_consumer", OBJECT_NOT_EXIST.class, () -> ppc.push(text("late")));
        });

        bodies.put("supplier_disconnect_pull_calls_back", s -> {
            PullSupplierImpl sup = new PullSupplierImpl();
            ProxyPullConsumer plc = s.pullSupplier(s.channel(), sup);
            plc.disconnect_pull_consumer();
            awaitLatch(sup.disconnected, "the channel to call disconnect_pull_supplier on the supplier");
        });

        bodies.put("disposed_proxy_push_supplier", s -> {
            ProxyPushSupplier pps = s.pushConsumer(s.channel(), new PushConsumerImpl());
            pps.disconnect_push_supplier();
            expectSystem("connect_push_consumer after disconnect", OBJECT_NOT_EXIST.class,
                    () -> pps.connect_push_consumer(ref(new PushConsumerImpl())));
            expectSystem("disconnect_push_supplier again", OBJECT_NOT_EXIST.class, pps::disconnect_push_supplier);
            expectNonExistent(pps);
        });

        bodies.put("disposed_proxy_pull_supplier", s -> {
            ProxyPullSupplier pls = s.pullConsumer(s.channel(), new PullConsumerImpl());
            pls.disconnect_pull_supplier();
            expectSystem("pull after disconnect", OBJECT_NOT_EXIST.class, pls::pull);
            expectSystem("try_pull after disconnect", OBJECT_NOT_EXIST.class, () -> pls.try_pull(new BooleanHolder()));
            expectSystem("connect_pull_consumer after disconnect", OBJECT_NOT_EXIST.class,
                    () -> pls.connect_pull_consumer(ref(new PullConsumerImpl())));
            expectSystem("disconnect_pull_supplier again", OBJECT_NOT_EXIST.class, pls::disconnect_pull_supplier);
            expectNonExistent(pls);
        });

        bodies.put("disposed_proxy_push_consumer", s -> {
            ProxyPushConsumer ppc = s.pushSupplier(s.channel(), new PushSupplierImpl());
            ppc.disconnect_push_consumer();
            expectSystem("push after disconnect", OBJECT_NOT_EXIST.class, () -> ppc.push(text("late")));
            expectSystem("connect_push_supplier after disconnect", OBJECT_NOT_EXIST.class,
                    () -> ppc.connect_push_supplier(ref(new PushSupplierImpl())));
            expectSystem("disconnect_push_consumer again", OBJECT_NOT_EXIST.class, ppc::disconnect_push_consumer);
            expectNonExistent(ppc);
        });

        bodies.put("disposed_proxy_pull_consumer", s -> {
            ProxyPullConsumer plc = s.pullSupplier(s.channel(), new PullSupplierImpl());
            plc.disconnect_pull_consumer();
            expectSystem("connect_pull_supplier after disconnect", OBJECT_NOT_EXIST.class,
                    () -> plc.connect_pull_supplier(ref(new PullSupplierImpl())));
            expectSystem("disconnect_pull_consumer again", OBJECT_NOT_EXIST.class, plc::disconnect_pull_consumer);
            expectNonExistent(plc);
        });

        bodies.put("disconnect_before_connect_disposes", s -> {
            EventChannel ch = s.channel();
            ConsumerAdmin ca = ch.for_consumers();
            SupplierAdmin sa = ch.for_suppliers();
            ProxyPushSupplier pps = ca.obtain_push_supplier();
            ProxyPullSupplier pls = ca.obtain_pull_supplier();
            ProxyPushConsumer ppc = sa.obtain_push_consumer();
            ProxyPullConsumer plc = sa.obtain_pull_consumer();
            pps.disconnect_push_supplier();
            pls.disconnect_pull_supplier();
            ppc.disconnect_push_consumer();
            plc.disconnect_pull_consumer();
            expectSystem("connect_push_consumer on a disconnected, never connected proxy", OBJECT_NOT_EXIST.class,
                    () -> pps.connect_push_consumer(ref(new PushConsumerImpl())));
            expectSystem("connect_pull_consumer on a disconnected, never connected proxy", OBJECT_NOT_EXIST.class,
                    () -> pls.connect_pull_consumer(null));
            expectSystem("connect_push_supplier on a disconnected, never connected proxy", OBJECT_NOT_EXIST.class,
                    () -> ppc.connect_push_supplier(null));
            expectSystem("connect_pull_supplier on a disconnected, never connected proxy", OBJECT_NOT_EXIST.class,
                    () -> plc.connect_pull_supplier(ref(new PullSupplierImpl())));
        });

        bodies.put("pull_blocks_until_event", s -> {
            EventChannel ch = s.channel();
            ProxyPullSupplier pls = s.pullConsumer(ch, new PullConsumerImpl());
            ProxyPushConsumer ppc = s.pushSupplier(ch, null);
            BlockedPull bp = BlockedPull.start(pls);
            if (bp.returnedWithin(STILL_BLOCKED_MS)) {
                throw fail("pull on an empty channel returned at once: " + bp.outcome());
            }
            Any e = text("late event");
            Thread pusher = new Thread(() -> {
                try {
                    ppc.push(e);
                } catch (Exception ex) {
                    LOG.warn("push from the second thread failed", ex);
                }
            }, "late-pusher");
            pusher.setDaemon(true);
            pusher.start();
            if (!bp.returnedWithin(WAIT_MS)) {
                throw fail("pull still blocked " + WAIT_MS + " ms after an event was pushed");
            }
            if (bp.error.get() != null) {
                throw fail("pull raised " + describe(bp.error.get()));
            }
            compareEvents(List.of(e), List.of(bp.result.get()));
        });

        bodies.put("try_pull_never_blocks", s -> {
            EventChannel ch = s.channel();
            ProxyPullSupplier pls = s.pullConsumer(ch, null);
            for (int i = 0; i < 3; i++) {
                BooleanHolder has = new BooleanHolder(true);
                long t0 = System.nanoTime();
                pls.try_pull(has);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                if (has.value) {
                    throw fail("try_pull on an empty channel said has_event=true");
                }
                if (ms > 1000) {
                    throw fail("try_pull on an empty channel took " + ms + " ms");
                }
            }
            ProxyPushConsumer ppc = s.pushSupplier(ch, null);
            Any e = text("for try_pull");
            ppc.push(e);
            compareEvents(List.of(e), tryPullN(pls, 1));
            BooleanHolder has = new BooleanHolder(true);
            pls.try_pull(has);
            if (has.value) {
                throw fail("try_pull said has_event=true after the only event was taken");
            }
        });

        bodies.put("blocked_pull_returns_on_disconnect", s -> {
            PullConsumerImpl c = new PullConsumerImpl();
            ProxyPullSupplier pls = s.pullConsumer(s.channel(), c);
            BlockedPull bp = BlockedPull.start(pls);
            if (bp.returnedWithin(STILL_BLOCKED_MS)) {
                throw fail("pull on an empty channel returned at once: " + bp.outcome());
            }
            pls.disconnect_pull_supplier();
            expectEndedByDisconnect(bp, "disconnect_pull_supplier");
            awaitLatch(c.disconnected, "disconnect_pull_consumer call-back");
        });

        bodies.put("blocked_pull_returns_on_destroy", s -> {
            EventChannel ch = s.channel();
            PullConsumerImpl c = new PullConsumerImpl();
            ProxyPullSupplier pls = s.pullConsumer(ch, c);
            BlockedPull bp = BlockedPull.start(pls);
            if (bp.returnedWithin(STILL_BLOCKED_MS)) {
                throw fail("pull on an empty channel returned at once: " + bp.outcome());
            }
            ch.destroy();
            expectEndedByDisconnect(bp, "destroy");
            awaitLatch(c.disconnected, "disconnect_pull_consumer call-back");
        });

        bodies.put("destroy_tells_every_client", s -> {
            EventChannel ch = s.channel();
            PushConsumerImpl pushC = new PushConsumerImpl();
            PullConsumerImpl pullC = new PullConsumerImpl();
            PushSupplierImpl pushS = new PushSupplierImpl();
            PullSupplierImpl pullS = new PullSupplierImpl();
            s.pushConsumer(ch, pushC);
            s.pullConsumer(ch, pullC);
            s.pushSupplier(ch, pushS);
            s.pullSupplier(ch, pullS);
            ch.destroy();
            List<String> missing = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
            waitUntil(pushC.disconnected, deadline, "push consumer (disconnect_push_consumer)", missing);
            waitUntil(pullC.disconnected, deadline, "pull consumer (disconnect_pull_consumer)", missing);
            waitUntil(pushS.disconnected, deadline, "push supplier (disconnect_push_supplier)", missing);
            waitUntil(pullS.disconnected, deadline, "pull supplier (disconnect_pull_supplier)", missing);
            if (!missing.isEmpty()) {
                throw fail("after destroy, not told within " + WAIT_MS + " ms: " + String.join(", ", missing));
            }
        });

        bodies.put("destroy_disposes_everything", s -> {
            EventChannel ch = s.channel();
            ConsumerAdmin ca = ch.for_consumers();
            SupplierAdmin sa = ch.for_suppliers();
            ProxyPushSupplier pps = s.pushConsumer(ch, new PushConsumerImpl());
            ProxyPullSupplier pls = s.pullConsumer(ch, new PullConsumerImpl());
            ProxyPushConsumer ppc = s.pushSupplier(ch, new PushSupplierImpl());
            ProxyPullConsumer plc = s.pullSupplier(ch, new PullSupplierImpl());
            ProxyPushConsumer idle = sa.obtain_push_consumer(); // obtained, never connected
            ch.destroy();
            List<String> wrong = new ArrayList<>();
            collect(wrong, "push on the proxy push consumer", () -> ppc.push(text("after destroy")));
            collect(wrong, "try_pull on the proxy pull supplier", () -> pls.try_pull(new BooleanHolder()));
            collect(wrong, "pull on the proxy pull supplier", pls::pull);
            collect(wrong, "disconnect_push_supplier", pps::disconnect_push_supplier);
            collect(wrong, "disconnect_pull_consumer", plc::disconnect_pull_consumer);
            collect(wrong, "connect_push_supplier on a never connected proxy", () -> idle.connect_push_supplier(null));
            collect(wrong, "for_consumers", ch::for_consumers);
            collect(wrong, "for_suppliers", ch::for_suppliers);
            collect(wrong, "destroy again", ch::destroy);
            collect(wrong, "ConsumerAdmin.obtain_push_supplier", ca::obtain_push_supplier);
            collect(wrong, "SupplierAdmin.obtain_pull_consumer", sa::obtain_pull_consumer);
            collect(wrong, "for_suppliers on a freshly resolved " + s.url, () -> s.channel().for_suppliers());
            String corbaname = urls.get("naming." + s.name);
            if (corbaname == null) {
                wrong.add("no corbaname given (argument naming." + s.name + "=URL)");
            } else {
                // the channel must be gone from naming too (asked through CosNaming, not
                // string_to_object, which logs an ERROR for a name that does not resolve)
                int hash = corbaname.indexOf('#');
                String naming = corbaname.substring(0, hash).replaceFirst("^corbaname:", "corbaloc:") + "/NameService";
                String path = corbaname.substring(hash + 1);
                NamingContextExt ctx = NamingContextExtHelper.narrow(orb.string_to_object(naming));
                try {
                    org.omg.CORBA.Object o = ctx.resolve_str(path);
                    wrong.add(path + " is still bound in the naming service");
                    collect(wrong, "for_suppliers on what " + path + " resolves to",
                            () -> EventChannelHelper.unchecked_narrow(o).for_suppliers());
                } catch (NotFound e) {
                    LOG.debug("{} is no longer bound", path);
                }
            }
            if (!wrong.isEmpty()) {
                throw fail("after destroy, expected OBJECT_NOT_EXIST from every call: " + String.join("; ", wrong));
            }
        });

        bodies.put("fifo_two_push_suppliers", s -> {
            EventChannel ch = s.channel();
            Fanout f = Fanout.connect(s, ch);
            ProxyPushConsumer a = s.pushSupplier(ch, null);
            ProxyPushConsumer b = s.pushSupplier(ch, null);
            List<Thread> pushers = new ArrayList<>();
            AtomicReference<Throwable> pushError = new AtomicReference<>();
            for (Object[] sup : new Object[][] {{"A", a}, {"B", b}}) {
                String tag = (String) sup[0];
                ProxyPushConsumer target = (ProxyPushConsumer) sup[1];
                Thread t = new Thread(() -> {
                    try {
                        for (int i = 0; i < FIFO_EVENTS; i++) {
                            target.push(text(tag + ":" + i));
                        }
                    } catch (Exception | Error e) {
                        pushError.compareAndSet(null, e);
                    }
                }, "pusher-" + tag);
                t.setDaemon(true);
                t.start();
                pushers.add(t);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (Thread t : pushers) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (t.isAlive()) {
                    throw fail(t.getName() + " did not finish pushing within 20 s");
                }
            }
            if (pushError.get() != null) {
                throw fail("a push failed: " + describe(pushError.get()));
            }
            f.verify(deadline, List.of("A", "B"));
        });

        bodies.put("fifo_two_pull_suppliers", s -> {
            EventChannel ch = s.channel();
            Fanout f = Fanout.connect(s, ch);
            PullSupplierImpl a = new PullSupplierImpl();
            PullSupplierImpl b = new PullSupplierImpl();
            List<Any> evA = new ArrayList<>();
            List<Any> evB = new ArrayList<>();
            for (int i = 0; i < FIFO_EVENTS; i++) {
                evA.add(text("A:" + i));
                evB.add(text("B:" + i));
            }
            a.offer(evA);
            b.offer(evB);
            s.pullSupplier(ch, a);
            s.pullSupplier(ch, b);
            f.verify(System.nanoTime() + TimeUnit.SECONDS.toNanos(20), List.of("A", "B"));
        });

        bodies.put("bad_input_empty_any", s -> badAny(s, orb.create_any(), "an any with no value (tk_null)"));

        bodies.put("bad_input_void_any", s -> {
            Any v = orb.create_any();
            v.type(orb.get_primitive_tc(TCKind.tk_void));
            badAny(s, v, "an any of type tk_void");
        });

        bodies.put("bad_input_connect_twice", s -> {
            EventChannel ch = s.channel();
            PushConsumerImpl c = new PushConsumerImpl();
            PullConsumerImpl pc = new PullConsumerImpl();
            ProxyPushSupplier pps = s.pushConsumer(ch, c);
            ProxyPullSupplier pls = s.pullConsumer(ch, pc);
            PushSupplierImpl sup = new PushSupplierImpl();
            ProxyPushConsumer ppc = s.pushSupplier(ch, sup);
            // the same client again, then another one
            expectUser("connect_push_consumer with the same consumer again", AlreadyConnected.class,
                    () -> pps.connect_push_consumer(ref(c)));
            expectUser("connect_pull_consumer with another consumer", AlreadyConnected.class,
                    () -> pls.connect_pull_consumer(ref(new PullConsumerImpl())));
            expectUser("connect_push_supplier with the same supplier again", AlreadyConnected.class,
                    () -> ppc.connect_push_supplier(ref(sup)));
            expectUser("connect_push_supplier(nil) on a connected proxy", AlreadyConnected.class,
                    () -> ppc.connect_push_supplier(null));
            // the original connections are intact
            Any e = text("after the refused connects");
            ppc.push(e);
            expectEvents(c, List.of(e));
            compareEvents(List.of(e), List.of(pullWithin(pls, WAIT_MS)));
            if (c.disconnected.getCount() == 0 || pc.disconnected.getCount() == 0 || sup.disconnected.getCount() == 0) {
                throw fail("a refused connect disconnected the original client");
            }
        });

        bodies.put("bad_input_call_after_disconnect", s -> {
            EventChannel ch = s.channel();
            PushConsumerImpl c = new PushConsumerImpl();
            ProxyPushSupplier pps = s.pushConsumer(ch, c);
            ProxyPushConsumer ppc = s.pushSupplier(ch, new PushSupplierImpl());
            ProxyPullSupplier pls = s.pullConsumer(ch, null);
            Any e = text("before");
            ppc.push(e);
            expectEvents(c, List.of(e));
            compareEvents(List.of(e), List.of(pullWithin(pls, WAIT_MS)));
            ppc.disconnect_push_consumer();
            pps.disconnect_push_supplier();
            pls.disconnect_pull_supplier();
            expectSystem("push after disconnect", OBJECT_NOT_EXIST.class, () -> ppc.push(text("after")));
            expectSystem("push_consumer reconnect after disconnect", OBJECT_NOT_EXIST.class,
                    () -> pps.connect_push_consumer(ref(c)));
            expectSystem("pull after disconnect", OBJECT_NOT_EXIST.class, pls::pull);
            expectSystem("try_pull after disconnect", OBJECT_NOT_EXIST.class, () -> pls.try_pull(new BooleanHolder()));
            // the channel itself is unaffected
            PushConsumerImpl c2 = new PushConsumerImpl();
            s.pushConsumer(ch, c2);
            ProxyPushConsumer ppc2 = s.pushSupplier(ch, null);
            Any e2 = text("new proxies work");
            ppc2.push(e2);
            expectEvents(c2, List.of(e2));
        });

        bodies.put("bad_input_destroy_in_use", s -> {
            EventChannel ch = s.channel();
            PushConsumerImpl c = new PushConsumerImpl();
            PullConsumerImpl pc = new PullConsumerImpl();
            PushSupplierImpl sup = new PushSupplierImpl();
            s.pushConsumer(ch, c);
            ProxyPullSupplier pls = s.pullConsumer(ch, pc);
            ProxyPushConsumer ppc = s.pushSupplier(ch, sup);
            AtomicInteger pushed = new AtomicInteger();
            AtomicReference<Throwable> pushEnd = new AtomicReference<>();
            CountDownLatch pusherDone = new CountDownLatch(1);
            Thread pusher = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        ppc.push(text("busy:" + pushed.get()));
                        pushed.incrementAndGet();
                    }
                } catch (Exception | Error ex) {
                    pushEnd.set(ex);
                } finally {
                    pusherDone.countDown();
                }
            }, "busy-pusher");
            AtomicInteger pulled = new AtomicInteger();
            AtomicReference<Throwable> pullEnd = new AtomicReference<>();
            CountDownLatch pullerDone = new CountDownLatch(1);
            Thread puller = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        pls.pull();
                        pulled.incrementAndGet();
                    }
                } catch (Exception | Error ex) {
                    pullEnd.set(ex);
                } finally {
                    pullerDone.countDown();
                }
            }, "busy-puller");
            pusher.setDaemon(true);
            puller.setDaemon(true);
            s.onClose(pusher::interrupt);
            s.onClose(puller::interrupt);
            pusher.start();
            puller.start();
            // wait until traffic flows both ways
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
            int seen = 0;
            while (seen < 50 && System.nanoTime() < deadline) {
                if (c.events.poll(50, TimeUnit.MILLISECONDS) != null) {
                    seen++;
                }
            }
            if (seen < 50 || pulled.get() == 0) {
                throw fail("no steady traffic before destroy: push consumer got " + seen + ", pull consumer "
                        + pulled.get() + ", pusher " + (pushEnd.get() == null ? "running" : describe(pushEnd.get())));
            }
            ch.destroy();
            List<String> problems = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
            waitUntil(c.disconnected, until, "push consumer not told", problems);
            waitUntil(pc.disconnected, until, "pull consumer not told", problems);
            waitUntil(sup.disconnected, until, "push supplier not told", problems);
            if (!pusherDone.await(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                problems.add("push still succeeding after destroy (" + pushed.get() + " pushes)");
            } else if (!(pushEnd.get() instanceof OBJECT_NOT_EXIST)) {
                problems.add("push after destroy raised " + describe(pushEnd.get()) + ", expected OBJECT_NOT_EXIST");
            }
            if (!pullerDone.await(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                problems.add("a pull still blocked or succeeding after destroy");
            } else if (!(pullEnd.get() instanceof Disconnected || pullEnd.get() instanceof SystemException)) {
                problems.add("pull after destroy ended with " + describe(pullEnd.get()));
            }
            collect(problems, "for_suppliers on the destroyed channel", ch::for_suppliers);
            collect(problems, "for_consumers on a freshly resolved " + s.url, () -> s.channel().for_consumers());
            if (!problems.isEmpty()) {
                throw fail(String.join("; ", problems));
            }
        });

        bodies.put("bad_input_server_still_serves", s -> {
            EventChannel ch = s.channel();
            PushConsumerImpl c = new PushConsumerImpl();
            s.pushConsumer(ch, c);
            ProxyPullSupplier pls = s.pullConsumer(ch, null);
            ProxyPushConsumer ppc = s.pushSupplier(ch, new PushSupplierImpl());
            List<Any> sent = mixedEvents(5);
            for (Any e : sent) {
                ppc.push(e);
            }
            expectEvents(c, sent);
            List<Any> got = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                got.add(pullWithin(pls, WAIT_MS));
            }
            compareEvents(sent, got);
        });
    }

    /** Pushes a bad any: BAD_PARAM with a clear message; not delivered; the proxy still works. */
    private void badAny(Scope s, Any bad, String what) throws Exception {
        EventChannel ch = s.channel();
        PushConsumerImpl c = new PushConsumerImpl();
        s.pushConsumer(ch, c);
        ProxyPullSupplier pls = s.pullConsumer(ch, null);
        ProxyPushConsumer ppc = s.pushSupplier(ch, new PushSupplierImpl());
        BAD_PARAM e = expectSystem("push of " + what, BAD_PARAM.class, () -> ppc.push(bad));
        String msg = e.getMessage();
        if (msg == null || !msg.toLowerCase(java.util.Locale.ROOT).contains("no value")) {
            throw fail("push of " + what + ": BAD_PARAM without a clear message (got '" + msg
                    + "', expected it to say the any holds no value)");
        }
        // the refused event was not delivered, and the proxy still works
        Any good = text("after the bad one");
        ppc.push(good);
        expectEvents(c, List.of(good));
        compareEvents(List.of(good), List.of(pullWithin(pls, WAIT_MS)));
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    /** What one check connected; {@link #close} disconnects it all, quietly. */
    final class Scope {
        final String name;
        final String url;
        private final List<Call> cleanups = new ArrayList<>();

        Scope(String name, String url) {
            this.name = name;
            this.url = url;
        }

        EventChannel channel() {
            EventChannel ch = EventChannelHelper.narrow(orb.string_to_object(url));
            if (ch == null) {
                throw new IllegalStateException(url + " resolved to nil");
            }
            return ch;
        }

        void onClose(Call c) {
            cleanups.add(c);
        }

        ProxyPushSupplier pushConsumer(EventChannel ch, PushConsumerImpl c) throws Exception {
            ProxyPushSupplier p = ch.for_consumers().obtain_push_supplier();
            onClose(p::disconnect_push_supplier);
            p.connect_push_consumer(c == null ? null : ref(c));
            return p;
        }

        ProxyPullSupplier pullConsumer(EventChannel ch, PullConsumerImpl c) throws Exception {
            ProxyPullSupplier p = ch.for_consumers().obtain_pull_supplier();
            onClose(p::disconnect_pull_supplier);
            p.connect_pull_consumer(c == null ? null : ref(c));
            return p;
        }

        ProxyPushConsumer pushSupplier(EventChannel ch, PushSupplierImpl sup) throws Exception {
            ProxyPushConsumer p = ch.for_suppliers().obtain_push_consumer();
            onClose(p::disconnect_push_consumer);
            p.connect_push_supplier(sup == null ? null : ref(sup));
            return p;
        }

        ProxyPullConsumer pullSupplier(EventChannel ch, PullSupplierImpl sup) throws Exception {
            ProxyPullConsumer p = ch.for_suppliers().obtain_pull_consumer();
            onClose(p::disconnect_pull_consumer);
            p.connect_pull_supplier(ref(sup));
            return p;
        }

        void close() {
            for (int i = cleanups.size() - 1; i >= 0; i--) {
                try {
                    cleanups.get(i).run();
                } catch (OBJECT_NOT_EXIST e) {
                    // already disconnected or destroyed: fine
                } catch (Exception e) {
                    LOG.debug("cleanup of check {} failed: {}", name, e.toString());
                }
            }
        }
    }

    /** Two push and two pull consumers on one channel, checked for per-supplier FIFO order. */
    static final class Fanout {
        private final List<PushConsumerImpl> pushConsumers = new ArrayList<>();
        private final List<ProxyPullSupplier> pullProxies = new ArrayList<>();
        private final List<PullCollector> collectors = new ArrayList<>();

        static Fanout connect(Scope s, EventChannel ch) throws Exception {
            Fanout f = new Fanout();
            for (int i = 0; i < 2; i++) {
                PushConsumerImpl c = new PushConsumerImpl();
                s.pushConsumer(ch, c);
                f.pushConsumers.add(c);
                f.pullProxies.add(s.pullConsumer(ch, new PullConsumerImpl()));
            }
            for (ProxyPullSupplier p : f.pullProxies) {
                PullCollector pc = new PullCollector(p, 2 * FIFO_EVENTS);
                f.collectors.add(pc);
                pc.start();
                s.onClose(pc::interrupt);
            }
            return f;
        }

        void verify(long deadlineNanos, List<String> suppliers) throws Exception {
            int total = suppliers.size() * FIFO_EVENTS;
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < pushConsumers.size(); i++) {
                List<String> got = new ArrayList<>();
                PushConsumerImpl c = pushConsumers.get(i);
                while (got.size() < total) {
                    long left = deadlineNanos - System.nanoTime();
                    Any a = c.events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                    if (a == null) {
                        break;
                    }
                    got.add(textOf(a));
                }
                String p = fifoProblem(got, suppliers, FIFO_EVENTS);
                if (p != null) {
                    problems.add("push consumer " + (i + 1) + ": " + p);
                }
            }
            for (int i = 0; i < collectors.size(); i++) {
                PullCollector pc = collectors.get(i);
                pc.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
                if (pc.isAlive()) {
                    pullProxies.get(i).disconnect_pull_supplier(); // makes the blocked pull return
                    pc.join(WAIT_MS);
                }
                String p;
                synchronized (pc.got) {
                    p = fifoProblem(pc.got, suppliers, FIFO_EVENTS);
                }
                if (p != null) {
                    problems.add("pull consumer " + (i + 1) + ": " + p
                            + (pc.error != null ? " (pull raised " + describe(pc.error) + ")" : ""));
                }
            }
            if (!problems.isEmpty()) {
                throw fail(String.join("; ", problems));
            }
        }
    }

    /** A thread that pulls {@code n} events with pull(). */
    static final class PullCollector extends Thread {
        private final ProxyPullSupplier proxy;
        private final int n;
        final List<String> got = new ArrayList<>();
        volatile Throwable error;

        PullCollector(ProxyPullSupplier proxy, int n) {
            super("pull-collector");
            setDaemon(true);
            this.proxy = proxy;
            this.n = n;
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < n && !isInterrupted(); i++) {
                    String t = textOf(proxy.pull());
                    synchronized (got) {
                        got.add(t);
                    }
                }
            } catch (Exception | Error e) {
                error = e;
            }
        }
    }

    /** Returns null if {@code got} holds each supplier's "TAG:0".."TAG:n-1" in order, else why not. */
    static String fifoProblem(List<String> got, List<String> suppliers, int n) {
        Map<String, Integer> next = new LinkedHashMap<>();
        for (String sup : suppliers) {
            next.put(sup, 0);
        }
        for (int pos = 0; pos < got.size(); pos++) {
            String e = got.get(pos);
            int colon = e.indexOf(':');
            String tag = colon < 0 ? e : e.substring(0, colon);
            Integer expected = next.get(tag);
            if (expected == null) {
                return "unexpected event '" + e + "' at position " + pos;
            }
            int seq;
            try {
                seq = Integer.parseInt(e.substring(colon + 1));
            } catch (NumberFormatException ex) {
                return "unexpected event '" + e + "' at position " + pos;
            }
            if (seq != expected) {
                return "supplier " + tag + ": expected #" + expected + " but got #" + seq + " at position " + pos
                        + (seq > expected ? " (events lost or reordered)" : " (duplicate or reordered)");
            }
            next.put(tag, expected + 1);
        }
        for (Map.Entry<String, Integer> en : next.entrySet()) {
            if (en.getValue() != n) {
                return "supplier " + en.getKey() + ": got " + en.getValue() + " of " + n + " events in time";
            }
        }
        return null;
    }

    /** A pull() running on its own thread. */
    static final class BlockedPull {
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicReference<Any> result = new AtomicReference<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();

        static BlockedPull start(ProxyPullSupplier pls) {
            BlockedPull bp = new BlockedPull();
            Thread t = new Thread(() -> {
                try {
                    bp.result.set(pls.pull());
                } catch (Exception | Error e) {
                    bp.error.set(e);
                } finally {
                    bp.done.countDown();
                }
            }, "blocked-pull");
            t.setDaemon(true);
            t.start();
            return bp;
        }

        boolean returnedWithin(long ms) throws InterruptedException {
            return done.await(ms, TimeUnit.MILLISECONDS);
        }

        String outcome() {
            return error.get() != null ? "raised " + describe(error.get()) : "returned " + textOf(result.get());
        }
    }

    private static void expectEndedByDisconnect(BlockedPull bp, String what) throws Exception {
        if (!bp.returnedWithin(WAIT_MS)) {
            throw fail("a blocked pull was still blocked " + WAIT_MS + " ms after " + what);
        }
        Throwable e = bp.error.get();
        if (e == null) {
            throw fail("a blocked pull returned an event after " + what + ": " + textOf(bp.result.get()));
        }
        if (!(e instanceof Disconnected) && !(e instanceof SystemException)) {
            throw fail("a blocked pull ended with " + describe(e) + " after " + what);
        }
        if (e instanceof org.omg.CORBA.TIMEOUT) {
            throw fail("a blocked pull ended by the client's reply time-out, not by " + what);
        }
    }

    /** Client-side servants. */
    static final class PushConsumerImpl extends PushConsumerPOA {
        final LinkedBlockingQueue<Any> events = new LinkedBlockingQueue<>();
        final CountDownLatch disconnected = new CountDownLatch(1);

        @Override
        public void push(Any data) {
            events.add(data);
        }

        @Override
        public void disconnect_push_consumer() {
            disconnected.countDown();
        }
    }

    static final class PullConsumerImpl extends PullConsumerPOA {
        final CountDownLatch disconnected = new CountDownLatch(1);

        @Override
        public void disconnect_pull_consumer() {
            disconnected.countDown();
        }
    }

    static final class PushSupplierImpl extends PushSupplierPOA {
        final CountDownLatch disconnected = new CountDownLatch(1);

        @Override
        public void disconnect_push_supplier() {
            disconnected.countDown();
        }
    }

    /** Hands out the events offered to it, in order; the channel polls it with try_pull. */
    final class PullSupplierImpl extends PullSupplierPOA {
        final LinkedBlockingQueue<Any> pending = new LinkedBlockingQueue<>();
        final CountDownLatch disconnected = new CountDownLatch(1);
        final AtomicBoolean gone = new AtomicBoolean();

        void offer(List<Any> events) {
            pending.addAll(events);
        }

        @Override
        public Any pull() throws Disconnected {
            try {
                Any a = pending.poll(WAIT_MS, TimeUnit.MILLISECONDS);
                if (a == null) {
                    throw new Disconnected(); // a test supplier does not block for ever
                }
                return a;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Disconnected();
            }
        }

        @Override
        public Any try_pull(BooleanHolder hasEvent) throws Disconnected {
            if (gone.get()) {
                throw new Disconnected();
            }
            Any a = pending.poll();
            hasEvent.value = a != null;
            return a != null ? a : orb.create_any();
        }

        @Override
        public void disconnect_pull_supplier() {
            gone.set(true);
            disconnected.countDown();
        }
    }

    private PushConsumer ref(PushConsumerImpl s) throws Exception {
        return PushConsumerHelper.narrow(poa.servant_to_reference(s));
    }

    private PullConsumer ref(PullConsumerImpl s) throws Exception {
        return PullConsumerHelper.narrow(poa.servant_to_reference(s));
    }

    private PushSupplier ref(PushSupplierImpl s) throws Exception {
        return PushSupplierHelper.narrow(poa.servant_to_reference(s));
    }

    private PullSupplier ref(PullSupplierImpl s) throws Exception {
        return PullSupplierHelper.narrow(poa.servant_to_reference(s));
    }

    Any text(String s) {
        Any a = orb.create_any();
        a.insert_string(s);
        return a;
    }

    /** Events of several types: strings, longs, doubles. */
    private List<Any> mixedEvents(int n) {
        List<Any> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Any a = orb.create_any();
            switch (i % 3) {
                case 0 -> a.insert_string("event #" + i);
                case 1 -> a.insert_long(1000 + i);
                default -> a.insert_double(i + 0.5);
            }
            out.add(a);
        }
        return Collections.unmodifiableList(out);
    }

    static String textOf(Any a) {
        if (a == null) {
            return "<null>";
        }
        try {
            return switch (a.type().kind().value()) {
                case TCKind._tk_string -> a.extract_string();
                case TCKind._tk_long -> "long " + a.extract_long();
                case TCKind._tk_double -> "double " + a.extract_double();
                default -> "<any of kind " + a.type().kind().value() + ">";
            };
        } catch (RuntimeException e) {
            return "<unreadable any: " + e + ">";
        }
    }

    /** Waits until {@code c} received exactly as many events as {@code expected} and compares. */
    private static void expectEvents(PushConsumerImpl c, List<Any> expected) throws Exception {
        List<Any> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (got.size() < expected.size()) {
            Any a = c.events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (a == null) {
                throw fail("push consumer received " + got.size() + " of " + expected.size() + " events within "
                        + WAIT_MS + " ms");
            }
            got.add(a);
        }
        compareEvents(expected, got);
    }

    private static void compareEvents(List<Any> expected, List<Any> got) throws CheckFailed {
        if (got.size() != expected.size()) {
            throw fail("expected " + expected.size() + " events, got " + got.size());
        }
        for (int i = 0; i < expected.size(); i++) {
            if (!expected.get(i).equal(got.get(i))) {
                throw fail("event " + i + ": expected " + textOf(expected.get(i)) + " but got " + textOf(got.get(i)));
            }
        }
    }

    /** pull() on a helper thread, so that a lost event fails the check after {@code ms}. */
    private static Any pullWithin(ProxyPullSupplier pls, long ms) throws Exception {
        BlockedPull bp = BlockedPull.start(pls);
        if (!bp.returnedWithin(ms)) {
            throw fail("pull returned no event within " + ms + " ms");
        }
        if (bp.error.get() != null) {
            throw fail("pull raised " + describe(bp.error.get()));
        }
        return bp.result.get();
    }

    /** try_pull until {@code n} events came, within {@link #WAIT_MS}. */
    private static List<Any> tryPullN(ProxyPullSupplier pls, int n) throws Exception {
        List<Any> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        BooleanHolder has = new BooleanHolder();
        while (got.size() < n) {
            Any a = pls.try_pull(has);
            if (has.value) {
                got.add(a);
            } else if (System.nanoTime() > deadline) {
                throw fail("try_pull returned " + got.size() + " of " + n + " events within " + WAIT_MS + " ms");
            } else {
                Thread.onSpinWait();
            }
        }
        return got;
    }

    private static void awaitLatch(CountDownLatch l, String what) throws Exception {
        if (!l.await(WAIT_MS, TimeUnit.MILLISECONDS)) {
            throw fail("waited " + WAIT_MS + " ms for " + what + " in vain");
        }
    }

    private static void waitUntil(CountDownLatch l, long deadlineNanos, String what, List<String> missing)
            throws InterruptedException {
        if (!l.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            missing.add(what);
        }
    }

    private static void expectNonExistent(org.omg.CORBA.Object o) throws CheckFailed {
        boolean gone;
        try {
            gone = o._non_existent();
        } catch (OBJECT_NOT_EXIST e) {
            gone = true;
        }
        if (!gone) {
            throw fail("_non_existent() is false on a disposed proxy");
        }
    }

    /** Runs {@code call}; adds a problem to {@code wrong} unless it raised OBJECT_NOT_EXIST. */
    private static void collect(List<String> wrong, String what, Call call) {
        try {
            call.run();
            wrong.add(what + " succeeded");
        } catch (OBJECT_NOT_EXIST e) {
            // as expected
        } catch (Exception e) {
            wrong.add(what + " raised " + describe(e));
        }
    }

    private static <T extends SystemException> T expectSystem(String what, Class<T> type, Call call)
            throws CheckFailed {
        try {
            call.run();
        } catch (Exception e) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
            throw fail(what + ": expected " + type.getSimpleName() + " but got " + describe(e));
        }
        throw fail(what + ": expected " + type.getSimpleName() + " but the call succeeded");
    }

    private static <T extends UserException> void expectUser(String what, Class<T> type, Call call)
            throws CheckFailed {
        try {
            call.run();
        } catch (Exception e) {
            if (type.isInstance(e)) {
                return;
            }
            throw fail(what + ": expected " + type.getSimpleName() + " but got " + describe(e));
        }
        throw fail(what + ": expected " + type.getSimpleName() + " but the call succeeded");
    }

    static CheckFailed fail(String reason) {
        return new CheckFailed(reason);
    }

    static String describe(Throwable e) {
        if (e == null) {
            return "nothing";
        }
        if (e instanceof SystemException se) {
            return se.getClass().getSimpleName() + " (minor " + se.minor + ", " + completion(se) + ")"
                    + (se.getMessage() == null ? "" : ": " + se.getMessage());
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String completion(SystemException e) {
        return e.completed == null ? "?" : switch (e.completed.value()) {
            case org.omg.CORBA.CompletionStatus._COMPLETED_YES -> "completed";
            case org.omg.CORBA.CompletionStatus._COMPLETED_NO -> "not completed";
            default -> "maybe completed";
        };
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}
