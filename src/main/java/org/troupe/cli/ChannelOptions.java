package org.troupe.cli;

import org.troupe.server.events.ChannelSettings;
import org.troupe.server.events.QueuePolicy;
import picocli.CommandLine.Option;

/** The channel tuning options, shared by {@code server} and {@code bench}. */
public final class ChannelOptions {
    private static final ChannelSettings D = ChannelSettings.defaults();

    @Option(names = "--queue-capacity", paramLabel = "EVENTS",
            description = "Events queued per consumer before the queue policy applies (default ${DEFAULT-VALUE}).")
    int queueCapacity = D.queueCapacity();

    @Option(names = "--queue-policy", paramLabel = "POLICY",
            description = "disconnect | drop-oldest | drop-newest: what happens to a consumer whose queue is full "
                    + "(default disconnect).")
    String queuePolicy = D.queuePolicy().cliName();

    @Option(names = "--flow-watermark", paramLabel = "EVENTS",
            description = "A push waits while a responsive consumer's queue holds more than this "
                    + "(default ${DEFAULT-VALUE}).")
    int flowWatermark = D.flowWatermark();

    @Option(names = "--stall", paramLabel = "MS",
            description = "A consumer that takes no events for this long stops holding suppliers back "
                    + "(default ${DEFAULT-VALUE}).")
    long stall = D.stallMillis();

    @Option(names = "--flow-timeout", paramLabel = "MS",
            description = "The longest one push waits for flow control (default ${DEFAULT-VALUE}).")
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

    @Option(names = "--proxy-connect-timeout", paramLabel = "MS",
            description = "A proxy obtained but not connected within this is disposed (default ${DEFAULT-VALUE}).")
    long proxyConnectTimeout = D.proxyConnectTimeoutMillis();

    @Option(names = "--max-unconnected-proxies", paramLabel = "N",
            description = "Proxies one channel holds obtained but not connected; beyond this obtain_* raises "
                    + "IMP_LIMIT (default ${DEFAULT-VALUE}).")
    int maxUnconnectedProxies = D.maxUnconnectedProxies();

    @Option(names = "--pull-wait", paramLabel = "MS",
            description = "The longest one pull waits for an event; then it raises TRANSIENT and the consumer pulls"
                    + " again (default ${DEFAULT-VALUE}).")
    long pullWait = D.pullWaitMillis();

    @Option(names = "--max-waiting-pulls", paramLabel = "N",
            description = "Pulls waiting for events at once on the whole server (each holds a request thread); a pull"
                    + " beyond this on an empty queue raises TRANSIENT at once (default ${DEFAULT-VALUE}).")
    int maxWaitingPulls = D.maxWaitingPulls();

    @Option(names = "--max-consumers", paramLabel = "N",
            description = "Consumers connected at once to one channel; beyond this connect_*_consumer raises"
                    + " IMP_LIMIT (default ${DEFAULT-VALUE}).")
    int maxConsumers = D.maxConsumers();

    public ChannelSettings settings() {
        return new ChannelSettings(queueCapacity, QueuePolicy.parse(queuePolicy), flowWatermark, stall,
                flowTimeout, batchMax, pullInterval, replyTimeout, proxyConnectTimeout, maxUnconnectedProxies,
                pullWait, maxWaitingPulls, maxConsumers);
    }

    /** The same settings as command-line arguments (to pass to a child process). */
    public java.util.List<String> asArgs() {
        return java.util.List.of("--queue-capacity", "" + queueCapacity, "--queue-policy", queuePolicy,
                "--flow-watermark", "" + flowWatermark, "--stall", "" + stall, "--flow-timeout", "" + flowTimeout,
                "--batch-max", "" + batchMax, "--pull-interval", "" + pullInterval,
                "--reply-timeout", "" + replyTimeout, "--proxy-connect-timeout", "" + proxyConnectTimeout,
                "--max-unconnected-proxies", "" + maxUnconnectedProxies, "--pull-wait", "" + pullWait,
                "--max-waiting-pulls", "" + maxWaitingPulls, "--max-consumers", "" + maxConsumers);
    }
}
