package org.troupe.apps.teaching;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.troupe.member.Group;
import org.troupe.member.JoinOptions;
import org.troupe.member.Query;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;
import org.troupe.member.model.Received;

/**
 * The Teacher of a tele-teaching group (xml-protocols/tele-teaching.xml), driven by lines:
 * {@code ask TEXT} asks a Question, {@code formula TEXT} posts a Formula, {@code explain NAME TEXT}
 * answers NAME's Doubt about the last Formula, {@code status} prints the lesson, {@code quit}
 * leaves. It prints each Answer and Doubt as it arrives and, when a Question completes (every
 * Student in the view answered) or times out, a summary: who answered, who did not. It keeps the
 * {@link Lesson} and provides it as the group's state to Students who join late.
 *
 * <pre>
 *  stdin: ask 2+2? --&gt; Group.ask(Question) --&gt; server --&gt; Students (QUESTION Q7 ...)
 *  Students: answer 4 --&gt; Group.reply(Answer) --&gt; server --&gt; Teacher only (ANSWER Q7 ann: 4)
 *  Query handle completes (all of #Student, or 60 s) --&gt; SUMMARY Q7 COMPLETE answered=... missing=...
 *  a late Student: requestState("Teacher") --&gt; this app's Lesson, captured in delivery order
 * </pre>
 */
public final class TeacherApp extends ClassMember {
    private final Lesson lesson = new Lesson();
    private final Map<String, Received> doubts = new ConcurrentHashMap<>();
    /** Held while asking and while capturing the state, so that a query is in the state or after it. */
    private final Object stateLock = new Object();

    private TeacherApp(PrintWriter out) {
        super(out);
    }

    /**
     * Joins {@code groupName} as its Teacher {@code name} and runs commands from {@code in} until
     * {@code quit} or its end; returns 0 when it left normally, 2 if it was removed from the group.
     */
    public static int run(Troupe troupe, String groupName, String name, BufferedReader in, PrintWriter out)
            throws TroupeException, IOException, InterruptedException {
        TeacherApp app = new TeacherApp(out);
        app.group = troupe.join(groupName, "Teacher", name,
                JoinOptions.defaults().listener(app).stateProvider(app::state));
        app.console.line("JOINED " + groupName + " as Teacher " + name);
        return app.commands(in);
    }

    @Override
    void command(String line) {
        try {
            if (line.startsWith("ask ")) {
                ask(Lesson.Kind.QUESTION, "Question", line.substring(4).strip());
            } else if (line.startsWith("formula ")) {
                ask(Lesson.Kind.FORMULA, "Formula", line.substring(8).strip());
            } else if (line.startsWith("explain ")) {
                explain(line.substring(8).strip());
            } else if (line.equals("status")) {
                console.line("LESSON " + lesson.size() + " items");
                lesson.describe().forEach(l -> console.line("  " + l));
            } else if (!line.isEmpty() && !line.equals("quit")) {
                console.line("ERROR unknown command '" + line + "': ask TEXT, formula TEXT, explain NAME TEXT, status, "
                        + "quit");
            }
        } catch (TroupeException | IllegalArgumentException e) {
            console.line("ERROR " + e.getMessage());
        }
    }

    private void ask(Lesson.Kind kind, String type, String text) throws TroupeException {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("a " + type + " needs a text");
        }
        Query q;
        synchronized (stateLock) { // a state captured now has it, or the joiner gets it as a message
            q = group.ask(type, text.getBytes(StandardCharsets.UTF_8));
            lesson.posted(kind, group.me().id(), q.messageId(), text);
        }
        String label = kind.letter + q.messageId();
        console.line((kind == Lesson.Kind.QUESTION ? "ASKED " : "POSTED ") + label + ": " + text);
        q.onDone(done -> {
            lesson.closed(group.me().id(), done.messageId(), done.outcome().name());
            console.line("SUMMARY " + label + " " + done.outcome() + " " + (kind == Lesson.Kind.QUESTION ? "answered="
                    : "doubted=") + Console.names(done.responders()) + " missing=" + Console.names(done.missing())
                    + " late=" + done.late());
        });
    }

    private byte[] state() {
        synchronized (stateLock) {
            return lesson.toBytes();
        }
    }

    private void explain(String args) throws TroupeException {
        int space = args.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("explain NAME TEXT");
        }
        String student = args.substring(0, space);
        String text = args.substring(space + 1).strip();
        Lesson.Item f = lesson.last(Lesson.Kind.FORMULA);
        Received doubt = f == null ? null : doubts.get(f.label() + " " + student);
        if (doubt == null) {
            throw new IllegalArgumentException("no Doubt from " + student + " about the last Formula"
                    + (f == null ? "" : " (" + f.label() + ")"));
        }
        group.reply(doubt, "TeacherAnswer", text.getBytes(StandardCharsets.UTF_8));
        lesson.explained(f.source(), f.messageId(), student, text);
        console.line("EXPLAINED " + f.label() + " " + student + ": " + text);
    }

    @Override
    public void onMessage(Received m) {
        switch (m.type()) {
            case "Answer":
            case "Doubt":
                reply(m);
                break;
            default:
                console.line("MESSAGE " + m.type() + " " + m.sender().name() + ": " + m.text());
        }
    }

    private void reply(Received m) {
        long query = m.message().answersMessageId();
        Lesson.Item item = lesson.find(m.message().answersSource(), query);
        String label = item == null ? "?" + query : item.label();
        lesson.replied(m.message().answersSource(), query, m.sender().name(), m.text());
        if (m.type().equals("Doubt")) {
            doubts.put(label + " " + m.sender().name(), m);
        }
        console.line((m.type().equals("Answer") ? "ANSWER " : "DOUBT ") + label + " " + m.sender().name() + ": "
                + m.text());
    }
}
