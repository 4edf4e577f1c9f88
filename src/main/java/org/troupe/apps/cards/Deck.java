package org.troupe.apps.cards;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The 52-card deck and the deal. The deal of a hand is a pure function of the game's seed and the
 * hand's number, so every player computes the same one with no message for it (which also means
 * any player could compute the others' cards: fine for a demo, not for money).
 */
public final class Deck {
    /** Cards in the deck. */
    public static final int SIZE = 52;
    /** Cards dealt to each of the four seats. */
    public static final int HAND_SIZE = 13;

    private Deck() {
    }

    /** The 52 cards, ordered by suit then rank. */
    public static List<Card> full() {
        List<Card> cards = new ArrayList<>(SIZE);
        for (Suit s : Suit.values()) {
            for (int r = Card.TWO; r <= Card.ACE; r++) {
                cards.add(new Card(r, s));
            }
        }
        return cards;
    }

    /**
     * The shuffled deck of hand {@code hand} (1-based) of a game with {@code seed}: a Fisher-Yates
     * shuffle driven by {@link SplittableRandom}, whose sequence is fixed by its specification.
     */
    public static List<Card> shuffled(long seed, int hand) {
        List<Card> cards = full();
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + hand);
        for (int i = cards.size() - 1; i > 0; i--) {
            Collections.swap(cards, i, random.nextInt(i + 1));
        }
        return cards;
    }

    /**
     * Deals hand {@code hand}: card {@code i} of the shuffled deck goes to seat {@code i % 4 + 1},
     * as a dealer deals one at a time. Returns the four hands (index 0 = seat 1), each sorted.
     */
    public static List<List<Card>> deal(long seed, int hand) {
        List<Card> deck = shuffled(seed, hand);
        List<List<Card>> hands = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            hands.add(new ArrayList<>());
        }
        for (int i = 0; i < deck.size(); i++) {
            hands.get(i % 4).add(deck.get(i));
        }
        for (List<Card> h : hands) {
            Collections.sort(h);
        }
        return hands;
    }

    /** The trump suit of a hand: the suit of the last card dealt (turned up, as in classic Whist). */
    public static Suit trump(long seed, int hand) {
        List<Card> deck = shuffled(seed, hand);
        return deck.get(deck.size() - 1).suit();
    }
}
