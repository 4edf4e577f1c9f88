package org.troupe.wire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.troupe.idl.Groups.GroupDescriptor;
import org.troupe.idl.Groups.PatternKind;
import org.troupe.idl.Groups.PatternSpec;
import org.troupe.idl.Groups.PatternStep;
import org.troupe.idl.Groups.RoleSpec;
import org.troupe.idl.Groups.UNBOUNDED;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.Count;
import org.troupe.protocol.Pattern;
import org.troupe.protocol.RoleDef;
import org.troupe.protocol.Step;

/**
 * Converts an application protocol to the IDL {@code GroupDescriptor} that travels to the server
 * and back to every member (and to IDL clients in other languages), and back again.
 */
public final class Descriptors {
    private Descriptors() {
    }

    /**
     * The descriptor of {@code p}; {@code impliedOrder} switches the implied-order optimisation on:
     * responses and turns skip the sequencer.
     */
    public static GroupDescriptor toIdl(ApplicationProtocol p, boolean impliedOrder) {
        RoleSpec[] roles = new RoleSpec[p.roles().size()];
        for (int i = 0; i < roles.length; i++) {
            RoleDef r = p.roles().get(i);
            roles[i] = new RoleSpec(r.name(), r.min(), r.max() == RoleDef.UNBOUNDED ? UNBOUNDED.value : r.max());
        }
        List<PatternSpec> patterns = new ArrayList<>();
        for (Pattern pat : p.patterns()) {
            List<PatternStep> steps = new ArrayList<>();
            if (pat instanceof Pattern.Query q) {
                steps.add(toIdl(q.query()));
                for (Step s : q.responses()) {
                    steps.add(toIdl(s));
                }
                patterns.add(new PatternSpec(PatternKind.QUERY_PATTERN, steps.toArray(new PatternStep[0])));
            } else if (pat instanceof Pattern.Turns t) {
                for (Step s : t.turns()) {
                    steps.add(toIdl(s));
                }
                patterns.add(new PatternSpec(PatternKind.TURN_PATTERN, steps.toArray(new PatternStep[0])));
            }
        }
        return new GroupDescriptor(p.name(), roles, p.messageTypes().toArray(new String[0]),
                patterns.toArray(new PatternSpec[0]), impliedOrder);
    }

    /**
     * The protocol a descriptor describes.
     *
     * @throws IllegalArgumentException if it is inconsistent (the reason says why)
     */
    public static ApplicationProtocol fromIdl(GroupDescriptor d) {
        List<RoleDef> roles = new ArrayList<>();
        for (RoleSpec r : d.roles) {
            roles.add(new RoleDef(r.name, clamp(r.min), r.max == UNBOUNDED.value ? RoleDef.UNBOUNDED : clamp(r.max)));
        }
        List<Pattern> patterns = new ArrayList<>();
        for (PatternSpec ps : d.patterns) {
            if (ps.kind == PatternKind.QUERY_PATTERN) {
                if (ps.steps.length == 0) {
                    throw new IllegalArgumentException("a query pattern needs a query");
                }
                List<Step> responses = new ArrayList<>();
                for (int i = 1; i < ps.steps.length; i++) {
                    if (ps.steps[i].answers.isEmpty()) {
                        throw new IllegalArgumentException("response '" + ps.steps[i].message_type
                                + "' does not name the type it answers");
                    }
                    responses.add(fromIdl(ps.steps[i]));
                }
                patterns.add(new Pattern.Query(fromIdl(ps.steps[0]), responses));
            } else {
                List<Step> turns = new ArrayList<>();
                for (PatternStep s : ps.steps) {
                    turns.add(fromIdl(s));
                }
                patterns.add(new Pattern.Turns(turns));
            }
        }
        return new ApplicationProtocol(d.protocol, roles, List.of(d.message_types), patterns);
    }

    private static PatternStep toIdl(Step s) {
        Count max = s.max();
        return new PatternStep(s.type(), s.role() == null ? "" : s.role(), s.receivers().toArray(new String[0]),
                s.min(), max.isPerRole() ? 0 : max.fixed() == RoleDef.UNBOUNDED ? UNBOUNDED.value : max.fixed(),
                max.isPerRole() ? max.role() : "", s.timeout() == null ? 0 : s.timeout().toMillis(),
                s.answers() == null ? "" : s.answers());
    }

    private static Step fromIdl(PatternStep s) {
        Count max = !s.max_role.isEmpty() ? Count.perRole(s.max_role)
                : s.max == UNBOUNDED.value ? Count.UNBOUNDED : Count.of(clamp(s.max));
        return new Step(s.message_type, s.role.isEmpty() ? null : s.role, List.of(s.receivers), clamp(s.min), max,
                s.timeout_ms == 0 ? null : Duration.ofMillis(s.timeout_ms), s.answers.isEmpty() ? null : s.answers);
    }

    private static int clamp(int unsigned) {
        long v = Integer.toUnsignedLong(unsigned);
        return v >= RoleDef.UNBOUNDED ? RoleDef.UNBOUNDED : (int) v;
    }
}
