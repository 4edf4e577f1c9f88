package org.troupe.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.omg.CORBA.ORB;
import org.omg.PortableServer.POA;
import org.omg.PortableServer.POAHelper;
import org.troupe.orb.OrbFactory;

/**
 * Bench child process hosting the comparison peer: JacORB's own CosEvent channel
 * ({@code org.jacorb.events.EventChannelImpl}, from jacorb-services), in an ORB set up exactly as
 * Troupe's server ORB. Argument: {@code PORT}. Prints {@code READY <channel IOR>}; runs until its
 * standard input closes.
 */
public final class JacorbChannelHost {
    private JacorbChannelHost() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.haltWithParent();
        ORB orb = OrbFactory.init(OrbFactory.serverProperties("127.0.0.1", Integer.parseInt(args[0]), 30_000));
        POA poa = POAHelper.narrow(orb.resolve_initial_references("RootPOA"));
        org.jacorb.events.EventChannelImpl channel = new org.jacorb.events.EventChannelImpl(orb, poa);
        poa.the_POAManager().activate();
        System.out.println("READY " + orb.object_to_string(poa.servant_to_reference(channel)));
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // run until the orchestrator closes our stdin
        }
        orb.shutdown(false);
    }
}
