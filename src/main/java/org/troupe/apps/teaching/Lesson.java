package org.troupe.apps.teaching;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lesson's history as the tele-teaching apps keep it: the Questions and Formulas in the order
 * they were posted, each with its status, the Answers or Doubts it got (by Student name), and the
 * Teacher's explanations. It is the group state that late Students receive: {@link #toBytes}
 * leaves out the replies to what is still open (the Students' Answers go to the Teacher only
 * while a question runs). Thread-safe.
 */
public final class Lesson {
    private static final int VERSION = 1;
    private static final int MAX_ITEMS = 10_000;

    /** What the Teacher posted. */
    public enum Kind {
        QUESTION("Q"), FORMULA("F");

        final String letter;

        Kind(String letter) {
            this.letter = letter;
        }
    }

    /**
     * One Question or Formula: its sender and message id (to reply to it), its text, its status
     * (OPEN, then the query's outcome), its replies and explanations by Student name.
     */
    public static final class Item {
        final Kind kind;
        final long source;
        final long messageId;
        final String text;
        String status = "OPEN";
        final Map<String, String> replies = new LinkedHashMap<>();
        final Map<String, String> explanations = new LinkedHashMap<>();

        Item(Kind kind, long source, long messageId, String text) {
            this.kind = kind;
            this.source = source;
            this.messageId = messageId;
            this.text = text;
        }

        /** The label people see: Q12, F14 (the message id of the query). */
        public String label() {
            return kind.letter + messageId;
        }

        public Kind kind() {
            return kind;
        }

        public long source() {
            return source;
        }

        public long messageId() {
            return messageId;
        }

        public String text() {
            return text;
        }

        public String status() {
            return status;
        }

        /** One line: label, status, text, and the replies. */
        public String describe() {
            StringBuilder b = new StringBuilder(label()).append(' ').append(status).append(' ').append(text);
            List<String> r = new ArrayList<>();
            replies.forEach((who, what) -> r.add(who + ": " + what + (explanations.containsKey(who)
                    ? " (explained: " + explanations.get(who) + ")" : "")));
            if (!r.isEmpty()) {
                b.append(" | ").append(String.join("; ", r));
            }
            return b.toString();
        }
    }

    private final List<Item> items = new ArrayList<>();

    /**
     * Records a posted Question or Formula (the oldest item goes beyond {@value #MAX_ITEMS});
     * one already known by its message id is kept as it is (a state and a delivery may both
     * carry it).
     */
    public synchronized Item posted(Kind kind, long source, long messageId, String text) {
        Item known = find(source, messageId);
        if (known != null) {
            return known;
        }
        if (items.size() == MAX_ITEMS) {
            items.remove(0);
        }
        Item i = new Item(kind, source, messageId, text);
        items.add(i);
        return i;
    }

    /** Records a Student's Answer or Doubt to the item (source, messageId); false if unknown. */
    public synchronized boolean replied(long source, long messageId, String student, String text) {
        Item i = find(source, messageId);
        if (i == null) {
            return false;
        }
        i.replies.put(student, text);
        return true;
    }

    /** Records the Teacher's explanation to a Student's Doubt. */
    public synchronized void explained(long source, long messageId, String student, String text) {
        Item i = find(source, messageId);
        if (i != null) {
            i.explanations.put(student, text);
        }
    }

    /** Records how a query ended (COMPLETE, TIMED_OUT, ...). */
    public synchronized void closed(long source, long messageId, String status) {
        Item i = find(source, messageId);
        if (i != null) {
            i.status = status;
        }
    }

    /** The item its sender sent with this message id, or null. */
    public synchronized Item find(long source, long messageId) {
        for (int k = items.size() - 1; k >= 0; k--) {
            if (items.get(k).messageId == messageId && items.get(k).source == source) {
                return items.get(k);
            }
        }
        return null;
    }

    /** The last item of {@code kind}, or null. */
    public synchronized Item last(Kind kind) {
        for (int k = items.size() - 1; k >= 0; k--) {
            if (items.get(k).kind == kind) {
                return items.get(k);
            }
        }
        return null;
    }

    /** A copy of the items, oldest first. */
    public synchronized List<Item> items() {
        return new ArrayList<>(items);
    }

    /** Every item, one line each, oldest first. */
    public synchronized List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Item i : items) {
            out.add(i.describe());
        }
        return out;
    }

    public synchronized int size() {
        return items.size();
    }

    /** The state for a late Student: every item, without the replies to what is still open. */
    public synchronized byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            out.writeInt(items.size());
            for (Item i : items) {
                out.writeByte(i.kind.ordinal());
                out.writeLong(i.source);
                out.writeLong(i.messageId);
                text(out, i.text);
                text(out, i.status);
                boolean open = i.status.equals("OPEN");
                out.writeInt(open ? 0 : i.replies.size());
                if (!open) {
                    for (Map.Entry<String, String> r : i.replies.entrySet()) {
                        text(out, r.getKey());
                        text(out, r.getValue());
                        text(out, i.explanations.getOrDefault(r.getKey(), ""));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads {@link #toBytes}; a clear IllegalArgumentException if the bytes are not a lesson. */
    public static Lesson fromBytes(byte[] state) {
        Lesson l = new Lesson();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            int v = in.readInt();
            if (v != VERSION) {
                throw new IllegalArgumentException("lesson state version " + v + ", expected " + VERSION);
            }
            int n = in.readInt();
            if (n < 0 || n > MAX_ITEMS) {
                throw new IllegalArgumentException("lesson state with " + n + " items");
            }
            for (int k = 0; k < n; k++) {
                int kind = in.readByte();
                if (kind < 0 || kind >= Kind.values().length) {
                    throw new IllegalArgumentException("lesson item " + k + ": kind " + kind);
                }
                Item i = l.posted(Kind.values()[kind], in.readLong(), in.readLong(), text(in));
                i.status = text(in);
                int replies = in.readInt();
                for (int r = 0; r < replies; r++) {
                    String who = text(in);
                    i.replies.put(who, text(in));
                    String explained = text(in);
                    if (!explained.isEmpty()) {
                        i.explanations.put(who, explained);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("lesson state cut short: " + e.getMessage(), e);
        }
        return l;
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String text(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (1 << 20)) {
            throw new IOException("a text of " + n + " bytes");
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}
