package org.troupe.server.ops;

import java.util.function.Function;

/**
 * Decides whether the operations endpoint answers a request (for example: it carries the admin
 * credential). The endpoint asks it before every page; {@link #ALLOW_ALL} when none is configured.
 */
@FunctionalInterface
public interface RequestAuthorizer {
    /** Lets every request through. */
    RequestAuthorizer ALLOW_ALL = (method, path, header) -> null;

    /**
     * @param header a request header's value by name (null if absent)
     * @return null to answer the request, else why it is refused, in one line (answered 401)
     */
    String refusal(String method, String path, Function<String, String> header);
}
