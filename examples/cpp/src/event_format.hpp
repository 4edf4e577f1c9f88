// Formats the events of a Troupe group's channel as one greppable line each (see README.md).
#ifndef TROUPE_EVENT_FORMAT_HPP
#define TROUPE_EVENT_FORMAT_HPP

#include <string>
#include <vector>

#include "TroupeGroups.hh"

namespace troupe {

/** A string as a quoted token: "..." with \" \\ and control characters escaped, UTF-8 kept. */
std::string quoted(const char* s);

/**
 * A payload: text="..." when it is valid UTF-8 (control characters escaped), otherwise
 * hex=... (the first 64 octets, then "...").
 */
std::string payload_field(const Troupe::Groups::Bytes& payload);

/** "group", "role:NAME" or "member:ID". */
std::string address(const Troupe::Groups::Address& a);

std::string message_line(const Troupe::Groups::Message& m);
std::string sequence_line(const Troupe::Groups::SequenceMessage& s);
std::string join_line(const Troupe::Groups::JoinGroup& j, const std::string& seq_field);
std::string leave_line(const Troupe::Groups::LeaveGroup& l, const std::string& seq_field);

/** An UpdateView: its VIEW line, then one JOIN line per joiner and one LEAVE line per leaver. */
std::vector<std::string> view_lines(const Troupe::Groups::UpdateView& u);

/** The name of a TypeCode kind: "tk_struct", "tk_string", ... */
const char* kind_name(CORBA::TCKind kind);

/**
 * Decodes one event: Message, MessageList (one MSG line per element), SequenceMessage,
 * SequenceMessageList (one SEQ line per element), JoinGroup, LeaveGroup, UpdateView; anything
 * else is one OTHER line with its TypeCode's kind and repository id.
 */
std::vector<std::string> event_lines(const CORBA::Any& event);

}  // namespace troupe

#endif
