// troupe-watch: watches a Troupe group's event channel as a plain CosEventComm push consumer and
// prints one line per event (see README.md for the format).
//
//   troupe-watch --server 127.0.0.1:2809 --group math-101 --role Student [--name NAME]
//   troupe-watch --channel IOR:...|corbaloc:...
//
// A group's channel is private to its members (only a join ticket reveals it), so with --server
// the watcher joins the group through the plain IDL (GroupManager::join), keeps its membership
// alive with heartbeats and leaves when it stops. With --channel it only connects a consumer to
// a channel reference that a member handed over.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "CosEventChannelAdmin.hh"
#include "TroupeGroups.hh"
#include "event_format.hpp"
#include "orb_holder.hpp"

namespace {

using troupe::describe;
using troupe::Failure;
using troupe::UsageError;

constexpr const char* PROG = "troupe-watch";
constexpr int EXIT_RUNTIME = 1;
constexpr int EXIT_USAGE = 2;

const char* const USAGE =
    "usage: troupe-watch (--server URL --group NAME --role ROLE [--name NAME] | --channel REF)\n"
    "                    [--for SECONDS] [--listen HOST] [--print-channel] [-ORBoption value ...]\n"
    "  --server URL     the Troupe server: HOST:PORT, corbaloc:iiop:HOST:PORT, or the Groups\n"
    "                   Administrator's corbaloc/IOR; the watcher joins GROUP as a member in ROLE\n"
    "  --channel REF    a group's event channel (IOR:... or corbaloc:...), handed over by a member\n"
    "  --for SECONDS    stop after SECONDS (default: run until SIGINT/SIGTERM or the channel goes)\n"
    "  --listen HOST    the address the watcher's consumer listens on (default 127.0.0.1)\n"
    "  --print-channel  print the group's channel reference (CHANNEL ior=...) after joining\n"
    "  --join-key-file FILE  the group's join key (default $TROUPE_JOIN_KEY_FILE, $TROUPE_JOIN_KEY)\n";

struct Options {
    std::string server, group, role, name, channel, join_key_file;
    std::optional<double> for_seconds;
    std::string listen = "127.0.0.1";
    bool print_channel = false;
    std::vector<std::string> orb_args;  // -ORBxxx value, passed to ORB_init
};

Options parse(int argc, char** argv) {
    Options o;
    auto value = [&](int& i) -> std::string {
        if (i + 1 >= argc) {
            throw UsageError(std::string(argv[i]) + " needs a value");
        }
        return argv[++i];
    };
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--server") o.server = value(i);
        else if (a == "--group") o.group = value(i);
        else if (a == "--join-key-file") o.join_key_file = value(i);
        else if (a == "--role") o.role = value(i);
        else if (a == "--name") o.name = value(i);
        else if (a == "--channel") o.channel = value(i);
        else if (a == "--listen") o.listen = value(i);
        else if (a == "--print-channel") o.print_channel = true;
        else if (a == "--for") {
            const std::string v = value(i);
            char* end = nullptr;
            const double s = std::strtod(v.c_str(), &end);
            if (v.empty() || *end != '\0' || !(s > 0) || s > 1e7) {
                throw UsageError("--for needs a positive number of seconds, not '" + v + "'");
            }
            o.for_seconds = s;
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
    if (o.server.empty() == o.channel.empty()) {
        throw UsageError("give either --server URL --group NAME --role ROLE, or --channel REF");
    }
    if (!o.server.empty() && o.group.empty()) {
        throw UsageError("--server needs --group NAME");
    }
    if (!o.channel.empty() && (!o.group.empty() || !o.role.empty() || !o.name.empty())) {
        throw UsageError("--group, --role and --name go with --server, not --channel");
    }
    return o;
}

/** The Groups Administrator's URL for what the user typed (as Java's Troupe.connect). */
std::string admin_url(std::string w) {
    if (w.rfind("IOR:", 0) == 0 || w.rfind("corbaname:", 0) == 0) {
        return w;
    }
    if (w.rfind("corbaloc:", 0) == 0) {
        const auto slash = w.find('/');
        if (slash != std::string::npos && slash + 1 < w.size()) {
            return w;  // has an object key
        }
        if (!w.empty() && w.back() == '/') w.pop_back();
        return w + "/TroupeGroups";
    }
    if (w.find(':') == std::string::npos) {
        w += ":2809";
    }
    return "corbaloc:iiop:" + w + "/TroupeGroups";
}

/** "TRANSIENT (TRANSIENT_ConnectFailed)" for a system exception, the repository id otherwise. */
/** Why the watcher stops; the first reason wins. */
class StopSignal {
public:
    void stop(const std::string& reason) {
        std::lock_guard<std::mutex> g(mu_);
        if (reason_.empty()) {
            reason_ = reason;
            cv_.notify_all();
        }
    }
    /** Waits until stopped or until the deadline (then stops with "timeout"); returns the reason. */
    std::string wait(std::optional<std::chrono::steady_clock::time_point> deadline) {
        std::unique_lock<std::mutex> g(mu_);
        auto stopped = [this] { return !reason_.empty(); };
        if (deadline) {
            if (!cv_.wait_until(g, *deadline, stopped)) reason_ = "timeout";
        } else {
            cv_.wait(g, stopped);
        }
        return reason_;
    }
    /** Waits up to D; true if stopped. */
    bool wait_for(std::chrono::milliseconds d) {
        std::unique_lock<std::mutex> g(mu_);
        return cv_.wait_for(g, d, [this] { return !reason_.empty(); });
    }
    bool stopped() {
        std::lock_guard<std::mutex> g(mu_);
        return !reason_.empty();
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::string reason_;
};

/** Every output line goes through here: whole lines, flushed at once (stdout is often a pipe). */
class Printer {
public:
    void line(const std::string& s) {
        std::lock_guard<std::mutex> g(mu_);
        std::cout << s << '\n' << std::flush;
    }

private:
    std::mutex mu_;
};

/** The push consumer: prints each event; the channel's disconnect stops the watcher. */
class Consumer : public POA_CosEventComm::PushConsumer {
public:
    Consumer(Printer& out, StopSignal& stop) : out_(out), stop_(stop) {}

    void push(const CORBA::Any& data) override {
        if (stop_.stopped()) {
            return;
        }
        for (const std::string& l : troupe::event_lines(data)) {
            out_.line(l);
        }
    }

    void disconnect_push_consumer() override {
        disconnected_ = true;
        stop_.stop("disconnected");
    }

    bool disconnected() const { return disconnected_; }

private:
    Printer& out_;
    StopSignal& stop_;
    std::atomic<bool> disconnected_{false};
};

/** SIGINT/SIGTERM, blocked in every thread and taken by one thread with sigtimedwait. */
class SignalWatcher {
public:
    static void block() {
        sigset_t set = signals();
        pthread_sigmask(SIG_BLOCK, &set, nullptr);
    }
    explicit SignalWatcher(StopSignal& stop)
        : thread_([&stop] {
              const sigset_t set = signals();
              const timespec tick{0, 200 * 1000 * 1000};
              while (!stop.stopped()) {
                  const int sig = sigtimedwait(&set, nullptr, &tick);
                  if (sig == SIGINT || sig == SIGTERM) {
                      stop.stop(sig == SIGINT ? "SIGINT" : "SIGTERM");
                  }
              }
          }) {}
    ~SignalWatcher() { thread_.join(); }

private:
    static sigset_t signals() {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        return set;
    }
    std::thread thread_;
};

std::string random_hex(int octets) {
    std::random_device rd;
    std::ostringstream o;
    for (int i = 0; i < octets; ++i) {
        o << std::hex << ((rd() >> 4) & 0xF) << (rd() & 0xF);
    }
    return o.str();
}

/** The membership of a --server watcher: it leaves the group when it goes out of scope. */
struct Membership {
    Troupe::Groups::GroupManager_var manager;
    Troupe::Groups::JoinTicket_var ticket;
    std::string name;
    bool joined = false;

    Membership() = default;
    Membership(const Membership&) = delete;
    Membership& operator=(const Membership&) = delete;
    ~Membership() { leave(); }

    /** Leaves once, quietly (removed or destroyed meanwhile: nothing to leave). */
    void leave() {
        if (!joined) return;
        joined = false;
        try {
            manager->leave(ticket->member, ticket->token);
        } catch (const CORBA::Exception&) {
        }
    }
};

/** Joins the group; fills M. */
void join(CORBA::ORB_ptr orb, const Options& o, Membership& m) {
    const std::string url = admin_url(o.server);
    Troupe::Groups::GroupsAdministrator_var admin;
    Troupe::Groups::GroupDescriptor_var d;
    CORBA::Object_var obj;
    try {
        obj = orb->string_to_object(url.c_str());
    } catch (const CORBA::SystemException& e) {  // BAD_PARAM, MARSHAL: not a URL or reference
        throw Failure("bad server URL '" + o.server + "': " + describe(e));
    }
    try {
        admin = Troupe::Groups::GroupsAdministrator::_narrow(obj);
        if (CORBA::is_nil(admin)) {
            throw Failure("'" + url + "' is not a Troupe Groups Administrator");
        }
        m.manager = admin->find_group(o.group.c_str());
        d = m.manager->descriptor();
    } catch (const Troupe::Groups::UnknownGroup&) {
        throw Failure("unknown group '" + o.group + "' at " + url);
    } catch (const CORBA::OBJECT_NOT_EXIST& e) {
        throw Failure("no Troupe Groups Administrator at " + url + ": " + describe(e));
    } catch (const CORBA::SystemException& e) {
        throw Failure("cannot reach the server at " + url + ": " + describe(e));
    }
    std::string roles;
    for (CORBA::ULong i = 0; i < d->roles.length(); ++i) {
        roles += (i ? ", " : "") + std::string(d->roles[i].name.in());
    }
    if (o.role.empty()) {
        throw UsageError("--role is required with --server: the watcher joins group " + o.group +
                         " as a member (roles: " + roles + ")");
    }
    m.name = o.name.empty() ? "watcher-" + std::to_string(getpid()) : o.name;
    const std::string& name = m.name;
    const std::string request = "troupe-watch-" + random_hex(16);
    try {
        // nil consumer: the watcher connects its own consumer through its ticket's channel,
        // which sends it what its role may read (its audience), as to any member; it sends
        // nothing, and keeps no copies (keeps_own FALSE)
        const std::string key = troupe::join_key(o.join_key_file);
        m.ticket = key.empty() ? m.manager->join(request.c_str(), name.c_str(), o.role.c_str(),
                                                 CosEventComm::PushConsumer::_nil(), false, false)
                               : m.manager->join_with_key(key.c_str(), request.c_str(), name.c_str(), o.role.c_str(),
                                                          CosEventComm::PushConsumer::_nil(), false, false);
        m.joined = true;
    } catch (const Troupe::Groups::UnknownRole&) {
        throw Failure("group " + o.group + " has no role '" + o.role + "' (roles: " + roles + ")");
    } catch (const Troupe::Groups::RoleFull& e) {
        throw Failure("role " + o.role + " of group " + o.group + " is full (max " + std::to_string(e.max) + ")");
    } catch (const Troupe::Groups::AlreadyMember& e) {
        throw Failure("'" + name + "' is already a member of group " + o.group + " (member " +
                      std::to_string(e.member) + "); choose another --name");
    } catch (const Troupe::Groups::JoinKeyRefused&) {
        throw Failure("wrong join key for group " + o.group);
    } catch (const CORBA::NO_PERMISSION&) {
        throw Failure("group " + o.group + " requires a join key: give --join-key-file or set TROUPE_JOIN_KEY_FILE");
    } catch (const CORBA::SystemException& e) {
        throw Failure("cannot join group " + o.group + ": " + describe(e));
    }
}

/** Heartbeats until stopped; stops the watcher when it is no longer a member or the server is gone. */
void heartbeat_loop(Membership& m, StopSignal& stop, Printer& out) {
    const auto period = std::chrono::milliseconds(std::max<CORBA::ULong>(10, m.ticket->heartbeat_ms));
    const auto suspect = std::chrono::milliseconds(m.ticket->suspect_ms);
    auto last_ok = std::chrono::steady_clock::now();
    while (!stop.wait_for(period)) {
        try {
            m.manager->heartbeat(m.ticket->member, m.ticket->token);
            last_ok = std::chrono::steady_clock::now();
        } catch (const Troupe::Groups::NotMember& e) {
            out.line(std::string("REMOVED reason=") + troupe::quoted(e.reason));
            stop.stop("removed");
        } catch (const CORBA::SystemException& e) {
            if (std::chrono::steady_clock::now() - last_ok > suspect) {
                std::cerr << PROG << ": the server has not answered heartbeats for " << m.ticket->suspect_ms
                          << " ms: " << describe(e) << std::endl;
                stop.stop("server-lost");
            }
        }
    }
}

int run(const Options& o) {
    SignalWatcher::block();  // before any ORB thread exists: they all inherit the mask
    troupe::OrbHolder orb(PROG, o.listen, o.orb_args);
    StopSignal stop;
    SignalWatcher signals(stop);
    Printer out;
    int status = 0;
    try {
        CORBA::Object_var poa_obj = orb.get()->resolve_initial_references("RootPOA");
        PortableServer::POA_var poa = PortableServer::POA::_narrow(poa_obj);
        poa->the_POAManager()->activate();

        std::optional<Membership> member;
        CosEventChannelAdmin::EventChannel_var channel;
        if (!o.server.empty()) {
            member.emplace();
            join(orb.get(), o, *member);
            channel = CosEventChannelAdmin::EventChannel::_duplicate(member->ticket->channel.in());
            if (o.print_channel) {
                CORBA::String_var ior = orb.get()->object_to_string(channel);
                out.line(std::string("CHANNEL ior=") + ior.in());
            }
        } else {
            CORBA::Object_var obj;
            try {
                obj = orb.get()->string_to_object(o.channel.c_str());
            } catch (const CORBA::SystemException& e) {  // BAD_PARAM, MARSHAL: not a reference
                throw Failure("bad channel reference '" + o.channel + "': " + describe(e));
            }
            try {
                channel = CosEventChannelAdmin::EventChannel::_narrow(obj);
            } catch (const CORBA::OBJECT_NOT_EXIST& e) {
                throw Failure("no such channel (destroyed, or a wrong reference): " + describe(e));
            } catch (const CORBA::SystemException& e) {
                throw Failure("cannot reach the channel: " + describe(e));
            }
            if (CORBA::is_nil(channel)) {
                throw Failure("the reference is not an event channel");
            }
        }

        // the servant is reference counted: the POA holds it from here
        auto* servant = new Consumer(out, stop);
        PortableServer::ObjectId_var oid = poa->activate_object(servant);
        servant->_remove_ref();
        CORBA::Object_var self_obj = poa->id_to_reference(oid);
        CosEventComm::PushConsumer_var self = CosEventComm::PushConsumer::_narrow(self_obj);

        CosEventChannelAdmin::ProxyPushSupplier_var proxy;
        try {
            CosEventChannelAdmin::ConsumerAdmin_var admin = channel->for_consumers();
            proxy = admin->obtain_push_supplier();
            proxy->connect_push_consumer(self);
        } catch (const CORBA::SystemException& e) {
            throw Failure("cannot connect to the group's channel: " + describe(e));
        }

        if (member) {
            const Troupe::Groups::JoinTicket& t = member->ticket.in();
            std::ostringstream w;
            w << "WATCHING group=" << troupe::quoted(o.group.c_str()) << " member=" << t.member
              << " name=" << troupe::quoted(member->name.c_str())
              << " role=" << troupe::quoted(o.role.c_str()) << " view=" << t.view.view_id
              << " seq=" << t.view_sequence_id;
            out.line(w.str());
        } else {
            out.line("WATCHING channel");
        }

        std::thread heartbeats;
        if (member) {
            heartbeats = std::thread([&] { heartbeat_loop(*member, stop, out); });
        }
        std::optional<std::chrono::steady_clock::time_point> deadline;
        if (o.for_seconds) {
            deadline = std::chrono::steady_clock::now() +
                       std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                           std::chrono::duration<double>(*o.for_seconds));
        }
        const std::string reason = stop.wait(deadline);
        if (heartbeats.joinable()) {
            heartbeats.join();
        }

        if (!servant->disconnected()) {
            try {
                proxy->disconnect_push_supplier();
            } catch (const CORBA::Exception&) {
                // the channel is gone already
            }
        }
        if (member) {
            if (reason == "removed") member->joined = false;
            member->leave();
        }
        out.line("END reason=" + reason);
        if (reason == "server-lost") {
            status = EXIT_RUNTIME;
        }
    } catch (...) {
        stop.stop("error");  // lets the signal thread end
        throw;
    }
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(parse(argc, argv));
    } catch (const UsageError& e) {
        std::cerr << PROG << ": " << e.what() << " (see --help)" << std::endl;
        return EXIT_USAGE;
    } catch (const Failure& e) {
        std::cerr << PROG << ": " << e.what() << std::endl;
        return EXIT_RUNTIME;
    } catch (const CORBA::Exception& e) {
        std::cerr << PROG << ": CORBA exception " << describe(e) << std::endl;
        return EXIT_RUNTIME;
    } catch (const std::exception& e) {
        std::cerr << PROG << ": " << e.what() << std::endl;
        return EXIT_RUNTIME;
    }
}
