package org.troupe.apps.cards;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules of Troupe's Whist, as pure functions: follow suit if you can, the trick goes to the
 * highest trump or else the highest card of the led suit, teams are seats 1 and 3 against 2 and
 * 4, and a team scores one point per trick over six in each hand.
 */
public final class WhistRules {
    /** Tricks a team must take before it scores ("the book"). */
    public static final int BOOK = 6;

    private WhistRules() {
    }

    /** The team of a seat: 0 for seats 1 and 3, 1 for seats 2 and 4. */
    public static int team(int seat) {
        return (seat - 1) % 2;
    }

    /** The team's name as printed: {@code 1&3} or {@code 2&4}. */
    public static String teamName(int team) {
        return team == 0 ? "1&3" : "2&4";
    }

    /** The cards of {@code hand} that may be played on {@code trick}: any when leading, else the led suit if held. */
    public static List<Card> legal(List<Card> hand, Trick trick) {
        Suit led = trick.ledSuit();
        if (led == null) {
            return List.copyOf(hand);
        }
        List<Card> follow = new ArrayList<>();
        for (Card c : hand) {
            if (c.suit() == led) {
                follow.add(c);
            }
        }
        return follow.isEmpty() ? List.copyOf(hand) : follow;
    }

    /**
     * Why {@code card} may not be played from {@code hand} on {@code trick}, or null if it may.
     * The reason is a sentence for the player.
     */
    public static String whyIllegal(List<Card> hand, Trick trick, Card card) {
        if (!hand.contains(card)) {
            return "you do not hold " + card;
        }
        Suit led = trick.ledSuit();
        if (led != null && card.suit() != led && hand.stream().anyMatch(c -> c.suit() == led)) {
            return "you must follow suit: " + led + " was led and you hold "
                    + String.join(" ", hand.stream().filter(c -> c.suit() == led).map(Card::toString).toList());
        }
        return null;
    }

    /** The index (0..3) of the winning card of a complete trick: the highest trump, else the highest of the led suit. */
    public static int winningIndex(List<Card> cards, Suit trump) {
        if (cards.size() != 4) {
            throw new IllegalArgumentException("a trick is won once it has 4 cards, it has " + cards.size());
        }
        int best = 0;
        for (int i = 1; i < 4; i++) {
            if (beats(cards.get(i), cards.get(best), cards.get(0).suit(), trump)) {
                best = i;
            }
        }
        return best;
    }

    private static boolean beats(Card c, Card best, Suit led, Suit trump) {
        if (c.suit() == best.suit()) {
            return c.rank() > best.rank();
        }
        if (c.suit() == trump) {
            return true; // best is not a trump
        }
        return false; // off-suit, or led suit against a trump
    }

    /** The points a team scores for {@code tricks} tricks in a hand: those over six. */
    public static int points(int tricks) {
        return Math.max(0, tricks - BOOK);
    }

    /** The lowest legal card: the auto player's choice. */
    public static Card lowestLegal(List<Card> hand, Trick trick) {
        return legal(hand, trick).stream().min(Card::compareTo).orElseThrow();
    }
}
