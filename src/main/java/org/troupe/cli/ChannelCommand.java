package org.troupe.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.omg.CosEventChannelAdmin.EventChannel;
import org.troupe.eventclient.EventServiceClient;
import org.troupe.idl.Events.ChannelInfo;
import org.troupe.orb.OrbFactory;
import org.troupe.orb.ServerAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code troupe channel create|list|destroy}. */
@Command(name = "channel", mixinStandardHelpOptions = true, description = "Manage a server's event channels.",
        subcommands = {ChannelCommand.Create.class, ChannelCommand.ListChannels.class, ChannelCommand.Destroy.class})
final class ChannelCommand {

    /** The server option every channel subcommand takes. */
    static class ServerOption {
        @Option(names = "--server", paramLabel = "URL",
                description = "The server: HOST:PORT, HOST, corbaloc:iiop:HOST:PORT, or any URL or IOR the server "
                        + "prints (default ${DEFAULT-VALUE}).")
        String server = "corbaloc:iiop:127.0.0.1:2809";

        /** The server as the client reaches it (over TLS with the TLS options), for printed URLs. */
        ServerAddress address() {
            ServerAddress a = ServerAddress.parse(server);
            Errors.target = a;
            return a.withTls(a.tls() || org.troupe.orb.TlsConfig.fromSystemProperties() != null);
        }
        @picocli.CommandLine.Mixin
        TlsClientOptions tls = new TlsClientOptions();
        @picocli.CommandLine.Mixin
        AdminOptions admin = new AdminOptions();
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a channel; prints its IOR and URLs.")
    static final class Create extends ServerOption implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            ServerAddress address = address();
            admin.apply();
            try (EventServiceClient c = EventServiceClient.connect(server)) {
                EventChannel ch = c.factory().create_channel(name);
                PrintWriter out = spec.commandLine().getOut();
                out.println(c.orb().object_to_string(ch));
                out.println("corbaloc:  " + address.objectUrl(OrbFactory.IMPL_NAME + "/channels/" + name));
                out.println("corbaname: " + address.corbaname("troupe/channels/" + name));
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List channels with their clients and counters.")
    static final class ListChannels extends ServerOption implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            address();
            admin.apply();
            try (EventServiceClient c = EventServiceClient.connect(server)) {
                PrintWriter out = spec.commandLine().getOut();
                ChannelInfo[] all = c.factory().list_channels();
                out.printf("%-24s %9s %9s %9s %9s %12s %12s %10s %8s%n", "CHANNEL", "push-sup", "pull-sup",
                        "push-con", "pull-con", "events-in", "delivered", "dropped", "evicted");
                int groups = 0;
                for (ChannelInfo i : all) {
                    boolean group = i.channel == null; // a group's own channel: listed, never handed out
                    groups += group ? 1 : 0;
                    out.printf("%-24s %9d %9d %9d %9d %12d %12d %10d %8d%s%n", i.name, i.push_suppliers,
                            i.pull_suppliers, i.push_consumers, i.pull_consumers, i.events_in, i.events_delivered,
                            i.events_dropped, i.consumers_evicted, group ? "  (group channel)" : "");
                }
                out.println(all.length + " channel(s)" + (groups == 0 ? "" : ", " + groups + " of them groups' own"
                        + " (reached only through a member's ticket)"));
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "destroy", mixinStandardHelpOptions = true,
            description = "Destroy a channel; its connected clients are told.")
    static final class Destroy extends ServerOption implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            address();
            admin.apply();
            try (EventServiceClient c = EventServiceClient.connect(server)) {
                c.factory().destroy_channel(name);
                spec.commandLine().getOut().println("destroyed " + name);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }
}
