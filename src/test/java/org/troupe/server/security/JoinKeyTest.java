package org.troupe.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.omg.CORBA.NO_PERMISSION;
import org.omg.CORBA.ORB;
import org.troupe.idl.Groups.GroupManager;
import org.troupe.idl.Groups.GroupsAdministrator;
import org.troupe.idl.Groups.GroupsAdministratorHelper;
import org.troupe.idl.Groups.InvalidDescriptor;
import org.troupe.idl.Groups.JoinKeyRefused;
import org.troupe.idl.Hosted.HostedMember;
import org.troupe.idl.Hosted.HostedMembers;
import org.troupe.idl.Hosted.HostedMembersHelper;
import org.troupe.idl.Hosted.JoinRefused;
import org.troupe.member.Group;
import org.troupe.member.GroupSpec;
import org.troupe.member.JoinOptions;
import org.troupe.member.Troupe;
import org.troupe.member.TroupeException;
import org.troupe.orb.AdminOperations;
import org.troupe.orb.OrbFactory;
import org.troupe.server.JavaProcess;
import org.troupe.server.ServerSettings;
import org.troupe.server.TroupeServer;

/**
 * A group created with a join key admits only joins that give it: through the Java member
 * library, the raw IDL (join, join_with_key), and hosted members (host_member_with_key). Each
 * client has its own ORB and talks IIOP to the server.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JoinKeyTest {
    private static final String KEY = "a-join-key-given-out-of-band";
    private TroupeServer server;
    private String url;

    @BeforeAll
    void start() throws Exception {
        server = TroupeServer.start(ServerSettings.defaults(JavaProcess.freePort()));
        url = "127.0.0.1:" + server.settings().port();
        try (Troupe t = Troupe.connect(url)) {
            t.createGroup("keyed", GroupSpec.parse("keyed", "A:0:n", "T").toProtocol(), true, KEY);
            t.createGroup("open", GroupSpec.parse("open", "A:0:n", "T").toProtocol(), true, null);
        }
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theMemberLibraryJoinsWithTheKeyOnly() throws Exception {
        try (Troupe t = Troupe.connect(url)) {
            TroupeException none = assertThrows(TroupeException.class, () -> t.join("keyed", "A", "eve"));
            assertEquals("group keyed requires a join key", none.getMessage());
            TroupeException wrong = assertThrows(TroupeException.class, () -> t.join("keyed", "A", "eve",
                    JoinOptions.defaults().joinKey(KEY + "x")));
            assertEquals("wrong join key for group keyed", wrong.getMessage());
            try (Group ann = t.join("keyed", "A", "ann", JoinOptions.defaults().joinKey(KEY))) {
                ann.send("T", new byte[] {7});
                org.troupe.member.model.Delivery d;
                do { // its own view first, then its message
                    d = ann.receive(java.time.Duration.ofSeconds(10));
                } while (d instanceof org.troupe.member.model.ViewChange);
                assertEquals(7, ((org.troupe.member.model.Received) d).payload()[0]);
            }
            try (Group bob = t.join("open", "A", "bob", JoinOptions.defaults().joinKey("any-key-at-all"))) {
                assertTrue(bob.me().id() > 0, "a group without a key does not look at one");
            }
        }
    }

    @Test
    void theIdlRefusesAPlainJoinAndAWrongKey() throws Exception {
        ORB orb = OrbFactory.init(OrbFactory.clientProperties("127.0.0.1", 10_000));
        try {
            GroupsAdministrator admin = GroupsAdministratorHelper.narrow(orb.string_to_object("corbaloc:iiop:" + url
                    + "/" + OrbFactory.GROUPS_KEY));
            GroupManager m = admin.find_group("keyed");
            NO_PERMISSION plain = assertThrows(NO_PERMISSION.class, () -> m.join("r1", "eve", "A", null, false, false));
            assertEquals(AdminOperations.MINOR_JOIN_KEY_REQUIRED, plain.minor);
            JoinKeyRefused wrong = assertThrows(JoinKeyRefused.class,
                    () -> m.join_with_key("guess", "r2", "eve", "A", null, false, false));
            assertEquals("keyed", wrong.group);
            assertTrue(m.join_with_key(KEY, "r3", "cy", "A", null, false, false).member > 0);
            InvalidDescriptor shortKey = assertThrows(InvalidDescriptor.class, () -> admin.create_keyed_group("k2",
                    org.troupe.wire.Descriptors.toIdl(GroupSpec.parse("k2", "A:0:n", "T").toProtocol(), true), "short"));
            assertTrue(shortKey.reason.contains("8-1024 characters"), shortKey.reason);
        } finally {
            orb.shutdown(false);
        }
    }

    @Test
    void aHostedMemberNeedsTheKeyToo() throws Exception {
        ORB orb = OrbFactory.init(OrbFactory.clientProperties("127.0.0.1", 10_000));
        try {
            HostedMembers hosted = HostedMembersHelper.narrow(orb.string_to_object("corbaloc:iiop:" + url + "/"
                    + OrbFactory.HOSTED_KEY));
            JoinRefused none = assertThrows(JoinRefused.class, () -> hosted.host_member("keyed", "A", "hal", null));
            assertEquals("group keyed requires a join key", none.reason);
            JoinRefused wrong = assertThrows(JoinRefused.class,
                    () -> hosted.host_member_with_key("keyed", "A", "hal", null, "guess-guess"));
            assertEquals("wrong join key for group keyed", wrong.reason);
            HostedMember hal = hosted.host_member_with_key("keyed", "A", "hal", null, KEY);
            assertEquals("hal", hal.me().name);
            hal.leave();
        } finally {
            orb.shutdown(false);
        }
    }
}
