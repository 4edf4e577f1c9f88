package org.troupe.orb;

import org.omg.CORBA.LocalObject;
import org.omg.PortableInterceptor.ORBInitInfo;
import org.omg.PortableInterceptor.ORBInitializer;

/**
 * An ORB initializer that acts only once the ORB's initial references are in place
 * ({@code post_init}), where Troupe's initializers register their interceptors. A subclass needs
 * a public no-argument constructor: the ORB makes it from its class name.
 */
public abstract class PostInitializer extends LocalObject implements ORBInitializer {
    @Override
    public void pre_init(ORBInitInfo info) {
    }
}
