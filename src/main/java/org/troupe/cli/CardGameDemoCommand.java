package org.troupe.cli;

import java.util.concurrent.Callable;
import org.troupe.apps.cards.CardGameDemo;
import org.troupe.apps.cards.TerminalUi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code troupe demo card-game}: an embedded server and four automatic players, one JVM each. */
@Command(name = "card-game", mixinStandardHelpOptions = true,
        description = "Four automatic Whist players (one JVM each) play a game on an embedded server; "
            + "ends with the score.")
final class CardGameDemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--hands", paramLabel = "N", defaultValue = "1", description = "Hands (default ${DEFAULT-VALUE}).")
    int hands;
    @Option(names = "--delay", paramLabel = "MS", defaultValue = "100",
            description = "Each player's pause before a card (default ${DEFAULT-VALUE}).")
    long delayMs;
    @Option(names = "--seed", paramLabel = "N", description = "Seed of the deal (default: random).")
    Long seed;
    @Option(names = "--timeout", paramLabel = "S", defaultValue = "300",
            description = "The most the demo may take, in seconds (default ${DEFAULT-VALUE}).")
    long timeoutS;

    @Override
    public Integer call() throws Exception {
        if (hands < 1 || delayMs < 0 || timeoutS < 1) {
            throw new IllegalArgumentException("--hands and --timeout must be positive and --delay not negative");
        }
        DemoCommand.quietServerLogs();
        return new CardGameDemo(new CardGameDemo.Options(hands, delayMs, seed, timeoutS),
                new TerminalUi(spec.commandLine().getOut())).run();
    }
}
