// Troupe's Whist in C++: see whist.hpp. Each function names the Java method it mirrors.
#include "whist.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>

namespace whist {

namespace {

constexpr std::uint64_t GOLDEN_GAMMA = 0x9E3779B97F4A7C15ULL;

std::string trim(const std::string& s) {
    // Java's String.trim: strips every char <= ' ' at both ends
    std::size_t b = 0, e = s.size();
    while (b < e && static_cast<unsigned char>(s[b]) <= ' ') ++b;
    while (e > b && static_cast<unsigned char>(s[e - 1]) <= ' ') --e;
    return s.substr(b, e - b);
}

bool java_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\x0B' || c == '\f' || c == '\r';
}

/** payload.trim().split("\\s+") */
std::vector<std::string> words(const std::string& text) {
    const std::string t = trim(text);
    std::vector<std::string> out;
    std::string w;
    for (char c : t) {
        if (java_space(c)) {
            if (!w.empty()) out.push_back(w);
            w.clear();
        } else {
            w += c;
        }
    }
    out.push_back(w);  // Java gives [""] for an empty string
    return out;
}

/** Long.parseLong / Integer.parseInt within [lo, hi]: an optional sign, then decimal digits only. */
std::optional<long long> parse_integer(const std::string& s, long long lo, long long hi) {
    if (s.empty()) return std::nullopt;
    std::size_t i = (s[0] == '+' || s[0] == '-') ? 1 : 0;
    if (i == s.size()) return std::nullopt;
    for (std::size_t j = i; j < s.size(); ++j) {
        if (!std::isdigit(static_cast<unsigned char>(s[j]))) return std::nullopt;
    }
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (errno == ERANGE || v < lo || v > hi) return std::nullopt;
    return v;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::int32_t mix32(std::uint64_t z) {
    z = (z ^ (z >> 33)) * 0x62A9D9ED799705F5ULL;
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3ULL) >> 32));
}

std::string seat_label(int seat, const std::function<std::optional<std::string>(int)>& name_of_seat) {
    const auto name = name_of_seat(seat);
    return "Player " + std::to_string(seat) + (name ? " (" + *name + ")" : "");
}

}  // namespace

char letter(Suit s) {
    static const char letters[] = {'C', 'D', 'H', 'S'};
    return letters[static_cast<int>(s)];
}

std::string Card::str() const {
    std::string r;
    switch (rank) {
        case 11: r = "J"; break;
        case 12: r = "Q"; break;
        case 13: r = "K"; break;
        case 14: r = "A"; break;
        default: r = std::to_string(rank);
    }
    return r + letter(suit);
}

std::optional<Card> Card::parse(const std::string& text) {
    std::string s = trim(text);
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (s.size() < 2 || s.size() > 3) return std::nullopt;
    Suit suit;
    switch (s.back()) {
        case 'C': suit = Suit::Clubs; break;
        case 'D': suit = Suit::Diamonds; break;
        case 'H': suit = Suit::Hearts; break;
        case 'S': suit = Suit::Spades; break;
        default: return std::nullopt;
    }
    const std::string r = s.substr(0, s.size() - 1);
    int rank;
    if (r == "J") rank = 11;
    else if (r == "Q") rank = 12;
    else if (r == "K") rank = 13;
    else if (r == "A") rank = 14;
    else if (r == "T" || r == "10") rank = 10;
    else if (r.size() == 1 && r[0] >= '2' && r[0] <= '9') rank = r[0] - '0';
    else return std::nullopt;
    return Card{rank, suit};
}

bool operator==(const Card& a, const Card& b) { return a.rank == b.rank && a.suit == b.suit; }
bool operator!=(const Card& a, const Card& b) { return !(a == b); }
bool operator<(const Card& a, const Card& b) {
    return a.rank != b.rank ? a.rank < b.rank : static_cast<int>(a.suit) < static_cast<int>(b.suit);
}

// new SplittableRandom(seed): this(seed, GOLDEN_GAMMA)
SplittableRandom::SplittableRandom(std::int64_t seed) : seed_(static_cast<std::uint64_t>(seed)), gamma_(GOLDEN_GAMMA) {}

std::int32_t SplittableRandom::next_int() {
    seed_ += gamma_;  // nextSeed()
    return mix32(seed_);
}

std::int32_t SplittableRandom::next_int(std::int32_t bound) {
    if (bound <= 0) throw std::invalid_argument("bound must be positive");
    std::int32_t r = next_int();
    const std::int32_t m = bound - 1;
    if ((bound & m) == 0) return r & m;  // a power of two
    // for (int u = r >>> 1; u + m - (r = u % bound) < 0; u = nextInt() >>> 1);
    // u + m - r overflows in Java's int: compute it in 32-bit two's complement
    std::uint32_t u = static_cast<std::uint32_t>(r) >> 1;
    while (true) {
        r = static_cast<std::int32_t>(u % static_cast<std::uint32_t>(bound));
        const std::int32_t check = static_cast<std::int32_t>(u + static_cast<std::uint32_t>(m) - static_cast<std::uint32_t>(r));
        if (check >= 0) return r;
        u = static_cast<std::uint32_t>(next_int()) >> 1;
    }
}

std::vector<Card> full_deck() {
    std::vector<Card> cards;
    cards.reserve(DECK_SIZE);
    for (int s = 0; s < 4; ++s) {
        for (int r = 2; r <= 14; ++r) cards.push_back(Card{r, static_cast<Suit>(s)});
    }
    return cards;
}

std::vector<Card> shuffled(std::int64_t seed, int hand) {
    std::vector<Card> cards = full_deck();
    // seed * 0x9E3779B97F4A7C15L + hand, in Java's wrapping long arithmetic
    const std::uint64_t s = static_cast<std::uint64_t>(seed) * GOLDEN_GAMMA + static_cast<std::uint64_t>(static_cast<std::int64_t>(hand));
    SplittableRandom random(static_cast<std::int64_t>(s));
    for (int i = static_cast<int>(cards.size()) - 1; i > 0; --i) {
        std::swap(cards[static_cast<std::size_t>(i)], cards[static_cast<std::size_t>(random.next_int(i + 1))]);
    }
    return cards;
}

std::array<std::vector<Card>, 4> deal(std::int64_t seed, int hand) {
    const std::vector<Card> deck = shuffled(seed, hand);
    std::array<std::vector<Card>, 4> hands;
    for (std::size_t i = 0; i < deck.size(); ++i) hands[i % 4].push_back(deck[i]);
    for (auto& h : hands) std::sort(h.begin(), h.end());
    return hands;
}

Suit trump(std::int64_t seed, int hand) { return shuffled(seed, hand).back().suit; }

std::string Settings::str() const { return "hands=" + std::to_string(hands) + " seed=" + std::to_string(seed); }

std::string Play::payload() const {
    return (card ? card->str() : std::string("pass")) + (settings ? " " + settings->str() : "");
}

Play Play::decode(int seat, const std::string& payload) {
    const std::vector<std::string> w = words(payload);
    Play p{seat, Card::parse(w[0]), std::nullopt};
    std::optional<long long> hands, seed;
    for (std::size_t i = 1; i < w.size(); ++i) {
        const std::string x = lower(w[i]);
        if (x.rfind("hands=", 0) == 0) {
            if (auto v = parse_integer(x.substr(6), INT32_MIN, INT32_MAX)) hands = v;
        } else if (x.rfind("seed=", 0) == 0) {
            if (auto v = parse_integer(x.substr(5), LLONG_MIN, LLONG_MAX)) seed = v;
        }
    }
    if (hands || seed) {
        const long long h = hands ? *hands : DEFAULT_SETTINGS.hands;
        p.settings = (h < 1 || h > 100) ? DEFAULT_SETTINGS
                                        : Settings{static_cast<int>(h), seed ? *seed : DEFAULT_SETTINGS.seed};
    }
    return p;
}

int seat_of_role(const std::string& role) {
    if (role.size() == 8 && role.compare(0, 7, "Player ") == 0 && role[7] >= '1' && role[7] <= '4') return role[7] - '0';
    return 0;
}

std::string role_of(int seat) { return "Player " + std::to_string(seat); }

std::optional<Suit> Trick::led_suit() const {
    return cards.empty() ? std::nullopt : std::optional<Suit>(cards.front().suit);
}

int team(int seat) { return (seat - 1) % 2; }

std::string team_name(int t) { return t == 0 ? "1&3" : "2&4"; }

std::vector<Card> legal(const std::vector<Card>& hand, const Trick& trick) {
    const auto led = trick.led_suit();
    if (!led) return hand;
    std::vector<Card> follow;
    for (const Card& c : hand) {
        if (c.suit == *led) follow.push_back(c);
    }
    return follow.empty() ? hand : follow;
}

std::optional<std::string> why_illegal(const std::vector<Card>& hand, const Trick& trick, const Card& card) {
    if (std::find(hand.begin(), hand.end(), card) == hand.end()) return "you do not hold " + card.str();
    const auto led = trick.led_suit();
    if (led && card.suit != *led) {
        std::vector<Card> follow;
        for (const Card& c : hand) {
            if (c.suit == *led) follow.push_back(c);
        }
        if (!follow.empty()) {
            return std::string("you must follow suit: ") + letter(*led) + " was led and you hold " + cards_str(follow);
        }
    }
    return std::nullopt;
}

int winning_index(const std::vector<Card>& cards, Suit trump_suit) {
    if (cards.size() != 4) {
        throw std::invalid_argument("a trick is won once it has 4 cards, it has " + std::to_string(cards.size()));
    }
    int best = 0;
    for (int i = 1; i < 4; ++i) {
        const Card& c = cards[static_cast<std::size_t>(i)];
        const Card& b = cards[static_cast<std::size_t>(best)];
        // WhistRules.beats: same suit, higher rank; or a trump over a non-trump
        if ((c.suit == b.suit && c.rank > b.rank) || (c.suit != b.suit && c.suit == trump_suit)) best = i;
    }
    return best;
}

int points(int tricks) { return std::max(0, tricks - 6); }

Card lowest_legal(const std::vector<Card>& hand, const Trick& trick) {
    const std::vector<Card> l = legal(hand, trick);
    if (l.empty()) throw std::invalid_argument("no card to play");
    return *std::min_element(l.begin(), l.end());
}

int Game::next_seat() const {
    return !settings_ || over_ ? 0 : static_cast<int>((static_cast<std::size_t>(first_seat_ - 1) + plays_) % 4) + 1;
}

bool Game::must_pass() const { return settings_ && !over_ && trick_.cards.empty() && trick_.leader != next_seat(); }

std::vector<Card> Game::hand_of(int seat) const {
    return settings_ ? hands_[static_cast<std::size_t>(seat - 1)] : std::vector<Card>{};
}

std::vector<Card> Game::legal_for(int seat) const {
    return settings_ ? legal(hands_[static_cast<std::size_t>(seat - 1)], trick_) : std::vector<Card>{};
}

void Game::start_hand(int h) {
    hand_ = h;
    hands_ = deal(settings_->seed, h);
    trump_ = whist::trump(settings_->seed, h);
    trick_number_ = 1;
    trick_ = Trick{(first_seat_ - 1 + h - 1) % 4 + 1, {}};
    hand_tricks_ = {0, 0};
}

Outcome Game::apply(const Play& p) {
    if (over_) throw PlayRefused("the game is over: no more Plays");
    if (!settings_) {
        settings_ = p.settings ? *p.settings : DEFAULT_SETTINGS;
        first_seat_ = p.seat;
        start_hand(1);
    } else if (p.seat != next_seat()) {
        throw PlayRefused("a Play from Player " + std::to_string(p.seat) + " when it is Player " +
                          std::to_string(next_seat()) + "'s turn");
    }
    Outcome o;
    o.play = p;
    o.hand = hand_;
    o.trick = trick_number_;
    if (must_pass()) {
        ++plays_;
        if (p.card) {
            o.replaced = "a card where a pass is due (it is Player " + std::to_string(trick_.leader) +
                         "'s lead): counted as a pass";
        }
        return o;
    }
    std::vector<Card>& holding = hands_[static_cast<std::size_t>(p.seat - 1)];
    if (!p.card) o.replaced = "a pass where a card is due";
    else o.replaced = why_illegal(holding, trick_, *p.card);
    const Card card = o.replaced ? lowest_legal(holding, trick_) : *p.card;
    ++plays_;
    holding.erase(std::find(holding.begin(), holding.end(), card));
    trick_.cards.push_back(card);
    o.card = card;
    if (trick_.complete()) {
        const int idx = winning_index(trick_.cards, trump_);
        const int winner = trick_.seat_of(idx);
        ++hand_tricks_[static_cast<std::size_t>(team(winner))];
        ++total_tricks_[static_cast<std::size_t>(team(winner))];
        o.trick_done = Outcome::TrickDone{hand_, trick_number_, trick_, winner, trick_.cards[static_cast<std::size_t>(idx)],
                                          hand_tricks_};
        if (trick_number_ == HAND_SIZE) {
            const std::array<int, 2> pts{points(hand_tricks_[0]), points(hand_tricks_[1])};
            score_[0] += pts[0];
            score_[1] += pts[1];
            o.hand_done = Outcome::HandDone{hand_, hand_tricks_, pts, score_};
            if (hand_ == settings_->hands) over_ = true;
            else start_hand(hand_ + 1);
        } else {
            ++trick_number_;
            trick_ = Trick{winner, {}};
        }
    }
    o.game_over = over_;
    return o;
}

std::string Game::summary() const {
    const std::string result = score_[0] == score_[1] ? "a draw"
                                                       : "Players " + std::string(score_[0] > score_[1] ? "1&3" : "2&4") + " win";
    return "score 1&3 " + std::to_string(score_[0]) + ", 2&4 " + std::to_string(score_[1]) + "; tricks 1&3 " +
           std::to_string(total_tricks_[0]) + ", 2&4 " + std::to_string(total_tricks_[1]) + "; " + result;
}

std::string cards_str(const std::vector<Card>& cards) {
    if (cards.empty()) return "-";
    std::string s;
    for (const Card& c : cards) {
        if (!s.empty()) s += ' ';
        s += c.str();
    }
    return s;
}

std::string table_str(const Trick& trick) {
    if (trick.cards.empty()) return "Player " + std::to_string(trick.leader) + " to lead";
    std::string b = "Player " + std::to_string(trick.leader) + " led " + letter(*trick.led_suit()) + ":";
    for (std::size_t i = 0; i < trick.cards.size(); ++i) {
        b += (i == 0 ? " " : ", ") + std::string("P") + std::to_string(trick.seat_of(static_cast<int>(i))) + " " +
             trick.cards[i].str();
    }
    return b;
}

std::string teams_str(const std::array<int, 2>& t) {
    return team_name(0) + " " + std::to_string(t[0]) + ", " + team_name(1) + " " + std::to_string(t[1]);
}

std::vector<std::string> describe(const Outcome& o, const std::function<std::optional<std::string>(int)>& name_of_seat) {
    std::vector<std::string> lines;
    const std::string where = std::to_string(o.hand) + "." + std::to_string(o.trick);
    if (o.card) {
        lines.push_back("play " + where + " " + seat_label(o.play.seat, name_of_seat) + ": " + o.card->str() +
                        (o.replaced ? " (sent '" + o.play.payload() + "': " + *o.replaced + ")" : ""));
    } else if (o.replaced) {
        lines.push_back("pass " + where + " " + seat_label(o.play.seat, name_of_seat) + " (sent '" + o.play.payload() +
                        "': " + *o.replaced + ")");
    }
    if (o.trick_done) {
        const auto& t = *o.trick_done;
        lines.push_back("trick " + std::to_string(t.hand) + "." + std::to_string(t.trick) + " won by Player " +
                        std::to_string(t.winner) + " with " + t.winning_card.str() + " [" + cards_str(t.cards.cards) +
                        " led by Player " + std::to_string(t.cards.leader) + "]; tricks " + teams_str(t.hand_tricks));
    }
    if (o.hand_done) {
        const auto& h = *o.hand_done;
        lines.push_back("hand " + std::to_string(h.hand) + " over: tricks " + teams_str(h.tricks) + "; points " +
                        teams_str(h.points) + "; score " + teams_str(h.score));
    }
    return lines;
}

}  // namespace whist
