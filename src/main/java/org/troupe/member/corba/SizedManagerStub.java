package org.troupe.member.corba;

import org.omg.CORBA.portable.OutputStream;
import org.troupe.cdr.BufferSizing;
import org.troupe.idl.Groups.BadMessage;
import org.troupe.idl.Groups.ForgedSender;
import org.troupe.idl.Groups.GroupManager;
import org.troupe.idl.Groups.Message;
import org.troupe.idl.Groups.MessageTooLarge;
import org.troupe.idl.Groups.NotMember;
import org.troupe.idl.Groups.OutOfTurn;
import org.troupe.idl.Groups.ResponseRefused;
import org.troupe.idl.Groups.TypeNotAllowed;
import org.troupe.idl.Groups._GroupManagerStub;
import org.troupe.wire.GroupCodecs;

/**
 * The Group Manager's generated stub, with the request of a {@code send} sized once for the
 * messages it carries ({@link BufferSizing}) instead of grown as it is written: a member's send
 * call carries up to a batch of messages, a few hundred KB. Every other call is the stub's own.
 */
final class SizedManagerStub extends _GroupManagerStub {
    private volatile long sendOctets; // set around a send; sends are serialised by the caller

    /** A stub for the same object as {@code manager}, sharing its delegate (connection). */
    static GroupManager of(GroupManager manager) {
        if (!(manager instanceof org.omg.CORBA.portable.ObjectImpl impl)) {
            return manager;
        }
        SizedManagerStub s = new SizedManagerStub();
        s._set_delegate(impl._get_delegate());
        return s;
    }

    @Override
    public void send(long member, String token, Message[] messages) throws ForgedSender, BadMessage,
            MessageTooLarge, ResponseRefused, TypeNotAllowed, OutOfTurn, NotMember {
        sendOctets = 32L + token.length() + GroupCodecs.size(messages);
        try {
            super.send(member, token, messages);
        } finally {
            sendOctets = 0;
        }
    }

    @Override
    public OutputStream _request(String operation, boolean responseExpected) {
        OutputStream out = super._request(operation, responseExpected);
        long octets = sendOctets;
        if (octets > 0 && "send".equals(operation)) {
            BufferSizing.reserve(out, octets);
        }
        return out;
    }
}
