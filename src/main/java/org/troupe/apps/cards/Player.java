package org.troupe.apps.cards;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupe.member.Group;
import org.troupe.member.GroupListener;
import org.troupe.member.JoinOptions;
import org.troupe.member.RefusedException;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.Received;
import org.troupe.member.model.StateTransfer;
import org.troupe.member.model.Turn;
import org.troupe.member.model.View;
import org.troupe.member.model.ViewChange;
import org.troupe.protocol.ProtocolException;
import org.troupe.protocol.ProtocolLoader;

/**
 * One seat at a card table: the group member that joins a card-game group as {@code Player N},
 * keeps the {@link GameState} from the Plays it delivers, provides it to players who join later
 * (group state transfer) and asks for it when it joins, and plays its cards in turn, chosen by a
 * person on the terminal or, with {@code auto}, the lowest legal card. See the package javadoc
 * for the flow.
 */
public final class Player implements GroupListener {
    private static final Logger LOG = LoggerFactory.getLogger(Player.class);
    /** The message type of the card-game protocol. */
    public static final String PLAY = "Play";
    /** The bundled protocol a table is created from. */
    public static final String PROTOCOL = "card-game";
    private static final long SLICE_MS = 200;

    /** Exit codes of {@link #run}. */
    public static final int GAME_OVER = 0;
    public static final int ABANDONED = 2;

    /**
     * How a player plays.
     *
     * @param server the Troupe server (HOST:PORT or a URL)
     * @param group the table
     * @param seat 1..4
     * @param name the player's name
     * @param auto play the lowest legal card without asking
     * @param delayMillis with auto, wait this long before each card
     * @param hands hands in the game, if this player opens it
     * @param seed the deal's seed, if this player opens the game (null: random)
     * @param create create the table from the bundled protocol if it does not exist
     * @param pauseTimeout how long to wait for an empty seat to be taken again (null: for ever)
     * @param stateTimeout how long joining may take until the game's state is in
     */
    public record Options(String server, String group, int seat, String name, boolean auto, long delayMillis,
            int hands, Long seed, boolean create, Duration pauseTimeout, Duration stateTimeout) {
        public Options {
            if (seat < 1 || seat > 4) {
                throw new IllegalArgumentException("unknown seat " + seat + ": a card table has seats 1 to 4");
            }
            if (delayMillis < 0) {
                throw new IllegalArgumentException("the delay must not be negative, got " + delayMillis);
            }
            new GameSettings(hands, 0); // checks hands
        }
    }

    private final Options options;
    private final TerminalUi ui;
    private final BlockingQueue<String> input;
    private final String role;
    private final Object lock = new Object();
    private GameState game = new GameState();
    private View view;
    private boolean ready;
    private String closedReason;
    private long pausedSinceNanos;
    private boolean announcedStart;
    private boolean checkTurn;
    private long openCandidateSince;
    private static final long OPEN_AFTER_MS = 1500;

    /**
     * A player that prints to {@code ui} and, unless {@code options.auto()}, reads the cards to
     * play from {@code input} (lines; the reader puts {@link #END_OF_INPUT} when input ends).
     */
    public Player(Options options, TerminalUi ui, BlockingQueue<String> input) {
        this.options = options;
        this.ui = ui;
        this.input = input;
        this.role = Play.roleOf(options.seat());
        if (!options.auto() && input == null) {
            throw new IllegalArgumentException("an interactive player needs input");
        }
    }

    /** Put on the input queue when input ends. */
    public static final String END_OF_INPUT = "\u0000end";

    /**
     * Joins the table, plays the game to its end and leaves: returns {@link #GAME_OVER}, or
     * {@link #ABANDONED} if a seat stayed empty past the pause time-out, this member was removed
     * from the group, or input ended first. Errors of joining (unknown group, seat taken, ...)
     * are thrown with one clear line.
     */
    public int run() throws TroupeException, InterruptedException {
        try (Troupe troupe = Troupe.connect(options.server()).closeOnExit(Duration.ofSeconds(3))) { // Ctrl-C: leave
            if (options.create()) {
                create(troupe);
            }
            Group g = troupe.join(options.group(), role, options.name(), JoinOptions.defaults()
                    .listener(this).stateProvider(this::state).requestState()
                    .stateTimeout(Duration.ofSeconds(5)));
            try {
                if (g.protocol().rule(PLAY) == null || g.protocol().role(role) == null) {
                    throw new TroupeException("group " + options.group() + " is not a card table (its protocol is "
                            + g.protocol().name() + ", not " + PROTOCOL + ")");
                }
                ui.say("joined " + options.group() + " as " + role + " (" + options.name() + "), member "
                        + g.me().id() + (options.auto() ? "; playing automatically" : ""));
                return play(g);
            } finally {
                g.leave();
            }
        }
    }

    private void create(Troupe troupe) throws TroupeException {
        try {
            troupe.createGroup(options.group(), ProtocolLoader.loadBundled(PROTOCOL), true,
                    org.troupe.member.JoinOptions.joinKeyForThisProcess()); // a keyed table if the player has a key
            ui.say("created table " + options.group() + " (protocol " + PROTOCOL + ")");
        } catch (TroupeException e) {
            if (!e.getMessage().endsWith("exists already")) {
                throw e;
            }
        } catch (ProtocolException e) {
            throw new TroupeException("the bundled protocol " + PROTOCOL + " does not load: " + e.getMessage(), e);
        }
    }

    private int play(Group g) throws TroupeException, InterruptedException {
        long readyBy = System.nanoTime() + options.stateTimeout().toNanos();
        synchronized (lock) {
            while (!ready && closedReason == null) {
                long left = readyBy - System.nanoTime();
                if (left <= 0) {
                    throw new TroupeException("joined " + options.group() + " but the game's state did not come within "
                            + options.stateTimeout().toSeconds() + " s");
                }
                lock.wait(Math.min(SLICE_MS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
        int sentAt = -1; // the number of Plays when this player last sent one: wait for it to be delivered
        String pending = null; // a card chosen while a seat emptied: sent once the game goes on
        int pendingAt = -1;
        while (true) {
            GameSettings opening = null;
            int now;
            synchronized (lock) {
                while (true) {
                    if (closedReason != null) {
                        ui.say("out of the game: " + closedReason);
                        return ABANDONED;
                    }
                    if (game.isOver()) {
                        ui.say("game over: " + game.summary());
                        return GAME_OVER;
                    }
                    if (pausedTooLong()) {
                        ui.say("the game is abandoned: seat " + emptySeats() + " stayed empty for "
                                + options.pauseTimeout().toSeconds() + " s");
                        return ABANDONED;
                    }
                    if (emptySeats().isEmpty() && game.plays().size() != sentAt && myTurn(g)) {
                        break;
                    }
                    lock.wait(SLICE_MS);
                }
                now = game.plays().size();
                if (!game.isOpened()) {
                    opening = new GameSettings(options.hands(), options.seed() != null ? options.seed()
                            : ThreadLocalRandom.current().nextLong(1, 1_000_000));
                }
            }
            String payload;
            if (pending != null && pendingAt == now) {
                payload = pending;
            } else if (opening == null && game.mustPass()) {
                payload = Play.PASS;
            } else {
                Card card = choose(opening);
                if (card == null) {
                    return ABANDONED;
                }
                payload = card + (opening != null ? " " + opening : "");
            }
            synchronized (lock) {
                if (!emptySeats().isEmpty()) { // a seat emptied meanwhile: the game is paused
                    pending = payload;
                    pendingAt = now;
                    continue;
                }
            }
            pending = null;
            sentAt = now;
            try {
                g.send(PLAY, payload.getBytes(StandardCharsets.UTF_8));
            } catch (RefusedException e) {
                ui.say("refused: " + e.getMessage());
            }
        }
    }

    /**
     * Whose turn: the game's rotation once it is opened. Before, Player 1 opens when the group's
     * turn is at Player 1; the group's turn is counted below the delivery queue, so it may be ahead
     * of the game by Plays not yet handed to this player, and another seat whose turn it is opens
     * only once the turn has stayed with it for {@link #OPEN_AFTER_MS} (a table whose last game was
     * abandoned mid-round).
     */
    private boolean myTurn(Group g) {
        Turn turn = g.turn(PLAY);
        boolean groupSays = turn == null || turn.isFor(role);
        if (!game.isOpened()) {
            if (!groupSays) {
                openCandidateSince = 0;
                return false;
            }
            if (options.seat() == 1) {
                return true;
            }
            if (openCandidateSince == 0) {
                openCandidateSince = System.nanoTime();
            }
            return System.nanoTime() - openCandidateSince > TimeUnit.MILLISECONDS.toNanos(OPEN_AFTER_MS);
        }
        boolean gameSays = game.nextSeat() == options.seat();
        if (gameSays && (checkTurn || !groupSays)) {
            // nobody else can play before this player does, so the group's turn cannot be ahead here
            checkTurn = false;
            ui.say("turn check: the group says " + turn + "; the game says Player " + game.nextSeat() + ": "
                    + (groupSays ? "they agree" : "MISMATCH"));
        }
        return gameSays;
    }

    /**
     * The card to play: the lowest legal one (auto, after the delay) or one read from input,
     * asked again until it is legal. Null if input ended or the player quit.
     */
    private Card choose(GameSettings opening) throws InterruptedException {
        List<Card> hand;
        List<Card> legal;
        String where;
        synchronized (lock) {
            if (opening != null) {
                hand = Deck.deal(opening.seed(), 1).get(options.seat() - 1);
                legal = hand;
                where = "hand 1 trick 1 (you open the game: " + opening + "), trump "
                        + Deck.trump(opening.seed(), 1) + ", you lead";
            } else {
                hand = game.hand(options.seat());
                legal = game.legal(options.seat());
                where = "hand " + game.hand() + " trick " + game.trickNumber() + ", trump " + game.trump() + ", "
                        + TerminalUi.table(game.trick());
            }
        }
        if (options.auto()) {
            if (options.delayMillis() > 0) {
                Thread.sleep(options.delayMillis());
            }
            return legal.stream().min(Card::compareTo).orElseThrow();
        }
        ui.say("your turn, " + where + "; your cards: " + TerminalUi.cards(hand) + "; legal: "
                + TerminalUi.cards(legal));
        ui.say("> type a card (like QS or 10H), or quit:");
        while (true) {
            String line = input.poll(SLICE_MS, TimeUnit.MILLISECONDS);
            if (line == null) {
                synchronized (lock) {
                    if (closedReason != null || game.isOver()) {
                        return null;
                    }
                }
                continue;
            }
            if (line.equals(END_OF_INPUT)) {
                ui.say("input ended: leaving the game");
                return null;
            }
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.equalsIgnoreCase("quit")) {
                ui.say("quitting: leaving the game");
                return null;
            }
            Card card;
            try {
                card = Card.parse(line);
            } catch (IllegalArgumentException e) {
                ui.say("illegal card: " + e.getMessage() + "; play one of " + TerminalUi.cards(legal));
                continue;
            }
            String why;
            synchronized (lock) {
                why = opening != null ? (hand.contains(card) ? null : "you do not hold " + card)
                        : game.whyIllegal(options.seat(), card);
            }
            if (why != null) {
                ui.say("illegal card " + card + ": " + why + "; play one of " + TerminalUi.cards(legal));
                continue;
            }
            return card;
        }
    }

    private boolean pausedTooLong() {
        if (options.pauseTimeout() == null || pausedSinceNanos == 0) {
            return false;
        }
        return System.nanoTime() - pausedSinceNanos > options.pauseTimeout().toNanos();
    }

    /** The seats with nobody in them in the current view, like "3" or "2, 4"; empty if all taken. */
    private String emptySeats() {
        List<String> empty = new ArrayList<>();
        for (int s = 1; s <= 4; s++) {
            if (view == null || view.count(Play.roleOf(s)) == 0) {
                empty.add(Integer.toString(s));
            }
        }
        return String.join(", ", empty);
    }

    private String nameOf(int seat) {
        if (view != null) {
            for (MemberInfo m : view.members()) {
                if (m.role().equals(Play.roleOf(seat))) {
                    return m.name();
                }
            }
        }
        return null;
    }

    /** The state provider: the Plays delivered so far (called in delivery order). */
    private byte[] state() {
        synchronized (lock) {
            return game.encode();
        }
    }

    @Override
    public void onView(ViewChange c) {
        synchronized (lock) {
            view = c.view();
            boolean playing = game.isOpened() && !game.isOver();
            for (MemberInfo m : c.crashed()) {
                gone(m, "crashed", playing);
            }
            for (MemberInfo m : c.left()) {
                gone(m, "left", playing);
            }
            String empty = emptySeats();
            for (MemberInfo m : c.joined()) {
                int seat = Play.seatOf(m.role());
                if (seat > 0 && seat != options.seat() && !game.isOver()) {
                    ui.say(m.role() + " (" + m.name() + ") took seat " + seat
                            + (empty.isEmpty() ? (playing ? ": the game goes on" : "") : "; waiting for seat "
                            + empty));
                }
            }
            if (empty.isEmpty()) {
                pausedSinceNanos = 0;
                if (!announcedStart && ready && !game.isOpened()) {
                    announcedStart = true;
                    ui.say("all four seats are taken: the game starts");
                }
            } else if (pausedSinceNanos == 0) {
                pausedSinceNanos = System.nanoTime();
            }
            lock.notifyAll();
        }
    }

    private void gone(MemberInfo m, String how, boolean playing) {
        int seat = Play.seatOf(m.role());
        if (seat == 0 || seat == options.seat()) {
            return;
        }
        if (playing) {
            ui.say(m.role() + " (" + m.name() + ") " + how + ": the game is paused until seat " + seat
                    + " is taken again" + (options.pauseTimeout() == null ? ""
                    : " (waiting up to " + options.pauseTimeout().toSeconds() + " s)"));
        } else if (!game.isOver()) {
            ui.say(m.role() + " (" + m.name() + ") " + how + "; waiting for seat " + seat);
        }
    }

    @Override
    public void onState(StateTransfer st) {
        synchronized (lock) {
            if (st.available()) {
                try {
                    GameState restored = GameState.replay(GameState.decode(st.state()));
                    if (restored.isOver()) {
                        ui.say("state: the last game at this table is over (" + restored.summary()
                                + "); a new one starts");
                    } else {
                        game = restored;
                        checkTurn = restored.isOpened();
                        ui.say("state: " + restored.plays().size() + " plays from " + st.from().name() + " ("
                                + st.from().role() + ")" + (restored.isOpened() ? "; hand " + restored.hand()
                                + ", trick " + restored.trickNumber() + ", score " + TerminalUi.teams(restored.score())
                                : "; the game has not started"));
                    }
                } catch (IllegalArgumentException e) {
                    ui.say("state: unusable (" + e.getMessage() + "); starting from a new game");
                    LOG.warn("group {}: bad card game state from {}", options.group(), st.from(), e);
                }
            } else {
                ui.say("state: none (" + st.note() + ")");
            }
            ready = true;
            if (game.isOpened() && !game.isOver()) {
                ui.say("your cards in hand " + game.hand() + ": " + TerminalUi.cards(game.hand(options.seat()))
                        + "; trump " + game.trump() + "; " + TerminalUi.table(game.trick()));
            }
            String empty = emptySeats();
            if (empty.isEmpty()) {
                if (!game.isOpened()) {
                    announcedStart = true;
                    ui.say("all four seats are taken: the game starts");
                }
            } else {
                ui.say("waiting for seat " + empty);
            }
            lock.notifyAll();
        }
    }

    @Override
    public void onMessage(Received r) {
        if (!r.type().equals(PLAY)) {
            return;
        }
        synchronized (lock) {
            int seat = Play.seatOf(r.sender().role());
            if (seat == 0) {
                LOG.warn("group {}: a Play from {}, who is not in a seat; ignored", options.group(), r.sender());
                return;
            }
            boolean opening = !game.isOpened();
            GameState.Outcome o;
            try {
                o = game.apply(Play.decode(seat, r.text()));
            } catch (IllegalArgumentException e) {
                ui.say("ignored a Play from " + r.sender().role() + ": " + e.getMessage());
                return;
            }
            if (opening) {
                ui.say("game opened by " + r.sender().role() + " (" + r.sender().name() + "): " + game.settings());
                dealt(o.hand());
            }
            for (String line : TerminalUi.describe(o, s -> s == seat ? r.sender().name() : nameOf(s))) {
                ui.say(line);
            }
            if (o.handDone() != null && !o.gameOver()) {
                dealt(game.hand());
            }
            lock.notifyAll();
        }
    }

    private void dealt(int hand) {
        ui.say("hand " + hand + " of " + game.settings().hands() + ": trump " + game.trump() + "; your cards: "
                + TerminalUi.cards(game.hand(options.seat())));
    }

    @Override
    public void onClosed(String reason) {
        synchronized (lock) {
            closedReason = reason;
            lock.notifyAll();
        }
    }
}
