package org.troupe.server.events.corba;

/** What a channel needs of each of its proxies. */
interface ChannelProxy {
    /** The four kinds, for statistics. */
    enum Kind { PUSH_SUPPLIER, PULL_SUPPLIER, PUSH_CONSUMER, PULL_CONSUMER }

    /** Which side the connected client is on, and how it communicates. */
    Kind kind();

    boolean isConnected();

    /** True once disposed (disconnected by either side, or left unconnected too long). */
    default boolean isDisposed() {
        return state().isDisposed();
    }

    /** Its life: obtained, connected, disposed. */
    ProxyState state();

    /** The channel is being destroyed: dispose, and tell the connected client if there is one. */
    void disconnectByChannel();
}
