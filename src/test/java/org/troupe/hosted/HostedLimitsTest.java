package org.troupe.hosted;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.omg.CORBA.IMP_LIMIT;
import org.troupe.idl.Hosted.Delivery;
import org.troupe.idl.Hosted.HostedMember;
import org.troupe.idl.Hosted.MemberCallback;
import org.troupe.idl.Hosted.MemberCallbackHelper;
import org.troupe.idl.Hosted.MemberCallbackPOA;
import org.troupe.member.GroupSpec;
import org.troupe.member.Troupe;
import org.troupe.server.ServerLimits;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;
import org.troupe.server.events.ChannelSettings;
import org.troupe.server.groups.GroupSettings;

/**
 * Hosted members over IIOP from a client ORB, on a server that hosts at most 3 members and 2 per
 * client: past either cap {@code host_member} raises IMP_LIMIT with the limit's name, and a
 * member that leaves gives its place back.
 */
@Tag("integration")
class HostedLimitsTest {

    /** A callback that takes every delivery. */
    private static final class Taking extends MemberCallbackPOA {
        @Override
        public void deliver(Delivery[] deliveries) {
        }
    }

    @Test
    void hostedMembersAreCappedPerServerAndPerClient() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ServerLimits limits = new ServerLimits(1000, 10_000, 300_000, 3, 2);
        try (TroupeServer server = TroupeServer.start(new ServerSettings("127.0.0.1", port, false,
                ChannelSettings.defaults(), new GroupSettings(200, 5_000, 1 << 16)).withLimits(limits));
                Troupe t = Troupe.connect("127.0.0.1:" + port);
                IdlClient client = new IdlClient("127.0.0.1:" + port)) {
            t.createGroup("capped", GroupSpec.parse("chat", "Peer:0:n", "Text"));
            MemberCallback cb = MemberCallbackHelper.narrow(client.poa.servant_to_reference(new Taking()));
            HostedMember a = client.factory.host_member("capped", "Peer", "a", cb);
            client.factory.host_member("capped", "Peer", "b", cb);
            IMP_LIMIT perClient = assertThrows(IMP_LIMIT.class,
                    () -> client.factory.host_member("capped", "Peer", "c", cb));
            assertTrue(perClient.getMessage().contains("limit per client"), perClient.getMessage());
            client.factory.host_member("capped", "Peer", "p1", null); // pulls: the server's cap only
            IMP_LIMIT perServer = assertThrows(IMP_LIMIT.class,
                    () -> client.factory.host_member("capped", "Peer", "p2", null));
            assertTrue(perServer.getMessage().contains("already hosts 3 members"), perServer.getMessage());

            a.leave(); // its place comes back once it is out
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            HostedMember again = null;
            while (again == null) {
                try {
                    again = client.factory.host_member("capped", "Peer", "c", cb);
                } catch (IMP_LIMIT e) {
                    assertTrue(System.nanoTime() < deadline, "the place never came back: " + e.getMessage());
                    Thread.sleep(20);
                }
            }
        }
    }
}
