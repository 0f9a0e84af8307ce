// `tandem workers --store FILE [--roster R.yaml] [--by ATTRIBUTE] [--variable V] [--refit V [--window-days N]]
// [--json]`: the worker registry of a case store (tandem/workers.hpp, docs/workers.md).
//
//   --roster      adds or replaces the roster's workers first (the store is created when missing);
//   (default)     lists workers: id, tier, qualified variables, revoked ones with the reason, answers,
//                 estimated accuracy with its 90% credible interval;
//   --by A        groups the listing by a worker attribute; with --variable, the group report: the
//                 variable's answers per group and Pearson's chi-square test (groups flagged at p < 0.01);
//   --variable V  alone: the delivered-quality report of V;
//   --refit V     refits the confusion matrices of V over the last --window-days days (default 7) with the
//                 Dawid–Skene plugin (the service will call the same function on a schedule).
// Errors: a bad roster is one file:line:column line each, exit 1; a missing store exit 1; usage exit 2.
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

#include "cli/cli.hpp"
#include "tandem/services.hpp"
#include "tandem/workers.hpp"

namespace tandem::cli {
namespace {

struct WorkersOptions {
  std::string store;
  std::string roster;
  std::string by;
  std::string variable;
  std::string refit;
  int window_days = 7;
  bool json = false;
};

std::string fixed(double v, int digits = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string p_text(double p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, p < 1e-4 ? "%.2e" : "%.4f", p);
  return buf;
}

int store_error(const WorkersOptions& o, const sdk::Status& s) {
  std::cerr << "tandem: error: " << s.message() << "\n";
  (void)o;
  return s.code() == sdk::Code::internal ? kExitInternal : kExitBadInput;
}

nlohmann::ordered_json to_json(const workers::WorkerSummary& w) {
  nlohmann::ordered_json standings = nlohmann::ordered_json::array();
  for (const auto& s : w.standings) {
    nlohmann::ordered_json j = {{"variable", s.variable}, {"state", s.state}};
    if (!s.reason.empty()) j["reason"] = s.reason;
    if (s.quiz_total > 0) j["quiz"] = {{"correct", s.quiz_correct}, {"total", s.quiz_total}};
    standings.push_back(j);
  }
  return {{"id", w.id},           {"backend", w.backend}, {"name", w.name},
          {"languages", w.languages}, {"locale", w.locale}, {"skills", w.skills},
          {"tags", w.tags},       {"tier", w.tier},       {"cost", w.cost},
          {"active", w.active},   {"standings", standings}, {"answers", w.answers},
          {"scored", w.scored},   {"accuracy", {{"mean", w.accuracy}, {"low", w.low}, {"high", w.high}}}};
}

std::string row_text(const workers::WorkerSummary& w) {
  std::string qualified, revoked;
  for (const auto& s : w.standings) {
    if (s.state == "qualified") qualified += (qualified.empty() ? "" : ",") + s.variable;
    if (s.state == "revoked") revoked += (revoked.empty() ? "" : "; ") + s.variable + " (" + s.reason + ")";
  }
  std::string line = "  " + w.id + "  tier " + std::to_string(w.tier) + (w.active ? "" : "  inactive") +
                     "  qualified: " + (qualified.empty() ? "-" : qualified);
  if (!revoked.empty()) line += "  revoked: " + revoked;
  line += "  answers " + std::to_string(w.answers);
  if (w.scored > 0)
    line += "  accuracy " + fixed(w.accuracy) + " [" + fixed(w.low) + ", " + fixed(w.high) + "] over " +
            std::to_string(w.scored) + " scored";
  else
    line += "  accuracy -";
  return line;
}

int print_group_report(const WorkersOptions& o) {
  auto report = workers::group_report(o.store, o.variable, o.by);
  if (!report.is_ok()) {
    if (report.status().code() == sdk::Code::invalid_input && report.status().message().rfind("unknown worker", 0) == 0) {
      std::cerr << "tandem: error: --by: " << report.status().message() << "\n";
      return kExitUsage;
    }
    return store_error(o, report.status());
  }
  const workers::GroupReport& r = report.value();
  if (o.json) {
    nlohmann::ordered_json groups = nlohmann::ordered_json::array();
    for (const auto& g : r.groups)
      groups.push_back({{"group", g.group}, {"workers", g.workers}, {"counts", g.counts}, {"total", g.total},
                        {"chi_square", g.chi_square}, {"df", g.df}, {"p_value", g.p_value}, {"flagged", g.flagged}});
    nlohmann::ordered_json j = {{"variable", r.variable}, {"attribute", r.attribute}, {"values", r.values},
                                {"groups", groups}, {"chi_square", r.chi_square}, {"df", r.df},
                                {"p_value", r.p_value}, {"alpha", r.alpha}};
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << r.variable << " by " << r.attribute << ": chi-square " << fixed(r.chi_square, 3) << ", df " << r.df
            << ", p " << p_text(r.p_value) << (r.p_value < r.alpha ? " (the groups answer differently)" : "")
            << "\n";
  std::cout << "  group";
  for (const auto& v : r.values) std::cout << "  " << v;
  std::cout << "  total  p(vs rest)\n";
  for (const auto& g : r.groups) {
    std::cout << "  " << g.group;
    for (std::size_t i = 0; i < g.counts.size(); ++i)
      std::cout << "  " << g.counts[i] << " (" << fixed(g.total ? 100.0 * g.counts[i] / g.total : 0, 0) << "%)";
    std::cout << "  " << g.total << "  " << p_text(g.p_value) << (g.flagged ? "  FLAGGED" : "") << "\n";
  }
  return kExitOk;
}

int print_quality(const WorkersOptions& o) {
  auto q = workers::delivered_quality(o.store, o.variable);
  if (!q.is_ok()) return store_error(o, q.status());
  const workers::DeliveredQuality& d = q.value();
  if (o.json) {
    nlohmann::ordered_json j = {
        {"variable", d.variable},
        {"delivered", d.delivered},
        {"estimated_accuracy", d.estimated_accuracy},
        {"interval", {{"low", d.interval.low}, {"high", d.interval.high}, {"method", d.interval_method}}},
        {"gold", {{"checked", d.gold_checked}, {"right", d.gold_right}, {"accuracy", d.gold_accuracy},
                  {"low", d.gold_interval.low}, {"high", d.gold_interval.high}, {"answers", d.gold_answers},
                  {"answers_right", d.gold_answers_right}}}};
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << d.variable << ": " << d.delivered << " delivered, estimated accuracy " << fixed(d.estimated_accuracy, 3)
            << " [" << fixed(d.interval.low, 3) << ", " << fixed(d.interval.high, 3) << "] (" << d.interval_method
            << ")\n";
  if (d.gold_checked > 0)
    std::cout << "  gold: " << d.gold_right << "/" << d.gold_checked << " right, " << fixed(d.gold_accuracy, 3) << " ["
              << fixed(d.gold_interval.low, 3) << ", " << fixed(d.gold_interval.high, 3) << "] (Wilson); single answers "
              << d.gold_answers_right << "/" << d.gold_answers << "\n";
  else
    std::cout << "  gold: none answered\n";
  return kExitOk;
}

int run_refit(const WorkersOptions& o) {
  PluginHost host(make_services());
  print_load_problems(host.load_all(PluginHost::search_paths()));
  const PluginInfo* info = host.find("tandem.aggregator.dawid_skene");
  if (info == nullptr) {
    std::cerr << "tandem: error: --refit: the aggregator plugin tandem.aggregator.dawid_skene was not found (is "
                 "lib/tandem/plugins installed?)\n";
    return kExitInternal;
  }
  sdk::ConfigErrors errors;
  const sdk::ConfigNode config(sdk::ConfigNode::Type::map, sdk::Mark{"<tandem workers>", 0, 0}, "");
  auto ds = host.make_aggregator(*info, "refit", config, errors);
  if (!ds) {
    for (const auto& e : errors.all()) std::cerr << e.to_string() << "\n";
    return kExitInternal;
  }
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto r = workers::refit(o.store, o.refit, *ds, now, std::chrono::hours(24) * o.window_days);
  if (!r.is_ok()) return store_error(o, r.status());
  const workers::RefitSummary& s = r.value();
  if (o.json) {
    std::cout << nlohmann::ordered_json{{"variable", s.variable}, {"window_days", o.window_days},
                                        {"answers", s.answers},   {"tasks", s.tasks},
                                        {"models", s.models},     {"iterations", s.iterations},
                                        {"converged", s.converged}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "refit " << s.variable << " over " << o.window_days << " days: " << s.answers << " answers, "
              << s.tasks << " tasks, " << s.models << " worker models written, " << s.iterations << " iterations"
              << (s.converged ? "" : " (stopped at the limit)") << "\n";
  }
  return kExitOk;
}

int run_workers(const WorkersOptions& o) {
  if (!o.by.empty() && !workers::group_of(workers::WorkerSummary{}, o.by)) {
    std::string list;
    for (const auto& a : workers::attributes()) list += (list.empty() ? "" : ", ") + a;
    std::cerr << "tandem: error: --by: unknown worker attribute \"" << o.by << "\"" << sdk::did_you_mean(o.by, workers::attributes())
              << " (known: " << list << ")\n";
    return kExitUsage;
  }
  if (!o.roster.empty()) {
    auto loaded = workers::load_roster(o.store, o.roster);
    if (!loaded.is_ok()) {
      std::cerr << loaded.status().message() << "\n";
      return kExitBadInput;
    }
    std::cerr << "tandem workers: " << loaded.value() << " workers from " << o.roster << "\n";
  }
  if (!o.refit.empty()) return run_refit(o);
  if (!o.variable.empty() && !o.by.empty()) return print_group_report(o);
  if (!o.variable.empty()) return print_quality(o);

  auto rows = workers::list(o.store);
  if (!rows.is_ok()) return store_error(o, rows.status());
  if (o.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& w : rows.value()) {
      nlohmann::ordered_json j = to_json(w);
      if (!o.by.empty()) j["group"] = *workers::group_of(w, o.by);
      out.push_back(j);
    }
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::map<std::string, std::vector<const workers::WorkerSummary*>> groups;
  for (const auto& w : rows.value()) groups[o.by.empty() ? "" : *workers::group_of(w, o.by)].push_back(&w);
  for (const auto& [group, members] : groups) {
    if (!o.by.empty())
      std::cout << o.by << " = " << group << " (" << members.size() << (members.size() == 1 ? " worker)\n" : " workers)\n");
    for (const auto* w : members) std::cout << row_text(*w) << "\n";
  }
  std::cerr << "tandem workers: " << rows.value().size() << " workers in " << o.store << "\n";
  return kExitOk;
}

}  // namespace

void add_workers(CLI::App& app, Command& chosen) {
  auto o = std::make_shared<WorkersOptions>();
  auto* sub = app.add_subcommand(
      "workers",
      "The worker registry of a case store (docs/workers.md).\n"
      "  tandem workers --store S [--roster R.yaml]    lists workers: tier, qualified and revoked variables,\n"
      "                                                answers, estimated accuracy [90% credible interval]\n"
      "  tandem workers --store S --by ATTRIBUTE       the same, grouped (backend, locale, languages, skills,\n"
      "                                                tags, tier, tag:NAME, skill:NAME, language:NAME)\n"
      "  tandem workers --store S --by A --variable V  V's answers per group, chi-square test (p < 0.01 flagged)\n"
      "  tandem workers --store S --variable V         delivered quality of V, checked against gold\n"
      "  tandem workers --store S --refit V [--window-days N]  refit V's confusion matrices (Dawid–Skene)");
  sub->add_option("--store,-s", o->store, "The case store (SQLite file)")->required();
  sub->add_option("--roster,-r", o->roster, "A roster YAML file: add or replace its workers first");
  sub->add_option("--by,-b", o->by, "Group by a worker attribute");
  sub->add_option("--variable,-v", o->variable, "A variable or family (time[*].polarity)");
  sub->add_option("--refit", o->refit, "Refit the worker models of this variable or family");
  sub->add_option("--window-days", o->window_days, "The refit's sliding window in days")
      ->check(CLI::Range(1, 3650));
  sub->add_flag("--json", o->json, "JSON on stdout");
  sub->callback([&chosen, o] { chosen.run = [o] { return run_workers(*o); }; });
}

}  // namespace tandem::cli
