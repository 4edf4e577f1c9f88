package org.troupe.apps.teaching;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.troupe.member.JoinOptions;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;
import org.troupe.member.model.Destination;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.model.Received;
import org.troupe.member.model.StateTransfer;

/**
 * A Student of a tele-teaching group, driven by lines: {@code answer TEXT} answers the last
 * Question, {@code doubt TEXT} raises a Doubt about the last Formula, {@code status} prints the
 * lesson so far, {@code quit} leaves. It prints every Question, Formula and explanation as it
 * comes. On joining it asks the Teacher for the lesson (group state transfer), so a Student who
 * comes late sees the earlier Questions with their answers and can answer the open one. With
 * {@code autoAnswerMillis} set it answers every Question by itself after that delay (for demos).
 */
public final class StudentApp extends ClassMember {
    private final String name;
    private final Lesson lesson = new Lesson();
    private final long autoAnswerMillis;
    private final ScheduledExecutorService auto;
    /** This Student's Answers and Doubts by message id: the label of what each replied to. */
    private final java.util.Map<Long, String> sent = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<Long, String> eldest) {
                    return size() > 1000; // the last thousand are plenty to place an explanation
                }
            });

    private StudentApp(PrintWriter out, String name, long autoAnswerMillis) {
        super(out);
        this.name = name;
        this.autoAnswerMillis = autoAnswerMillis;
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "student-auto-answer");
            t.setDaemon(true);
            return t;
        });
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.auto = ex;
    }

    /**
     * Joins {@code groupName} as Student {@code name} and runs commands from {@code in} until
     * {@code quit} or its end; with {@code autoAnswerMillis} &ge; 0 it answers each Question by
     * itself. Returns 0 when it left normally, 2 if it was removed from the group.
     */
    public static int run(Troupe troupe, String groupName, String name, long autoAnswerMillis, BufferedReader in,
            PrintWriter out) throws TroupeException, IOException, InterruptedException {
        StudentApp app = new StudentApp(out, name, autoAnswerMillis);
        try {
            app.group = troupe.join(groupName, "Student", name,
                    JoinOptions.defaults().listener(app).requestState("Teacher"));
            app.console.line("JOINED " + groupName + " as Student " + name);
            return app.commands(in);
        } finally {
            app.auto.shutdownNow();
        }
    }

    @Override
    void command(String line) {
        try {
            if (line.startsWith("answer ")) {
                reply(Lesson.Kind.QUESTION, "Answer", line.substring(7).strip());
            } else if (line.startsWith("doubt ")) {
                reply(Lesson.Kind.FORMULA, "Doubt", line.substring(6).strip());
            } else if (line.equals("status")) {
                console.line("LESSON " + lesson.size() + " items");
                lesson.describe().forEach(l -> console.line("  " + l));
            } else if (!line.isEmpty() && !line.equals("quit")) {
                console.line("ERROR unknown command '" + line + "': answer TEXT, doubt TEXT, status, quit");
            }
        } catch (TroupeException | IllegalArgumentException e) {
            console.line("ERROR " + e.getMessage());
        }
    }

    private void reply(Lesson.Kind kind, String type, String text) throws TroupeException {
        Lesson.Item item = lesson.last(kind);
        if (group == null) {
            throw new IllegalArgumentException("not in the group yet");
        }
        if (item == null) {
            throw new IllegalArgumentException("no " + (kind == Lesson.Kind.QUESTION ? "Question" : "Formula")
                    + " yet to " + (kind == Lesson.Kind.QUESTION ? "answer" : "doubt"));
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an " + type + " needs a text");
        }
        Received query = new Received(new GroupMessage(item.source(), item.messageId(), Destination.group(),
                kind == Lesson.Kind.QUESTION ? "Question" : "Formula", new byte[0], true, 0, 0), 0, null);
        long id = group.reply(query, type, text.getBytes(StandardCharsets.UTF_8));
        sent.put(id, item.label());
        lesson.replied(item.source(), item.messageId(), name, text);
        console.line((kind == Lesson.Kind.QUESTION ? "ANSWERED " : "DOUBTED ") + item.label() + ": " + text);
    }

    @Override
    public void onState(StateTransfer state) {
        if (!state.available()) {
            console.line("STATE none (" + state.note() + ")");
            return;
        }
        Lesson earlier;
        try {
            earlier = Lesson.fromBytes(state.state());
        } catch (IllegalArgumentException e) {
            console.line("ERROR the lesson from " + state.from().name() + " is unreadable: " + e.getMessage());
            return;
        }
        for (String l : earlier.describe()) {
            console.line("HISTORY " + l);
        }
        Lesson.Item open = null;
        for (Lesson.Item i : earlier.items()) {
            Lesson.Item mine = lesson.posted(i.kind(), i.source(), i.messageId(), i.text());
            lesson.closed(i.source(), i.messageId(), i.status());
            if (i.kind() == Lesson.Kind.QUESTION) {
                open = i.status().equals("OPEN") ? mine : null;
            }
        }
        console.line("STATE from " + state.from().name() + ": " + earlier.size() + " earlier items"
                + (open == null ? "" : "; open " + open.label() + ": " + open.text()));
        if (open != null) {
            // asked before this Student's request: it came in the state, not as a message
            console.line("QUESTION " + open.label() + " " + state.from().name() + ": " + open.text());
            autoAnswer(open);
        }
    }

    @Override
    public void onMessage(Received m) {
        switch (m.type()) {
            case "Question": {
                if (lesson.find(m.message().source(), m.message().messageId()) != null) {
                    break; // it came in the state already (asked while the state was on its way)
                }
                Lesson.Item i = lesson.posted(Lesson.Kind.QUESTION, m.message().source(), m.message().messageId(),
                        m.text());
                console.line("QUESTION " + i.label() + " " + m.sender().name() + ": " + m.text());
                autoAnswer(i);
                break;
            }
            case "Formula": {
                if (lesson.find(m.message().source(), m.message().messageId()) != null) {
                    break; // it came in the state already
                }
                Lesson.Item i = lesson.posted(Lesson.Kind.FORMULA, m.message().source(), m.message().messageId(),
                        m.text());
                console.line("FORMULA " + i.label() + " " + m.sender().name() + ": " + m.text());
                break;
            }
            case "TeacherAnswer":
                // it answers this Student's Doubt, which was about a Formula
                console.line("EXPLANATION " + sent.getOrDefault(m.message().answersMessageId(), "?") + " "
                        + m.sender().name() + ": " + m.text());
                break;
            default:
                console.line("MESSAGE " + m.type() + " " + m.sender().name() + ": " + m.text());
        }
    }

    private void autoAnswer(Lesson.Item question) {
        if (autoAnswerMillis < 0) {
            return;
        }
        auto.schedule(() -> {
            if (lesson.last(Lesson.Kind.QUESTION) == question) {
                command("answer " + name + "'s answer to " + question.label());
            }
        }, autoAnswerMillis, TimeUnit.MILLISECONDS);
    }
}
