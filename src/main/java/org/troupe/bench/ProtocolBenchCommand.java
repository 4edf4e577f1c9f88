package org.troupe.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code troupe bench protocol}: the three machine-readable lines of {@link ProtocolBench} on
 * stdout, each run's guarantees check (and its channel counters) on stderr. Exit code 3 if a
 * check failed.
 */
@Command(name = "protocol", mixinStandardHelpOptions = true,
        description = {"A Teacher asks Questions and N Students answer, each in its own JVM: delivery latency and "
                + "channel events per message of sequenced Questions and reactive Answers, then the same run with "
                + "the optimisation (implied order for responses) off.",
            "sequenced: a Question at a Student, from the Teacher's send; reactive: an Answer at the Teacher, from "
                + "its Student's send; events_per_msg: channel events the receivers spent on the type per delivery."})
public final class ProtocolBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--protocol", paramLabel = "NAME|FILE",
            description = "The application protocol: a bundled name or a file; it must have the tele-teaching "
                    + "Question/Answer pattern (default ${DEFAULT-VALUE}).")
    String protocol = "tele-teaching";

    @Option(names = "--students", description = "Students N, each in its own JVM (default ${DEFAULT-VALUE}).")
    int students = 8;

    @Option(names = "--questions", description = "Measured rounds (default ${DEFAULT-VALUE}).")
    int questions = 200;

    @Option(names = "--warmup", paramLabel = "ROUNDS",
            description = "Unmeasured rounds first (default: a quarter of --questions, at least 10).")
    Integer warmup;

    @Option(names = "--size", description = "Question and Answer payload in bytes, at least 24 (default ${DEFAULT-VALUE}).")
    int size = 100;

    @Option(names = "--sequencer", paramLabel = "teacher|server",
            description = "Who holds the group's sequencer (default ${DEFAULT-VALUE}).")
    String sequencer = "teacher";

    @Option(names = "--heap", paramLabel = "SIZE", description = "Heap of every child JVM (default ${DEFAULT-VALUE}).")
    String heap = "128m";

    @Option(names = "--child-jvm-opt", paramLabel = "OPT", description = "Extra JVM option for every child (repeatable).")
    List<String> childJvmOpts = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProtocolBench.Sequencer where;
        try {
            where = ProtocolBench.Sequencer.valueOf(sequencer.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--sequencer must be teacher or server, not '" + sequencer + "'");
        }
        int w = warmup != null ? warmup : Math.max(10, questions / 4);
        // Serial GC and a fixed, pre-touched heap, as in the other benches: many JVMs share 2 cores
        List<String> jvm = new ArrayList<>(List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch",
                "-XX:+UseSerialGC", "-Dtroupe.log=WARN", "-Djava.net.preferIPv4Stack=true"));
        jvm.addAll(childJvmOpts);
        ProtocolBench.Settings settings = new ProtocolBench.Settings(protocol, students, questions, w, size, where, jvm);
        ProtocolBench.Report report = new ProtocolBench(settings).run();
        for (String line : report.lines()) {
            out.println(line);
        }
        out.flush();
        for (ProtocolBench.Run run : List.of(report.optimised(), report.unoptimised())) {
            for (String note : run.notes()) {
                err.println("# " + note);
            }
            err.println(run.checkLine(report.students(), report.rounds()));
        }
        err.flush();
        return report.ok() ? 0 : 3;
    }
}
