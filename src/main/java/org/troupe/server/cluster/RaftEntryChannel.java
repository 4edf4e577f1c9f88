package org.troupe.server.cluster;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Sends one Raft group's entries with this server's client id: into the local log by a direct
 * call when this server leads the group (no network hop), else to the leader this server's copy
 * of the group knows (or the one a refusing server named) over the Raft transport.
 */
final class RaftEntryChannel implements EntryChannel {
    private final RaftServer server;
    private final RaftGroupId groupId;
    private final String groupName;
    private final ClientId clientId;
    private final RaftClientRpc rpc;
    private final boolean unorderedRpc;
    private final RaftPeerId self;
    private volatile RaftPeerId suggestedLeader;

    RaftEntryChannel(RaftServer server, RaftGroupId groupId, String groupName, ClientId clientId, RaftClientRpc rpc,
            boolean unorderedRpc) {
        this.server = server;
        this.groupId = groupId;
        this.groupName = groupName;
        this.clientId = clientId;
        this.rpc = rpc;
        this.unorderedRpc = unorderedRpc;
        this.self = server.getId();
    }

    @Override
    public long localLeaderTerm() {
        DivisionInfo info = info();
        if (info == null || !info.isLeader() || !info.isLeaderReady()) {
            return 0;
        }
        return info.getCurrentTerm();
    }

    private DivisionInfo info() {
        try {
            return server.getDivision(groupId).getInfo();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public Sent send(long callId, byte[] entry) {
        long localTerm = localLeaderTerm();
        RaftPeerId target = localTerm > 0 ? self : leaderHint();
        if (target == null) {
            return new Sent(0, CompletableFuture.failedFuture(
                    new RetryableException(groupName + " has no known leader", null)));
        }
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setLeaderId(target)
                .setGroupId(groupId)
                .setCallId(callId)
                .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(entry)))
                .setType(RaftClientRequest.writeRequestType())
                .build();
        CompletableFuture<RaftClientReply> reply;
        try {
            if (target.equals(self)) {
                reply = submitLocally(request);
            } else {
                reply = unorderedRpc ? rpc.sendRequestAsyncUnordered(request) : rpc.sendRequestAsync(request);
            }
        } catch (IOException | RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return new Sent(target.equals(self) ? localTerm : 0, reply.handle((r, t) -> {
            if (t != null) {
                throw new CompletionException(classify(target, unwrap(t)));
            }
            RaftException e = r.getException();
            if (e != null && !r.isSuccess()) {
                throw new CompletionException(classify(target, e));
            }
            return r.getMessage().getContent().toByteArray();
        }));
    }

    /**
     * Into this server's own log. The division itself takes the request on the calling thread;
     * the server's entry point would hand it to another thread and wait for it.
     */
    private CompletableFuture<RaftClientReply> submitLocally(RaftClientRequest request) throws IOException {
        RaftServer.Division division = server.getDivision(groupId);
        if (division instanceof RaftClientAsynchronousProtocol direct) {
            return direct.submitClientRequestAsync(request);
        }
        return server.submitClientRequestAsync(request);
    }

    private RaftPeerId leaderHint() {
        DivisionInfo info = info();
        RaftPeerId known = info == null ? null : info.getLeaderId();
        if (known != null && !known.equals(self)) {
            return known;
        }
        RaftPeerId hint = suggestedLeader;
        return hint != null ? hint : known;
    }

    private Throwable classify(RaftPeerId target, Throwable t) {
        if (t instanceof StateMachineException) {
            return t;
        }
        if (t instanceof AlreadyClosedException && target.equals(self)) {
            return new IllegalStateException(groupName + ": this server is closing", t);
        }
        if (!target.equals(self) && rpc.shouldReconnect(t)) {
            // The connection to that server broke (it died, or restarted): drop it, so the next
            // attempt connects again instead of failing on the dead channel for ever.
            rpc.handleException(target, t, true);
        }
        if (t instanceof NotLeaderException nle) {
            RaftPeer suggested = nle.getSuggestedLeader();
            suggestedLeader = suggested == null ? null : suggested.getId();
        } else {
            suggestedLeader = null;
        }
        return new RetryableException(target + " did not take the entry for " + groupName + ": " + t, t);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
