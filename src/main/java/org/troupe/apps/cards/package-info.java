/**
 * The card game: four players play Whist over a group of the bundled {@code card-game} protocol,
 * one {@link org.troupe.apps.cards.Player} per seat ({@code troupe play}), each in its own process.
 *
 * <pre>
 *  troupe play --seat N                 Troupe server                    the other three players
 *  +--------------------------+        +-----------------------+        +--------------------------+
 *  | join "Player N"          |------->| Group Manager         |        |                          |
 *  |   requestState()         |        |  roles: 1 per seat    |        |                          |
 *  |   stateProvider(plays)   |        |  turns: P1,P2,P3,P4.. |        |                          |
 *  | ViewChange (own join)    |<-------|  (out of turn:        |------->| "Player 3 took seat 3"   |
 *  | StateTransfer: the Plays |<-------|   OutOfTurn refused)  |<-------| provider: GameState.encode
 *  |   GameState.replay(...)  |        |                       |        |                          |
 *  | my turn? GameState says  |        |                       |        |                          |
 *  |   (and Group.turn agrees)|        |                       |        |                          |
 *  | send("Play", "QS")       |------->| turn checked, placed  |------->| GameState.apply(Play)    |
 *  | Play delivered to all    |<-------|  after the last turn  |        |  play / trick / hand /   |
 *  |   GameState.apply(Play)  |        |                       |        |  game over lines         |
 *  | ViewChange: P3 crashed   |<-------|  member silent: out   |------->| "the game is paused ..." |
 *  +--------------------------+        +-----------------------+        +--------------------------+
 * </pre>
 *
 * <p>{@link org.troupe.apps.cards.GameState} is the game, pure and replayable from its list of
 * {@link org.troupe.apps.cards.Play}s; {@link org.troupe.apps.cards.WhistRules}, {@link
 * org.troupe.apps.cards.Trick}, {@link org.troupe.apps.cards.Deck} and {@link
 * org.troupe.apps.cards.Card} are its rules and pieces; {@link org.troupe.apps.cards.TerminalUi}
 * prints it; {@link org.troupe.apps.cards.CardGameDemo} runs four automatic players against an
 * embedded server ({@code troupe demo card-game}).
 */
package org.troupe.apps.cards;
