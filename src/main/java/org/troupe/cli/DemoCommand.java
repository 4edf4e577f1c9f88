package org.troupe.cli;

import java.util.concurrent.Callable;
import org.troupe.apps.demo.TeleTeachingDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code troupe demo}: the applications, scripted, with an embedded server. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a scripted demo with an embedded server; participants are processes of their own.",
        subcommands = {DemoCommand.TeleTeaching.class})
final class DemoCommand {
    @Command(name = "tele-teaching", mixinStandardHelpOptions = true,
            description = "A Teacher and four Students: answers, a doubt, a late join with state transfer, a crash.")
    static final class TeleTeaching implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return TeleTeachingDemo.run(spec.commandLine().getOut());
        }
    }
}
