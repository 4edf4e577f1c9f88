// What a hosted member's client needs to go on across the death of its server (a cluster): the
// calls that failed because the server went away are made again for a while, on the same
// reference, until another server has taken the member over (CallRetry); and what the new server
// gives again of what the dead one had handed out is dropped (RepeatFilter). A program with both
// sees neither the crash nor a repeat.
#pragma once

#include <omniORB4/CORBA.h>

#include "TroupeHosted.hh"

#include <chrono>
#include <map>
#include <string>
#include <type_traits>

namespace troupe {

/**
 * True for the failures of a call whose server died or cannot be reached now (TRANSIENT,
 * COMM_FAILURE, TIMEOUT): the same call, on the same reference, may reach another server.
 */
bool server_went_away(const CORBA::SystemException& e);

/**
 * Calls on a hosted member made again, for up to a window of 30 s, while they fail because the
 * server went away: long enough for another server of a cluster to take the member over (a
 * HostedMember reference names every server). Any other failure, or one past the window, goes to
 * the caller. The first failure of a run of them is said once on stderr; a call that succeeds
 * ends the run.
 */
class CallRetry {
public:
    /** PROG prefixes the line said on stderr. */
    explicit CallRetry(std::string prog, std::chrono::milliseconds window = std::chrono::seconds(30),
                       std::chrono::milliseconds pause = std::chrono::milliseconds(100));

    /** True if the failed call may be made again (after a short pause); false once the window has passed. */
    bool again(const CORBA::SystemException& e);

    /** The call succeeded: the next failure starts a new window. */
    void succeeded();

    /** True while calls fail (since the first failure, until a call succeeds). */
    bool failing() const { return failing_; }

    /** When calls last succeeded again after failing (the epoch if they never failed). */
    std::chrono::steady_clock::time_point recovered_at() const { return recovered_at_; }

    /** How many runs of failures ended with a call that succeeded (fail-overs survived). */
    unsigned recoveries() const { return recoveries_; }

    /**
     * Runs CALL (a callable making one call on the member) until it returns, making it again while
     * it fails because the server went away, within the window; its result. Every other exception
     * (the IDL's Closed, Refused, Invalid ...) goes to the caller as it is.
     */
    template <class Call>
    auto operator()(Call&& call) -> decltype(call()) {
        while (true) {
            try {
                if constexpr (std::is_void_v<decltype(call())>) {
                    call();
                    succeeded();
                    return;
                } else {
                    auto result = call();
                    succeeded();
                    return result;
                }
            } catch (const CORBA::SystemException& e) {
                if (!again(e)) throw;
            }
        }
    }

private:
    std::string prog_;
    std::chrono::milliseconds window_;
    std::chrono::milliseconds pause_;
    bool failing_ = false;
    std::chrono::steady_clock::time_point since_;
    std::chrono::steady_clock::time_point recovered_at_{};
    unsigned recoveries_ = 0;
};

/**
 * Drops a delivery given again after the member moved to another server. Delivery around a
 * server's death is at least once (the new server cannot tell a reply lost with the dead one from
 * one that arrived): a message whose sender's message id is not above the last one this client
 * had from that sender, and a view whose sequence id is not above the last view's, were had
 * already. Every other delivery (a query's completion, CLOSED) passes.
 */
class RepeatFilter {
public:
    /** True for a delivery had already (drop it); false for a new one, which is remembered. */
    bool given_before(const Troupe::Hosted::Delivery& d);

    /** The highest message id had from SENDER (0: none). */
    CORBA::ULongLong last_from(CORBA::ULongLong sender) const;

    /** How many deliveries were dropped as repeats. */
    unsigned long long dropped() const { return dropped_; }

private:
    bool seen_view_ = false;
    CORBA::ULongLong last_view_ = 0;
    std::map<CORBA::ULongLong, CORBA::ULongLong> last_from_;  // sender id -> its last message id
    unsigned long long dropped_ = 0;
};

}  // namespace troupe
