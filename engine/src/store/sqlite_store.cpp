// SqliteStore: the Store on one SQLite file. Schema, pragmas and the transaction rule: sqlite_store.hpp
// and docs/store.md.
#include "store/sqlite_store.hpp"

#include <sqlite3.h>

#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <nlohmann/json.hpp>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

namespace tandem::store {

// Propagates a non-ok Status (also into a function returning Result<T>).
#define TANDEM_STORE_CHECK(expr)              \
  do {                                        \
    if (sdk::Status s_ = (expr); !s_.is_ok()) \
      return s_;                              \
  } while (0)

namespace {

using nlohmann::json;

// The schema of version 1. Lists (options, labels, a matrix, a distribution) are JSON text; everything
// a query filters on is a column of its own. Enum columns hold the wire names of store.hpp.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE cases (
  id          TEXT PRIMARY KEY,
  message_id  TEXT NOT NULL,
  thread_id   TEXT NOT NULL,
  pipeline    TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('waiting', 'ready', 'done', 'failed')),
  payload     TEXT NOT NULL,
  error       TEXT NOT NULL,
  created     INTEGER NOT NULL,
  updated     INTEGER NOT NULL
);
CREATE INDEX cases_by_state ON cases (state, created, id);

CREATE TABLE tasks (
  id               TEXT PRIMARY KEY,
  case_id          TEXT REFERENCES cases (id),
  variable         TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('routed', 'audit', 'gold')),
  state            TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'expert', 'exhausted', 'cancelled')),
  options          TEXT NOT NULL,
  allow_other      INTEGER NOT NULL,
  instructions     TEXT NOT NULL,
  snippet          TEXT NOT NULL,
  highlight_begin  INTEGER NOT NULL,
  highlight_end    INTEGER NOT NULL,
  language         TEXT NOT NULL,
  created          INTEGER NOT NULL,
  updated          INTEGER NOT NULL,
  tier             INTEGER NOT NULL CHECK (tier >= 0),
  max_answers      INTEGER NOT NULL CHECK (max_answers >= 0),
  max_cost         REAL NOT NULL CHECK (max_cost >= 0),
  answers          INTEGER NOT NULL,
  cost             REAL NOT NULL,
  prior            TEXT NOT NULL,
  posterior        TEXT NOT NULL,
  expert_reason    TEXT NOT NULL,
  CHECK ((kind = 'gold') = (case_id IS NULL))
);
CREATE INDEX tasks_by_state ON tasks (state, variable, created, id);
CREATE INDEX tasks_by_case ON tasks (case_id, created, id);

CREATE TABLE claims (
  task_id     TEXT NOT NULL REFERENCES tasks (id),
  worker_id   TEXT NOT NULL,
  backend     TEXT NOT NULL,
  cost        REAL NOT NULL,
  claimed_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  PRIMARY KEY (task_id, worker_id)
);
CREATE INDEX claims_by_expiry ON claims (expires_at);

CREATE TABLE answers (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id      TEXT NOT NULL REFERENCES tasks (id),
  worker_id    TEXT NOT NULL,
  backend      TEXT NOT NULL,
  value        TEXT NOT NULL,
  other_text   TEXT NOT NULL,
  answered_at  INTEGER NOT NULL,
  variable     TEXT NOT NULL,
  tier         INTEGER NOT NULL,
  cost         REAL NOT NULL,
  posterior    TEXT NOT NULL,
  UNIQUE (task_id, worker_id)
);
CREATE INDEX answers_by_variable_time ON answers (variable, answered_at, seq);
CREATE INDEX answers_by_worker ON answers (worker_id, variable, seq);

CREATE TABLE workers (
  id               TEXT PRIMARY KEY,
  backend          TEXT NOT NULL,
  name             TEXT NOT NULL,
  locale           TEXT NOT NULL,
  cost_per_answer  REAL NOT NULL,
  active           INTEGER NOT NULL,
  created          INTEGER NOT NULL
);

-- languages, skills and tags, one row each, so that targeting is an indexed look-up.
CREATE TABLE worker_attributes (
  worker_id  TEXT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
  kind       TEXT NOT NULL CHECK (kind IN ('language', 'skill', 'tag')),
  position   INTEGER NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (worker_id, kind, position)
);
CREATE INDEX worker_attributes_by_value ON worker_attributes (kind, value);

CREATE TABLE qualifications (
  worker_id     TEXT NOT NULL REFERENCES workers (id),
  variable      TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('tutorial', 'quiz', 'qualified', 'revoked')),
  reason        TEXT NOT NULL,
  quiz_correct  INTEGER NOT NULL,
  quiz_total    INTEGER NOT NULL,
  changed_at    INTEGER NOT NULL,
  PRIMARY KEY (worker_id, variable)
);
CREATE INDEX qualifications_by_variable ON qualifications (variable, state, worker_id);

CREATE TABLE worker_models (
  worker_id  TEXT NOT NULL,
  variable   TEXT NOT NULL,
  labels     TEXT NOT NULL,
  confusion  TEXT NOT NULL,
  answers    REAL NOT NULL,
  fitted_at  INTEGER NOT NULL,
  PRIMARY KEY (worker_id, variable)
);
CREATE INDEX worker_models_by_variable ON worker_models (variable, worker_id);

CREATE TABLE gold (
  task_id      TEXT PRIMARY KEY REFERENCES tasks (id),
  variable     TEXT NOT NULL,
  correct      TEXT NOT NULL,
  explanation  TEXT NOT NULL
);
CREATE INDEX gold_by_variable ON gold (variable, task_id);
)sql";

constexpr const char* kTaskColumns =
    "t.id, t.case_id, t.variable, t.kind, t.state, t.options, t.allow_other, t.instructions, t.snippet, "
    "t.highlight_begin, t.highlight_end, t.language, t.created, t.updated, t.tier, t.max_answers, t.max_cost, "
    "t.answers, t.cost, t.prior, t.posterior, t.expert_reason";
constexpr const char* kCaseColumns =
    "id, message_id, thread_id, pipeline, state, payload, error, created, updated";
constexpr const char* kAnswerColumns =
    "seq, task_id, worker_id, backend, value, other_text, answered_at, variable, tier, cost, posterior";
constexpr const char* kWorkerColumns = "id, backend, name, locale, cost_per_answer, active, created";
constexpr const char* kQualificationColumns =
    "worker_id, variable, state, reason, quiz_correct, quiz_total, changed_at";
constexpr const char* kModelColumns = "worker_id, variable, labels, confusion, answers, fitted_at";
constexpr const char* kGoldColumns = "task_id, variable, correct, explanation";

std::int64_t to_db(Seconds t) noexcept { return t.time_since_epoch().count(); }
Seconds from_db(std::int64_t v) noexcept { return Seconds{std::chrono::seconds{v}}; }

// A distribution as [[value, p], ...] in its own (normalised) order; read back with add(), which keeps
// that order and the exact doubles (nlohmann writes doubles so that they read back bit for bit).
std::string distribution_json(const sdk::Distribution& d) {
  json a = json::array();
  for (const auto& c : d.candidates()) a.push_back(json::array({c.value, c.p}));
  return a.dump();
}
sdk::Distribution distribution_from(const std::string& text) {
  sdk::Distribution d;
  for (const auto& c : json::parse(text)) d.add(c.at(0).get<std::string>(), c.at(1).get<double>());
  return d;
}
std::string strings_json(const std::vector<std::string>& v) { return json(v).dump(); }
std::vector<std::string> strings_from(const std::string& text) {
  return json::parse(text).get<std::vector<std::string>>();
}

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

// ---- the connection ---------------------------------------------------------------------------------

struct SqliteStore::Impl {
  std::string location;  // the file as given, for messages
  sqlite3* db = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements;
  std::mutex mutex;
  std::atomic<std::thread::id> owner{};  // the thread inside a body, to refuse nesting

  ~Impl() {
    for (auto& [sql, stmt] : statements) sqlite3_finalize(stmt);
    if (db != nullptr) sqlite3_close_v2(db);
  }

  std::string prefix() const { return "store " + location + ": "; }

  // "store FILE: WHAT: sqlite's message", with a code that says whether retrying can help.
  sdk::Status error(std::string_view what, int rc) const {
    std::string m = prefix();
    m.append(what).append(": ");
    m.append(db != nullptr && sqlite3_extended_errcode(db) == rc ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    switch (rc & 0xff) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
      case SQLITE_FULL:
      case SQLITE_IOERR:
      case SQLITE_CANTOPEN:
      case SQLITE_READONLY:
      case SQLITE_PERM:
      case SQLITE_NOLFS:
        return sdk::Status::unavailable(std::move(m));
      case SQLITE_NOTADB:
      case SQLITE_CORRUPT:
      case SQLITE_CONSTRAINT:
      case SQLITE_MISMATCH:
        return sdk::Status::invalid_input(std::move(m));
      default:
        return sdk::Status::internal(std::move(m));
    }
  }

  sdk::Status exec(const char* sql, std::string_view what) {
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    return rc == SQLITE_OK ? sdk::Status::ok() : error(what, rc);
  }

  void rollback() noexcept {
    if (db != nullptr && sqlite3_get_autocommit(db) == 0) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
};

namespace {

// A cached prepared statement in use: bind, step, read columns; reset and unbound when it goes out of
// scope, so the cache can hand it out again.
class Stmt {
 public:
  Stmt(SqliteStore::Impl& impl, sqlite3_stmt* s) noexcept : impl_(&impl), s_(s) {}
  Stmt(Stmt&& o) noexcept : impl_(o.impl_), s_(std::exchange(o.s_, nullptr)), bind_rc_(o.bind_rc_) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& operator=(Stmt&&) = delete;
  ~Stmt() {
    if (s_ != nullptr) {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
  }

  Stmt& text(int i, std::string_view v) {
    // An empty view may have a null data(), which SQLite would bind as NULL.
    note(sqlite3_bind_text(s_, i, v.empty() ? "" : v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Stmt& integer(int i, std::int64_t v) {
    note(sqlite3_bind_int64(s_, i, v));
    return *this;
  }
  Stmt& real(int i, double v) {
    note(sqlite3_bind_double(s_, i, v));
    return *this;
  }
  Stmt& null(int i) {
    note(sqlite3_bind_null(s_, i));
    return *this;
  }

  // true: a row is there; false: done.
  sdk::Result<bool> step(std::string_view what) {
    if (bind_rc_ != SQLITE_OK) return impl_->error(what, bind_rc_);
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return impl_->error(what, rc);
  }
  // Runs a statement that returns no rows.
  sdk::Status run(std::string_view what) {
    auto r = step(what);
    return r.status();
  }

  std::string col_text(int i) const {
    const auto* p = sqlite3_column_text(s_, i);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p),
                                                      static_cast<std::size_t>(sqlite3_column_bytes(s_, i)));
  }
  std::int64_t col_int(int i) const { return sqlite3_column_int64(s_, i); }
  double col_real(int i) const { return sqlite3_column_double(s_, i); }
  bool col_null(int i) const { return sqlite3_column_type(s_, i) == SQLITE_NULL; }

 private:
  void note(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }
  SqliteStore::Impl* impl_;
  sqlite3_stmt* s_;
  int bind_rc_ = SQLITE_OK;
};

sdk::Result<Stmt> prepare(SqliteStore::Impl& impl, const std::string& sql) {
  auto it = impl.statements.find(sql);
  if (it == impl.statements.end()) {
    sqlite3_stmt* s = nullptr;
    const int rc = sqlite3_prepare_v3(impl.db, sql.c_str(), static_cast<int>(sql.size() + 1),
                                      SQLITE_PREPARE_PERSISTENT, &s, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(s);
      const std::string head = sql.size() > 60 ? sql.substr(0, 60) + "..." : sql;
      return impl.error("cannot prepare \"" + head + "\"", rc);
    }
    it = impl.statements.emplace(sql, s).first;
  }
  return Stmt(impl, it->second);
}

// Statements are built once per process: the cache is keyed by their text.
std::string sql_select(const char* columns, std::string_view rest) {
  return std::string("SELECT ") + columns + " " + std::string(rest);
}

CaseRecord read_case(const Stmt& s) {
  CaseRecord c;
  c.id = s.col_text(0);
  c.message_id = s.col_text(1);
  c.thread_id = s.col_text(2);
  c.pipeline = s.col_text(3);
  c.state = case_state_from(s.col_text(4)).value_or(CaseState::failed);
  c.payload = s.col_text(5);
  c.error = s.col_text(6);
  c.created = from_db(s.col_int(7));
  c.updated = from_db(s.col_int(8));
  return c;
}

TaskRecord read_task(const Stmt& s) {
  TaskRecord t;
  t.task.id = s.col_text(0);
  t.task.case_id = s.col_null(1) ? std::string() : s.col_text(1);
  t.task.variable = s.col_text(2);
  t.kind = task_kind_from(s.col_text(3)).value_or(TaskKind::routed);
  t.state = task_state_from(s.col_text(4)).value_or(TaskState::cancelled);
  t.task.options = strings_from(s.col_text(5));
  t.task.allow_other = s.col_int(6) != 0;
  t.task.instructions = s.col_text(7);
  t.task.snippet = s.col_text(8);
  t.task.highlight = {static_cast<std::size_t>(s.col_int(9)), static_cast<std::size_t>(s.col_int(10))};
  t.task.language = s.col_text(11);
  t.task.created = from_db(s.col_int(12));
  t.updated = from_db(s.col_int(13));
  t.tier = static_cast<int>(s.col_int(14));
  t.max_answers = static_cast<int>(s.col_int(15));
  t.max_cost = s.col_real(16);
  t.answers = static_cast<int>(s.col_int(17));
  t.cost = s.col_real(18);
  t.prior = distribution_from(s.col_text(19));
  t.posterior = distribution_from(s.col_text(20));
  t.expert_reason = s.col_text(21);
  return t;
}

AnswerRecord read_answer(const Stmt& s) {
  AnswerRecord a;
  a.seq = s.col_int(0);
  a.answer.task_id = s.col_text(1);
  a.answer.worker.id = s.col_text(2);
  a.answer.worker.backend = s.col_text(3);
  a.answer.value = s.col_text(4);
  a.answer.other_text = s.col_text(5);
  a.answer.answered_at = from_db(s.col_int(6));
  a.variable = s.col_text(7);
  a.tier = static_cast<int>(s.col_int(8));
  a.cost = s.col_real(9);
  a.posterior = distribution_from(s.col_text(10));
  return a;
}

Qualification read_qualification(const Stmt& s) {
  Qualification q;
  q.worker_id = s.col_text(0);
  q.variable = s.col_text(1);
  q.state = qualification_state_from(s.col_text(2)).value_or(QualificationState::revoked);
  q.reason = s.col_text(3);
  q.quiz_correct = static_cast<int>(s.col_int(4));
  q.quiz_total = static_cast<int>(s.col_int(5));
  q.changed_at = from_db(s.col_int(6));
  return q;
}

WorkerModelRecord read_model(const Stmt& s) {
  WorkerModelRecord m;
  m.model.worker = s.col_text(0);
  m.variable = s.col_text(1);
  m.model.labels = strings_from(s.col_text(2));
  m.model.confusion = json::parse(s.col_text(3)).get<std::vector<double>>();
  m.model.answers = s.col_real(4);
  m.fitted_at = from_db(s.col_int(5));
  return m;
}

GoldRecord read_gold(const Stmt& s) {
  return {s.col_text(0), s.col_text(1), s.col_text(2), s.col_text(3)};
}

// Runs `s` and collects every row through `read`.
template <typename T, typename F>
sdk::Result<std::vector<T>> collect(Stmt& s, std::string_view what, F&& read) {
  std::vector<T> out;
  for (;;) {
    auto row = s.step(what);
    if (!row.is_ok()) return row.status();
    if (!*row) return out;
    out.push_back(read(s));
  }
}

// The one Transaction (and Reader) of SqliteStore; lives for one body.
class SqliteTransaction final : public Transaction {
 public:
  explicit SqliteTransaction(SqliteStore::Impl& impl) noexcept : impl_(impl) {}

  // ---- reads ----

  sdk::Result<CaseRecord> get_case(std::string_view case_id) override {
    static const std::string sql = sql_select(kCaseColumns, "FROM cases WHERE id = ?1");
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, case_id);
    auto row = s->step("cannot read case " + in_quotes(case_id));
    if (!row.is_ok()) return row.status();
    if (!*row) return sdk::Status::not_found(impl_.prefix() + "no case " + in_quotes(case_id));
    return read_case(*s);
  }

  sdk::Result<std::vector<CaseRecord>> cases_in_state(CaseState state) override {
    static const std::string sql = sql_select(kCaseColumns, "FROM cases WHERE state = ?1 ORDER BY created, id");
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, to_string(state));
    return collect<CaseRecord>(*s, "cannot list cases", read_case);
  }

  sdk::Result<TaskRecord> get_task(std::string_view task_id) override {
    static const std::string sql = sql_select(kTaskColumns, "FROM tasks t WHERE t.id = ?1");
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, task_id);
    auto row = s->step("cannot read task " + in_quotes(task_id));
    if (!row.is_ok()) return row.status();
    if (!*row) return sdk::Status::not_found(impl_.prefix() + "no task " + in_quotes(task_id));
    return read_task(*s);
  }

  sdk::Result<std::vector<TaskRecord>> tasks_of_case(std::string_view case_id) override {
    static const std::string sql =
        sql_select(kTaskColumns, "FROM tasks t WHERE t.case_id = ?1 ORDER BY t.created, t.id");
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, case_id);
    return collect<TaskRecord>(*s, "cannot list the tasks of case " + in_quotes(case_id), read_task);
  }

  sdk::Result<std::vector<TaskRecord>> open_tasks(std::string_view variable) override {
    static const std::string sql = sql_select(
        kTaskColumns,
        "FROM tasks t WHERE t.state = 'open' AND t.kind <> 'gold' AND (?1 = '' OR t.variable = ?1) "
        "ORDER BY t.created, t.id");
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, variable);
    return collect<TaskRecord>(*s, "cannot list open tasks", read_task);
  }

  sdk::Result<std::vector<Claim>> claims_of_task(std::string_view task_id, Seconds now) override {
    static const std::string sql =
        "SELECT task_id, worker_id, backend, cost, claimed_at, expires_at FROM claims "
        "WHERE task_id = ?1 AND expires_at > ?2 ORDER BY claimed_at, worker_id";
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, task_id).integer(2, to_db(now));
    return collect<Claim>(*s, "cannot list the claims of task " + in_quotes(task_id), [](const Stmt& r) {
      return Claim{r.col_text(0), {r.col_text(1), r.col_text(2)}, r.col_real(3), from_db(r.col_int(4)),
                   from_db(r.col_int(5))};
    });
  }

  sdk::Result<std::vector<AnswerRecord>> answers_of_task(std::string_view task_id) override {
    static const std::string sql = sql_select(kAnswerColumns, "FROM answers WHERE task_id = ?1 ORDER BY seq");
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, task_id);
    return collect<AnswerRecord>(*s, "cannot list the answers of task " + in_quotes(task_id), read_answer);
  }

  sdk::Result<std::vector<AnswerRecord>> answers_in_window(std::string_view variable, Seconds from,
                                                           Seconds to) override {
    static const std::string sql = sql_select(
        kAnswerColumns,
        "FROM answers WHERE variable = ?1 AND answered_at >= ?2 AND answered_at < ?3 ORDER BY answered_at, seq");
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, variable).integer(2, to_db(from)).integer(3, to_db(to));
    return collect<AnswerRecord>(*s, "cannot list the answers about " + in_quotes(variable), read_answer);
  }

  sdk::Result<std::vector<AnswerRecord>> answers_of_worker(std::string_view worker_id,
                                                           std::string_view variable) override {
    static const std::string sql = sql_select(
        kAnswerColumns, "FROM answers WHERE worker_id = ?1 AND (?2 = '' OR variable = ?2) ORDER BY seq");
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, worker_id).text(2, variable);
    return collect<AnswerRecord>(*s, "cannot list the answers of worker " + in_quotes(worker_id), read_answer);
  }

  sdk::Result<WorkerRecord> get_worker(std::string_view worker_id) override {
    static const std::string sql = sql_select(kWorkerColumns, "FROM workers WHERE id = ?1");
    std::optional<WorkerRecord> w;
    {
      auto s = prepare(impl_, sql);
      if (!s.is_ok()) return s.status();
      s->text(1, worker_id);
      auto row = s->step("cannot read worker " + in_quotes(worker_id));
      if (!row.is_ok()) return row.status();
      if (!*row) return sdk::Status::not_found(impl_.prefix() + "no worker " + in_quotes(worker_id));
      w = read_worker_row(*s);
    }
    TANDEM_STORE_CHECK(fill_attributes(*w));
    return std::move(*w);
  }

  sdk::Result<std::vector<WorkerRecord>> find_workers(const WorkerQuery& q) override {
    static const std::string sql = sql_select(
        kWorkerColumns,
        "FROM workers w WHERE (?1 = '' OR w.backend = ?1) AND (?3 = '' OR w.locale = ?3) "
        "AND (?6 = 0 OR w.active = 1) "
        "AND (?2 = '' OR EXISTS (SELECT 1 FROM worker_attributes a WHERE a.worker_id = w.id "
        "                        AND a.kind = 'language' AND a.value = ?2)) "
        "AND (?4 = '' OR EXISTS (SELECT 1 FROM worker_attributes a WHERE a.worker_id = w.id "
        "                        AND a.kind = 'skill' AND a.value = ?4)) "
        "AND (?5 = '' OR EXISTS (SELECT 1 FROM worker_attributes a WHERE a.worker_id = w.id "
        "                        AND a.kind = 'tag' AND a.value = ?5)) "
        "ORDER BY w.id");
    std::vector<WorkerRecord> found;
    {
      auto s = prepare(impl_, sql);
      if (!s.is_ok()) return s.status();
      s->text(1, q.backend).text(2, q.language).text(3, q.locale).text(4, q.skill).text(5, q.tag);
      s->integer(6, q.active_only ? 1 : 0);
      auto rows = collect<WorkerRecord>(*s, "cannot find workers", [this](const Stmt& r) { return read_worker_row(r); });
      if (!rows.is_ok()) return rows.status();
      found = std::move(rows).value();
    }
    for (auto& w : found) TANDEM_STORE_CHECK(fill_attributes(w));
    return found;
  }

  sdk::Result<Qualification> qualification(std::string_view worker_id, std::string_view variable) override {
    static const std::string sql =
        sql_select(kQualificationColumns, "FROM qualifications WHERE worker_id = ?1 AND variable = ?2");
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, worker_id).text(2, variable);
    auto row = s->step("cannot read a qualification of worker " + in_quotes(worker_id));
    if (!row.is_ok()) return row.status();
    if (!*row)
      return sdk::Status::not_found(impl_.prefix() + "worker " + in_quotes(worker_id) + " has no standing on " +
                                    in_quotes(variable));
    return read_qualification(*s);
  }

  sdk::Result<std::vector<Qualification>> qualifications_of(std::string_view worker_id) override {
    static const std::string sql =
        sql_select(kQualificationColumns, "FROM qualifications WHERE worker_id = ?1 ORDER BY variable");
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, worker_id);
    return collect<Qualification>(*s, "cannot list the qualifications of worker " + in_quotes(worker_id),
                                  read_qualification);
  }

  sdk::Result<std::vector<Qualification>> qualified_on(std::string_view variable, QualificationState state) override {
    static const std::string sql = sql_select(
        kQualificationColumns, "FROM qualifications WHERE variable = ?1 AND state = ?2 ORDER BY worker_id");
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, variable).text(2, to_string(state));
    return collect<Qualification>(*s, "cannot list the qualifications on " + in_quotes(variable), read_qualification);
  }

  sdk::Result<WorkerModelRecord> worker_model(std::string_view worker_id, std::string_view variable) override {
    static const std::string sql =
        sql_select(kModelColumns, "FROM worker_models WHERE worker_id = ?1 AND variable = ?2");
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, worker_id).text(2, variable);
    auto row = s->step("cannot read the model of worker " + in_quotes(worker_id));
    if (!row.is_ok()) return row.status();
    if (!*row)
      return sdk::Status::not_found(impl_.prefix() + "no model of worker " + in_quotes(worker_id) + " on " +
                                    in_quotes(variable));
    return read_model(*s);
  }

  sdk::Result<std::vector<WorkerModelRecord>> worker_models(std::string_view variable) override {
    static const std::string sql = sql_select(kModelColumns, "FROM worker_models WHERE variable = ?1 ORDER BY worker_id");
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, variable);
    return collect<WorkerModelRecord>(*s, "cannot list the worker models of " + in_quotes(variable), read_model);
  }

  sdk::Result<GoldRecord> gold(std::string_view task_id) override {
    static const std::string sql = sql_select(kGoldColumns, "FROM gold WHERE task_id = ?1");
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, task_id);
    auto row = s->step("cannot read gold question " + in_quotes(task_id));
    if (!row.is_ok()) return row.status();
    if (!*row) return sdk::Status::not_found(impl_.prefix() + "no gold question " + in_quotes(task_id));
    return read_gold(*s);
  }

  sdk::Result<std::vector<GoldRecord>> gold_of_variable(std::string_view variable) override {
    static const std::string sql = sql_select(kGoldColumns, "FROM gold WHERE variable = ?1 ORDER BY task_id");
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, variable);
    return collect<GoldRecord>(*s, "cannot list the gold questions of " + in_quotes(variable), read_gold);
  }

  sdk::Result<StoreCounts> counts() override {
    StoreCounts c;
    for (int i = 0; i < 4; ++i) c.cases[static_cast<CaseState>(i)] = 0;
    for (int i = 0; i < 5; ++i) c.tasks[static_cast<TaskState>(i)] = 0;
    {
      auto s = prepare(impl_, "SELECT state, count(*) FROM cases GROUP BY state");
      if (!s.is_ok()) return s.status();
      for (;;) {
        auto row = s->step("cannot count cases");
        if (!row.is_ok()) return row.status();
        if (!*row) break;
        if (auto st = case_state_from(s->col_text(0))) c.cases[*st] = s->col_int(1);
      }
    }
    {
      auto s = prepare(impl_, "SELECT state, count(*) FROM tasks GROUP BY state");
      if (!s.is_ok()) return s.status();
      for (;;) {
        auto row = s->step("cannot count tasks");
        if (!row.is_ok()) return row.status();
        if (!*row) break;
        if (auto st = task_state_from(s->col_text(0))) c.tasks[*st] = s->col_int(1);
      }
    }
    auto s = prepare(impl_,
                     "SELECT (SELECT count(*) FROM answers), (SELECT count(*) FROM claims), "
                     "(SELECT count(*) FROM workers), (SELECT count(*) FROM gold)");
    if (!s.is_ok()) return s.status();
    auto row = s->step("cannot count answers, claims, workers and gold questions");
    if (!row.is_ok()) return row.status();
    c.answers = s->col_int(0);
    c.claims = s->col_int(1);
    c.workers = s->col_int(2);
    c.gold = s->col_int(3);
    return c;
  }

  // ---- writes ----

  sdk::Status add_case(const CaseRecord& r) override {
    if (r.id.empty()) return sdk::Status::invalid_input(impl_.prefix() + "a case needs an id");
    TANDEM_STORE_CHECK(refuse_existing("cases", "case", r.id));
    static const std::string sql =
        "INSERT INTO cases (id, message_id, thread_id, pipeline, state, payload, error, created, updated) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, r.id).text(2, r.message_id).text(3, r.thread_id).text(4, r.pipeline).text(5, to_string(r.state));
    s->text(6, r.payload).text(7, r.error).integer(8, to_db(r.created)).integer(9, to_db(r.updated));
    return s->run("cannot add case " + in_quotes(r.id));
  }

  sdk::Status update_case(const CaseUpdate& u) override {
    static const std::string sql =
        "UPDATE cases SET state = coalesce(?2, state), payload = coalesce(?3, payload), "
        "error = coalesce(?4, error), updated = ?5 WHERE id = ?1";
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, u.case_id);
    if (u.state) s->text(2, to_string(*u.state)); else s->null(2);
    if (u.payload) s->text(3, *u.payload); else s->null(3);
    if (u.error) s->text(4, *u.error); else s->null(4);
    s->integer(5, to_db(u.at));
    TANDEM_STORE_CHECK(s->run("cannot update case " + in_quotes(u.case_id)));
    if (sqlite3_changes(impl_.db) == 0)
      return sdk::Status::not_found(impl_.prefix() + "cannot update case " + in_quotes(u.case_id) + ": no such case");
    return sdk::Status::ok();
  }

  sdk::Status add_task(const TaskRecord& r) override {
    const auto& t = r.task;
    const std::string what = "cannot add task " + in_quotes(t.id);
    auto refuse = [&](std::string_view why) {
      return sdk::Status::invalid_input(impl_.prefix() + what + ": " + std::string(why));
    };
    if (t.id.empty()) return sdk::Status::invalid_input(impl_.prefix() + "a task needs an id");
    if (t.variable.empty()) return refuse("it has no variable");
    if (t.options.empty()) return refuse("it has no options");
    if (r.kind == TaskKind::gold && !t.case_id.empty()) return refuse("a gold question belongs to no case");
    if (r.kind != TaskKind::gold && t.case_id.empty()) return refuse("it belongs to no case");
    if (!t.highlight.fits(t.snippet))
      return refuse("its highlight [" + std::to_string(t.highlight.begin) + ", " + std::to_string(t.highlight.end) +
                    ") is outside its snippet of " + std::to_string(t.snippet.size()) + " bytes");
    if (r.tier < 0 || r.max_answers < 0 || !(r.max_cost >= 0)) return refuse("a negative tier or budget");
    if (r.state == TaskState::expert && r.expert_reason.empty()) return refuse("marked for an expert without a reason");
    TANDEM_STORE_CHECK(refuse_existing("tasks", "task", t.id));
    if (!t.case_id.empty()) {
      auto c = get_case(t.case_id);
      if (!c.is_ok()) {
        if (c.status().code() == sdk::Code::not_found)
          return sdk::Status::not_found(impl_.prefix() + what + ": no case " + in_quotes(t.case_id));
        return c.status();
      }
    }
    static const std::string sql =
        "INSERT INTO tasks (id, case_id, variable, kind, state, options, allow_other, instructions, snippet, "
        "highlight_begin, highlight_end, language, created, updated, tier, max_answers, max_cost, answers, cost, "
        "prior, posterior, expert_reason) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, 0, 0, ?18, ?19, ?20)";
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, t.id);
    if (t.case_id.empty()) s->null(2); else s->text(2, t.case_id);
    s->text(3, t.variable).text(4, to_string(r.kind)).text(5, to_string(r.state)).text(6, strings_json(t.options));
    s->integer(7, t.allow_other ? 1 : 0).text(8, t.instructions).text(9, t.snippet);
    s->integer(10, static_cast<std::int64_t>(t.highlight.begin)).integer(11, static_cast<std::int64_t>(t.highlight.end));
    s->text(12, t.language).integer(13, to_db(t.created)).integer(14, to_db(r.updated));
    s->integer(15, r.tier).integer(16, r.max_answers).real(17, r.max_cost);
    s->text(18, distribution_json(r.prior));
    s->text(19, distribution_json(r.posterior.empty() ? r.prior : r.posterior));
    s->text(20, r.expert_reason);
    return s->run(what);
  }

  sdk::Status update_task(const TaskUpdate& u) override {
    const std::string what = "cannot update task " + in_quotes(u.task_id);
    auto refuse = [&](std::string_view why) {
      return sdk::Status::invalid_input(impl_.prefix() + what + ": " + std::string(why));
    };
    if (u.state == TaskState::expert && (!u.expert_reason || u.expert_reason->empty()))
      return refuse("marked for an expert without a reason");
    if ((u.tier && *u.tier < 0) || (u.max_answers && *u.max_answers < 0) || (u.max_cost && !(*u.max_cost >= 0)))
      return refuse("a negative tier or budget");
    static const std::string sql =
        "UPDATE tasks SET state = coalesce(?2, state), tier = coalesce(?3, tier), "
        "max_answers = coalesce(?4, max_answers), max_cost = coalesce(?5, max_cost), "
        "posterior = coalesce(?6, posterior), expert_reason = coalesce(?7, expert_reason), updated = ?8 "
        "WHERE id = ?1";
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, u.task_id);
    if (u.state) s->text(2, to_string(*u.state)); else s->null(2);
    if (u.tier) s->integer(3, *u.tier); else s->null(3);
    if (u.max_answers) s->integer(4, *u.max_answers); else s->null(4);
    if (u.max_cost) s->real(5, *u.max_cost); else s->null(5);
    if (u.posterior) s->text(6, distribution_json(*u.posterior)); else s->null(6);
    if (u.expert_reason) s->text(7, *u.expert_reason); else s->null(7);
    s->integer(8, to_db(u.at));
    TANDEM_STORE_CHECK(s->run(what));
    if (sqlite3_changes(impl_.db) == 0)
      return sdk::Status::not_found(impl_.prefix() + what + ": no such task");
    return sdk::Status::ok();
  }

  sdk::Result<std::optional<TaskRecord>> claim_next(const ClaimRequest& q) override {
    auto released = release_expired_claims(q.now);
    if (!released.is_ok()) return released.status();
    static const std::string sql = sql_select(
        kTaskColumns,
        "FROM tasks t WHERE t.state = 'open' AND t.kind <> 'gold' AND t.tier <= ?1 "
        "AND (?2 IS NULL OR t.variable IN (SELECT value FROM json_each(?2))) "
        "AND (?3 IS NULL OR t.language = '' OR t.language IN (SELECT value FROM json_each(?3))) "
        "AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.task_id = t.id AND a.worker_id = ?4) "
        "AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.task_id = t.id AND c.worker_id = ?4) "
        "AND (t.max_answers = 0 OR t.answers + (SELECT count(*) FROM claims c WHERE c.task_id = t.id) < t.max_answers) "
        "AND (t.max_cost = 0 OR t.cost + (SELECT coalesce(sum(c.cost), 0) FROM claims c WHERE c.task_id = t.id) + ?5 "
        "                       <= t.max_cost + 1e-9) "
        "ORDER BY t.created, t.id LIMIT 1");
    std::optional<TaskRecord> task;
    {
      auto s = prepare(impl_, sql);
      if (!s.is_ok()) return s.status();
      s->integer(1, q.tier);
      if (q.variables.empty()) s->null(2); else s->text(2, strings_json(q.variables));
      if (q.languages.empty()) s->null(3); else s->text(3, strings_json(q.languages));
      s->text(4, q.worker.id).real(5, q.cost);
      auto row = s->step("cannot claim a task for worker " + in_quotes(q.worker.id));
      if (!row.is_ok()) return row.status();
      if (!*row) return std::optional<TaskRecord>();
      task = read_task(*s);
    }
    TANDEM_STORE_CHECK(insert_claim(task->task.id, q));
    return task;
  }

  sdk::Result<TaskRecord> claim_task(std::string_view task_id, const ClaimRequest& q) override {
    const std::string what = "cannot claim task " + in_quotes(task_id) + " for worker " + in_quotes(q.worker.id);
    auto t = get_task(task_id);
    if (!t.is_ok()) return t.status();
    if (t->state != TaskState::open && t->state != TaskState::expert)
      return sdk::Status::invalid_input(impl_.prefix() + what + ": the task is " + std::string(to_string(t->state)));
    if (auto seq = answer_of(task_id, q.worker.id); !seq.is_ok()) {
      return seq.status();
    } else if (*seq != 0) {
      return sdk::Status::invalid_input(impl_.prefix() + what + ": the worker has answered it already (answer " +
                                        std::to_string(*seq) + ")");
    }
    auto released = release_expired_claims(q.now);
    if (!released.is_ok()) return released.status();
    auto live = claims_of_task(task_id, q.now);
    if (!live.is_ok()) return live.status();
    double claimed_cost = 0;
    for (const auto& c : *live) {
      if (c.worker.id == q.worker.id)
        return sdk::Status::invalid_input(impl_.prefix() + what + ": the worker holds a claim on it already");
      claimed_cost += c.cost;
    }
    const auto claims = static_cast<int>(live->size());
    if (t->max_answers > 0 && t->answers + claims >= t->max_answers)
      return sdk::Status::unavailable(impl_.prefix() + what + ": its budget of " + std::to_string(t->max_answers) +
                                      " answers is taken (" + std::to_string(t->answers) + " answered, " +
                                      std::to_string(claims) + " claimed)");
    if (t->max_cost > 0 && t->cost + claimed_cost + q.cost > t->max_cost + 1e-9)
      return sdk::Status::unavailable(impl_.prefix() + what + ": its cost budget is taken");
    TANDEM_STORE_CHECK(insert_claim(t->task.id, q));
    return std::move(t).value();
  }

  sdk::Status release_claim(std::string_view task_id, std::string_view worker_id) override {
    auto s = prepare(impl_, "DELETE FROM claims WHERE task_id = ?1 AND worker_id = ?2");
    if (!s.is_ok()) return s.status();
    s->text(1, task_id).text(2, worker_id);
    return s->run("cannot release the claim of worker " + in_quotes(worker_id) + " on task " + in_quotes(task_id));
  }

  sdk::Result<std::int64_t> release_expired_claims(Seconds now) override {
    auto s = prepare(impl_, "DELETE FROM claims WHERE expires_at <= ?1");
    if (!s.is_ok()) return s.status();
    s->integer(1, to_db(now));
    TANDEM_STORE_CHECK(s->run("cannot release expired claims"));
    return static_cast<std::int64_t>(sqlite3_changes(impl_.db));
  }

  sdk::Result<AnswerRecord> add_answer(const AnswerRecord& r) override {
    const auto& a = r.answer;
    const std::string who = "worker " + in_quotes(a.worker.id);
    auto t = get_task(a.task_id);
    if (!t.is_ok()) {
      if (t.status().code() == sdk::Code::not_found)
        return sdk::Status::not_found(impl_.prefix() + "answer of " + who + " to unknown task " + in_quotes(a.task_id));
      return t.status();
    }
    const std::string what = "task " + in_quotes(a.task_id) + ": answer of " + who;
    if (a.worker.id.empty())
      return sdk::Status::invalid_input(impl_.prefix() + "task " + in_quotes(a.task_id) + ": an answer without a worker");
    if (!a.value.empty()) {
      bool known = false;
      for (const auto& o : t->task.options) known = known || o == a.value;
      if (!known)
        return sdk::Status::invalid_input(impl_.prefix() + what + ": " + in_quotes(a.value) + " is not one of its options " +
                                          strings_json(t->task.options));
    } else if (!t->task.allow_other) {
      return sdk::Status::invalid_input(impl_.prefix() + what + ": no value, and the task allows no other");
    } else if (a.other_text.empty()) {
      return sdk::Status::invalid_input(impl_.prefix() + what + ": neither a value nor other text");
    }
    if (!(r.cost >= 0)) return sdk::Status::invalid_input(impl_.prefix() + what + ": a negative cost");
    if (auto seq = answer_of(a.task_id, a.worker.id); !seq.is_ok()) {
      return seq.status();
    } else if (*seq != 0) {
      return sdk::Status::invalid_input(impl_.prefix() + "task " + in_quotes(a.task_id) + " already has an answer from " +
                                        who + " (answer " + std::to_string(*seq) + "); a repeated answer is not recorded");
    }

    AnswerRecord stored = r;
    stored.variable = t->task.variable;
    stored.tier = t->tier;
    {
      static const std::string sql =
          "INSERT INTO answers (task_id, worker_id, backend, value, other_text, answered_at, variable, tier, cost, "
          "posterior) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
      auto s = prepare(impl_, sql);
      if (!s.is_ok()) return s.status();
      s->text(1, a.task_id).text(2, a.worker.id).text(3, a.worker.backend).text(4, a.value).text(5, a.other_text);
      s->integer(6, to_db(a.answered_at)).text(7, stored.variable).integer(8, stored.tier).real(9, r.cost);
      s->text(10, distribution_json(r.posterior));
      TANDEM_STORE_CHECK(s->run("cannot record the " + what));
      stored.seq = sqlite3_last_insert_rowid(impl_.db);
    }
    {
      static const std::string sql =
          "UPDATE tasks SET answers = answers + 1, cost = cost + ?2, posterior = coalesce(?3, posterior), "
          "updated = max(updated, ?4) WHERE id = ?1";
      auto s = prepare(impl_, sql);
      if (!s.is_ok()) return s.status();
      s->text(1, a.task_id).real(2, r.cost);
      if (r.posterior.empty()) s->null(3); else s->text(3, distribution_json(r.posterior));
      s->integer(4, to_db(a.answered_at));
      TANDEM_STORE_CHECK(s->run("cannot count the " + what));
    }
    TANDEM_STORE_CHECK(release_claim(a.task_id, a.worker.id));
    return stored;
  }

  sdk::Status put_worker(const WorkerRecord& w) override {
    if (w.ref.id.empty()) return sdk::Status::invalid_input(impl_.prefix() + "a worker needs an id");
    const std::string what = "cannot store worker " + in_quotes(w.ref.id);
    {
      static const std::string sql =
          "INSERT INTO workers (id, backend, name, locale, cost_per_answer, active, created) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO UPDATE SET backend = excluded.backend, "
          "name = excluded.name, locale = excluded.locale, cost_per_answer = excluded.cost_per_answer, "
          "active = excluded.active, created = excluded.created";
      auto s = prepare(impl_, sql);
      if (!s.is_ok()) return s.status();
      s->text(1, w.ref.id).text(2, w.ref.backend).text(3, w.name).text(4, w.locale).real(5, w.cost_per_answer);
      s->integer(6, w.active ? 1 : 0).integer(7, to_db(w.created));
      TANDEM_STORE_CHECK(s->run(what));
    }
    {
      auto s = prepare(impl_, "DELETE FROM worker_attributes WHERE worker_id = ?1");
      if (!s.is_ok()) return s.status();
      s->text(1, w.ref.id);
      TANDEM_STORE_CHECK(s->run(what));
    }
    const std::pair<const char*, const std::vector<std::string>*> lists[] = {
        {"language", &w.languages}, {"skill", &w.skills}, {"tag", &w.tags}};
    for (const auto& [kind, values] : lists) {
      for (std::size_t i = 0; i < values->size(); ++i) {
        auto s = prepare(impl_, "INSERT INTO worker_attributes (worker_id, kind, position, value) VALUES (?1, ?2, ?3, ?4)");
        if (!s.is_ok()) return s.status();
        s->text(1, w.ref.id).text(2, kind).integer(3, static_cast<std::int64_t>(i)).text(4, (*values)[i]);
        TANDEM_STORE_CHECK(s->run(what));
      }
    }
    return sdk::Status::ok();
  }

  sdk::Status set_qualification(const Qualification& q) override {
    const std::string what =
        "cannot set the standing of worker " + in_quotes(q.worker_id) + " on " + in_quotes(q.variable);
    if (q.variable.empty()) return sdk::Status::invalid_input(impl_.prefix() + what + ": no variable");
    if (q.state == QualificationState::revoked && q.reason.empty())
      return sdk::Status::invalid_input(impl_.prefix() + what + ": revoked without a reason");
    if (auto w = exists("workers", q.worker_id); !w.is_ok()) {
      return w.status();
    } else if (!*w) {
      return sdk::Status::not_found(impl_.prefix() + what + ": no such worker");
    }
    static const std::string sql =
        "INSERT INTO qualifications (worker_id, variable, state, reason, quiz_correct, quiz_total, changed_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (worker_id, variable) DO UPDATE SET "
        "state = excluded.state, reason = excluded.reason, quiz_correct = excluded.quiz_correct, "
        "quiz_total = excluded.quiz_total, changed_at = excluded.changed_at";
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, q.worker_id).text(2, q.variable).text(3, to_string(q.state)).text(4, q.reason);
    s->integer(5, q.quiz_correct).integer(6, q.quiz_total).integer(7, to_db(q.changed_at));
    return s->run(what);
  }

  sdk::Status put_worker_model(const WorkerModelRecord& r) override {
    const auto& m = r.model;
    const std::string what = "cannot store the model of worker " + in_quotes(m.worker) + " on " + in_quotes(r.variable);
    auto refuse = [&](const std::string& why) { return sdk::Status::invalid_input(impl_.prefix() + what + ": " + why); };
    if (m.worker.empty() || r.variable.empty()) return refuse("no worker or no variable");
    const std::size_t k = m.labels.size();
    if (k == 0) return refuse("no labels");
    if (m.confusion.size() != k * k)
      return refuse("the matrix has " + std::to_string(m.confusion.size()) + " cells, " + std::to_string(k) +
                    " labels need " + std::to_string(k * k));
    for (std::size_t t = 0; t < k; ++t) {
      double sum = 0;
      for (std::size_t a = 0; a < k; ++a) {
        const double p = m.confusion[t * k + a];
        if (!(std::isfinite(p) && p >= 0)) return refuse("row " + in_quotes(m.labels[t]) + " has a cell that is not a probability");
        sum += p;
      }
      if (std::abs(sum - 1.0) > 1e-6) return refuse("row " + in_quotes(m.labels[t]) + " sums to " + std::to_string(sum) + ", not 1");
    }
    if (!(std::isfinite(m.answers) && m.answers >= 0)) return refuse("a negative answer count");
    static const std::string sql =
        "INSERT INTO worker_models (worker_id, variable, labels, confusion, answers, fitted_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (worker_id, variable) DO UPDATE SET labels = excluded.labels, "
        "confusion = excluded.confusion, answers = excluded.answers, fitted_at = excluded.fitted_at";
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, m.worker).text(2, r.variable).text(3, strings_json(m.labels)).text(4, json(m.confusion).dump());
    s->real(5, m.answers).integer(6, to_db(r.fitted_at));
    return s->run(what);
  }

  sdk::Status add_gold(const GoldRecord& g) override {
    const std::string what = "cannot add gold question " + in_quotes(g.task_id);
    auto t = get_task(g.task_id);
    if (!t.is_ok()) {
      if (t.status().code() == sdk::Code::not_found)
        return sdk::Status::not_found(impl_.prefix() + what + ": no such task");
      return t.status();
    }
    if (t->kind != TaskKind::gold)
      return sdk::Status::invalid_input(impl_.prefix() + what + ": the task is of kind " + std::string(to_string(t->kind)) +
                                        ", not gold");
    if (g.correct.empty()) return sdk::Status::invalid_input(impl_.prefix() + what + ": no correct value");
    TANDEM_STORE_CHECK(refuse_existing("gold", "gold question", g.task_id, "task_id"));
    auto s = prepare(impl_, "INSERT INTO gold (task_id, variable, correct, explanation) VALUES (?1, ?2, ?3, ?4)");
    if (!s.is_ok()) return s.status();
    s->text(1, g.task_id).text(2, t->task.variable).text(3, g.correct).text(4, g.explanation);
    return s->run(what);
  }

 private:
  WorkerRecord read_worker_row(const Stmt& s) const {
    WorkerRecord w;
    w.ref.id = s.col_text(0);
    w.ref.backend = s.col_text(1);
    w.name = s.col_text(2);
    w.locale = s.col_text(3);
    w.cost_per_answer = s.col_real(4);
    w.active = s.col_int(5) != 0;
    w.created = from_db(s.col_int(6));
    return w;
  }

  sdk::Status fill_attributes(WorkerRecord& w) {
    auto s = prepare(impl_, "SELECT kind, value FROM worker_attributes WHERE worker_id = ?1 ORDER BY kind, position");
    if (!s.is_ok()) return s.status();
    s->text(1, w.ref.id);
    for (;;) {
      auto row = s->step("cannot read the attributes of worker " + in_quotes(w.ref.id));
      if (!row.is_ok()) return row.status();
      if (!*row) return sdk::Status::ok();
      const std::string kind = s->col_text(0);
      auto& list = kind == "language" ? w.languages : kind == "skill" ? w.skills : w.tags;
      list.push_back(s->col_text(1));
    }
  }

  // The seq of the worker's answer to the task; 0 when there is none.
  sdk::Result<std::int64_t> answer_of(std::string_view task_id, std::string_view worker_id) {
    auto s = prepare(impl_, "SELECT seq FROM answers WHERE task_id = ?1 AND worker_id = ?2");
    if (!s.is_ok()) return s.status();
    s->text(1, task_id).text(2, worker_id);
    auto row = s->step("cannot look up an answer");
    if (!row.is_ok()) return row.status();
    return *row ? s->col_int(0) : std::int64_t{0};
  }

  sdk::Result<bool> exists(const char* table, std::string_view id, const char* column = "id") {
    auto s = prepare(impl_, std::string("SELECT 1 FROM ") + table + " WHERE " + column + " = ?1");
    if (!s.is_ok()) return s.status();
    s->text(1, id);
    return s->step(std::string("cannot look up ") + table);
  }

  sdk::Status refuse_existing(const char* table, std::string_view noun, std::string_view id,
                              const char* column = "id") {
    auto e = exists(table, id, column);
    if (!e.is_ok()) return e.status();
    if (*e) return sdk::Status::invalid_input(impl_.prefix() + std::string(noun) + " " + in_quotes(id) + " exists already");
    return sdk::Status::ok();
  }

  sdk::Status insert_claim(const std::string& task_id, const ClaimRequest& q) {
    static const std::string sql =
        "INSERT INTO claims (task_id, worker_id, backend, cost, claimed_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    auto s = prepare(impl_, sql);
    if (!s.is_ok()) return s.status();
    s->text(1, task_id).text(2, q.worker.id).text(3, q.worker.backend).real(4, q.cost);
    s->integer(5, to_db(q.now)).integer(6, to_db(q.now + q.lease));
    return s->run("cannot claim task " + in_quotes(task_id) + " for worker " + in_quotes(q.worker.id));
  }

  SqliteStore::Impl& impl_;
};

// Marks the calling thread as inside a body of `impl` for as long as it lives.
class OwnerMark {
 public:
  explicit OwnerMark(SqliteStore::Impl& impl) noexcept : impl_(impl) { impl_.owner = std::this_thread::get_id(); }
  ~OwnerMark() { impl_.owner = std::thread::id(); }
  OwnerMark(const OwnerMark&) = delete;
  OwnerMark& operator=(const OwnerMark&) = delete;

 private:
  SqliteStore::Impl& impl_;
};

// Runs `body` between `begin` and COMMIT; rolls back on an error or an exception.
template <typename Body>
sdk::Status run_in_transaction(SqliteStore::Impl& impl, const char* begin, Body&& body) noexcept {
  try {
    if (impl.owner.load() == std::this_thread::get_id())
      return sdk::Status::internal(impl.prefix() +
                                   "a transaction was started inside another one of the same store; nesting is not supported");
    std::lock_guard<std::mutex> lock(impl.mutex);
    OwnerMark mark(impl);
    TANDEM_STORE_CHECK(impl.exec(begin, "cannot begin a transaction"));
    sdk::Status result;
    try {
      SqliteTransaction tx(impl);
      result = body(tx);
    } catch (const std::exception& e) {
      impl.rollback();
      return sdk::Status::internal(impl.prefix() + "transaction aborted: " + e.what());
    } catch (...) {
      impl.rollback();
      return sdk::Status::internal(impl.prefix() + "transaction aborted: a non-standard exception");
    }
    if (!result.is_ok()) {
      impl.rollback();
      return result;
    }
    if (sdk::Status committed = impl.exec("COMMIT", "cannot commit"); !committed.is_ok()) {
      impl.rollback();
      return committed;
    }
    return sdk::Status::ok();
  } catch (const std::exception& e) {
    impl.rollback();
    return sdk::Status::internal("store: " + std::string(e.what()));
  } catch (...) {
    impl.rollback();
    return sdk::Status::internal("store: a non-standard exception");
  }
}

// The first read of a file: its schema version and how many schema objects it has. A file that is not
// SQLite ("file is not a database") or whose first page is damaged ("database disk image is
// malformed") fails here, before anything is written to it.
struct SchemaInfo {
  int version = 0;
  std::int64_t objects = 0;
};
sdk::Result<SchemaInfo> read_schema_info(SqliteStore::Impl& impl) {
  auto one = [&](const char* sql) -> sdk::Result<std::int64_t> {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(impl.db, sql, -1, &raw, nullptr);
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owned(raw, sqlite3_finalize);
    if (rc != SQLITE_OK) return impl.error("cannot read the schema", rc);
    const int step = sqlite3_step(raw);
    if (step != SQLITE_ROW) return impl.error("cannot read the schema", step);
    return static_cast<std::int64_t>(sqlite3_column_int64(raw, 0));
  };
  auto version = one("PRAGMA user_version");
  if (!version.is_ok()) return version.status();
  auto objects = one("SELECT count(*) FROM sqlite_master");
  if (!objects.is_ok()) return objects.status();
  return SchemaInfo{static_cast<int>(*version), *objects};
}

sdk::Status newer_schema(const SqliteStore::Impl& impl, int version) {
  return sdk::Status::invalid_input(impl.prefix() + "schema version " + std::to_string(version) +
                                    " is newer than this tandem's " + std::to_string(SqliteStore::kSchemaVersion) +
                                    "; open it with the tandem that wrote it, or a newer one");
}

sdk::Status not_a_store(const SqliteStore::Impl& impl) {
  return sdk::Status::invalid_input(impl.prefix() +
                                    "is an SQLite database but not a tandem store (it has tables and no tandem "
                                    "schema version)");
}

}  // namespace

// ---- SqliteStore -------------------------------------------------------------------------------------

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
SqliteStore::~SqliteStore() = default;

const std::string& SqliteStore::location() const noexcept { return impl_->location; }

sdk::Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::filesystem::path& file,
                                                            const SqliteOptions& options) noexcept {
  try {
    auto impl = std::make_unique<Impl>();
    impl->location = file.string();
    std::error_code ec;
    if (!options.create && !std::filesystem::exists(file, ec))
      return sdk::Status::not_found(impl->prefix() + "no such file");
    if (std::filesystem::is_directory(file, ec))
      return sdk::Status::invalid_input(impl->prefix() + "is a directory, not a store file");

    const int flags = SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(impl->location.c_str(), &impl->db, flags, nullptr);
    if (rc != SQLITE_OK) return impl->error("cannot open", rc);
    sqlite3_extended_result_codes(impl->db, 1);
    sqlite3_busy_timeout(impl->db, static_cast<int>(options.busy_timeout.count()));

    // Read before anything writes to the file: a newer, foreign or damaged file is refused untouched.
    auto info = read_schema_info(*impl);
    if (!info.is_ok()) return info.status();
    if (info->version > kSchemaVersion) return newer_schema(*impl, info->version);
    if (info->version == 0 && info->objects != 0) return not_a_store(*impl);

    {
      auto s = prepare(*impl, "PRAGMA journal_mode = WAL");
      if (!s.is_ok()) return s.status();
      auto row = s->step("cannot switch to WAL journal mode");
      if (!row.is_ok()) return row.status();
      const std::string mode = *row ? s->col_text(0) : std::string();
      if (mode != "wal")
        return sdk::Status::unavailable(impl->prefix() + "cannot switch to WAL journal mode (the file system gave \"" +
                                        mode + "\")");
    }
    TANDEM_STORE_CHECK(impl->exec("PRAGMA synchronous = FULL", "cannot set synchronous = FULL"));
    TANDEM_STORE_CHECK(impl->exec("PRAGMA foreign_keys = ON", "cannot enable foreign keys"));

    if (info->version < kSchemaVersion) {
      // Under the write lock, so that two processes opening a new file at once create the schema once.
      const sdk::Status created = run_in_transaction(*impl, "BEGIN IMMEDIATE", [&](SqliteTransaction&) -> sdk::Status {
        auto again = read_schema_info(*impl);
        if (!again.is_ok()) return again.status();
        if (again->version == kSchemaVersion) return sdk::Status::ok();
        if (again->version > kSchemaVersion) return newer_schema(*impl, again->version);
        if (again->objects != 0) return not_a_store(*impl);
        TANDEM_STORE_CHECK(impl->exec(kSchemaV1, "cannot create the schema"));
        const std::string set_version = "PRAGMA user_version = " + std::to_string(kSchemaVersion);
        return impl->exec(set_version.c_str(), "cannot set the schema version");
      });
      if (!created.is_ok()) return created;
    }
    return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
  } catch (const std::exception& e) {
    return sdk::Status::internal("store " + file.string() + ": cannot open: " + e.what());
  } catch (...) {
    return sdk::Status::internal("store " + file.string() + ": cannot open: a non-standard exception");
  }
}

sdk::Status SqliteStore::transact(const std::function<sdk::Status(Transaction&)>& body) noexcept {
  return run_in_transaction(*impl_, "BEGIN IMMEDIATE", [&](SqliteTransaction& tx) { return body(tx); });
}

sdk::Status SqliteStore::read(const std::function<sdk::Status(Reader&)>& body) noexcept {
  return run_in_transaction(*impl_, "BEGIN", [&](SqliteTransaction& tx) { return body(tx); });
}

}  // namespace tandem::store
