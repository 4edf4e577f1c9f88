package org.troupe.orb;

import org.omg.CORBA.LocalObject;
import org.omg.PortableInterceptor.ForwardRequest;
import org.omg.PortableInterceptor.ServerRequestInfo;
import org.omg.PortableInterceptor.ServerRequestInterceptor;

/**
 * A server request interceptor that does nothing at any interception point: Troupe's interceptors
 * extend it and override only the points where they act.
 */
public abstract class PassiveServerInterceptor extends LocalObject implements ServerRequestInterceptor {
    @Override
    public void receive_request_service_contexts(ServerRequestInfo ri) throws ForwardRequest {
    }

    @Override
    public void receive_request(ServerRequestInfo ri) throws ForwardRequest {
    }

    @Override
    public void send_reply(ServerRequestInfo ri) {
    }

    @Override
    public void send_exception(ServerRequestInfo ri) throws ForwardRequest {
    }

    @Override
    public void send_other(ServerRequestInfo ri) throws ForwardRequest {
    }

    @Override
    public void destroy() {
    }
}
