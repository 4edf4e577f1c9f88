package org.troupe.orb;

import org.omg.CORBA.LocalObject;
import org.omg.PortableInterceptor.ClientRequestInfo;
import org.omg.PortableInterceptor.ClientRequestInterceptor;
import org.omg.PortableInterceptor.ForwardRequest;

/**
 * A client request interceptor that does nothing at any interception point: Troupe's interceptors
 * extend it and override only the points where they act.
 */
public abstract class PassiveClientInterceptor extends LocalObject implements ClientRequestInterceptor {
    @Override
    public void send_request(ClientRequestInfo ri) throws ForwardRequest {
    }

    @Override
    public void send_poll(ClientRequestInfo ri) {
    }

    @Override
    public void receive_reply(ClientRequestInfo ri) {
    }

    @Override
    public void receive_exception(ClientRequestInfo ri) throws ForwardRequest {
    }

    @Override
    public void receive_other(ClientRequestInfo ri) throws ForwardRequest {
    }

    @Override
    public void destroy() {
    }
}
