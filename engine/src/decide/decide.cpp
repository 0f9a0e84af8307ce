// tandem::Decider (tandem/decision.hpp): the intent becomes a slot request, the solver answers it.
#include "tandem/decision.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <date/tz.h>

#include "util/ascii.hpp"

namespace tandem {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::sys_seconds;

struct Decider::Impl {
  ScheduleSpec spec;
  scheduling::Scheduler scheduler;
};

namespace {

const date::time_zone* zone_or_null(const std::string& zone) {
  if (zone.empty()) return nullptr;
  try {
    return date::locate_zone(zone);
  } catch (const std::exception&) {
    return nullptr;
  }
}

// The local midnight after the day of `t`.
local_minutes end_of_day(local_minutes t) {
  return local_minutes{date::floor<days>(t).time_since_epoch() + days(1)};
}
local_minutes start_of_day(local_minutes t) { return local_minutes{date::floor<days>(t).time_since_epoch()}; }

bool whole_days(const TimeItem& t) {
  return t.start && t.end && *t.start == start_of_day(*t.start) && *t.end == start_of_day(*t.end) && *t.end > *t.start;
}

// The address a participant is known by: the directory's first address for an id, else the text lower-cased.
std::string address_of(const PeopleDirectory& people, const std::string& who) {
  if (const Person* p = people.find(who); p != nullptr && !p->addresses.empty()) return p->addresses.front();
  return util::lower_ascii(who);
}

// A window of the intent's time item as instants, or nothing (a neutral item, an unreadable one).
struct ItemWindow {
  sys_seconds begin{}, end{};
  bool point = false;
};

std::optional<ItemWindow> window_of(const TimeItem& t, const std::string& zone, sys_seconds now) {
  ItemWindow w;
  if (t.point()) {
    w.begin = w.end = to_instant(*t.start, zone);
    w.point = true;
  } else if (t.start && t.end) {
    w.begin = to_instant(*t.start, zone);
    w.end = to_instant(*t.end, zone);
  } else if (t.start) {  // an open end runs to the end of that day
    w.begin = to_instant(*t.start, zone);
    w.end = to_instant(end_of_day(*t.start), zone);
  } else if (t.end) {  // an open start runs from now; "Monday before noon" from that morning
    w.end = to_instant(*t.end, zone);
    w.begin = *t.end != start_of_day(*t.end) ? std::max(now, to_instant(start_of_day(*t.end), zone)) : now;
  } else {
    return std::nullopt;
  }
  if (w.end < w.begin) return std::nullopt;
  return w;
}

}  // namespace

sys_seconds to_instant(local_minutes t, const std::string& zone) {
  if (const date::time_zone* z = zone_or_null(zone)) {
    const auto local = date::local_time<std::chrono::seconds>(t.time_since_epoch());
    return z->to_sys(local, date::choose::earliest);
  }
  return sys_seconds{t.time_since_epoch()};
}

Decider::Decider(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Decider::~Decider() = default;

sdk::Result<std::unique_ptr<Decider>> Decider::create(const ScheduleSpec& spec, PeopleDirectory people,
                                                      const std::filesystem::path& calendars_dir) {
  auto scheduler = scheduling::Scheduler::create(std::move(people), calendars_dir);
  if (!scheduler.is_ok()) return scheduler.status();
  auto impl = std::unique_ptr<Impl>(new Impl{spec, std::move(scheduler).value()});
  return std::unique_ptr<Decider>(new Decider(std::move(impl)));
}

const PeopleDirectory& Decider::people() const noexcept { return impl_->scheduler.directory(); }
const scheduling::Scheduler& Decider::scheduler() const noexcept { return impl_->scheduler; }

Decision Decider::decide(const sdk::Message& message, const SchedulingIntent& intent,
                         const std::vector<TimeItem>& quoted_times) const {
  const ScheduleSpec& spec = impl_->spec;
  const PeopleDirectory& people = impl_->scheduler.directory();
  Decision d;
  d.now = spec.now_is_sent ? message.sent
                           : std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::string& zone = intent.zone;

  std::vector<std::string> required;
  for (const std::string& p : intent.participants) required.push_back(address_of(people, p));
  for (const Session& s : intent.sessions)
    for (const std::string& p : s.with)
      if (std::find(required.begin(), required.end(), address_of(people, p)) == required.end())
        required.push_back(address_of(people, p));

  // The meeting a reschedule, cancel or decline is about: an event two or more participants' calendars
  // share, named by the mail's neutral (or negative) items where it names one.
  const bool about_existing =
      intent.request == "reschedule" || intent.request == "cancel" || intent.request == "decline";
  d.names_existing.assign(intent.times.size(), false);
  std::vector<bool>& names_existing = d.names_existing;
  if (about_existing && required.size() >= 2) {
    std::vector<std::optional<ItemWindow>> items;
    for (const TimeItem& t : intent.times) items.push_back(window_of(t, zone, d.now));
    const std::string words = util::lower_ascii(message.subject + "\n" + message.text);
    const sys_seconds from = d.now - days(1), to = d.now + days(spec.horizon_days + 28);
    struct Seen {
      calendar::Occurrence occurrence;
      std::set<std::string> who;
    };
    std::map<std::pair<std::string, sys_seconds>, Seen> shared;  // (uid, start) -> who has it
    for (const std::string& who : required) {
      for (const calendar::Occurrence& o : impl_->scheduler.events_of(who, from, to)) {
        if (o.uid.empty() || o.all_day || o.transparent) continue;
        Seen& s = shared[{o.uid, o.start}];
        s.occurrence = o;
        s.who.insert(who);
      }
    }
    const auto hits = [&](const calendar::Occurrence& o, const ItemWindow& w) {
      return w.point ? o.start == w.begin : o.start < w.end && w.begin < o.end;
    };
    struct Candidate {
      const Seen* seen;
      int score;  // what the mail says of it: its time (a neutral or negative item counts twice), its title
    };
    std::vector<Candidate> candidates;
    // Neutral and negative items say when the meeting is now; positive ones are mostly the new times.
    bool names_a_time = false;
    for (std::size_t i = 0; i < items.size(); ++i) names_a_time = names_a_time || (items[i] && intent.times[i].polarity != "positive");
    for (const auto& [key, seen] : shared) {
      if (seen.who.size() < 2 || seen.occurrence.end <= d.now) continue;
      int score = 0;
      bool named = false;
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (!items[i] || !hits(seen.occurrence, *items[i])) continue;
        const bool positive = intent.times[i].polarity == "positive";
        named = named || !positive;
        score += positive ? 1 : 2;
      }
      // The title's words in the mail ("the partner review", "notre point").
      std::size_t from_word = 0;
      const std::string title = util::lower_ascii(seen.occurrence.summary);
      while (from_word < title.size()) {
        std::size_t end = title.find_first_of(" -:,/()", from_word);
        if (end == std::string::npos) end = title.size();
        if (end - from_word >= 4 && words.find(title.substr(from_word, end - from_word)) != std::string::npos) score += 1;
        from_word = end + 1;
      }
      if (names_a_time && !named) continue;  // the mail says when the meeting is, and not this one
      candidates.push_back({&seen, score});
    }
    // Most participants first, then what the mail says of it, then the soonest.
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      if (a.seen->who.size() != b.seen->who.size()) return a.seen->who.size() > b.seen->who.size();
      if (a.score != b.score) return a.score > b.score;
      return a.seen->occurrence.start < b.seen->occurrence.start;
    });
    // Occurrences of one recurring meeting are one meeting for the question: its first that fits.
    std::vector<Candidate> distinct;
    for (const Candidate& c : candidates) {
      bool again = false;
      for (const Candidate& k : distinct) again = again || k.seen->occurrence.uid == c.seen->occurrence.uid;
      if (!again) distinct.push_back(c);
    }
    if (!distinct.empty()) {
      const calendar::Occurrence& o = distinct.front().seen->occurrence;
      d.existing = ExistingMeeting{o.uid, o.summary, o.location, o.start, o.end,
                                  {distinct.front().seen->who.begin(), distinct.front().seen->who.end()},
                                  o.organizer, o.attendees};
      // The first item that names it says when it is now: it offers nothing.
      for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i] && hits(o, *items[i])) {
          names_existing[i] = true;
          break;
        }
      // Several meetings fit as well as the first: which one is meant is a question for a person.
      std::size_t equal = 1;
      while (equal < distinct.size() && distinct[equal].seen->who.size() == distinct.front().seen->who.size() &&
             distinct[equal].score == distinct.front().score)
        ++equal;
      if (equal > 1) {
        sdk::Annotation a;
        a.variable.name = "meeting";
        std::vector<sdk::Candidate> options;
        for (std::size_t i = 0; i < equal; ++i) {
          const calendar::Occurrence& k = distinct[i].seen->occurrence;
          options.push_back({k.summary + " (" + scheduling::format_instant(k.start, zone) + ", " + k.uid + ")",
                             1.0 / static_cast<double>(equal)});
        }
        a.variable.distribution = sdk::Distribution(std::move(options));
        a.source = "decide";
        a.note = std::to_string(equal) + " meetings in the participants' calendars fit what the mail says";
        d.questions.push_back(std::move(a));
        d.notes.push_back("which meeting is meant is unsure: the soonest is assumed until a person answers");
      }
    } else {
      d.notes.push_back("no meeting the participants share fits what the mail names");
    }
  }

  // Who attends: the intent's people, and for a meeting that exists, everyone its event names (a decline
  // or cancellation concerns them all; a move needs them all free), but never the assistant.
  for (const std::string& p : intent.participants) d.participants.push_back(util::lower_ascii(p));
  for (const std::string& p : intent.optional) d.optional.push_back(util::lower_ascii(p));
  if (d.existing) {
    const auto assistant = [&](const std::string& a) {
      const auto is = [&](const sdk::Participant& p) { return p.assistant && util::lower_ascii(p.address) == a; };
      return is(message.from) || std::any_of(message.to.begin(), message.to.end(), is) ||
             std::any_of(message.cc.begin(), message.cc.end(), is);
    };
    const auto known = [&](const std::string& a) {
      const auto same = [&](const std::string& p) { return address_of(people, p) == address_of(people, a); };
      return std::any_of(d.participants.begin(), d.participants.end(), same) ||
             std::any_of(d.optional.begin(), d.optional.end(), same);
    };
    std::vector<calendar::Attendee> named;
    if (d.existing->organizer) named.push_back(*d.existing->organizer);
    named.insert(named.end(), d.existing->invited.begin(), d.existing->invited.end());
    for (const calendar::Attendee& a : named) {
      if (a.declined || assistant(a.email) || known(a.email)) continue;
      (a.optional ? d.optional : d.participants).push_back(a.email);
    }
  }
  if (!intent.scheduling()) return d;
  if (intent.dates_unknown) {
    d.notes.push_back("the time hangs on \"" + intent.when_text + "\", which the mail does not date: the sender is asked when");
    return d;
  }

  // The request.
  scheduling::SlotRequest& r = d.request;
  r.now = d.now;
  r.lead = minutes(spec.lead_minutes);
  r.horizon = days(spec.horizon_days);
  r.grid = minutes(spec.grid_minutes);
  r.top_n = static_cast<std::size_t>(std::max(spec.propose, 1));
  r.zone = zone;
  r.location = intent.location;
  r.in_person = !intent.location.empty() && intent.event_type != "call" && intent.event_type != "video_call" &&
                intent.event_type != "phone_screen";
  for (const std::string& p : d.participants) r.required.push_back(address_of(people, p));
  for (const std::string& p : d.optional) r.optional.push_back(address_of(people, p));
  for (const Session& s : intent.sessions) {
    scheduling::Session out;
    for (const std::string& p : s.with) out.with.push_back(address_of(people, p));
    out.length = minutes(s.minutes);
    r.sessions.push_back(std::move(out));
  }
  r.fixed_order = intent.fixed_order;
  // People the directory does not hold: the zone their mail was written in, the assumed working week.
  const auto add_guest = [&](const std::string& address) {
    if (people.find(address) != nullptr) return;
    for (const Person& g : r.guests)
      if (MailSpec::equal_address(g.addresses.front(), address)) return;
    Person g;
    g.id = address;
    g.addresses = {address};
    const auto named = [&](const sdk::Participant& p) {
      if (g.name.empty() && MailSpec::equal_address(p.address, address)) g.name = p.name;
    };
    named(message.from);
    for (const auto& p : message.to) named(p);
    for (const auto& p : message.cc) named(p);
    g.zone = message.sender_zone.empty() ? zone : message.sender_zone;
    g.has_working_hours = true;
    for (int wd = 1; wd <= 5; ++wd) g.working_hours[wd] = {spec.assumed_hours};
    d.notes.push_back(address + " is not in the people directory: " +
                      (g.zone.empty() ? std::string("UTC") : g.zone) + " and working hours assumed");
    r.guests.push_back(std::move(g));
  };
  for (const std::string& a : r.required) add_guest(a);
  for (const Session& s : intent.sessions)
    for (const std::string& a : s.with) add_guest(address_of(people, a));
  for (const std::string& a : r.optional) add_guest(a);
  if (d.existing && intent.request == "reschedule") r.ignore_event_uid = d.existing->uid;

  // The length.
  int length = 0;
  for (const Session& s : intent.sessions) length += s.minutes;
  if (length == 0 && intent.duration_minutes) length = *intent.duration_minutes;
  if (length == 0 && d.existing && intent.request == "reschedule")
    length = static_cast<int>(std::chrono::duration_cast<minutes>(d.existing->end - d.existing->start).count());
  if (length == 0) {
    auto it = spec.default_minutes.find(intent.event_type);
    length = it != spec.default_minutes.end() ? it->second : spec.fallback_minutes;
    d.notes.push_back("the mail gives no length: " + std::to_string(length) + " minutes, the default for " +
                      (intent.event_type.empty() ? std::string("a meeting") : "a " + intent.event_type));
  }
  d.slot_minutes = length;
  r.duration = minutes(length);

  // Offered and refused windows.
  std::vector<TimeItem> positive;
  for (std::size_t i = 0; i < intent.times.size(); ++i)
    if (intent.times[i].polarity == "positive" && !names_existing[i]) positive.push_back(intent.times[i]);
  const bool only_days = std::all_of(positive.begin(), positive.end(), whole_days);
  if (intent.request == "accept_proposal" && only_days) {
    // "Wednesday works": the offers the quoted history makes on the days named (on any day, when none is).
    std::vector<TimeItem> offers;
    for (const TimeItem& q : quoted_times) {
      if (q.polarity != "positive" || whole_days(q) || !q.start) continue;
      bool on_named_day = positive.empty();
      for (const TimeItem& p : positive) on_named_day = on_named_day || (*q.start >= *p.start && *q.start < *p.end);
      if (on_named_day && to_instant(*q.start, zone) > d.now) offers.push_back(q);
    }
    if (!offers.empty()) {
      d.notes.push_back("the acceptance names the day only: the time comes from the quoted offer");
      positive = std::move(offers);
    }
  }
  for (const TimeItem& t : positive) {
    auto w = window_of(t, zone, d.now);
    if (!w) continue;
    if (w->point) r.offered_points.push_back(w->begin);
    else if (w->end > w->begin) r.offered.push_back({w->begin, w->end});
  }
  // The same instant offered twice ("2pm my time, 9am for you") is one offer.
  std::sort(r.offered_points.begin(), r.offered_points.end());
  r.offered_points.erase(std::unique(r.offered_points.begin(), r.offered_points.end()), r.offered_points.end());
  for (std::size_t i = 0; i < intent.times.size(); ++i) {
    const TimeItem& t = intent.times[i];
    if (t.polarity != "negative" || names_existing[i]) continue;
    auto w = window_of(t, zone, d.now);
    if (!w) continue;
    if (w->point) r.refused.push_back({w->begin, w->begin + minutes(1)});
    else if (!t.start && t.end && *t.end != start_of_day(*t.end))  // "not before 10": that morning only
      r.refused.push_back({to_instant(start_of_day(*t.end), zone), w->end});
    else r.refused.push_back({w->begin, w->end});
  }

  // A meeting moved to another day keeps its hour where it can ("Thursday instead", "same time on
  // Thursday"): on each day offered whole, its old time of day is preferred (soft: ranking only).
  if (intent.request == "reschedule" && d.existing && zone_or_null(zone)) {
    const date::time_zone* z = zone_or_null(zone);
    const auto old_local = z->to_local(d.existing->start);
    const auto time_of_day = std::chrono::floor<minutes>(old_local - date::floor<days>(old_local));
    for (const TimeItem& t : positive)
      if (whole_days(t))
        for (local_minutes day = *t.start; day < *t.end; day += days(1))
          r.preferred.push_back({to_instant(day + time_of_day, zone), to_instant(day + time_of_day + r.duration, zone)});
  }
  // A meal has its hour: a lunch is preferred at midday (soft: ranking only), where everyone is that day (a
  // trip's zone on its dates): 12:00-14:00 local for each required person of the directory, the common part
  // of their middays; where they share none (Los Angeles and Berlin), the sender's.
  if (intent.event_type == "lunch" && !zone.empty()) {
    const local_minutes first = start_of_day(local_minutes{std::chrono::floor<minutes>(
        date::make_zoned(zone_or_null(zone) ? zone : "UTC", d.now).get_local_time().time_since_epoch())});
    for (int day = 0; day <= spec.horizon_days + 28; ++day) {
      const local_minutes noon = first + days(day) + minutes(12 * 60);
      const std::chrono::year_month_day date{std::chrono::floor<days>(noon)};
      sys_seconds from = sys_seconds::min(), to = sys_seconds::max();
      for (const std::string& who : r.required) {
        const Person* p = people.find(who);
        if (p == nullptr || !zone_or_null(p->zone_on(date))) continue;
        const std::string& there = p->zone_on(date);
        from = std::max(from, to_instant(noon, there));
        to = std::min(to, to_instant(noon + minutes(120), there));
      }
      if (from == sys_seconds::min() || from >= to) from = to_instant(noon, zone), to = to_instant(noon + minutes(120), zone);
      r.preferred.push_back({from, to});
    }
  }
  d.solved = impl_->scheduler.solve(r);
  d.scheduled = true;
  return d;
}

}  // namespace tandem
