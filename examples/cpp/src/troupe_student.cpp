// troupe-student: a tele-teaching Student in C++ with no Troupe library, only the IDL. It joins
// through the server's hosted members (idl/TroupeHosted.idl): the server runs the member stack
// for it, so it gets the group's order, filtering and correlation through plain calls. It pulls
// its deliveries (HostedMember::receive), prints every Question and Formula, and answers each
// Question (HostedMember::reply with the Question's MessageRef) with --answer-template or, without
// it, with the next line of standard input. End of input or SIGTERM/SIGINT: it leaves the group.
//
//   troupe-student --server 127.0.0.1:2809 --group math-101 --name ann [--answer-template T]
//
// Output (one line each, flushed; text is quoted with \" \\ and control characters escaped):
//   JOINED group="math-101" member=3 name="ann" role=Student
//   VIEW seq=5 view=3 complete=yes members=["tess"/Teacher,"ann"/Student]
//   QUESTION seq=7 from="tess" ref=1/2 text="2+2?"
//   ANSWERED ref=1/2 msg=1 text="4"         (REFUSED ref=1/2 reason="..." if the group refuses)
//   FORMULA seq=9 from="tess" ref=1/3 text="e=mc^2"
//   MESSAGE seq=12 type="TeacherAnswer" from="tess" ref=1/5 text="..."
//   END reason="..."                         (eof, SIGTERM, SIGINT, or why the server removed it)
//
// In a cluster its HostedMember reference names every server: when its server dies, the call
// that failed (COMM_FAILURE, TRANSIENT) is made again, on the same reference, for up to 30 s;
// another server takes the member over and the Student goes on (failover.hpp: CallRetry). The last
// deliveries it was given before the death may be given again: a message whose sender's message
// id is not above the last one it had from that sender, or a view whose sequence id is not above
// the last view's, is dropped (RepeatFilter).
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <chrono>
#include <deque>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "TroupeHosted.hh"
#include "event_format.hpp"
#include "failover.hpp"
#include "orb_holder.hpp"

namespace {

using troupe::describe;
using troupe::Failure;
using troupe::UsageError;
using troupe::factory_url;

constexpr const char* PROG = "troupe-student";
constexpr int EXIT_RUNTIME = 1;
constexpr int EXIT_USAGE = 2;

const char* const USAGE =
    "usage: troupe-student --server HOST:PORT --group NAME --name NAME [--answer-template T]\n"
    "                      [--role ROLE] [--listen HOST] [-ORBoption value ...]\n"
    "  --server URL            the Troupe server: HOST:PORT, corbaloc:iiop:HOST:PORT, or the\n"
    "                          hosted-members factory's corbaloc/IOR\n"
    "  --answer-template T     answer every Question with T ({question}, {name} and {id} are\n"
    "                          replaced); without it each line of stdin answers the oldest\n"
    "                          unanswered Question\n"
    "  --role ROLE             the role to join in (default Student)\n"
    "  --join-key-file FILE    the group's join key (default $TROUPE_JOIN_KEY_FILE, $TROUPE_JOIN_KEY)\n"
    "  --admin-secret-file FILE  the server's admin secret, if it has one (default\n"
    "                          $TROUPE_ADMIN_SECRET_FILE, $TROUPE_ADMIN_SECRET)\n"
    "End of input, SIGTERM or SIGINT: leaves the group and exits 0.\n";

struct Options {
    std::string server, group, name, role = "Student", listen = "127.0.0.1";
    std::string answer_template, join_key_file, admin_secret_file;
    bool has_template = false;
    std::vector<std::string> orb_args;
};

Options parse(int argc, char** argv) {
    Options o;
    auto value = [&](int& i) -> std::string {
        if (i + 1 >= argc) throw UsageError(std::string(argv[i]) + " needs a value");
        return argv[++i];
    };
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--server") o.server = value(i);
        else if (a == "--group") o.group = value(i);
        else if (a == "--name") o.name = value(i);
        else if (a == "--role") o.role = value(i);
        else if (a == "--listen") o.listen = value(i);
        else if (a == "--join-key-file") o.join_key_file = value(i);
        else if (a == "--admin-secret-file") o.admin_secret_file = value(i);
        else if (a == "--answer-template") {
            o.answer_template = value(i);
            o.has_template = true;
        } else if (a == "--help" || a == "-h") {
            std::cout << USAGE;
            std::exit(0);
        } else if (a.rfind("-ORB", 0) == 0) {
            o.orb_args.push_back(a);
            o.orb_args.push_back(value(i));
        } else {
            throw UsageError("unknown argument '" + a + "'");
        }
    }
    if (o.server.empty() || o.group.empty() || o.name.empty()) {
        throw UsageError("--server, --group and --name are needed");
    }
    return o;
}

void line(const std::string& s) {
    std::cout << s << '\n' << std::flush;
}

std::string text_of(const Troupe::Groups::Bytes& b) {
    return std::string(reinterpret_cast<const char*>(b.get_buffer()), b.length());
}

Troupe::Groups::Bytes bytes_of(const std::string& s) {
    Troupe::Groups::Bytes b;
    b.length(static_cast<CORBA::ULong>(s.size()));
    if (!s.empty()) std::memcpy(b.get_buffer(), s.data(), s.size());
    return b;
}

std::string ref_of(const Troupe::Groups::MessageRef& r) {
    return std::to_string(r.source) + "/" + std::to_string(r.message_id);
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
        s.replace(at, from.size(), to);
    }
    return s;
}

/** Lines of standard input, read on their own thread; end of input is remembered. */
class StdinLines {
public:
    StdinLines() {
        std::thread([this] {
            std::string l;
            while (std::getline(std::cin, l)) {
                std::lock_guard<std::mutex> g(mu_);
                lines_.push_back(l);
            }
            eof_ = true;
        }).detach();  // blocked in read until input ends; the process exit ends it
    }
    bool next(std::string& out) {
        std::lock_guard<std::mutex> g(mu_);
        if (lines_.empty()) return false;
        out = lines_.front();
        lines_.pop_front();
        return true;
    }
    bool eof() {
        std::lock_guard<std::mutex> g(mu_);
        return eof_ && lines_.empty();
    }

private:
    std::mutex mu_;
    std::deque<std::string> lines_;
    std::atomic<bool> eof_{false};
};

volatile sig_atomic_t g_signal = 0;
extern "C" void on_signal(int sig) { g_signal = sig; }

struct Pending {
    Troupe::Groups::MessageRef ref;
    std::string text;
};

class Student {
public:
    Student(const Options& o, Troupe::Hosted::HostedMember_ptr m)
        : o_(o), member_(Troupe::Hosted::HostedMember::_duplicate(m)) {}

    /** Runs until end of input, a signal, or the member is out; returns the exit code. */
    int run() {
        Troupe::Groups::MemberInfo_var me = member_->me();
        line("JOINED group=" + troupe::quoted(o_.group.c_str()) + " member=" + std::to_string(me->id) +
             " name=" + troupe::quoted(me->name.in()) + " role=" + std::string(me->role.in()));
        while (true) {
            if (g_signal != 0) return leave(g_signal == SIGINT ? "SIGINT" : "SIGTERM");
            answer_from_stdin();
            if (stdin_.eof()) return leave("eof");
            Troupe::Hosted::DeliveryList_var ds;
            try {
                ds = member_->receive(100, 300);
                retry_.succeeded();
            } catch (const Troupe::Hosted::Closed& e) {
                line("END reason=" + troupe::quoted(e.reason.in()));
                return EXIT_RUNTIME;
            } catch (const CORBA::SystemException& e) {
                if (retry_.again(e)) continue;
                throw;
            }
            for (CORBA::ULong i = 0; i < ds->length(); ++i) {
                if (repeats_.given_before(ds[i])) continue;
                if (!handle(ds[i])) return EXIT_RUNTIME;
            }
        }
    }

private:
    /** One delivery; false once the member is out. */
    bool handle(const Troupe::Hosted::Delivery& d) {
        switch (d._d()) {
            case Troupe::Hosted::VIEW_DELIVERY: {
                const auto& v = d.view();
                std::string members;
                for (CORBA::ULong i = 0; i < v.view.members.length(); ++i) {
                    if (i) members += ",";
                    members += troupe::quoted(v.view.members[i].name.in()) + "/" + v.view.members[i].role.in();
                }
                line("VIEW seq=" + std::to_string(v.sequence_id) + " view=" + std::to_string(v.view.view_id) +
                     " complete=" + (v.view.complete ? "yes" : "no") + " members=[" + members + "]");
                return true;
            }
            case Troupe::Hosted::MESSAGE_DELIVERY: {
                const auto& m = d.message();
                const std::string type = m.message_type.in();
                const std::string head = "seq=" + std::to_string(m.sequence_id) + (type == "Question" || type == "Formula" ? "" : " type=" + troupe::quoted(type.c_str())) +
                                         " from=" + troupe::quoted(m.sender.name.in()) + " ref=" + ref_of(m.ref) +
                                         " " + troupe::payload_field(m.payload);
                if (type == "Question") {
                    line("QUESTION " + head);
                    pending_.push_back(Pending{m.ref, text_of(m.payload)});
                    if (o_.has_template) answer_pending(template_answer());
                } else if (type == "Formula") {
                    line("FORMULA " + head);
                } else {
                    line("MESSAGE " + head);
                }
                return true;
            }
            case Troupe::Hosted::QUERY_DELIVERY:
                return true;  // a Student asks no queries
            case Troupe::Hosted::CLOSED_DELIVERY:
                line("END reason=" + troupe::quoted(d.reason()));
                return false;
            default:
                return true;
        }
    }

    std::string template_answer() const {
        const Pending& p = pending_.front();
        std::string s = replace_all(o_.answer_template, "{question}", p.text);
        s = replace_all(s, "{name}", o_.name);
        return replace_all(s, "{id}", std::to_string(p.ref.message_id));
    }

    void answer_from_stdin() {
        std::string l;
        while (!pending_.empty() && stdin_.next(l)) answer_pending(l);
    }

    /** Answers the oldest unanswered Question with TEXT. */
    void answer_pending(const std::string& text) {
        const Pending p = pending_.front();
        pending_.pop_front();
        while (true) {
            try {
                const CORBA::ULongLong id = member_->reply(p.ref, "Answer", bytes_of(text));
                retry_.succeeded();
                line("ANSWERED ref=" + ref_of(p.ref) + " msg=" + std::to_string(id) + " " +
                     troupe::payload_field(bytes_of(text)));
            } catch (const Troupe::Hosted::Refused& e) {
                line("REFUSED ref=" + ref_of(p.ref) + " reason=" + troupe::quoted(e.reason.in()));
            } catch (const Troupe::Hosted::Invalid& e) {
                line("REFUSED ref=" + ref_of(p.ref) + " reason=" + troupe::quoted(e.reason.in()));
            } catch (const CORBA::SystemException& e) {
                if (retry_.again(e)) continue;
                throw;
            }
            return;
        }
    }

    int leave(const std::string& why) {
        try {
            member_->leave();
        } catch (const CORBA::Exception& e) {
            std::cerr << PROG << ": leaving failed: " << describe(e) << std::endl;
        }
        line("END reason=" + troupe::quoted(why.c_str()));
        return 0;
    }

    const Options& o_;
    Troupe::Hosted::HostedMember_var member_;
    troupe::CallRetry retry_{PROG};
    troupe::RepeatFilter repeats_;
    std::deque<Pending> pending_;
    StdinLines stdin_;
};

int run(const Options& o) {
    troupe::use_admin_secret(o.admin_secret_file);
    const std::string key = troupe::join_key(o.join_key_file);
    troupe::OrbHolder orb(PROG, o.listen, o.orb_args);
    const std::string url = factory_url(o.server);
    Troupe::Hosted::HostedMember_var member;
    try {
        CORBA::Object_var obj = orb.get()->string_to_object(url.c_str());
        Troupe::Hosted::HostedMembers_var byUrl = Troupe::Hosted::HostedMembers::_narrow(obj);
        if (CORBA::is_nil(byUrl)) throw Failure("no hosted-members factory at " + url);
        // a corbaloc reference has no code set component: omniORB would send our (UTF-8) name
        // as ISO-8859-1 and fail on "你好"; the factory's IOR has one, so strings go as UTF-8
        Troupe::Hosted::HostedMembers_var factory = byUrl->reference();
        member = troupe::host_member(factory, o.group, o.role, o.name, Troupe::Hosted::MemberCallback::_nil(), key);
    } catch (const CORBA::NO_PERMISSION&) {
        throw Failure("the server requires the admin credential: give --admin-secret-file or set "
                      "TROUPE_ADMIN_SECRET_FILE");
    } catch (const Troupe::Groups::UnknownGroup& e) {
        throw Failure("unknown group '" + std::string(e.group.in()) + "'");
    } catch (const Troupe::Hosted::JoinRefused& e) {
        throw Failure(e.reason.in());
    } catch (const CORBA::SystemException& e) {
        throw Failure("cannot reach the server at " + url + ": " + describe(e));
    }
    Student s(o, member);
    try {
        return s.run();
    } catch (const CORBA::SystemException& e) {
        throw Failure("the server stopped answering: " + describe(e));
    }
}

}  // namespace

int main(int argc, char** argv) {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    try {
        return run(parse(argc, argv));
    } catch (const UsageError& e) {
        std::cerr << PROG << ": " << e.what() << "\n" << USAGE;
        return EXIT_USAGE;
    } catch (const Failure& e) {
        std::cerr << PROG << ": " << e.what() << std::endl;
        return EXIT_RUNTIME;
    } catch (const CORBA::Exception& e) {
        std::cerr << PROG << ": " << describe(e) << std::endl;
        return EXIT_RUNTIME;
    }
}
