// The Engine: a validated pipeline with live plugin instances, and the automatic path of one message
// (extract -> estimate -> route). Plugin calls are guarded twice: the SDK bases catch inside the plugin,
// and the engine catches whatever still escapes, checks what came back, and turns any failure into a
// failed, retryable MessageResult that names the stage, the instance and the plugin.
#include "tandem/engine.hpp"

#include <cmath>
#include <exception>
#include <mutex>
#include <string>
#include <utility>

#include "tandem/services.hpp"

namespace tandem {
namespace {

// One live instance of a plugin and the lock that serialises it when it is not thread-safe.
template <typename Interface>
struct Live {
  const InstanceSpec* spec = nullptr;
  std::shared_ptr<Interface> object;
  std::unique_ptr<std::mutex> lock;  // null for thread-safe plugins

  std::string describe(Stage stage) const {
    return "stage " + std::string(stage_name(stage)) + ", instance '" + spec->name + "' (" + spec->info->name +
           " " + spec->info->version + ")";
  }
};

template <typename Interface, typename Call>
sdk::Status call_guarded(Live<Interface>& live, Call&& call) {
  std::unique_lock<std::mutex> guard;
  if (live.lock) guard = std::unique_lock<std::mutex>(*live.lock);
  try {
    return call(*live.object);
  } catch (const std::exception& e) {
    return sdk::Status::plugin_failed(std::string("threw past the SDK guard: ") + e.what());
  } catch (...) {
    return sdk::Status::plugin_failed("threw past the SDK guard");
  }
}

// What a plugin returned must be usable by every later stage; anything else is the plugin's failure.
sdk::Status check_annotation(const sdk::Annotation& a, const sdk::Message& msg) {
  if (a.variable.name.empty()) return sdk::Status::plugin_failed("returned an annotation without a variable name");
  if (!a.span.fits(msg.text))
    return sdk::Status::plugin_failed("returned an annotation of '" + a.variable.name + "' whose span [" +
                                      std::to_string(a.span.begin) + ", " + std::to_string(a.span.end) +
                                      ") does not fit the " + std::to_string(msg.text.size()) + "-byte text");
  if (a.variable.distribution.empty())
    return sdk::Status::plugin_failed("returned an annotation of '" + a.variable.name + "' without candidates");
  double sum = 0;
  for (const auto& c : a.variable.distribution.candidates()) {
    if (!std::isfinite(c.p) || c.p < 0)
      return sdk::Status::plugin_failed("returned a probability that is not a finite non-negative number for '" +
                                        a.variable.name + "'");
    sum += c.p;
  }
  if (sum <= 0) return sdk::Status::plugin_failed("returned only zero probabilities for '" + a.variable.name + "'");
  return sdk::Status::ok();
}

void fail(MessageResult& result, const sdk::Status& status, const std::string& where) {
  result.state = MessageResult::State::failed;
  result.retryable = status.retryable();
  result.error = where + ": " + status.to_string();
}

}  // namespace

struct Engine::Impl {
  std::unique_ptr<PluginHost> host;
  PipelineSpec pipeline;
  std::vector<Live<sdk::Extractor>> extractors;
  std::vector<Live<sdk::Estimator>> estimators;
  std::vector<Live<sdk::Backend>> backends;
  std::vector<Live<sdk::Aggregator>> aggregators;

  template <typename Interface, typename Make>
  void create(Stage stage, std::vector<Live<Interface>>& into, sdk::ConfigErrors& all_errors, Make&& make) {
    std::size_t index = 0;  // the instance's position in its stage, as the pipeline file numbers it
    for (const InstanceSpec* spec : pipeline.in_stage(stage)) {
      const std::size_t position = index++;
      const std::string path = "stages." + std::string(stage_name(stage)) + "[" + std::to_string(position) + "]";
      sdk::ConfigErrors errors(path + ".config");
      std::shared_ptr<Interface> object = make(*spec, errors);
      for (const auto& e : errors.all()) all_errors.add(e);
      if (!object) {
        if (errors.empty())
          all_errors.add({spec->mark, path, "plugin " + spec->info->name + " could not make instance '" + spec->name + "'"});
        continue;
      }
      Live<Interface> live;
      live.spec = spec;
      live.object = std::move(object);
      if (!spec->info->thread_safe) live.lock = std::make_unique<std::mutex>();
      into.push_back(std::move(live));
    }
  }
};

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Engine::~Engine() {
  // Instances first, while the host (and through the deleters, each library) is still there.
  if (impl_) {
    impl_->aggregators.clear();
    impl_->backends.clear();
    impl_->estimators.clear();
    impl_->extractors.clear();
  }
}

Engine::Opened Engine::open(const std::filesystem::path& pipeline, std::shared_ptr<sdk::Services> services) {
  Opened opened;
  auto impl = std::make_unique<Impl>();
  impl->host = std::make_unique<PluginHost>(services ? std::move(services) : make_services());
  PipelineLoad load = load_pipeline(pipeline, *impl->host);
  for (const auto& p : load.plugin_problems) opened.warnings.push_back(p.to_string());
  if (!load.ok()) {
    for (const auto& e : load.errors) opened.errors.push_back(e.to_string());
    if (opened.errors.empty()) opened.errors.push_back(pipeline.string() + ": error: the pipeline could not be read");
    return opened;
  }
  impl->pipeline = std::move(*load.pipeline);

  PluginHost& host = *impl->host;
  sdk::ConfigErrors errors;
  impl->create(Stage::extract, impl->extractors, errors, [&](const InstanceSpec& s, sdk::ConfigErrors& e) {
    return host.make_extractor(*s.info, s.name, s.config, e);
  });
  impl->create(Stage::estimate, impl->estimators, errors, [&](const InstanceSpec& s, sdk::ConfigErrors& e) {
    return host.make_estimator(*s.info, s.name, s.config, e);
  });
  impl->create(Stage::human, impl->backends, errors, [&](const InstanceSpec& s, sdk::ConfigErrors& e) {
    return host.make_backend(*s.info, s.name, s.config, e);
  });
  impl->create(Stage::aggregate, impl->aggregators, errors, [&](const InstanceSpec& s, sdk::ConfigErrors& e) {
    return host.make_aggregator(*s.info, s.name, s.config, e);
  });
  if (!errors.empty()) {
    errors.sort();
    for (const auto& e : errors.all()) opened.errors.push_back(e.to_string());
    return opened;
  }
  opened.engine.reset(new Engine(std::move(impl)));
  return opened;
}

MessageResult Engine::process(const sdk::Message& message) { return process(message, {}); }

MessageResult Engine::process(const sdk::Message& message, const std::vector<sdk::Annotation>& given) {
  MessageResult result;
  Impl& s = *impl_;
  for (const auto& a : given) {
    if (sdk::Status status = check_annotation(a, message); !status.is_ok()) {
      fail(result, sdk::Status::invalid_input(status.message()), "mail");
      return result;
    }
  }

  for (auto& live : s.extractors) {
    std::vector<sdk::Annotation> found;
    sdk::Status status = call_guarded(live, [&](sdk::Extractor& x) { return x.extract(message, found); });
    if (status.is_ok())
      for (const auto& a : found)
        if (status = check_annotation(a, message); !status.is_ok()) break;
    if (!status.is_ok()) {
      fail(result, status, live.describe(Stage::extract));
      return result;
    }
    for (auto& a : found) {
      a.source = live.spec->name;
      a.variable.distribution.normalize();
      result.annotations.push_back(std::move(a));
    }
  }

  for (auto& live : s.estimators) {
    std::vector<sdk::Annotation> work = result.annotations;
    sdk::Status status = call_guarded(live, [&](sdk::Estimator& x) { return x.estimate(message, work); });
    if (status.is_ok() && work.size() != result.annotations.size())
      status = sdk::Status::plugin_failed("added or removed annotations (an estimator may only recalibrate them)");
    for (std::size_t i = 0; status.is_ok() && i < work.size(); ++i) {
      if (work[i].variable.name != result.annotations[i].variable.name || !(work[i].span == result.annotations[i].span))
        status = sdk::Status::plugin_failed("changed the variable or span of annotation '" +
                                            result.annotations[i].variable.name + "'");
      else
        status = check_annotation(work[i], message);
    }
    if (!status.is_ok()) {
      fail(result, status, live.describe(Stage::estimate));
      return result;
    }
    for (std::size_t i = 0; i < work.size(); ++i) {
      work[i].source = std::move(result.annotations[i].source);  // who made it is not the estimator's to change
      work[i].variable.distribution.normalize();
    }
    result.annotations = std::move(work);
  }

  if (!given.empty()) {
    std::vector<sdk::Annotation> all;
    all.reserve(given.size() + result.annotations.size());
    for (sdk::Annotation a : given) {
      if (a.source.empty()) a.source = "mail";
      a.variable.distribution.normalize();
      all.push_back(std::move(a));
    }
    for (auto& a : result.annotations) all.push_back(std::move(a));
    result.annotations = std::move(all);
  }

  for (const auto& a : result.annotations) {
    const double threshold = s.pipeline.route.threshold_for(a.variable.name);
    if (a.variable.distribution.top_p() < threshold)
      result.unsure.push_back({a.variable.name, a.variable.distribution.top_p(), threshold});
  }
  return result;
}

const PipelineSpec& Engine::pipeline() const noexcept { return impl_->pipeline; }
const PluginHost& Engine::host() const noexcept { return *impl_->host; }

}  // namespace tandem
