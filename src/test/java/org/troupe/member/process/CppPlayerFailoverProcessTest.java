package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.apps.cards.Player;
import org.troupe.interop.CppExamples;
import org.troupe.protocol.ProtocolLoader;
import org.troupe.server.JavaProcess;

/**
 * A card table of four C++ players (omniORB, hosted members: their Java stacks run in the server
 * they called), all hosted on the table's leader, which is SIGKILLed mid-game. Each program's next
 * call on its HostedMember reference (whose IOR names every server) reaches another server, which
 * takes the member over; the new server gives again what the dead one had handed out (the table's
 * Plays all follow the same sequence id, the view of the four, so that is the whole game so far),
 * a Play whose send failed with the server may or may not have reached the table, and the first
 * Play sent through the new server may get a message id its seat had used (that server's copy of
 * the group was behind), which the group drops as a repeat. The game goes on to its end: every
 * player prints every Play exactly once, the same Plays in the same order, nobody plays twice (a
 * Play refused, ignored or doubled would show), nobody leaves or is removed, and every program
 * ends the game with exit code 0.
 *
 * <p>{@code -Dtroupe.test.cpp.player=PATH} runs another build of the player (to see the test fail
 * with one that does not go on across a server's death).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@Tag("process")
class CppPlayerFailoverProcessTest extends ClusterProcessTest {
    private static final int HANDS = 3;
    private static final int PLAYS = 52 * HANDS;
    /** "play 1.3 Player 2 (p2): QS": hand 1, trick 3, seat 2. */
    private static final Pattern PLAY_LINE = Pattern.compile("play (\\d+)\\.(\\d+) Player (\\d) \\([^)]*\\): (\\S+)");
    /** Lines that would tell of a repeat, a double Play, a refusal, a departure or a removal. */
    private static final Pattern BAD_LINE = Pattern.compile(
            "ignored a Play.*|refused: .*|warning: .*|out of the game.*|.* (left|crashed)(:|;) .*");

    @Test
    void aTableOfCppPlayersWhoseServerIsKilledFinishesItsGame() throws Exception {
        CppExamples.build("the C++ players taken over by another server");
        String program = System.getProperty("troupe.test.cpp.player",
                CppExamples.program("troupe-player").toString());
        servers = ClusterServers.start("cppplayer", data, 3);
        String table = "cpp-table";
        servers.createGroup(table, ProtocolLoader.loadBundled(Player.PROTOCOL));
        servers.awaitServed(table);
        int host = servers.leaderNow(0, table); // the players' server and the table's leader: both go
        List<JavaProcess> players = new ArrayList<>();
        boolean passed = false;
        try {
            for (int seat = 1; seat <= 4; seat++) {
                List<String> cmd = new ArrayList<>(List.of(program, "--server", servers.address(host), "--group",
                        table, "--seat", Integer.toString(seat), "--name", "p" + seat, "--no-stdin"));
                if (seat == 1) {
                    cmd.addAll(List.of("--hands", Integer.toString(HANDS), "--seed", "42"));
                }
                players.add(JavaProcess.startCommand("troupe-player-" + seat, cmd));
            }
            // mid-game, while the Plays go back to back (no delay): some seat's send is almost
            // always in flight, and may or may not have reached the table when its server dies
            for (JavaProcess p : players) {
                p.awaitLine(l -> l.startsWith("play 1.4 "), "a Play of trick 1.4", WAIT_MS);
            }
            int[] before = new int[4];
            for (int i = 0; i < 4; i++) {
                before[i] = plays(players.get(i)).size();
            }
            long killed = System.nanoTime();
            servers.signal(host, "KILL");
            long[] resumedMs = new long[4];
            for (int i = 0; i < 4; i++) {
                JavaProcess p = players.get(i);
                int n = before[i];
                // four more Plays than at the kill: those delivered before it but not yet printed
                // take no time; a round's worth more cannot be had without the fail-over
                p.awaitLine(new java.util.function.Predicate<>() {
                    private int seen;

                    @Override
                    public boolean test(String l) {
                        return PLAY_LINE.matcher(l).matches() && ++seen >= n + 4;
                    }
                }, "four Plays after the kill", WAIT_MS);
                resumedMs[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            }
            for (JavaProcess p : players) {
                p.awaitLine(l -> l.startsWith("game over: "), "the end of the game", 2 * WAIT_MS);
            }
            List<String> first = null;
            String over = null;
            for (JavaProcess p : players) {
                assertEquals(0, p.awaitExit(WAIT_MS), "exit code\n" + p.describe());
                List<String> lines = p.lines();
                assertEquals("END reason=\"game over\"", lines.get(lines.size() - 1), p.describe());
                for (String l : lines) {
                    assertTrue(!BAD_LINE.matcher(l).matches(), "'" + l + "'\n" + p.describe());
                }
                List<String> seq = plays(p);
                assertEquals(PLAYS, seq.size(), "every Play once\n" + p.describe());
                Set<String> places = new HashSet<>();
                for (String l : seq) {
                    Matcher m = PLAY_LINE.matcher(l);
                    assertTrue(m.matches());
                    assertTrue(places.add(m.group(1) + "." + m.group(2) + "/" + m.group(3)),
                            "one Play per seat and trick: '" + l + "' twice\n" + p.describe());
                }
                String end = lines.stream().filter(l -> l.startsWith("game over: ")).findFirst().orElseThrow();
                if (first == null) {
                    first = seq;
                    over = end;
                } else {
                    assertEquals(first, seq, "the same Plays in the same order\n" + p.describe());
                    assertEquals(over, end, p.describe());
                }
            }
            System.err.printf("cpp-player-failover: killed %s (the four C++ players' server and the table's "
                    + "leader) after %s Plays; each player had printed 4 more Plays %s ms after the kill; all %d Plays "
                    + "once each, the same everywhere; %s%n", ClusterServers.id(host), before[0],
                    java.util.Arrays.toString(resumedMs), PLAYS, over);
            passed = true;
        } finally {
            if (!passed || Boolean.getBoolean("troupe.test.keep.logs")) {
                players.forEach(p -> System.err.println(p.describe()));
            }
            players.forEach(JavaProcess::close);
        }
    }

    /** The Play lines a player printed so far. */
    private static List<String> plays(JavaProcess p) {
        return p.lines().stream().filter(l -> PLAY_LINE.matcher(l).matches()).toList();
    }
}
