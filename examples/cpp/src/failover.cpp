#include "failover.hpp"

#include <iostream>
#include <thread>

#include "orb_holder.hpp"

namespace troupe {

bool server_went_away(const CORBA::SystemException& e) {
    return CORBA::TRANSIENT::_downcast(&e) != nullptr || CORBA::COMM_FAILURE::_downcast(&e) != nullptr ||
           CORBA::TIMEOUT::_downcast(&e) != nullptr;
}

CallRetry::CallRetry(std::string prog, std::chrono::milliseconds window, std::chrono::milliseconds pause)
    : prog_(std::move(prog)), window_(window), pause_(pause) {}

bool CallRetry::again(const CORBA::SystemException& e) {
    if (!server_went_away(e)) return false;
    const auto now = std::chrono::steady_clock::now();
    if (!failing_) {
        failing_ = true;
        since_ = now;
        std::cerr << prog_ << ": the server did not answer (" << describe(e) << "); calling again" << std::endl;
    } else if (now - since_ > window_) {
        return false;
    }
    std::this_thread::sleep_for(pause_);
    return true;
}

void CallRetry::succeeded() {
    if (!failing_) return;
    failing_ = false;
    recovered_at_ = std::chrono::steady_clock::now();
    ++recoveries_;
}

bool RepeatFilter::given_before(const Troupe::Hosted::Delivery& d) {
    if (d._d() == Troupe::Hosted::VIEW_DELIVERY) {
        const CORBA::ULongLong seq = d.view().sequence_id;
        if (seen_view_ && seq <= last_view_) {
            ++dropped_;
            return true;
        }
        seen_view_ = true;
        last_view_ = seq;
    } else if (d._d() == Troupe::Hosted::MESSAGE_DELIVERY) {
        const auto& ref = d.message().ref;
        auto it = last_from_.find(ref.source);
        if (it != last_from_.end() && ref.message_id <= it->second) {
            ++dropped_;
            return true;
        }
        last_from_[ref.source] = ref.message_id;
    }
    return false;
}

CORBA::ULongLong RepeatFilter::last_from(CORBA::ULongLong sender) const {
    const auto it = last_from_.find(sender);
    return it == last_from_.end() ? 0 : it->second;
}

}  // namespace troupe
