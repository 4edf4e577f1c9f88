package org.troupe.apps.cards;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.troupe.server.events.ChannelSettings;
import org.troupe.server.groups.GroupSettings;
import org.troupe.member.Troupe;
import org.troupe.protocol.ProtocolLoader;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;

/**
 * {@code troupe demo card-game}: an embedded server on 127.0.0.1 (a free port), a table, and four
 * {@code troupe play --auto} players, each in its own JVM. Shows the session as it happens, each
 * line prefixed by its seat (every card by the player who plays it; tricks and hands once, from
 * seat 1), and ends with a summary: the score, the tricks per team, the time, and whether every
 * player printed the same final line.
 */
public final class CardGameDemo {
    private static final String TABLE = "demo-table";
    private static final String[] NAMES = {"ann", "bob", "carl", "dora"};
    private static final List<String> CHILD_JVM = List.of("-Xmx128m", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Dtroupe.log=WARN");

    /**
     * How the demo runs.
     *
     * @param hands hands in the game
     * @param delayMillis each player's pause before a card
     * @param seed the deal's seed (null: random)
     * @param timeoutSeconds the most the game may take
     */
    public record Options(int hands, long delayMillis, Long seed, long timeoutSeconds) {
    }

    private final Options options;
    private final TerminalUi ui;

    public CardGameDemo(Options options, TerminalUi ui) {
        this.options = options;
        this.ui = ui;
    }

    /** Runs the demo; returns 0 if the game ended and every player agrees on it, else 1. */
    public int run() throws Exception {
        long t0 = System.nanoTime();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "127.0.0.1:" + port;
        List<Seat> seats = new ArrayList<>();
        try (TroupeServer server = TroupeServer.start(new ServerSettings("127.0.0.1", port, false,
                ChannelSettings.defaults(), GroupSettings.defaults()))) {
            try (Troupe admin = Troupe.connect(url)) {
                admin.createGroup(TABLE, ProtocolLoader.loadBundled(Player.PROTOCOL));
            }
            long seed = options.seed() != null ? options.seed()
                    : java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 1_000_000);
            ui.say("demo card-game: server on " + url + ", table " + TABLE + "; starting 4 players (one JVM each): "
                    + "hands=" + options.hands() + " seed=" + seed + " delay=" + options.delayMillis() + "ms");
            try {
                for (int i = 1; i <= 4; i++) {
                    seats.add(Seat.start(i, NAMES[i - 1], url, options, seed, ui));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.timeoutSeconds());
                for (Seat s : seats) {
                    long left = deadline - System.nanoTime();
                    if (!s.process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                        ui.say("demo card-game: FAILED: the game did not end within " + options.timeoutSeconds()
                                + " s (seat " + s.seat + " still playing)");
                        return 1;
                    }
                    s.reader.join(2000);
                }
            } finally {
                for (Seat s : seats) {
                    s.process.destroyForcibly();
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<String> finals = new ArrayList<>();
        for (Seat s : seats) {
            if (s.process.exitValue() != 0 || s.gameOver == null) {
                ui.say("demo card-game: FAILED: seat " + s.seat + " exited with " + s.process.exitValue()
                        + (s.gameOver == null ? " before the game was over" : ""));
                return 1;
            }
            finals.add(s.gameOver);
        }
        boolean agree = finals.stream().distinct().count() == 1;
        ui.say(String.format(java.util.Locale.ROOT, "demo card-game: %d players, %d hand%s, %d tricks, %d cards in "
                + "%.1f s; %s; %s", 4, options.hands(), options.hands() == 1 ? "" : "s", seats.get(0).tricks,
                seats.get(0).cards, seconds, finals.get(0).substring("game over: ".length()),
                agree ? "every player agrees" : "PLAYERS DISAGREE: " + finals));
        return agree ? 0 : 1;
    }

    /** One player's JVM and what it printed. */
    private static final class Seat {
        final int seat;
        final String prefix;
        final Process process;
        final Thread reader;
        volatile String gameOver;
        volatile int tricks;
        volatile int cards;

        private Seat(int seat, String name, Process process, TerminalUi ui) {
            this.seat = seat;
            this.prefix = "[seat " + seat + " " + name + "] ";
            this.process = process;
            this.reader = new Thread(() -> read(ui), "demo-seat-" + seat);
            reader.setDaemon(true);
            reader.start();
        }

        static Seat start(int seat, String name, String url, Options o, long seed, TerminalUi ui) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(CHILD_JVM);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add("org.troupe.cli.TroupeCli"); // by name: the applications do not depend on the CLI
            cmd.addAll(List.of("play", "--exit-with-parent", "--server", url, "--group", TABLE, "--seat",
                    Integer.toString(seat), "--name", name, "--auto", "--delay", Long.toString(o.delayMillis()),
                    "--hands", Integer.toString(o.hands()), "--seed", Long.toString(seed), "--pause-timeout", "30"));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            return new Seat(seat, name, p, ui);
        }

        private void read(TerminalUi ui) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("game over: ")) {
                        gameOver = line;
                    }
                    if (line.startsWith("trick ")) {
                        tricks++;
                    }
                    if (line.startsWith("play ")) {
                        cards++;
                    }
                    if (shows(line)) {
                        ui.say(prefix + line);
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }

        /** Every card by its player; what every player prints (tricks, hands) from seat 1 only. */
        private boolean shows(String line) {
            if (line.startsWith("play ")) {
                return line.contains(" Player " + seat + " (");
            }
            boolean shared = line.startsWith("trick ") || line.startsWith("game opened")
                    || line.startsWith("all four seats") || line.contains(" took seat ")
                    || (line.startsWith("hand ") && line.contains(" over: "));
            return !shared || seat == 1;
        }
    }
}
