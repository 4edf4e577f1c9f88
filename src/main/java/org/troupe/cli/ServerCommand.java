package org.troupe.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.troupe.server.DemoTicker;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code troupe server}: runs a server until SIGTERM / Ctrl-C. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Start a Troupe server: event channel factory, channels and naming service.")
final class ServerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", description = "Address to listen on and put in object references (default ${DEFAULT-VALUE}).")
    String host = ServerSettings.DEFAULT_HOST;

    @Option(names = "--port", description = "IIOP port (default ${DEFAULT-VALUE}, the CORBA default).")
    int port = ServerSettings.DEFAULT_PORT;

    @Option(names = "--no-naming", description = "Do not host a naming service.")
    boolean noNaming;

    @Option(names = "--channel", paramLabel = "NAME", description = "Create this channel at start-up (repeatable).")
    List<String> channels = List.of();

    @Option(names = "--demo", description = "Also create the channel 'demo' with a supplier that pushes a tick "
            + "every second and a consumer that prints them (both are ordinary IIOP clients).")
    boolean demo;

    @Option(names = "--exit-with-parent", hidden = true,
            description = "Stop when the process that started this one exits (tests and benches).")
    boolean exitWithParent;

    @Option(names = "--heartbeat", paramLabel = "MS",
            description = "Group members call heartbeat this often (default ${DEFAULT-VALUE}).")
    long heartbeatMs = org.troupe.server.groups.GroupSettings.defaults().heartbeatMillis();

    @Option(names = "--suspect", paramLabel = "MS",
            description = "A group member silent for longer is removed as crashed (default ${DEFAULT-VALUE}).")
    long suspectMs = org.troupe.server.groups.GroupSettings.defaults().suspectMillis();

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Serve the operations endpoint over HTTP on this port, on --host: the operator console (/),"
                    + " /metrics (Prometheus), /healthz, /readyz, /api/groups, /api/channels, /api/views, /api/rates"
                    + " (JSON). 0: none (default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--empty-group-timeout", paramLabel = "DURATION",
            description = "Remove a group that has had no member for this long: e.g. 90s, 10m, 1h; 0 keeps empty"
                    + " groups for ever (default ${DEFAULT-VALUE}).")
    String emptyGroupTimeout = "0";

    @Option(names = "--id", paramLabel = "ID", description = "In a cluster: this server's id among --peers.")
    String clusterId;

    @Option(names = "--peers", paramLabel = "ID=HOST:PORT[:RAFTPORT],...",
            description = "Form a cluster with these servers (this one included): each one's id, IIOP host and port,"
                    + " and Raft port (default PORT+1). Without it the server runs on its own.")
    String peers;

    @Option(names = "--data", paramLabel = "DIR",
            description = "In a cluster: where this server keeps its Raft log and snapshots (kept across restarts).")
    java.nio.file.Path data;

    @Option(names = "--restore-leaders-after", paramLabel = "SECONDS", defaultValue = "30",
            description = "In a cluster: once a server that came back has answered for this long, the groups it is"
                    + " the preferred leader of are handed back to it, one every few seconds (0: never; default 30).")
    long restoreLeadersAfterSeconds;

    @Option(names = "--admin-secret-file", paramLabel = "FILE",
            description = "Require this secret (a file only its owner can read; at least 16 characters) on every"
                    + " administrative call: creating, destroying and listing groups and channels, hosting members,"
                    + " writing to naming, and the HTTP endpoint's pages but /healthz and /readyz. In a cluster every"
                    + " server has the same file.")
    java.nio.file.Path adminSecretFile;

    @Option(names = "--insecure", description = "Serve on a --host other than loopback without any credential:"
            + " anyone who reaches the port may then administer the server.")
    boolean insecure;

    @Mixin
    ChannelOptions channelOptions = new ChannelOptions();

    @Mixin
    ServerTlsOptions tlsOptions = new ServerTlsOptions();

    @Mixin
    LimitOptions limitOptions = new LimitOptions();

    /** A duration as an operator writes it: 500ms, 90s, 10m, 2h, or 0. */
    static java.time.Duration duration(String option, String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,9})(ms|s|m|h)?").matcher(text.strip());
        if (!m.matches() || (m.group(2) == null && Long.parseLong(m.group(1)) != 0)) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a duration (a number and a unit:"
                    + " 500ms, 90s, 10m, 2h; or 0)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> java.time.Duration.ofMillis(n);
            case "m" -> java.time.Duration.ofMinutes(n);
            case "h" -> java.time.Duration.ofHours(n);
            default -> java.time.Duration.ofSeconds(n);
        };
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        org.troupe.server.ClusterSettings cluster = null;
        org.troupe.orb.TlsConfig tls = tlsOptions.config();
        if (peers != null) {
            cluster = org.troupe.server.ClusterSettings.parse(clusterId, peers, data);
            if (restoreLeadersAfterSeconds < 0 || restoreLeadersAfterSeconds > 86_400) {
                throw new IllegalArgumentException("--restore-leaders-after must be in 0..86400 seconds (0: never), "
                        + "got " + restoreLeadersAfterSeconds);
            }
            cluster = cluster.withRaft(cluster.raft().toBuilder()
                    .restoreLeadersAfter(java.time.Duration.ofSeconds(restoreLeadersAfterSeconds))
                    .tls(tls) // the same stores: Raft between the servers over gRPC with mutual TLS
                    .build());
            String self = cluster.selfAddress();
            if (!self.equals(host + ":" + port)) {
                throw new IllegalArgumentException("--peers gives " + clusterId + " the address " + self
                        + ", but this server listens on " + host + ":" + port + " (--host, --port)");
            }
        } else if (clusterId != null || data != null) {
            throw new IllegalArgumentException("--id and --data go with --peers (a cluster); without --peers the"
                    + " server runs on its own and keeps nothing on disk");
        }
        ServerSettings settings = new ServerSettings(host, port, !noNaming, channelOptions.settings(),
                new org.troupe.server.groups.GroupSettings(heartbeatMs, suspectMs, org.troupe.server.groups.GroupSettings.defaults()
                        .maxPayload()), cluster);
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("--http-port must be in 1..65535, or 0 for no HTTP endpoint; got "
                    + httpPort);
        }
        settings = settings.withHttpPort(httpPort).withLimits(limitOptions.limits());
        org.troupe.orb.AdminCredential admin = adminSecretFile == null ? null
                : org.troupe.orb.AdminCredential.fromFile(adminSecretFile);
        // a TLS server that requires client certificates admits only the clients its trust store names
        String refusal = org.troupe.server.security.NetworkExposure.refusal(host, admin != null,
                tls != null && tls.clientAuth(), insecure);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        if (insecure && admin == null && (tls == null || !tls.clientAuth())
                && !org.troupe.server.security.NetworkExposure.isLoopback(host)) {
            spec.commandLine().getErr().println("troupe: warning: serving " + host + " without any credential"
                    + " (--insecure): anyone who reaches it may administer this server");
        }
        settings = settings.withAdmin(admin);
        java.time.Duration emptyTimeout = duration("--empty-group-timeout", emptyGroupTimeout);
        TroupeServer server = TroupeServer.start(settings, tls);
        server.groupDirectory().removeEmptyGroupsAfter(emptyTimeout);
        DemoTicker[] demoTicker = new DemoTicker[1];
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            if (demoTicker[0] != null) {
                demoTicker[0].close();
            }
            server.close();
            stopped.countDown();
        }, "troupe-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        List<String> all = new java.util.ArrayList<>(channels);
        if (demo && !all.contains(DemoTicker.CHANNEL)) {
            all.add(DemoTicker.CHANNEL);
        }
        for (String name : all) {
            server.directory().create(name);
        }
        out.println("troupe server ready on " + host + ":" + port + (tls == null ? ""
                : " (TLS only" + (tls.clientAuth() ? ", client certificates required" : "")
                        + (cluster == null ? "" : "; Raft over gRPC with mutual TLS") + ")"));
        for (String line : server.describe()) {
            out.println("  " + line);
        }
        if (server.httpPort() != 0) {
            out.println("  http     http://" + host + ":" + server.httpPort()
                    + "/   (metrics, healthz, readyz, api/groups, api/channels)");
        }
        for (String name : all) {
            out.println("  channel " + name + ": " + server.channelUrl(name) + "   " + server.channelCorbaname(name));
        }
        if (admin != null) {
            out.println("  admin    creating, destroying and listing groups and channels, hosting members and writing"
                    + " to naming need the admin secret");
        }
        out.println("Stop with Ctrl-C (SIGINT) or SIGTERM.");
        out.flush();
        if (demo) {
            demoTicker[0] = DemoTicker.start(server.baseUrl(), out);
        }
        if (exitWithParent) { // returning lets TroupeCli.main exit, which runs the shutdown hook
            org.troupe.bench.ParentWatch.onParentExit(stopped::countDown);
        }
        stopped.await();
        return 0;
    }
}
