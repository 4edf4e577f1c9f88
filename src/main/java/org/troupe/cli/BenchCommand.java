package org.troupe.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.troupe.bench.ChannelBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code troupe bench ...}: benchmarks that print one machine-readable line per system. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchCommand.Channel.class})
final class BenchCommand {

    @Command(name = "channel", mixinStandardHelpOptions = true,
            description = "1 supplier -> K push consumers through one event channel, each in its own JVM.")
    static final class Channel implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--consumers", description = "Push consumers K (default ${DEFAULT-VALUE}).")
        int consumers = 2;

        @Option(names = "--size", description = "Event size in bytes (default ${DEFAULT-VALUE}).")
        int size = 1000;

        @Option(names = "--events", description = "Events through Troupe's channel (default ${DEFAULT-VALUE}).")
        int events = 100_000;

        @Option(names = "--compare", paramLabel = "PEER",
                description = "Also run this peer the same way: jacorb (org.jacorb.events.EventChannelImpl).")
        String compare;

        @Option(names = "--peer-events", description = "Events through the peer's channel (default ${DEFAULT-VALUE}).")
        int peerEvents = 20_000;

        @Option(names = "--stopped", description = "Also run Troupe with this many extra consumers SIGSTOPped "
                + "(default ${DEFAULT-VALUE}; 0 = skip).")
        int stopped = 1;

        @Option(names = "--idle", paramLabel = "MS",
                description = "A consumer that receives nothing for this long reports what it has (default ${DEFAULT-VALUE}).")
        long idle = 10_000;

        @Option(names = "--child-jvm-opt", paramLabel = "OPT",
                description = "Extra JVM option for every child process (repeatable), e.g. -XX:+UseParallelGC.")
        List<String> childJvmOpts = new java.util.ArrayList<>();

        @Mixin
        ChannelOptions channelOptions = new ChannelOptions();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            channelOptions.settings(); // validate before starting processes
            List<String> hostArgs = channelOptions.asArgs();
            // A fixed, pre-touched heap: otherwise a JVM keeps growing its heap under this allocation rate
            // and spends most of its time in the kernel zeroing fresh pages (measured: 62% of the
            // supplier's CPU). Both systems get the same.
            List<String> jvm = new java.util.ArrayList<>(List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch",
                    "-Dtroupe.log=WARN"));
            jvm.addAll(childJvmOpts);
            ChannelBench bench = new ChannelBench(hostArgs, jvm, idle);
            ChannelBench.Result troupe = bench.run("troupe", consumers, 0, size, events);
            out.println(troupe.line());
            spec.commandLine().getErr().println("# troupe " + troupe.cpu());
            out.flush();
            ChannelBench.Result peer = null;
            if ("jacorb".equals(compare)) {
                peer = bench.run("jacorb", consumers, 0, size, peerEvents);
                peer = new ChannelBench.Result("jacorb-cosevent", peer.bench(), peer.consumers(), 0, peer.size(),
                        peer.events(), peer.eventsPerSecond(), peer.p50us(), peer.p99us(), peer.lost(), peer.reordered(),
                        peer.cpu());
                out.println(peer.line());
                out.flush();
                spec.commandLine().getErr().println("# jacorb-cosevent " + peer.cpu());
            } else if (compare != null) {
                throw new IllegalArgumentException("unknown --compare peer '" + compare + "' (known: jacorb)");
            }
            ChannelBench.Result withStopped = null;
            if (stopped > 0) {
                withStopped = bench.run("troupe", consumers, stopped, size, events);
                out.println(withStopped.line());
            }
            if (peer != null) {
                out.printf("ratio troupe/jacorb-cosevent events_s=%.1f%n", troupe.eventsPerSecond() / peer.eventsPerSecond());
            }
            if (withStopped != null) {
                out.printf("ratio troupe-stopped/troupe events_s=%.2f%n",
                        withStopped.eventsPerSecond() / troupe.eventsPerSecond());
            }
            out.flush();
            return 0;
        }
    }
}
