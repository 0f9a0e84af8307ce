#include "hitl/workers.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <utility>

#include "hitl/quality.hpp"
#include "hitl/random.hpp"
#include "pipeline/schema.hpp"
#include "pipeline/yaml_reader.hpp"
#include "store/sqlite_store.hpp"
#include "tandem/sdk/config.hpp"

namespace tandem::hitl {
namespace {

constexpr const char* kRosterSchema = R"({
  "type": "object",
  "properties": {
    "workers": {"type": "array", "items": {"type": "object", "properties": {
      "id": {"type": "string", "minLength": 1},
      "backend": {"type": "string", "minLength": 1},
      "name": {"type": "string"},
      "languages": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]{2,3}$"}, "uniqueItems": true},
      "locale": {"type": "string"},
      "skills": {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": true},
      "tags": {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": true},
      "tier": {"type": "integer", "minimum": 0, "maximum": 9, "default": 0},
      "cost": {"type": "number", "minimum": 0, "default": 1},
      "active": {"type": "boolean", "default": true}},
      "required": ["id", "backend"]}}
  },
  "required": ["workers"]
})";

constexpr const char* kQualificationSchema = R"({
  "type": "object",
  "properties": {
    "variable": {"type": "string", "minLength": 1},
    "instructions": {"type": "string"},
    "pass_mark": {"type": "number", "exclusiveMinimum": 0, "maximum": 1, "default": 0.8},
    "gold": {"type": "object", "properties": {
      "rate": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.05},
      "questions": {"type": "array", "items": {"type": "object", "properties": {
        "id": {"type": "string", "minLength": 1},
        "snippet": {"type": "string", "minLength": 1},
        "highlight": {"type": "string"},
        "options": {"type": "array", "minItems": 2, "uniqueItems": true, "items": {"type": "string", "minLength": 1}},
        "answer": {"type": "string"},
        "explanation": {"type": "string"}},
        "required": ["id", "snippet", "options", "answer"]}}}},
    "revocation": {"type": "object", "properties": {
      "bar": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1, "default": 0.6},
      "credible": {"type": "number", "minimum": 0.5, "exclusiveMaximum": 1, "default": 0.95},
      "prior": {"type": "object", "properties": {
        "right": {"type": "number", "exclusiveMinimum": 0, "default": 2},
        "wrong": {"type": "number", "exclusiveMinimum": 0, "default": 1}}}}},
    "tutorial": {"type": "array", "minItems": 1, "items": {"type": "object", "properties": {
      "id": {"type": "string", "minLength": 1},
      "snippet": {"type": "string", "minLength": 1},
      "highlight": {"type": "string"},
      "options": {"type": "array", "minItems": 2, "uniqueItems": true, "items": {"type": "string", "minLength": 1}},
      "answer": {"type": "string"},
      "feedback": {"type": "string", "minLength": 1}},
      "required": ["id", "snippet", "options", "answer", "feedback"]}},
    "quiz": {"type": "array", "minItems": 1, "items": {"type": "object", "properties": {
      "id": {"type": "string", "minLength": 1},
      "snippet": {"type": "string", "minLength": 1},
      "highlight": {"type": "string"},
      "options": {"type": "array", "minItems": 2, "uniqueItems": true, "items": {"type": "string", "minLength": 1}},
      "answer": {"type": "string"}},
      "required": ["id", "snippet", "options", "answer"]}}
  },
  "required": ["variable", "pass_mark", "tutorial", "quiz"]
})";

// 12, 11.5, 11.25: a weight of answers, without noise digits.
std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", std::round(v * 100) / 100);
  return buf;
}

std::vector<std::string> error_lines(sdk::ConfigErrors& errors) {
  errors.sort();
  std::vector<std::string> out;
  for (const auto& e : errors.all()) out.push_back(e.to_string());
  return out;
}

// Parses `text` against `schema_text`; the checked root, or nullopt with the errors in `errors`.
std::optional<sdk::ConfigNode> parse_checked(const std::string& text, const std::string& file_name,
                                             const char* schema_text, sdk::ConfigErrors& errors) {
  const auto schema = detail::ConfigSchema::parse(schema_text);
  if (!schema.is_ok()) {
    errors.add(sdk::ConfigError{sdk::Mark{file_name, 0, 0}, "", "internal error: schema: " + schema.status().message()});
    return std::nullopt;
  }
  const auto doc = detail::parse_yaml_document(text, file_name, errors);
  if (!doc) return std::nullopt;
  sdk::ConfigNode root = detail::to_config_node(*doc, text, file_name, errors);
  if (!errors.empty()) return std::nullopt;
  root = schema.value()->check(root, errors);
  if (!errors.empty()) return std::nullopt;
  return root;
}

std::vector<std::string> strings(const sdk::ConfigNode& map, std::string_view key) {
  std::vector<std::string> out;
  if (const sdk::ConfigNode* n = map.find(key))
    for (const auto& item : n->items()) out.push_back(item.scalar());
  return out;
}

std::string slurp(const std::filesystem::path& file, bool& ok) {
  std::ifstream in(file, std::ios::binary);
  ok = static_cast<bool>(in);
  std::stringstream text;
  if (ok) text << in.rdbuf();
  return text.str();
}

// A uniform number in [0, 1) named by (seed, name, n): the first draw of that counter-based stream
// (hitl/random.hpp), the same on every machine; nearby counters give unrelated numbers.
double named_uniform(std::uint64_t seed, std::string_view name, std::uint64_t n) {
  return detail::hitl::Stream(seed, name, n).uniform();
}

// The value an answer gives: the option, or the free text of "none of these".
const std::string& given(const sdk::Answer& a) { return a.value.empty() ? a.other_text : a.value; }

}  // namespace

// ---------------------------------------------------------------------------------------------- variables

std::string variable_family(std::string_view variable) {
  std::string out;
  out.reserve(variable.size());
  for (std::size_t i = 0; i < variable.size(); ++i) {
    if (variable[i] == '[') {
      std::size_t j = i + 1;
      while (j < variable.size() && std::isdigit(static_cast<unsigned char>(variable[j]))) ++j;
      if (j > i + 1 && j < variable.size() && variable[j] == ']') {
        out += "[*]";
        i = j;
        continue;
      }
    }
    out.push_back(variable[i]);
  }
  return out;
}

bool variable_matches(std::string_view name, std::string_view variable) {
  return name == variable || (name.find("[*]") != std::string_view::npos && variable_family(variable) == name);
}

// ------------------------------------------------------------------------------------------------ roster

int worker_tier(const store::WorkerRecord& worker) {
  for (const auto& t : worker.tags)
    if (t.rfind("tier:", 0) == 0) return std::atoi(t.c_str() + 5);
  return 0;
}

RosterResult parse_roster(const std::string& text, const std::string& file_name, store::Seconds now) {
  RosterResult out;
  sdk::ConfigErrors errors;
  const auto root = parse_checked(text, file_name, kRosterSchema, errors);
  if (root) {
    std::map<std::string, int> first_line;
    for (const auto& w : (*root)["workers"].items()) {
      const sdk::ConfigNode& id = w["id"];
      auto [it, inserted] = first_line.emplace(id.scalar(), id.mark().line);
      if (!inserted) {
        errors.add(id, "worker \"" + id.scalar() + "\" is listed twice (first at line " + std::to_string(it->second) +
                           ")");
        continue;
      }
      store::WorkerRecord r;
      r.ref = {id.scalar(), w.get_string("backend")};
      r.name = w.get_string("name");
      r.languages = strings(w, "languages");
      r.locale = w.get_string("locale");
      r.skills = strings(w, "skills");
      for (const auto& tag : w["tags"].items()) {
        if (tag.scalar().rfind("tier:", 0) == 0) {
          errors.add(tag, "tags starting with \"tier:\" are reserved (write the tier as tier: N), got \"" +
                              tag.scalar() + "\"");
          continue;
        }
        r.tags.push_back(tag.scalar());
      }
      const std::int64_t tier = w.get_int("tier", 0);
      if (tier > 0) r.tags.push_back("tier:" + std::to_string(tier));
      r.cost_per_answer = w.get_double("cost", 1);
      r.active = w.get_bool("active", true);
      r.created = now;
      out.workers.push_back(std::move(r));
    }
  }
  out.errors = error_lines(errors);
  if (!out.errors.empty()) out.workers.clear();
  return out;
}

RosterResult read_roster(const std::filesystem::path& file, store::Seconds now) {
  bool ok = false;
  const std::string text = slurp(file, ok);
  if (!ok) {
    RosterResult out;
    out.errors.push_back(file.string() + ": error: cannot open the roster");
    return out;
  }
  return parse_roster(text, file.string(), now);
}

// --------------------------------------------------------------------------------------- qualification

QualificationSpecResult parse_qualification(const std::string& text, const std::string& file_name) {
  QualificationSpecResult out;
  sdk::ConfigErrors errors;
  const auto root = parse_checked(text, file_name, kQualificationSchema, errors);
  if (root) {
    QualificationSpec spec;
    spec.variable = root->get_string("variable");
    spec.instructions = root->get_string("instructions");
    spec.pass_mark = root->get_double("pass_mark", 0.8);
    spec.gold_rate = (*root)["gold"].get_double("rate", 0.05);
    const sdk::ConfigNode& rev = (*root)["revocation"];
    spec.revocation.bar = rev.get_double("bar", 0.6);
    spec.revocation.credible = rev.get_double("credible", 0.95);
    spec.revocation.prior_right = rev["prior"].get_double("right", 2);
    spec.revocation.prior_wrong = rev["prior"].get_double("wrong", 1);
    std::map<std::string, int> first_line;  // ids are unique across the tutorial and the quiz
    const auto questions = [&](const sdk::ConfigNode& list, std::vector<QualificationQuestion>& into) {
      for (const auto& q : list.items()) {
        QualificationQuestion question;
        question.id = q.get_string("id");
        question.snippet = q.get_string("snippet");
        question.highlight = q.get_string("highlight");
        question.options = strings(q, "options");
        question.answer = q.get_string("answer");
        question.feedback = q.find("explanation") != nullptr ? q.get_string("explanation") : q.get_string("feedback");
        auto [it, inserted] = first_line.emplace(question.id, q["id"].mark().line);
        if (!inserted)
          errors.add(q["id"], "question id \"" + question.id + "\" is used twice (first at line " +
                                  std::to_string(it->second) + ")");
        if (std::find(question.options.begin(), question.options.end(), question.answer) == question.options.end())
          errors.add(q["answer"], "expected one of the question's options, got \"" + question.answer + "\"" +
                                      sdk::did_you_mean(question.answer, question.options));
        if (!question.highlight.empty() && question.snippet.find(question.highlight) == std::string::npos)
          errors.add(q["highlight"], "expected words of the snippet, got \"" + question.highlight + "\"");
        into.push_back(std::move(question));
      }
    };
    questions((*root)["tutorial"], spec.tutorial);
    questions((*root)["quiz"], spec.quiz);
    questions((*root)["gold"]["questions"], spec.gold);
    if (errors.empty()) out.spec = std::move(spec);
  }
  out.errors = error_lines(errors);
  return out;
}

QualificationSpecResult read_qualification(const std::filesystem::path& file) {
  bool ok = false;
  const std::string text = slurp(file, ok);
  if (!ok) {
    QualificationSpecResult out;
    out.errors.push_back(file.string() + ": error: cannot open the qualification file");
    return out;
  }
  return parse_qualification(text, file.string());
}

// --------------------------------------------------------------------------------------------- evidence

Evidence posterior_bounds(double right, double wrong, const RevocationRule& rule) {
  Evidence e;
  e.right = right;
  e.wrong = wrong;
  const double a = right + rule.prior_right, b = wrong + rule.prior_wrong;
  e.mean = a / (a + b);
  e.low = stats::beta_quantile(a, b, 1 - rule.credible);
  e.high = stats::beta_quantile(a, b, rule.credible);
  return e;
}

sdk::Result<std::vector<store::AnswerRecord>> answers_of_family(store::Reader& reader, std::string_view variable,
                                                                store::Seconds from, store::Seconds to) {
  if (variable.find("[*]") == std::string_view::npos) return reader.answers_in_window(variable, from, to);
  // The store matches variables exactly: a family is gathered worker by worker.
  store::WorkerQuery all;
  all.active_only = false;
  auto workers = reader.find_workers(all);
  if (!workers.is_ok()) return workers.status();
  std::vector<store::AnswerRecord> out;
  for (const auto& w : workers.value()) {
    auto answers = reader.answers_of_worker(w.ref.id, "");
    if (!answers.is_ok()) return answers.status();
    for (auto& a : answers.value())
      if (a.answer.answered_at >= from && a.answer.answered_at < to && variable_matches(variable, a.variable))
        out.push_back(std::move(a));
  }
  std::sort(out.begin(), out.end(), [](const store::AnswerRecord& x, const store::AnswerRecord& y) {
    return std::pair(x.answer.answered_at, x.seq) < std::pair(y.answer.answered_at, y.seq);
  });
  return out;
}

sdk::Result<Evidence> read_evidence(store::Reader& reader, std::string_view worker, std::string_view variable,
                                    const RevocationRule& rule) {
  const std::string family = variable_family(variable);
  auto answers = reader.answers_of_worker(worker, "");
  if (!answers.is_ok()) return answers.status();
  double right = 0, wrong = 0;
  int scored = 0, gold = 0;
  for (const auto& a : answers.value()) {
    if (variable_family(a.variable) != family) continue;
    auto task = reader.get_task(a.answer.task_id);
    if (!task.is_ok()) return task.status();
    if (task.value().kind == store::TaskKind::gold) {
      auto g = reader.gold(a.answer.task_id);
      if (!g.is_ok()) {
        if (g.status().code() == sdk::Code::not_found) continue;
        return g.status();
      }
      const bool ok = given(a.answer) == g.value().correct;
      right += ok ? 1 : 0;
      wrong += ok ? 0 : 1;
      ++gold;
      ++scored;
    } else if (task.value().state == store::TaskState::accepted && !task.value().posterior.empty() &&
               !a.answer.value.empty()) {
      // Weighted by what the crowd settled on: the accepted posterior's probability of this answer.
      double p = 0;
      for (const auto& c : task.value().posterior.candidates())
        if (c.value == a.answer.value) p = c.p;
      right += p;
      wrong += 1 - p;
      ++scored;
    }
  }
  Evidence e = posterior_bounds(right, wrong, rule);
  e.answers = scored;
  e.gold = gold;
  return e;
}

sdk::Status update_worker_model(store::Transaction& tx, const store::AnswerRecord& answer,
                                const std::vector<std::string>& options, const sdk::Distribution& posterior,
                                store::Seconds now) {
  if (answer.answer.value.empty() || posterior.empty()) return sdk::Status::ok();  // nothing to count
  const std::string family = variable_family(answer.variable);
  store::WorkerModelRecord record;
  record.variable = family;
  auto existing = tx.worker_model(answer.answer.worker.id, family);
  if (existing.is_ok()) {
    record = existing.value();
  } else if (existing.status().code() == sdk::Code::not_found) {
    // A fresh model: the task's options, 0.7 on the diagonal (a qualified worker is mostly right).
    record.model.worker = answer.answer.worker.id;
    record.model.labels = options;
    const std::size_t k = options.size();
    record.model.confusion.assign(k * k, k > 1 ? 0.3 / static_cast<double>(k - 1) : 1.0);
    for (std::size_t t = 0; t < k; ++t) record.model.confusion[t * k + t] = k > 1 ? 0.7 : 1.0;
    record.model.answers = 0;
  } else {
    return existing.status();
  }
  sdk::WorkerModel& m = record.model;
  const std::size_t k = m.labels.size();
  const auto index = [&](std::string_view v) -> std::size_t {
    return static_cast<std::size_t>(std::find(m.labels.begin(), m.labels.end(), v) - m.labels.begin());
  };
  const std::size_t a = index(answer.answer.value);
  if (k == 0 || a >= k) return sdk::Status::ok();  // an answer outside the fitted labels: left to the refit
  // The stored rows are distributions; each is taken to weigh answers / K + 1 (one pseudo-answer keeps a
  // fresh row from being overwritten by the first answer). The refit replaces the approximation.
  const double row_weight = m.answers / static_cast<double>(k) + 1;
  for (std::size_t t = 0; t < k; ++t) {
    const double pt = posterior.p(m.labels[t]);
    if (pt <= 0) continue;
    double sum = 0;
    for (std::size_t j = 0; j < k; ++j) {
      double& cell = m.confusion[t * k + j];
      cell = cell * row_weight + (j == a ? pt : 0.0);
      sum += cell;
    }
    for (std::size_t j = 0; j < k; ++j) m.confusion[t * k + j] /= sum;
  }
  m.answers += 1;
  record.fitted_at = now;
  return tx.put_worker_model(record);
}

// --------------------------------------------------------------------------------------------- registry

WorkerRegistry::WorkerRegistry(store::Store& store, std::uint64_t seed) : store_(store), seed_(seed) {}

void WorkerRegistry::define(QualificationSpec spec) {
  const std::string family = variable_family(spec.variable);
  spec.variable = family;
  specs_[family] = std::move(spec);
}

const QualificationSpec* WorkerRegistry::definition(std::string_view variable) const {
  auto it = specs_.find(variable_family(variable));
  return it != specs_.end() ? &it->second : nullptr;
}

sdk::Result<std::size_t> WorkerRegistry::install_gold(store::Seconds now) {
  std::size_t added = 0;
  const sdk::Status s = store_.transact([&](store::Transaction& tx) -> sdk::Status {
    added = 0;
    for (const auto& [family, spec] : specs_) {
      for (const QualificationQuestion& q : spec.gold) {
        store::TaskRecord t;
        t.task.id = "gold/" + family + "/" + q.id;
        auto existing = tx.get_task(t.task.id);
        if (existing.is_ok()) continue;
        if (existing.status().code() != sdk::Code::not_found) return existing.status();
        t.kind = store::TaskKind::gold;
        t.task.variable = family;
        t.task.options = q.options;
        t.task.allow_other = true;
        t.task.instructions = spec.instructions;
        t.task.snippet = q.snippet;
        if (const std::size_t at = q.highlight.empty() ? std::string::npos : q.snippet.find(q.highlight);
            at != std::string::npos)
          t.task.highlight = {at, at + q.highlight.size()};
        t.task.created = now;
        std::vector<sdk::Candidate> uniform;
        for (const auto& o : q.options) uniform.push_back({o, 1.0 / static_cast<double>(q.options.size())});
        t.prior = sdk::Distribution(std::move(uniform));
        t.updated = now;
        if (auto st = tx.add_task(t); !st.is_ok()) return st;
        store::GoldRecord g;
        g.task_id = t.task.id;
        g.correct = q.answer;
        g.explanation = q.feedback;
        if (auto st = tx.add_gold(g); !st.is_ok()) return st;
        ++added;
      }
    }
    return sdk::Status::ok();
  });
  if (!s.is_ok()) return s;
  return added;
}

RevocationRule WorkerRegistry::rule_for(std::string_view family) const {
  const QualificationSpec* spec = definition(family);
  return spec != nullptr ? spec->revocation : RevocationRule{};
}

sdk::Result<std::size_t> WorkerRegistry::load_roster(const std::filesystem::path& file, store::Seconds now) {
  const RosterResult roster = read_roster(file, now);
  if (!roster.errors.empty()) {
    std::string all;
    for (const auto& e : roster.errors) all += (all.empty() ? "" : "\n") + e;
    return sdk::Status::invalid_input(all);
  }
  const sdk::Status s = store_.transact([&](store::Transaction& tx) -> sdk::Status {
    for (const auto& w : roster.workers) {
      // Keep the first registration time of a worker already known.
      auto old = tx.get_worker(w.ref.id);
      store::WorkerRecord r = w;
      if (old.is_ok()) r.created = old.value().created;
      if (auto put = tx.put_worker(r); !put.is_ok()) return put;
    }
    return sdk::Status::ok();
  });
  if (!s.is_ok()) return s;
  return roster.workers.size();
}

namespace {

sdk::Status no_definition(std::string_view variable) {
  return sdk::Status::not_found("no qualification is defined for the variable \"" + std::string(variable) + "\"");
}

}  // namespace

sdk::Status WorkerRegistry::start_tutorial(std::string_view worker, std::string_view variable, store::Seconds now) {
  const QualificationSpec* spec = definition(variable);
  if (spec == nullptr) return no_definition(variable);
  return store_.transact([&](store::Transaction& tx) -> sdk::Status {
    auto w = tx.get_worker(worker);
    if (!w.is_ok()) return w.status();
    auto q = tx.qualification(worker, spec->variable);
    if (q.is_ok() && (q.value().state == store::QualificationState::qualified ||
                      q.value().state == store::QualificationState::revoked))
      return sdk::Status::invalid_input("worker \"" + std::string(worker) + "\" is " +
                                        std::string(store::to_string(q.value().state)) + " on " + spec->variable +
                                        " already; the tutorial is for new workers");
    if (!q.is_ok() && q.status().code() != sdk::Code::not_found) return q.status();
    store::Qualification record;
    record.worker_id = std::string(worker);
    record.variable = spec->variable;
    record.state = store::QualificationState::tutorial;
    record.changed_at = now;
    return tx.set_qualification(record);
  });
}

sdk::Result<TutorialFeedback> WorkerRegistry::answer_tutorial(std::string_view worker, std::string_view variable,
                                                              std::string_view question_id, std::string_view value) {
  const QualificationSpec* spec = definition(variable);
  if (spec == nullptr) return no_definition(variable);
  auto q = store_.query<store::Qualification>(
      [&](store::Reader& r) { return r.qualification(worker, spec->variable); });
  if (!q.is_ok()) return q.status();
  if (q.value().state != store::QualificationState::tutorial && q.value().state != store::QualificationState::quiz)
    return sdk::Status::invalid_input("worker \"" + std::string(worker) + "\" is " +
                                      std::string(store::to_string(q.value().state)) + " on " + spec->variable +
                                      ", not in its tutorial");
  for (const auto& question : spec->tutorial) {
    if (question.id != question_id) continue;
    TutorialFeedback f;
    f.correct = value == question.answer;
    f.answer = question.answer;
    f.feedback = (f.correct ? "Right: " : "Not quite — the answer is \"" + question.answer + "\": ") + question.feedback;
    return f;
  }
  return sdk::Status::not_found("the tutorial of " + spec->variable + " has no question \"" + std::string(question_id) +
                                "\"");
}

sdk::Status WorkerRegistry::start_quiz(std::string_view worker, std::string_view variable, store::Seconds now) {
  const QualificationSpec* spec = definition(variable);
  if (spec == nullptr) return no_definition(variable);
  return store_.transact([&](store::Transaction& tx) -> sdk::Status {
    auto q = tx.qualification(worker, spec->variable);
    if (!q.is_ok()) {
      if (q.status().code() == sdk::Code::not_found)
        return sdk::Status::invalid_input("worker \"" + std::string(worker) + "\" has not started the tutorial of " +
                                          spec->variable);
      return q.status();
    }
    if (q.value().state != store::QualificationState::tutorial && q.value().state != store::QualificationState::quiz)
      return sdk::Status::invalid_input("worker \"" + std::string(worker) + "\" is " +
                                        std::string(store::to_string(q.value().state)) + " on " + spec->variable +
                                        "; the quiz is for workers in the tutorial");
    store::Qualification record = q.value();
    record.state = store::QualificationState::quiz;
    record.changed_at = now;
    return tx.set_qualification(record);
  });
}

sdk::Result<QuizResult> WorkerRegistry::submit_quiz(std::string_view worker, std::string_view variable,
                                                    const std::map<std::string, std::string>& answers,
                                                    store::Seconds now) {
  const QualificationSpec* spec = definition(variable);
  if (spec == nullptr) return no_definition(variable);
  for (const auto& entry : answers) {
    bool known = false;
    for (const auto& q : spec->quiz) known = known || q.id == entry.first;
    if (!known)
      return sdk::Status::not_found("the quiz of " + spec->variable + " has no question \"" + entry.first + "\"");
  }
  QuizResult result;
  result.total = static_cast<int>(spec->quiz.size());
  for (const auto& question : spec->quiz) {
    auto it = answers.find(question.id);
    if (it != answers.end() && it->second == question.answer) ++result.correct;
  }
  result.score = result.total > 0 ? static_cast<double>(result.correct) / result.total : 0;
  result.pass_mark = spec->pass_mark;
  result.passed = result.score + 1e-12 >= spec->pass_mark;
  const sdk::Status s = store_.transact([&](store::Transaction& tx) -> sdk::Status {
    auto q = tx.qualification(worker, spec->variable);
    if (!q.is_ok()) return q.status();
    if (q.value().state != store::QualificationState::quiz)
      return sdk::Status::invalid_input("worker \"" + std::string(worker) + "\" is " +
                                        std::string(store::to_string(q.value().state)) + " on " + spec->variable +
                                        ", not taking its quiz");
    store::Qualification record = q.value();
    record.quiz_correct = result.correct;
    record.quiz_total = result.total;
    if (result.passed) record.state = store::QualificationState::qualified;
    record.changed_at = now;
    return tx.set_qualification(record);
  });
  if (!s.is_ok()) return s;
  return result;
}

sdk::Result<bool> WorkerRegistry::is_qualified(std::string_view worker, std::string_view variable) {
  const std::string family = variable_family(variable);
  return store_.query<bool>([&](store::Reader& r) -> sdk::Result<bool> {
    auto w = r.get_worker(worker);
    if (!w.is_ok()) return w.status();
    if (!w.value().active) return false;
    auto q = r.qualification(worker, family);
    if (!q.is_ok()) {
      if (q.status().code() == sdk::Code::not_found) return false;
      return q.status();
    }
    return q.value().state == store::QualificationState::qualified;
  });
}

bool WorkerRegistry::gold_draw(std::string_view worker, std::string_view variable, std::int64_t n,
                               double rate) const {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  const std::string name = "gold|" + std::string(worker) + "|" + variable_family(variable);
  return named_uniform(seed_, name, static_cast<std::uint64_t>(n)) < rate;
}

sdk::Result<bool> WorkerRegistry::gold_due(std::string_view worker, std::string_view variable) {
  const QualificationSpec* spec = definition(variable);
  if (spec == nullptr) return no_definition(variable);
  const std::string family = spec->variable;
  auto n = store_.query<std::int64_t>([&](store::Reader& r) -> sdk::Result<std::int64_t> {
    auto answers = r.answers_of_worker(worker, "");
    if (!answers.is_ok()) return answers.status();
    return static_cast<std::int64_t>(std::count_if(answers.value().begin(), answers.value().end(),
                                                   [&](const store::AnswerRecord& a) {
                                                     return variable_family(a.variable) == family;
                                                   }));
  });
  if (!n.is_ok()) return n.status();
  return gold_draw(worker, family, n.value(), spec->gold_rate);
}

sdk::Result<std::optional<store::TaskRecord>> WorkerRegistry::pick_gold(std::string_view worker,
                                                                        std::string_view variable) {
  const std::string family = variable_family(variable);
  using Out = std::optional<store::TaskRecord>;
  return store_.query<Out>([&](store::Reader& r) -> sdk::Result<Out> {
    auto gold = r.gold_of_variable(family);
    if (!gold.is_ok()) return gold.status();
    auto answers = r.answers_of_worker(worker, "");
    if (!answers.is_ok()) return answers.status();
    std::set<std::string> answered;
    for (const auto& a : answers.value()) answered.insert(a.answer.task_id);
    std::vector<const store::GoldRecord*> left;
    for (const auto& g : gold.value())
      if (!answered.count(g.task_id)) left.push_back(&g);
    if (left.empty()) return Out();
    const double u = named_uniform(seed_, "gold-pick|" + std::string(worker) + "|" + family, answered.size());
    const std::size_t pick = std::min(left.size() - 1, static_cast<std::size_t>(u * static_cast<double>(left.size())));
    auto task = r.get_task(left[pick]->task_id);
    if (!task.is_ok()) return task.status();
    return Out(std::move(task).value());
  });
}

sdk::Result<ScoredAnswer> WorkerRegistry::score_answer(store::Transaction& tx, const store::AnswerRecord& stored,
                                                       store::Seconds now) const {
  ScoredAnswer out;
  out.answer = stored;
  const std::string family = variable_family(stored.variable);
  const RevocationRule rule = rule_for(family);
  auto task = tx.get_task(stored.answer.task_id);
  if (!task.is_ok()) return task.status();
  sdk::Distribution weight = task.value().posterior;
  if (task.value().kind == store::TaskKind::gold) {
    auto g = tx.gold(stored.answer.task_id);
    if (!g.is_ok()) return g.status();
    out.gold = true;
    out.correct = given(stored.answer) == g.value().correct;
    if (!out.correct) out.explanation = g.value().explanation;
    weight = sdk::Distribution({{g.value().correct, 1.0}});  // the truth is known exactly
  }
  if (auto u = update_worker_model(tx, stored, task.value().task.options, weight, now); !u.is_ok()) return u;
  auto e = read_evidence(tx, stored.answer.worker.id, family, rule);
  if (!e.is_ok()) return e.status();
  out.evidence = e.value();
  auto q = tx.qualification(stored.answer.worker.id, family);
  if (!q.is_ok() && q.status().code() != sdk::Code::not_found) return q.status();
  // Access to lose: a qualification on a family that has one; on a family without a qualification
  // every worker has access until the evidence takes it away.
  const bool standing = q.is_ok() ? q.value().state == store::QualificationState::qualified
                                  : definition(family) == nullptr;
  if (standing && out.evidence.high < rule.bar) {
    store::Qualification record;
    if (q.is_ok()) record = q.value();
    record.worker_id = stored.answer.worker.id;
    record.variable = family;
    record.state = store::QualificationState::revoked;
    char reason[200];
    std::snprintf(reason, sizeof reason, "accuracy upper bound %.2f < bar %.2f after %d answers (%s right, %d of them gold)",
                  out.evidence.high, rule.bar, out.evidence.answers, number(out.evidence.right).c_str(),
                  out.evidence.gold);
    record.reason = reason;
    record.changed_at = now;
    if (auto s = tx.set_qualification(record); !s.is_ok()) return s;
    out.revoked = true;
    out.reason = record.reason;
  }
  return out;
}

sdk::Result<ScoredAnswer> WorkerRegistry::submit_answer(const store::AnswerRecord& answer, store::Seconds now) {
  std::optional<ScoredAnswer> out;
  const sdk::Status s = store_.transact([&](store::Transaction& tx) -> sdk::Status {
    auto stored = tx.add_answer(answer);
    if (!stored.is_ok()) return stored.status();
    auto scored = score_answer(tx, stored.value(), now);
    if (!scored.is_ok()) return scored.status();
    out = std::move(scored).value();
    return sdk::Status::ok();
  });
  if (!s.is_ok()) return s;
  return std::move(*out);
}

sdk::Result<Evidence> WorkerRegistry::evidence(std::string_view worker, std::string_view variable) {
  const RevocationRule rule = rule_for(variable_family(variable));
  return store_.query<Evidence>([&](store::Reader& r) { return read_evidence(r, worker, variable, rule); });
}

sdk::Result<RefitSummary> WorkerRegistry::refit(std::string_view variable, sdk::Aggregator& aggregator,
                                                store::Seconds now, std::chrono::seconds window) {
  RefitSummary summary;
  summary.variable = variable_family(variable);
  sdk::AggregationProblem problem;
  problem.variable = summary.variable;
  const sdk::Status read = store_.read([&](store::Reader& r) -> sdk::Status {
    auto answers = answers_of_family(r, summary.variable, now - window, now);
    if (!answers.is_ok()) return answers.status();
    std::set<std::string> tasks;
    for (const auto& a : answers.value()) {
      if (a.answer.value.empty()) continue;  // free text is not a label
      if (tasks.insert(a.answer.task_id).second) {
        auto t = r.get_task(a.answer.task_id);
        if (!t.is_ok()) return t.status();
        for (const auto& o : t.value().task.options)
          if (std::find(problem.labels.begin(), problem.labels.end(), o) == problem.labels.end())
            problem.labels.push_back(o);
      }
      problem.votes.push_back({a.answer.task_id, a.answer.worker.id, a.answer.value});
    }
    summary.tasks = static_cast<std::int64_t>(tasks.size());
    summary.answers = static_cast<std::int64_t>(problem.votes.size());
    return sdk::Status::ok();
  });
  if (!read.is_ok()) return read;
  if (problem.votes.empty()) return summary;
  sdk::AggregationResult result;
  if (auto s = aggregator.aggregate(problem, result); !s.is_ok())
    return sdk::Status(s.code(), "refit of " + summary.variable + ": the aggregator failed: " + s.message());
  summary.iterations = result.iterations;
  summary.converged = result.converged;
  const sdk::Status write = store_.transact([&](store::Transaction& tx) -> sdk::Status {
    for (const auto& m : result.workers) {
      auto known = tx.get_worker(m.worker);
      if (!known.is_ok()) continue;  // the model's own entry, or a worker gone from the registry
      store::WorkerModelRecord record{summary.variable, m, now};
      if (auto s = tx.put_worker_model(record); !s.is_ok()) return s;
      ++summary.models;
    }
    return sdk::Status::ok();
  });
  if (!write.is_ok()) return write;
  return summary;
}

}  // namespace tandem::hitl

// ------------------------------------------------------------------------------------ the public API

namespace tandem::workers {
namespace {

sdk::Result<std::unique_ptr<store::SqliteStore>> open_existing(const std::filesystem::path& file) {
  store::SqliteOptions options;
  options.create = false;
  return store::SqliteStore::open(file, options);
}

store::Seconds now_seconds() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

store::WorkerRecord to_record(const WorkerSummary& w) {
  store::WorkerRecord r;
  r.ref = {w.id, w.backend};
  r.name = w.name;
  r.languages = w.languages;
  r.locale = w.locale;
  r.skills = w.skills;
  r.tags = w.tags;
  if (w.tier > 0) r.tags.push_back("tier:" + std::to_string(w.tier));
  r.cost_per_answer = w.cost;
  r.active = w.active;
  return r;
}

}  // namespace

sdk::Result<std::vector<WorkerSummary>> list(const std::filesystem::path& file) {
  auto opened = open_existing(file);
  if (!opened.is_ok()) return opened.status();
  store::Store& s = *opened.value();
  return s.query<std::vector<WorkerSummary>>([&](store::Reader& r) -> sdk::Result<std::vector<WorkerSummary>> {
    store::WorkerQuery all;
    all.active_only = false;
    auto workers = r.find_workers(all);
    if (!workers.is_ok()) return workers.status();
    std::vector<WorkerSummary> out;
    for (const auto& w : workers.value()) {
      WorkerSummary row;
      row.id = w.ref.id;
      row.backend = w.ref.backend;
      row.name = w.name;
      row.languages = w.languages;
      row.locale = w.locale;
      row.skills = w.skills;
      for (const auto& t : w.tags)
        if (t.rfind("tier:", 0) != 0) row.tags.push_back(t);
      row.tier = hitl::worker_tier(w);
      row.cost = w.cost_per_answer;
      row.active = w.active;
      auto standings = r.qualifications_of(w.ref.id);
      if (!standings.is_ok()) return standings.status();
      for (const auto& q : standings.value())
        row.standings.push_back({q.variable, std::string(store::to_string(q.state)), q.reason, q.quiz_correct,
                                 q.quiz_total});
      auto answers = r.answers_of_worker(w.ref.id, "");
      if (!answers.is_ok()) return answers.status();
      row.answers = static_cast<std::int64_t>(answers.value().size());
      std::set<std::string> families;
      for (const auto& a : answers.value()) families.insert(hitl::variable_family(a.variable));
      double right = 0, wrong = 0;
      for (const auto& f : families) {
        auto e = hitl::read_evidence(r, w.ref.id, f, hitl::RevocationRule{});
        if (!e.is_ok()) return e.status();
        right += e.value().right;
        wrong += e.value().wrong;
        row.scored += e.value().answers;
      }
      const hitl::Evidence e = hitl::posterior_bounds(right, wrong, hitl::RevocationRule{});
      row.right = right;
      row.accuracy = e.mean;
      row.low = e.low;
      row.high = e.high;
      out.push_back(std::move(row));
    }
    return out;
  });
}

sdk::Result<std::size_t> load_roster(const std::filesystem::path& file, const std::filesystem::path& roster) {
  // The roster first: a bad one leaves no new, empty store behind.
  const hitl::RosterResult checked = hitl::read_roster(roster, now_seconds());
  if (!checked.errors.empty()) {
    std::string all;
    for (const auto& e : checked.errors) all += (all.empty() ? "" : "\n") + e;
    return sdk::Status::invalid_input(all);
  }
  auto opened = store::SqliteStore::open(file);
  if (!opened.is_ok()) return opened.status();
  hitl::WorkerRegistry registry(*opened.value());
  return registry.load_roster(roster, now_seconds());
}

std::optional<std::string> group_of(const WorkerSummary& worker, std::string_view attribute) {
  return hitl::attribute_value(to_record(worker), attribute);
}

const std::vector<std::string>& attributes() { return hitl::attribute_names(); }

sdk::Result<GroupReport> group_report(const std::filesystem::path& file, std::string_view variable,
                                      std::string_view attribute) {
  auto opened = open_existing(file);
  if (!opened.is_ok()) return opened.status();
  return hitl::group_report(*opened.value(), variable, attribute);
}

sdk::Result<DeliveredQuality> delivered_quality(const std::filesystem::path& file, std::string_view variable) {
  auto opened = open_existing(file);
  if (!opened.is_ok()) return opened.status();
  return hitl::delivered_quality(*opened.value(), variable);
}

sdk::Result<RefitSummary> refit(const std::filesystem::path& file, std::string_view variable,
                                sdk::Aggregator& aggregator, std::chrono::sys_seconds now,
                                std::chrono::seconds window) {
  auto opened = open_existing(file);
  if (!opened.is_ok()) return opened.status();
  hitl::WorkerRegistry registry(*opened.value());
  return registry.refit(variable, aggregator, std::chrono::time_point_cast<std::chrono::seconds>(now), window);
}

// ---- QualificationSession ---------------------------------------------------------------------------------

struct QualificationSession::Impl {
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<hitl::WorkerRegistry> registry;
  std::string worker;
  std::string family;
  QualificationView view;
  static store::Seconds now() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }
};

QualificationSession::QualificationSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
QualificationSession::~QualificationSession() = default;

sdk::Result<std::unique_ptr<QualificationSession>> QualificationSession::open(const std::filesystem::path& file,
                                                                              const std::filesystem::path& qualification,
                                                                              std::string_view worker) {
  auto spec = hitl::read_qualification(qualification);
  if (!spec.spec) {
    std::string all;
    for (const auto& e : spec.errors) all += (all.empty() ? "" : "\n") + e;
    return sdk::Status::invalid_input(all);
  }
  auto s = open_existing(file);
  if (!s.is_ok()) return s.status();
  auto impl = std::make_unique<Impl>();
  impl->store = std::move(s).value();
  auto w = impl->store->query<store::WorkerRecord>([&](store::Reader& r) { return r.get_worker(worker); });
  if (!w.is_ok()) {
    if (w.status().code() == sdk::Code::not_found)
      return sdk::Status::not_found("store " + file.string() + ": worker \"" + std::string(worker) +
                                    "\" is not in the registry (add them with tandem workers --roster)");
    return w.status();
  }
  impl->worker = std::string(worker);
  impl->family = hitl::variable_family(spec.spec->variable);
  const auto view = [](const hitl::QualificationQuestion& q) {
    return QuestionView{q.id, q.snippet, q.highlight, q.options};
  };
  impl->view.variable = impl->family;
  impl->view.instructions = spec.spec->instructions;
  impl->view.pass_mark = spec.spec->pass_mark;
  for (const auto& q : spec.spec->tutorial) impl->view.tutorial.push_back(view(q));
  for (const auto& q : spec.spec->quiz) impl->view.quiz.push_back(view(q));
  impl->registry = std::make_unique<hitl::WorkerRegistry>(*impl->store);
  impl->registry->define(std::move(*spec.spec));
  return std::unique_ptr<QualificationSession>(new QualificationSession(std::move(impl)));
}

const QualificationView& QualificationSession::qualification() const noexcept { return impl_->view; }

sdk::Result<Standing> QualificationSession::standing() {
  auto q = impl_->store->query<store::Qualification>(
      [&](store::Reader& r) { return r.qualification(impl_->worker, impl_->family); });
  Standing out;
  out.variable = impl_->family;
  if (!q.is_ok()) {
    if (q.status().code() == sdk::Code::not_found) return out;
    return q.status();
  }
  out.state = std::string(store::to_string(q.value().state));
  out.reason = q.value().reason;
  out.quiz_correct = q.value().quiz_correct;
  out.quiz_total = q.value().quiz_total;
  return out;
}

sdk::Status QualificationSession::start_tutorial() {
  return impl_->registry->start_tutorial(impl_->worker, impl_->family, Impl::now());
}

sdk::Result<TutorialAnswer> QualificationSession::answer_tutorial(std::string_view question_id, std::string_view value) {
  auto f = impl_->registry->answer_tutorial(impl_->worker, impl_->family, question_id, value);
  if (!f.is_ok()) return f.status();
  return TutorialAnswer{f.value().correct, f.value().answer, f.value().feedback};
}

sdk::Status QualificationSession::start_quiz() {
  return impl_->registry->start_quiz(impl_->worker, impl_->family, Impl::now());
}

sdk::Result<QuizOutcome> QualificationSession::submit_quiz(const std::map<std::string, std::string>& answers) {
  auto r = impl_->registry->submit_quiz(impl_->worker, impl_->family, answers, Impl::now());
  if (!r.is_ok()) return r.status();
  const auto& v = r.value();
  return QuizOutcome{v.correct, v.total, v.score, v.pass_mark, v.passed};
}

}  // namespace tandem::workers
