package org.troupe.protocol;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An application-protocol descriptor could not be loaded: every {@link Problem} found (schema
 * and semantic checks run to the end rather than stopping at the first), in file order. The
 * message is the problems, one {@code file:line:column: message} per line.
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    /** The problems found, in file order; at least one. */
    public ProtocolException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ProtocolException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** One problem. */
    public ProtocolException(Problem problem) {
        this(List.of(problem));
    }

    /** The problems, in file order; never empty. */
    public List<Problem> problems() {
        return problems;
    }
}
