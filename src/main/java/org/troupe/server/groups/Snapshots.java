package org.troupe.server.groups;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Views as octets and back, for snapshots of a group core. */
final class Snapshots {
    private Snapshots() {
    }

    static void writeView(DataOutput out, View v) throws IOException {
        out.writeLong(v.id());
        out.writeBoolean(v.complete());
        out.writeLong(v.sequencer());
        out.writeInt(v.members().size());
        for (MemberInfo m : v.members()) {
            out.writeLong(m.id());
            out.writeUTF(m.name());
            out.writeUTF(m.role());
        }
    }

    static View readView(DataInput in) throws IOException {
        long id = in.readLong();
        boolean complete = in.readBoolean();
        long sequencer = in.readLong();
        int n = CommandCodec.count(in);
        List<MemberInfo> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            members.add(new MemberInfo(in.readLong(), in.readUTF(), in.readUTF()));
        }
        return new View(id, members, complete, sequencer);
    }
}
