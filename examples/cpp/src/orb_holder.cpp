#include "orb_holder.hpp"

#include <omniORB4/sslContext.h>

#include <cstdlib>
#include <fstream>

namespace troupe {

namespace {

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

}  // namespace

bool tls_configured() { return env("TROUPE_TLS_CA") != nullptr; }

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
    orb_ = CORBA::ORB_init(argc, argv.data(), "omniORB4");
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
