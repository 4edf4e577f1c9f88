package org.troupe.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import org.troupe.apps.cards.Player;
import org.troupe.apps.cards.TerminalUi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code troupe play}: take a seat at a card table (the card-game protocol) and play Whist. */
@Command(name = "play", mixinStandardHelpOptions = true,
        description = {"Take a seat at a card table and play Whist (teams 1&3 against 2&4; the rules are in docs/applications.md).",
            "Type a card like QS or 10H when it is your turn; 'quit' leaves. With --auto the lowest legal card is "
                + "played. Exits 0 when the game is over."})
final class PlayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    GroupsCommand.ServerUrl server;
    @Mixin
    JoinKeyOptions joinKey;
    @Mixin
    AdminOptions admin;
    @Option(names = "--group", required = true, paramLabel = "TABLE", description = "The table (a card-game group).")
    String group;
    @Option(names = "--seat", required = true, paramLabel = "1-4", description = "The seat: joins as Player N.")
    int seat;
    @Option(names = "--name", paramLabel = "NAME", description = "Your name (default: player-SEAT).")
    String name;
    @Option(names = "--auto", description = "Play the lowest legal card without asking.")
    boolean auto;
    @Option(names = "--delay", paramLabel = "MS", defaultValue = "0",
            description = "With --auto, wait this long before each card (default ${DEFAULT-VALUE}).")
    long delayMs;
    @Option(names = "--hands", paramLabel = "N", defaultValue = "1",
            description = "Hands in the game, if you open it (default ${DEFAULT-VALUE}).")
    int hands;
    @Option(names = "--seed", paramLabel = "N", description = "Seed of the deal, if you open the game (default: random).")
    Long seed;
    @Option(names = "--create", description = "Create the table from the bundled card-game protocol if it does not "
            + "exist.")
    boolean create;
    @Option(names = "--pause-timeout", paramLabel = "S", defaultValue = "0",
            description = "Give up when a seat stays empty this long, in seconds (default: wait for ever).")
    long pauseTimeoutS;
    @Option(names = "--state-timeout", paramLabel = "S", defaultValue = "60",
            description = "Give up when the game's state has not come this long after joining (default "
                + "${DEFAULT-VALUE}).")
    long stateTimeoutS;

    @Option(names = "--exit-with-parent", hidden = true,
            description = "Stop when the process that started this one exits (demos and tests).")
    boolean exitWithParent;

    @Override
    public Integer call() throws Exception {
        if (exitWithParent) {
            org.troupe.bench.ParentWatch.haltWithParent();
        }
        joinKey.apply();
        admin.apply(); // --create
        Player.Options options = new Player.Options(server.url, group, seat, name != null ? name : "player-" + seat,
                auto, delayMs, hands, seed, create, pauseTimeoutS > 0 ? Duration.ofSeconds(pauseTimeoutS) : null,
                Duration.ofSeconds(Math.max(1, stateTimeoutS)));
        BlockingQueue<String> input = auto ? null : readStdin();
        return new Player(options, new TerminalUi(spec.commandLine().getOut()), input).run();
    }

    /** Stdin lines on a bounded queue, read by a daemon thread; {@link Player#END_OF_INPUT} at the end. */
    private static BlockingQueue<String> readStdin() {
        BlockingQueue<String> q = new ArrayBlockingQueue<>(256);
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    q.put(line);
                }
            } catch (IOException e) {
                // stdin closed
            } catch (InterruptedException e) {
                return;
            }
            try {
                q.put(Player.END_OF_INPUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "troupe-play-stdin");
        t.setDaemon(true);
        t.start();
        return q;
    }
}
