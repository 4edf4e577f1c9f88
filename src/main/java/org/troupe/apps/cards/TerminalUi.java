package org.troupe.apps.cards;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The card game's terminal: one line per event, each starting with a fixed word so that people
 * read it and scripts grep it ({@code play}, {@code trick}, {@code hand}, {@code game over},
 * {@code your turn}, {@code illegal card}, ...). Thread-safe: the delivery thread and the player's
 * own thread both print.
 */
public final class TerminalUi {
    private final PrintWriter out;

    public TerminalUi(PrintWriter out) {
        this.out = out;
    }

    /** Prints one line, flushed at once. */
    public void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** Cards as {@code 2C 5C QH}, or {@code -} for none. */
    public static String cards(List<Card> cards) {
        return cards.isEmpty() ? "-" : String.join(" ", cards.stream().map(Card::toString).toList());
    }

    /** A trick in progress as {@code Player 2 led: P2 QH, P3 2H}, or {@code Player 2 to lead}. */
    public static String table(Trick trick) {
        if (trick.cards().isEmpty()) {
            return "Player " + trick.leader() + " to lead";
        }
        StringBuilder b = new StringBuilder("Player " + trick.leader() + " led " + trick.ledSuit() + ":");
        for (int i = 0; i < trick.cards().size(); i++) {
            b.append(i == 0 ? " " : ", ").append('P').append(trick.seatOf(i)).append(' ').append(trick.cards().get(i));
        }
        return b.toString();
    }

    /** {@code 1&3 A, 2&4 B}. */
    public static String teams(int[] perTeam) {
        return WhistRules.teamName(0) + " " + perTeam[0] + ", " + WhistRules.teamName(1) + " " + perTeam[1];
    }

    /** The lines that describe a card played, a trick won, a hand over and the game over. */
    public static List<String> describe(GameState.Outcome o, IntFunction<String> nameOfSeat) {
        List<String> lines = new java.util.ArrayList<>();
        if (o.card() != null) {
            lines.add("play " + o.hand() + "." + o.trick() + " " + seat(o.play().seat(), nameOfSeat) + ": " + o.card()
                    + (o.replaced() != null ? " (sent '" + o.play().payload() + "': " + o.replaced() + ")" : ""));
        } else if (o.replaced() != null) {
            lines.add("pass " + o.hand() + "." + o.trick() + " " + seat(o.play().seat(), nameOfSeat) + " (sent '"
                    + o.play().payload() + "': " + o.replaced() + ")");
        }
        if (o.trickDone() != null) {
            GameState.TrickResult t = o.trickDone();
            lines.add("trick " + t.hand() + "." + t.trick() + " won by Player " + t.winner() + " with "
                    + t.winningCard() + " [" + cards(t.cards().cards()) + " led by Player " + t.cards().leader()
                    + "]; tricks " + teams(t.handTricks()));
        }
        if (o.handDone() != null) {
            GameState.HandResult h = o.handDone();
            lines.add("hand " + h.hand() + " over: tricks " + teams(h.tricks()) + "; points " + teams(h.points())
                    + "; score " + teams(h.score()));
        }
        return lines;
    }

    private static String seat(int seat, IntFunction<String> nameOfSeat) {
        String name = nameOfSeat.apply(seat);
        return "Player " + seat + (name == null ? "" : " (" + name + ")");
    }
}
