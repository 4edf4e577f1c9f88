package org.troupe.server.events.corba;

/** Publishes channels somewhere clients look them up (the naming service), and withdraws them. */
public interface ChannelBinding {
    void bind(String name, org.omg.CORBA.Object channel);

    void unbind(String name);

    /** No publication. */
    ChannelBinding NONE = new ChannelBinding() {
        @Override
        public void bind(String name, org.omg.CORBA.Object channel) {
        }

        @Override
        public void unbind(String name) {
        }
    };
}
