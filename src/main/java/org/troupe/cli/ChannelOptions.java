package org.troupe.cli;

import org.troupe.events.ChannelSettings;
import org.troupe.events.QueuePolicy;
import picocli.CommandLine.Option;

/** The channel tuning options, shared by {@code server} and {@code bench}. */
final class ChannelOptions {
    private static final ChannelSettings D = ChannelSettings.defaults();

    @Option(names = "--queue-capacity", paramLabel = "EVENTS",
            description = "Events queued per consumer before the queue policy applies (default ${DEFAULT-VALUE}).")
    int queueCapacity = D.queueCapacity();

    @Option(names = "--queue-policy", paramLabel = "POLICY",
            description = "disconnect | drop-oldest | drop-newest: what happens to a consumer whose queue is full "
                    + "(default disconnect).")
    String queuePolicy = D.queuePolicy().cliName();

    @Option(names = "--flow-watermark", paramLabel = "EVENTS",
            description = "A push waits while every consumer queue that is not full holds more than this "
                    + "(default ${DEFAULT-VALUE}).")
    int flowWatermark = D.flowWatermark();

    @Option(names = "--flow-timeout", paramLabel = "MS",
            description = "The longest a push waits for that (default ${DEFAULT-VALUE}).")
    long flowTimeout = D.flowTimeoutMillis();

    @Option(names = "--batch-max", paramLabel = "EVENTS",
            description = "Most events per call to one consumer or pull supplier (default ${DEFAULT-VALUE}).")
    int batchMax = D.batchMax();

    @Option(names = "--pull-interval", paramLabel = "MS",
            description = "Longest back-off between try_pulls of an idle pull supplier (default ${DEFAULT-VALUE}).")
    long pullInterval = D.pullIntervalMaxMillis();

    @Option(names = "--reply-timeout", paramLabel = "MS",
            description = "A consumer or supplier that does not answer a call within this is disconnected "
                    + "(default ${DEFAULT-VALUE}).")
    long replyTimeout = D.replyTimeoutMillis();

    ChannelSettings settings() {
        return new ChannelSettings(queueCapacity, QueuePolicy.parse(queuePolicy), flowWatermark, flowTimeout,
                batchMax, pullInterval, replyTimeout);
    }

    /** The same settings as command-line arguments (to pass to a child process). */
    java.util.List<String> asArgs() {
        return java.util.List.of("--queue-capacity", "" + queueCapacity, "--queue-policy", queuePolicy,
                "--flow-watermark", "" + flowWatermark, "--flow-timeout", "" + flowTimeout,
                "--batch-max", "" + batchMax, "--pull-interval", "" + pullInterval,
                "--reply-timeout", "" + replyTimeout);
    }
}
