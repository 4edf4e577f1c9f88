package org.troupe.member.corba;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.troupe.idl.Groups.BadMessage;
import org.troupe.idl.Groups.ForgedSender;
import org.troupe.idl.Groups.MessageTooLarge;
import org.troupe.idl.Groups.NotMember;
import org.troupe.idl.Groups.OutOfTurn;
import org.troupe.idl.Groups.ResponseRefused;
import org.troupe.idl.Groups.TypeNotAllowed;
import org.troupe.member.model.GroupMessage;
import org.troupe.member.stack.RemovedFromGroup;
import org.troupe.member.stack.ServerUnreachable;
import org.troupe.member.stack.StackRefusal;

/**
 * What the Group Manager's exceptions mean to a member's stack, with the reason for people: a
 * refusal of one message the member can act on ({@link StackRefusal}: it stays in the group),
 * the member is not in the group ({@link RemovedFromGroup}), or the server could not be reached
 * ({@link ServerUnreachable}).
 */
final class ManagerErrors {
    private ManagerErrors() {
    }

    /**
     * A synchronous send of {@code m} failed: the group's refusals of it are {@link
     * StackRefusal}s; being out or unreachable fails the member.
     */
    static RuntimeException ofSend(Exception e, String group, GroupMessage m) {
        if (e instanceof ResponseRefused r) {
            return new StackRefusal(r.reason);
        }
        if (e instanceof OutOfTurn o) {
            return new StackRefusal("group " + group + " refuses this " + o.message_type + ": out of turn"
                    + (o.expected_role.isEmpty() ? "" : " (it is " + o.expected_role + "'s turn)"));
        }
        if (e instanceof TypeNotAllowed || e instanceof MessageTooLarge || e instanceof BadMessage
                || e instanceof ForgedSender) {
            return new StackRefusal("group " + group + " refuses this " + m.type() + ": " + describe(e));
        }
        return ofCall(e, group);
    }

    /** A send of queued messages failed: the member fails, whatever the reason. */
    static RuntimeException ofQueuedSend(Exception e, String group) {
        if (e instanceof TypeNotAllowed || e instanceof MessageTooLarge || e instanceof BadMessage
                || e instanceof ForgedSender || e instanceof ResponseRefused || e instanceof OutOfTurn) {
            return new StackRefusal("group " + group + " refused a message: " + describe(e));
        }
        return ofCall(e, group);
    }

    /** Any other call failed: the member is out, or the server could not be reached. */
    static RuntimeException ofCall(Exception e, String group) {
        if (e instanceof NotMember n) {
            return new RemovedFromGroup("removed from group " + group + ": " + n.reason);
        }
        return new ServerUnreachable(e.getClass().getSimpleName(), "group " + group + ": cannot reach the server: "
                + describe(e));
    }

    /** An exception for people: an IDL exception's name and fields, or the exception's text. */
    static String describe(Exception e) {
        if (e instanceof org.omg.CORBA.UserException) {
            return e.getClass().getSimpleName() + fields(e);
        }
        return e.toString();
    }

    private static String fields(Exception e) {
        StringBuilder b = new StringBuilder();
        for (Field f : e.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            try {
                Object v = f.get(e);
                b.append(b.length() == 0 ? " (" : ", ").append(f.getName()).append('=')
                        .append(v instanceof Object[] a ? Arrays.toString(a) : v);
            } catch (IllegalAccessException ignored) {
                // public fields only
            }
        }
        return b.length() == 0 ? "" : b.append(')').toString();
    }
}
