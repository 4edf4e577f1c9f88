package org.troupe.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.troupe.idl.Groups.GroupInfo;
import org.troupe.idl.Groups.MemberInfo;
import org.troupe.idl.Groups.RoleSpec;
import org.troupe.idl.Groups.UNBOUNDED;
import org.troupe.member.GroupSpec;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;
import org.troupe.protocol.ProtocolException;
import org.troupe.protocol.ProtocolLoader;
import picocli.CommandLine.Command;
import org.troupe.server.ops.Json;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code troupe groups [create|destroy]}: list a server's groups with their views and counters. */
@Command(name = "groups", mixinStandardHelpOptions = true,
        description = {"List a server's groups: current view (members, roles, view id), sequencer, counters.",
            "In a cluster, also the server that leads each group and its Raft term; --server may list every server "
                + "(the first that answers lists them)."},
        subcommands = {GroupsCommand.Create.class, GroupsCommand.Destroy.class})
final class GroupsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ServerUrl server;
    @Mixin
    AdminOptions admin;
    @Option(names = "--watch", paramLabel = "SECONDS", description = "List again every SECONDS, each listing headed "
            + "by the time, until interrupted (Ctrl-C).")
    Integer watchSeconds;
    @Option(names = "--json", description = "Print the listing as one JSON document (with --watch: one per line), "
            + "with the fields of the HTTP endpoint's /api/groups that the IDL gives: name, protocol, view, members, "
            + "complete, sequencer, messages_sequenced, views, and in a cluster leader and term.")
    boolean json;

    /** The server option of the group commands. */
    static final class ServerUrl {
        @Option(names = "--server", paramLabel = "URL", description = "The server: HOST:PORT, corbaloc:iiop:HOST:PORT, "
                + "or any URL or IOR the server prints; for a cluster, its servers as HOST:PORT,HOST:PORT,... (any "
                + "that answers serves; a member moves to another when its server dies) (default ${DEFAULT-VALUE}).")
        String url = "127.0.0.1:2809";
        @picocli.CommandLine.Mixin
        TlsClientOptions tls = new TlsClientOptions();
    }

    /** What a group is created from: an application protocol, or ad-hoc roles and types. */
    static final class Descriptor {
        @Option(names = "--protocol", paramLabel = "NAME|FILE", description = "An application protocol: a bundled "
                + "one (tele-teaching, card-game) or an XML file (see troupe validate); with --roles and --types, "
                + "just the name of an ad-hoc protocol.")
        String protocol;
        @Option(names = "--roles", paramLabel = "R:MIN:MAX,...",
                description = "Ad-hoc roles, e.g. Teacher:1:1,Student:1:n (MAX n = unbounded; a bare name = 0..n).")
        String roles;
        @Option(names = "--types", paramLabel = "T,...",
                description = "Ad-hoc message types, e.g. Question,Answer: every role sends every type, in total order.")
        String types;
        @Option(names = "--all-sequenced", description = "Switch the implied-order optimisation off: responses and turns "
                + "go through the sequencer too.")
        boolean allSequenced;

        /** Creates group {@code name} from these options. */
        void create(Troupe t, String name) throws TroupeException, ProtocolException {
            create(t, name, null);
        }

        /** Creates group {@code name} from these options, with a join key unless it is null. */
        void create(Troupe t, String name, String joinKey) throws TroupeException, ProtocolException {
            if (roles != null || types != null) {
                if (roles == null || types == null) {
                    throw new IllegalArgumentException("an ad-hoc protocol needs both --roles and --types");
                }
                org.troupe.protocol.ApplicationProtocol adHoc;
                try {
                    adHoc = GroupSpec.parse(protocol == null ? "ad-hoc" : protocol, roles, types).toProtocol();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("cannot create group '" + name + "': " + e.getMessage(), e);
                }
                t.createGroup(name, adHoc, !allSequenced, joinKey);
                return;
            }
            if (protocol == null) {
                throw new IllegalArgumentException("creating a group needs --protocol NAME|FILE (bundled: "
                        + String.join(", ", ProtocolLoader.bundledNames()) + "), or --roles and --types");
            }
            t.createGroup(name, ProtocolLoader.load(protocol), !allSequenced, joinKey);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (watchSeconds != null && watchSeconds < 1) {
            throw new IllegalArgumentException("--watch takes a whole number of seconds, at least 1");
        }
        admin.apply();
        try (Troupe t = Troupe.connect(server.url)) {
            PrintWriter out = spec.commandLine().getOut();
            if (watchSeconds == null) {
                list(t, out);
                return 0;
            }
            while (true) { // until interrupted: the JVM's exit ends it
                if (!json) {
                    out.println("-- " + java.time.LocalTime.now().withNano(0));
                }
                try {
                    list(t, out);
                } catch (org.troupe.member.TroupeException e) { // the server may come back: keep watching
                    out.println("troupe: " + e.getMessage());
                    out.flush();
                }
                Thread.sleep(watchSeconds * 1000L);
            }
        }
    }

    /** Prints every group once. */
    private void list(Troupe t, PrintWriter out) throws Exception {
        GroupInfo[] all = t.groups();
        if (json) {
            out.println(json(all));
            out.flush();
            return;
        }
        if (all.length == 0) {
            out.println("no groups");
        }
        for (GroupInfo g : all) {
            out.printf("%s  protocol=%s  view=%d  members=%d  complete=%s%s  sequencer=%s  messages=%d  views=%d%s%n",
                    g.name, g.descriptor.protocol, g.view.view_id, g.view.members.length, g.view.complete,
                    missing(g),
                    g.view.sequencer == 0 ? "server" : "member " + g.view.sequencer, g.messages_sequenced,
                    g.views_installed, leader(g));
            StringBuilder roles = new StringBuilder();
            for (RoleSpec r : g.descriptor.roles) {
                roles.append(roles.length() == 0 ? "" : ", ").append(r.name).append(' ')
                        .append(Integer.toUnsignedString(r.min)).append("..")
                        .append(r.max == UNBOUNDED.value ? "n" : Integer.toUnsignedString(r.max));
            }
            out.println("  roles: " + roles + "   types: " + String.join(", ", g.descriptor.message_types));
            for (MemberInfo m : g.view.members) {
                out.printf("  %4d  %-20s %s%n", m.id, m.name, m.role);
            }
        }
        out.flush();
    }

    /** The groups as {@code {"groups":[...]}}, named as the HTTP endpoint names them. */
    static String json(GroupInfo[] all) {
        StringBuilder b = new StringBuilder("{\"groups\":[");
        String sep = "";
        for (GroupInfo g : all) {
            b.append(sep).append("{\"name\":").append(Json.quote(g.name))
                    .append(",\"protocol\":").append(Json.quote(g.descriptor.protocol))
                    .append(",\"view\":").append(g.view.view_id).append(",\"members\":[");
            String msep = "";
            for (MemberInfo m : g.view.members) {
                b.append(msep).append("{\"id\":").append(m.id).append(",\"name\":").append(Json.quote(m.name))
                        .append(",\"role\":").append(Json.quote(m.role)).append('}');
                msep = ",";
            }
            b.append("],\"complete\":").append(g.view.complete).append(",\"sequencer\":").append(g.view.sequencer)
                    .append(",\"messages_sequenced\":").append(g.messages_sequenced)
                    .append(",\"views\":").append(g.views_installed);
            if (!g.leader.isEmpty() || g.term != 0) {
                b.append(",\"leader\":").append(g.leader.isEmpty() ? "null" : Json.quote(g.leader))
                        .append(",\"term\":").append(g.term);
            }
            b.append('}');
            sep = ",";
        }
        return b.append("]}").toString();
    }

    /**
     * Why a view is not complete: each role below its minimum, as {@code " (Teacher 0 of 1)"};
     * "" when every minimum is met.
     */
    static String missing(GroupInfo g) {
        StringBuilder b = new StringBuilder();
        for (RoleSpec r : g.descriptor.roles) {
            long in = java.util.Arrays.stream(g.view.members).filter(m -> m.role.equals(r.name)).count();
            if (in < Integer.toUnsignedLong(r.min)) {
                b.append(b.length() == 0 ? " (" : ", ").append(r.name).append(' ').append(in).append(" of ")
                        .append(Integer.toUnsignedString(r.min));
            }
        }
        return b.length() == 0 ? "" : b.append(')').toString();
    }

    /**
     * In a cluster, the server that hosts the group now and its Raft term ("" on a single server,
     * which reports no leader). While the group's shard elects a leader: {@code leader=none}.
     */
    static String leader(GroupInfo g) {
        if (g.leader.isEmpty() && g.term == 0) {
            return "";
        }
        return "  leader=" + (g.leader.isEmpty() ? "none" : g.leader) + "  term=" + g.term;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a group from an application protocol (or ad-hoc roles and types).")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ServerUrl server;
        @Mixin
        Descriptor descriptor;
        @Mixin
        AdminOptions admin;
        @Mixin
        JoinKeyOptions joinKey;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            admin.apply();
            String key = joinKey.key();
            try (Troupe t = Troupe.connect(server.url)) {
                descriptor.create(t, name, key);
                spec.commandLine().getOut().println("group " + name + " created");
            }
            return 0;
        }
    }

    @Command(name = "destroy", mixinStandardHelpOptions = true, description = "Destroy a group; its members are disconnected.")
    static final class Destroy implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ServerUrl server;
        @Mixin
        AdminOptions admin;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            admin.apply();
            try (Troupe t = Troupe.connect(server.url)) {
                t.destroyGroup(name);
                spec.commandLine().getOut().println("group " + name + " destroyed");
            }
            return 0;
        }
    }
}
