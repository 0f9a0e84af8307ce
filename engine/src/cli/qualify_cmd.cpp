// `tandem qualify --store FILE --qualification Q.yaml --worker W`: a worker takes a qualification at the
// terminal (tandem/workers.hpp, QualificationSession; docs/workers.md). The instructions, then each tutorial
// question with its feedback, then the quiz without feedback; the result and the standing at the end. An
// answer is the option's number or its text; answers may also be piped in, one a line. Every step is
// stored as it happens: stopping half-way keeps the standing, and the same command carries on (a worker
// who failed the quiz retakes it without the tutorial).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "cli/cli.hpp"
#include "tandem/workers.hpp"

namespace tandem::cli {
namespace {

struct QualifyOptions {
  std::filesystem::path store;
  std::filesystem::path qualification;
  std::string worker;
};

// The snippet with the highlighted words in [brackets].
std::string marked(const workers::QuestionView& q) {
  const std::size_t at = q.highlight.empty() ? std::string::npos : q.snippet.find(q.highlight);
  if (at == std::string::npos) return q.snippet;
  return q.snippet.substr(0, at) + "[" + q.highlight + "]" + q.snippet.substr(at + q.highlight.size());
}

// Asks one question until the answer is an option (by number or text); nullopt at the end of the input.
std::optional<std::string> ask(const workers::QuestionView& q, std::size_t n, std::size_t of, const char* part) {
  std::cout << "\n" << part << " " << n << "/" << of << ": " << marked(q) << "\n";
  for (std::size_t k = 0; k < q.options.size(); ++k) std::cout << "  " << k + 1 << ") " << q.options[k] << "\n";
  for (;;) {
    std::cout << "> " << std::flush;
    std::string line;
    if (!std::getline(std::cin, line)) return std::nullopt;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    while (!line.empty() && line.front() == ' ') line.erase(0, 1);
    for (std::size_t k = 0; k < q.options.size(); ++k)
      if (line == std::to_string(k + 1) || line == q.options[k]) return q.options[k];
    std::cout << "  answer with a number from 1 to " << q.options.size() << " or an option as written\n";
  }
}

int failed(const sdk::Status& s) {
  std::cerr << "tandem qualify: error: " << s.message() << "\n";
  return s.code() == sdk::Code::internal ? kExitInternal : kExitBadInput;
}

int run_qualify(const QualifyOptions& o) {
  auto opened = workers::QualificationSession::open(o.store, o.qualification, o.worker);
  if (!opened.is_ok()) return failed(opened.status());
  workers::QualificationSession& session = *opened.value();
  const workers::QualificationView& view = session.qualification();
  auto standing = session.standing();
  if (!standing.is_ok()) return failed(standing.status());
  const std::string state = standing.value().state;
  if (state == "qualified") {
    std::cout << o.worker << " is qualified on " << view.variable << " already.\n";
    return kExitOk;
  }
  if (state == "revoked") {
    std::cerr << "tandem qualify: " << o.worker << " lost access to " << view.variable << ": "
              << standing.value().reason << "\n";
    return kExitBadInput;
  }
  std::cout << "Qualification for " << view.variable << " (" << o.worker << ")\n";
  if (!view.instructions.empty()) std::cout << "\n" << view.instructions << (view.instructions.back() == '\n' ? "" : "\n");
  const auto stopped = [&](const char* where) {
    std::cerr << "tandem qualify: the input ended in the " << where << "; what was answered is kept, run the "
              << "same command to carry on\n";
    return kExitBadInput;
  };

  if (state != "quiz") {  // a worker who failed the quiz retakes it without the tutorial
    if (auto s = session.start_tutorial(); !s.is_ok()) return failed(s);
    std::cout << "\nTutorial: each answer gets an explanation.\n";
    int right = 0;
    for (std::size_t i = 0; i < view.tutorial.size(); ++i) {
      const auto& q = view.tutorial[i];
      auto a = ask(q, i + 1, view.tutorial.size(), "Tutorial");
      if (!a) return stopped("tutorial");
      auto f = session.answer_tutorial(q.id, *a);
      if (!f.is_ok()) return failed(f.status());
      right += f.value().correct ? 1 : 0;
      std::cout << "  " << f.value().feedback << "\n";
    }
    std::cout << "\nTutorial done: " << right << " of " << view.tutorial.size() << " right.\n";
  } else {
    std::cout << "\nRetaking the quiz (last time " << standing.value().quiz_correct << " of "
              << standing.value().quiz_total << ").\n";
  }
  if (auto s = session.start_quiz(); !s.is_ok()) return failed(s);
  char mark[32];
  std::snprintf(mark, sizeof mark, "%.0f%%", view.pass_mark * 100);
  std::cout << "\nQuiz: no feedback; " << mark << " right qualifies.\n";
  std::map<std::string, std::string> answers;
  for (std::size_t i = 0; i < view.quiz.size(); ++i) {
    auto a = ask(view.quiz[i], i + 1, view.quiz.size(), "Quiz");
    if (!a) return stopped("quiz");
    answers[view.quiz[i].id] = *a;
  }
  auto r = session.submit_quiz(answers);
  if (!r.is_ok()) return failed(r.status());
  std::cout << "\n" << r.value().correct << " of " << r.value().total << " right: "
            << (r.value().passed ? "qualified on " + view.variable + "."
                                 : std::string("not qualified yet; run the same command to retake the quiz."))
            << "\n";
  return kExitOk;
}

}  // namespace

void add_qualify(CLI::App& app, Command& chosen) {
  auto o = std::make_shared<QualifyOptions>();
  CLI::App* sub = app.add_subcommand(
      "qualify",
      "A worker takes a qualification at the terminal: the tutorial (with feedback), then the quiz (docs/workers.md)");
  sub->add_option("--store", o->store, "Case store (SQLite) whose registry has the worker")->required();
  sub->add_option("--qualification", o->qualification, "The qualification file (config/qualification/*.yaml)")
      ->required();
  sub->add_option("--worker", o->worker, "The worker's id")->required();
  sub->callback([&chosen, o] { chosen.run = [o] { return run_qualify(*o); }; });
}

}  // namespace tandem::cli
