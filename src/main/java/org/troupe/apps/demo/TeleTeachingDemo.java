package org.troupe.apps.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.troupe.server.events.ChannelSettings;
import org.troupe.server.groups.GroupSettings;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;

/**
 * {@code troupe demo tele-teaching}: an embedded server and a scripted lesson, every participant
 * a {@code troupe teach} / {@code troupe learn} process of its own, their output shown as it
 * comes. The script: a Question that three Students answer (two by themselves, one typed); a
 * Formula, a Doubt and the Teacher's explanation; a second Question during which a fourth
 * Student joins late (it gets the lesson so far by state transfer and answers the open Question)
 * and one Student is killed (the Question completes without it once it is out of the view); then
 * a summary.
 *
 * <pre>
 *  demo JVM: TroupeServer (127.0.0.1, free port) + this script
 *     |-- tess  troupe teach   (stdin: ask / formula / explain / status / quit)
 *     |-- ann   troupe learn --auto-answer 300
 *     |-- bob   troupe learn --auto-answer 600
 *     |-- cy    troupe learn               (stdin: answer ...; killed in the second Question)
 *     '-- dan   troupe learn --auto-answer 300   (joins late)
 * </pre>
 */
public final class TeleTeachingDemo {
    private static final long WAIT_MS = 30_000;
    private static final String GROUP = "math-101";

    private final PrintWriter out;
    private final List<Participant> all = new ArrayList<>();
    private String url;

    private TeleTeachingDemo(PrintWriter out) {
        this.out = out;
    }

    /** Runs the demo, printing to {@code out}; returns 0 when the lesson went as scripted. */
    public static int run(PrintWriter out) throws Exception {
        return new TeleTeachingDemo(out).run();
    }

    private int run() throws Exception {
        long t0 = System.nanoTime();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        url = "127.0.0.1:" + port;
        try (TroupeServer server = TroupeServer.start(new ServerSettings("127.0.0.1", port, false,
                ChannelSettings.defaults(), GroupSettings.defaults()))) {
            say("tele-teaching demo: server on " + url + ", group " + GROUP + " (protocol tele-teaching); each "
                    + "participant is a JVM of its own");
            try {
                return lesson(t0);
            } finally {
                all.forEach(Participant::close);
            }
        }
    }

    private int lesson(long t0) throws Exception {
        Participant tess = start("tess", "teach", "--name", "tess");
        Participant ann = start("ann", "learn", "--name", "ann", "--auto-answer", "300");
        Participant bob = start("bob", "learn", "--name", "bob", "--auto-answer", "600");
        Participant cy = start("cy", "learn", "--name", "cy");
        tess.next(l -> l.startsWith("VIEW") && l.contains("joined=cy"), "view with cy", WAIT_MS);

        say("a Question: ann and bob answer by themselves, cy types an answer");
        tess.send("ask What is 7 x 6?");
        String q1 = label(tess.next("ASKED ", WAIT_MS));
        cy.next("QUESTION " + q1, WAIT_MS);
        cy.send("answer 41, I think");
        String s1 = tess.any("SUMMARY " + q1, WAIT_MS);

        say("a Formula: ann has a Doubt, tess explains it to her alone");
        tess.send("formula E = m c²");
        String f = label(tess.next("POSTED ", WAIT_MS));
        ann.next("FORMULA " + f, WAIT_MS);
        ann.send("doubt why is c squared?");
        tess.next("DOUBT " + f + " ann", WAIT_MS);
        tess.send("explain ann the units: energy is mass times a speed squared");
        ann.next("EXPLANATION " + f, WAIT_MS);

        say("a second Question: dan joins late and gets the lesson so far; cy crashes before answering");
        tess.send("ask What is the capital of Australia?");
        String q2 = label(tess.next("ASKED ", WAIT_MS));
        tess.next("ANSWER " + q2 + " bob", WAIT_MS);
        Participant dan = start("dan", "learn", "--name", "dan", "--auto-answer", "300");
        String state = dan.next("STATE", WAIT_MS);
        tess.next("ANSWER " + q2 + " dan", WAIT_MS);
        say("killing cy (SIGKILL) mid-question");
        long killed = System.nanoTime();
        cy.kill();
        tess.next(l -> l.startsWith("VIEW") && l.contains("crashed=cy"), "view without cy", WAIT_MS);
        long removedMs = (System.nanoTime() - killed) / 1_000_000;
        String s2 = tess.any("SUMMARY " + q2, WAIT_MS);

        tess.send("status");
        tess.next("LESSON", WAIT_MS);
        List<String> exits = Participant.quitAll(List.of(ann, bob, dan, tess), WAIT_MS);
        exits.forEach(this::say);
        int bad = exits.size();
        say("summary");
        say("  " + s1);
        say("  " + s2);
        say("  dan joined late: " + state);
        say("  cy was killed and left the view " + removedMs + " ms later; " + q2 + " completed without it");
        say("  " + (all.size()) + " processes plus the server, " + (System.nanoTime() - t0) / 1_000_000 + " ms in all");
        return bad == 0 && s1.contains("COMPLETE") && s2.contains("COMPLETE") ? 0 : 1;
    }

    private Participant start(String name, String... args) throws IOException, TimeoutException,
            InterruptedException {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--server", url, "--group", GROUP));
        Participant p = Participant.start(name, a, out);
        all.add(p);
        p.next("JOINED", WAIT_MS);
        return p;
    }

    private void say(String s) {
        synchronized (out) {
            out.println("== " + s);
            out.flush();
        }
    }

    /** The label (Q12, F14) of a line "ASKED Q12: text". */
    private static String label(String line) {
        return line.substring(line.indexOf(' ') + 1, line.indexOf(':'));
    }
}
