package org.troupe.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.troupe.member.Group;
import org.troupe.member.JoinOptions;
import org.troupe.member.Troupe;
import org.troupe.member.model.Delivery;
import org.troupe.member.model.Received;

/**
 * One member of {@code bench total-order} on Troupe, in its own JVM with its own ORB. Protocol on
 * stdout: {@code READY} once the view has every member, then (after {@code GO} on stdin) it sends
 * its share, and prints {@code DONE} once it has delivered every message and written its
 * {@link OrderRecorder} file; {@code EXIT} (or EOF) ends it.
 *
 * <p>Arguments: {@code --server URL --group G --index I --members N --senders K --size S
 * --per-sender P --out FILE [--sequencer]}.
 */
public final class TroupeOrderMember {
    private TroupeOrderMember() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.haltWithParent();
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--sequencer")) {
                a.put("sequencer", "true");
            } else {
                a.put(args[i].substring(2), args[++i]);
            }
        }
        int index = Integer.parseInt(a.get("index"));
        int members = Integer.parseInt(a.get("members"));
        int senders = Integer.parseInt(a.get("senders"));
        int size = Integer.parseInt(a.get("size"));
        int perSender = Integer.parseInt(a.get("per-sender"));
        OrderRecorder recorder = new OrderRecorder(senders, perSender);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Troupe troupe = Troupe.connect(a.get("server"));
             Group g = troupe.join(a.get("group"), "member", "m" + index,
                     JoinOptions.defaults().sequencer(a.containsKey("sequencer")))) {
            while (g.view().members().size() < members) { // deliveries before the full view: views only
                Delivery d = g.receive(Duration.ofSeconds(60));
                if (d == null) {
                    throw new IllegalStateException("the group did not fill up within 60 s");
                }
            }
            System.out.println("READY");
            System.out.flush();
            if (!"GO".equals(stdin.readLine())) {
                return;
            }
            Thread sender = null;
            if (index < senders) {
                sender = new Thread(() -> {
                    try {
                        for (int k = 0; k < perSender; k++) {
                            g.send("bench", OrderRecorder.payload(size, index, k));
                        }
                    } catch (Exception e) {
                        System.err.println("bench member " + index + ": send failed: " + e.getMessage());
                    }
                }, "bench-sender");
                sender.start();
            }
            boolean done = recorder.count() == senders * perSender;
            while (!done) {
                Delivery d = g.receive(Duration.ofSeconds(60));
                if (d == null) {
                    throw new IllegalStateException("nothing delivered for 60 s; " + recorder.count() + " of "
                            + senders * perSender);
                }
                if (d instanceof Received r) {
                    done = recorder.delivered(r.payload());
                }
            }
            if (sender != null) {
                sender.join();
            }
            recorder.write(Path.of(a.get("out")));
            System.out.println("DONE");
            System.out.flush();
            String line;
            while ((line = stdin.readLine()) != null && !line.equals("EXIT")) {
                // wait for the coordinator: leaving early would show in the others' views
            }
        }
    }
}
