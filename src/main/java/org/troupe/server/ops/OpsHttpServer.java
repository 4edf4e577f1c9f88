package org.troupe.server.ops;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * </pre>
 *
 * With an admin credential, every page but /healthz and /readyz (which tell nothing but that the
 * server runs and serves) asks for it as {@code Authorization: Bearer SECRET}: 401 otherwise.
 * Every request is answered: an error in a handler gives 500 with a one-line message, and the
 * endpoint goes on. Its threads are few (8) and so are its open connections (32).
 */
public final class OpsHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsHttpServer.class);
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json";
    /** Open connections at most; more wait in the kernel's backlog until one closes. */
    static final int MAX_CONNECTIONS = 32;

    private final Server server;
    private final ServerConnector connector;
    private final OpsSource source;
    private final TroupeMetrics metrics;
    /** What a request must present (null: none). */
    private final org.troupe.orb.AdminCredential admin;

    private OpsHttpServer(String host, int port, OpsSource source, TroupeMetrics metrics,
            org.troupe.orb.AdminCredential admin) {
        this.source = source;
        this.metrics = metrics;
        this.admin = admin;
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
        return start(host, port, source, metrics, null);
    }

    /**
     * Starts the endpoint on {@code host:port}; with {@code admin}, every page but /healthz and
     * /readyz requires {@code Authorization: Bearer SECRET}.
     */
    public static OpsHttpServer start(String host, int port, OpsSource source, TroupeMetrics metrics,
            org.troupe.orb.AdminCredential admin) throws Exception {
        OpsHttpServer s = new OpsHttpServer(host, port, source, metrics, admin);
        try {
            s.server.start();
        } catch (Exception e) {
            s.close();
            Throwable why = e.getCause() != null ? e.getCause() : e;
            throw new java.io.IOException("cannot serve HTTP on " + host + ":" + port + " (--http-port): "
                    + why.getMessage(), e);
        }
        LOG.info("operations endpoint on http://{}:{}/ (metrics, healthz, readyz, api/groups, api/channels)",
                host, s.port());
        return s;
    }

    /** The port it listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    private void serve(Request request, Response response, Callback callback) {
        int status;
        String type;
        String body;
        try {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
                status = 405;
                type = TEXT;
                body = method + " is not served here: the operations endpoint is read-only (GET)\n";
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            } else if (admin != null && !"/healthz".equals(path) && !"/readyz".equals(path)
                    && !admin.matchesBearer(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                status = 401;
                type = TEXT;
                body = "this page requires the server's admin credential: Authorization: Bearer SECRET\n";
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"troupe\"");
            } else {
                switch (path) {
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
                                + " (try /metrics, /healthz, /readyz, /api/groups, /api/channels)\n";
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
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, HttpMethod.HEAD.is(request.getMethod()) ? ByteBuffer.allocate(0)
                    : ByteBuffer.wrap(bytes), callback);
        } catch (Throwable t) {
            callback.failed(t);
        }
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage();
        String s = t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        return s.replaceAll("[\\r\\n]+", " ");
    }

    /** Stops listening and answering (idempotent). */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("operations endpoint: stopping it failed: {}", e.toString());
        }
    }
}
