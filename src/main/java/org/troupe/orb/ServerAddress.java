package org.troupe.orb;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a Troupe server is, read from anything the server prints or a user types: {@code HOST},
 * {@code HOST:PORT}, {@code corbaloc:iiop:HOST:PORT[/KEY]} (also {@code corbaloc::HOST},
 * {@code iiop:1.2@HOST:PORT}, {@code [IPv6]:PORT}), {@code corbaname::HOST:PORT[/KEY]#NAME}, or
 * an {@code IOR:...} (host and port of its IIOP profile). Whatever object the URL or IOR names
 * (the factory, the groups administrator, a channel, the naming service ...), only its server's
 * address counts: {@link #objectUrl} then names the object wanted on that server. The port
 * defaults to 2809, the CORBA default.
 *
 * <p>The one place that reads a server address. A cluster is several servers, comma-separated
 * ({@code h1:2809,h2:2809,h3:2809}, or a multi-address corbaloc): {@link #endpoints} lists them,
 * {@link #each} gives each on its own, and {@link #objectUrl} writes them as one multi-address
 * corbaloc.
 */
public final class ServerAddress {
    /** The CORBA default port (IANA's corbaloc port). */
    public static final int DEFAULT_PORT = 2809;
    private static final String FORMS = "HOST:PORT, corbaloc:iiop:HOST:PORT or IOR:...";

    /** One server: a host name or address (IPv6 without brackets) and a port. */
    public record Endpoint(String host, int port) {
        /** {@code host:port}, with brackets around an IPv6 address. */
        public String hostPort() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private final List<Endpoint> endpoints;
    /** Whether the servers speak IIOP over TLS ({@code corbaloc:ssliop:}). */
    private final boolean tls;

    private ServerAddress(List<Endpoint> endpoints) {
        this(endpoints, false);
    }

    private ServerAddress(List<Endpoint> endpoints, boolean tls) {
        this.endpoints = List.copyOf(endpoints);
        this.tls = tls;
    }

    /** The server at {@code host:port}. */
    public static ServerAddress of(String host, int port) {
        return new ServerAddress(List.of(new Endpoint(host, port)));
    }

    /**
     * Reads a server address.
     *
     * @throws IllegalArgumentException with one sentence saying what is wrong, e.g.
     *     {@code 'foo:bar' is not a server address (HOST:PORT, corbaloc:iiop:HOST:PORT or IOR:...)}
     */
    public static ServerAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no server address given (" + FORMS + ")");
        }
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        List<Endpoint> found;
        if (lower.startsWith("ior:")) {
            boolean[] ssl = new boolean[1];
            found = IorAddresses.read(t, ssl);
            return new ServerAddress(found, ssl[0]);
        } else if (lower.startsWith("corbaloc:")) {
            String body = t.substring("corbaloc:".length());
            found = objectAddresses(t, body, '/');
            return new ServerAddress(found, body.toLowerCase(Locale.ROOT).startsWith("ssliop:"));
        } else if (lower.startsWith("corbaname:")) {
            String rest = t.substring("corbaname:".length());
            int hash = rest.indexOf('#');
            found = objectAddresses(t, hash < 0 ? rest : rest.substring(0, hash), '/');
            return new ServerAddress(found, rest.toLowerCase(Locale.ROOT).startsWith("ssliop:"));
        } else {
            found = new ArrayList<>();
            for (String part : t.split(",", -1)) {
                found.add(endpoint(t, part.trim(), false));
            }
        }
        return new ServerAddress(found);
    }

    /** The addresses of a corbaloc/corbaname body: {@code addr[,addr...][/key]}. */
    private static List<Endpoint> objectAddresses(String whole, String body, char keySeparator) {
        int slash = body.indexOf(keySeparator);
        String addresses = slash < 0 ? body : body.substring(0, slash);
        List<Endpoint> out = new ArrayList<>();
        for (String a : addresses.split(",", -1)) {
            out.add(endpoint(whole, a.trim(), true));
        }
        return out;
    }

    /**
     * One address: in a URL {@code [iiop]:[VERSION@]HOST[:PORT]}; typed alone {@code HOST[:PORT]}.
     */
    private static Endpoint endpoint(String whole, String a, boolean urlForm) {
        String s = a;
        if (urlForm) {
            String lower = s.toLowerCase(Locale.ROOT);
            if (lower.startsWith("iiop:")) {
                s = s.substring("iiop:".length());
            } else if (lower.startsWith("ssliop:")) {
                s = s.substring("ssliop:".length());
            } else if (s.startsWith(":")) {
                s = s.substring(1);
            } else {
                throw notAnAddress(whole, lower.startsWith("rir:")
                        ? "rir: names this process's own ORB, not a server" : "only iiop addresses are supported");
            }
            int at = s.indexOf('@');
            if (at >= 0) {
                if (!s.substring(0, at).matches("\\d+\\.\\d+")) {
                    throw notAnAddress(whole, "bad IIOP version '" + s.substring(0, at) + "'");
                }
                s = s.substring(at + 1);
            }
        }
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw notAnAddress(whole, "unclosed '['");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw notAnAddress(whole, null);
                }
                port = rest.substring(1);
            }
        } else {
            int colon = s.indexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%-]+")) {
            throw notAnAddress(whole, host.isEmpty() ? "no host" : null);
        }
        return new Endpoint(host, port == null || port.isEmpty() ? DEFAULT_PORT : port(whole, port));
    }

    private static int port(String whole, String port) {
        if (!port.matches("\\d{1,5}")) {
            throw notAnAddress(whole, "'" + port + "' is not a port number");
        }
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
            throw notAnAddress(whole, "port " + p + " is not in 1..65535");
        }
        return p;
    }

    static IllegalArgumentException notAnAddress(String whole, String why) {
        String shown = whole.length() > 80 ? whole.substring(0, 77) + "..." : whole;
        return new IllegalArgumentException("'" + shown + "' is not a server address (" + FORMS + ")"
                + (why == null ? "" : ": " + why));
    }

    /** The servers, in order (several for a cluster: {@code h1:2809,h2:2809,h3:2809}). */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** Each server on its own, in order. */
    public List<ServerAddress> each() {
        List<ServerAddress> out = new ArrayList<>(endpoints.size());
        for (Endpoint e : endpoints) {
            out.add(new ServerAddress(List.of(e), tls));
        }
        return out;
    }

    /** The first server's host. */
    public String host() {
        return endpoints.get(0).host();
    }

    /** The first server's port. */
    public int port() {
        return endpoints.get(0).port();
    }

    /** Whether the servers speak IIOP over TLS (a {@code corbaloc:ssliop:} URL, or an IOR with a TLS port). */
    public boolean tls() {
        return tls;
    }

    /** The same servers, reached over TLS ({@code corbaloc:ssliop:}) or plain IIOP. */
    public ServerAddress withTls(boolean overTls) {
        return overTls == tls ? this : new ServerAddress(endpoints, overTls);
    }

    /**
     * {@code corbaloc:iiop:HOST:PORT[,iiop:HOST:PORT...]} ({@code ssliop:} over TLS), the prefix of
     * the servers' object URLs.
     */
    public String corbaloc() {
        StringBuilder b = new StringBuilder("corbaloc:");
        for (int i = 0; i < endpoints.size(); i++) {
            // over TLS, IIOP 1.2: a 1.0 profile cannot carry the component that names the TLS port
            b.append(i == 0 ? "" : ",").append(tls ? "ssliop:1.2@" : "iiop:").append(endpoints.get(i).hostPort());
        }
        return b.toString();
    }

    /** The URL of the object published under {@code key} on this server, e.g. the factory. */
    public String objectUrl(String key) {
        return corbaloc() + "/" + key;
    }

    /** {@code corbaname:iiop:HOST:PORT#path}: a name in this server's naming service. */
    public String corbaname(String path) {
        return "corbaname:" + corbaloc().substring("corbaloc:".length()) + "#" + path;
    }

    @Override
    public String toString() {
        return corbaloc();
    }

    /** Host and port of an IOR's IIOP profiles, read with JacORB's CDR streams (no ORB needed). */
    private static final class IorAddresses {
        /** The profiles' addresses (the TLS port where a profile has one; then {@code ssl[0]} is set). */
        static List<Endpoint> read(String ior, boolean[] ssl) {
            byte[] octets;
            try {
                octets = java.util.HexFormat.of().parseHex(ior.substring(4));
            } catch (IllegalArgumentException e) {
                throw notAnAddress(ior, "an IOR is 'IOR:' and an even number of hex digits");
            }
            List<Endpoint> out = new ArrayList<>();
            try {
                org.jacorb.orb.CDRInputStream in = new org.jacorb.orb.CDRInputStream(octets);
                in.openEncapsulatedArray();
                org.omg.IOP.IOR parsed = org.omg.IOP.IORHelper.read(in);
                for (org.omg.IOP.TaggedProfile p : parsed.profiles) {
                    if (p.tag == org.omg.IOP.TAG_INTERNET_IOP.value) {
                        org.jacorb.orb.CDRInputStream pin = new org.jacorb.orb.CDRInputStream(p.profile_data);
                        pin.openEncapsulatedArray();
                        org.omg.IIOP.ProfileBody_1_0 body = org.omg.IIOP.ProfileBody_1_0Helper.read(pin);
                        int port = body.port & 0xffff;
                        if (body.iiop_version.minor >= 1) {
                            int tlsPort = tlsPort(p.profile_data);
                            if (tlsPort > 0) {
                                port = tlsPort;
                                ssl[0] = true;
                            }
                        }
                        Endpoint e = new Endpoint(body.host, port);
                        if (!out.contains(e)) {
                            out.add(e);
                        }
                    }
                }
            } catch (RuntimeException e) { // MARSHAL, index out of bounds: not an IOR
                throw notAnAddress(ior, "it cannot be read as an IOR");
            }
            if (out.isEmpty()) {
                throw notAnAddress(ior, "the IOR has no IIOP profile");
            }
            return out;
        }

        /** The port of a 1.1+ profile's TAG_SSL_SEC_TRANS component, or 0. */
        private static int tlsPort(byte[] profileData) {
            org.jacorb.orb.CDRInputStream pin = new org.jacorb.orb.CDRInputStream(profileData);
            pin.openEncapsulatedArray();
            org.omg.IIOP.ProfileBody_1_1 body = org.omg.IIOP.ProfileBody_1_1Helper.read(pin);
            for (org.omg.IOP.TaggedComponent c : body.components) {
                if (c.tag == org.omg.SSLIOP.TAG_SSL_SEC_TRANS.value) {
                    org.jacorb.orb.CDRInputStream cin = new org.jacorb.orb.CDRInputStream(c.component_data);
                    cin.openEncapsulatedArray();
                    return org.omg.SSLIOP.SSLHelper.read(cin).port & 0xffff;
                }
            }
            return 0;
        }
    }
}
