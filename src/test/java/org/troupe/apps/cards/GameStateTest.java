package org.troupe.apps.cards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The rules and the game state, without CORBA: follow suit, trick winners with trump, scoring, replay. */
@Tag("unit")
class GameStateTest {
    private static List<Card> cards(String s) {
        return java.util.Arrays.stream(s.split(" ")).map(Card::parse).toList();
    }

    @Test
    void cardsParseAndPrint() {
        assertEquals(new Card(12, Suit.SPADES), Card.parse("QS"));
        assertEquals(new Card(10, Suit.HEARTS), Card.parse("10h"));
        assertEquals(new Card(10, Suit.HEARTS), Card.parse("TH"));
        assertEquals("10H", Card.parse("10H").toString());
        assertEquals("AD", Card.parse(" ad ").toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Card.parse("1S")).getMessage()
                .contains("unknown rank '1'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Card.parse("QX")).getMessage()
                .contains("unknown suit 'X'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Card.parse("hello")).getMessage()
                .contains("is not a card"));
    }

    @Test
    void theDealGivesThirteenDistinctCardsToEachSeatTheSameForTheSameSeed() {
        List<List<Card>> a = Deck.deal(42, 1);
        assertEquals(a, Deck.deal(42, 1));
        Set<Card> all = new HashSet<>();
        for (List<Card> h : a) {
            assertEquals(13, h.size());
            all.addAll(h);
        }
        assertEquals(52, all.size());
        assertFalse(a.equals(Deck.deal(42, 2)), "another hand, another deal");
        assertFalse(a.equals(Deck.deal(43, 1)), "another seed, another deal");
        assertEquals(Deck.shuffled(42, 1).get(51).suit(), Deck.trump(42, 1));
    }

    @Test
    void mustFollowSuitIfAble() {
        Trick t = Trick.ledBy(1).with(Card.parse("5H"));
        List<Card> hand = cards("2C 9H KH AS");
        assertEquals(cards("9H KH"), WhistRules.legal(hand, t));
        assertTrue(WhistRules.whyIllegal(hand, t, Card.parse("AS")).startsWith("you must follow suit: H was led"));
        assertNull(WhistRules.whyIllegal(hand, t, Card.parse("9H")));
        assertEquals("you do not hold 3D", WhistRules.whyIllegal(hand, t, Card.parse("3D")));
        assertEquals(cards("2C AS"), WhistRules.legal(cards("2C AS"), t), "void in the led suit: anything");
        assertEquals(hand, WhistRules.legal(hand, Trick.ledBy(2)), "leading: anything");
        assertEquals(Card.parse("9H"), WhistRules.lowestLegal(hand, t));
    }

    @Test
    void theTrickGoesToTheHighestTrumpElseTheHighestOfTheLedSuit() {
        // led by seat 3: seats 3, 4, 1, 2
        Trick noTrump = new Trick(3, cards("5H KH AS 9H"));
        assertEquals(4, noTrump.winner(Suit.CLUBS), "AS is off-suit: KH (seat 4) wins");
        assertEquals(Card.parse("KH"), noTrump.winningCard(Suit.CLUBS));
        assertEquals(1, noTrump.winner(Suit.SPADES), "the only trump, AS (seat 1), wins");
        Trick twoTrumps = new Trick(2, cards("AH 2S 3S KH"));
        assertEquals(4, twoTrumps.winner(Suit.SPADES), "the higher trump (3S, seat 4) wins");
        Trick ledTrump = new Trick(1, cards("2S AH 3S KS"));
        assertEquals(4, ledTrump.winner(Suit.SPADES));
        assertEquals(3, WhistRules.winningIndex(cards("4D 2D 3D 5D"), Suit.HEARTS));
    }

    @Test
    void teamsScoreTheirTricksOverSix() {
        assertEquals(0, WhistRules.team(1));
        assertEquals(0, WhistRules.team(3));
        assertEquals(1, WhistRules.team(2));
        assertEquals(1, WhistRules.team(4));
        assertEquals(0, WhistRules.points(6));
        assertEquals(1, WhistRules.points(7));
        assertEquals(7, WhistRules.points(13));
        assertEquals(0, WhistRules.points(0));
    }

    /** Plays a whole game with the lowest legal card (passes where due); returns the Plays. */
    static List<Play> autoGame(GameSettings settings) {
        GameState g = new GameState();
        List<Play> plays = new ArrayList<>();
        int seat = 1;
        while (!g.isOver()) {
            Play p;
            if (!g.isOpened()) {
                p = new Play(seat, Deck.deal(settings.seed(), 1).get(seat - 1).get(0), settings);
            } else if (g.mustPass()) {
                p = new Play(seat, null, null);
            } else {
                p = new Play(seat, WhistRules.lowestLegal(g.hand(seat), g.trick()), null);
            }
            GameState.Outcome o = g.apply(p);
            assertNull(o.replaced(), "a legal play is not replaced: " + p);
            plays.add(p);
            seat = seat % 4 + 1;
        }
        return plays;
    }

    @Test
    void aWholeGameFollowsTheRotationTheWinnerLeadsAndTheScoreAddsUp() {
        GameSettings settings = new GameSettings(2, 7);
        List<Play> plays = autoGame(settings);
        GameState g = new GameState();
        int tricks = 0;
        int hands = 0;
        int[] score = new int[2];
        int expectedLeader = 1;
        for (int i = 0; i < plays.size(); i++) {
            assertEquals(i == 0 ? 0 : i % 4 + 1, g.nextSeat(), "the fixed rotation: Player 1, 2, 3, 4 (0: not opened)");
            GameState.Outcome o = g.apply(plays.get(i));
            if (o.trickDone() != null) {
                tricks++;
                assertEquals(expectedLeader, o.trickDone().cards().leader(), "trick " + tricks);
                expectedLeader = o.trickDone().winner(); // the winner leads the next trick ...
            }
            if (o.handDone() != null) {
                hands++;
                assertEquals(13, o.handDone().tricks()[0] + o.handDone().tricks()[1]);
                score[0] += WhistRules.points(o.handDone().tricks()[0]);
                score[1] += WhistRules.points(o.handDone().tricks()[1]);
                assertArrayEquals(score, o.handDone().score());
                expectedLeader = hands % 4 + 1; // ... except the first of a hand: it passes to the left
            }
        }
        assertTrue(g.isOver());
        assertEquals(26, tricks);
        assertEquals(2, hands);
        assertArrayEquals(score, g.score());
        assertEquals(26, g.totalTricks()[0] + g.totalTricks()[1]);
        assertTrue(plays.stream().filter(p -> p.card() != null).count() == 104, "52 cards a hand");
        assertTrue(plays.size() > 104, "and some passes: some trick was won by another seat than the next leader");
        assertEquals(0, g.nextSeat());
        assertThrows(IllegalArgumentException.class, () -> g.apply(new Play(1, Card.parse("2C"), null)));
    }

    @Test
    void replayFromThePlaysGivesTheSameStateAtEveryPoint() {
        List<Play> plays = autoGame(new GameSettings(1, 99));
        GameState live = new GameState();
        for (int i = 0; i < plays.size(); i++) {
            live.apply(plays.get(i));
            if (i % 7 == 0 || i == plays.size() - 1) {
                GameState copy = GameState.replay(GameState.decode(live.encode()));
                assertEquals(live.plays(), copy.plays());
                assertEquals(live.nextSeat(), copy.nextSeat());
                assertEquals(live.trick(), copy.trick());
                assertEquals(live.trump(), copy.trump());
                for (int s = 1; s <= 4; s++) {
                    assertEquals(live.hand(s), copy.hand(s));
                }
                assertArrayEquals(live.handTricks(), copy.handTricks());
                assertArrayEquals(live.score(), copy.score());
                assertEquals(live.summary(), copy.summary());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> GameState.decode("hello".getBytes()));
    }

    @Test
    void theOpeningPlayCarriesTheSettingsAndChecksAreClear() {
        GameState g = new GameState();
        Card first = Deck.deal(5, 1).get(0).get(3);
        Play open = Play.decode(1, new Play(1, first, new GameSettings(3, 5)).payload());
        assertEquals(new GameSettings(3, 5), open.settings());
        g.apply(open);
        assertEquals(new GameSettings(3, 5), g.settings());
        assertEquals(12, g.hand(1).size());
        assertEquals("it is Player 2's turn", g.whyIllegal(3, g.hand(3).get(0)));
        Card notHeld = g.hand(3).get(0);
        assertTrue(g.whyIllegal(2, notHeld).startsWith("you do not hold"));
        // a misplay by another client is replaced by the lowest legal card, the same everywhere
        GameState.Outcome o = g.apply(new Play(2, notHeld, null));
        assertNotNull(o.replaced());
        assertEquals(WhistRules.lowestLegal(Deck.deal(5, 1).get(1), Trick.ledBy(1).with(first)), o.card());
        assertEquals(3, g.nextSeat());
        assertEquals(new Play(4, null, null), Play.decode(4, "pass"));
        assertEquals(3, Play.seatOf("Player 3"));
        assertEquals(0, Play.seatOf("Teacher"));
    }
}
