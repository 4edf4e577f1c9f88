package org.troupe.server.groups.corba;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.omg.CORBA.Any;
import org.troupe.cdr.FastAny;
import org.troupe.idl.Groups.Address;
import org.troupe.idl.Groups.AddressKind;
import org.troupe.idl.Groups.GroupDescriptor;
import org.troupe.idl.Groups.Message;
import org.troupe.idl.Groups.MessageHelper;
import org.troupe.idl.Groups.MessageListHelper;
import org.troupe.idl.Groups.MessageRef;
import org.troupe.idl.Groups.RoleSpec;
import org.troupe.idl.Groups.UNBOUNDED;
import org.troupe.wire.GroupCodecs;

/** Filtering at the source, one member's view: Messages and MessageLists by role and address. */
@Tag("unit")
class MemberAudienceTest extends org.troupe.LocalOrbTest {
    private static MemberAudience student(long id, boolean volunteer) {
        return student(id, volunteer, false);
    }

    private static MemberAudience student(long id, boolean volunteer, boolean keepsOwn) {
        GroupDescriptor d = new GroupDescriptor("t", new RoleSpec[] {new RoleSpec("Teacher", 1, 1),
            new RoleSpec("Student", 1, UNBOUNDED.value)}, new String[] {"Note"},
            new org.troupe.idl.Groups.PatternSpec[0], true);
        MemberAudience a = new MemberAudience(org.troupe.wire.Descriptors.fromIdl(d), "Student", volunteer, keepsOwn);
        a.member(id);
        return a;
    }

    private static Message note(long id, AddressKind kind, String role, long member) {
        return from(1, id, true, new Address(kind, role, member));
    }

    private static Message from(long source, long id, boolean sequenced, Address to) {
        return new Message(id, source, to, "Note", new byte[0], true, new MessageRef(0, 0), sequenced,
                sequenced ? 0 : 1);
    }

    private static final Address ALL = new Address(AddressKind.TO_GROUP, "", 0);

    private static FastAny list(Message... ms) {
        return FastAny.ofStruct(orb, MessageListHelper.type(), GroupCodecs.MESSAGE_LIST, ms);
    }

    private static long[] ids(Any event) {
        Message[] ms = (Message[]) ((FastAny) event).struct();
        long[] ids = new long[ms.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ms[i].message_id;
        }
        return ids;
    }

    @Test
    void aListIsNarrowedToTheMembersMessagesInOrder() {
        MemberAudience ann = student(7, false);
        FastAny mixed = list(note(1, AddressKind.TO_ROLE, "Teacher", 0), note(2, AddressKind.TO_GROUP, "", 0),
                note(3, AddressKind.TO_MEMBER, "", 7), note(4, AddressKind.TO_MEMBER, "", 8),
                note(5, AddressKind.TO_ROLE, "Student", 0));
        assertArrayEquals(new long[] {2, 3, 5}, ids(ann.apply(mixed)));
        assertArrayEquals(new long[] {1, 2, 3, 4, 5}, ids(mixed), "the shared event is not changed");
    }

    @Test
    void aListAllForTheMemberIsPassedOnAndOneWithNothingForItIsSkipped() {
        MemberAudience ann = student(7, false);
        FastAny mine = list(note(1, AddressKind.TO_GROUP, "", 0), note(2, AddressKind.TO_MEMBER, "", 7));
        assertSame(mine, ann.apply(mine));
        assertNull(ann.apply(list(note(3, AddressKind.TO_ROLE, "Teacher", 0), note(4, AddressKind.TO_MEMBER, "", 9))));
    }

    @Test
    void aSequencerVolunteerIsSentReferencesForOrderingWithoutPayloadsOutsideItsAudience() {
        MemberAudience volunteer = student(7, true);
        Message secret = from(1, 1, true, new Address(AddressKind.TO_ROLE, "Teacher", 0));
        secret.payload = new byte[] {42};
        Message mine = from(1, 2, true, ALL);
        mine.payload = new byte[] {1};
        FastAny mixed = list(secret, mine);
        Message[] sent = (Message[]) ((FastAny) volunteer.apply(mixed)).struct();
        assertArrayEquals(new long[] {1, 2}, ids(volunteer.apply(mixed)), "every sequenced Message, in order");
        assertArrayEquals(new byte[0], sent[0].payload, "the Teacher's Message: a reference, its payload removed");
        org.junit.jupiter.api.Assertions.assertEquals("Teacher", sent[0].destination.role, "its address kept");
        assertArrayEquals(new byte[] {1}, sent[1].payload, "its own audience: whole");
        assertArrayEquals(new byte[] {42}, secret.payload, "the shared event is not changed");
        FastAny one = FastAny.ofStruct(orb, MessageHelper.type(), GroupCodecs.MESSAGE,
                note(2, AddressKind.TO_MEMBER, "", 9));
        org.junit.jupiter.api.Assertions.assertNotSame(one, volunteer.apply(one), "a reference, not the Message");
        assertNull(student(7, false).apply(one), "a single Message for someone else is kept from a non-volunteer");
        FastAny implied = list(from(1, 3, false, new Address(AddressKind.TO_ROLE, "Teacher", 0)));
        assertNull(volunteer.apply(implied), "a response or a turn outside its audience: nothing to order");
        FastAny everyone = list(mine);
        assertSame(everyone, volunteer.apply(everyone));
    }

    @Test
    void aTicketChannelReaderReadsTheMembersAudienceWholeAndItsOwnMessages() {
        MemberAudience keeper = student(7, true, true);
        MemberAudience reader = keeper.reader();
        FastAny sent = list(from(7, 1, true, ALL), from(1, 1, true, new Address(AddressKind.TO_ROLE, "Teacher", 0)));
        assertArrayEquals(new long[] {1}, ids(reader.apply(sent)), "its own Message, and no reference for ordering");
        MemberAudience early = student(0, false);
        MemberAudience earlyReader = early.reader();
        early.member(9);
        FastAny toNine = list(note(1, AddressKind.TO_MEMBER, "", 9));
        assertSame(toNine, earlyReader.apply(toNine), "the reader learns the member id with its audience");
    }

    @Test
    void aMemberThatKeepsItsOwnCopiesIsNotSentItsOwnSequencedMessages() {
        FastAny sent = list(from(7, 1, true, ALL), from(7, 2, true, ALL), from(1, 1, true, ALL));
        assertArrayEquals(new long[] {1}, ids(student(7, false, true).apply(sent)), "only the other member's");
        assertSame(sent, student(7, false, false).apply(sent), "without keeps_own: its own too");
        assertSame(sent, student(7, true, true).apply(sent), "a sequencer volunteer: everything");
        assertNull(student(7, false, true).apply(list(from(7, 3, true, ALL))));
        // a message that skips the sequencer (a response, a turn) comes back: its place is the server's
        FastAny implied = list(from(7, 4, false, ALL));
        assertSame(implied, student(7, false, true).apply(implied));
        FastAny single = FastAny.ofStruct(orb, MessageHelper.type(), GroupCodecs.MESSAGE, from(7, 5, true, ALL));
        assertNull(student(7, false, true).apply(single));
        assertSame(single, student(8, false, true).apply(single), "another member's");
    }

    @Test
    void aGroupChannelWeighsTheMessagesAnEventCarries() {
        org.junit.jupiter.api.Assertions.assertEquals(3, GroupDirectory.MESSAGES.of(list(
                note(1, AddressKind.TO_GROUP, "", 0), note(2, AddressKind.TO_GROUP, "", 0),
                note(3, AddressKind.TO_GROUP, "", 0))));
        org.junit.jupiter.api.Assertions.assertEquals(1, GroupDirectory.MESSAGES.of(FastAny.ofStruct(orb,
                MessageHelper.type(), GroupCodecs.MESSAGE, note(4, AddressKind.TO_GROUP, "", 0))));
        org.troupe.idl.Groups.SequenceMessage order = new org.troupe.idl.Groups.SequenceMessage(1, 1, 1,
                new Address(AddressKind.TO_GROUP, "", 0), "Note");
        org.junit.jupiter.api.Assertions.assertEquals(1, GroupDirectory.MESSAGES.of(FastAny.ofStruct(orb,
                org.troupe.idl.Groups.SequenceMessageListHelper.type(), GroupCodecs.SEQUENCE_LIST,
                new org.troupe.idl.Groups.SequenceMessage[] {order, order})), "orders weigh 1 per list");
    }
}
