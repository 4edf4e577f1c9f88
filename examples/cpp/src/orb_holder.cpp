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

OrbHolder::~OrbHolder() {
    try {
        orb_->destroy();
    } catch (const CORBA::Exception&) {
        // shutting down anyway
    }
}

}  // namespace troupe
