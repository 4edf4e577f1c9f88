// troupe-player: a card-game (Whist) player in C++ with no Troupe library, only the IDL. It
// joins a table (a group of the bundled card-game protocol) as "Player N" through the server's
// hosted members (idl/TroupeHosted.idl, pull mode), keeps the game from the Plays it delivers
// (whist.hpp: the same rules as the Java GameState), and plays automatically the card the Java
// `troupe play --auto` player chooses: the lowest legal one. Java and C++ players sit at the same
// table and print the same lines.
//
//   troupe-player --server 127.0.0.1:2809 --group table-1 --seat 2 [--name bob] [--delay MS]
//                 [--hands N] [--seed S]          (used only if this player opens the game)
//   troupe-player --print-deal SEED HAND          (the deal, without a server: for tests)
//
// Output, one line per event, in the words of the Java player (TerminalUi):
//   joined table-1 as Player 2 (bob), member 3; playing automatically
//   all four seats are taken: the game starts     (or: waiting for seat 3, 4)
//   game opened by Player 1 (ann): hands=1 seed=42
//   hand 1 of 1: trump S; your cards: 2C 7C ...
//   play 1.1 Player 1 (ann): 2C
//   trick 1.1 won by Player 4 with KC [2C 5C 9C KC led by Player 1]; tricks 1&3 0, 2&4 1
//   hand 1 over: tricks 1&3 4, 2&4 9; points 1&3 0, 2&4 3; score 1&3 0, 2&4 3
//   game over: score 1&3 0, 2&4 3; tricks 1&3 4, 2&4 9; Players 2&4 win
//   refused: <reason>                             (the group refused a Play: out of turn)
//   END reason="game over"|"eof"|"SIGTERM"|"SIGINT"|<why the server removed it>
// Exit: 0 at the end of the game, or after leaving on end of input / SIGTERM / SIGINT; 1 when
// removed by the server or on an error (one line on stderr); 2 for a bad command line.
//
// In a cluster its HostedMember reference names every server: when its server dies, every call
// that failed because the server went away is made again, on the same reference, for up to 30 s
// (failover.hpp: CallRetry); another server takes the member over and the game goes on. What the
// new server gives again of what the dead one had handed out is dropped (RepeatFilter), so the
// game never sees a Play twice. A Play whose send failed with the server may or may not have
// reached the table: it is not sent again until the player knows it was lost (see PlayInDoubt).
// A Play whose send returns a message id this seat had used already was taken by the group for a
// repeat (the new server's copy of the group was behind) and dropped: it is sent again at once.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "TroupeHosted.hh"
#include "failover.hpp"
#include "orb_holder.hpp"
#include "whist.hpp"

namespace {

using troupe::describe;
using troupe::Failure;
using troupe::UsageError;
using troupe::factory_url;

constexpr const char* PROG = "troupe-player";
constexpr int EXIT_RUNTIME = 1;
constexpr int EXIT_USAGE = 2;
constexpr const char* PLAY = "Play";
/** A seat other than 1 whose turn it is opens a new game only after the turn stayed with it this long (Player.OPEN_AFTER_MS). */
constexpr auto OPEN_AFTER = std::chrono::milliseconds(1500);
constexpr CORBA::ULong RECEIVE_MS = 100;
/**
 * How long a Play in doubt (its send failed with the server) waits, once calls succeed again, for
 * its own delivery before it is taken as lost and played again: a member taken over by another
 * server is given again, at once, everything the group ordered after its client's last recorded
 * position, so a Play that reached the table comes back within milliseconds.
 */
constexpr auto DOUBT_SETTLE = std::chrono::seconds(2);
/**
 * How many times a Play is sent again when the group takes it for a repeat (its message id is not
 * above the last this seat had: see Player::send); the id goes up by one each time.
 */
constexpr int MAX_REUSED_IDS = 100;
/** For this long after a fail-over, a refused Play is taken as one in doubt rather than as out of turn. */
constexpr auto AFTER_FAILOVER = std::chrono::seconds(30);

const char* const USAGE =
    "usage: troupe-player --server HOST:PORT --group TABLE --seat 1-4 [--name NAME] [--delay MS]\n"
    "                     [--hands N] [--seed S] [--no-stdin] [--listen HOST] [-ORBoption value ...]\n"
    "       troupe-player --print-deal SEED HAND\n"
    "  --server URL      the Troupe server: HOST:PORT, corbaloc:iiop:HOST:PORT, or the\n"
    "                    hosted-members factory's corbaloc/IOR\n"
    "  --seat N          joins as role 'Player N'; --name defaults to player-N\n"
    "  --delay MS        wait this long before each card (default 0)\n"
    "  --hands N --seed S  the game's settings if this player opens it (default 1 hand, a random seed)\n"
    "  --no-stdin        do not leave at end of input (for running in the background)\n"
    "  --join-key-file FILE  the table's join key (default $TROUPE_JOIN_KEY_FILE, $TROUPE_JOIN_KEY)\n"
    "  --admin-secret-file FILE  the server's admin secret, if it has one (default\n"
    "                    $TROUPE_ADMIN_SECRET_FILE, $TROUPE_ADMIN_SECRET)\n"
    "  --print-deal SEED HAND  prints the shuffled deck, the four hands and the trump, and exits\n"
    "It plays the lowest legal card automatically (as troupe play --auto). End of input, SIGTERM\n"
    "or SIGINT: leaves the table (exit 0); exit 0 at the end of the game.\n";

struct Options {
    std::string server, group, name, listen = "127.0.0.1";
    std::string join_key_file, admin_secret_file;
    int seat = 0;
    long delay_ms = 0;
    int hands = 1;
    std::optional<std::int64_t> seed;
    bool no_stdin = false;
    std::optional<std::pair<std::int64_t, int>> print_deal;
    std::vector<std::string> orb_args;
};

long long number(const std::string& what, const std::string& s, long long lo, long long hi) {
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || errno == ERANGE || v < lo || v > hi) {
        throw UsageError(what + " must be a number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                         ", got '" + s + "'");
    }
    return v;
}

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
        else if (a == "--join-key-file") o.join_key_file = value(i);
        else if (a == "--admin-secret-file") o.admin_secret_file = value(i);
        else if (a == "--name") o.name = value(i);
        else if (a == "--seat") {
            const std::string s = value(i);
            errno = 0;
            char* end = nullptr;
            const long v = std::strtol(s.c_str(), &end, 10);
            if (s.empty() || *end != '\0' || v < 1 || v > 4) {
                throw Failure("unknown seat " + s + ": a card table has seats 1 to 4");
            }
            o.seat = static_cast<int>(v);
        } else if (a == "--delay") o.delay_ms = static_cast<long>(number("--delay", value(i), 0, 600000));
        else if (a == "--hands") o.hands = static_cast<int>(number("--hands", value(i), 1, 100));
        else if (a == "--seed") o.seed = number("--seed", value(i), LLONG_MIN, LLONG_MAX);
        else if (a == "--no-stdin") o.no_stdin = true;
        else if (a == "--listen") o.listen = value(i);
        else if (a == "--print-deal") {
            const std::int64_t seed = number("SEED", value(i), LLONG_MIN, LLONG_MAX);
            const int hand = static_cast<int>(number("HAND", value(i), 1, 100));
            o.print_deal = std::make_pair(seed, hand);
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
    if (o.print_deal) return o;
    if (o.server.empty() || o.group.empty() || o.seat == 0) throw UsageError("--server, --group and --seat are needed");
    if (o.name.empty()) o.name = "player-" + std::to_string(o.seat);
    return o;
}

/** --print-deal: the deck, one line per seat, the trump (compared with Deck.shuffled/deal/trump by CppCardGameTest). */
int print_deal(std::int64_t seed, int hand) {
    std::cout << "DECK " << whist::cards_str(whist::shuffled(seed, hand)) << '\n';
    const auto hands = whist::deal(seed, hand);
    for (int s = 0; s < 4; ++s) std::cout << "SEAT " << (s + 1) << ' ' << whist::cards_str(hands[static_cast<std::size_t>(s)]) << '\n';
    std::cout << "TRUMP " << whist::letter(whist::trump(seed, hand)) << std::endl;
    return 0;
}

// --- CORBA plumbing (as in troupe_student.cpp) ---

void say(const std::string& s) { std::cout << s << '\n' << std::flush; }

std::string quoted(const std::string& s) {
    std::string q = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') q += '\\';
        q += (c == '\n' || c == '\r') ? ' ' : c;
    }
    return q + "\"";
}

Troupe::Groups::Bytes bytes_of(const std::string& s) {
    Troupe::Groups::Bytes b;
    b.length(static_cast<CORBA::ULong>(s.size()));
    if (!s.empty()) std::memcpy(b.get_buffer(), s.data(), s.size());
    return b;
}

std::string text_of(const Troupe::Groups::Bytes& b) {
    return std::string(reinterpret_cast<const char*>(b.get_buffer()), b.length());
}

/** Watches standard input on its own thread for its end (lines are ignored: the player is automatic). */
class StdinEnd {
public:
    explicit StdinEnd(bool watch) {
        if (!watch) return;
        std::thread([this] {
            std::string l;
            while (std::getline(std::cin, l)) {
            }
            eof_ = true;
        }).detach();  // blocked in read until input ends; the process exit ends it
    }
    bool eof() const { return eof_; }

private:
    std::atomic<bool> eof_{false};
};

volatile sig_atomic_t g_signal = 0;
extern "C" void on_signal(int sig) { g_signal = sig; }

using Clock = std::chrono::steady_clock;

/**
 * A Play sent when its server died: the send failed (COMM_FAILURE, TRANSIENT, TIMEOUT) or, just
 * after a fail-over, was refused (the stack that took the member over had not yet delivered the
 * earlier turns). It may have reached the table or not, and the hosted API gives a resent Play a
 * message id of the new server's choosing (the next one its copy of the group expects): sent
 * again while the first one is in the group's order, it would be a second Play. So it is not sent
 * again until the player knows: the game moved on (the Play, or any other, was delivered: the
 * doubt is over), or calls have succeeded again for DOUBT_SETTLE and it was not delivered (lost:
 * the seat plays again).
 */
class PlayInDoubt {
public:
    /** The Play sent when the game had PLAYS Plays is in doubt, from now. */
    void begin(std::size_t plays) {
        plays_ = plays;
        since_ = Clock::now();
    }

    bool active() const { return plays_.has_value(); }

    /**
     * Ends the doubt once it is settled: true if the Play was lost (the seat should play again),
     * false otherwise (no doubt, the game moved on, or not settled yet: it goes on).
     */
    bool lost(std::size_t plays_now, const troupe::CallRetry& retry) {
        if (!plays_) return false;
        if (plays_now != *plays_) {
            plays_.reset();
            return false;
        }
        if (retry.failing()) return false;
        const auto from = std::max(since_, retry.recovered_at());
        if (Clock::now() - from < DOUBT_SETTLE) return false;
        plays_.reset();
        return true;
    }

private:
    std::optional<std::size_t> plays_;
    Clock::time_point since_;
};

/** One seat at the table: the game from the delivered Plays, and this seat's turns (Java: Player). */
class Player {
public:
    Player(const Options& o, Troupe::Hosted::HostedMember_ptr m)
        : o_(o), role_(whist::role_of(o.seat)), member_(Troupe::Hosted::HostedMember::_duplicate(m)), stdin_(!o.no_stdin) {}

    int run() {
        Troupe::Groups::MemberInfo_var me = retry_([&] { return member_->me(); });
        me_ = me->id;
        say("joined " + o_.group + " as " + role_ + " (" + o_.name + "), member " + std::to_string(me->id) +
            "; playing automatically");
        const Troupe::Hosted::TurnInfo_var t = retry_([&] { return member_->turn(PLAY); });
        if (!t->known) throw Failure("group " + o_.group + " is not a card table (it has no turns of Play)");
        if (t->step != 0 || t->round != 0) {
            // hosted members get no state transfer: a game already under way cannot be rebuilt here
            say("note: Plays were made at this table before this player joined; hosted members get no state "
                "transfer, so it can only play a game that opens after it joined");
        }
        while (true) {
            if (g_signal != 0) return leave(g_signal == SIGINT ? "SIGINT" : "SIGTERM", 0);
            if (stdin_.eof()) {
                say("input ended: leaving the game");
                return leave("eof", 0);
            }
            Troupe::Hosted::DeliveryList_var ds;
            try {
                ds = member_->receive(100, due_ ? wait_ms() : RECEIVE_MS);
                retry_.succeeded();
            } catch (const Troupe::Hosted::Closed& e) {
                return out(e.reason.in());
            } catch (const CORBA::SystemException& e) {
                if (retry_.again(e)) continue;  // signals and end of input are looked at between the calls
                throw;
            }
            for (CORBA::ULong i = 0; i < ds->length(); ++i) {
                if (repeats_.given_before(ds[i])) continue;
                if (!handle(ds[i])) return out(closed_reason_);
            }
            if (doubt_.lost(game_.plays(), retry_)) {
                say("note: this seat's Play was lost with its server: playing again");
                sent_at_ = SIZE_MAX;
            }
            if (game_.over()) {
                say("game over: " + game_.summary());
                return leave("game over", 0);
            }
            if (!view_ || !empty_seats().empty() || game_.plays() == sent_at_ || doubt_.active() || !my_turn()) {
                due_.reset();
                continue;
            }
            if (!due_) due_ = Clock::now() + std::chrono::milliseconds(o_.delay_ms);
            if (Clock::now() < *due_) continue;
            due_.reset();
            sent_at_ = game_.plays();
            send(payload());
        }
    }

private:
    CORBA::ULong wait_ms() const {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*due_ - Clock::now()).count();
        return static_cast<CORBA::ULong>(std::max<long long>(1, std::min<long long>(RECEIVE_MS, left)));
    }

    /** The next Play of this seat: a pass where one is due, else the lowest legal card (and the settings if it opens). */
    std::string payload() {
        if (!game_.opened()) {
            const whist::Settings s{o_.hands, o_.seed ? *o_.seed : random_seed()};
            const auto hand = whist::deal(s.seed, 1)[static_cast<std::size_t>(o_.seat - 1)];
            return whist::lowest_legal(hand, whist::Trick{o_.seat, {}}).str() + " " + s.str();
        }
        if (game_.must_pass()) return "pass";
        return whist::lowest_legal(game_.hand_of(o_.seat), game_.trick()).str();
    }

    static std::int64_t random_seed() {
        std::random_device rd;
        return std::uniform_int_distribution<std::int64_t>(1, 999999)(rd);
    }

    void send(const std::string& payload) {
        Troupe::Groups::Address to;
        to.kind = Troupe::Groups::TO_GROUP;
        to.role = CORBA::string_dup("");
        to.member = 0;
        try {
            for (int attempt = 1;; ++attempt) {
                const CORBA::ULongLong id = member_->send(PLAY, bytes_of(payload), to);
                retry_.succeeded();
                const CORBA::ULongLong before = std::max(last_sent_, repeats_.last_from(me_));
                if (id <= before && attempt < MAX_REUSED_IDS) {
                    // the server that took the member over gave its stack the next message id of a
                    // copy of the group that had not yet applied this seat's last Play: the group
                    // skipped this one as a repeat of that Play. Sent again, it gets the next id.
                    std::cerr << PROG << ": the Play '" << payload << "' got message id " << id << ", which this "
                              << "seat had used already: the group took it for a repeat; sending it again" << std::endl;
                    continue;
                }
                // a resent Play gets the id the group expects next: one above the last this seat had
                // taken, unless its first copy was in the group's order already (then it played twice)
                if (id > before + 1) {
                    say("warning: this seat's message id jumped from " + std::to_string(before) + " to " +
                        std::to_string(id) + ": a Play sent when its server died may have reached the table too");
                }
                last_sent_ = std::max(last_sent_, id);
                return;
            }
        } catch (const Troupe::Hosted::Refused& e) {
            if (after_failover()) {
                // the new server's stack may not have delivered the earlier turns yet
                std::cerr << PROG << ": refused just after the fail-over (" << e.reason.in() << "): playing again "
                          << "if the game does not move on" << std::endl;
                doubt_.begin(game_.plays());
            } else {
                say("refused: " + std::string(e.reason.in()));  // out of turn: nothing was sent, wait for the next Play
            }
        } catch (const CORBA::SystemException& e) {
            // the server went away with the call: the Play may have reached the table or not
            if (!retry_.again(e)) throw;
            std::cerr << PROG << ": the Play '" << payload << "' was sent as the server went away: it is played "
                      << "again only if it does not come back" << std::endl;
            doubt_.begin(game_.plays());
        } catch (const Troupe::Hosted::Invalid& e) {
            throw Failure("the table does not take a Play: " + std::string(e.reason.in()));
        } catch (const Troupe::Hosted::Closed& e) {
            closed_reason_ = e.reason.in();  // the next receive says it
        }
    }

    /**
     * Whose turn: the game's rotation once it is opened. Before, Player 1 opens when the group's
     * turn is at Player 1, and another seat whose turn it is only once the turn stayed with it
     * for 1.5 s (a table whose last game was abandoned mid-round), as the Java Player does: the
     * group's turn is counted on the server, ahead of the Plays this client has received.
     */
    bool my_turn() {
        if (game_.opened()) return game_.next_seat() == o_.seat;
        const Troupe::Hosted::TurnInfo_var t = retry_([&] { return member_->turn(PLAY); });
        const bool group_says = !t->known || role_ == t->role.in();
        if (!group_says) {
            open_candidate_.reset();
            return false;
        }
        if (o_.seat == 1) return true;
        if (!open_candidate_) open_candidate_ = Clock::now();
        return Clock::now() - *open_candidate_ > OPEN_AFTER;
    }

    /** One delivery; false once the member is out. */
    bool handle(const Troupe::Hosted::Delivery& d) {
        switch (d._d()) {
            case Troupe::Hosted::VIEW_DELIVERY:
                on_view(d.view());
                return true;
            case Troupe::Hosted::MESSAGE_DELIVERY:
                on_message(d.message());
                return true;
            case Troupe::Hosted::CLOSED_DELIVERY:
                closed_reason_ = d.reason();
                return false;
            default:
                return true;
        }
    }

    /** "3" or "2, 4": the seats nobody holds in the current view. */
    std::string empty_seats() const {
        std::string empty;
        for (int s = 1; s <= 4; ++s) {
            if (names_.count(s) == 0) empty += (empty.empty() ? "" : ", ") + std::to_string(s);
        }
        return empty;
    }

    std::optional<std::string> name_of(int seat) const {
        const auto it = names_.find(seat);
        return it == names_.end() ? std::nullopt : std::optional<std::string>(it->second);
    }

    void on_view(const Troupe::Hosted::ViewChange& v) {
        const bool first = !view_;
        view_ = true;
        names_.clear();
        for (CORBA::ULong i = 0; i < v.view.members.length(); ++i) {
            const int seat = whist::seat_of_role(v.view.members[i].role.in());
            if (seat > 0) names_[seat] = v.view.members[i].name.in();
        }
        const bool playing = game_.opened() && !game_.over();
        for (CORBA::ULong i = 0; i < v.crashed.length(); ++i) gone(v.crashed[i], "crashed", playing);
        for (CORBA::ULong i = 0; i < v.left.length(); ++i) gone(v.left[i], "left", playing);
        const std::string empty = empty_seats();
        for (CORBA::ULong i = 0; i < v.joined.length(); ++i) {
            const int seat = whist::seat_of_role(v.joined[i].role.in());
            if (seat > 0 && seat != o_.seat && !game_.over()) {
                say(std::string(v.joined[i].role.in()) + " (" + v.joined[i].name.in() + ") took seat " +
                    std::to_string(seat) +
                    (empty.empty() ? (playing ? ": the game goes on" : "") : "; waiting for seat " + empty));
            }
        }
        if (empty.empty()) {
            if (!announced_start_ && !game_.opened()) {
                announced_start_ = true;
                say("all four seats are taken: the game starts");
            }
        } else if (first) {
            say("waiting for seat " + empty);
        }
    }

    void gone(const Troupe::Groups::MemberInfo& m, const char* how, bool playing) {
        const int seat = whist::seat_of_role(m.role.in());
        if (seat == 0 || seat == o_.seat) return;
        if (playing) {
            say(std::string(m.role.in()) + " (" + m.name.in() + ") " + how + ": the game is paused until seat " +
                std::to_string(seat) + " is taken again");
        } else if (!game_.over()) {
            say(std::string(m.role.in()) + " (" + m.name.in() + ") " + how + "; waiting for seat " + std::to_string(seat));
        }
    }

    void on_message(const Troupe::Hosted::Received& r) {
        if (std::string(r.message_type.in()) != PLAY) return;
        const int seat = whist::seat_of_role(r.sender.role.in());
        if (seat == 0) return;  // not in a seat: ignored, as the Java player does
        const bool opening = !game_.opened();
        whist::Outcome o;
        try {
            o = game_.apply(whist::Play::decode(seat, text_of(r.payload)));
        } catch (const whist::PlayRefused& e) {
            say("ignored a Play from " + std::string(r.sender.role.in()) + ": " + e.what());
            return;
        }
        const std::string sender = r.sender.name.in();
        if (opening) {
            say("game opened by " + std::string(r.sender.role.in()) + " (" + sender + "): " + game_.settings()->str());
            dealt();
        }
        for (const std::string& l : whist::describe(o, [&](int s) { return s == seat ? std::optional<std::string>(sender) : name_of(s); })) {
            say(l);
        }
        if (o.hand_done && !o.game_over) dealt();
    }

    void dealt() {
        say("hand " + std::to_string(game_.hand()) + " of " + std::to_string(game_.settings()->hands) + ": trump " +
            whist::letter(*game_.trump()) + "; your cards: " + whist::cards_str(game_.hand_of(o_.seat)));
    }

    /** True within AFTER_FAILOVER of calls succeeding again after the server went away. */
    bool after_failover() const {
        return retry_.recoveries() > 0 && Clock::now() - retry_.recovered_at() < AFTER_FAILOVER;
    }

    int leave(const std::string& why, int code) {
        try {
            retry_([&] { member_->leave(); });
        } catch (const CORBA::Exception& e) {
            std::cerr << PROG << ": leaving failed: " << describe(e) << std::endl;
        }
        say("END reason=" + quoted(why));
        return code;
    }

    int out(const std::string& reason) {
        say("out of the game: " + reason);
        say("END reason=" + quoted(reason));
        return EXIT_RUNTIME;
    }

    const Options& o_;
    const std::string role_;
    Troupe::Hosted::HostedMember_var member_;
    StdinEnd stdin_;
    whist::Game game_;
    bool view_ = false;
    std::map<int, std::string> names_;
    bool announced_start_ = false;
    std::optional<Clock::time_point> open_candidate_;
    std::optional<Clock::time_point> due_;
    std::string closed_reason_;
    CORBA::ULongLong me_ = 0;
    troupe::CallRetry retry_{PROG};
    troupe::RepeatFilter repeats_;
    PlayInDoubt doubt_;
    std::size_t sent_at_ = SIZE_MAX;  // the number of Plays when this player last sent one
    CORBA::ULongLong last_sent_ = 0;  // the highest message id a send of this seat returned
};

int run(const Options& o) {
    troupe::use_admin_secret(o.admin_secret_file);
    const std::string key = troupe::join_key(o.join_key_file);
    troupe::OrbHolder orb(PROG, o.listen, o.orb_args);
    const std::string url = factory_url(o.server);
    const std::string role = whist::role_of(o.seat);
    Troupe::Hosted::HostedMember_var member;
    try {
        CORBA::Object_var obj = orb.get()->string_to_object(url.c_str());
        Troupe::Hosted::HostedMembers_var byUrl = Troupe::Hosted::HostedMembers::_narrow(obj);
        if (CORBA::is_nil(byUrl)) throw Failure("no hosted-members factory at " + url);
        // the corbaloc reference has no code set component: use the factory's full IOR
        Troupe::Hosted::HostedMembers_var factory = byUrl->reference();
        member = troupe::host_member(factory, o.group, role, o.name, Troupe::Hosted::MemberCallback::_nil(), key);
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
    Player p(o, member);
    try {
        return p.run();
    } catch (const Troupe::Hosted::Closed& e) {
        throw Failure("out of the game: " + std::string(e.reason.in()));
    } catch (const CORBA::SystemException& e) {
        throw Failure("the server stopped answering: " + describe(e));
    } catch (const Failure&) {
        try {
            member->leave();
        } catch (const CORBA::Exception&) {
        }
        throw;
    }
}

}  // namespace

int main(int argc, char** argv) {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);
    try {
        const Options o = parse(argc, argv);
        if (o.print_deal) return print_deal(o.print_deal->first, o.print_deal->second);
        return run(o);
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
