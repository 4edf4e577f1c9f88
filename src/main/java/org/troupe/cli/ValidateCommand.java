package org.troupe.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.troupe.protocol.ApplicationProtocol;
import org.troupe.protocol.Problem;
import org.troupe.protocol.ProtocolException;
import org.troupe.protocol.ProtocolLoader;
import org.troupe.protocol.ProtocolSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code troupe validate FILE...}: checks application-protocol descriptors against the schema
 * and the semantic rules. For a valid one it prints "OK" and what the protocol implies (roles,
 * per message type senders, receivers, kind and ordering, the member stack) on stdout; otherwise
 * every problem as {@code file:line:column: message} on stderr. Exit code 0 if all are valid, 1
 * otherwise. A bundled protocol's name works as well as a file ({@code troupe validate tele-teaching}).
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check application-protocol descriptors (XML) and show what each implies.",
            "FILE is a descriptor file or the name of a bundled protocol."},
        footer = {"", "Valid: \"OK: FILE protocol NAME\" and a summary on stdout.",
            "Invalid: one \"FILE:LINE:COLUMN: message\" per problem on stderr, then \"FAILED: FILE (N problems)\".",
            "Exit code 0 if every FILE is valid, 1 otherwise."})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "FILE", arity = "1..*", completionCandidates = BundledNames.class,
            description = "Descriptor files, or names of bundled protocols: ${COMPLETION-CANDIDATES}.")
    List<String> files;
    @Option(names = {"-q", "--quiet"}, description = "Print only the OK line of a valid descriptor, not its summary.")
    boolean quiet;

    /** The bundled protocol names, for the help text. */
    static final class BundledNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ProtocolLoader.bundledNames().iterator();
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        boolean first = true;
        for (String f : files) {
            String source = ProtocolLoader.sourceName(f);
            try {
                ApplicationProtocol p = ProtocolLoader.load(f);
                if (quiet) {
                    out.println("OK: " + source + " protocol " + p.name());
                } else {
                    if (!first) {
                        out.println();
                    }
                    out.print(ProtocolSummary.render(source, p));
                }
                first = false;
            } catch (ProtocolException e) {
                failed++;
                for (Problem problem : e.problems()) {
                    err.println(problem);
                }
                int n = e.problems().size();
                err.println("FAILED: " + source + " (" + n + (n == 1 ? " problem)" : " problems)"));
            }
        }
        out.flush();
        err.flush();
        return failed == 0 ? 0 : 1;
    }
}
