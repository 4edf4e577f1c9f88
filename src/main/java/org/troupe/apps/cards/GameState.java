package org.troupe.apps.cards;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A game of Troupe's Whist as the Plays made so far: pure (no I/O, no CORBA, no clock), so every
 * player that applies the same Plays in the same order has the same state, and a player who
 * rejoins rebuilds it with {@link #replay} from the list another player sends as the group's
 * state ({@link #encode}).
 *
 * <p>The card-game protocol's turns go round in a fixed rotation (Player 1, 2, 3, 4, every
 * round), while in Whist the winner of a trick leads the next. Both hold here: when a trick is
 * over, the seats the rotation reaches before the winner send a <em>pass</em> (a Play with no
 * card, sent by the program without asking the player), and the trick starts with the winner's
 * card. The first Play opens the game and carries its {@link GameSettings}; the player who makes
 * it leads the first trick of hand 1, and the first lead of each later hand passes to the left.
 * A Play that breaks the rules (only another client than {@link Player} sends one) is replaced,
 * the same way at every player: a card where a pass is due counts as the pass, a pass or a wrong
 * card where a card is due is replaced by the seat's lowest legal card.
 */
public final class GameState {
    private static final String STATE_HEADER = "troupe-cards 1";

    private final List<Play> plays = new ArrayList<>();
    private GameSettings settings;
    private int firstSeat;
    private int hand;
    private Suit trump;
    private List<List<Card>> hands;
    private Trick trick;
    private int trickNumber;
    private final int[] handTricks = new int[2];
    private final int[] totalTricks = new int[2];
    private final int[] score = new int[2];
    private boolean over;

    /** What applying one Play did. */
    public record Outcome(Play play, Card card, int hand, int trick, String replaced, TrickResult trickDone,
            HandResult handDone, boolean gameOver) {
    }

    /** A completed trick: its number in the hand, the cards from the leader on, who won with what. */
    public record TrickResult(int hand, int trick, Trick cards, int winner, Card winningCard, int[] handTricks) {
    }

    /** A completed hand: tricks per team, the points they scored, the score after it. */
    public record HandResult(int hand, int[] tricks, int[] points, int[] score) {
    }

    /** A new game: nothing played yet; the first Play opens it. */
    public GameState() {
    }

    /** The state after {@code plays}, applied in order from a new game. */
    public static GameState replay(List<Play> plays) {
        GameState g = new GameState();
        for (Play p : plays) {
            g.apply(p);
        }
        return g;
    }

    /** The state in bytes for a joiner: the Plays so far, one per line. */
    public synchronized byte[] encode() {
        StringBuilder b = new StringBuilder(STATE_HEADER).append('\n');
        for (Play p : plays) {
            b.append(p.seat()).append(' ').append(p.payload()).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The Plays in a state from {@link #encode}. */
    public static List<Play> decode(byte[] state) {
        String[] lines = new String(state, StandardCharsets.UTF_8).split("\n");
        if (lines.length == 0 || !lines[0].equals(STATE_HEADER)) {
            throw new IllegalArgumentException("not a card game state (it does not start with '" + STATE_HEADER
                    + "')");
        }
        List<Play> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].trim();
            if (l.isEmpty()) {
                continue;
            }
            int sp = l.indexOf(' ');
            if (sp < 0) {
                throw new IllegalArgumentException("card game state line " + (i + 1) + " is not 'SEAT PLAY': " + l);
            }
            out.add(Play.decode(Integer.parseInt(l.substring(0, sp)), l.substring(sp + 1)));
        }
        return out;
    }

    /**
     * Why {@code seat} may not play {@code card} now, or null if it may: the game is over, it is
     * not its turn, it does not hold the card, or it must follow suit.
     */
    public synchronized String whyIllegal(int seat, Card card) {
        if (over) {
            return "the game is over";
        }
        if (settings == null) {
            return null; // the first Play opens the game: any card of the opener's deal
        }
        if (seat != nextSeat()) {
            return "it is Player " + nextSeat() + "'s turn";
        }
        if (mustPass()) {
            return "it is Player " + trick.leader() + "'s lead: Player " + seat + " passes";
        }
        return WhistRules.whyIllegal(hands.get(seat - 1), trick, card);
    }

    /**
     * Applies the next Play. A Play from the wrong seat is refused ({@link IllegalArgumentException}:
     * the group's turn order makes it impossible); a card that breaks the rules is replaced by the
     * seat's lowest legal card ({@link Outcome#replaced} says why).
     */
    public synchronized Outcome apply(Play p) {
        if (over) {
            throw new IllegalArgumentException("the game is over: no more Plays");
        }
        if (settings == null) {
            settings = p.settings() != null ? p.settings() : GameSettings.DEFAULT;
            firstSeat = p.seat();
            startHand(1);
        } else if (p.seat() != nextSeat()) {
            throw new IllegalArgumentException("a Play from Player " + p.seat() + " when it is Player " + nextSeat()
                    + "'s turn");
        }
        if (mustPass()) {
            plays.add(p);
            return new Outcome(p, null, hand, trickNumber, p.card() == null ? null
                    : "a card where a pass is due (it is Player " + trick.leader() + "'s lead): counted as a pass",
                    null, null, false);
        }
        List<Card> holding = hands.get(p.seat() - 1);
        String replaced = p.card() == null ? "a pass where a card is due"
                : WhistRules.whyIllegal(holding, trick, p.card());
        Card card = replaced == null ? p.card() : WhistRules.lowestLegal(holding, trick);
        plays.add(p);
        holding.remove(card);
        trick = trick.with(card);
        int handNo = hand;
        int trickNo = trickNumber;
        TrickResult trickDone = null;
        HandResult handDone = null;
        if (trick.isComplete()) {
            int winner = trick.winner(trump);
            handTricks[WhistRules.team(winner)]++;
            totalTricks[WhistRules.team(winner)]++;
            trickDone = new TrickResult(hand, trickNumber, trick, winner, trick.winningCard(trump), handTricks.clone());
            if (trickNumber == Deck.HAND_SIZE) {
                int[] points = {WhistRules.points(handTricks[0]), WhistRules.points(handTricks[1])};
                score[0] += points[0];
                score[1] += points[1];
                handDone = new HandResult(hand, handTricks.clone(), points, score.clone());
                if (hand == settings.hands()) {
                    over = true;
                } else {
                    startHand(hand + 1);
                }
            } else {
                trickNumber++;
                trick = Trick.ledBy(winner);
            }
        }
        return new Outcome(p, card, handNo, trickNo, replaced, trickDone, handDone, over);
    }

    private void startHand(int h) {
        hand = h;
        hands = new ArrayList<>();
        for (List<Card> cards : Deck.deal(settings.seed(), h)) {
            hands.add(new ArrayList<>(cards));
        }
        trump = Deck.trump(settings.seed(), h);
        trickNumber = 1;
        trick = Trick.ledBy((firstSeat - 1 + h - 1) % 4 + 1);
        handTricks[0] = 0;
        handTricks[1] = 0;
    }

    /** True once the first Play was made. */
    public synchronized boolean isOpened() {
        return settings != null;
    }

    public synchronized boolean isOver() {
        return over;
    }

    /** The game's settings, or null before the first Play. */
    public synchronized GameSettings settings() {
        return settings;
    }

    /**
     * The seat whose turn it is in the rotation (the group's turn), or 0 before the first Play
     * (whoever's turn it is in the group opens) and after the last.
     */
    public synchronized int nextSeat() {
        return settings == null || over ? 0 : (firstSeat - 1 + plays.size()) % 4 + 1;
    }

    /** True if the seat whose turn it is must pass: the trick has not started and it is not its leader. */
    public synchronized boolean mustPass() {
        return settings != null && !over && trick.cards().isEmpty() && trick.leader() != nextSeat();
    }

    /** The current hand, 1-based (0 before the first Play). */
    public synchronized int hand() {
        return hand;
    }

    /** The current trick's number in the hand, 1..13. */
    public synchronized int trickNumber() {
        return trickNumber;
    }

    /** The trick being played (empty right after one completes). */
    public synchronized Trick trick() {
        return trick;
    }

    /** The current hand's trump suit, or null before the first Play. */
    public synchronized Suit trump() {
        return trump;
    }

    /** The cards {@code seat} still holds in the current hand, sorted (empty before the first Play). */
    public synchronized List<Card> hand(int seat) {
        return hands == null ? List.of() : List.copyOf(hands.get(seat - 1));
    }

    /** The cards {@code seat} may play now. */
    public synchronized List<Card> legal(int seat) {
        return hands == null ? List.of() : WhistRules.legal(hands.get(seat - 1), trick);
    }

    /** Tricks of team 0 (1&amp;3) and 1 (2&amp;4) in the current hand. */
    public synchronized int[] handTricks() {
        return handTricks.clone();
    }

    /** Tricks per team over the whole game. */
    public synchronized int[] totalTricks() {
        return totalTricks.clone();
    }

    /** Points per team so far. */
    public synchronized int[] score() {
        return score.clone();
    }

    /** Every Play so far, in order. */
    public synchronized List<Play> plays() {
        return List.copyOf(plays);
    }

    /**
     * The final summary, as printed at the end of a game by every player:
     * {@code score 1&3 1, 2&4 0; tricks 1&3 7, 2&4 6; Players 1&3 win}.
     */
    public synchronized String summary() {
        String result = score[0] == score[1] ? "a draw"
                : "Players " + (score[0] > score[1] ? "1&3" : "2&4") + " win";
        return "score 1&3 " + score[0] + ", 2&4 " + score[1] + "; tricks 1&3 " + totalTricks[0] + ", 2&4 "
                + totalTricks[1] + "; " + result;
    }
}
