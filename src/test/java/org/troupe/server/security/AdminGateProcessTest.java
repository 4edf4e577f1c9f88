package org.troupe.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.omg.CORBA.NO_PERMISSION;
import org.omg.CORBA.ORB;
import org.omg.CosEventChannelAdmin.EventChannelHelper;
import org.omg.CosNaming.NameComponent;
import org.omg.CosNaming.NamingContextExt;
import org.omg.CosNaming.NamingContextExtHelper;
import org.troupe.idl.Groups.GroupsAdministrator;
import org.troupe.idl.Groups.GroupsAdministratorHelper;
import org.troupe.idl.Hosted.HostedMember;
import org.troupe.idl.Hosted.HostedMembers;
import org.troupe.idl.Hosted.HostedMembersHelper;
import org.troupe.member.Group;
import org.troupe.member.Troupe;
import org.troupe.orb.AdminCredential;
import org.troupe.orb.AdminCredentialSender;
import org.troupe.orb.AdminOperations;
import org.troupe.orb.OrbFactory;
import org.troupe.server.JavaProcess;
import org.troupe.server.TroupeProcesses;

/**
 * A server started with {@code --admin-secret-file} serves administrative calls to whoever
 * presents the secret only: the CLI in child JVMs (groups and channels created, listed and
 * destroyed), and this JVM's own ORBs (naming writes, host_member, a channel's destroy, the HTTP
 * endpoint). Members' own calls stay open.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AdminGateProcessTest {
    static final String REQUIRED = "troupe: the server requires the admin credential: give --admin-secret-file or set "
            + "TROUPE_ADMIN_SECRET_FILE";

    private Path dir;
    private JavaProcess server;
    private String url;
    private int port;
    private int httpPort;
    private String secret;
    private Path secretFile;
    private Path wrongFile;

    @BeforeAll
    void startServer() throws Exception {
        dir = java.nio.file.Files.createTempDirectory("troupe-admin");
        secret = Secrets.random();
        secretFile = Secrets.file(dir, "admin.secret", secret);
        wrongFile = Secrets.file(dir, "wrong.secret", Secrets.random());
        port = JavaProcess.freePort();
        httpPort = JavaProcess.freePort();
        url = "127.0.0.1:" + port;
        server = TroupeProcesses.startServer("server", port, List.of("--admin-secret-file", secretFile.toString(),
                "--http-port", Integer.toString(httpPort)));
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
        Secrets.delete(dir);
    }

    /** A refused command: exit 1, the one sentence on stderr, no stack trace. */
    private static void assertRefused(TroupeProcesses.Result r, String sentence) {
        assertEquals(1, r.exitCode(), r.describe());
        assertEquals(sentence, r.stderr().lines().filter(l -> l.startsWith("troupe: ")).findFirst().orElse(""),
                r.describe());
        assertFalse(r.stderr().contains("\tat "), "no stack trace: " + r.describe());
    }

    @Test
    void groupsAreCreatedListedAndDestroyedWithTheCredentialOnly() throws Exception {
        String[] create = {"groups", "create", "g1", "--server", url, "--roles", "A:1:n", "--types", "T"};
        assertRefused(TroupeProcesses.run(create), REQUIRED);
        assertRefused(TroupeProcesses.run(append(create, "--admin-secret-file", wrongFile.toString())),
                "troupe: the server refused the admin credential given: check --admin-secret-file or "
                        + "TROUPE_ADMIN_SECRET_FILE (every server of a cluster has the same secret)");

        TroupeProcesses.Result made = TroupeProcesses.run(append(create, "--admin-secret-file", secretFile.toString()));
        assertEquals(0, made.exitCode(), made.describe());
        assertEquals("group g1 created", made.out().trim());

        assertRefused(TroupeProcesses.run("groups", "--server", url), REQUIRED);
        TroupeProcesses.Result listed = TroupeProcesses.run("groups", "--server", url, "--admin-secret-file",
                secretFile.toString());
        assertEquals(0, listed.exitCode(), listed.describe());
        assertTrue(listed.out().startsWith("g1  protocol="), listed.describe());

        // a member needs no credential: find_group, the descriptor, join, send, leave
        try (Troupe t = Troupe.connect(url); Group g = t.join("g1", "A", "ann")) {
            g.send("T", new byte[] {1});
            assertNotNull(g.receive(java.time.Duration.ofSeconds(10)));
        }

        assertRefused(TroupeProcesses.run("groups", "destroy", "g1", "--server", url), REQUIRED);
        TroupeProcesses.Result destroyed = TroupeProcesses.run("groups", "destroy", "g1", "--server", url,
                "--admin-secret-file", secretFile.toString());
        assertEquals(0, destroyed.exitCode(), destroyed.describe());
        assertEquals("group g1 destroyed", destroyed.out().trim());
    }

    @Test
    void channelsAreCreatedListedAndDestroyedWithTheCredentialOnly() throws Exception {
        String s = "corbaloc:iiop:" + url;
        assertRefused(TroupeProcesses.run("channel", "create", "c1", "--server", s), REQUIRED);
        TroupeProcesses.Result made = TroupeProcesses.run("channel", "create", "c1", "--server", s,
                "--admin-secret-file", secretFile.toString());
        assertEquals(0, made.exitCode(), made.describe());

        assertRefused(TroupeProcesses.run("channel", "list", "--server", s), REQUIRED);
        TroupeProcesses.Result listed = TroupeProcesses.run("channel", "list", "--server", s,
                "--admin-secret-file", secretFile.toString());
        assertEquals(0, listed.exitCode(), listed.describe());
        assertTrue(listed.out().contains("c1 "), listed.describe());

        // the channel's own destroy is administrative too; finding and using it is not
        ORB orb = OrbFactory.init(OrbFactory.clientProperties("127.0.0.1", 10_000));
        try {
            org.omg.CosEventChannelAdmin.EventChannel ch = EventChannelHelper.narrow(
                    orb.string_to_object(s + "/" + OrbFactory.IMPL_NAME + "/channels/c1"));
            assertNotNull(ch.for_consumers());
            NO_PERMISSION e = assertThrows(NO_PERMISSION.class, ch::destroy);
            assertEquals(AdminOperations.MINOR_MISSING, e.minor);
        } finally {
            orb.shutdown(false);
        }

        assertRefused(TroupeProcesses.run("channel", "destroy", "c1", "--server", s), REQUIRED);
        TroupeProcesses.Result destroyed = TroupeProcesses.run("channel", "destroy", "c1", "--server", s,
                "--admin-secret-file", secretFile.toString());
        assertEquals(0, destroyed.exitCode(), destroyed.describe());
    }

    @Test
    void theNamingServiceIsReadOnlyWithoutTheCredential() throws Exception {
        ORB orb = OrbFactory.init(OrbFactory.clientProperties("127.0.0.1", 10_000));
        try {
            NamingContextExt naming = NamingContextExtHelper.narrow(orb.string_to_object("corbaloc:iiop:" + url
                    + "/NameService"));
            org.omg.CORBA.Object groups = naming.resolve_str("troupe/groups"); // look-ups stay open
            org.omg.CORBA.Object elsewhere = orb.string_to_object("corbaloc:iiop:127.0.0.1:1/TroupeGroups");
            NameComponent[] name = naming.to_name("troupe/groups");
            NO_PERMISSION e = assertThrows(NO_PERMISSION.class, () -> naming.rebind(name, elsewhere));
            assertEquals(AdminOperations.MINOR_MISSING, e.minor);
            assertThrows(NO_PERMISSION.class, () -> naming.unbind(name));
            assertThrows(NO_PERMISSION.class, () -> naming.bind_new_context(naming.to_name("evil")));
            assertTrue(groups._is_equivalent(naming.resolve_str("troupe/groups")), "troupe/groups unchanged");
        } finally {
            orb.shutdown(false);
        }
        // with the credential, the same ORB set-up writes
        java.util.Properties p = OrbFactory.clientProperties("127.0.0.1", 10_000);
        AdminCredentialSender.install(p);
        ORB admin = OrbFactory.init(p);
        try {
            AdminCredentialSender.of(admin).use(AdminCredential.fromFile(secretFile));
            NamingContextExt naming = NamingContextExtHelper.narrow(admin.string_to_object("corbaloc:iiop:" + url
                    + "/NameService"));
            naming.rebind(naming.to_name("troupe/extra"), naming.resolve_str("troupe/groups"));
            naming.unbind(naming.to_name("troupe/extra"));
        } finally {
            admin.shutdown(false);
        }
    }

    @Test
    void hostingAMemberNeedsTheCredential() throws Exception {
        java.util.Properties p = OrbFactory.clientProperties("127.0.0.1", 10_000);
        AdminCredentialSender.install(p);
        ORB orb = OrbFactory.init(p);
        try {
            org.omg.PortableServer.POA poa = org.omg.PortableServer.POAHelper.narrow(
                    orb.resolve_initial_references("RootPOA"));
            poa.the_POAManager().activate();
            HostedMembers hosted = HostedMembersHelper.narrow(orb.string_to_object("corbaloc:iiop:" + url + "/"
                    + OrbFactory.HOSTED_KEY));
            GroupsAdministrator admin = GroupsAdministratorHelper.narrow(orb.string_to_object("corbaloc:iiop:" + url
                    + "/" + OrbFactory.GROUPS_KEY));
            NO_PERMISSION e = assertThrows(NO_PERMISSION.class, () -> hosted.host_member("h1", "A", "hal", null));
            assertEquals(AdminOperations.MINOR_MISSING, e.minor);
            assertThrows(NO_PERMISSION.class, () -> admin.list_groups());

            AdminCredentialSender.of(orb).use(AdminCredential.fromFile(secretFile));
            admin.create_group("h1", org.troupe.wire.Descriptors.toIdl(
                    org.troupe.member.GroupSpec.parse("h", "A:1:n", "T").toProtocol(), true));
            HostedMember m = hosted.host_member("h1", "A", "hal", null);
            assertEquals("hal", m.me().name);
            m.leave();
            admin.destroy_group("h1");
        } finally {
            orb.shutdown(false);
        }
    }

    @Test
    void theHttpEndpointWantsTheSecretButForHealthAndReadiness() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + httpPort;
        for (String page : List.of("/metrics", "/api/groups", "/api/channels")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + page)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode(), page);
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(base + page))
                    .header("Authorization", "Bearer " + Secrets.random()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrong.statusCode(), page);
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(base + page))
                    .header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), page);
        }
        for (String page : List.of("/healthz", "/readyz")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + page)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), page);
        }
    }

    @Test
    void aKeyedGroupFromTheCommandLine() throws Exception {
        Path key = Secrets.file(dir, "cli.key", "the-cli-group-key");
        Path wrong = Secrets.file(dir, "wrong.key", "not-the-cli-group-key");
        TroupeProcesses.Result made = TroupeProcesses.run("groups", "create", "kc", "--server", url, "--roles",
                "A:0:n", "--types", "T", "--admin-secret-file", secretFile.toString(), "--join-key-file",
                key.toString());
        assertEquals(0, made.exitCode(), made.describe());
        TroupeProcesses.Result none = TroupeProcesses.run("member", "--server", url, "--group", "kc", "--role", "A",
                "--name", "eve");
        assertEquals(1, none.exitCode(), none.describe());
        assertTrue(none.stderr().contains("troupe: group kc requires a join key"), none.describe());
        TroupeProcesses.Result bad = TroupeProcesses.run("member", "--server", url, "--group", "kc", "--role", "A",
                "--name", "eve", "--join-key-file", wrong.toString());
        assertEquals(1, bad.exitCode(), bad.describe());
        assertTrue(bad.stderr().contains("troupe: wrong join key for group kc"), bad.describe());
        try (JavaProcess ann = JavaProcess.start("ann", TroupeProcesses.JVM_ARGS, org.troupe.cli.TroupeCli.class,
                List.of("member", "--server", url, "--group", "kc", "--role", "A", "--name", "ann",
                        "--join-key-file", key.toString()))) {
            ann.awaitPrefix("joined kc as ", TroupeProcesses.START_TIMEOUT_MS);
        }
    }

    @Test
    void theSecretIsNeverLogged() throws Exception {
        assertFalse(server.stderr().contains(secret), server.stderr());
    }

    private static String[] append(String[] a, String... more) {
        String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }
}
