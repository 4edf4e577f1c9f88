package org.troupe.apps.cards;

/**
 * A playing card: a rank from 2 to 14 (11 J, 12 Q, 13 K, 14 A) and a suit. Written as rank then
 * suit letter: {@code 2C}, {@code 10H}, {@code QS}, {@code AD}; {@link #parse} also takes {@code T}
 * for ten and lower case.
 */
public record Card(int rank, Suit suit) implements Comparable<Card> {
    /** Lowest rank (two). */
    public static final int TWO = 2;
    /** Highest rank (ace). */
    public static final int ACE = 14;

    public Card {
        if (rank < TWO || rank > ACE) {
            throw new IllegalArgumentException("rank must be 2..14, got " + rank);
        }
        if (suit == null) {
            throw new IllegalArgumentException("a card needs a suit");
        }
    }

    /** Parses {@code QS}, {@code 10H}, {@code TH}, {@code 2c}; a clear error otherwise. */
    public static Card parse(String text) {
        String s = text == null ? "" : text.trim().toUpperCase(java.util.Locale.ROOT);
        if (s.length() < 2 || s.length() > 3) {
            throw new IllegalArgumentException("'" + (text == null ? "" : text.trim())
                    + "' is not a card: write rank then suit, like QS, 10H, 2C or AD");
        }
        Suit suit;
        try {
            suit = Suit.of(s.charAt(s.length() - 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text.trim() + "' is not a card: " + e.getMessage());
        }
        String r = s.substring(0, s.length() - 1);
        int rank = switch (r) {
            case "J" -> 11;
            case "Q" -> 12;
            case "K" -> 13;
            case "A" -> ACE;
            case "T", "10" -> 10;
            default -> {
                if (r.length() == 1 && r.charAt(0) >= '2' && r.charAt(0) <= '9') {
                    yield r.charAt(0) - '0';
                }
                throw new IllegalArgumentException("'" + text.trim() + "' is not a card: unknown rank '" + r
                        + "' (ranks: 2-10, J, Q, K, A)");
            }
        };
        return new Card(rank, suit);
    }

    /** The rank as written: 2..10, J, Q, K, A. */
    public String rankName() {
        return switch (rank) {
            case 11 -> "J";
            case 12 -> "Q";
            case 13 -> "K";
            case ACE -> "A";
            default -> Integer.toString(rank);
        };
    }

    /** Lowest first: by rank, then by suit (clubs, diamonds, hearts, spades). */
    @Override
    public int compareTo(Card o) {
        return rank != o.rank ? Integer.compare(rank, o.rank) : suit.compareTo(o.suit);
    }

    @Override
    public String toString() {
        return rankName() + suit.letter();
    }
}
