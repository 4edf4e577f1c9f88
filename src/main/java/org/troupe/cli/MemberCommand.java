package org.troupe.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import org.troupe.member.Group;
import org.troupe.member.GroupListener;
import org.troupe.member.JoinOptions;
import org.troupe.member.Query;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;
import org.troupe.member.model.Destination;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.Received;
import org.troupe.member.model.View;
import org.troupe.member.model.ViewChange;
import org.troupe.protocol.TypeRule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code troupe member}: joins a group, sends each stdin line as a message and prints every
 * delivery and view; for trying Troupe by hand and for tests.
 */
@Command(name = "member", mixinStandardHelpOptions = true,
        description = {"Join a group, send stdin lines, print deliveries and views.",
            "Lines starting with '/' are commands: /type T, /to group|role:R|member:ID, /view, /leave (or /quit), "
                + "/help; '//' sends a line that starts with '/'."})
final class MemberCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    GroupsCommand.ServerUrl server;
    @Mixin
    JoinKeyOptions joinKey;
    @Option(names = "--group", required = true, paramLabel = "NAME", description = "The group to join.")
    String group;
    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "The role to join in.")
    String role;
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "This member's name.")
    String name;
    @Option(names = "--type", paramLabel = "TYPE", description = "Type of the messages sent (default: the group's first).")
    String type;
    @Option(names = "--to", paramLabel = "DEST", defaultValue = "group",
            description = "Destination: group, role:ROLE or member:ID (default ${DEFAULT-VALUE}).")
    String to;
    @Option(names = "--sequencer", description = "Volunteer to hold the group's sequencer.")
    boolean sequencer;
    @Option(names = "--self-discard", description = "Do not deliver this member's own messages to it.")
    boolean selfDiscard;
    @Option(names = "--create", description = "Create the group first if it does not exist (with --protocol, or "
            + "--roles and --types).")
    boolean create;
    @Mixin
    GroupsCommand.Descriptor descriptor;

    @Override
    public Integer call() throws Exception {
        joinKey.apply();
        PrintWriter out = spec.commandLine().getOut();
        try (Troupe t = Troupe.connect(server.url).closeOnExit(TroupeCli.EXIT_LEAVE)) { // Ctrl-C: leave, not crash
            if (create) {
                try {
                    descriptor.create(t, group);
                } catch (TroupeException e) {
                    if (!e.getMessage().endsWith("exists already")) {
                        throw e;
                    }
                }
            }
            Object done = new Object();
            String[] closed = new String[1];
            Printer printer = new Printer(out, closed, done);
            Group g = t.join(group, role, name, JoinOptions.defaults().sequencer(sequencer).selfDiscard(selfDiscard)
                    .listener(printer));
            synchronized (out) {
                out.println("joined " + group + " as " + g.me() + "; layers " + String.join(" < ", g.layers()));
                out.flush();
            }
            String sendType = type;
            Destination dest = destination(to);
            org.troupe.apps.LineInput in = org.troupe.apps.LineInput.reading(new BufferedReader(
                    new InputStreamReader(System.in, StandardCharsets.UTF_8)), "troupe-stdin");
            String line;
            while ((line = in.next(g::isClosed)) != null) {
                try {
                    String command = line.strip();
                    if (command.startsWith("//")) {
                        send(g, printer, sendType != null ? sendType : firstType(t), line.substring(line.indexOf('/') + 1),
                                dest, out);
                    } else if (command.startsWith("/type ")) {
                        sendType = knownType(g, command.substring(6).trim());
                        print(out, "sending " + sendType);
                    } else if (command.startsWith("/to ")) {
                        dest = checkedDestination(g, command.substring(4).trim());
                        print(out, "sending to " + command.substring(4).trim());
                    } else if (command.equals("/view")) {
                        print(out, "view " + describe(g.view()));
                    } else if (command.equals("/leave") || command.equals("/quit")) {
                        break;
                    } else if (command.equals("/help")) {
                        print(out, HELP);
                    } else if (command.startsWith("/")) {
                        print(out, "error: unknown command '" + command + "' (/help lists them; '//' sends a line "
                                + "that starts with '/')");
                    } else {
                        send(g, printer, sendType != null ? sendType : firstType(t), line, dest, out);
                    }
                } catch (TroupeException | IllegalArgumentException e) {
                    print(out, "error: " + e.getMessage());
                }
            }
            if (!g.isClosed()) {
                g.flush(java.time.Duration.ofSeconds(10));
                g.leave();
            }
            synchronized (done) {
                long deadline = System.currentTimeMillis() + 5000;
                while (closed[0] == null && System.currentTimeMillis() < deadline) {
                    done.wait(100);
                }
            }
            return closed[0] == null || closed[0].startsWith("left ") ? 0 : 2;
        }
    }

    /**
     * Sends one line as the protocol wants it: a query is asked (its outcome is printed when it
     * completes), a response answers the last delivered message it can answer, anything else is
     * sent.
     */
    private static void send(Group g, Printer printer, String type, String line, Destination dest, PrintWriter out)
            throws TroupeException {
        byte[] payload = line.getBytes(StandardCharsets.UTF_8);
        TypeRule rule = g.protocol().rule(type);
        if (rule != null && rule.kind() == TypeRule.Kind.REACTIVE) {
            Received query = printer.lastOf(rule.answers());
            if (query == null) {
                throw new TroupeException("no " + String.join(" or ", rule.answers()) + " delivered yet to answer with a "
                        + type);
            }
            g.reply(query, type, payload);
        } else if (rule != null && rule.isQuery() && rule.kind() == TypeRule.Kind.PROACTIVE) {
            Query q = g.ask(type, payload, dest);
            q.onDone(done -> print(out, "query " + type + "#" + done.messageId() + " " + done.outcome()
                    + ": responses " + done.responses().size() + " from " + done.responders() + "; missing "
                    + done.missing() + (done.late() > 0 ? "; late " + done.late() : "")));
        } else {
            g.send(type, payload, dest);
        }
    }

    private String firstType(Troupe t) throws TroupeException {
        for (org.troupe.idl.Groups.GroupInfo i : t.groups()) {
            if (i.name.equals(group)) {
                type = i.descriptor.message_types[0];
                return type;
            }
        }
        throw new TroupeException("group " + group + " is gone");
    }

    static final String HELP = String.join("\n",
            "/type T                     send messages of type T (one of the group's message types)",
            "/to group|role:R|member:ID  send to the whole group, one role, or one member of the view",
            "/view                       print the current view",
            "/leave, /quit               leave the group and exit",
            "//text                      send '/text'",
            "anything else               is sent as a message");

    /** {@code type} if the group's protocol has it; otherwise an error naming the types it has. */
    static String knownType(Group g, String type) {
        if (!g.protocol().messageTypes().contains(type)) {
            throw new IllegalArgumentException("group " + g.name() + " has no message type '" + type + "' (types: "
                    + String.join(", ", g.protocol().messageTypes()) + ")");
        }
        return type;
    }

    /** A destination that can reach someone now: a role of the protocol, a member of the view. */
    static Destination checkedDestination(Group g, String s) {
        Destination d = destination(s);
        if (s.startsWith("role:") && g.protocol().role(s.substring(5)) == null) {
            throw new IllegalArgumentException("group " + g.name() + " has no role '" + s.substring(5)
                    + "' (roles: " + String.join(", ", g.protocol().roles().stream().map(r -> r.name()).toList()) + ")");
        }
        if (s.startsWith("member:") && g.view().member(Long.parseLong(s.substring(7))) == null) {
            throw new IllegalArgumentException("member " + s.substring(7) + " is not in the view: " + describe(g.view()));
        }
        return d;
    }

    static Destination destination(String s) {
        if (s.equals("group")) {
            return Destination.group();
        }
        if (s.startsWith("role:") && s.length() > 5) {
            return Destination.role(s.substring(5));
        }
        if (s.startsWith("member:")) {
            try {
                return Destination.member(Long.parseLong(s.substring(7)));
            } catch (NumberFormatException e) {
                // falls through to the error
            }
        }
        throw new IllegalArgumentException("destination '" + s + "': write group, role:ROLE or member:ID");
    }

    static String describe(View v) {
        StringJoiner j = new StringJoiner(", ");
        for (MemberInfo m : v.members()) {
            j.add(m.toString());
        }
        return v.id() + " [" + j + "]" + (v.complete() ? " complete" : " incomplete") + ", sequencer "
                + (v.sequencer() == 0 ? "server" : "member " + v.sequencer());
    }

    private static void print(PrintWriter out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** Prints deliveries as they come. */
    private static final class Printer implements GroupListener {
        private final PrintWriter out;
        private final String[] closed;
        private final Object done;

        Printer(PrintWriter out, String[] closed, Object done) {
            this.out = out;
            this.closed = closed;
            this.done = done;
        }

        private final java.util.Map<String, Received> last = new java.util.concurrent.ConcurrentHashMap<>();

        /** The last delivered message of one of these types, or null. */
        Received lastOf(java.util.Set<String> types) {
            Received best = null;
            for (String t : types) {
                Received r = last.get(t);
                if (r != null && (best == null || r.sequenceId() > best.sequenceId())) {
                    best = r;
                }
            }
            return best;
        }

        @Override
        public void onMessage(Received m) {
            last.put(m.type(), m);
            print(out, "[" + m.sequenceId() + "] " + m.sender() + " " + m.type() + ": " + m.text());
        }

        @Override
        public void onView(ViewChange c) {
            StringBuilder b = new StringBuilder("[" + c.sequenceId() + "] view " + describe(c.view()));
            c.joined().forEach(m -> b.append("; joined ").append(m));
            c.left().forEach(m -> b.append("; left ").append(m));
            c.crashed().forEach(m -> b.append("; crashed ").append(m));
            print(out, b.toString());
        }

        @Override
        public void onClosed(String reason) {
            print(out, "closed: " + reason);
            synchronized (done) {
                closed[0] = reason;
                done.notifyAll();
            }
        }
    }
}
