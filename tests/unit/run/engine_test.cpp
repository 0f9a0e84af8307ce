// Engine: opening a pipeline and the automatic path of one message (extract -> estimate -> route), as an
// embedding program sees it: which errors Engine::open reports, what MessageResult says when a plugin
// throws, fails or returns something unusable, which variables are routed to people, that calls into a
// plugin that is not thread-safe are serialised, and that the libraries are gone with the last engine.
//
// The pipelines are tests/data/engine/*.yaml (see its README.md); the plugins are tests/plugins/*: the
// ones written for these tests are built into the "engine" subfolder of the test plugin folder, so that
// tests listing that folder's plugins do not change with them.
#include "tandem/engine.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <latch>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tandem/sdk/types.hpp"
#include "support/text_files.hpp"

namespace tandem {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(TANDEM_TEST_DATA_DIR) / "engine";
constexpr std::string_view kPluginDirPlaceholder = "@TANDEM_TEST_PLUGIN_DIR@";

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// A folder of its own under the system's temporary folder, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("tandem_engine_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Copies tests/data/engine/<name> into `dir` under the same name, with the placeholder replaced by the
// build's test plugin folder (the fixtures keep it alone on line 2, so no other position moves).
fs::path stage_fixture(const TempDir& dir, const std::string& name) {
  std::string text = read_file(kFixtures / name);
  EXPECT_FALSE(text.empty()) << "missing or empty fixture " << (kFixtures / name);
  for (auto at = text.find(kPluginDirPlaceholder); at != std::string::npos; at = text.find(kPluginDirPlaceholder, at))
    text.replace(at, kPluginDirPlaceholder.size(), TANDEM_TEST_PLUGIN_DIR);
  const fs::path staged = dir.path() / name;
  std::ofstream(staged, std::ios::binary) << text;
  return staged;
}

sdk::Message message(std::string text = "Could we grab coffee the Tuesday after next, 3ish?") {
  sdk::Message m;
  m.id = "case-1";
  m.message_id = "abc@example.org";
  m.subject = "coffee";
  m.from = {"Zoë Martin", "zoe@example.org", "", false};
  m.text = std::move(text);
  return m;
}

// One annotation as "variable=value:p,value:p <- source" (probabilities rounded to 4 places), so a whole
// result compares as one readable list.
std::string show(const sdk::Annotation& a) {
  std::string s = a.variable.name + "=";
  bool first = true;
  for (const auto& c : a.variable.distribution.candidates()) {
    if (!first) s += ",";
    first = false;
    std::ostringstream p;
    p << std::round(c.p * 10000) / 10000;
    s += c.value + ":" + p.str();
  }
  return s + " <- " + a.source;
}

std::vector<std::string> show(const std::vector<sdk::Annotation>& annotations) {
  std::vector<std::string> out;
  for (const auto& a : annotations) out.push_back(show(a));
  return out;
}

const char* state_name(MessageResult::State s) { return s == MessageResult::State::done ? "done" : "failed"; }

// What `fixed` in the fixtures answers for `request`, normalised, and nothing more.
const std::vector<std::string> kFirstOnly = {"request=meet:0.75,cancel:0.25 <- first"};

class EngineTest : public ::testing::Test {
 protected:
  fs::path stage(const std::string& name) { return stage_fixture(dir_, name); }

  // Opens a fixture that must open; the errors, if any, are shown in the failure.
  std::unique_ptr<Engine> open_ok(const std::string& name) {
    Engine::Opened opened = Engine::open(stage(name));
    EXPECT_NE(opened.engine, nullptr) << name << " did not open:\n" << joined(opened.errors);
    EXPECT_TRUE(opened.errors.empty()) << joined(opened.errors);
    return std::move(opened.engine);
  }

  TempDir dir_;
};

// ---- Engine::open: bad_<what>.yaml and the exact error lines in bad_<what>.expected -----------------------

std::vector<std::string> bad_fixtures() {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(kFixtures)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".yaml" && name.rfind("bad_", 0) == 0) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

class BadEnginePipelines : public ::testing::TestWithParam<std::string> {};

TEST_P(BadEnginePipelines, OpenReturnsNoEngineAndTheExactErrorLines) {
  TempDir dir;
  const fs::path staged = stage_fixture(dir, GetParam());
  const Engine::Opened opened = Engine::open(staged);
  EXPECT_EQ(opened.engine, nullptr);

  // The user sees the file they named; the expected lines show it by its base name.
  const std::string prefix = staged.string() + ":";
  std::vector<std::string> got;
  for (const auto& line : opened.errors) {
    EXPECT_EQ(line.rfind(prefix, 0), 0u) << "does not start with " << prefix << ": " << line;
    got.push_back(line.rfind(prefix, 0) == 0 ? staged.filename().string() + line.substr(staged.string().size()) : line);
  }
  fs::path expected = kFixtures / GetParam();
  expected.replace_extension(".expected");
  ASSERT_TRUE(fs::exists(expected)) << "missing " << expected.filename() << "; actual errors:\n" << joined(got);
  EXPECT_EQ(got, tandem::testing::read_lines(expected)) << "actual errors:\n" << joined(got);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BadEnginePipelines, ::testing::ValuesIn(bad_fixtures()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           return fs::path(param_info.param).stem().string();
                         });

TEST(EngineFixtures, EveryBadPipelineHasItsExpectedErrors) {
  // A fixture folder that lost its cases would make the parameterised test above vanish silently.
  const std::vector<std::string> bad = bad_fixtures();
  EXPECT_EQ(bad, (std::vector<std::string>{"bad_instance_config.yaml", "bad_refused_when_made.yaml",
                                           "bad_throws_in_factory.yaml", "bad_unknown_plugin.yaml"}));
}

TEST_F(EngineTest, OpenReportsAPipelineFileThatDoesNotExist) {
  const fs::path missing = dir_.path() / "nowhere.yaml";
  const Engine::Opened opened = Engine::open(missing);
  EXPECT_EQ(opened.engine, nullptr);
  ASSERT_EQ(opened.errors.size(), 1u) << joined(opened.errors);
  EXPECT_EQ(opened.errors[0], missing.string() + ": error: cannot read the pipeline: No such file or directory");
}

TEST_F(EngineTest, OpenListsRefusedLibrariesAsWarningsWithoutFailing) {
  // The test plugin folder holds deliberately broken libraries (wrong ABI, unknown kind, ...): each is a
  // warning naming its file, and the pipeline still opens.
  Engine::Opened opened = Engine::open(stage("routing.yaml"));
  ASSERT_NE(opened.engine, nullptr) << joined(opened.errors);
  const std::string wrong_abi = (fs::path(TANDEM_TEST_PLUGIN_DIR) / "test_wrong_abi.so").string();
  const auto it = std::find_if(opened.warnings.begin(), opened.warnings.end(),
                               [&](const std::string& w) { return w.find(wrong_abi + ": ") != std::string::npos; });
  EXPECT_NE(it, opened.warnings.end()) << "warnings:\n" << joined(opened.warnings);
  EXPECT_EQ(opened.engine->pipeline().in_stage(Stage::extract).size(), 2u);
}

// ---- a plugin that throws ------------------------------------------------------------------------------

TEST_F(EngineTest, AThrowingExtractorFailsTheMessageRetryablyAndTheEngineCarriesOn) {
  std::unique_ptr<Engine> engine = open_ok("throws_after_fixed.yaml");
  ASSERT_NE(engine, nullptr);
  for (int round = 1; round <= 3; ++round) {
    SCOPED_TRACE("message " + std::to_string(round));
    const MessageResult r = engine->process(message());
    EXPECT_STREQ(state_name(r.state), "failed");
    EXPECT_TRUE(r.retryable);
    EXPECT_EQ(r.error,
              "stage extract, instance 'thrower' (test.extractor.throws_on_call 1.0.0): plugin_failed: threw: boom in "
              "extract");
    // What the extractor before it found is kept; nothing was routed, as the message did not get there.
    EXPECT_EQ(show(r.annotations), kFirstOnly);
    EXPECT_TRUE(r.unsure.empty());
  }
}

// ---- an extractor that returns an error Status -----------------------------------------------------------

struct StatusCase {
  const char* code;
  bool retryable;
};
void PrintTo(const StatusCase& c, std::ostream* os) { *os << c.code; }

class ExtractorStatus : public EngineTest, public ::testing::WithParamInterface<StatusCase> {};

TEST_P(ExtractorStatus, FailsTheMessageRetryableUnlessTheInputIsInvalid) {
  const StatusCase c = GetParam();
  std::unique_ptr<Engine> engine = open_ok(std::string("status_") + c.code + ".yaml");
  ASSERT_NE(engine, nullptr);
  const MessageResult r = engine->process(message());
  EXPECT_STREQ(state_name(r.state), "failed");
  EXPECT_EQ(r.retryable, c.retryable);
  EXPECT_EQ(r.error, std::string("stage extract, instance 'flaky' (test.extractor.status_error 1.0.0): ") + c.code +
                         ": calendar service said " + c.code);
  // The failing extractor's own "partial" annotation is discarded; the one before it is kept.
  EXPECT_EQ(show(r.annotations), kFirstOnly);
}

INSTANTIATE_TEST_SUITE_P(Codes, ExtractorStatus,
                         ::testing::Values(StatusCase{"invalid_input", false}, StatusCase{"not_found", true},
                                           StatusCase{"unavailable", true}, StatusCase{"plugin_failed", true},
                                           StatusCase{"internal", true}),
                         [](const ::testing::TestParamInfo<StatusCase>& param_info) { return std::string(param_info.param.code); });

// ---- an extractor that returns an unusable annotation ----------------------------------------------------

struct DefectCase {
  const char* defect;
  const char* what;  // after "plugin_failed: "
};
void PrintTo(const DefectCase& c, std::ostream* os) { *os << c.defect; }

class ExtractorDefect : public EngineTest, public ::testing::WithParamInterface<DefectCase> {};

TEST_P(ExtractorDefect, FailsTheMessageAndSaysWhatWasWrong) {
  const DefectCase c = GetParam();
  std::unique_ptr<Engine> engine = open_ok(std::string("annotation_") + c.defect + ".yaml");
  ASSERT_NE(engine, nullptr);
  const sdk::Message msg = message("Lunch on Friday?");  // 16 bytes
  const MessageResult r = engine->process(msg);
  EXPECT_STREQ(state_name(r.state), "failed");
  EXPECT_TRUE(r.retryable);
  EXPECT_EQ(r.error, std::string("stage extract, instance 'sloppy' (test.extractor.bad_annotation 1.0.0): "
                                 "plugin_failed: ") +
                         c.what);
  // Not even the plugin's well-formed "good" annotation is kept: its output counts only as a whole.
  EXPECT_EQ(show(r.annotations), kFirstOnly);
}

INSTANTIATE_TEST_SUITE_P(
    Defects, ExtractorDefect,
    ::testing::Values(
        DefectCase{"span_past_end", "returned an annotation of 'bad' whose span [0, 17) does not fit the 16-byte text"},
        DefectCase{"nan_probability", "returned a probability that is not a finite non-negative number for 'bad'"},
        DefectCase{"negative_probability",
                   "returned a probability that is not a finite non-negative number for 'bad'"},
        DefectCase{"zero_probabilities", "returned only zero probabilities for 'bad'"},
        DefectCase{"no_candidates", "returned an annotation of 'bad' without candidates"},
        DefectCase{"no_variable", "returned an annotation without a variable name"}),
    [](const ::testing::TestParamInfo<DefectCase>& param_info) { return std::string(param_info.param.defect); });

// ---- estimators ------------------------------------------------------------------------------------------

// The extractor's output in the estimator fixtures, normalised: what a failed estimator must leave.
const std::vector<std::string> kBeforeEstimator = {"request=meet:0.75,cancel:0.25 <- model",
                                                   "event_type=coffee:0.6,lunch:0.4 <- model"};

TEST_F(EngineTest, AnEstimatorRecalibratesBeforeRouting) {
  std::unique_ptr<Engine> engine = open_ok("estimator_none.yaml");
  ASSERT_NE(engine, nullptr);
  const MessageResult r = engine->process(message());
  EXPECT_STREQ(state_name(r.state), "done") << r.error;
  EXPECT_EQ(r.error, "");
  // Squared and normalised: 0.75/0.25 -> 0.9/0.1 (now confident), 0.6/0.4 -> 0.36/0.52 = 0.6923.
  EXPECT_EQ(show(r.annotations),
            (std::vector<std::string>{"request=meet:0.9,cancel:0.1 <- model",
                                      "event_type=coffee:0.6923,lunch:0.3077 <- model"}));
  ASSERT_EQ(r.unsure.size(), 1u);
  EXPECT_EQ(r.unsure[0].variable, "event_type");
  EXPECT_DOUBLE_EQ(r.unsure[0].top_p, 0.36 / 0.52);
  EXPECT_DOUBLE_EQ(r.unsure[0].threshold, 0.8);
}

struct EstimatorCase {
  const char* defect;
  bool retryable;
  const char* what;  // after the instance
};
void PrintTo(const EstimatorCase& c, std::ostream* os) { *os << c.defect; }

class EstimatorDefect : public EngineTest, public ::testing::WithParamInterface<EstimatorCase> {};

TEST_P(EstimatorDefect, FailsTheMessageAndKeepsTheAnnotationsFromBeforeTheEstimator) {
  const EstimatorCase c = GetParam();
  std::unique_ptr<Engine> engine = open_ok(std::string("estimator_") + c.defect + ".yaml");
  ASSERT_NE(engine, nullptr);
  const MessageResult r = engine->process(message());
  EXPECT_STREQ(state_name(r.state), "failed");
  EXPECT_EQ(r.retryable, c.retryable);
  EXPECT_EQ(r.error, std::string("stage estimate, instance 'calibrate' (test.estimator.misbehaving 1.0.0): ") + c.what);
  EXPECT_EQ(show(r.annotations), kBeforeEstimator);
  EXPECT_TRUE(r.unsure.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Defects, EstimatorDefect,
    ::testing::Values(
        EstimatorCase{"drop", true,
                      "plugin_failed: added or removed annotations (an estimator may only recalibrate them)"},
        EstimatorCase{"add", true,
                      "plugin_failed: added or removed annotations (an estimator may only recalibrate them)"},
        EstimatorCase{"rename", true, "plugin_failed: changed the variable or span of annotation 'request'"},
        EstimatorCase{"move_span", true, "plugin_failed: changed the variable or span of annotation 'request'"},
        EstimatorCase{"nan_probability", true,
                      "plugin_failed: returned a probability that is not a finite non-negative number for 'request'"},
        EstimatorCase{"fail_unavailable", true, "unavailable: model server down"}),
    [](const ::testing::TestParamInfo<EstimatorCase>& param_info) { return std::string(param_info.param.defect); });

// ---- routing ---------------------------------------------------------------------------------------------

TEST_F(EngineTest, RoutesExactlyTheVariablesBelowTheirThreshold) {
  std::unique_ptr<Engine> engine = open_ok("routing.yaml");
  ASSERT_NE(engine, nullptr);
  const sdk::Message msg = message("Coffee?");
  const MessageResult r = engine->process(msg);
  EXPECT_STREQ(state_name(r.state), "done") << r.error;
  EXPECT_EQ(show(r.annotations),
            (std::vector<std::string>{"request=meet:0.75,cancel:0.25 <- model", "event_type=coffee:0.6,lunch:0.4 <- model",
                                      "duration=PT30M:0.95,PT1H:0.05 <- model", "location=office:1 <- model",
                                      "time[0].value=2026-12-01T15:00/PT1H:0.9,2026-12-01T16:00/PT1H:0.1 <- model",
                                      "participants=alice,bob:0.8,alice:0.2 <- model", "echo=Coffee?:1 <- echo"}));
  // request 0.75 >= its own 0.7; event_type 0.6 < the default 0.8; duration 0.95 >= 0.8; location 1 >= 1
  // and participants 0.8 >= 0.8 (a tie is confident); time[0].value 0.9 < its own 0.99; echo 1 >= 0.8.
  ASSERT_EQ(r.unsure.size(), 2u);
  EXPECT_EQ(r.unsure[0].variable, "event_type");
  EXPECT_DOUBLE_EQ(r.unsure[0].top_p, 0.6);
  EXPECT_DOUBLE_EQ(r.unsure[0].threshold, 0.8);
  EXPECT_EQ(r.unsure[1].variable, "time[0].value");
  EXPECT_DOUBLE_EQ(r.unsure[1].top_p, 0.9);
  EXPECT_DOUBLE_EQ(r.unsure[1].threshold, 0.99);
}

// ---- threads ---------------------------------------------------------------------------------------------

struct Hammered {
  int done = 0;
  int overlapped = 0;
  std::vector<long> calls;          // the "calls" values of the done results, sorted
  std::vector<std::string> others;  // any other failure
};

// `threads` threads, released together, each processing `per_thread` messages on one engine.
Hammered hammer(Engine& engine, int threads, int per_thread) {
  std::vector<MessageResult> results(static_cast<std::size_t>(threads * per_thread));
  std::latch start(threads);
  std::vector<std::thread> pool;
  const sdk::Message msg = message();
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < per_thread; ++i) results[static_cast<std::size_t>(t * per_thread + i)] = engine.process(msg);
    });
  for (auto& th : pool) th.join();

  Hammered h;
  for (const auto& r : results) {
    if (r.state == MessageResult::State::done && r.annotations.size() == 1) {
      ++h.done;
      h.calls.push_back(std::stol(r.annotations[0].variable.distribution.top().value));
    } else if (r.error.find("plugin_failed: overlapping calls: ") != std::string::npos) {
      ++h.overlapped;
    } else {
      h.others.push_back(std::string(state_name(r.state)) + " " + r.error);
    }
  }
  std::sort(h.calls.begin(), h.calls.end());
  return h;
}

TEST_F(EngineTest, SerialisesCallsIntoAPluginThatIsNotThreadSafe) {
  std::unique_ptr<Engine> engine = open_ok("overlap_serial.yaml");
  ASSERT_NE(engine, nullptr);
  const Hammered h = hammer(*engine, 8, 25);
  EXPECT_EQ(h.overlapped, 0);
  EXPECT_EQ(h.done, 200);
  EXPECT_TRUE(h.others.empty()) << joined(h.others);
  std::vector<long> expected(200);
  for (long i = 0; i < 200; ++i) expected[static_cast<std::size_t>(i)] = i + 1;
  EXPECT_EQ(h.calls, expected);  // every call counted once
}

TEST_F(EngineTest, CallsAThreadSafePluginConcurrently) {
  // The same detector declared thread-safe: the engine does not serialise it, so it sees overlaps. This is
  // what shows that the test above could fail.
  std::unique_ptr<Engine> engine = open_ok("overlap_parallel.yaml");
  ASSERT_NE(engine, nullptr);
  const Hammered h = hammer(*engine, 8, 25);
  EXPECT_GT(h.overlapped, 0);
  EXPECT_EQ(h.done + h.overlapped, 200);
  EXPECT_TRUE(h.others.empty()) << joined(h.others);
  const MessageResult r = engine->process(message());  // alone again: no overlap
  EXPECT_STREQ(state_name(r.state), "done") << r.error;
}

TEST_F(EngineTest, TheOverlapErrorNamesTheInstance) {
  std::unique_ptr<Engine> engine = open_ok("overlap_parallel.yaml");
  ASSERT_NE(engine, nullptr);
  std::vector<MessageResult> results(8);
  std::latch start(8);
  std::vector<std::thread> pool;
  const sdk::Message msg = message();
  for (std::size_t t = 0; t < results.size(); ++t)
    pool.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < 10 && results[t].error.empty(); ++i) results[t] = engine->process(msg);
    });
  for (auto& th : pool) th.join();
  const auto failed = std::find_if(results.begin(), results.end(), [](const MessageResult& r) { return !r.error.empty(); });
  ASSERT_NE(failed, results.end());
  EXPECT_EQ(failed->error.rfind("stage extract, instance 'detector' (test.extractor.overlap_parallel 1.0.0): "
                                "plugin_failed: overlapping calls: ",
                                0),
            0u)
      << failed->error;
  EXPECT_TRUE(failed->retryable);
}

// ---- lifetime --------------------------------------------------------------------------------------------

bool library_loaded(const fs::path& file) {
  void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (handle == nullptr) return false;
  ::dlclose(handle);  // RTLD_NOLOAD took a reference when it found the library
  return true;
}

const char kWhyStillLoaded[] =
    " is still loaded after the last engine is gone (a library defining STB_GNU_UNIQUE symbols, "
    "`readelf -sW --dyn-syms FILE | grep UNIQUE`, is never unloaded by glibc: build plugins with -fno-gnu-unique)";

// Opens and destroys 50 engines on `pipeline`, each opened while the one before is still alive, and
// checks that the libraries are loaded while the last one lives. Returns the libraries its host loaded,
// and every result, so the caller can check what is left once the last engine is gone.
struct Churned {
  std::vector<fs::path> libraries;  // everything the host loaded, from every search path
  std::vector<MessageResult> results;
};

Churned churn(const fs::path& pipeline) {
  Churned out;
  std::unique_ptr<Engine> previous;
  for (int i = 0; i < 50; ++i) {
    Engine::Opened opened = Engine::open(pipeline);
    if (opened.engine == nullptr) {
      ADD_FAILURE() << "open " << i << " failed:\n" << joined(opened.errors);
      return out;
    }
    if (i == 0)
      for (const PluginInfo* p : opened.engine->host().plugins()) out.libraries.push_back(p->path);
    out.results.push_back(opened.engine->process(message()));
    previous = std::move(opened.engine);
  }
  for (const auto& lib : out.libraries) EXPECT_TRUE(library_loaded(lib)) << lib << " is not loaded while an engine lives";
  return out;
}

fs::path test_plugin(const char* file) { return fs::weakly_canonical(fs::path(TANDEM_TEST_PLUGIN_DIR) / file); }
fs::path engine_test_plugin(const char* file) { return test_plugin("engine") / file; }

TEST_F(EngineTest, ReleasesThePluginLibrariesItUsedWithTheLastEngine) {
  const Churned c = churn(stage("throws_after_fixed.yaml"));
  for (const fs::path& lib : {engine_test_plugin("test_extractor_fixed.so"), test_plugin("test_extractor_throws_on_call.so")}) {
    EXPECT_NE(std::find(c.libraries.begin(), c.libraries.end(), lib), c.libraries.end()) << lib << " was not loaded";
    EXPECT_FALSE(library_loaded(lib)) << lib << kWhyStillLoaded;
  }
  // Results are values: they outlive the engines and the libraries whose code made them.
  ASSERT_EQ(c.results.size(), 50u);
  for (const auto& r : c.results) {
    EXPECT_EQ(r.error,
              "stage extract, instance 'thrower' (test.extractor.throws_on_call 1.0.0): plugin_failed: threw: boom in "
              "extract");
    EXPECT_EQ(show(r.annotations), kFirstOnly);
  }
}

TEST_F(EngineTest, NoLibraryStaysLoadedAfterTheLastEngineIsGone) {
  // Every library the engine's host loaded, used or not: the test plugins and the built-in ones.
  const Churned c = churn(stage("throws_after_fixed.yaml"));
  ASSERT_FALSE(c.libraries.empty());
  for (const auto& lib : c.libraries) EXPECT_FALSE(library_loaded(lib)) << lib << kWhyStillLoaded;
}

}  // namespace
}  // namespace tandem
