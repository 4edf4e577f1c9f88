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
            description = "Serve the operations endpoint over HTTP on this port, on --host: /metrics (Prometheus),"
                    + " /healthz, /readyz, /api/groups, /api/channels (JSON). 0: none (default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--id", paramLabel = "ID", description = "In a cluster: this server's id among --peers.")
    String clusterId;

    @Option(names = "--peers", paramLabel = "ID=HOST:PORT[:RAFTPORT],...",
            description = "Form a cluster with these servers (this one included): each one's id, IIOP host and port,"
                    + " and Raft port (default PORT+1). Without it the server runs on its own.")
    String peers;

    @Option(names = "--data", paramLabel = "DIR",
            description = "In a cluster: where this server keeps its Raft log and snapshots (kept across restarts).")
    java.nio.file.Path data;

    @Mixin
    ChannelOptions channelOptions = new ChannelOptions();

    @Mixin
    ServerTlsOptions tlsOptions = new ServerTlsOptions();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        org.troupe.server.ClusterSettings cluster = null;
        if (peers != null) {
            cluster = org.troupe.server.ClusterSettings.parse(clusterId, peers, data);
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
        settings = settings.withHttpPort(httpPort);
        org.troupe.orb.TlsConfig tls = tlsOptions.config();
        if (tls != null && cluster != null) {
            throw new IllegalArgumentException("--tls does not go with --peers yet: the servers of a cluster reach "
                    + "each other over plain IIOP (run the cluster on a private network)");
        }
        TroupeServer server = TroupeServer.start(settings, tls);
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
                : " (TLS only" + (tls.clientAuth() ? ", client certificates required)" : ")")));
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
