// What the Troupe C++ examples share: the ORB set up the way Troupe needs (destroyed on scope
// exit), their two kinds of errors, CORBA exceptions in words, and the hosted-members URL.
#pragma once

#include <omniORB4/CORBA.h>

#include "TroupeHosted.hh"

#include <stdexcept>
#include <string>
#include <vector>

namespace troupe {

/** A bad command line: one line on stderr, exit 2. */
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/** A failure at run time: one line on stderr, exit 1. */
struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/** A CORBA exception in words: its name and, for a system exception, its minor code. */
std::string describe(const CORBA::Exception& e);

/**
 * The hosted-members factory's URL for what the user typed: HOST[:PORT] (default port 2809), a
 * corbaloc without an object key (TroupeHosted is added), or a whole IOR/corbaloc/corbaname.
 */
std::string factory_url(std::string w);

/**
 * Whether the programs talk to the server over TLS: TROUPE_TLS_CA names the PEM file of the
 * authority that signed the server's certificate (then a HOST:PORT server means
 * corbaloc:ssliop:HOST:PORT). TROUPE_TLS_KEY names this program's certificate and private key
 * (PEM, for a server started with --tls-client-auth; also makes the program's own listening
 * endpoint TLS only), TROUPE_TLS_KEY_PASSWORD the key's password if it is encrypted.
 */
bool tls_configured();

/**
 * A group's join key: the text of FILE (--join-key-file), else of the file named by
 * $TROUPE_JOIN_KEY_FILE, else $TROUPE_JOIN_KEY, without surrounding white space; "" if none.
 */
std::string join_key(const std::string& file);

/**
 * The server's admin credential, which hosting a member needs on a server started with
 * --admin-secret-file: the text of FILE, else of the file named by $TROUPE_ADMIN_SECRET_FILE,
 * else $TROUPE_ADMIN_SECRET. Call before making the OrbHolder: its ORB then presents the secret
 * (service context 0x54524F01) on host_member and host_member_with_key calls only. A secret
 * file that others than its owner can read is refused (Failure).
 */
void use_admin_secret(const std::string& file);

/** Hosts a member: host_member, or host_member_with_key when KEY is not empty. */
Troupe::Hosted::HostedMember_ptr host_member(Troupe::Hosted::HostedMembers_ptr factory, const std::string& group,
                                             const std::string& role, const std::string& name,
                                             Troupe::Hosted::MemberCallback_ptr callback, const std::string& key);

/**
 * An omniORB ORB with Troupe's defaults, then the user's -ORB options (which win):
 *  - with TROUPE_TLS_CA set, omniORB's SSL transport with that authority (and TROUPE_TLS_KEY):
 *    references that offer TLS are called over TLS, and the server's certificate must be signed
 *    by the authority;
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
