// Mail intake throughput (issue 6, "Figures"): messages per second on one core for the MIME layer, reply
// extraction and the whole intake, on a mix of real mail: every .eml of shared/eval/mail/mime/ and
// shared/eval/mail/reply/ beside the source tree, examples/mail/*.eml and tests/data/mail/**/*.eml (read
// once, before timing; the list is printed on stderr). One thread; every message once per iteration.
//
//   BM_GMime_Parse      baseline: GMime's own parse of the same bytes (g_mime_parser_construct_message and a
//                       walk over the parts), nothing decoded
//   BM_ParseMail        tandem::mail::parse_mail: headers and bodies decoded to UTF-8, HTML to text,
//                       attachments listed
//   BM_ParseAndReply    parse_mail, then extract_reply on the text with the sender as a hint (as intake does)
//   BM_ReadMail         tandem::read_mail: the above plus thread, people, sender context, by the `mail`
//                       section of config/default.yaml (loaded with load_pipeline), or a default MailSpec
//                       with --pipeline=none
//
// items_per_second is messages per CPU second of the one thread (Google Benchmark's default), i.e. per core;
// bytes_per_second is raw message bytes. The ratios after the table compare each step with the one before it
// ("ratio": real time, as every tandem bench prints it; "cpu ratio": CPU time of the thread, the steadier one
// on a shared machine; both the medians with --benchmark_repetitions).
//
//   tandem_bench_mail [--shared=DIR] [--pipeline=FILE|none] [Google Benchmark flags]
//     --shared    the shared mail cases (default: shared/eval/mail beside the source tree)
//     --pipeline  the pipeline whose `mail` section read_mail uses (default: config/default.yaml)
//
// Exits 77 (ctest's SKIP_RETURN_CODE) when shared/eval/mail/mime or shared/eval/mail/reply is absent.
#include <benchmark/benchmark.h>
#include <gmime/gmime.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "ratio_reporter.hpp"
#include "tandem/intake.hpp"
#include "tandem/mail.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/plugin_host.hpp"
#include "tandem/reply.hpp"
#include "tandem/services.hpp"

namespace tandem::bench {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = TANDEM_SOURCE_DIR;
const fs::path kPluginDir = TANDEM_BUILD_PLUGIN_DIR;
fs::path g_shared = kSourceDir / ".." / "shared" / "eval" / "mail";
std::string g_pipeline = (kSourceDir / "config" / "default.yaml").string();

struct Sample {
  std::string name;  // relative to its source folder, for the list
  std::string raw;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every *.eml below `dir` (recursively when asked), sorted by path, so that the mix is the same each run.
std::vector<fs::path> eml_files(const fs::path& dir, bool recursive) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  auto take = [&](const fs::directory_entry& e) {
    if (e.is_regular_file() && e.path().extension() == ".eml") out.push_back(e.path());
  };
  if (recursive)
    for (const auto& e : fs::recursive_directory_iterator(dir)) take(e);
  else
    for (const auto& e : fs::directory_iterator(dir)) take(e);
  std::sort(out.begin(), out.end());
  return out;
}

struct Fixture {
  std::vector<Sample> samples;
  std::size_t bytes = 0;
  std::shared_ptr<sdk::Services> services = make_services();
  PluginHost host{services};
  MailSpec spec;
  std::string spec_from = "a default MailSpec";

  Fixture() {
    struct Source {
      const char* label;
      fs::path dir;
      bool recursive;
    };
    const Source sources[] = {{"shared mime/", g_shared / "mime", false},
                              {"shared reply/ (recursively)", g_shared / "reply", true},
                              {"examples/mail/", kSourceDir / "examples" / "mail", false},
                              {"tests/data/mail/ (recursively)", kSourceDir / "tests" / "data" / "mail", true}};
    for (const Source& s : sources) {
      const auto files = eml_files(s.dir, s.recursive);
      std::cerr << "mail bench: " << files.size() << " .eml from " << s.label << "\n";
      for (const fs::path& f : files) {
        samples.push_back({fs::relative(f, s.dir).string(), read_file(f)});
        bytes += samples.back().raw.size();
      }
    }
    if (samples.empty()) throw std::runtime_error("no .eml files found");
    std::cerr << "mail bench: " << samples.size() << " messages, " << bytes << " bytes in all\n";

    if (g_pipeline != "none") {
      for (const auto& p : host.load_all({kPluginDir}, false)) std::cerr << "warning: " << p.to_string() << "\n";
      PipelineLoad loaded = load_pipeline(g_pipeline, host);
      if (!loaded.ok()) {
        std::string why = loaded.errors.empty() ? std::string("no reason given") : loaded.errors.front().to_string();
        throw std::runtime_error("cannot load the pipeline " + g_pipeline + ": " + why);
      }
      spec = loaded.pipeline->mail;
      spec_from = "the mail section of " + fs::path(g_pipeline).filename().string() + " (" +
                  std::to_string(spec.assistant.size()) + " assistant address(es), " +
                  std::to_string(spec.people.size()) + " people)";
    }
    std::cerr << "mail bench: read_mail uses " << spec_from << "\n";
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void report(benchmark::State& state, const Fixture& f, std::size_t refused) {
  const auto n = static_cast<std::int64_t>(state.iterations());
  state.SetItemsProcessed(n * static_cast<std::int64_t>(f.samples.size()));
  state.SetBytesProcessed(n * static_cast<std::int64_t>(f.bytes));
  state.counters["messages"] = static_cast<double>(f.samples.size());
  // Messages refused (empty, over a limit): timed like the others, counted so that a change shows.
  state.counters["refused"] = n > 0 ? static_cast<double>(refused) / static_cast<double>(n) : 0.0;
}

struct GObjectUnref {
  void operator()(gpointer p) const { g_object_unref(p); }
};

void count_part(GMimeObject*, GMimeObject* part, gpointer data) {
  ++*static_cast<std::size_t*>(data);
  benchmark::DoNotOptimize(g_mime_object_get_content_type(part));
}

void BM_GMime_Parse(benchmark::State& state) {
  Fixture& f = fixture();
  // parse_mail initialises GMime once for the process; this makes sure it is before the first timing.
  (void)mail::parse_mail("Subject: x\n\ny\n");
  std::size_t parts = 0, refused = 0;
  for (auto _ : state) {
    for (const Sample& s : f.samples) {
      std::unique_ptr<GMimeStream, GObjectUnref> stream(g_mime_stream_mem_new_with_buffer(s.raw.data(), s.raw.size()));
      std::unique_ptr<GMimeParser, GObjectUnref> parser(g_mime_parser_new_with_stream(stream.get()));
      GMimeMessage* m = g_mime_parser_construct_message(parser.get(), nullptr);
      if (!m) {
        ++refused;
        continue;
      }
      std::unique_ptr<GMimeMessage, GObjectUnref> message(m);
      benchmark::DoNotOptimize(g_mime_message_get_subject(m));
      g_mime_message_foreach(m, count_part, &parts);
    }
  }
  report(state, f, refused);
  benchmark::DoNotOptimize(parts);
}
BENCHMARK(BM_GMime_Parse)->Unit(benchmark::kMillisecond);

void BM_ParseMail(benchmark::State& state) {
  Fixture& f = fixture();
  std::size_t refused = 0;
  for (auto _ : state) {
    for (const Sample& s : f.samples) {
      auto parsed = mail::parse_mail(s.raw);
      if (!parsed.is_ok()) ++refused;
      benchmark::DoNotOptimize(parsed);
    }
  }
  report(state, f, refused);
}
BENCHMARK(BM_ParseMail)->Unit(benchmark::kMillisecond);

void BM_ParseAndReply(benchmark::State& state) {
  Fixture& f = fixture();
  std::size_t refused = 0, reply_bytes = 0;
  for (auto _ : state) {
    for (const Sample& s : f.samples) {
      auto parsed = mail::parse_mail(s.raw);
      if (!parsed.is_ok()) {
        ++refused;
        continue;
      }
      const mail::ParsedMail& p = parsed.value();
      mail::ReplyHints hints;
      hints.sender_name = p.from.name;
      hints.sender_address = p.from.address;
      const mail::ReplyParts parts = mail::extract_reply(p.text, hints);
      reply_bytes += parts.reply.size();
      benchmark::DoNotOptimize(parts);
    }
  }
  report(state, f, refused);
  // The share of the decoded text that is the new reply (the rest is quoted history and signatures).
  state.counters["reply_bytes_per_message"] =
      state.iterations() > 0 ? static_cast<double>(reply_bytes) /
                                   static_cast<double>(state.iterations() * f.samples.size())
                             : 0.0;
}
BENCHMARK(BM_ParseAndReply)->Unit(benchmark::kMillisecond);

void BM_ReadMail(benchmark::State& state) {
  Fixture& f = fixture();
  std::size_t refused = 0;
  for (auto _ : state) {
    for (const Sample& s : f.samples) {
      auto mail = read_mail(s.raw, f.spec, *f.services);
      if (!mail.is_ok()) ++refused;
      benchmark::DoNotOptimize(mail);
    }
  }
  report(state, f, refused);
}
BENCHMARK(BM_ReadMail)->Unit(benchmark::kMillisecond);

// The house reporter's ratios are of real time; on a shared machine the CPU time of the one thread is the
// steadier figure, so this one adds "cpu ratio <measured> / <baseline> = x" for the same pairs.
class CpuRatioReporter : public RatioReporter {
 public:
  CpuRatioReporter(const std::vector<std::pair<std::string, std::string>>& pairs, OutputOptions options)
      : RatioReporter(pairs, options), pairs_(pairs) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& r : runs) {
      const std::string name = r.run_name.str();
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median") {
        cpu_ns_[name] = r.GetAdjustedCPUTime();
        medians_.insert(name);
      } else if (r.run_type == Run::RT_Iteration && r.iterations > 0 && !medians_.count(name)) {
        cpu_ns_[name] = r.GetAdjustedCPUTime();
      }
    }
    RatioReporter::ReportRuns(runs);
  }
  void Finalize() override {
    RatioReporter::Finalize();
    for (const auto& [measured, baseline] : pairs_) {
      auto m = cpu_ns_.find(measured);
      auto b = cpu_ns_.find(baseline);
      if (m == cpu_ns_.end() || b == cpu_ns_.end() || b->second <= 0) continue;
      std::printf("cpu ratio %s / %s = %.2f\n", measured.c_str(), baseline.c_str(), m->second / b->second);
    }
  }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
  std::map<std::string, double> cpu_ns_;
  std::set<std::string> medians_;
};

}  // namespace
}  // namespace tandem::bench

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  // --shared=DIR and --pipeline=FILE are ours; the rest goes to Google Benchmark.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--shared=", 9) == 0) tandem::bench::g_shared = argv[i] + 9;
    else if (std::strncmp(argv[i], "--pipeline=", 11) == 0) tandem::bench::g_pipeline = argv[i] + 11;
    else argv[kept++] = argv[i];
  }
  argc = kept;
  for (const char* sub : {"mime", "reply"}) {
    if (!fs::is_directory(tandem::bench::g_shared / sub)) {
      std::cout << "SKIP: the shared mail cases " << (tandem::bench::g_shared / sub).string()
                << " are absent (pass --shared=DIR; by default shared/eval/mail beside the source tree)\n";
      return 77;
    }
  }
  try {
    (void)tandem::bench::fixture();
  } catch (const std::exception& e) {
    std::cerr << "tandem_bench_mail: error: " << e.what() << "\n";
    return 1;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  // Colour only on a terminal, so that recorded figures stay plain text.
  tandem::bench::CpuRatioReporter reporter({{"BM_ParseMail", "BM_GMime_Parse"},
                                            {"BM_ParseAndReply", "BM_ParseMail"},
                                            {"BM_ReadMail", "BM_ParseMail"}},
                                           isatty(fileno(stdout)) ? benchmark::ConsoleReporter::OO_Color
                                                                  : benchmark::ConsoleReporter::OO_None);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
