package org.troupe.hosted;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.troupe.idl.Groups.Address;
import org.troupe.idl.Groups.AddressKind;
import org.troupe.idl.Groups.GroupView;
import org.troupe.idl.Groups.MemberInfo;
import org.troupe.idl.Groups.MessageRef;
import org.troupe.idl.Hosted.Delivery;
import org.troupe.idl.Hosted.QueryDone;
import org.troupe.idl.Hosted.QueryOutcome;
import org.troupe.idl.Hosted.Received;
import org.troupe.idl.Hosted.ViewChange;

@Tag("unit")
class ClientPositionTest {

    private static Delivery message(long seq) {
        Delivery d = new Delivery();
        d.message(new Received(seq, new MemberInfo(1, "tess", "Teacher"), new MessageRef(1, seq), "Formula",
                new Address(AddressKind.TO_GROUP, "", 0), new byte[0], false, new MessageRef(0, 0)));
        return d;
    }

    private static Delivery view(long seq) {
        Delivery d = new Delivery();
        d.view(new ViewChange(seq, new GroupView(1, new MemberInfo[0], true, 0), new MemberInfo[0],
                new MemberInfo[0], new MemberInfo[0]));
        return d;
    }

    private static Delivery queryDone() {
        Delivery d = new Delivery();
        d.query(new QueryDone(9, "Question", QueryOutcome.QUERY_COMPLETE, new MemberInfo[0], new MemberInfo[0], 1, 0));
        return d;
    }

    @Test
    void onlyWhatTheClientAcknowledgedByCallingAgainIsRecorded() {
        List<Long> recorded = new ArrayList<>();
        List<Runnable> queued = new ArrayList<>();
        ClientPosition p = new ClientPosition("test", seq -> recorded.add(seq), queued::add);
        p.startAt(4);
        assertEquals(1, queued.size(), "the start is recorded (in the background)");
        queued.remove(0).run();
        assertEquals(List.of(4L), recorded);

        p.handedOut(new Delivery[] {message(5), view(6), queryDone(), message(8)});
        assertEquals(0, queued.size(), "handed out, not yet taken: nothing to record");
        p.taken();
        assertEquals(1, queued.size());
        p.handedOut(new Delivery[] {message(9)});
        p.taken();
        assertEquals(1, queued.size(), "one recording at a time");
        queued.remove(0).run(); // records 9, the latest taken
        assertEquals(List.of(4L, 9L), recorded);
        assertEquals(9, p.recorded());
        p.taken();
        assertEquals(0, queued.size(), "nothing new");
        p.handedOut(new Delivery[] {queryDone()});
        p.taken();
        assertEquals(0, queued.size(), "a batch without sequence ids moves nothing");
    }

    @Test
    void aFailedOrRefusedRecordingOnlyLags() {
        List<Long> tried = new ArrayList<>();
        boolean[] fail = {true};
        Executor direct = Runnable::run;
        ClientPosition p = new ClientPosition("test", seq -> {
            tried.add(seq);
            if (fail[0]) {
                throw new java.util.concurrent.TimeoutException("no answer");
            }
            return true;
        }, direct);
        p.handedOut(new Delivery[] {message(3)});
        p.taken();
        assertEquals(-1, p.recorded(), "failed: not recorded");
        fail[0] = false;
        p.handedOut(new Delivery[] {message(7)});
        p.taken();
        assertEquals(7, p.recorded());
        assertEquals(List.of(3L, 7L), tried);

        ClientPosition full = new ClientPosition("test", seq -> true, r -> {
            throw new RejectedExecutionException("full");
        });
        full.handedOut(new Delivery[] {message(2)});
        full.taken();
        assertEquals(-1, full.recorded(), "refused by a full executor: a later call tries again");
        ClientPosition out = new ClientPosition("test", seq -> false, direct);
        out.handedOut(new Delivery[] {message(2)});
        out.taken();
        assertEquals(-1, out.recorded(), "the group refused: the member is out");
    }
}
