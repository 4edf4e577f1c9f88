package org.troupe.apps.cards;

import java.util.ArrayList;
import java.util.List;

/**
 * One trick: up to four cards, in the order played, from the seat that led on. Immutable; {@link
 * #with} returns the trick with one more card.
 *
 * @param leader the seat (1..4) that led
 * @param cards the cards played so far, the leader's first
 */
public record Trick(int leader, List<Card> cards) {
    public Trick {
        cards = List.copyOf(cards);
        if (cards.size() > 4) {
            throw new IllegalArgumentException("a trick has at most 4 cards");
        }
    }

    /** An empty trick led by {@code leader}. */
    public static Trick ledBy(int leader) {
        return new Trick(leader, List.of());
    }

    /** The seat that plays the {@code i}-th card (0-based) of this trick. */
    public int seatOf(int i) {
        return (leader - 1 + i) % 4 + 1;
    }

    /** The seat whose card comes next. */
    public int nextSeat() {
        return seatOf(cards.size());
    }

    /** The led suit, or null before the lead. */
    public Suit ledSuit() {
        return cards.isEmpty() ? null : cards.get(0).suit();
    }

    public boolean isComplete() {
        return cards.size() == 4;
    }

    /** This trick with {@code card} played by the next seat. */
    public Trick with(Card card) {
        List<Card> more = new ArrayList<>(cards);
        more.add(card);
        return new Trick(leader, more);
    }

    /** The seat that wins the complete trick with {@code trump}: see {@link WhistRules#winningIndex}. */
    public int winner(Suit trump) {
        return seatOf(WhistRules.winningIndex(cards, trump));
    }

    /** The winning card of the complete trick. */
    public Card winningCard(Suit trump) {
        return cards.get(WhistRules.winningIndex(cards, trump));
    }
}
