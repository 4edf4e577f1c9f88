package org.troupe.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.troupe.member.TestGroupsServer.messages;
import static org.troupe.member.TestGroupsServer.utf8;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.Received;
import org.troupe.member.model.ViewChange;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.ProtocolLoader;

/**
 * Groups created from the bundled application protocols (xml-protocols/), against a real server
 * over IIOP, each member with its own ORB: the stack built from the protocol, query and
 * responses with the correlator, responses skipping the sequencer (and not, with the
 * optimisation off), filtering at the source, refusals that leave the member in, turns, and
 * JOIN_MODE.
 */
@Tag("integration")
class ProtocolGroupsTest {
    private static TestGroupsServer server;
    private static ApplicationProtocol teleTeaching;
    private static ApplicationProtocol cardGame;

    @BeforeAll
    static void start() throws Exception {
        server = TestGroupsServer.start();
        teleTeaching = ProtocolLoader.loadBundled("tele-teaching");
        cardGame = ProtocolLoader.loadBundled("card-game");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Troupe connect() throws TroupeException {
        return server.connect();
    }

    /** Drains what is delivered within {@code wait}: the messages only. */
    private static List<Received> drain(Group g, Duration wait) throws Exception {
        List<Received> out = new ArrayList<>();
        Delivery d;
        while ((d = g.receive(wait)) != null) {
            if (d instanceof Received r) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void aQuestionCollectsItsAnswersWhichSkipTheSequencerAndReachOnlyTheTeacher() throws Exception {
        connect().createGroup("qa", teleTeaching);
        Group tess = connect().join("qa", "Teacher", "Tess");
        assertFalse(tess.view().complete(), "no Student yet: Student min 1 not met");
        Group ann = connect().join("qa", "Student", "Ann");
        Group bob = connect().join("qa", "Student", "Bob");
        assertEquals(List.of("CorbaTransport", "HeartbeatLayer", "TotalOrderLayer", "DestinationFilterLayer",
                "CorrelationLayer", "StateTransferLayer", "DeliveryLayer"), ann.layers(),
                "built from the protocol: a correlator, no turn layer");

        Query q = tess.ask("Question", utf8("2+2?"));
        Received atAnn = messages(ann, 1).get(0);
        Received atBob = messages(bob, 1).get(0);
        assertEquals("Question", atAnn.type());
        assertTrue(atAnn.message().sequenced(), "a query is sequenced");
        assertTrue(ann.view().complete());
        ann.reply(atAnn, "Answer", utf8("4"));
        bob.reply(atBob, "Answer", utf8("5"));
        assertTrue(q.await(Duration.ofSeconds(10)), "both Students answered: #Student reached");
        assertEquals(Query.Outcome.COMPLETE, q.outcome());
        assertEquals(List.of("Ann", "Bob"), q.responders().stream().map(MemberInfo::name).sorted().toList());

        List<Received> atTess = messages(tess, 2);
        for (Received r : atTess) {
            assertEquals("Answer", r.type());
            assertFalse(r.message().sequenced(), "a response skips the sequencer");
            assertEquals(q.messageId(), r.message().answersMessageId());
        }
        assertTrue(drain(ann, Duration.ofMillis(300)).isEmpty(), "Ann gets no Answer (Answers go to the Teacher)");
        assertEquals(0, bob.channelStats().messageEvents("Answer"),
                "filtered at the source: Bob's consumer was never sent Ann's Answer");
        assertEquals(0, tess.channelStats().messageEvents("Question"), "nor the Teacher a Question (to Students)");
        connect().destroyGroup("qa");
    }

    @Test
    void refusalsAreClearAndLeaveTheMemberIn() throws Exception {
        connect().createGroup("strict-qa", teleTeaching);
        Group tess = connect().join("strict-qa", "Teacher", "Tess");
        Group ann = connect().join("strict-qa", "Student", "Ann");

        TroupeException role = assertThrows(TroupeException.class, () -> ann.send("Question", utf8("?")));
        assertEquals("role Student may not send a Question in group strict-qa (only Teacher may; Student may send: "
                + "Answer, Doubt)", role.getMessage());
        TroupeException useReply = assertThrows(TroupeException.class, () -> ann.send("Answer", utf8("4")));
        assertTrue(useReply.getMessage().contains("is a response (it answers Question): send it with reply("),
                useReply.getMessage());

        Query q = tess.ask("Question", utf8("2+2?"));
        Received question = messages(ann, 1).get(0);
        TroupeException wrong = assertThrows(TroupeException.class, () -> ann.reply(question, "Doubt", utf8("?")));
        assertEquals("a Doubt answers Formula, not a Question", wrong.getMessage());
        ann.reply(question, "Answer", utf8("4"));
        RefusedException twice = assertThrows(RefusedException.class, () -> ann.reply(question, "Answer", utf8("5")));
        assertTrue(twice.getMessage().contains("is not an open query"), twice.getMessage()); // #Student = 1: complete
        assertTrue(q.await(Duration.ofSeconds(10)));

        // the member is still in, and the group goes on
        Query q2 = tess.ask("Question", utf8("3+3?"));
        Received second = messages(ann, 1).get(0);
        ann.reply(second, "Answer", utf8("6"));
        assertTrue(q2.await(Duration.ofSeconds(10)));
        assertEquals("6", q2.responses().get(0).text());
        TroupeException full = assertThrows(TroupeException.class,
                () -> connect().join("strict-qa", "Teacher", "Tom"));
        assertEquals("role Teacher of group strict-qa is full (max 1)", full.getMessage());
        connect().destroyGroup("strict-qa");
    }

    @Test
    void withTheOptimisationOffResponsesAreSequencedAndTheGuaranteesHold() throws Exception {
        connect().createGroup("qa-seq", teleTeaching, false);
        Group tess = connect().join("qa-seq", "Teacher", "Tess");
        Group ann = connect().join("qa-seq", "Student", "Ann");
        Query q = tess.ask("Question", utf8("2+2?"));
        ann.reply(messages(ann, 1).get(0), "Answer", utf8("4"));
        Received answer = messages(tess, 1).get(0);
        assertTrue(answer.message().sequenced(), "every message through the sequencer");
        assertTrue(q.await(Duration.ofSeconds(10)));
        connect().destroyGroup("qa-seq");
    }

    @Test
    void nestedResponsesGoBackToTheQuerier() throws Exception {
        connect().createGroup("doubts", teleTeaching);
        Group tess = connect().join("doubts", "Teacher", "Tess");
        Group ann = connect().join("doubts", "Student", "Ann");
        Group bob = connect().join("doubts", "Student", "Bob");
        tess.ask("Formula", utf8("e=mc2"));
        Received formula = messages(ann, 1).get(0);
        messages(bob, 1);
        ann.reply(formula, "Doubt", utf8("why squared?"));
        Received doubt = messages(tess, 1).get(0);
        tess.reply(doubt, "TeacherAnswer", utf8("units"));
        Received answer = messages(ann, 1).get(0);
        assertEquals("TeacherAnswer", answer.type());
        assertEquals("units", answer.text());
        assertTrue(drain(bob, Duration.ofMillis(300)).isEmpty(), "only the Student who doubted gets the answer");
        connect().destroyGroup("doubts");
    }

    @Test
    void lateJoinersStartInJoinModeAndSeeNothingFromBefore() throws Exception {
        connect().createGroup("late", teleTeaching);
        Group tess = connect().join("late", "Teacher", "Tess");
        Group ann = connect().join("late", "Student", "Ann");
        tess.ask("Question", utf8("before"));
        ann.reply(messages(ann, 1).get(0), "Answer", utf8("a"));
        messages(tess, 1);
        Group cy = connect().join("late", "Student", "Cy");
        Delivery first = cy.receive(Duration.ofSeconds(10));
        assertTrue(first instanceof ViewChange v && v.joined().get(0).name().equals("Cy"), "its own view first");
        tess.ask("Question", utf8("after"));
        List<Received> atCy = messages(cy, 1);
        assertEquals("after", atCy.get(0).text());
        assertTrue(drain(cy, Duration.ofMillis(300)).isEmpty());
        connect().destroyGroup("late");
    }

    @Test
    void cardGamePlaysGoInTurnAndOutOfTurnIsRefused() throws Exception {
        connect().createGroup("table", cardGame);
        List<Group> players = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            players.add(connect().join("table", "Player " + i, "p" + i));
        }
        assertEquals(List.of("CorbaTransport", "HeartbeatLayer", "TotalOrderLayer", "DestinationFilterLayer",
                "TurnLayer", "StateTransferLayer", "DeliveryLayer"), players.get(0).layers(), "turns, no correlator");
        List<List<String>> seen = new ArrayList<>();
        players.forEach(p -> seen.add(new ArrayList<>()));
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 4; i++) {
                Group p = players.get(i);
                // the player plays once it has delivered the previous plays: wait for its turn
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!p.turn("Play").isFor(p.me().role())) {
                    assertTrue(System.nanoTime() < deadline, "turn never came: " + p.turn("Play"));
                    Delivery d = p.receive(Duration.ofMillis(20));
                    if (d instanceof Received r) {
                        seen.get(i).add(r.text());
                    }
                }
                Group other = players.get((i + 2) % 4);
                RefusedException out = assertThrows(RefusedException.class,
                        () -> other.send("Play", utf8("cheat")));
                // refused by the player's own turn layer or, if its view of the game lags behind the
                // server's (it has not delivered the last play yet), by the server
                assertTrue(out.getMessage().startsWith("out of turn: it is Player ")
                        || out.getMessage().equals("group table refuses this Play: out of turn (it is Player " + (i + 1)
                                + "'s turn)"), out.getMessage());
                p.send("Play", utf8("r" + round + "p" + (i + 1)));
            }
        }
        List<String> expected = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 1; i <= 4; i++) {
                expected.add("r" + round + "p" + i);
            }
        }
        for (int i = 0; i < 4; i++) {
            Group p = players.get(i);
            int missing = expected.size() - seen.get(i).size();
            for (Received r : messages(p, missing)) {
                seen.get(i).add(r.text());
            }
            assertEquals(expected, seen.get(i), p.me().name() + ": every play, in turn order, and no cheat");
            assertEquals(2, p.turn("Play").round(), p.me().name());
        }
        connect().destroyGroup("table");
    }
}
