package org.troupe.apps.cards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.cli.TroupeCli;
import org.troupe.server.JavaProcess;
import org.troupe.server.TroupeProcesses;

/**
 * The card game end to end: a server JVM and {@code troupe play} in one JVM per seat, driven
 * through stdin and stdout. A whole game with a person's seat (explicit cards, illegal ones
 * refused); a player killed with {@code kill -9} and its seat taken again by a new process that
 * gets the state; {@code troupe demo card-game}; bad seats.
 */
@Tag("process")
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CardGameAppTest {
    private static final List<String> PLAYER_JVM = List.of("-Xmx128m", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Dtroupe.log=WARN");
    private static final long WAIT_MS = 60_000;
    private static final long SEED = 11;
    private static final String[] NAMES = {"ann", "bob", "carl", "dora"};
    private static final Pattern PLAY_LINE = Pattern.compile("play \\d+\\.\\d+ Player (\\d) \\([^)]*\\): (\\S+)");

    private final List<JavaProcess> processes = new ArrayList<>();
    private String url;

    @AfterEach
    void stopAll() {
        processes.forEach(JavaProcess::close);
    }

    private void startServer() throws Exception {
        int port = JavaProcess.freePort();
        processes.add(TroupeProcesses.startServer("cards-server", port, List.of("--host", "127.0.0.1", "--no-naming",
                "--heartbeat", "200", "--suspect", "1200")));
        url = "127.0.0.1:" + port;
    }

    private JavaProcess player(String table, int seat, String name, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("play", "--exit-with-parent", "--server", url, "--group", table,
                "--seat", Integer.toString(seat), "--name", name, "--create"));
        args.addAll(Arrays.asList(extra));
        JavaProcess p = JavaProcess.start(name, PLAYER_JVM, TroupeCli.class, args);
        processes.add(p);
        return p;
    }

    @Test
    void fourPlayersPlayAWholeGameOneOfThemThroughStdinWithIllegalCardsRefused() throws Exception {
        startServer();
        String table = "table-e2e";
        JavaProcess[] seats = new JavaProcess[5];
        for (int s = 1; s <= 4; s++) {
            seats[s] = s == 2 ? player(table, 2, "bob")
                    : player(table, s, NAMES[s - 1], "--auto", "--seed", Long.toString(SEED), "--hands", "1");
        }
        JavaProcess bob = seats[2];
        int cursor = 0;
        int prompts = 0;
        boolean notACard = false;
        boolean noFollow = false;
        while (true) {
            int i = awaitIndex(bob, cursor, l -> l.startsWith("your turn") || l.startsWith("game over"));
            String line = bob.lines().get(i);
            cursor = i + 1;
            if (line.startsWith("game over")) {
                break;
            }
            prompts++;
            List<Card> hand = cardsAfter(line, "your cards: ");
            List<Card> legal = cardsAfter(line, "legal: ");
            if (!notACard) {
                bob.send("ZZ");
                cursor = awaitIndex(bob, cursor, l -> l.startsWith("illegal card")) + 1;
                assertTrue(bob.lines().get(cursor - 1).startsWith("illegal card: 'ZZ' is not a card"),
                        bob.lines().get(cursor - 1));
                notACard = true;
            }
            if (!noFollow && legal.size() < hand.size()) {
                Card wrong = hand.stream().filter(c -> !legal.contains(c)).findFirst().orElseThrow();
                bob.send(wrong.toString());
                cursor = awaitIndex(bob, cursor, l -> l.startsWith("illegal card")) + 1;
                String refusal = bob.lines().get(cursor - 1);
                assertTrue(refusal.startsWith("illegal card " + wrong + ": you must follow suit"), refusal + "\n"
                        + bob.describe());
                noFollow = true;
            }
            bob.send(legal.stream().max(Card::compareTo).orElseThrow().toString().toLowerCase());
        }
        assertTrue(notACard && noFollow, "bob was refused a non-card and a card that does not follow suit");
        assertEquals(13, prompts, "bob was asked once per trick");
        // a player whose state came after Player 1's first card (it was in the state) did not print that card
        List<List<String>> records = new ArrayList<>();
        for (int s = 1; s <= 4; s++) {
            assertEquals(0, seats[s].awaitExit(WAIT_MS), seats[s].describe());
            List<String> record = seats[s].lines().stream()
                    .filter(l -> l.startsWith("play ") || l.startsWith("trick ") || l.startsWith("hand 1 over")
                            || l.startsWith("game over")).toList();
            assertEquals(13, record.stream().filter(l -> l.startsWith("trick ")).count(), seats[s].describe());
            records.add(record);
        }
        List<String> reference = records.stream().max(java.util.Comparator.comparingInt(List::size)).orElseThrow();
        assertEquals(52 + 13 + 2, reference.size(), "52 cards, 13 tricks, the hand and the game: " + reference);
        for (int s = 1; s <= 4; s++) {
            List<String> record = records.get(s - 1);
            assertTrue(reference.size() - record.size() <= 3, "seat " + s + " missed cards: " + record);
            assertEquals(reference.subList(reference.size() - record.size(), reference.size()), record,
                    "seat " + s + " printed another game than the others");
        }
        assertEquals(replayedSummary(reference), last(reference).substring("game over: ".length()),
                "the final score is the one a replay of the printed cards gives");
    }

    @Test
    void aPlayerKilledMidGameStopsItAndANewProcessInItsSeatGetsTheStateAndFinishesIt() throws Exception {
        startServer();
        String table = "table-crash";
        JavaProcess[] seats = new JavaProcess[5];
        for (int s = 1; s <= 4; s++) {
            seats[s] = player(table, s, NAMES[s - 1], "--auto", "--delay", "60", "--seed", "5", "--hands", "1");
        }
        seats[1].awaitLine(l -> l.startsWith("trick 1.3 "), "trick 1.3", WAIT_MS);
        seats[3].signal("KILL");
        String crashed = "Player 3 (carl) crashed: the game is paused until seat 3 is taken again";
        for (int s : new int[] {1, 2, 4}) {
            seats[s].awaitLine(crashed::equals, "'" + crashed + "'", WAIT_MS);
        }
        // paused: nobody plays while the seat is empty (a Play already on its way may still land)
        Thread.sleep(500);
        long before = countPlays(seats[1]);
        Thread.sleep(1200);
        assertEquals(before, countPlays(seats[1]), "a card was played while seat 3 was empty\n"
                + seats[1].describe());

        // bad input: a taken seat and an unknown seat, one clear line each
        TroupeProcesses.Result taken = TroupeProcesses.run(WAIT_MS, "play", "--server", url, "--group", table,
                "--seat", "2", "--auto");
        assertEquals(1, taken.exitCode(), taken.describe());
        assertTrue(taken.stderr().contains("troupe: role Player 2 of group " + table + " is full (max 1)"),
                taken.describe());
        TroupeProcesses.Result unknown = TroupeProcesses.run(WAIT_MS, "play", "--server", url, "--group", table,
                "--seat", "5");
        assertEquals(1, unknown.exitCode(), unknown.describe());
        assertTrue(unknown.stderr().contains("troupe: unknown seat 5: a card table has seats 1 to 4"),
                unknown.describe());

        JavaProcess carl2 = player(table, 3, "carl2", "--auto", "--delay", "60");
        String state = carl2.awaitPrefix("state: ", WAIT_MS);
        assertTrue(state.matches("state: \\d+ plays from \\S+ \\(Player \\d\\); hand 1, trick \\d+, .*"), state);
        for (int s : new int[] {1, 2, 4}) {
            seats[s].awaitLine(l -> l.equals("Player 3 (carl2) took seat 3: the game goes on"), "carl2 took seat 3",
                    WAIT_MS);
        }
        String check = carl2.awaitPrefix("turn check: ", WAIT_MS);
        assertTrue(check.endsWith(": they agree") && check.contains("the group says Player 3 sends Play"),
                "after the rejoin, Group.turn(\"Play\") agrees with the game: " + check);

        String over = null;
        for (JavaProcess p : List.of(seats[1], seats[2], seats[4], carl2)) {
            assertEquals(0, p.awaitExit(WAIT_MS), p.describe());
            String mine = last(p.lines().stream().filter(l -> l.startsWith("game over: ")).toList());
            if (over == null) {
                over = mine;
            }
            assertEquals(over, mine, p.name() + " ended with another score");
        }
        assertEquals(replayedSummary(seats[1].lines()), over.substring("game over: ".length()),
                "the final score is the one a replay of every card seat 1 saw gives");
        // the rejoined player printed the same tricks as the others from its rejoin on
        List<String> tricks1 = seats[1].lines().stream().filter(l -> l.startsWith("trick ")).toList();
        List<String> tricks3 = carl2.lines().stream().filter(l -> l.startsWith("trick ")).toList();
        assertFalse(tricks3.isEmpty());
        assertEquals(tricks1.subList(tricks1.size() - tricks3.size(), tricks1.size()), tricks3);
        assertEquals(13, tricks1.size());
    }

    @Test
    void theDemoPlaysAGameAndEndsWithItsSummary() throws Exception {
        TroupeProcesses.Result r = TroupeProcesses.run(120_000, "demo", "card-game", "--delay", "0", "--seed", "3");
        assertEquals(0, r.exitCode(), r.describe());
        String summary = last(r.stdout());
        assertTrue(summary.matches("demo card-game: 4 players, 1 hand, 13 tricks, 52 cards in [0-9.]+ s; score 1&3 \\d+, "
                + "2&4 \\d+; tricks 1&3 \\d+, 2&4 \\d+; .*; every player agrees"), summary);
        assertTrue(r.stdout().stream().anyMatch(l -> l.startsWith("[seat 2 bob] play 1.1 Player 2 (bob): ")),
                r.out());
    }

    /** Replays the cards printed by one player (the opener's settings, passes where due): the final summary. */
    static String replayedSummary(List<String> lines) {
        String opened = lines.stream().filter(l -> l.startsWith("game opened by ")).findFirst()
                .orElse("game opened by the test: hands=1 seed=" + SEED);
        Matcher m = Pattern.compile("hands=(\\d+) seed=(-?\\d+)").matcher(opened);
        assertTrue(m.find(), opened);
        GameSettings settings = new GameSettings(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
        GameState g = new GameState();
        for (String l : lines) {
            Matcher p = PLAY_LINE.matcher(l);
            if (!p.matches()) {
                continue;
            }
            int seat = Integer.parseInt(p.group(1));
            while (g.mustPass()) {
                g.apply(new Play(g.nextSeat(), null, null));
            }
            assertTrue(!g.isOpened() || g.nextSeat() == seat, "seat " + seat + " played out of turn: " + l + "\n"
                    + String.join("\n", lines));
            GameState.Outcome o = g.apply(new Play(seat, Card.parse(p.group(2)), g.isOpened() ? null : settings));
            assertEquals(null, o.replaced(), l);
        }
        assertTrue(g.isOver(), "the printed cards make a whole game");
        return g.summary();
    }

    private static long countPlays(JavaProcess p) {
        return p.lines().stream().filter(l -> l.startsWith("play ")).count();
    }

    private static List<Card> cardsAfter(String line, String label) {
        int at = line.indexOf(label);
        assertTrue(at >= 0, line);
        String rest = line.substring(at + label.length());
        int end = rest.indexOf(';');
        return Arrays.stream((end < 0 ? rest : rest.substring(0, end)).trim().split(" ")).map(Card::parse).toList();
    }

    private static String last(List<String> lines) {
        assertFalse(lines.isEmpty());
        return lines.get(lines.size() - 1);
    }

    /** The index of the first stdout line from {@code from} on that matches, waiting up to {@link #WAIT_MS}. */
    private static int awaitIndex(JavaProcess p, int from, java.util.function.Predicate<String> match)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (System.nanoTime() < deadline) {
            List<String> lines = p.lines();
            for (int i = from; i < lines.size(); i++) {
                if (match.test(lines.get(i))) {
                    return i;
                }
            }
            if (!p.isAlive() && p.lines().size() == lines.size()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new TimeoutException("no expected line from " + from + "\n" + p.describe());
    }
}
