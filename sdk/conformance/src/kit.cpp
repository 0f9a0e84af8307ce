#include "kit.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tandem/conformance/conformance.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/services.hpp"

namespace tandem::conformance {
namespace detail {
namespace {

constexpr const char* kUsage =
    "usage: <plugin>_conformance --plugin=PATH [--config=valid.yaml] [--bad-config=bad.yaml]...\n"
    "                            [--log-level=debug|info|warning|error] [--keep-temp] [gtest flags]\n"
    "  --plugin      the plugin library to check\n"
    "  --config      a config the plugin accepts; ${TMPDIR_TANDEM} in it becomes a fresh temporary folder\n"
    "  --bad-config  a config the plugin must refuse; its lines '# expect: LINE:COLUMN: text' list the\n"
    "                errors it must report, exactly\n"
    "  --log-level   what the plugins' log lines show on stderr (default: error)\n"
    "  --keep-temp   keep the temporary folders (their path is printed)\n";

// What the plugin is doing right now, for the crash reporter. A fixed buffer: the signal handler may
// only read memory and call write().
char g_activity[1024] = {0};
std::atomic<bool> g_has_activity{false};

extern "C" void on_fatal_signal(int sig) {
  const char* name = sig == SIGSEGV ? "SIGSEGV" : sig == SIGABRT ? "SIGABRT" : sig == SIGBUS ? "SIGBUS"
                     : sig == SIGFPE ? "SIGFPE" : sig == SIGILL ? "SIGILL" : "a fatal signal";
  const auto say = [](const char* s) { ssize_t r = ::write(2, s, std::strlen(s)); (void)r; };
  say("\n[conformance] FATAL: the process died of ");
  say(name);
  if (g_has_activity.load()) {
    say(" while the plugin was asked to: ");
    say(g_activity);
  }
  say("\n[conformance] fix: a plugin must never crash on bad input; SIGABRT usually means an exception "
      "escaped a noexcept function (derive from the SDK's *Plugin bases and throw only inside on_* hooks) "
      "or an assertion failed.\n");
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

bool safe_plain(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  if (s.front() == '-' && (s.size() == 1 || s[1] == ' ')) return false;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    const bool ok = c >= 0x80 || std::isalnum(c) || std::strchr(" ._+-/$()=^", c) != nullptr;
    if (!ok || c == 0) return false;
  }
  return true;
}

std::string double_quoted(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void collect_words(const sdk::ConfigNode& n, std::set<std::string>& out) {
  if (n.is_scalar()) {
    if (!n.scalar().empty()) out.insert(n.scalar());
  } else if (n.is_sequence()) {
    for (const auto& i : n.items()) collect_words(i, out);
  } else if (n.is_map()) {
    for (const auto& e : n.entries()) {
      if (!e.key.scalar().empty()) out.insert(e.key.scalar());
      collect_words(e.value, out);
    }
  }
}

std::string replace_all(std::string text, std::string_view what, const std::string& with) {
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
    text.replace(at, what.size(), with);
  return text;
}

class FunctionTest : public testing::Test {
 public:
  explicit FunctionTest(std::function<void()> body) : body_(std::move(body)) {}
  void TestBody() override { body_(); }

 private:
  std::function<void()> body_;
};

std::optional<sdk::LogLevel> log_level_of(std::string_view s) {
  if (s == "debug") return sdk::LogLevel::debug;
  if (s == "info") return sdk::LogLevel::info;
  if (s == "warning") return sdk::LogLevel::warning;
  if (s == "error") return sdk::LogLevel::error;
  return std::nullopt;
}

}  // namespace

Kit& kit() {
  static Kit k;
  return k;
}

fs::path Kit::fresh_temp_dir() {
  std::lock_guard<std::mutex> lock(mu_);
  if (temp_root_.empty()) {
    std::error_code ec;
    const fs::path base = fs::temp_directory_path(ec);
    for (int attempt = 0; attempt < 1000; ++attempt) {
      fs::path candidate = (ec ? fs::path("/tmp") : base) /
                           ("tandem-conformance-" + std::to_string(::getpid()) + "-" + std::to_string(attempt));
      if (fs::create_directory(candidate, ec) && !ec) {
        temp_root_ = candidate;
        break;
      }
    }
    if (temp_root_.empty()) throw std::runtime_error("cannot create a temporary folder under " + base.string());
    if (options.keep_temp) std::cerr << "[conformance] temporary folders are kept in " << temp_root_ << "\n";
  }
  fs::path dir = temp_root_ / std::to_string(++next_temp_);
  fs::create_directories(dir);
  return dir;
}

void Kit::remove_temp_root() noexcept {
  std::lock_guard<std::mutex> lock(mu_);
  if (temp_root_.empty() || options.keep_temp) return;
  std::error_code ec;
  // A test may have left a folder unreadable; make everything writable again before removing it.
  for (auto it = fs::recursive_directory_iterator(temp_root_, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::error_code ignored;
    fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ignored);
  }
  fs::remove_all(temp_root_, ec);
}

sdk::ConfigNode Kit::usable_config(const fs::path& dir, sdk::ConfigErrors& errors) const {
  const std::string text = replace_all(config_template, kTmpdirPlaceholder, dir.string());
  return parse_config_yaml(text, config_name, errors);
}

Instance Kit::make_instance() {
  const fs::path dir = fresh_temp_dir();
  sdk::ConfigErrors errors;
  sdk::ConfigNode node = usable_config(dir, errors);
  if (!errors.empty()) {
    Instance failed;
    failed.temp_dir = dir;
    failed.errors = errors.all();
    return failed;
  }
  return make_instance(node, dir);
}

Instance Kit::make_instance(const sdk::ConfigNode& config, fs::path temp_dir) {
  Instance inst;
  inst.temp_dir = std::move(temp_dir);
  if (info == nullptr) return inst;
  sdk::ConfigErrors errors;
  const std::string_view name = "conformance";
  if (info->kind == "extractor") inst.extractor = host->make_extractor(*info, name, config, errors);
  else if (info->kind == "estimator") inst.estimator = host->make_estimator(*info, name, config, errors);
  else if (info->kind == "backend") inst.backend = host->make_backend(*info, name, config, errors);
  else if (info->kind == "aggregator") inst.aggregator = host->make_aggregator(*info, name, config, errors);
  inst.errors = errors.all();
  if (!inst && inst.errors.empty())
    inst.errors.push_back({sdk::Mark{config_name, 0, 0}, "", "the host made no instance and gave no reason"});
  return inst;
}

std::vector<std::string> Kit::config_words() const {
  sdk::ConfigErrors errors;
  const sdk::ConfigNode node = usable_config(fs::path("/nonexistent/tandem-conformance"), errors);
  std::set<std::string> words;
  collect_words(node, words);
  return {words.begin(), words.end()};
}

void add_test(const std::string& suite, const std::string& name, std::function<void()> body) {
  testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                        [body = std::move(body)]() -> testing::Test* { return new FunctionTest(body); });
}

std::string test_name(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x80 && std::isalnum(u) ? c : '_');
  }
  return out.empty() ? "_" : out;
}

Activity::Activity(std::string what) {
  const std::size_t n = std::min(what.size(), sizeof(g_activity) - 1);
  std::memcpy(g_activity, what.data(), n);
  g_activity[n] = '\0';
  g_has_activity.store(true);
}

Activity::~Activity() { g_has_activity.store(false); }

void install_crash_reporter() {
  for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, on_fatal_signal);
}

std::string list_errors(const std::vector<sdk::ConfigError>& errors) {
  if (errors.empty()) return "    (none)\n";
  std::string s;
  for (const auto& e : errors) s += "    " + e.to_string() + "\n";
  return s;
}

std::vector<std::string> distribution_problems(const sdk::Distribution& d) {
  std::vector<std::string> problems;
  if (d.empty()) {
    problems.push_back("has no candidates");
    return problems;
  }
  double sum = 0;
  std::set<std::string> seen;
  for (const auto& c : d.candidates()) {
    char p[64];
    std::snprintf(p, sizeof p, "%.17g", c.p);
    if (!std::isfinite(c.p)) problems.push_back("p(\"" + printable(c.value) + "\") is " + p);
    else if (c.p < 0 || c.p > 1 + 1e-9) problems.push_back("p(\"" + printable(c.value) + "\") = " + p + " is outside [0, 1]");
    sum += c.p;
    if (!seen.insert(c.value).second) problems.push_back("lists the value \"" + printable(c.value) + "\" twice");
  }
  if (!(std::fabs(sum - 1.0) <= 1e-9)) {
    char s[64];
    std::snprintf(s, sizeof s, "%.17g", sum);
    problems.push_back(std::string("probabilities sum to ") + s + ", not 1 (call Distribution::normalize())");
  }
  return problems;
}

std::string printable(std::string_view text, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (text.size() > max) out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

YamlWriter::YamlWriter() : out_("# written by the tandem conformance kit\n"), lines_(1) {}

void YamlWriter::root_entries(const sdk::ConfigNode& root, std::string_view skip_key) {
  if (!root.is_map()) return;
  for (const auto& e : root.entries()) {
    if (!skip_key.empty() && e.key.scalar() == skip_key) continue;
    add_entry(e.key.scalar(), flow(e.value));
  }
}

int YamlWriter::add_entry(std::string_view key, std::string_view value_text) {
  out_ += key_text(key);
  out_ += ": ";
  out_ += value_text;
  out_ += "\n";
  return ++lines_;
}

std::string YamlWriter::key_text(std::string_view key) { return safe_plain(key) ? std::string(key) : double_quoted(key); }

std::string YamlWriter::flow(const sdk::ConfigNode& n) {
  switch (n.type()) {
    case sdk::ConfigNode::Type::null:
      return "null";
    case sdk::ConfigNode::Type::scalar:
      return !n.quoted() && safe_plain(n.scalar()) ? n.scalar() : double_quoted(n.scalar());
    case sdk::ConfigNode::Type::sequence: {
      std::string s = "[";
      for (const auto& i : n.items()) s += (s.size() > 1 ? ", " : "") + flow(i);
      return s + "]";
    }
    case sdk::ConfigNode::Type::map: {
      std::string s = "{";
      for (const auto& e : n.entries()) s += (s.size() > 1 ? ", " : "") + key_text(e.key.scalar()) + ": " + flow(e.value);
      return s + "}";
    }
  }
  return "null";
}

}  // namespace detail

int main(int argc, char** argv) {
  using namespace detail;
  testing::InitGoogleTest(&argc, argv);
  Kit& k = kit();
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const auto value = [&](std::string_view flag) -> std::optional<std::string> {
      if (a.substr(0, flag.size()) != flag) return std::nullopt;
      return std::string(a.substr(flag.size()));
    };
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (a == "--keep-temp") {
      k.options.keep_temp = true;
      continue;
    }
    if (auto v = value("--plugin=")) {
      k.options.plugin = *v;
      continue;
    }
    if (auto v = value("--config=")) {
      k.options.config = fs::path(*v);
      continue;
    }
    if (auto v = value("--bad-config=")) {
      k.options.bad_configs.emplace_back(*v);
      continue;
    }
    if (auto v = value("--log-level=")) {
      auto level = log_level_of(*v);
      if (!level) {
        std::cerr << "conformance: --log-level: expected debug, info, warning or error, got \"" << *v << "\"\n" << kUsage;
        return 2;
      }
      k.options.log_level = *level;
      continue;
    }
    std::cerr << "conformance: unknown argument \"" << a << "\"\n" << kUsage;
    return 2;
  }
  if (k.options.plugin.empty()) {
    std::cerr << "conformance: --plugin=PATH is required\n" << kUsage;
    return 2;
  }

  if (k.options.config) {
    std::ifstream in(*k.options.config, std::ios::binary);
    if (!in) {
      std::cerr << "conformance: cannot read --config " << *k.options.config << "\n";
      return 2;
    }
    k.config_template.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    k.config_name = k.options.config->string();
  } else {
    k.config_template = "{}\n";
    k.config_name = "<empty config>";
  }

  install_crash_reporter();
  int rc = 1;
  {
    k.services = make_services(ServicesOptions{k.options.log_level});
    k.host = std::make_unique<PluginHost>(k.services);
    {
      Activity act("load the library (static constructors run now)");
      auto loaded = k.host->load(k.options.plugin);
      if (loaded) k.info = loaded.value();
      else k.load_error = loaded.status().message();
    }
    register_descriptor_tests(k);
    if (k.info != nullptr) {
      register_config_tests(k);
      register_hostile_tests(k);
      register_thread_tests(k);
    }
    rc = RUN_ALL_TESTS();
  }
  k.remove_temp_root();
  return rc;
}

}  // namespace tandem::conformance
