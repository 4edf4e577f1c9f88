package org.troupe.server.groups;

import java.util.List;

/**
 * Why the core refused a command. A refused command changes nothing; the caller is told the
 * reason and the group goes on. Each kind maps to one IDL exception.
 */
public sealed interface Refusal {

    /** One sentence for logs and for callers without a typed exception. */
    String message();

    record UnknownRole(String role, List<String> roles) implements Refusal {
        public String message() {
            return "no role '" + role + "' (roles: " + String.join(", ", roles) + ")";
        }
    }

    record RoleFull(String role, int max) implements Refusal {
        public String message() {
            return "role " + role + " is full (max " + Integer.toUnsignedString(max) + ")";
        }
    }

    record AlreadyMember(String name, long member) implements Refusal {
        public String message() {
            return name + " is already member " + member;
        }
    }

    record NotMember(long member, String reason) implements Refusal {
        public String message() {
            return reason;
        }
    }

    record ForgedSender(long claimed, long actual) implements Refusal {
        public String message() {
            return "member " + actual + " cannot send as member " + claimed;
        }
    }

    record TypeNotAllowed(String type, List<String> allowed) implements Refusal {
        public String message() {
            return "type " + type + " is not allowed (allowed: " + String.join(", ", allowed) + ")";
        }
    }

    record MessageTooLarge(int size, int limit) implements Refusal {
        public String message() {
            return "payload of " + size + " octets, over the limit of " + limit;
        }
    }

    record BadMessage(int index, String reason) implements Refusal {
        public String message() {
            return "message " + index + ": " + reason;
        }
    }

    record NotSequencer(long sequencer) implements Refusal {
        public String message() {
            return sequencer == 0 ? "the server holds the sequencer" : "member " + sequencer + " holds the sequencer";
        }
    }

    record BadOrder(int index, String reason) implements Refusal {
        public String message() {
            return "order " + index + ": " + reason;
        }
    }

    record ResponseRefused(int index, Ref answers, String reason) implements Refusal {
        public String message() {
            return reason;
        }
    }

    record OutOfTurn(int index, String type, String expectedRole) implements Refusal {
        public String message() {
            return type + " out of turn" + (expectedRole.isEmpty() ? "" : ": it is " + expectedRole + "'s turn");
        }
    }

    /** A malformed request (a caller's programming error). */
    record BadRequest(String reason) implements Refusal {
        public String message() {
            return reason;
        }
    }

    /** What the request names is gone for good (a retried join of a member that has left). */
    record Gone(String reason) implements Refusal {
        public String message() {
            return reason;
        }
    }
}
