/**
 * A member's protocol stack: one layer per guarantee, plain Java (no CORBA, nothing from the
 * member API). Layers talk only by {@link org.troupe.member.stack.StackEvent}s: up from the
 * transport towards the application, down from the application (or a layer) towards the server.
 * The application side (the API's {@code Group}) passes events down into the top of the stack and
 * takes what the top hands over from a {@link org.troupe.member.stack.Handoff}; nothing calls
 * into a layer. Layers marked * are built only when needed (a sequencer volunteer; a protocol
 * with queries; a protocol with turns).
 *
 * <pre>
 *  application threads                        Group: the application side
 *   send / ask / reply      flush   leave         ^  receive() / poll(), or the listener thread:
 *     | Send (+ QueryRecord)  |       |           |  deliveries, CaptureState, QueryDone, in order;
 *     |                     Flush   Leave         |  RequestState, sent by a thread of the Group's;
 *     v                       v       v           |  the view, the next turns, why it is out
 *  +--------------------------------------------------------------------------------------+
 *  | DeliveryLayer          the Handoff: a bounded delivery queue (left full too long:    |
 *  |                        Failed); Leave goes on down, then closes; once out: Halt down |
 *  | StateTransferLayer     joiner: RequestState up; holds deliveries until the state,    |
 *  |                        drops what it includes; provider: CaptureState up in place    |
 *  | TurnLayer *            a turn out of turn: StackRefusal to the sender; NextTurns up  |
 *  | CorrelationLayer *     registers a Send's QueryRecord, collects its responses;       |
 *  |                        QueryDone up after the completing one; time-outs on Ticks     |
 *  | DestinationFilterLayer for this member? (group/role/member, type's receivers);       |
 *  |                        self-discard                                                  |
 *  | TotalOrderLayer        JOIN_MODE; hold-back by sequence id; implied order; a copy    |
 *  |                        of each own message until its order comes (or comes back)     |
 *  | SequencerLayer *       while this member holds the sequencer: an Order down each     |
 *  | HeartbeatLayer         own thread: a Heartbeat down every heartbeat_ms; Failed up    |
 *  |                        on "not a member" or no answer for suspect_ms                 |
 *  | CorbaTransport         (org.troupe.member.corba) channel consumer in; send and       |
 *  |                        order queues, heartbeat, leave and flush calls out; Halt      |
 *  +--------------------------------------------------------------------------------------+
 *     | send / order / heartbeat / leave (IIOP)     ^ push_batch: Message(List),
 *     v                                             | SequenceMessage(List), UpdateView
 *  Group Manager (server) ----publish----> the group's event channel
 *
 *  up,   transport -&gt; ordering:  Joined, MessageArrived, OrderArrived, ViewArrived, Failed
 *        (and Tick, from the stack's clock)
 *  up,   ordering -&gt; top:        Deliver, DeliverView, then DeliverState, CaptureState, QueryDone,
 *                                NextTurns, RequestState
 *  down, application -&gt; bottom: Send, Flush, Leave;  from layers: Order, Heartbeat, Halt
 * </pre>
 *
 * Up events are handled one at a time: the transport's ORB threads, the heartbeat thread and the
 * clock pass them under the stack's lock ({@link org.troupe.member.stack.Layer#passUpInTurn}).
 * Down events run on the thread that sends them (an application thread, the stack's own for an
 * Order or a Halt, the heartbeat thread), so a layer that keeps state on the way down guards it.
 * A refusal that leaves the member in the group comes back to the sender as a {@link
 * org.troupe.member.stack.StackRefusal}; the bottom's call failures come back to the heartbeat
 * layer as {@link org.troupe.member.stack.RemovedFromGroup} or {@link
 * org.troupe.member.stack.ServerUnreachable}.
 */
package org.troupe.member.stack;
