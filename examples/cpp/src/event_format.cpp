#include "event_format.hpp"

#include <cstdio>
#include <sstream>

namespace troupe {
namespace {

using namespace Troupe::Groups;

/** Length of the well-formed UTF-8 sequence at s[i..n), or 0 if it is not one. */
std::size_t utf8_sequence(const unsigned char* s, std::size_t i, std::size_t n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
        return 1;
    }
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second octet
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;        // no overlong forms
        if (c == 0xED) hi = 0x9F;        // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;        // at most U+10FFFF
    } else {
        return 0;
    }
    if (i + len > n || s[i + 1] < lo || s[i + 1] > hi) {
        return 0;
    }
    for (std::size_t k = 2; k < len; ++k) {
        if (s[i + k] < 0x80 || s[i + k] > 0xBF) {
            return 0;
        }
    }
    return len;
}

/** Appends s[0..n) escaped, or returns false if it is not valid UTF-8. */
bool append_escaped(std::string& out, const unsigned char* s, std::size_t n) {
    for (std::size_t i = 0; i < n;) {
        const std::size_t len = utf8_sequence(s, i, n);
        if (len == 0) {
            return false;
        }
        const unsigned char c = s[i];
        if (len > 1) {
            out.append(reinterpret_cast<const char*>(s + i), len);
        } else if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
        i += len;
    }
    return true;
}

std::string hex(const unsigned char* s, std::size_t n, std::size_t max) {
    std::string out;
    char buf[4];
    for (std::size_t i = 0; i < n && i < max; ++i) {
        std::snprintf(buf, sizeof buf, "%02x", s[i]);
        out += buf;
    }
    if (n > max) {
        out += "...";
    }
    return out;
}

const char* address_kind(AddressKind k) {
    switch (k) {
        case TO_GROUP: return "group";
        case TO_ROLE: return "role";
        case TO_MEMBER: return "member";
    }
    return "?";
}

std::string member_fields(const MemberInfo& m) {
    std::ostringstream o;
    o << "member=" << m.id << " name=" << quoted(m.name) << " role=" << quoted(m.role);
    return o.str();
}

}  // namespace

std::string quoted(const char* s) {
    std::string out = "\"";
    const auto* p = reinterpret_cast<const unsigned char*>(s ? s : "");
    std::size_t n = 0;
    while (p[n]) {
        ++n;
    }
    if (!append_escaped(out, p, n)) {
        // not UTF-8 (a peer with another native code set): show the octets
        out = "\"";
        for (std::size_t i = 0; i < n; ++i) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", p[i]);
            out += (p[i] >= 0x20 && p[i] < 0x7F && p[i] != '"' && p[i] != '\\') ? std::string(1, static_cast<char>(p[i]))
                                                                            : std::string(buf);
        }
    }
    out += '"';
    return out;
}

std::string payload_field(const Bytes& payload) {
    const unsigned char* s = payload.get_buffer();
    const std::size_t n = payload.length();
    std::string text = "text=\"";
    if (n == 0 || append_escaped(text, s, n)) {
        return text + "\"";
    }
    return "hex=" + hex(s, n, 64);
}

std::string address(const Address& a) {
    switch (a.kind) {
        case TO_GROUP: return "group";
        case TO_ROLE: return std::string("role:") + quoted(a.role);
        case TO_MEMBER: return "member:" + std::to_string(a.member);
    }
    return address_kind(a.kind);
}

std::string message_line(const Message& m) {
    std::ostringstream o;
    o << "MSG sender=" << m.source << " msg=" << m.message_id << " type=" << quoted(m.message_type)
      << " dest=" << address(m.destination) << " kind=" << (m.is_proactive ? "proactive" : "reactive")
      << " answers=" << m.answers.source << ":" << m.answers.message_id
      << " order=" << (m.sequenced ? "sequenced" : "implied") << " after=" << m.after
      << " bytes=" << m.payload.length() << " " << payload_field(m.payload);
    return o.str();
}

std::string sequence_line(const SequenceMessage& s) {
    std::ostringstream o;
    o << "SEQ seq=" << s.sequence_id << " sender=" << s.source << " msg=" << s.message_id
      << " type=" << quoted(s.message_type) << " dest=" << address(s.destination);
    return o.str();
}

std::string join_line(const JoinGroup& j, const std::string& seq_field) {
    return "JOIN " + seq_field + member_fields(j.member);
}

std::string leave_line(const LeaveGroup& l, const std::string& seq_field) {
    return "LEAVE " + seq_field + member_fields(l.member) + " kind=" + (l.kind == CRASHED ? "CRASHED" : "LEFT");
}

std::vector<std::string> view_lines(const UpdateView& u) {
    std::vector<std::string> lines;
    std::ostringstream o;
    o << "VIEW seq=" << u.sequence_id << " view=" << u.view.view_id << " complete=" << (u.view.complete ? "yes" : "no")
      << " sequencer=" << u.view.sequencer << " members=[";
    for (CORBA::ULong i = 0; i < u.view.members.length(); ++i) {
        const MemberInfo& m = u.view.members[i];
        o << (i ? "," : "") << m.id << ":" << quoted(m.name) << ":" << quoted(m.role);
    }
    o << "]";
    lines.push_back(o.str());
    const std::string seq = "seq=" + std::to_string(u.sequence_id) + " ";
    for (CORBA::ULong i = 0; i < u.joined.length(); ++i) {
        lines.push_back(join_line(u.joined[i], seq));
    }
    for (CORBA::ULong i = 0; i < u.left.length(); ++i) {
        lines.push_back(leave_line(u.left[i], seq));
    }
    return lines;
}

const char* kind_name(CORBA::TCKind kind) {
    static const char* const names[] = {
        "tk_null", "tk_void", "tk_short", "tk_long", "tk_ushort", "tk_ulong", "tk_float", "tk_double",
        "tk_boolean", "tk_char", "tk_octet", "tk_any", "tk_TypeCode", "tk_Principal", "tk_objref",
        "tk_struct", "tk_union", "tk_enum", "tk_string", "tk_sequence", "tk_array", "tk_alias",
        "tk_except", "tk_longlong", "tk_ulonglong", "tk_longdouble", "tk_wchar", "tk_wstring",
        "tk_fixed", "tk_value", "tk_value_box", "tk_native", "tk_abstract_interface", "tk_local_interface"};
    const auto k = static_cast<unsigned>(kind);
    return k < sizeof names / sizeof names[0] ? names[k] : "tk_unknown";
}

std::vector<std::string> event_lines(const CORBA::Any& event) {
    // each extraction checks the any's TypeCode (equivalence: aliases and names do not matter)
    {
        const Message* m;
        if (event >>= m) {
            return {message_line(*m)};
        }
    }
    {
        const MessageList* l;
        if (event >>= l) {
            std::vector<std::string> lines;
            for (CORBA::ULong i = 0; i < l->length(); ++i) {
                lines.push_back(message_line((*l)[i]));
            }
            return lines;
        }
    }
    {
        const SequenceMessage* s;
        if (event >>= s) {
            return {sequence_line(*s)};
        }
    }
    {
        const SequenceMessageList* l;
        if (event >>= l) {
            std::vector<std::string> lines;
            for (CORBA::ULong i = 0; i < l->length(); ++i) {
                lines.push_back(sequence_line((*l)[i]));
            }
            return lines;
        }
    }
    {
        const UpdateView* u;
        if (event >>= u) {
            return view_lines(*u);
        }
    }
    {
        const JoinGroup* j;
        if (event >>= j) {
            return {join_line(*j, "")};
        }
    }
    {
        const LeaveGroup* l;
        if (event >>= l) {
            return {leave_line(*l, "")};
        }
    }
    CORBA::TypeCode_var tc = event.type();
    std::string line = std::string("OTHER kind=") + kind_name(tc->kind());
    try {
        line += std::string(" id=") + quoted(tc->id());
    } catch (const CORBA::TypeCode::BadKind&) {
        // a basic type has no repository id
    }
    const char* s;
    if (event >>= s) {
        line += std::string(" value=") + quoted(s);
    }
    return {line};
}

}  // namespace troupe
