#include "tandem/pipeline.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tandem/plugin_host.hpp"
#include "support/text_files.hpp"

namespace tandem {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(TANDEM_TEST_DATA_DIR) / "pipelines";

// A host holding the built-in plugins of this build (the fixtures are written against them).
class PipelineHost {
 public:
  PipelineHost() {
    const auto problems = host.load_directory(TANDEM_BUILD_PLUGIN_DIR);
    for (const auto& p : problems) ADD_FAILURE() << "built-in plugin refused: " << p.to_string();
    for (const char* name : {"tandem.extractor.cue_words", "tandem.estimator.temperature", "tandem.backend.file",
                             "tandem.aggregator.majority_vote"})
      if (host.find(name) == nullptr) ADD_FAILURE() << "built-in plugin missing: " << name;
  }
  PluginHost host;
};

std::vector<std::string> error_lines(const PipelineLoad& load) {
  std::vector<std::string> out;
  for (sdk::ConfigError e : load.errors) {
    e.mark.file = fs::path(e.mark.file).filename().string();  // as the .expected files write it
    out.push_back(e.to_string());
  }
  return out;
}

std::vector<fs::path> fixtures(std::string_view prefix) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(kFixtures)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".yaml" && name.rfind(prefix, 0) == 0) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string case_name(const ::testing::TestParamInfo<fs::path>& info) { return info.param.stem().string(); }

// ---- the fixture folder: bad_<what>.yaml + bad_<what>.expected, good_<what>.yaml ------------------------

class BadPipelines : public ::testing::TestWithParam<fs::path> {};

TEST_P(BadPipelines, ReportsExactlyTheExpectedErrors) {
  const fs::path yaml = GetParam();
  fs::path expected_file = yaml;
  expected_file.replace_extension(".expected");
  PipelineHost h;
  const PipelineLoad load = load_pipeline(yaml, h.host);
  const std::vector<std::string> got = error_lines(load);
  std::ostringstream all;
  for (const auto& l : got) all << l << "\n";
  ASSERT_TRUE(fs::exists(expected_file)) << "missing " << expected_file.filename() << "; actual errors:\n" << all.str();
  EXPECT_EQ(got, tandem::testing::read_lines(expected_file)) << "actual errors:\n" << all.str();
  EXPECT_FALSE(load.ok());
  EXPECT_FALSE(load.pipeline.has_value());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BadPipelines, ::testing::ValuesIn(fixtures("bad_")), case_name);

class GoodPipelines : public ::testing::TestWithParam<fs::path> {};

TEST_P(GoodPipelines, ValidateCleanly) {
  PipelineHost h;
  const PipelineLoad load = load_pipeline(GetParam(), h.host);
  std::ostringstream all;
  for (const auto& l : error_lines(load)) all << l << "\n";
  EXPECT_TRUE(load.ok()) << all.str();
  EXPECT_TRUE(load.errors.empty());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, GoodPipelines, ::testing::ValuesIn(fixtures("good_")), case_name);

TEST(PipelineFixtures, FolderHoldsEnoughCases) {
  EXPECT_GE(fixtures("bad_").size(), 15u);
  EXPECT_GE(fixtures("good_").size(), 1u);
}

// ---- what a valid pipeline resolves to ------------------------------------------------------------------

TEST(LoadPipeline, ResolvesEveryKeyOfAFullPipeline) {
  PipelineHost h;
  const PipelineLoad load = load_pipeline(kFixtures / "good_full.yaml", h.host);
  ASSERT_TRUE(load.ok());
  const PipelineSpec& p = *load.pipeline;
  EXPECT_EQ(p.file, kFixtures / "good_full.yaml");
  EXPECT_EQ(p.name, "full");
  EXPECT_EQ(p.description, "All four stages, with per-variable thresholds.");
  ASSERT_EQ(p.plugin_paths.size(), 1u);
  EXPECT_TRUE(p.plugin_paths[0].is_absolute());
  EXPECT_TRUE(fs::equivalent(p.plugin_paths[0], kFixtures));
  EXPECT_DOUBLE_EQ(p.route.threshold, 0.75);
  EXPECT_EQ(p.route.thresholds, (std::map<std::string, double>{{"request", 0.9}, {"time.value", 1.0}}));
  EXPECT_DOUBLE_EQ(p.route.threshold_for("request"), 0.9);
  EXPECT_DOUBLE_EQ(p.route.threshold_for("duration"), 0.75);

  // Grouped by stage in kStages order although the file lists aggregate first; file order within.
  ASSERT_EQ(p.instances.size(), 5u);
  const std::vector<std::pair<Stage, std::string>> expected = {{Stage::extract, "request_cues"},
                                                               {Stage::extract, "event_cues"},
                                                               {Stage::estimate, "temperature"},
                                                               {Stage::human, "desk"},
                                                               {Stage::aggregate, "majority_vote"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(p.instances[i].stage, expected[i].first) << i;
    EXPECT_EQ(p.instances[i].name, expected[i].second) << i;
    ASSERT_NE(p.instances[i].info, nullptr) << i;
    EXPECT_EQ(p.instances[i].info->kind, stage_kind(p.instances[i].stage)) << i;
  }
  EXPECT_EQ(p.in_stage(Stage::extract).size(), 2u);
  EXPECT_EQ(p.instances[1].plugin, "cue_words");  // as written
  EXPECT_EQ(p.instances[1].info->name, "tandem.extractor.cue_words");
  EXPECT_EQ(p.instances[0].mark.line, 16);
  EXPECT_EQ(p.instances[0].mark.column, 7);
}

TEST(LoadPipeline, InstanceConfigsAreRelativeAndHaveDefaultsFilledIn) {
  PipelineHost h;
  const PipelineLoad load = load_pipeline(kFixtures / "good_full.yaml", h.host);
  ASSERT_TRUE(load.ok());
  const sdk::ConfigNode& request = load.pipeline->instances[0].config;
  EXPECT_EQ(request.get_string("variable"), "request");
  EXPECT_EQ(request["cues"]["reschedule"].items()[1].scalar(), "move our meeting");
  EXPECT_EQ(request["cues"]["reschedule"].items()[1].path(), "cues.reschedule[1]");
  EXPECT_EQ(request["cues"]["reschedule"].items()[1].mark().line, 22);
  // cue_weight and prior_weight were not written: schema defaults, without a line.
  EXPECT_DOUBLE_EQ(request.get_double("cue_weight", -1), 1.0);
  EXPECT_DOUBLE_EQ(request.get_double("prior_weight", -1), 0.5);
  EXPECT_EQ(request["prior_weight"].mark().line, 0);
  const sdk::ConfigNode& events = load.pipeline->instances[1].config;
  EXPECT_DOUBLE_EQ(events.get_double("cue_weight", -1), 2.5);
  EXPECT_DOUBLE_EQ(events.get_double("prior_weight", -1), 0.0);
  const sdk::ConfigNode& desk = load.pipeline->instances[3].config;
  EXPECT_FALSE(desk.get_bool("create_dirs", true));
  const sdk::ConfigNode& vote = load.pipeline->instances[4].config;
  EXPECT_DOUBLE_EQ(vote.get_double("model_weight", -1), 2.0);
}

TEST(LoadPipeline, DefaultsOfAMinimalPipeline) {
  PipelineHost h;
  const PipelineLoad load = load_pipeline(kFixtures / "good_minimal.yaml", h.host);
  ASSERT_TRUE(load.ok());
  const PipelineSpec& p = *load.pipeline;
  EXPECT_EQ(p.name, "");
  EXPECT_TRUE(p.plugin_paths.empty());
  EXPECT_DOUBLE_EQ(p.route.threshold, 0.8);
  EXPECT_TRUE(p.route.thresholds.empty());
  ASSERT_EQ(p.instances.size(), 1u);
  EXPECT_EQ(p.instances[0].name, "cue_words");
}

TEST(LoadPipeline, TheMailSectionAndItsPeopleDirectory) {
  PipelineHost h;
  const PipelineLoad load = load_pipeline(kFixtures / "good_mail.yaml", h.host);
  ASSERT_TRUE(load.ok()) << (load.errors.empty() ? "" : load.errors.front().to_string());
  const MailSpec& m = load.pipeline->mail;
  // The pipeline's assistant, then the directory's.
  EXPECT_EQ(m.assistant, (std::vector<std::string>{"assistant@example.org", "scheduler@example.org"}));
  EXPECT_TRUE(m.is_assistant("SCHEDULER@example.org"));
  EXPECT_FALSE(m.is_assistant("dana@example.com"));
  EXPECT_EQ(m.max_bytes, 1048576u);
  EXPECT_EQ(m.max_depth, 16);
  EXPECT_EQ(m.max_parts, 200u);
  EXPECT_TRUE(m.people_file.is_absolute());
  EXPECT_EQ(m.people_file.filename(), "good.yaml");
  ASSERT_EQ(m.people.size(), 2u);
  const Person* dana = m.person("dana.kim@example.org");  // written Dana.Kim@Example.ORG
  ASSERT_NE(dana, nullptr);
  EXPECT_EQ(dana->id, "dana");
  EXPECT_EQ(dana->name, "Dana Kim");
  EXPECT_EQ(dana->zone, "America/Los_Angeles");
  EXPECT_EQ(dana->locale, "en_US");  // ICU's canonical form of en-us
  EXPECT_EQ(dana->role, "Engineering Manager");
  ASSERT_TRUE(dana->has_working_hours);
  EXPECT_EQ(dana->working_hours[1], (std::vector<DayRange>{{510, 720}, {780, 1020}}));  // Monday, split
  EXPECT_EQ(dana->working_hours[2], (std::vector<DayRange>{{510, 1020}}));
  EXPECT_TRUE(dana->working_hours[6].empty());
  EXPECT_TRUE(dana->working_hours[3].empty());  // not written: not working
  EXPECT_EQ(dana->preferred_hours, (std::vector<DayRange>{{600, 720}}));
  ASSERT_EQ(dana->off_limits.size(), 1u);
  EXPECT_EQ(dana->off_limits[0].days, (std::vector<int>{1, 5}));
  EXPECT_EQ(dana->off_limits[0].range, (DayRange{720, 780}));
  EXPECT_EQ(dana->off_limits[0].label, "lunch");
  EXPECT_EQ(dana->buffer_before_minutes, 10);
  EXPECT_EQ(dana->buffer_after_minutes, 5);
  EXPECT_EQ(dana->daily_meeting_cap, 6);
  ASSERT_EQ(dana->travel.size(), 1u);
  using namespace std::chrono;
  EXPECT_EQ(dana->zone_on(year(2026) / 3 / 15), "America/Los_Angeles");
  EXPECT_EQ(dana->zone_on(year(2026) / 3 / 16), "Europe/London");  // both dates of a trip included
  EXPECT_EQ(dana->zone_on(year(2026) / 3 / 20), "Europe/London");
  EXPECT_EQ(dana->zone_on(year(2026) / 3 / 21), "America/Los_Angeles");
  EXPECT_TRUE(dana->calendar.is_absolute());
  EXPECT_EQ(dana->calendar.filename(), "dana.ics");
  const Person* jonas = m.person("Jonas@Example.de");
  ASSERT_NE(jonas, nullptr);
  EXPECT_EQ(jonas->zone, "Europe/Berlin");
  EXPECT_EQ(jonas->locale, "");
  EXPECT_FALSE(jonas->has_working_hours);
  EXPECT_EQ(m.person("nobody@example.com"), nullptr);
}

// The shared scheduling set's directory is read as it is (the format is one for mail and scheduling).
TEST(LoadPipeline, TheSharedSchedulingDirectoryReads) {
  const fs::path people = fs::path(TANDEM_SOURCE_DIR) / ".." / "shared" / "eval" / "scheduling" / "people.yaml";
  if (!fs::exists(people)) GTEST_SKIP() << people << " is absent (../shared): not checked";
  PipelineHost h;
  const std::string yaml = "tandem: 1\nmail:\n  people: \"" + people.string() +
                           "\"\nstages:\n  extract:\n    - plugin: tandem.extractor.cue_words\n"
                           "      config: {variable: request, cues: {schedule: [meet]}}\n";
  const PipelineLoad load = parse_pipeline(yaml, "inline.yaml", ".", h.host);
  ASSERT_TRUE(load.ok()) << (load.errors.empty() ? "" : load.errors.front().to_string());
  const MailSpec& m = load.pipeline->mail;
  EXPECT_EQ(m.people.size(), 20u);
  EXPECT_TRUE(m.is_assistant("assistant@tandem.example"));
  std::size_t with_calendar = 0, travelling = 0;
  for (const Person& p : m.people) {
    EXPECT_FALSE(p.zone.empty()) << p.id;
    EXPECT_FALSE(p.locale.empty()) << p.id;
    EXPECT_TRUE(p.has_working_hours) << p.id;
    with_calendar += p.calendar.empty() ? 0 : 1;
    travelling += p.travel.empty() ? 0 : 1;
  }
  EXPECT_EQ(with_calendar, 20u);
  EXPECT_EQ(travelling, 3u);  // the README: Aisha, Oliver, Alejandro
}

TEST(LoadPipeline, WithoutAMailSectionTheDefaults) {
  PipelineHost h;
  const PipelineLoad load = load_pipeline(kFixtures / "good_minimal.yaml", h.host);
  ASSERT_TRUE(load.ok());
  const MailSpec& m = load.pipeline->mail;
  EXPECT_TRUE(m.assistant.empty());
  EXPECT_TRUE(m.people.empty());
  EXPECT_EQ(m.max_bytes, 25u << 20);
  EXPECT_EQ(m.max_depth, 32);
}

TEST(LoadPipeline, AnAbsentOrEmptyConfigIsAnEmptyMapWithDefaults) {
  PipelineHost h;
  const PipelineLoad load = load_pipeline(kFixtures / "good_empty_stages.yaml", h.host);
  ASSERT_TRUE(load.ok());
  const auto aggregators = load.pipeline->in_stage(Stage::aggregate);
  ASSERT_EQ(aggregators.size(), 2u);
  for (const InstanceSpec* i : aggregators) {
    EXPECT_TRUE(i->config.is_map());
    EXPECT_DOUBLE_EQ(i->config.get_double("model_weight", -1), 0.0);
  }
  EXPECT_EQ(aggregators[1]->name, "majority_vote_2");
}

TEST(ParsePipeline, TextWithAFileNameAndABaseFolder) {
  PipelineHost h;
  const std::string yaml =
      "tandem: 1\n"
      "plugin_paths: [pipelines]\n"
      "stages:\n"
      "  extract:\n"
      "    - plugin: cue_words\n"
      "      config: {variable: request, cues: {meet: [meet]}, cue_weight: 0}\n";
  const PipelineLoad load = parse_pipeline(yaml, "inline.yaml", TANDEM_TEST_DATA_DIR, h.host);
  ASSERT_EQ(load.errors.size(), 1u);
  EXPECT_EQ(load.errors[0].to_string(),
            "inline.yaml:6:69: error: stages.extract[0].config.cue_weight: expected a number in (0, 100], got 0");
  EXPECT_FALSE(load.ok());
}

TEST(ParsePipeline, PluginPathsAreSearchedAndRefusedLibrariesAreNotErrors) {
  // The test plugin folder holds deliberately broken libraries next to a working echo extractor.
  PipelineHost h;
  const std::string yaml = std::string("tandem: 1\nplugin_paths: [\"") + TANDEM_TEST_PLUGIN_DIR +
                           "\"]\nstages:\n  extract:\n    - plugin: echo\n      config: {prefix: \"> \"}\n";
  const PipelineLoad load = parse_pipeline(yaml, "inline.yaml", ".", h.host);
  ASSERT_TRUE(load.ok()) << (load.errors.empty() ? "" : load.errors[0].to_string());
  EXPECT_FALSE(load.plugin_problems.empty());
  ASSERT_EQ(load.pipeline->instances.size(), 1u);
  const InstanceSpec& echo = load.pipeline->instances[0];
  ASSERT_NE(echo.info, nullptr);
  EXPECT_EQ(echo.info->name, "test.extractor.echo");
  EXPECT_EQ(echo.name, "echo");
  EXPECT_EQ(echo.config.get_string("prefix"), "> ");
}

TEST(ParsePipeline, AShortNameTwoPluginsShareIsAmbiguous) {
  // test.extractor.echo and test.aggregator.echo both end in "echo".
  PipelineHost h;
  const std::string dir = TANDEM_TEST_PLUGIN_DIR;
  const std::string yaml = "tandem: 1\nplugin_paths: [\"" + dir + "\", \"" + dir +
                           "/ambiguous\"]\nstages:\n  extract:\n    - plugin: echo\n    - plugin: test.extractor.echo\n"
                           "      name: full\n";
  const PipelineLoad load = parse_pipeline(yaml, "inline.yaml", ".", h.host);
  ASSERT_NE(h.host.find("test.aggregator.echo"), nullptr);
  EXPECT_EQ(h.host.find("echo"), nullptr);
  EXPECT_EQ(error_lines(load),
            std::vector<std::string>{"inline.yaml:5:15: error: stages.extract[0].plugin: plugin name \"echo\" is "
                                     "ambiguous: it could be test.aggregator.echo, test.extractor.echo (write the "
                                     "full name)"});
}

TEST(LoadPipeline, AFileThatCannotBeReadIsOneError) {
  PipelineHost h;
  const PipelineLoad missing = load_pipeline(kFixtures / "no_such_pipeline.yaml", h.host);
  ASSERT_EQ(missing.errors.size(), 1u);
  EXPECT_EQ(missing.errors[0].message, "cannot read the pipeline: No such file or directory");
  EXPECT_EQ(missing.errors[0].mark.file, (kFixtures / "no_such_pipeline.yaml").string());
  const PipelineLoad folder = load_pipeline(kFixtures, h.host);
  ASSERT_EQ(folder.errors.size(), 1u);
  EXPECT_EQ(folder.errors[0].message, "cannot read the pipeline: it is a folder");
}

TEST(Stages, NamesAndKinds) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"extract", "extractor"}, {"estimate", "estimator"}, {"human", "backend"}, {"aggregate", "aggregator"}};
  std::size_t i = 0;
  for (Stage s : kStages) {
    EXPECT_EQ(stage_name(s), expected[i].first);
    EXPECT_EQ(stage_kind(s), expected[i].second);
    ++i;
  }
}

}  // namespace
}  // namespace tandem

namespace tandem {
namespace {

TEST(ParsePipeline, TheScheduleAndActSections) {
  PipelineHost h;
  const std::string yaml =
      "tandem: 1\n"
      "schedule:\n"
      "  now: clock\n"
      "  propose: 5\n"
      "  lead_minutes: 60\n"
      "  default_minutes: {lunch: 90}\n"
      "act:\n"
      "  drafts: out/drafts\n"
      "  review: true\n"
      "stages:\n  extract:\n    - plugin: cue_words\n      config: {variable: request, cues: {schedule_new: [meet]}}\n";
  const PipelineLoad load = parse_pipeline(yaml, "inline.yaml", "/srv/tandem", h.host);
  ASSERT_TRUE(load.ok()) << (load.errors.empty() ? "" : load.errors[0].to_string());
  const ScheduleSpec& s = load.pipeline->schedule;
  EXPECT_FALSE(s.now_is_sent);
  EXPECT_EQ(s.propose, 5);
  EXPECT_EQ(s.lead_minutes, 60);
  EXPECT_EQ(s.horizon_days, 28);                  // not written: the default
  EXPECT_EQ(s.default_minutes.at("lunch"), 90);   // written: overrides
  EXPECT_EQ(s.default_minutes.at("interview"), 45);
  EXPECT_EQ(load.pipeline->act.drafts, fs::path("/srv/tandem/out/drafts"));  // relative to the pipeline file
  EXPECT_TRUE(load.pipeline->act.review);
}

TEST(ParsePipeline, BadScheduleActAndWorkersKeysAreErrorsWhereTheyAre) {
  PipelineHost h;
  const std::string yaml =
      "tandem: 1\n"
      "workers: no-such-roster.yaml\n"
      "schedule:\n"
      "  now: tomorrow\n"
      "  grid_minutes: 0\n"
      "act:\n"
      "  templates: no-such-folder\n"
      "  reveiw: true\n"
      "stages:\n  extract:\n    - plugin: cue_words\n      config: {variable: request, cues: {schedule_new: [meet]}}\n";
  const PipelineLoad load = parse_pipeline(yaml, "inline.yaml", ".", h.host);
  EXPECT_FALSE(load.ok());
  const std::vector<std::string> errors = error_lines(load);
  const auto has = [&](const std::string& start, const std::string& part) {
    return std::any_of(errors.begin(), errors.end(), [&](const std::string& e) {
      return e.rfind(start, 0) == 0 && e.find(part) != std::string::npos;
    });
  };
  std::string all;
  for (const auto& e : errors) all += e + "\n";
  EXPECT_TRUE(has("inline.yaml:2:10:", "no-such-roster.yaml")) << all;
  EXPECT_TRUE(has("inline.yaml:4:8:", "schedule.now")) << all;
  EXPECT_TRUE(has("inline.yaml:5:17:", "grid_minutes")) << all;
  EXPECT_TRUE(has("inline.yaml:7:14:", "no-such-folder")) << all;
  EXPECT_TRUE(has("inline.yaml:8:3:", "reveiw")) << all;
}

}  // namespace
}  // namespace tandem
