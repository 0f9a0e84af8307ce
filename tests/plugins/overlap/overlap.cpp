// test.extractor.overlap_serial / test.extractor.overlap_parallel — the same code, declared not
// thread-safe and thread-safe. Each call counts itself in, stays about a millisecond, and counts itself
// out; a call that finds another one inside the same instance returns plugin_failed("overlapping calls:
// ..."). Otherwise it annotates "calls" with the number of calls so far.
#include <tandem/sdk/plugin.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#ifndef TANDEM_TEST_OVERLAP_NAME
#error "TANDEM_TEST_OVERLAP_NAME must be defined by the build"
#endif

namespace {

class Overlap final : public tandem::sdk::ExtractorPlugin {
 public:
  explicit Overlap(const tandem::sdk::PluginContext&) {}

 protected:
  tandem::sdk::Status on_extract(const tandem::sdk::Message&, std::vector<tandem::sdk::Annotation>& out) override {
    const int already_inside = inside_.fetch_add(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const long calls = ++calls_;
    inside_.fetch_sub(1);
    if (already_inside != 0)
      return tandem::sdk::Status::plugin_failed("overlapping calls: " + std::to_string(already_inside) +
                                                " other call(s) inside this instance");
    tandem::sdk::Annotation a;
    a.variable.name = "calls";
    a.variable.distribution.add(std::to_string(calls), 1.0);
    out.push_back(std::move(a));
    return {};
  }

 private:
  std::atomic<int> inside_{0};
  std::atomic<long> calls_{0};
};

}  // namespace

TANDEM_PLUGIN(Overlap, .name = TANDEM_TEST_OVERLAP_NAME, .version = "1.0.0",
              .summary = "Detects overlapping calls (tests only)", .thread_safe = TANDEM_TEST_OVERLAP_THREAD_SAFE);
