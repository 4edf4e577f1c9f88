#include "orb_holder.hpp"

namespace troupe {

OrbHolder::OrbHolder(const std::string& prog, const std::string& listen, const std::vector<std::string>& orb_args) {
    std::vector<std::string> args = {
        prog,
        "-ORBnativeCharCodeSet", "UTF-8",
        "-ORBendPoint", "giop:tcp:" + listen + ":",
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
    return "corbaloc:iiop:" + w + "/TroupeHosted";
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
