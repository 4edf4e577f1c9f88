// Troupe's Whist in C++: cards, the deal, the rules and the game state, with exactly the
// semantics of the Java package org.troupe.apps.cards (Card, Deck, Play, Trick, WhistRules,
// GameState, TerminalUi.describe), so that a C++ player and Java players that apply the same
// Plays in the same order hold the same game and print the same lines. No CORBA here.
//
// The deal is a pure function of the game's seed and the hand's number: a Fisher-Yates shuffle
// driven by java.util.SplittableRandom, whose sequence is fixed by its specification and
// reimplemented here bit for bit (SplitMix64: seed += gamma, mix32, and the rejection loop of
// nextInt(bound)). CppCardGameTest compares `troupe-player --print-deal SEED HAND` with
// Deck.shuffled/Deck.deal for several seeds.
#ifndef TROUPE_WHIST_HPP
#define TROUPE_WHIST_HPP

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace whist {

/** Clubs, diamonds, hearts, spades: the Java enum's order (used by the card ordering). */
enum class Suit : int { Clubs = 0, Diamonds = 1, Hearts = 2, Spades = 3 };

char letter(Suit s);

/** A card: rank 2..14 (11 J, 12 Q, 13 K, 14 A) and suit; written 2C, 10H, QS, AD. */
struct Card {
    int rank;
    Suit suit;

    /** 2..10, J, Q, K, A then the suit's letter. */
    std::string str() const;
    /** QS, 10H, TH, 2c (trimmed, either case); nullopt if it is not a card. */
    static std::optional<Card> parse(const std::string& text);
};

bool operator==(const Card& a, const Card& b);
bool operator!=(const Card& a, const Card& b);
/** Java's Card.compareTo: by rank, then by suit (clubs, diamonds, hearts, spades). */
bool operator<(const Card& a, const Card& b);

/** java.util.SplittableRandom (JDK 8..21): same seed, same sequence. */
class SplittableRandom {
public:
    explicit SplittableRandom(std::int64_t seed);
    /** nextInt(): mix32 of the next seed. */
    std::int32_t next_int();
    /** nextInt(bound), bound > 0: the JDK's rejection method (RandomSupport.boundedNextInt). */
    std::int32_t next_int(std::int32_t bound);

private:
    std::uint64_t seed_;
    std::uint64_t gamma_;
};

constexpr int DECK_SIZE = 52;
constexpr int HAND_SIZE = 13;

/** The 52 cards ordered by suit then rank (Deck.full). */
std::vector<Card> full_deck();
/** The shuffled deck of hand HAND (1-based) of a game with SEED (Deck.shuffled). */
std::vector<Card> shuffled(std::int64_t seed, int hand);
/** The four hands (index 0 = seat 1), each sorted: card i of the shuffled deck to seat i % 4 + 1 (Deck.deal). */
std::array<std::vector<Card>, 4> deal(std::int64_t seed, int hand);
/** The trump suit of a hand: the suit of the last card dealt (Deck.trump). */
Suit trump(std::int64_t seed, int hand);

/** hands=N seed=S (GameSettings). */
struct Settings {
    int hands = 1;
    std::int64_t seed = 1;
    std::string str() const;
};
/** What a game opened without settings plays (GameSettings.DEFAULT). */
constexpr Settings DEFAULT_SETTINGS{1, 1};

/** One Play: a seat, its card (nullopt: a pass, or a payload that is not a card), the settings if it opens the game. */
struct Play {
    int seat;
    std::optional<Card> card;
    std::optional<Settings> settings;

    /** The payload of its message: QS, pass, or 2C hands=1 seed=42 (Play.payload). */
    std::string payload() const;
    /** Reads a payload sent from SEAT, as Play.decode does (unknown or bad settings ignored). */
    static Play decode(int seat, const std::string& payload);
};

/** The seat of a role "Player N", or 0. */
int seat_of_role(const std::string& role);
std::string role_of(int seat);

/** A trick: the seat that led and the cards played from it on. */
struct Trick {
    int leader = 1;
    std::vector<Card> cards;

    int seat_of(int i) const { return (leader - 1 + i) % 4 + 1; }
    int next_seat() const { return seat_of(static_cast<int>(cards.size())); }
    std::optional<Suit> led_suit() const;
    bool complete() const { return cards.size() == 4; }
};

/** 0 for seats 1 and 3, 1 for seats 2 and 4. */
int team(int seat);
/** 1&3 or 2&4. */
std::string team_name(int team);
/** Any card when leading, else the led suit if held (WhistRules.legal). */
std::vector<Card> legal(const std::vector<Card>& hand, const Trick& trick);
/** Why CARD may not be played, in Java's words; nullopt if it may (WhistRules.whyIllegal). */
std::optional<std::string> why_illegal(const std::vector<Card>& hand, const Trick& trick, const Card& card);
/** The index of the winning card of a complete trick: the highest trump, else the highest of the led suit. */
int winning_index(const std::vector<Card>& cards, Suit trump);
/** Tricks over six. */
int points(int tricks);
/** The auto player's choice: the lowest legal card (by Card ordering). */
Card lowest_legal(const std::vector<Card>& hand, const Trick& trick);

/** What applying one Play did (GameState.Outcome). */
struct Outcome {
    struct TrickDone {
        int hand, trick;
        Trick cards;
        int winner;
        Card winning_card;
        std::array<int, 2> hand_tricks;
    };
    struct HandDone {
        int hand;
        std::array<int, 2> tricks, points, score;
    };
    Play play;
    std::optional<Card> card;
    int hand = 0, trick = 0;
    std::optional<std::string> replaced;
    std::optional<TrickDone> trick_done;
    std::optional<HandDone> hand_done;
    bool game_over = false;
};

/** A Play from the wrong seat (the group's turn order makes it impossible), or after the end. */
struct PlayRefused : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

/** A game as the Plays made so far (GameState): pure, so equal Plays give equal states. */
class Game {
public:
    /** Applies the next Play; throws PlayRefused for a Play from the wrong seat or after the end. */
    Outcome apply(const Play& p);

    bool opened() const { return settings_.has_value(); }
    bool over() const { return over_; }
    const std::optional<Settings>& settings() const { return settings_; }
    /** The seat whose turn it is in the rotation; 0 before the first Play and after the last. */
    int next_seat() const;
    /** True if the seat whose turn it is must pass. */
    bool must_pass() const;
    int hand() const { return hand_; }
    int trick_number() const { return trick_number_; }
    const Trick& trick() const { return trick_; }
    std::optional<Suit> trump() const { return opened() ? std::optional<Suit>(trump_) : std::nullopt; }
    /** The cards SEAT holds, sorted (empty before the first Play). */
    std::vector<Card> hand_of(int seat) const;
    std::vector<Card> legal_for(int seat) const;
    std::size_t plays() const { return plays_; }
    std::array<int, 2> score() const { return score_; }
    std::array<int, 2> total_tricks() const { return total_tricks_; }
    /** score 1&3 1, 2&4 0; tricks 1&3 7, 2&4 6; Players 1&3 win (GameState.summary). */
    std::string summary() const;

private:
    void start_hand(int h);

    std::size_t plays_ = 0;
    std::optional<Settings> settings_;
    int first_seat_ = 0;
    int hand_ = 0;
    Suit trump_ = Suit::Clubs;
    std::array<std::vector<Card>, 4> hands_;
    Trick trick_;
    int trick_number_ = 0;
    std::array<int, 2> hand_tricks_{0, 0}, total_tricks_{0, 0}, score_{0, 0};
    bool over_ = false;
};

/** 2C 5C QH, or - for none (TerminalUi.cards). */
std::string cards_str(const std::vector<Card>& cards);
/** Player 2 to lead, or Player 2 led H: P2 QH, P3 2H (TerminalUi.table). */
std::string table_str(const Trick& trick);
/** 1&3 A, 2&4 B (TerminalUi.teams). */
std::string teams_str(const std::array<int, 2>& per_team);
/**
 * The play / pass / trick / hand lines of an Outcome, word for word as TerminalUi.describe;
 * NAME_OF_SEAT gives a seat's player name, or nullopt for none.
 */
std::vector<std::string> describe(const Outcome& o, const std::function<std::optional<std::string>(int)>& name_of_seat);

}  // namespace whist

#endif
