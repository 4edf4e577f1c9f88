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
 * once: no TCP port is another member's FD_SOCK2 port, and none is taken by another process
 * (JGroups' default offset, 100, clashed when one member's TCP port was another's plus 100).
 *
 * @param tcp one TCP port per member
 * @param fdOffset the FD_SOCK2 offset ({@code jgroups.fd_sock2.offset})
 */
public record JGroupsPorts(List<Integer> tcp, int fdOffset) {
    private static final int FIRST_OFFSET = 100;
    private static final int OFFSET_TRIES = 200;

    /** Picks ports for {@code n} members. */
    public static JGroupsPorts pick(int n) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> tcp = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 50, lo);
                held.add(s);
                tcp.add(s.getLocalPort());
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
