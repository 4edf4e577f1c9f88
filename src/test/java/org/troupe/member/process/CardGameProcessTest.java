package org.troupe.member.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.troupe.member.Troupe;
import org.troupe.member.process.ProtocolMember.Child;
import org.troupe.member.process.ProtocolMember.Child.Delivered;
import org.troupe.protocol.ProtocolLoader;

/**
 * The card game (bundled protocol {@code card-game}) with real processes: four players, each in
 * its own JVM and role, play full rounds, Player 1 to Player 4. The test makes a player play
 * only once it has delivered the previous Play (its turn has come: {@code Group.turn} says so),
 * and in each round one player whose turn it is not tries to play: it is refused with a clear
 * error (whose turn it is, and its own role), stays in the group, and the game goes on. Every
 * player delivers the same sequence of Plays, in turn order, without the refused ones.
 */
@Tag("process")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CardGameProcessTest extends ProcessClusterTest {
    private static final String GROUP = "cards";
    private static final String PLAY = "Play";
    private static final int ROUNDS = 4;

    private final List<Child> players = new ArrayList<>();

    @AfterEach
    void stopPlayers() {
        players.forEach(Child::close);
    }

    @Test
    void fourPlayersPlayInTurnAndAnOutOfTurnPlayIsRefused() throws Exception {
        long t0 = System.nanoTime();
        cluster = ProcessCluster.start(GROUP);
        try (Troupe admin = Troupe.connect(cluster.url())) {
            admin.createGroup(GROUP, ProtocolLoader.loadBundled("card-game"));
        }
        for (int i = 1; i <= 4; i++) {
            players.add(Child.start(cluster, GROUP, "Player " + i, "p" + i));
        }
        List<String> names = players.stream().map(Child::name).toList();
        for (Child p : players) {
            p.awaitJoined(ProcessCluster.START_TIMEOUT_MS);
        }
        for (Child p : players) {
            p.awaitView(v -> v.members().containsAll(names), "the view of all four players", WAIT_MS);
        }
        long started = System.nanoTime();

        List<Delivered> expected = new ArrayList<>(); // the Plays, in the order they were played
        List<String> refused = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            int outOfTurnAt = (round - 1) % 4; // one out-of-turn attempt per round, at a different step each time
            for (int step = 0; step < 4; step++) {
                Child next = players.get(step);
                if (step == outOfTurnAt) {
                    // someone else than the player whose turn it is: one ahead, the one who just played, ...
                    Child intruder = players.get((step + 1 + (round - 1) % 3) % 4);
                    awaitPreviousPlay(intruder, expected);
                    String text = "r" + round + "-" + intruder.name() + "-out-of-turn";
                    String reply = intruder.message("SEND", PLAY, text, WAIT_MS);
                    assertTrue(reply.startsWith("REFUSED " + text + " "), intruder + " played out of turn (it is "
                            + next.role() + "'s turn), expected REFUSED, got '" + reply + "'\n" + cluster.describe());
                    String reason = reply.substring(("REFUSED " + text + " ").length());
                    assertTrue(reason.startsWith("out of turn: it is " + next.role())
                            && reason.contains(intruder.role()), "the refusal says whose turn it is ("
                            + next.role() + ") and who tried (" + intruder.role() + "): '" + reason + "'");
                    refused.add(text);
                    reasons.add(intruder.name() + ": " + reason);
                }
                awaitPreviousPlay(next, expected);
                String turn = next.call("TURN " + PLAY, WAIT_MS, "TURN " + PLAY + " ");
                assertEquals("TURN Play round=" + round + " step=" + (step + 1) + "/4 role=" + next.role(), turn,
                        next + ": Group.turn(\"Play\") once the previous Play is delivered");
                String text = "r" + round + "-" + next.name();
                String reply = next.message("SEND", PLAY, text, WAIT_MS);
                assertEquals("SENT " + text, reply, next + " plays in turn\n" + cluster.describe());
                expected.add(new Delivered("", false, 0, 0, List.of(), List.of(), next.name(), PLAY, text));
            }
        }
        for (Child p : players) {
            awaitPreviousPlay(p, expected);
            assertEquals("TURN Play round=" + (ROUNDS + 1) + " step=1/4 role=Player 1",
                    p.call("TURN " + PLAY, WAIT_MS, "TURN " + PLAY + " "),
                    p + ": after " + ROUNDS + " full rounds, Player 1 opens the next one");
        }
        long played = System.nanoTime();

        List<Delivered> first = null;
        for (Child p : players) {
            List<Delivered> plays = p.messages().stream().filter(m -> m.type().equals(PLAY)).toList();
            assertEquals(expected.size(), plays.size(), p + " delivered " + plays.size() + " Plays, expected "
                    + expected.size() + ": " + plays);
            for (int i = 0; i < plays.size(); i++) {
                Delivered got = plays.get(i);
                Delivered want = expected.get(i);
                assertTrue(got.is(want.sender(), PLAY, want.text()), p + ": Play " + (i + 1) + " is '" + got
                        + "', expected " + want.text() + " from " + want.sender());
                assertEquals("p" + (i % 4 + 1), got.sender(), p + ": Play " + (i + 1) + " out of turn order");
                assertTrue(!refused.contains(got.text()), p + " delivered a refused play: " + got);
            }
            // from the view of all four on, every player delivered the very same lines
            List<Delivered> all = p.deliveries();
            int from = 0;
            while (!(all.get(from).isView() && all.get(from).members().containsAll(names))) {
                from++;
            }
            List<Delivered> tail = all.subList(from, all.size());
            if (first == null) {
                first = tail;
            } else {
                assertEquals(first.stream().map(Delivered::raw).toList(), tail.stream().map(Delivered::raw).toList(),
                        p + " delivered another sequence than " + players.get(0));
            }
        }
        assertEquals(1 + 4 * ROUNDS, first.size(), "the view of all four then the Plays, nothing else: " + first);
        System.err.printf("cards: server and 4 players up in %d ms; %d rounds (%d Plays, %d refused) in %d ms;"
                + " refusals: %s%n", (started - t0) / 1_000_000, ROUNDS, expected.size(), refused.size(),
                (played - started) / 1_000_000, reasons);
    }

    /** Waits until {@code p} has delivered the last Play played so far (its turn state is up to date). */
    private static void awaitPreviousPlay(Child p, List<Delivered> played) throws Exception {
        if (!played.isEmpty()) {
            Delivered last = played.get(played.size() - 1);
            p.awaitMessage(last.sender(), PLAY, last.text(), WAIT_MS);
        }
    }
}
