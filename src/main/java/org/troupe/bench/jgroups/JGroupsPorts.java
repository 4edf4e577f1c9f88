package org.troupe.bench.jgroups;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The loopback ports of one JGroups bench cluster, chosen at run time: a TCP port per member, and
 * the FD_SOCK2 offset that every member adds to a TCP port to find that member's failure
 * detection socket (JGroups computes peers' FD_SOCK2 ports with its own offset, so it must be the
 * same everywhere). Every chosen port was free on 127.0.0.1 while all of them were held open at
 * once, so no TCP port is another member's FD_SOCK2 port (JGroups' default offset, 100, could
 * make them clash). And every port lies below the kernel's ephemeral range
 * ({@code net.ipv4.ip_local_port_range}): a port from that range, free when picked, could be
 * taken by an outgoing connection before its member binds it, or even become the local port of a
 * connection to itself (seen at 16 members: "socket's bind and connect address are the same").
 *
 * @param tcp one TCP port per member
 * @param fdOffset the FD_SOCK2 offset ({@code jgroups.fd_sock2.offset})
 */
public record JGroupsPorts(List<Integer> tcp, int fdOffset) {
    private static final int FIRST_OFFSET = 100;
    private static final int OFFSET_TRIES = 200;
    /** The lowest port picked: above the registered services most machines run. */
    private static final int LOWEST = 10_000;
    private static final int PORT_TRIES = 2000;

    /** Picks ports for {@code n} members. */
    public static JGroupsPorts pick(int n) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        // TCP and FD_SOCK2 ports stay below the ephemeral range (or below 32768, should it start lower)
        int highest = Math.max(ephemeralLow(), 32768) - FIRST_OFFSET - OFFSET_TRIES - 1;
        if (highest - LOWEST < 100 * n) {
            throw new IOException("too few ports between " + LOWEST + " and the ephemeral range for " + n + " members");
        }
        java.util.Random random = new java.util.Random();
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> tcp = new ArrayList<>();
            for (int tries = 0; tcp.size() < n; tries++) {
                if (tries == PORT_TRIES) {
                    throw new IOException("no " + n + " free ports on 127.0.0.1 between " + LOWEST + " and " + highest);
                }
                int port = LOWEST + random.nextInt(highest - LOWEST);
                if (tcp.contains(port)) {
                    continue;
                }
                try {
                    held.add(new ServerSocket(port, 50, lo));
                    tcp.add(port);
                } catch (IOException busy) {
                    // taken: try another
                }
            }
            Set<Integer> taken = new HashSet<>(tcp);
            for (int t = 0; t < OFFSET_TRIES; t++) {
                int offset = FIRST_OFFSET + t;
                List<ServerSocket> fd = tryBind(tcp, offset, taken, lo);
                if (fd != null) {
                    held.addAll(fd);
                    return new JGroupsPorts(List.copyOf(tcp), offset);
                }
            }
            throw new IOException("no free FD_SOCK2 ports on 127.0.0.1 for " + tcp + " at offsets " + FIRST_OFFSET
                    + "-" + (FIRST_OFFSET + OFFSET_TRIES - 1));
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    /** The first port of the kernel's ephemeral range (32768 if it cannot be read or makes no sense). */
    static int ephemeralLow() {
        try {
            // read as a stream: procfs reports odd sizes, which Files.readString trusts (it read "3")
            String range;
            try (java.io.BufferedReader r = new java.io.BufferedReader(
                    new java.io.FileReader("/proc/sys/net/ipv4/ip_local_port_range"))) {
                range = r.readLine();
            }
            return Integer.parseInt(range.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    /** Binds every TCP port plus {@code offset}; the sockets, or null (none left open) if one is not free. */
    private static List<ServerSocket> tryBind(List<Integer> tcp, int offset, Set<Integer> taken, InetAddress lo)
            throws IOException {
        List<ServerSocket> fd = new ArrayList<>();
        for (int port : tcp) {
            int p = port + offset;
            if (p > 65535 || taken.contains(p)) {
                closeAll(fd);
                return null;
            }
            try {
                fd.add(new ServerSocket(p, 50, lo));
            } catch (IOException busy) {
                closeAll(fd);
                return null;
            }
        }
        return fd;
    }

    private static void closeAll(List<ServerSocket> sockets) throws IOException {
        for (ServerSocket s : sockets) {
            s.close();
        }
    }

    /** The {@code --ports} argument of a member: the TCP ports, comma-separated. */
    public String portList() {
        return String.join(",", tcp.stream().map(String::valueOf).toList());
    }
}
