#include "hitl/router.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "hitl/random.hpp"

namespace tandem::hitl {

namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Start of the code point `n` code points before `pos` (or 0).
std::size_t back_code_points(std::string_view text, std::size_t pos, std::size_t n) {
  while (n > 0 && pos > 0) {
    --pos;
    while (pos > 0 && is_continuation(static_cast<unsigned char>(text[pos]))) --pos;
    --n;
  }
  return pos;
}

// The byte just after `n` code points from `pos` (or text.size()).
std::size_t forward_code_points(std::string_view text, std::size_t pos, std::size_t n) {
  while (n > 0 && pos < text.size()) {
    ++pos;
    while (pos < text.size() && is_continuation(static_cast<unsigned char>(text[pos]))) ++pos;
    --n;
  }
  return pos;
}

// The left context [from, span_begin): cut back to whole words, outer whitespace dropped.
std::size_t left_start(std::string_view text, std::size_t span_begin, std::size_t window) {
  std::size_t from = back_code_points(text, span_begin, window);
  // The window starts inside a word when the byte before it and its first byte are both non-space:
  // drop that partial word.
  if (from > 0 && !is_space(static_cast<unsigned char>(text[from - 1]))) {
    while (from < span_begin && !is_space(static_cast<unsigned char>(text[from]))) ++from;
  }
  while (from < span_begin && is_space(static_cast<unsigned char>(text[from]))) ++from;
  return from;
}

// The right context [span_end, to): cut back to whole words, outer whitespace dropped.
std::size_t right_end(std::string_view text, std::size_t span_end, std::size_t window) {
  std::size_t to = forward_code_points(text, span_end, window);
  if (to < text.size() && !is_space(static_cast<unsigned char>(text[to]))) {
    while (to > span_end && !is_space(static_cast<unsigned char>(text[to - 1]))) --to;
  }
  while (to > span_end && is_space(static_cast<unsigned char>(text[to - 1]))) --to;
  return to;
}

bool on_boundary(std::string_view text, std::size_t pos) {
  return pos >= text.size() || !is_continuation(static_cast<unsigned char>(text[pos]));
}

std::string default_instructions(std::string_view variable) {
  return "Read the highlighted text and choose the value of \"" + std::string(variable) +
         "\" it means. If none of the options fits, choose \"none of these\" and write what fits.";
}

std::string case_payload(const sdk::Message& message, const std::vector<RoutedTask>& tasks) {
  nlohmann::json requirements = nlohmann::json::object();
  for (const auto& t : tasks) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : t.requirements) list.push_back({r.key, r.value});
    requirements[t.record.task.id] = std::move(list);
  }
  nlohmann::json j = {{"router", 1},
                      {"message_id", message.message_id},
                      {"thread_id", message.thread_id},
                      {"language", message.language},
                      {"locale", message.sender_locale},
                      {"requirements", std::move(requirements)}};
  return j.dump();
}

}  // namespace

sdk::Result<Snippet> make_snippet(std::string_view text, sdk::Span span, std::size_t context_chars) {
  if (!span.fits(text))
    return sdk::Status::invalid_input("span [" + std::to_string(span.begin) + ", " + std::to_string(span.end) +
                                      ") does not fit a text of " + std::to_string(text.size()) + " bytes");
  if (!on_boundary(text, span.begin) || !on_boundary(text, span.end))
    return sdk::Status::invalid_input("span [" + std::to_string(span.begin) + ", " + std::to_string(span.end) +
                                      ") splits a UTF-8 character");
  Snippet out;
  if (span.empty() && span.begin == 0) {
    const std::size_t to = right_end(text, 0, 2 * context_chars);
    std::size_t from = 0;
    while (from < to && is_space(static_cast<unsigned char>(text[from]))) ++from;
    out.text = std::string(text.substr(from, to - from));
    out.highlight = {0, 0};
    return out;
  }
  const std::size_t from = left_start(text, span.begin, context_chars);
  const std::size_t to = right_end(text, span.end, context_chars);
  out.text = std::string(text.substr(from, to - from));
  out.highlight = {span.begin - from, span.end - from};
  return out;
}

bool audit_draw(std::uint64_t seed, std::string_view message_id, std::string_view variable, double share) {
  if (!(share > 0)) return false;
  if (share >= 1) return true;
  std::string name = "audit";
  name.push_back('\0');
  name.append(message_id);
  name.push_back('\0');
  name.append(variable);
  detail::hitl::Stream stream(seed, name);
  return stream.uniform() < share;
}

std::vector<Requirement> resolve_targeting(const std::vector<TargetRule>& rules, const sdk::Message& message) {
  const auto message_value = [&](std::string_view key) -> const std::string& {
    return key == "language" ? message.language : message.sender_locale;
  };
  std::vector<Requirement> out;
  for (const auto& rule : rules) {
    bool applies = true;
    for (const auto& [key, value] : rule.when)
      if (message_value(key) != value) applies = false;
    if (!applies) continue;
    for (const auto& [key, value] : rule.require) {
      std::string v = value;
      if (value == "{message.language}") v = message.language;
      if (value == "{message.locale}") v = message.sender_locale;
      if (v.empty()) continue;  // unknown: the condition cannot be stated, so it is dropped
      Requirement r{key, std::move(v)};
      if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(std::move(r));
    }
  }
  return out;
}

bool meets(const store::WorkerRecord& worker, const std::vector<Requirement>& requirements) {
  const auto has = [](const std::vector<std::string>& list, const std::string& v) {
    return std::find(list.begin(), list.end(), v) != list.end();
  };
  for (const auto& r : requirements) {
    if (r.key == "language" && !has(worker.languages, r.value)) return false;
    if (r.key == "locale" && worker.locale != r.value) return false;
    if (r.key == "tag" && !has(worker.tags, r.value)) return false;
    if (r.key == "skill" && !has(worker.skills, r.value)) return false;
  }
  return true;
}

sdk::Result<RoutePlan> plan_route(const sdk::Message& message, const std::vector<sdk::Annotation>& annotations,
                                  const RouteSpec& route, std::string_view pipeline_name, store::Seconds now) {
  if (message.id.empty()) return sdk::Status::invalid_input("route: the message has no case id (Message::id)");
  const std::string& audit_key = message.message_id.empty() ? message.id : message.message_id;
  RoutePlan plan;
  std::map<std::string, int> seen;  // variable -> tasks made for it so far
  for (const auto& a : annotations) {
    const sdk::Distribution& d = a.variable.distribution;
    const VariableRoute settings = route.for_variable(a.variable.name);
    if (d.empty()) {
      plan.reasons.push_back(RouteReason::no_candidates);
      continue;
    }
    RouteReason reason = RouteReason::confident;
    if (d.top_p() < settings.threshold) {
      reason = RouteReason::below_threshold;
    } else if (audit_draw(route.seed, audit_key, a.variable.name, settings.audit_share)) {
      reason = RouteReason::audit;
    }
    plan.reasons.push_back(reason);
    if (reason == RouteReason::confident) continue;

    auto snippet = make_snippet(message.text, a.span, static_cast<std::size_t>(std::max(settings.context_chars, 0)));
    if (!snippet.is_ok())
      return sdk::Status::invalid_input("route: message " + message.id + ", variable " + a.variable.name + ": " +
                                        snippet.status().message());
    RoutedTask t;
    sdk::Task& task = t.record.task;
    const int n = ++seen[a.variable.name];
    task.id = message.id + "/" + a.variable.name + (n > 1 ? "#" + std::to_string(n) : std::string());
    task.case_id = message.id;
    task.variable = a.variable.name;
    for (const auto& c : d.candidates()) task.options.push_back(c.value);
    task.allow_other = true;
    task.instructions = settings.instructions.empty() ? default_instructions(a.variable.name) : settings.instructions;
    task.snippet = std::move(snippet.value().text);
    task.highlight = snippet.value().highlight;
    task.language = message.language;
    task.created = now;
    t.record.kind = reason == RouteReason::audit ? store::TaskKind::audit : store::TaskKind::routed;
    t.record.state = store::TaskState::open;
    t.record.tier = 0;
    t.record.max_answers = settings.max_answers;
    t.record.max_cost = settings.max_cost;
    t.record.prior = d;
    t.record.posterior = d;
    t.record.updated = now;
    t.requirements = resolve_targeting(settings.targeting, message);
    t.threshold = settings.threshold;
    t.escalate_after = settings.escalate_after;
    plan.tasks.push_back(std::move(t));
  }
  if (!plan.tasks.empty()) {
    store::CaseRecord& c = plan.case_record;
    c.id = message.id;
    c.message_id = message.message_id;
    c.thread_id = message.thread_id;
    c.pipeline = std::string(pipeline_name);
    c.state = store::CaseState::waiting;
    c.payload = case_payload(message, plan.tasks);
    c.created = now;
    c.updated = now;
  }
  return plan;
}

sdk::Result<RoutePlan> route_message(store::Store& store, const sdk::Message& message,
                                     const std::vector<sdk::Annotation>& annotations, const RouteSpec& route,
                                     std::string_view pipeline_name, store::Seconds now) {
  auto plan = plan_route(message, annotations, route, pipeline_name, now);
  if (!plan.is_ok() || plan.value().tasks.empty()) return plan;
  const RoutePlan& p = plan.value();
  const sdk::Status s = store.transact([&](store::Transaction& tx) {
    if (auto st = tx.add_case(p.case_record); !st.is_ok()) return st;
    for (const auto& t : p.tasks)
      if (auto st = tx.add_task(t.record); !st.is_ok()) return st;
    return sdk::Status::ok();
  });
  if (!s.is_ok()) return s;
  return plan;
}

sdk::Result<RoutePlan> route_message(store::Store& store, const sdk::Message& message, const MessageResult& result,
                                     const RouteSpec& route, std::string_view pipeline_name, store::Seconds now) {
  if (result.state != MessageResult::State::done)
    return sdk::Status::invalid_input("route: message " + message.id + " failed (" + result.error +
                                      "); a failed message is not routed");
  return route_message(store, message, result.annotations, route, pipeline_name, now);
}

sdk::Result<std::vector<Requirement>> requirements_from_payload(std::string_view payload, std::string_view task_id) {
  const nlohmann::json j = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("router") || !j.contains("requirements") ||
      !j["requirements"].is_object())
    return sdk::Status::invalid_input("route: the case payload was not written by the router");
  std::vector<Requirement> out;
  const auto it = j["requirements"].find(std::string(task_id));
  if (it == j["requirements"].end()) return out;
  for (const auto& pair : *it) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string())
      return sdk::Status::invalid_input("route: the case payload has a malformed requirement of task " +
                                        std::string(task_id));
    out.push_back({pair[0].get<std::string>(), pair[1].get<std::string>()});
  }
  return out;
}

}  // namespace tandem::hitl
