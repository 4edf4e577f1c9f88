package org.troupe.server.ops;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's operations endpoint over HTTP (Jetty 12, core handlers), read-only, GET only:
 *
 * <pre>
 *  /metrics        Prometheus text format (see {@link TroupeMetrics})
 *  /healthz        200 "ok" while the process runs
 *  /readyz         200 "ready" once the ORB serves and, in a cluster, every Raft group has a leader;
 *                  else 503 and why, in one line
 *  /api/groups     JSON: every group, its view and members, counters, leader and term in a cluster
 *  /api/channels   JSON: every channel, groups' channels included (kind "group")
 *  /api/views      JSON: each group's latest view changes with their causes (joined, left, crashed, removed)
 *  /api/rates      JSON: each group's message counters over the last minutes, sampled every 2 s
 *  /               the operator console: a page (from the jar) that polls the JSON above
 * </pre>
 *
 * With an admin credential, every page but /healthz and /readyz (which tell nothing but that the
 * server runs and serves) asks for it as {@code Authorization: Bearer SECRET}: 401 otherwise.
 * Every request is answered: an error in a handler gives 500 with a one-line message, and the
 * endpoint goes on. Its threads are few (8) and so are its open connections (32). A
 * {@link RequestAuthorizer} may refuse a request (401) before any page is read.
 */
public final class OpsHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsHttpServer.class);
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json";
    /** How often the message counters are sampled for the console's rates. */
    static final long RATE_PERIOD_MS = 2_000;
    /** The console's files, served from the jar: path to resource and content type. */
    private static final Map<String, String[]> CONSOLE = Map.of(
            "/", new String[] {"console/index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"console/index.html", "text/html; charset=utf-8"},
            "/console.js", new String[] {"console/console.js", "text/javascript; charset=utf-8"},
            "/console.css", new String[] {"console/console.css", "text/css; charset=utf-8"});
    /** Open connections at most; more wait in the kernel's backlog until one closes. */
    static final int MAX_CONNECTIONS = 32;

    private final Server server;
    private final ServerConnector connector;
    private final OpsSource source;
    private final TroupeMetrics metrics;
    private final RequestAuthorizer authorizer;
    private final RateHistory rates = new RateHistory();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "troupe-ops-rates");
        t.setDaemon(true);
        return t;
    });

    private OpsHttpServer(String host, int port, OpsSource source, TroupeMetrics metrics,
            RequestAuthorizer authorizer) {
        this.source = source;
        this.metrics = metrics;
        this.authorizer = authorizer;
        // Jetty's own jobs go through the pool's queue too, so it is not capped itself: what bounds
        // it is the cap on open connections (each has at most one request in progress)
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("troupe-ops-http");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(30_000);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
        server.setHandler(new Handler.Abstract() { // blocking: a scrape reads every group under its lock
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback);
                return true;
            }
        });
        server.setStopTimeout(2_000);
    }

    /**
     * Starts the endpoint on {@code host:port} (port 0: any free port, see {@link #port}).
     *
     * @throws java.io.IOException if it cannot listen there (port taken, bad host), naming the address
     */
    public static OpsHttpServer start(String host, int port, OpsSource source, TroupeMetrics metrics)
            throws Exception {
        return start(host, port, source, metrics, RequestAuthorizer.ALLOW_ALL);
    }

    /** As {@link #start(String, int, OpsSource, TroupeMetrics)}, answering only what {@code authorizer} lets through. */
    public static OpsHttpServer start(String host, int port, OpsSource source, TroupeMetrics metrics,
            RequestAuthorizer authorizer) throws Exception {
        OpsHttpServer s = new OpsHttpServer(host, port, source, metrics, authorizer);
        return s.startServing(host, port);
    }

    /**
     * As {@link #start(String, int, OpsSource, TroupeMetrics)}; with {@code admin} (null: none),
     * every page but /healthz, /readyz and the console's own files (which hold no data: the page
     * asks its user for the secret) requires {@code Authorization: Bearer SECRET}.
     */
    public static OpsHttpServer start(String host, int port, OpsSource source, TroupeMetrics metrics,
            org.troupe.orb.AdminCredential admin) throws Exception {
        return start(host, port, source, metrics, admin == null ? RequestAuthorizer.ALLOW_ALL
                : (method, path, header) -> "/healthz".equals(path) || "/readyz".equals(path)
                        || CONSOLE.containsKey(path) || admin.matchesBearer(header.apply("Authorization")) ? null
                        : "this page requires the server's admin credential: Authorization: Bearer SECRET");
    }

    private OpsHttpServer startServing(String host, int port) throws Exception {
        OpsHttpServer s = this;
        try {
            s.server.start();
        } catch (Exception e) {
            s.close();
            Throwable why = e.getCause() != null ? e.getCause() : e;
            throw new java.io.IOException("cannot serve HTTP on " + host + ":" + port + " (--http-port): "
                    + why.getMessage(), e);
        }
        s.sampler.scheduleWithFixedDelay(s::sampleRates, 0, RATE_PERIOD_MS, TimeUnit.MILLISECONDS);
        LOG.info("operations endpoint on http://{}:{}/ (console, metrics, healthz, readyz, api/groups, api/channels)",
                host, s.port());
        return s;
    }

    /** The port it listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    private void sampleRates() {
        try {
            rates.sample(source.groups(), System.currentTimeMillis());
        } catch (Throwable t) { // a scheduled task that throws never runs again
            LOG.warn("operations endpoint: sampling message rates failed; it goes on", t);
        }
    }

    private void serve(Request request, Response response, Callback callback) {
        int status;
        String type;
        String body;
        byte[] file = null;
        try {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            String refused = authorizer.refusal(method, path, name -> request.getHeaders().get(name));
            String[] console = CONSOLE.get(path);
            if (refused != null) {
                status = 401;
                type = TEXT;
                body = refused + "\n";
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"troupe\"");
            } else if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
                status = 405;
                type = TEXT;
                body = method + " is not served here: the operations endpoint is read-only (GET)\n";
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            } else {
                switch (console != null ? "console" : path) {
                    case "console" -> {
                        status = 200;
                        type = console[1];
                        body = "";
                        file = resource(console[0]);
                    }
                    case "/api/views" -> {
                        status = 200;
                        type = JSON;
                        body = OpsJson.views(source.groups());
                    }
                    case "/api/rates" -> {
                        status = 200;
                        type = JSON;
                        body = OpsJson.rates(rates.snapshot(), RATE_PERIOD_MS);
                    }
                    case "/metrics" -> {
                        status = 200;
                        type = PROMETHEUS;
                        body = metrics.scrape();
                    }
                    case "/healthz" -> {
                        status = 200;
                        type = TEXT;
                        body = "ok\n";
                    }
                    case "/readyz" -> {
                        String why = source.notReadyReason();
                        status = why == null ? 200 : 503;
                        type = TEXT;
                        body = (why == null ? "ready" : "not ready: " + why) + "\n";
                    }
                    case "/api/groups" -> {
                        status = 200;
                        type = JSON;
                        body = OpsJson.groups(source.groups());
                    }
                    case "/api/channels" -> {
                        status = 200;
                        type = JSON;
                        body = OpsJson.channels(source.channels());
                    }
                    default -> {
                        status = 404;
                        type = TEXT;
                        body = "no such page: " + path
                                + " (try /, /metrics, /healthz, /readyz, /api/groups, /api/channels, /api/views,"
                                + " /api/rates)\n";
                    }
                }
            }
        } catch (Throwable t) { // one broken request answers 500; the endpoint goes on
            LOG.warn("operations endpoint: {} failed", request.getHttpURI().getPath(), t);
            status = 500;
            type = TEXT;
            body = "internal error: " + oneLine(t) + "\n";
        }
        try {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            byte[] bytes = file != null ? file : body.getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, HttpMethod.HEAD.is(request.getMethod()) ? ByteBuffer.allocate(0)
                    : ByteBuffer.wrap(bytes), callback);
        } catch (Throwable t) {
            callback.failed(t);
        }
    }

    /** A file of the console, read from the jar once. */
    private static byte[] resource(String name) throws java.io.IOException {
        byte[] b = FILES.get(name);
        if (b == null) {
            try (java.io.InputStream in = OpsHttpServer.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new java.io.FileNotFoundException("the console's " + name + " is not in the jar");
                }
                b = in.readAllBytes();
            }
            FILES.putIfAbsent(name, b);
        }
        return b;
    }

    private static final Map<String, byte[]> FILES = new java.util.concurrent.ConcurrentHashMap<>();

    private static String oneLine(Throwable t) {
        String m = t.getMessage();
        String s = t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        return s.replaceAll("[\\r\\n]+", " ");
    }

    /** Stops listening and answering (idempotent). */
    @Override
    public void close() {
        sampler.shutdownNow();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("operations endpoint: stopping it failed: {}", e.toString());
        }
    }
}
