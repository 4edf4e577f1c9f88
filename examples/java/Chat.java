import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.troupe.member.*;
import org.troupe.member.model.*;

public class Chat {
    public static void main(String[] args) throws Exception {
        String server = args.length > 0 ? args[0] : "127.0.0.1:2809", name = args.length > 1 ? args[1] : "ann";
        try (Troupe troupe = Troupe.connect(server)) {       // HOST:PORT, corbaloc:..., corbaname:... or IOR:...
            try {
                troupe.createGroup("chat", GroupSpec.parse("chat", "Host:0:1,Guest:0:n", "Text"));
            } catch (TroupeException e) {
                if (!e.getMessage().endsWith("exists already")) throw e;
            }
            try (Group chat = troupe.join("chat", "Guest", name)) {           // group, role, member name
                chat.send("Text", ("hello from " + name).getBytes(StandardCharsets.UTF_8));
                Delivery d;
                while ((d = chat.receive(Duration.ofSeconds(3))) != null) {   // the group's one total order
                    if (d instanceof ViewChange v) System.out.println("view " + v.view().id() + ": " + v.view().members());
                    if (d instanceof Received m) System.out.println("#" + m.sequenceId() + " " + m.sender().name() + ": " + m.text());
                }
            }                                                  // close() leaves: the others see a new view
        }
    }
}
