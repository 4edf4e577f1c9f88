#include "orb_holder.hpp"

#include <omniORB4/omniInterceptors.h>
#include <omniORB4/sslContext.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace troupe {

namespace {

/** The admin secret this process presents ("" : none). */
std::string admin_secret;
/** The service context that carries it: "TRO" and 1, as the server's AdminGate reads it. */
constexpr CORBA::ULong ADMIN_CONTEXT = 0x54524F01;

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::string read_file(const std::string& path, const std::string& what, bool owner_only) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) throw Failure(what + " file " + path + " does not exist");
    if (owner_only && (st.st_mode & 077) != 0) {
        throw Failure(what + " file " + path + " is accessible to others than its owner: refused; run chmod 600 " +
                      path);
    }
    std::ifstream in(path);
    if (!in) throw Failure("cannot read " + what + " file " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return trimmed(text.str());
}

std::string from(const std::string& file, const char* file_variable, const char* value_variable,
                 const std::string& what, bool owner_only) {
    if (!file.empty()) return read_file(file, what, owner_only);
    const char* f = std::getenv(file_variable);
    if (f != nullptr && *f != '\0') return read_file(f, what, owner_only);
    const char* v = std::getenv(value_variable);
    return v == nullptr ? "" : trimmed(v);
}

CORBA::Boolean present_admin_secret(omni::omniInterceptors::clientSendRequest_T::info_T& info) {
    const char* op = info.operation();
    if (admin_secret.empty() || op == nullptr ||
        (std::strcmp(op, "host_member") != 0 && std::strcmp(op, "host_member_with_key") != 0)) {
        return true;
    }
    const CORBA::ULong n = info.service_contexts.length();
    info.service_contexts.length(n + 1);
    IOP::ServiceContext& sc = info.service_contexts[n];
    sc.context_id = ADMIN_CONTEXT;
    sc.context_data.length(static_cast<CORBA::ULong>(admin_secret.size()));
    std::memcpy(sc.context_data.get_buffer(), admin_secret.data(), admin_secret.size());
    return true;
}

const char* env(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? v : nullptr;
}

/** Checks a PEM file named by an environment variable before omniORB reads it (it only says INITIALIZE). */
void readable(const char* var, const char* file) {
    if (!std::ifstream(file).good()) {
        throw Failure(std::string(var) + " names '" + file + "', which cannot be read");
    }
}

/**
 * omniORB's log, less the one warning its SSL transport gives at start when no authority is set:
 * a program not told to use TLS talks plain IIOP, which is not worth a warning to its user.
 */
void log_without_ssl_warning(const char* line) {
    if (std::strstr(line, "SSL CA certificate location is not set") == nullptr) {
        std::fputs(line, stderr);
    }
}

}  // namespace

bool tls_configured() { return env("TROUPE_TLS_CA") != nullptr; }

std::string join_key(const std::string& file) {
    return from(file, "TROUPE_JOIN_KEY_FILE", "TROUPE_JOIN_KEY", "join key", false);
}

void use_admin_secret(const std::string& file) {
    admin_secret = from(file, "TROUPE_ADMIN_SECRET_FILE", "TROUPE_ADMIN_SECRET", "admin secret", true);
}

Troupe::Hosted::HostedMember_ptr host_member(Troupe::Hosted::HostedMembers_ptr factory, const std::string& group,
                                             const std::string& role, const std::string& name,
                                             Troupe::Hosted::MemberCallback_ptr callback, const std::string& key) {
    if (key.empty()) return factory->host_member(group.c_str(), role.c_str(), name.c_str(), callback);
    return factory->host_member_with_key(group.c_str(), role.c_str(), name.c_str(), callback, key.c_str());
}

OrbHolder::OrbHolder(const std::string& prog, const std::string& listen, const std::vector<std::string>& orb_args) {
    const char* ca = env("TROUPE_TLS_CA");
    const char* key = env("TROUPE_TLS_KEY");
    if (key != nullptr && ca == nullptr) {
        throw Failure("TROUPE_TLS_KEY goes with TROUPE_TLS_CA (the authority that signed the server's certificate)");
    }
    if (ca != nullptr) {
        // set before ORB_init: the SSL transport reads them when the ORB starts
        readable("TROUPE_TLS_CA", ca);
        sslContext::certificate_authority_file = ca;
        if (key != nullptr) {
            readable("TROUPE_TLS_KEY", key);
            sslContext::key_file = key;
            const char* password = env("TROUPE_TLS_KEY_PASSWORD");
            sslContext::key_file_password = password != nullptr ? password : "";
        }
    }
    // with a key of its own, the program's own objects listen over TLS only
    const std::string endpoint = (key != nullptr ? "giop:ssl:" : "giop:tcp:") + listen + ":";
    std::vector<std::string> args = {
        prog,
        "-ORBnativeCharCodeSet", "UTF-8",
        "-ORBendPoint", endpoint,
        "-ORBclientCallTimeOutPeriod", "10000",
        "-ORBclientConnectTimeOutPeriod", "3000",
        "-ORBgiopMaxMsgSize", "268435456",
    };
    args.insert(args.end(), orb_args.begin(), orb_args.end());
    storage_ = std::move(args);
    std::vector<char*> argv;
    for (auto& a : storage_) argv.push_back(a.data());
    argv.push_back(nullptr);
    int argc = static_cast<int>(storage_.size());
    if (ca == nullptr) {
        omniORB::setLogFunction(log_without_ssl_warning);
    }
    orb_ = CORBA::ORB_init(argc, argv.data(), "omniORB4");
    if (!admin_secret.empty()) omniORB::getInterceptors()->clientSendRequest.add(present_admin_secret);
}

std::string factory_url(std::string w) {
    if (w.rfind("IOR:", 0) == 0 || w.rfind("corbaname:", 0) == 0) return w;
    if (w.rfind("corbaloc:", 0) == 0) {
        const auto slash = w.find('/');
        if (slash != std::string::npos && slash + 1 < w.size()) return w;
        if (!w.empty() && w.back() == '/') w.pop_back();
        return w + "/TroupeHosted";
    }
    if (w.find(':') == std::string::npos) w += ":2809";
    // over TLS, IIOP 1.2: only a 1.2 profile carries the component naming the TLS port
    return (tls_configured() ? "corbaloc:ssliop:1.2@" : "corbaloc:iiop:") + w + "/TroupeHosted";
}

std::string describe(const CORBA::Exception& e) {
    std::string s = e._name();
    if (const auto* se = CORBA::SystemException::_downcast(&e)) {
        const char* minor = se->NP_minorString();
        s += minor ? std::string(" (") + minor + ")" : " (minor " + std::to_string(se->minor()) + ")";
    }
    return s;
}

OrbHolder::~OrbHolder() {
    try {
        orb_->destroy();
    } catch (const CORBA::Exception&) {
        // shutting down anyway
    }
}

}  // namespace troupe
