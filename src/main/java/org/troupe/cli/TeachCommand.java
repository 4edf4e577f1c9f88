package org.troupe.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.troupe.apps.teaching.TeacherApp;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;
import org.troupe.protocol.ProtocolLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code troupe teach}: the tele-teaching Teacher, on the terminal. */
@Command(name = "teach", mixinStandardHelpOptions = true,
        description = {"Teach a tele-teaching group: ask Questions, post Formulas, see Answers and Doubts.",
            "Commands: ask TEXT, formula TEXT, explain NAME TEXT, status, quit."})
final class TeachCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    GroupsCommand.ServerUrl server;
    @Mixin
    JoinKeyOptions joinKey;
    @Mixin
    AdminOptions admin;
    @Option(names = "--group", paramLabel = "NAME", defaultValue = "math-101",
            description = "The group (default ${DEFAULT-VALUE}); created if it does not exist.")
    String group;
    @Option(names = "--name", paramLabel = "NAME", defaultValue = "teacher",
            description = "The Teacher's name (default ${DEFAULT-VALUE}).")
    String name;
    @Option(names = "--protocol", paramLabel = "NAME|FILE", defaultValue = "tele-teaching",
            description = "The protocol of a group created here (default ${DEFAULT-VALUE}; a file may set other "
                    + "timeouts).")
    String protocol;

    @Override
    public Integer call() throws Exception {
        String key = joinKey.apply();
        admin.apply();
        try (Troupe t = Troupe.connect(server.url).closeOnExit(TroupeCli.EXIT_LEAVE)) { // Ctrl-C: leave, not crash
            try {
                t.createGroup(group, ProtocolLoader.load(protocol), true, key);
            } catch (TroupeException e) {
                // a server with an admin secret lets a Teacher without it join a group that exists
                if (!e.getMessage().endsWith("exists already")
                        && !(e.getCause() instanceof org.omg.CORBA.NO_PERMISSION)) {
                    throw e;
                }
            }
            return TeacherApp.run(t, group, name,
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                    spec.commandLine().getOut());
        }
    }
}
