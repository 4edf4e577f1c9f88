package org.troupe.member.stack;

import java.time.Duration;
import java.util.List;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.Count;
import org.troupe.protocol.Pattern;
import org.troupe.protocol.RoleDef;
import org.troupe.protocol.Step;

/** The two bundled protocols, tele-teaching and the card game, built in code (the layer tests do not read files). */
public final class TestProtocols {
    private TestProtocols() {
    }

    /** Tele-teaching: Question/Answer (max #Student, 60 s), Formula/Doubt with nested TeacherAnswer. */
    public static ApplicationProtocol teleTeaching() {
        return new ApplicationProtocol("tele-teaching",
                List.of(new RoleDef("Student", 1, RoleDef.UNBOUNDED), new RoleDef("Teacher", 1, 1)),
                List.of("Question", "Answer", "Formula", "Doubt", "TeacherAnswer"),
                List.of(new Pattern.Query(
                        new Step("Question", "Teacher", List.of("Student"), 1, Count.of(1), null, null),
                        List.of(new Step("Answer", "Student", List.of("Teacher"), 0, Count.perRole("Student"),
                                Duration.ofSeconds(60), "Question"))),
                        new Pattern.Query(
                        new Step("Formula", "Teacher", List.of("Student"), 1, Count.of(1), null, null),
                        List.of(new Step("Doubt", "Student", List.of("Teacher"), 0, Count.perRole("Student"),
                                Duration.ofSeconds(120), "Formula"),
                                new Step("TeacherAnswer", "Teacher", List.of(), 0, Count.of(1),
                                        Duration.ofSeconds(120), "Doubt")))));
    }

    /** The card game: four players, Play in turn. */
    public static ApplicationProtocol cardGame() {
        List<String> all = List.of("Player 1", "Player 2", "Player 3", "Player 4");
        return new ApplicationProtocol("card-game",
                all.stream().map(r -> new RoleDef(r, 1, 1)).toList(), List.of("Play"),
                List.of(new Pattern.Turns(all.stream()
                        .map(r -> new Step("Play", r, all, 1, Count.of(1), null, null)).toList())));
    }
}
