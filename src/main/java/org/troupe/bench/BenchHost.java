package org.troupe.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.omg.CORBA.ORB;
import org.omg.PortableServer.POA;
import org.omg.PortableServer.POAHelper;
import org.troupe.events.ChannelSettings;
import org.troupe.events.QueuePolicy;
import org.troupe.orb.OrbFactory;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;

/**
 * Bench child process hosting one channel: Troupe's, or JacORB's own
 * {@code org.jacorb.events.EventChannelImpl}. Prints {@code READY <channel IOR>} and runs until
 * its standard input closes.
 *
 * <p>Arguments: {@code troupe|jacorb PORT [capacity policy watermark flowTimeout batchMax
 * pullInterval replyTimeout]}.
 */
public final class BenchHost {
    private BenchHost() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int port = Integer.parseInt(args[1]);
        String ior;
        AutoCloseable stop;
        if (kind.equals("troupe")) {
            ChannelSettings cs = args.length > 2
                    ? new ChannelSettings(Integer.parseInt(args[2]), QueuePolicy.parse(args[3]), Integer.parseInt(args[4]),
                            Long.parseLong(args[5]), Integer.parseInt(args[6]), Long.parseLong(args[7]),
                            Long.parseLong(args[8]))
                    : ChannelSettings.defaults();
            TroupeServer server = TroupeServer.start(new ServerSettings("127.0.0.1", port, false, cs));
            ior = server.orb().object_to_string(server.directory().create("bench"));
            stop = server;
        } else if (kind.equals("jacorb")) {
            ORB orb = OrbFactory.init(OrbFactory.serverProperties("127.0.0.1", port, 30_000));
            POA poa = POAHelper.narrow(orb.resolve_initial_references("RootPOA"));
            org.jacorb.events.EventChannelImpl channel = new org.jacorb.events.EventChannelImpl(orb, poa);
            poa.the_POAManager().activate();
            ior = orb.object_to_string(poa.servant_to_reference(channel));
            stop = () -> orb.shutdown(false);
        } else {
            throw new IllegalArgumentException("unknown channel kind " + kind);
        }
        System.out.println("READY " + ior);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // run until the orchestrator closes our stdin
        }
        stop.close();
    }
}
