package org.troupe.apps.cards;

import java.util.Locale;

/**
 * One Play of the game: a seat and its card (or a pass, see {@link GameState}), and for the Play
 * that opens a game its settings. On the wire (the payload of a {@code Play} message) it is the
 * card or {@code pass}, then the settings if any: {@code QS}, {@code pass} or {@code 2C hands=1
 * seed=42}; the seat is the sender's role.
 *
 * @param seat 1..4
 * @param card the card, or null for a pass (and for a payload that is not a card)
 * @param settings the game's settings if this Play opens it, else null
 */
public record Play(int seat, Card card, GameSettings settings) {
    /** The payload of a pass. */
    public static final String PASS = "pass";

    public Play {
        if (seat < 1 || seat > 4) {
            throw new IllegalArgumentException("seat must be 1..4, got " + seat);
        }
    }

    /** The payload of this Play's message. */
    public String payload() {
        return (card == null ? PASS : card.toString()) + (settings == null ? "" : " " + settings);
    }

    /**
     * Reads a Play's payload sent from {@code seat}. A payload that is not a card gives a Play
     * with no card ({@link GameState} then plays the lowest legal card for it); unknown settings
     * are ignored.
     */
    public static Play decode(int seat, String payload) {
        String[] words = payload.trim().split("\\s+");
        Card card;
        try {
            card = Card.parse(words[0]);
        } catch (IllegalArgumentException e) {
            card = null;
        }
        Integer hands = null;
        Long seed = null;
        for (int i = 1; i < words.length; i++) {
            String w = words[i].toLowerCase(Locale.ROOT);
            try {
                if (w.startsWith("hands=")) {
                    hands = Integer.parseInt(w.substring(6));
                } else if (w.startsWith("seed=")) {
                    seed = Long.parseLong(w.substring(5));
                }
            } catch (NumberFormatException e) {
                // ignored: a bad setting falls back to the default
            }
        }
        GameSettings settings = null;
        if (hands != null || seed != null) {
            try {
                settings = new GameSettings(hands != null ? hands : GameSettings.DEFAULT.hands(),
                        seed != null ? seed : GameSettings.DEFAULT.seed());
            } catch (IllegalArgumentException e) {
                settings = GameSettings.DEFAULT;
            }
        }
        return new Play(seat, card, settings);
    }

    /** The seat of a role {@code Player N}, or 0 if it is not one. */
    public static int seatOf(String role) {
        if (role != null && role.matches("Player [1-4]")) {
            return role.charAt(7) - '0';
        }
        return 0;
    }

    /** The role of seat {@code seat}: {@code Player N}. */
    public static String roleOf(int seat) {
        return "Player " + seat;
    }
}
