// The child of the SIGKILL durability test (crash_test.sh): answers tasks in a store file, one
// transaction per answer, and says so on stdout only after each commit; and the checker that reads the
// file afterwards.
//
//   tandem_store_crash_child run STORE SEED
//       Creates 100 cases x 4 tasks (budget 3 answers each) and 12 workers in one transaction unless the
//       file has them already, then loops: claim the next task for a random worker (one transaction),
//       answer it (one transaction: the answer, the task's posterior and state, the case's state), print
//       "answer SEQ TASK WORKER" and flush. Ends with "done ANSWERS" when every task is settled.
//   tandem_store_crash_child verify STORE --kills N [--complete] ACKS...
//       Checks what every kill test must hold: each acknowledged answer is in the store (same seq, task
//       and worker); no answer twice (per task and worker, per seq); every case and task is there; every
//       task's counters, posterior and state agree with its answers; every case's state with its tasks;
//       at most N answers committed but not acknowledged (one per kill); with --complete, every task
//       settled with its full budget. Prints "ok: ..." or one "error: ..." line per problem (exit 1).
//   tandem_store_crash_child tamper STORE
//       Deletes answer 1 behind the store's back (plain SQL), so that the test can show the checker
//       notices a lost answer.
#include <sqlite3.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite_store.hpp"

namespace {

using tandem::sdk::Distribution;
using tandem::sdk::Status;
using namespace tandem::store;

constexpr int kCases = 100;
constexpr const char* kVariables[] = {"time[0].polarity", "request", "event_type", "duration"};
constexpr int kTasksPerCase = 4;
constexpr int kBudget = 3;
constexpr int kWorkers = 12;
constexpr double kCost = 0.05;
const Seconds kT0{std::chrono::seconds{1772442000}};  // 2026-03-02T09:00:00Z

std::string case_id(int c) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "case-%03d", c);
  return buf;
}
std::string task_id(int c, int t) { return case_id(c) + "/task-" + std::to_string(t); }
std::string worker_id(int w) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "w%02d", w);
  return buf;
}

// What worker `w` answers to task `t`: a fixed function of both (FNV-1a), so that a rerun agrees.
std::string answer_of(const TaskRecord& t, const std::string& w) {
  std::uint64_t h = 1469598103934665603ull;
  for (char ch : t.task.id + "|" + w) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ull;
  return t.task.options[h % t.task.options.size()];
}

// The posterior after one more answer: each candidate weighted 0.8 when answered, 0.1 otherwise. The
// checker replays it from the prior, so every stored posterior can be compared bit for bit.
Distribution update(const Distribution& before, const std::string& answered) {
  std::vector<tandem::sdk::Candidate> c = before.candidates();
  for (auto& x : c) x.p *= x.value == answered ? 0.8 : 0.1;
  return Distribution(std::move(c));
}

bool settled(TaskState s) { return s == TaskState::accepted || s == TaskState::exhausted; }

int fail(const std::string& what) {
  std::fprintf(stderr, "tandem_store_crash_child: error: %s\n", what.c_str());
  return 1;
}

Status set_up(Store& store) {
  return store.transact([](Transaction& tx) {
    if (tx.get_case(case_id(0)).is_ok()) return Status::ok();  // an earlier run did it
    for (int w = 0; w < kWorkers; ++w) {
      WorkerRecord r;
      r.ref = {worker_id(w), "crash"};
      r.name = "Worker " + std::to_string(w);
      r.languages = {"en"};
      r.locale = "en_GB";
      r.cost_per_answer = kCost;
      r.created = kT0;
      if (auto s = tx.put_worker(r); !s.is_ok()) return s;
    }
    for (int c = 0; c < kCases; ++c) {
      CaseRecord cr;
      cr.id = case_id(c);
      cr.message_id = cr.id + "@crash.example.org";
      cr.pipeline = "crash";
      cr.created = cr.updated = kT0;
      if (auto s = tx.add_case(cr); !s.is_ok()) return s;
      for (int t = 0; t < kTasksPerCase; ++t) {
        TaskRecord tr;
        tr.task.id = task_id(c, t);
        tr.task.case_id = cr.id;
        tr.task.variable = kVariables[t];
        tr.task.options = {"a", "b", "c"};
        tr.task.snippet = "could we grab coffee the Tuesday after at 3?";
        tr.task.language = "en";
        tr.task.created = kT0 + std::chrono::seconds(c * kTasksPerCase + t);
        tr.max_answers = kBudget;
        tr.prior = Distribution({{"a", 0.5}, {"b", 0.3}, {"c", 0.2}});
        tr.updated = kT0;
        if (auto s = tx.add_task(tr); !s.is_ok()) return s;
      }
    }
    return Status::ok();
  });
}

// The latest answered_at in the store (kT0 when there is none).
tandem::sdk::Result<Seconds> latest_answer(Store& store) {
  return store.query<Seconds>([](Reader& r) -> tandem::sdk::Result<Seconds> {
    Seconds latest = kT0;
    for (const char* v : kVariables) {
      auto a = r.answers_in_window(v, kT0, kT0 + std::chrono::days(3650));
      if (!a.is_ok()) return a.status();
      for (const auto& x : *a) latest = std::max(latest, x.answer.answered_at);
    }
    return latest;
  });
}

int run(const std::string& file, unsigned seed) {
  auto opened = SqliteStore::open(file);
  if (!opened.is_ok()) return fail(opened.status().to_string());
  Store& store = **opened;
  if (auto s = set_up(store); !s.is_ok()) return fail(s.to_string());
  auto latest = latest_answer(store);
  if (!latest.is_ok()) return fail(latest.status().to_string());
  // A logical clock: an hour after the last answer, so that the claims a killed run left behind
  // (10-minute leases) have expired; then a minute per answer.
  Seconds now = *latest + std::chrono::hours(1);
  std::mt19937 rng(seed);
  for (;;) {
    now += std::chrono::minutes(1);
    // A random worker; when it has nothing left, the next one, until one gets a task or none can.
    const int first = static_cast<int>(rng() % kWorkers);
    ClaimRequest q;
    q.now = now;
    q.lease = std::chrono::minutes(10);
    std::optional<TaskRecord> claimed;
    for (int i = 0; i < kWorkers && !claimed; ++i) {
      q.worker = {worker_id((first + i) % kWorkers), "crash"};
      auto c = store.claim_next(q);
      if (!c.is_ok()) return fail(c.status().to_string());
      claimed = std::move(*c);
    }
    if (!claimed) break;
    const TaskRecord task = *claimed;
    AnswerRecord a;
    a.answer.task_id = task.task.id;
    a.answer.worker = q.worker;
    a.answer.value = answer_of(task, q.worker.id);
    a.answer.answered_at = now;
    a.cost = kCost;
    a.posterior = update(task.posterior, a.answer.value);
    std::int64_t seq = 0;
    const Status s = store.transact([&](Transaction& tx) {
      auto stored = tx.add_answer(a);
      if (!stored.is_ok()) return stored.status();
      seq = stored->seq;
      if (task.answers + 1 < task.max_answers) return Status::ok();
      TaskUpdate u;
      u.task_id = task.task.id;
      u.state = a.posterior.top_p() >= 0.9 ? TaskState::accepted : TaskState::exhausted;
      u.at = now;
      if (auto r = tx.update_task(u); !r.is_ok()) return r;
      auto siblings = tx.tasks_of_case(task.task.case_id);
      if (!siblings.is_ok()) return siblings.status();
      for (const auto& t : *siblings)
        if (!settled(t.state)) return Status::ok();
      CaseUpdate cu;
      cu.case_id = task.task.case_id;
      cu.state = CaseState::ready;
      cu.at = now;
      return tx.update_case(cu);
    });
    if (!s.is_ok()) return fail(s.to_string());
    std::printf("answer %" PRId64 " %s %s\n", seq, a.answer.task_id.c_str(), a.answer.worker.id.c_str());
    std::fflush(stdout);
  }
  auto counts = store.counts();
  if (!counts.is_ok()) return fail(counts.status().to_string());
  if (counts->tasks[TaskState::open] != 0)
    return fail(std::to_string(counts->tasks[TaskState::open]) + " tasks are open, and no worker can claim one");
  std::printf("done %" PRId64 "\n", counts->answers);
  std::fflush(stdout);
  return 0;
}

struct Ack {
  std::int64_t seq;
  std::string task;
  std::string worker;
  std::string where;
};

int verify(const std::string& file, int kills, bool complete, const std::vector<std::string>& ack_files) {
  std::vector<std::string> errors;
  auto error = [&](const std::string& e) { errors.push_back(e); };

  std::vector<Ack> acks;
  for (const auto& f : ack_files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) return fail("cannot read " + f);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::size_t line = 0;
    for (std::size_t pos = 0; pos < all.size();) {
      const std::size_t nl = all.find('\n', pos);
      if (nl == std::string::npos) break;  // a line cut by the kill was never acknowledged
      ++line;
      std::istringstream ls(all.substr(pos, nl - pos));
      pos = nl + 1;
      std::string word;
      ls >> word;
      if (word != "answer") continue;
      Ack a;
      a.where = f + ":" + std::to_string(line);
      ls >> a.seq >> a.task >> a.worker;
      acks.push_back(a);
    }
  }

  auto opened = SqliteStore::open(file, [] {
    SqliteOptions o;
    o.create = false;
    return o;
  }());
  if (!opened.is_ok()) return fail(opened.status().to_string());
  Store& store = **opened;

  std::map<std::int64_t, AnswerRecord> by_seq;
  std::int64_t tasks_seen = 0;
  std::int64_t settled_tasks = 0;
  const Status read = store.read([&](Reader& r) {
    for (int c = 0; c < kCases; ++c) {
      auto cr = r.get_case(case_id(c));
      if (!cr.is_ok()) {
        error("case lost: " + cr.status().to_string());
        continue;
      }
      auto tasks = r.tasks_of_case(case_id(c));
      if (!tasks.is_ok()) return tasks.status();
      if (tasks->size() != static_cast<std::size_t>(kTasksPerCase))
        error(case_id(c) + ": " + std::to_string(tasks->size()) + " tasks, expected " + std::to_string(kTasksPerCase));
      bool all_settled = true;
      for (const auto& t : *tasks) {
        ++tasks_seen;
        const std::string& id = t.task.id;
        auto answers = r.answers_of_task(id);
        if (!answers.is_ok()) return answers.status();
        std::set<std::string> workers;
        Distribution posterior = t.prior;
        double cost = 0;
        for (const auto& a : *answers) {
          if (!workers.insert(a.answer.worker.id).second) error(id + ": two answers from " + a.answer.worker.id);
          if (!by_seq.emplace(a.seq, a).second) error("answer " + std::to_string(a.seq) + " twice");
          if (a.answer.value != answer_of(t, a.answer.worker.id))
            error(id + ": answer " + std::to_string(a.seq) + " has value " + a.answer.value);
          posterior = update(posterior, a.answer.value);
          if (!(a.posterior == posterior)) error(id + ": answer " + std::to_string(a.seq) + " has another posterior");
          cost += a.cost;
        }
        const int n = static_cast<int>(answers->size());
        if (t.answers != n) error(id + ": counts " + std::to_string(t.answers) + " answers, has " + std::to_string(n));
        if (n > t.max_answers) error(id + ": " + std::to_string(n) + " answers beyond a budget of " + std::to_string(t.max_answers));
        if (std::abs(t.cost - cost) > 1e-9) error(id + ": cost " + std::to_string(t.cost) + " != " + std::to_string(cost));
        if (!(t.posterior == posterior)) error(id + ": its posterior is not the one its answers give");
        if (settled(t.state) != (n == t.max_answers))
          error(id + ": state " + std::string(to_string(t.state)) + " with " + std::to_string(n) + " answers");
        if (settled(t.state)) {
          ++settled_tasks;
          const TaskState want = posterior.top_p() >= 0.9 ? TaskState::accepted : TaskState::exhausted;
          if (t.state != want) error(id + ": state " + std::string(to_string(t.state)) + ", its posterior says " +
                                     std::string(to_string(want)));
        }
        all_settled = all_settled && settled(t.state);
      }
      if (cr.is_ok() && (cr->state == CaseState::ready) != all_settled)
        error(case_id(c) + ": state " + std::string(to_string(cr->state)) +
              (all_settled ? " but every task is settled" : " but a task is open"));
    }
    auto counts = r.counts();
    if (!counts.is_ok()) return counts.status();
    if (counts->answers != static_cast<std::int64_t>(by_seq.size()))
      error("the store holds " + std::to_string(counts->answers) + " answers, its tasks " + std::to_string(by_seq.size()));
    return Status::ok();
  });
  if (!read.is_ok()) return fail(read.to_string());

  std::set<std::int64_t> acked;
  std::set<std::pair<std::string, std::string>> acked_pairs;
  for (const auto& a : acks) {
    if (!acked.insert(a.seq).second) error(a.where + ": answer " + std::to_string(a.seq) + " acknowledged twice");
    if (!acked_pairs.insert({a.task, a.worker}).second)
      error(a.where + ": " + a.task + " answered twice by " + a.worker);
    auto it = by_seq.find(a.seq);
    if (it == by_seq.end()) {
      error(a.where + ": acknowledged answer " + std::to_string(a.seq) + " (" + a.task + ", " + a.worker + ") is lost");
    } else if (it->second.answer.task_id != a.task || it->second.answer.worker.id != a.worker) {
      error(a.where + ": answer " + std::to_string(a.seq) + " is (" + it->second.answer.task_id + ", " +
            it->second.answer.worker.id + ") in the store, (" + a.task + ", " + a.worker + ") acknowledged");
    }
  }
  const auto unacknowledged = static_cast<std::int64_t>(by_seq.size()) - static_cast<std::int64_t>(acked.size());
  if (unacknowledged > kills)
    error(std::to_string(unacknowledged) + " answers committed but not acknowledged, more than the " +
          std::to_string(kills) + " kills explain");
  const std::int64_t all_tasks = static_cast<std::int64_t>(kCases) * kTasksPerCase;
  if (complete && (settled_tasks != all_tasks || static_cast<std::int64_t>(by_seq.size()) != all_tasks * kBudget))
    error("not complete: " + std::to_string(settled_tasks) + " of " + std::to_string(all_tasks) + " tasks settled, " +
          std::to_string(by_seq.size()) + " answers");

  for (const auto& e : errors) std::printf("error: %s\n", e.c_str());
  if (!errors.empty()) return 1;
  std::printf("ok: %d cases, %" PRId64 " tasks, %zu answers (%zu acknowledged, %" PRId64
              " committed but not acknowledged), %d kills\n",
              kCases, tasks_seen, by_seq.size(), acked.size(), unacknowledged, kills);
  return 0;
}

int tamper(const std::string& file) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return fail("cannot open " + file);
  }
  const int rc = sqlite3_exec(db, "DELETE FROM answers WHERE seq = 1", nullptr, nullptr, nullptr);
  const int changed = sqlite3_changes(db);
  sqlite3_close(db);
  if (rc != SQLITE_OK || changed != 1) return fail("cannot delete answer 1 of " + file);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 3 && args[0] == "run") return run(args[1], static_cast<unsigned>(std::strtoul(args[2].c_str(), nullptr, 10)));
  if (args.size() == 2 && args[0] == "tamper") return tamper(args[1]);
  if (args.size() >= 4 && args[0] == "verify" && args[2] == "--kills") {
    const int kills = std::atoi(args[3].c_str());
    std::size_t i = 4;
    const bool complete = i < args.size() && args[i] == "--complete";
    if (complete) ++i;
    return verify(args[1], kills, complete, std::vector<std::string>(args.begin() + static_cast<long>(i), args.end()));
  }
  std::fprintf(stderr,
               "usage: tandem_store_crash_child run STORE SEED\n"
               "       tandem_store_crash_child verify STORE --kills N [--complete] ACKS...\n"
               "       tandem_store_crash_child tamper STORE\n");
  return 2;
}
