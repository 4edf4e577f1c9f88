package org.troupe.cli;

import picocli.CommandLine.Command;

/** {@code troupe demo}: the demo applications, each with an embedded server and scripted participants. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a demo: an embedded server and scripted participants in separate processes.",
        subcommands = {CardGameDemoCommand.class})
final class DemoCommand {
}
