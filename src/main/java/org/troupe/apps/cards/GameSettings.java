package org.troupe.apps.cards;

/**
 * What a game is: how many hands, and the seed of its deals. The player who opens the game
 * chooses them and sends them with its first Play, so every player (and a player who rejoins
 * later) plays the same game whatever its own options.
 *
 * @param hands hands in the game (1 or more)
 * @param seed the seed of every hand's deal ({@link Deck#deal})
 */
public record GameSettings(int hands, long seed) {
    /** What a game opened without settings plays (a Play sent by another client than {@link Player}). */
    public static final GameSettings DEFAULT = new GameSettings(1, 1);

    public GameSettings {
        if (hands < 1 || hands > 100) {
            throw new IllegalArgumentException("hands must be 1..100, got " + hands);
        }
    }

    @Override
    public String toString() {
        return "hands=" + hands + " seed=" + seed;
    }
}
