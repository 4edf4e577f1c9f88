package org.troupe.apps.cards;

/** The four suits, in the order the auto player and the hand display use: clubs, diamonds, hearts, spades. */
public enum Suit {
    CLUBS('C'), DIAMONDS('D'), HEARTS('H'), SPADES('S');

    private final char letter;

    Suit(char letter) {
        this.letter = letter;
    }

    /** The suit's letter: C, D, H or S. */
    public char letter() {
        return letter;
    }

    /** The suit with this letter (either case). */
    public static Suit of(char c) {
        for (Suit s : values()) {
            if (s.letter == Character.toUpperCase(c)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown suit '" + c + "' (suits: C, D, H, S)");
    }

    @Override
    public String toString() {
        return String.valueOf(letter);
    }
}
