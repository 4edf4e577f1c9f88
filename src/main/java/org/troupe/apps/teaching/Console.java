package org.troupe.apps.teaching;

import java.io.PrintWriter;
import java.util.List;
import java.util.StringJoiner;
import org.troupe.member.model.MemberInfo;
import org.troupe.member.model.ViewChange;

/**
 * The apps' terminal output: one line per event, flushed at once, safe from several threads (the
 * delivery thread and the one reading commands). Lines start with an upper-case word (ASKED,
 * ANSWER, SUMMARY, QUESTION, STATE, VIEW, ERROR ...) so that people can read them and scripts
 * can grep them.
 */
final class Console {
    private final PrintWriter out;

    Console(PrintWriter out) {
        this.out = out;
    }

    void line(String s) {
        synchronized (out) {
            out.println(s);
            out.flush();
        }
    }

    void view(ViewChange c) {
        StringBuilder b = new StringBuilder("VIEW ").append(c.view().id()).append(' ').append(names(c.view().members()));
        c.joined().forEach(m -> b.append(" joined=").append(m.name()));
        c.left().forEach(m -> b.append(" left=").append(m.name()));
        c.crashed().forEach(m -> b.append(" crashed=").append(m.name()));
        line(b.toString());
    }

    static String names(List<MemberInfo> members) {
        if (members.isEmpty()) {
            return "-";
        }
        StringJoiner j = new StringJoiner(",");
        for (MemberInfo m : members) {
            j.add(m.name());
        }
        return j.toString();
    }
}
