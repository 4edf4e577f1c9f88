package org.troupe.cdr;

import java.util.function.Consumer;
import java.util.function.Function;
import org.omg.CORBA.portable.ApplicationException;
import org.omg.CORBA.portable.InputStream;
import org.omg.CORBA.portable.ObjectImpl;
import org.omg.CORBA.portable.OutputStream;
import org.omg.CORBA.portable.RemarshalException;
import org.omg.CosEventComm.Disconnected;
import org.omg.CosEventComm.DisconnectedHelper;

/**
 * A twoway call marshalled by hand through the portable stub API, for the event operations whose
 * only user exception is {@code CosEventComm::Disconnected}: what a generated stub does, with
 * our own code writing the arguments and reading the result.
 */
final class StubCall {
    private StubCall() {
    }

    static <T> T invoke(Object target, String operation, Consumer<OutputStream> arguments,
            Function<InputStream, T> result) throws Disconnected {
        ObjectImpl stub = (ObjectImpl) target;
        while (true) {
            InputStream in = null;
            try {
                OutputStream out = stub._request(operation, true);
                arguments.accept(out);
                in = stub._invoke(out);
                return result.apply(in);
            } catch (RemarshalException e) {
                // the ORB asks for the request to be sent again (location forward)
            } catch (ApplicationException e) {
                if (e.getId().equals(DisconnectedHelper.id())) {
                    throw DisconnectedHelper.read(e.getInputStream());
                }
                throw new org.omg.CORBA.UNKNOWN("Troupe: unexpected user exception " + e.getId() + " from "
                        + operation);
            } finally {
                stub._releaseReply(in);
            }
        }
    }
}
