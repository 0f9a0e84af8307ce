#include "hitl/router.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "tandem/pipeline.hpp"
#include "tandem/plugin_host.hpp"

namespace tandem::hitl {
namespace {

const store::Seconds kNow{std::chrono::seconds{1772442000}};

sdk::Annotation annotation(const std::string& variable, std::vector<sdk::Candidate> candidates, sdk::Span span = {}) {
  sdk::Annotation a;
  a.variable.name = variable;
  a.variable.distribution = sdk::Distribution(std::move(candidates));
  a.span = span;
  return a;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// ---- snippets ---------------------------------------------------------------------------------------

TEST(Snippet, CutsTheWindowBackToWholeWords) {
  const std::string text = "alpha beta gamma delta epsilon";
  // Seven characters on each side would show "a beta " and " delta ": the partial "a" goes.
  auto s = make_snippet(text, {11, 16}, 7);
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  EXPECT_EQ(s.value().text, "beta gamma delta");
  EXPECT_EQ(s.value().highlight, (sdk::Span{5, 10}));
  // Five: " delt" would cut "delta", so nothing of it is shown.
  s = make_snippet(text, {11, 16}, 5);
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ(s.value().text, "beta gamma");
  EXPECT_EQ(s.value().highlight, (sdk::Span{5, 10}));
  // No context at all: the span alone.
  s = make_snippet(text, {11, 16}, 0);
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ(s.value().text, "gamma");
  EXPECT_EQ(s.value().highlight, (sdk::Span{0, 5}));
  // A window larger than the text: the whole text.
  s = make_snippet(text, {0, 5}, 500);
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ(s.value().text, text);
  EXPECT_EQ(s.value().highlight, (sdk::Span{0, 5}));
}

TEST(Snippet, CountsCharactersNotBytes) {
  const std::string text = "Tschüß bis Dienstag, dann übermorgen";  // ü and ß are two bytes each
  ASSERT_EQ(text.substr(13, 8), "Dienstag");
  // "Tschüß bis " is 11 characters (13 bytes): a window of 11 shows all of it.
  auto s = make_snippet(text, {13, 21}, 11);
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  EXPECT_EQ(s.value().text, "Tschüß bis Dienstag, dann");
  EXPECT_EQ(s.value().highlight, (sdk::Span{13, 21}));
  // Ten would cut "Tschüß" after its "T": the word goes.
  s = make_snippet(text, {13, 21}, 10);
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ(s.value().text, "bis Dienstag, dann");
  EXPECT_EQ(s.value().highlight, (sdk::Span{4, 12}));
  // Eight ends the right window just after the two-byte ü of "übermorgen": the word goes; on the left
  // it starts at the "h" of "Tschüß": that word goes too.
  s = make_snippet(text, {13, 21}, 8);
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ(s.value().text, "bis Dienstag, dann");
}

TEST(Snippet, RefusesASpanThatDoesNotFitOrSplitsACharacter) {
  const std::string text = "Tschüß bis Dienstag";
  auto s = make_snippet(text, {5, 8}, 10);  // byte 5 is the second byte of ü
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.status().to_string(), "invalid_input: span [5, 8) splits a UTF-8 character");
  s = make_snippet(text, {10, 40}, 10);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.status().to_string(), "invalid_input: span [10, 40) does not fit a text of 21 bytes");
}

TEST(Snippet, AMessageLevelVariableShowsTheBeginningOnly) {
  const std::string text = "  Could we meet next week to talk about the budget?";
  auto s = make_snippet(text, {0, 0}, 10);  // 2 × 10 characters: "  Could we meet next"
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ(s.value().text, "Could we meet next");
  EXPECT_EQ(s.value().highlight, (sdk::Span{0, 0}));
}

TEST(Snippet, NeverShowsMoreThanTheWindowNorPartOfAWord) {
  const std::string text =
      "Hallo Jürgen, nächste Woche bin ich in Zürich, aber könnten wir am Dienstag danach um 15 Uhr einen "
      "Kaffee trinken? Grüße, Zoë — PS: Mittwoch geht auch, außer zwischen 12 und 14 Uhr.";
  // Every word as a span, with several windows.
  std::vector<sdk::Span> words;
  for (std::size_t i = 0; i < text.size();) {
    while (i < text.size() && is_space(text[i])) ++i;
    std::size_t j = i;
    while (j < text.size() && !is_space(text[j])) ++j;
    if (j > i) words.push_back({i, j});
    i = j;
  }
  ASSERT_GT(words.size(), 20u);
  for (std::size_t window : {0u, 3u, 12u, 30u, 80u}) {
    for (const sdk::Span& w : words) {
      auto s = make_snippet(text, w, window);
      ASSERT_TRUE(s.is_ok()) << s.status().to_string();
      const std::string& snip = s.value().text;
      const sdk::Span h = s.value().highlight;
      ASSERT_EQ(h.of(snip), w.of(text)) << "window " << window;
      const std::size_t from = w.begin - h.begin;  // where the snippet starts in the text
      ASSERT_EQ(text.substr(from, snip.size()), snip);
      EXPECT_LE(code_points(snip.substr(0, h.begin)), window) << snip;
      EXPECT_LE(code_points(snip.substr(h.end)), window) << snip;
      // Whole words only: the snippet starts after a space (or at the start) and ends before one.
      EXPECT_TRUE(from == 0 || is_space(text[from - 1])) << snip;
      const std::size_t to = from + snip.size();
      EXPECT_TRUE(to == text.size() || is_space(text[to])) << snip;
    }
  }
}

// ---- audits -----------------------------------------------------------------------------------------

TEST(Audit, TheSameSeedMessageAndVariableAlwaysDrawTheSame) {
  std::vector<bool> first;
  std::vector<bool> again;
  std::vector<bool> other_seed;
  for (int i = 0; i < 2000; ++i) {
    const std::string id = "m" + std::to_string(i) + "@mail.example.org";
    first.push_back(audit_draw(7, id, "request", 0.3));
    again.push_back(audit_draw(7, id, "request", 0.3));
    other_seed.push_back(audit_draw(8, id, "request", 0.3));
  }
  EXPECT_EQ(first, again);
  EXPECT_NE(first, other_seed);
  EXPECT_FALSE(audit_draw(7, "m1", "request", 0.0));
  EXPECT_TRUE(audit_draw(7, "m1", "request", 1.0));
}

TEST(Audit, TheShareIsAboutRightOverManyMessages) {
  for (double share : {0.02, 0.1, 0.5}) {
    int audited = 0;
    constexpr int kN = 20000;
    for (int i = 0; i < kN; ++i)
      audited += audit_draw(3, "msg-" + std::to_string(i), i % 2 ? "event_type" : "time[0].value", share) ? 1 : 0;
    // Five standard deviations of a binomial share.
    const double sd = std::sqrt(share * (1 - share) / kN);
    EXPECT_NEAR(static_cast<double>(audited) / kN, share, 5 * sd) << share;
  }
}

// ---- the plan ---------------------------------------------------------------------------------------

RouteSpec route_for_tests() {
  RouteSpec r;
  r.threshold = 0.8;
  r.defaults.audit_share = 0;
  r.defaults.max_answers = 4;
  r.defaults.context_chars = 20;
  VariableRouteOverride request;
  request.key = "request";
  request.threshold = 0.9;
  request.instructions = "What does the sender want?";
  request.max_cost = 6;
  VariableRouteOverride times;
  times.key = "time[*].value";
  times.threshold = 0.6;
  r.variables = {request, times};
  return r;
}

sdk::Message german_message() {
  sdk::Message m;
  m.id = "case-1";
  m.message_id = "abc@mail.example.org";
  m.thread_id = "thread-1";
  m.language = "de";
  m.sender_locale = "de_DE";
  m.text = "Hallo Jürgen, nächste Woche bin ich weg, aber könnten wir am Dienstag danach um 15 Uhr einen Kaffee trinken?";
  return m;
}

TEST(Route, EachVariableHasItsOwnThreshold) {
  const RouteSpec r = route_for_tests();
  EXPECT_DOUBLE_EQ(r.threshold_for("request"), 0.9);
  EXPECT_DOUBLE_EQ(r.threshold_for("time[3].value"), 0.6);
  EXPECT_DOUBLE_EQ(r.threshold_for("time[3].polarity"), 0.8);
  EXPECT_DOUBLE_EQ(r.threshold_for("time.value"), 0.8);  // no index: not the pattern
  const sdk::Message m = german_message();
  const std::vector<sdk::Annotation> as = {
      annotation("request", {{"schedule", 0.85}, {"reschedule", 0.15}}),
      annotation("event_type", {{"coffee", 0.85}, {"meal", 0.15}}),
      annotation("time[3].value", {{"2026-12-01T15:00/PT1H", 0.65}, {"2026-12-01T03:00/PT1H", 0.35}}, {64, 89}),
      annotation("time[3].polarity", {{"positive", 0.7}, {"negative", 0.2}, {"neutral", 0.1}}, {64, 89}),
  };
  auto plan = plan_route(m, as, r, "default", kNow);
  ASSERT_TRUE(plan.is_ok()) << plan.status().to_string();
  EXPECT_EQ(plan.value().reasons, (std::vector<RouteReason>{RouteReason::below_threshold, RouteReason::confident,
                                                            RouteReason::confident, RouteReason::below_threshold}));
  ASSERT_EQ(plan.value().tasks.size(), 2u);
  EXPECT_EQ(plan.value().tasks[0].record.task.id, "case-1/request");
  EXPECT_EQ(plan.value().tasks[1].record.task.id, "case-1/time[3].polarity");
  EXPECT_DOUBLE_EQ(plan.value().tasks[0].threshold, 0.9);
  EXPECT_DOUBLE_EQ(plan.value().tasks[1].threshold, 0.8);
  EXPECT_EQ(plan.value().case_record.id, "case-1");
  EXPECT_EQ(plan.value().case_record.pipeline, "default");
  EXPECT_EQ(plan.value().case_record.state, store::CaseState::waiting);
}

TEST(Route, BuildsTheTaskWithOptionsInstructionsSnippetAndBudget) {
  const RouteSpec r = route_for_tests();
  const sdk::Message m = german_message();
  ASSERT_EQ(m.text.substr(64, 25), "Dienstag danach um 15 Uhr");
  const std::vector<sdk::Annotation> as = {
      annotation("request", {{"reschedule", 0.3}, {"schedule", 0.6}, {"cancel", 0.1}}),
      annotation("time[3].polarity", {{"negative", 0.2}, {"positive", 0.7}, {"neutral", 0.1}}, {64, 89}),
  };
  auto plan = plan_route(m, as, r, "default", kNow);
  ASSERT_TRUE(plan.is_ok()) << plan.status().to_string();
  ASSERT_EQ(plan.value().tasks.size(), 2u);

  const store::TaskRecord& req = plan.value().tasks[0].record;
  EXPECT_EQ(req.task.options, (std::vector<std::string>{"schedule", "reschedule", "cancel"}));  // by probability
  EXPECT_TRUE(req.task.allow_other);
  EXPECT_EQ(req.task.instructions, "What does the sender want?");
  EXPECT_EQ(req.task.snippet, "Hallo Jürgen, nächste Woche bin ich weg,");  // the first 40 characters, whole words
  EXPECT_EQ(req.task.highlight, (sdk::Span{0, 0}));
  EXPECT_EQ(req.task.language, "de");
  EXPECT_EQ(req.kind, store::TaskKind::routed);
  EXPECT_EQ(req.max_answers, 4);
  EXPECT_DOUBLE_EQ(req.max_cost, 6);
  EXPECT_EQ(req.prior, as[0].variable.distribution);
  EXPECT_EQ(req.task.created, kNow);

  const store::TaskRecord& pol = plan.value().tasks[1].record;
  EXPECT_EQ(pol.task.options, (std::vector<std::string>{"positive", "negative", "neutral"}));
  EXPECT_EQ(pol.task.instructions,
            "Read the highlighted text and choose the value of \"time[3].polarity\" it means. If none of the "
            "options fits, choose \"none of these\" and write what fits.");
  // 20 characters each side: "aber könnten wir am " is exactly 20 and starts after a space, so it stays;
  // " einen Kaffee trinke" would cut "trinken?", which goes.
  EXPECT_EQ(pol.task.snippet, "aber könnten wir am Dienstag danach um 15 Uhr einen Kaffee");
  EXPECT_EQ(pol.task.highlight.of(pol.task.snippet), "Dienstag danach um 15 Uhr");
  EXPECT_EQ(pol.max_cost, 0);
}

TEST(Route, AuditsAConfidentAnnotationWhenTheDrawSaysSo) {
  RouteSpec r = route_for_tests();
  r.defaults.audit_share = 0.5;
  r.seed = 11;
  const sdk::Message base = german_message();
  int audited = 0;
  for (int i = 0; i < 40; ++i) {
    sdk::Message m = base;
    m.id = "case-" + std::to_string(i);
    m.message_id = "id" + std::to_string(i) + "@x";
    const std::vector<sdk::Annotation> as = {annotation("event_type", {{"coffee", 0.95}, {"meal", 0.05}})};
    auto plan = plan_route(m, as, r, "default", kNow);
    ASSERT_TRUE(plan.is_ok());
    const bool drawn = audit_draw(11, m.message_id, "event_type", 0.5);
    ASSERT_EQ(plan.value().reasons[0], drawn ? RouteReason::audit : RouteReason::confident) << i;
    ASSERT_EQ(plan.value().tasks.size(), drawn ? 1u : 0u);
    if (drawn) {
      ++audited;
      EXPECT_EQ(plan.value().tasks[0].record.kind, store::TaskKind::audit);
    }
  }
  EXPECT_GT(audited, 5);
  EXPECT_LT(audited, 35);
}

TEST(Route, ResolvesTargetingAgainstTheMessage) {
  const std::vector<TargetRule> rules = {
      TargetRule{{}, {{"language", "{message.language}"}}},
      TargetRule{{{"language", "de"}}, {{"locale", "de_DE"}}},
      TargetRule{{{"language", "fr"}}, {{"tag", "francophone"}}},
  };
  sdk::Message m = german_message();
  EXPECT_EQ(resolve_targeting(rules, m), (std::vector<Requirement>{{"language", "de"}, {"locale", "de_DE"}}));
  m.language = "";
  EXPECT_EQ(resolve_targeting(rules, m), (std::vector<Requirement>{}));  // unknown language: dropped

  store::WorkerRecord w;
  w.languages = {"en", "de"};
  w.locale = "de_AT";
  EXPECT_TRUE(meets(w, {{"language", "de"}}));
  EXPECT_FALSE(meets(w, {{"language", "de"}, {"locale", "de_DE"}}));
  w.tags = {"trusted"};
  EXPECT_TRUE(meets(w, {{"tag", "trusted"}}));
  EXPECT_FALSE(meets(w, {{"skill", "time"}}));
}

TEST(Route, RequirementsTravelInTheCasePayload) {
  RouteSpec r = route_for_tests();
  r.defaults.targeting = {TargetRule{{}, {{"locale", "{message.locale}"}}}};
  const std::vector<sdk::Annotation> as = {annotation("request", {{"schedule", 0.5}, {"cancel", 0.5}})};
  auto plan = plan_route(german_message(), as, r, "default", kNow);
  ASSERT_TRUE(plan.is_ok());
  auto req = requirements_from_payload(plan.value().case_record.payload, "case-1/request");
  ASSERT_TRUE(req.is_ok()) << req.status().to_string();
  EXPECT_EQ(req.value(), (std::vector<Requirement>{{"locale", "de_DE"}}));
  EXPECT_FALSE(requirements_from_payload("{\"text\": 1}", "x").is_ok());
}

TEST(Route, RefusesAMessageWithoutIdOrASpanOutsideTheText) {
  const RouteSpec r = route_for_tests();
  sdk::Message m = german_message();
  const std::vector<sdk::Annotation> as = {annotation("time[0].polarity", {{"positive", 0.5}, {"negative", 0.5}}, {100, 500})};
  auto plan = plan_route(m, as, r, "default", kNow);
  ASSERT_FALSE(plan.is_ok());
  EXPECT_EQ(plan.status().to_string(),
            "invalid_input: route: message case-1, variable time[0].polarity: span [100, 500) does not fit a text "
            "of 111 bytes");
  m.id.clear();
  EXPECT_FALSE(plan_route(m, {}, r, "default", kNow).is_ok());
}

// ---- the route section of a pipeline ------------------------------------------------------------------

TEST(RouteSection, ReadsEveryKey) {
  PluginHost host;
  host.load_directory(TANDEM_BUILD_PLUGIN_DIR);
  const std::string yaml = R"(tandem: 1
route:
  threshold: 0.75
  seed: 42
  audit_share: 0.05
  context_chars: 60
  escalate_after: 3
  budget: {answers: 6, cost: 12.5}
  instructions: Choose what the text means.
  targeting:
    - require: {language: "{message.language}"}
  thresholds: {event_type: 0.7}
  variables:
    request:
      threshold: 0.9
      budget: {answers: 3}
    "time[*].value":
      context_chars: 40
      targeting:
        - when: {language: de}
          require: {locale: de_DE}
stages:
  extract:
    - plugin: cue_words
      config: {variable: request, cues: {meet: [meet]}}
)";
  const PipelineLoad load = parse_pipeline(yaml, "route.yaml", ".", host);
  ASSERT_TRUE(load.ok()) << (load.errors.empty() ? std::string() : load.errors.front().to_string());
  const RouteSpec& r = load.pipeline->route;
  EXPECT_EQ(r.seed, 42u);
  const VariableRoute ev = r.for_variable("event_type");
  EXPECT_DOUBLE_EQ(ev.threshold, 0.7);
  EXPECT_DOUBLE_EQ(ev.audit_share, 0.05);
  EXPECT_EQ(ev.context_chars, 60);
  EXPECT_EQ(ev.escalate_after, 3);
  EXPECT_EQ(ev.max_answers, 6);
  EXPECT_DOUBLE_EQ(ev.max_cost, 12.5);
  EXPECT_EQ(ev.instructions, "Choose what the text means.");
  EXPECT_EQ(ev.targeting, (std::vector<TargetRule>{TargetRule{{}, {{"language", "{message.language}"}}}}));
  const VariableRoute req = r.for_variable("request");
  EXPECT_DOUBLE_EQ(req.threshold, 0.9);
  EXPECT_EQ(req.max_answers, 3);
  EXPECT_DOUBLE_EQ(req.max_cost, 12.5);
  const VariableRoute tv = r.for_variable("time[12].value");
  EXPECT_DOUBLE_EQ(tv.threshold, 0.75);
  EXPECT_EQ(tv.context_chars, 40);
  EXPECT_EQ(tv.targeting, (std::vector<TargetRule>{TargetRule{{{"language", "de"}}, {{"locale", "de_DE"}}}}));
}

TEST(RouteSection, TheShippedDefaultPipelineSetsEveryRouteKey) {
  PluginHost host;
  host.load_directory(TANDEM_BUILD_PLUGIN_DIR);
  const PipelineLoad load = load_pipeline(std::filesystem::path(TANDEM_SOURCE_DIR) / "config" / "default.yaml", host);
  ASSERT_TRUE(load.ok()) << (load.errors.empty() ? std::string() : load.errors.front().to_string());
  const RouteSpec& r = load.pipeline->route;
  EXPECT_EQ(r.seed, 1u);
  const VariableRoute pol = r.for_variable("time[4].polarity");
  EXPECT_DOUBLE_EQ(pol.threshold, 0.8);
  EXPECT_EQ(pol.max_answers, 5);
  EXPECT_EQ(pol.context_chars, 80);
  EXPECT_EQ(pol.escalate_after, 2);
  EXPECT_DOUBLE_EQ(pol.audit_share, 0.02);
  EXPECT_EQ(pol.instructions.rfind("Is the highlighted time offered", 0), 0u) << pol.instructions;
  EXPECT_EQ(pol.targeting, (std::vector<TargetRule>{TargetRule{{}, {{"language", "{message.language}"}}}}));
  EXPECT_DOUBLE_EQ(r.for_variable("request").threshold, 0.85);
}

TEST(RouteSection, DefaultsWithoutARouteSection) {
  const RouteSpec r;
  const VariableRoute v = r.for_variable("request");
  EXPECT_DOUBLE_EQ(v.threshold, 0.8);
  EXPECT_EQ(v.max_answers, 5);
  EXPECT_DOUBLE_EQ(v.max_cost, 0);
  EXPECT_DOUBLE_EQ(v.audit_share, 0.02);
  EXPECT_EQ(v.context_chars, 80);
  EXPECT_EQ(v.escalate_after, 2);
  EXPECT_TRUE(v.targeting.empty());
  EXPECT_TRUE(RouteSpec::matches("time[*].value", "time[0].value"));
  EXPECT_FALSE(RouteSpec::matches("time[*].value", "time[].value"));
  EXPECT_FALSE(RouteSpec::matches("time[*].value", "time[1].values"));
  EXPECT_FALSE(RouteSpec::matches("time[*]", "time[x]"));
}

}  // namespace
}  // namespace tandem::hitl
