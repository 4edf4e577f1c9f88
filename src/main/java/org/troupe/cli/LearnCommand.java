package org.troupe.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.troupe.apps.teaching.StudentApp;
import org.troupe.member.Troupe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code troupe learn}: a tele-teaching Student, on the terminal. */
@Command(name = "learn", mixinStandardHelpOptions = true,
        description = {"Join a tele-teaching group as a Student: see Questions and Formulas, answer and doubt.",
            "Commands: answer TEXT, doubt TEXT, status, quit. A late Student gets the lesson so far."})
final class LearnCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    GroupsCommand.ServerUrl server;
    @Mixin
    JoinKeyOptions joinKey;
    @Option(names = "--group", paramLabel = "NAME", defaultValue = "math-101",
            description = "The group (default ${DEFAULT-VALUE}).")
    String group;
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "This Student's name.")
    String name;
    @Option(names = "--auto-answer", paramLabel = "MS", defaultValue = "-1",
            description = "Answer every Question by itself after MS milliseconds (for demos and tests).")
    long autoAnswerMillis;

    @Override
    public Integer call() throws Exception {
        joinKey.apply();
        try (Troupe t = Troupe.connect(server.url).closeOnExit(TroupeCli.EXIT_LEAVE)) { // Ctrl-C: leave, not crash
            return StudentApp.run(t, group, name, autoAnswerMillis,
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                    spec.commandLine().getOut());
        }
    }
}
