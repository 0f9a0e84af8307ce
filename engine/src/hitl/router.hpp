// Internal: the route stage of the engine (issue 5, steps 1–2). From one processed message it decides
// which annotations go to people — those whose top candidate is below their variable's threshold, and
// a seeded random share of the confident ones (audits) — builds each one's task (a multiple-choice
// question over the candidates plus "none of these", the variable's instructions, and only a bounded
// snippet of the mail), and writes the case and all its tasks in one store transaction.
//
// The route settings come from the pipeline's `route` section (tandem/pipeline.hpp, RouteSpec;
// config/README.md lists the keys; docs/hitl.md "Routing in the engine" has the rules).
//
// Thread-safety: every function is pure or works through the store it is given (which serialises
// itself); nothing here keeps state. Ownership: plain values in and out.
#ifndef TANDEM_ENGINE_HITL_ROUTER_HPP_
#define TANDEM_ENGINE_HITL_ROUTER_HPP_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"
#include "tandem/engine.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/sdk/status.hpp"
#include "tandem/sdk/types.hpp"

namespace tandem::hitl {

// What a worker is shown of the mail: the span plus at most `context_chars` characters (Unicode code
// points) on each side, cut back to whole words, with the span's place in it.
struct Snippet {
  std::string text;
  sdk::Span highlight;  // bytes of `text`
  friend bool operator==(const Snippet&, const Snippet&) = default;
};

// The snippet rule. The span itself is always shown whole. On each side at most `context_chars` code
// points are added; a word the window would cut is left out entirely, and whitespace at the outer ends
// (and between the context and a cut) is dropped, so the context never exceeds the window and never
// shows part of a word. Word boundaries are ASCII whitespace. An empty span at offset 0 (a message-level
// variable such as `request`) shows the first 2 × context_chars code points, cut the same way, with an
// empty highlight at 0. invalid_input when the span does not fit the text or splits a UTF-8 character.
sdk::Result<Snippet> make_snippet(std::string_view text, sdk::Span span, std::size_t context_chars);

// The audit draw: true for a share `share` of (message, variable) pairs, the same every time for the
// same seed, message id and variable (a counter-based stream keyed by all three; engine/src/hitl/random.hpp).
bool audit_draw(std::uint64_t seed, std::string_view message_id, std::string_view variable, double share);

// The targeting of one task with placeholders resolved against its message: a worker must meet every
// requirement (key: language, locale, tag, skill).
struct Requirement {
  std::string key;
  std::string value;
  friend bool operator==(const Requirement&, const Requirement&) = default;
};
std::vector<Requirement> resolve_targeting(const std::vector<TargetRule>& rules, const sdk::Message& message);
// Whether `worker` meets every requirement (language: one of its languages; locale: equal; tag/skill:
// one of its tags/skills).
bool meets(const store::WorkerRecord& worker, const std::vector<Requirement>& requirements);

// Why an annotation went to people, or not.
enum class RouteReason { confident, below_threshold, audit, no_candidates };

struct RoutedTask {
  store::TaskRecord record;              // kind routed or audit; budget and prior filled
  std::vector<Requirement> requirements; // who may answer it
  double threshold = 0;                  // the variable's threshold, for escalation
  int escalate_after = 0;
};

struct RoutePlan {
  std::vector<RouteReason> reasons;   // one per annotation, in the annotations' order
  std::vector<RoutedTask> tasks;      // in the annotations' order
  store::CaseRecord case_record;      // meaningful when `tasks` is not empty
};

// Decides and builds, without touching a store. Task ids are "<case id>/<variable>" (a variable seen
// twice gets "#2", "#3"). The case id is message.id; the payload is JSON with the message's ids, language,
// locale and each task's resolved requirements (see requirements_from_payload). invalid_input when
// message.id is empty or a span does not fit the text.
sdk::Result<RoutePlan> plan_route(const sdk::Message& message, const std::vector<sdk::Annotation>& annotations,
                                  const RouteSpec& route, std::string_view pipeline_name, store::Seconds now);

// plan_route, then (when any task was made) the case and every task written in one transaction. Returns
// the plan; on a store error nothing was written.
sdk::Result<RoutePlan> route_message(store::Store& store, const sdk::Message& message,
                                     const std::vector<sdk::Annotation>& annotations, const RouteSpec& route,
                                     std::string_view pipeline_name, store::Seconds now);

// The same for what Engine::process returned; a failed result is refused (invalid_input: nothing of a
// failed message goes to people; the engine retries it instead).
sdk::Result<RoutePlan> route_message(store::Store& store, const sdk::Message& message, const MessageResult& result,
                                     const RouteSpec& route, std::string_view pipeline_name, store::Seconds now);

// The requirements of `task_id` as route_message stored them in the case payload (empty when the task
// has none). invalid_input when the payload is not one the router wrote.
sdk::Result<std::vector<Requirement>> requirements_from_payload(std::string_view payload, std::string_view task_id);

}  // namespace tandem::hitl

#endif  // TANDEM_ENGINE_HITL_ROUTER_HPP_
