package org.troupe.cli;

import java.util.concurrent.Callable;
import org.troupe.apps.demo.FailoverDemo;
import org.troupe.apps.demo.TeleTeachingDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code troupe demo}: the demo applications, each with an embedded server and scripted participants. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a demo: an embedded server and scripted participants in separate processes.",
        subcommands = {DemoCommand.TeleTeaching.class, CardGameDemoCommand.class, DemoCommand.Failover.class})
final class DemoCommand {
    /** The embedded server's INFO lines would drown the session: WARN and up, unless -Dtroupe.log says otherwise. */
    static void quietServerLogs() {
        if (System.getProperty("troupe.log") == null
                && org.slf4j.LoggerFactory.getLogger("org.troupe") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    @Command(name = "tele-teaching", mixinStandardHelpOptions = true,
            description = "A Teacher and four Students: answers, a doubt, a late join with state transfer, a crash.")
    static final class TeleTeaching implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            quietServerLogs();
            return TeleTeachingDemo.run(spec.commandLine().getOut());
        }
    }

    @Command(name = "failover", mixinStandardHelpOptions = true,
            description = "Three servers and a tele-teaching class; the class's leader is killed (SIGKILL) "
                    + "mid-question, the class goes on, and the demo shows how long deliveries paused.")
    static final class Failover implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            quietServerLogs();
            return FailoverDemo.run(spec.commandLine().getOut());
        }
    }
}
