#include "simulated_backend.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include <nlohmann/json.hpp>

#include "line_files.hpp"

namespace tandem::plugins {
namespace {

namespace fs = std::filesystem;
using common::config_path;
using common::is_blank;
using common::json_error;
using common::quote;
using common::split_lines;
using Json = nlohmann::json;

// Concatenates string literals at compile time: the schema is a constant expression (TANDEM_PLUGIN needs
// one) and JSON Schema's "$ref" is not in the subset, so the skill keys are spliced in twice.
template <std::size_t... N>
constexpr auto concat(const char (&... parts)[N]) {
  std::array<char, (N + ...) - sizeof...(N) + 1> out{};
  std::size_t at = 0;
  const auto append = [&](const char* part, std::size_t n) {
    for (std::size_t i = 0; i + 1 < n; ++i) out[at++] = part[i];
  };
  (append(parts, N), ...);
  out[at] = '\0';
  return out;
}

// The keys of a skill: a worker's own, and each of its `variables` entries (which may not nest further).
constexpr char kSkillKeys[] = R"(
        "accuracy": {
          "type": "number", "minimum": 0, "maximum": 1,
          "description": "Probability of answering the truth; otherwise one of the other options, uniformly. Required unless spam is given; with confusion, used for a truth that has no row (or whose row names no option of the task)."
        },
        "other_rate": {
          "type": "number", "minimum": 0, "maximum": 1, "default": 0,
          "description": "Probability of answering \"none of these\" (other_text \"simulated: none of these\") when the task allows other, drawn before anything else."
        },
        "confusion": {
          "type": "object",
          "description": "Rows by the true value, columns by the answer: each row a distribution summing to 1 (within 1e-6), restricted to the task's options when drawn.",
          "additionalProperties": {
            "type": "object", "minProperties": 1,
            "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}
          }
        },
        "spam": {
          "type": "string", "enum": ["uniform", "first"],
          "description": "A spammer ignores the truth: uniform answers any option with equal probability, first always the first option shown. Not with accuracy or confusion."
        })";

constexpr char kSchemaHead[] = R"({
  "type": "object",
  "description": "Simulated people: workers with a skill from the config answer the tasks posted to them, seeded and deterministic.",
  "properties": {
    "seed": {
      "type": "integer", "minimum": 0, "maximum": 9007199254740991, "default": 1,
      "description": "The same seed gives the same answers; an answer depends only on (seed, task id, worker id) and the task."
    },
    "delay_polls": {
      "type": "integer", "minimum": 0, "maximum": 9007199254740991, "default": 0,
      "description": "An answer posted now is returned by the (delay_polls + 1)-th poll after the post; 0: the next poll."
    },
    "latency_seconds": {
      "type": "integer", "minimum": 0, "maximum": 31536000, "default": 0,
      "description": "Added to the time of the post to make an answer's answered_at."
    },
    "truth": {
      "type": "string", "minLength": 1,
      "description": "JSON Lines file of {\"task\": \"<task id>\", \"value\": \"<the true value>\"}. Relative to the config file's folder."
    },
    "unknown_truth": {
      "type": "string", "enum": ["first_option", "skip"], "default": "first_option",
      "description": "A task absent from truth: first_option answers it as if its first option (the model's most probable) were true; skip gives it no answer ever."
    },
    "workers": {
      "type": "object", "minProperties": 1,
      "description": "The simulated crowd, by worker id (the registry's worker id).",
      "additionalProperties": {
        "type": "object",
        "properties": {)";
constexpr char kSchemaMiddle[] = R"(,
          "variables": {
            "type": "object",
            "description": "Per-variable skill, by variable name or family (\"time[*].value\"); a matching entry replaces the worker's own keys for that variable.",
            "additionalProperties": {
              "type": "object",
              "properties": {)";
constexpr char kSchemaTail[] = R"(
              },
              "additionalProperties": false
            }
          }
        },
        "additionalProperties": false
      }
    }
  },
  "required": ["workers"],
  "additionalProperties": false
})";

constexpr auto kSchemaText = concat(kSchemaHead, kSkillKeys, kSchemaMiddle, kSkillKeys, kSchemaTail);
constexpr const char* kSchema = kSchemaText.data();

constexpr double kRowTolerance = 1e-6;
constexpr std::size_t kMaxTruthErrors = 20;
constexpr std::size_t kMaxWorkersNamed = 10;
constexpr std::string_view kOtherText = "simulated: none of these";
// Stream names keep the two draws about one (task, worker) independent.
constexpr std::string_view kAnswerStream = "answer";
constexpr std::string_view kOtherStream = "other";


// 0.95, 1.0000002: the shortest text that shows what was summed.
std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// ---- draws ------------------------------------------------------------------------------------------

// SplitMix64's output function: a bijection of 64-bit values that spreads every input bit.
std::uint64_t mix64(std::uint64_t z) noexcept {
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::uint64_t fnv1a64(std::string_view text) noexcept {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

// A uniform number in [0, 1) that depends only on its arguments: a counter-based draw, so an answer
// never depends on how many draws were made before it. Each string is hashed on its own and mixed in
// turn, so ("ab", "c") and ("a", "bc") differ.
double uniform(std::uint64_t seed, std::string_view stream, std::string_view task_id,
               std::string_view worker_id) noexcept {
  std::uint64_t h = mix64(seed ^ mix64(fnv1a64(stream)));
  h = mix64(h ^ fnv1a64(task_id));
  h = mix64(h ^ fnv1a64(worker_id));
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

// An index in [0, n) from u in [0, 1); n > 0.
std::size_t scaled_index(double u, std::size_t n) noexcept {
  const auto i = static_cast<std::size_t>(u * static_cast<double>(n));
  return std::min(i, n - 1);
}

// True when `variable` is matched by `pattern`: equal, or equal once every "[*]" of the pattern stands
// for one bracketed index of digits ("time[*].value" matches "time[12].value", not "time[].value").
bool variable_matches(std::string_view pattern, std::string_view variable) noexcept {
  std::size_t p = 0, v = 0;
  while (p < pattern.size()) {
    if (pattern.compare(p, 3, "[*]") == 0) {
      if (v >= variable.size() || variable[v] != '[') return false;
      std::size_t d = v + 1;
      while (d < variable.size() && variable[d] >= '0' && variable[d] <= '9') ++d;
      if (d == v + 1 || d >= variable.size() || variable[d] != ']') return false;
      p += 3;
      v = d + 1;
      continue;
    }
    if (v >= variable.size() || pattern[p] != variable[v]) return false;
    ++p;
    ++v;
  }
  return v == variable.size();
}

bool is_pattern(std::string_view key) { return key.find("[*]") != std::string_view::npos; }

// ---- config -----------------------------------------------------------------------------------------

// Checks one skill map (a worker's, or a variables entry's) beyond the schema.
void check_skill(const sdk::ConfigNode& skill, sdk::ConfigErrors& errors) {
  if (!skill.is_map()) return;  // the schema has said so
  const sdk::ConfigNode* spam = skill.find("spam");
  if (spam != nullptr && spam->is_scalar()) {
    if (skill.has("accuracy") || skill.has("confusion"))
      errors.add(*spam, quote(spam->scalar()) +
                            " ignores the truth, so it cannot be given with accuracy or confusion (remove one or the other)");
  } else if (!skill.has("accuracy")) {
    errors.add(skill, std::string("missing key \"accuracy\" (a worker answers by accuracy, or is a spammer: give "
                                  "accuracy, or spam)"));
  }
  const sdk::ConfigNode& confusion = skill["confusion"];
  for (const auto& row : confusion.entries()) {
    if (!row.value.is_map()) continue;
    double sum = 0;
    for (const auto& cell : row.value.entries()) sum += cell.value.as_double().value_or(0.0);
    if (std::fabs(sum - 1.0) > kRowTolerance)
      errors.add(row.value, "expected a distribution summing to 1 (within 1e-6), got a sum of " + number_text(sum));
  }
}

// "*" only as an index: "time[*].value".
bool stray_star(std::string_view key) {
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (key[i] != '*') continue;
    if (i == 0 || i + 1 >= key.size() || key[i - 1] != '[' || key[i + 1] != ']') return true;
  }
  return false;
}

// One truth line to (task, value), or the reason it is not one.
std::optional<std::string> parse_truth_line(std::string_view line, std::string& task, std::string& value) {
  Json j;
  try {
    j = Json::parse(line.begin(), line.end());
  } catch (const Json::exception& e) {
    // A line is one line of JSON: "parse error at line 1, column 2: ..." says "at column 2: ...".
    std::string m = json_error(e);
    constexpr std::string_view kLineOne = "parse error at line 1, ";
    if (m.rfind(kLineOne, 0) == 0) m = "at " + m.substr(kLineOne.size());
    return "not JSON " + m;
  }
  if (!j.is_object()) return std::string("expected a JSON object, got ") + j.type_name();
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "task" && it.key() != "value")
      return "unknown field " + quote(it.key()) + " (the fields are task, value)";
  for (const auto& [key, out] : {std::pair<const char*, std::string*>{"task", &task}, {"value", &value}}) {
    const auto it = j.find(key);
    if (it == j.end()) return quote(key) + " is missing";
    if (!it->is_string()) return quote(key) + ": expected a string, got " + it->type_name();
    *out = it->get<std::string>();
    if (out->empty()) return quote(key) + " is empty";
  }
  return std::nullopt;
}

}  // namespace

void SimulatedBackend::check_config(const sdk::ConfigNode& config, sdk::ConfigErrors& errors) {
  for (const auto& worker : config["workers"].entries()) {
    if (worker.key.scalar().empty()) errors.add(worker.key, "a worker id must not be empty");
    check_skill(worker.value, errors);
    for (const auto& variable : worker.value["variables"].entries()) {
      const std::string& name = variable.key.scalar();
      if (name.empty()) errors.add(variable.key, "a variable name must not be empty");
      else if (stray_star(name))
        errors.add(variable.key, quote(name) + " is neither a variable name nor a family: \"*\" may only stand for "
                                               "an index, as in \"time[*].value\"");
      check_skill(variable.value, errors);
    }
  }
}

SimulatedBackend::Skill SimulatedBackend::read_skill(const sdk::ConfigNode& node) {
  Skill s;
  s.accuracy = node.get_double("accuracy", 1.0);
  s.other_rate = node.get_double("other_rate", 0.0);
  const std::string spam = node.get_string("spam");
  s.spam = spam == "uniform" ? Spam::uniform : spam == "first" ? Spam::first : Spam::none;
  for (const auto& row : node["confusion"].entries()) {
    auto& cells = s.confusion[row.key.scalar()];
    for (const auto& cell : row.value.entries()) cells.emplace_back(cell.key.scalar(), cell.value.as_double().value_or(0.0));
  }
  return s;
}

SimulatedBackend::SimulatedBackend(const sdk::PluginContext& ctx)
    : services_(ctx.services()), instance_(ctx.instance_name()) {
  const sdk::ConfigNode& config = ctx.config();
  seed_ = static_cast<std::uint64_t>(config.get_int("seed", 1));
  delay_polls_ = static_cast<std::uint64_t>(config.get_int("delay_polls", 0));
  latency_seconds_ = config.get_int("latency_seconds", 0);
  skip_unknown_truth_ = config.get_string("unknown_truth", "first_option") == "skip";
  for (const auto& entry : config["workers"].entries()) {
    Worker w;
    w.own = read_skill(entry.value);
    for (const auto& variable : entry.value["variables"].entries()) {
      const std::string& name = variable.key.scalar();
      if (is_pattern(name)) w.patterns.emplace_back(name, read_skill(variable.value));
      else w.exact.emplace(name, read_skill(variable.value));
    }
    worker_order_.push_back(entry.key.scalar());
    workers_.emplace(entry.key.scalar(), std::move(w));
  }
  if (const sdk::ConfigNode* truth = config.find("truth")) read_truth(*truth, ctx.errors());
}

void SimulatedBackend::read_truth(const sdk::ConfigNode& node, sdk::ConfigErrors& errors) {
  const fs::path path = config_path(node);
  const std::string name = path.string();
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    errors.add(node, "expected a JSON Lines file of truths, found the folder " + quote(name));
    return;
  }
  if (!in) {
    const int err = errno != 0 ? errno : EIO;
    errors.add(node, "cannot read " + quote(name) + ": " + std::error_code(err, std::generic_category()).message());
    return;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    errors.add(node, "cannot read " + quote(name) + ": " + std::error_code(EIO, std::generic_category()).message());
    return;
  }
  std::unordered_map<std::string, std::size_t> first_line;
  std::size_t bad = 0;
  const auto lines = split_lines(text);
  for (std::size_t n = 0; n < lines.size(); ++n) {
    if (is_blank(lines[n])) continue;
    std::string task, value;
    std::optional<std::string> problem = parse_truth_line(lines[n], task, value);
    if (!problem) {
      const auto [it, inserted] = first_line.emplace(task, n + 1);
      if (inserted) truth_.emplace(std::move(task), std::move(value));
      else problem = "task " + quote(task) + " is given twice (first on line " + std::to_string(it->second) + ")";
    }
    if (!problem) continue;
    // A broken file tends to be broken on every line: name the first few, count the rest.
    if (++bad <= kMaxTruthErrors) errors.add(node, name + ":" + std::to_string(n + 1) + ": " + *problem);
  }
  if (bad > kMaxTruthErrors)
    errors.add(node, name + ": " + std::to_string(bad - kMaxTruthErrors) + " more bad lines not shown");
}

const SimulatedBackend::Skill& SimulatedBackend::skill_for(const Worker& w, std::string_view variable) const {
  if (const auto it = w.exact.find(variable); it != w.exact.end()) return it->second;
  for (const auto& [pattern, skill] : w.patterns)
    if (variable_matches(pattern, variable)) return skill;
  return w.own;
}

std::optional<SimulatedBackend::Choice> SimulatedBackend::answer(const sdk::Task& task, const std::string& worker_id,
                                                                 const Worker& w) const {
  const std::vector<std::string>& options = task.options;
  const std::size_t n = options.size();  // > 0: post() refused a task without options
  std::string truth;
  if (const auto it = truth_.find(task.id); it != truth_.end()) truth = it->second;
  else if (skip_unknown_truth_) return std::nullopt;
  else truth = options.front();

  const Skill& s = skill_for(w, task.variable);
  if (task.allow_other && s.other_rate > 0 && uniform(seed_, kOtherStream, task.id, worker_id) < s.other_rate)
    return Choice{"", std::string(kOtherText)};

  const double u = uniform(seed_, kAnswerStream, task.id, worker_id);
  if (s.spam == Spam::uniform) return Choice{options[scaled_index(u, n)], ""};
  if (s.spam == Spam::first) return Choice{options.front(), ""};

  const auto at = std::find(options.begin(), options.end(), truth);
  const bool truth_shown = at != options.end();
  // A worker who would answer right while the truth is not among the options says so, when allowed.
  const bool can_say_truth = !truth_shown && task.allow_other;

  if (const auto row = s.confusion.find(truth); row != s.confusion.end()) {
    // The row restricted to what the worker can answer: the options, and the truth itself as "none of
    // these" when it is not shown. Weights in option order, the truth last.
    std::vector<double> weight(n + 1, 0.0);
    for (const auto& [label, p] : row->second) {
      for (std::size_t i = 0; i < n; ++i)
        if (options[i] == label) weight[i] += p;
      if (can_say_truth && label == truth) weight[n] += p;
    }
    double total = 0;
    for (const double x : weight) total += x;
    if (total > 0) {
      const double target = u * total;
      double acc = 0;
      std::size_t last = n + 1;
      for (std::size_t i = 0; i <= n; ++i) {
        if (weight[i] <= 0) continue;
        last = i;
        acc += weight[i];
        if (target < acc) break;
      }
      if (last == n) return Choice{"", truth};
      return Choice{options[last], ""};
    }
    // No label of the row can be answered: the worker's accuracy decides.
  }

  const double a = s.accuracy;
  if (truth_shown) {
    const auto t = static_cast<std::size_t>(at - options.begin());
    if (n == 1 || u < a) return Choice{truth, ""};
    // Wrong: one of the other n - 1 options, uniformly, from the rest of the same draw.
    std::size_t k = scaled_index((u - a) / (1.0 - a), n - 1);
    if (k >= t) ++k;
    return Choice{options[k], ""};
  }
  if (can_say_truth) {
    if (u < a) return Choice{"", truth};
    return Choice{options[scaled_index((u - a) / (1.0 - a), n)], ""};
  }
  // The truth is not shown and "other" is not allowed: every option is wrong.
  return Choice{options[scaled_index(u, n)], ""};
}

std::string SimulatedBackend::worker_list() const {
  std::string s;
  const std::size_t shown = std::min(worker_order_.size(), kMaxWorkersNamed);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) s += ", ";
    s += worker_order_[i];
  }
  if (worker_order_.size() > shown) s += ", ... (" + std::to_string(worker_order_.size() - shown) + " more)";
  return s;
}

sdk::Status SimulatedBackend::on_post(const sdk::Task& task, const sdk::WorkerRef& worker) {
  if (task.id.empty())
    return sdk::Status::invalid_input("a task without an id was posted to worker " + quote(worker.id));
  const std::string who = "task " + quote(task.id) + ": ";
  const auto found = workers_.find(worker.id);
  if (found == workers_.end()) {
    const std::string near = sdk::nearest(worker.id, worker_order_);
    return sdk::Status::invalid_input(who + "worker " + quote(worker.id) + " is not in the simulated crowd (" +
                                      (near.empty() ? "" : "did you mean " + quote(near) + "? ") +
                                      "workers: " + worker_list() + ")");
  }
  if (task.options.empty())
    return sdk::Status::invalid_input(who + "no options to answer (posted to worker " + quote(worker.id) +
                                      "); a simulated worker chooses one of the options");

  // Drawn outside the lock: it reads only the task and immutable config.
  std::optional<Choice> choice = answer(task, worker.id, found->second);
  const auto now = std::chrono::floor<std::chrono::seconds>(services_.clock().now());

  std::lock_guard<std::mutex> lock(mu_);
  if (!posted_.emplace(task.id, worker.id).second) return sdk::Status::ok();  // at-least-once delivery
  if (!choice) return sdk::Status::ok();  // no truth and unknown_truth: skip — never answered
  Held held{polls_ + delay_polls_ + 1, {}};
  held.answer.task_id = task.id;
  held.answer.worker = {worker.id, instance_.empty() ? worker.backend : instance_};
  held.answer.value = std::move(choice->value);
  held.answer.other_text = std::move(choice->other_text);
  held.answer.answered_at = now + std::chrono::seconds(latency_seconds_);
  held_.push_back(std::move(held));
  return sdk::Status::ok();
}

sdk::Status SimulatedBackend::on_poll(std::vector<sdk::Answer>& out) {
  std::lock_guard<std::mutex> lock(mu_);
  ++polls_;
  while (!held_.empty() && held_.front().due_poll <= polls_) {
    out.push_back(std::move(held_.front().answer));
    held_.pop_front();
  }
  return sdk::Status::ok();
}

sdk::Status SimulatedBackend::on_cancel(std::string_view task_id) {
  std::lock_guard<std::mutex> lock(mu_);
  // Unknown ids are not an error; the posted pairs stay, so a late re-post does not answer again.
  std::erase_if(held_, [&](const Held& h) { return h.answer.task_id == task_id; });
  return sdk::Status::ok();
}

}  // namespace tandem::plugins

TANDEM_PLUGIN(tandem::plugins::SimulatedBackend, .name = "tandem.backend.simulated", .version = "0.1.0",
              .status = "alpha", .summary = "Simulated workers with seeded skill answer human tasks (tests, demo, simulation)",
              .config_schema = tandem::plugins::kSchema, .thread_safe = true);
