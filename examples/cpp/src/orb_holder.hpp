// The ORB of a Troupe C++ example, set up the way Troupe needs, and destroyed on scope exit.
#pragma once

#include <omniORB4/CORBA.h>

#include <string>
#include <vector>

namespace troupe {

/**
 * An omniORB ORB with Troupe's defaults, then the user's -ORB options (which win):
 *  - native char code set UTF-8: Troupe's names and types are UTF-8 text; omniORB's default,
 *    ISO-8859-1, cannot unmarshal a name such as "你好" (DATA_CONVERSION);
 *  - one listening endpoint on `listen` (default loopback), an ephemeral port;
 *  - no call waits for ever (10 s), connecting fails fast (3 s);
 *  - giopMaxMsgSize 256 MiB: one event may be a whole batch (a MessageList) and one receive up
 *    to 1000 deliveries of up to 1 MiB, over omniORB's default of 2 MB.
 */
class OrbHolder {
public:
    OrbHolder(const std::string& prog, const std::string& listen, const std::vector<std::string>& orb_args);
    ~OrbHolder();
    OrbHolder(const OrbHolder&) = delete;
    OrbHolder& operator=(const OrbHolder&) = delete;
    CORBA::ORB_ptr get() const { return orb_.in(); }

private:
    std::vector<std::string> storage_;
    CORBA::ORB_var orb_;
};

}  // namespace troupe
