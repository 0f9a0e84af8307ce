// The C API (tandem/tandem.h) over the C++ embedding API: Engine, CaseStore, read_mail.
#include "tandem/tandem.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "tandem/cases.hpp"
#include "tandem/engine.hpp"
#include "tandem/intake.hpp"
#include "tandem/services.hpp"
#include "tandem/version.hpp"

struct tandem_result {
  std::string json;
  std::string case_id;
  tandem_message_state state = TANDEM_MESSAGE_DONE;
};

struct tandem_engine {
  std::shared_ptr<tandem::sdk::Services> services;
  std::unique_ptr<tandem::Engine> engine;
  std::unique_ptr<tandem::CaseStore> store;

  std::mutex mutex;
  std::condition_variable work_cv;   // a message was submitted, or closing
  std::condition_variable done_cv;   // a message finished
  std::deque<std::pair<std::uint64_t, std::string>> queue;
  std::map<std::uint64_t, std::unique_ptr<tandem_result>> finished;
  std::map<std::uint64_t, bool> known;  // submitted and not yet fetched
  std::uint64_t next_ticket = 1;
  bool closing = false;
  std::vector<std::thread> workers;
};

namespace {

// A copy the caller frees with tandem_free; NULL when there is no memory for it.
char* dup(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p != nullptr) std::memcpy(p, s.c_str(), s.size() + 1);
  return p;
}

tandem_status fail(char** error, tandem_status status, const std::string& message) {
  if (error != nullptr) *error = dup(message);
  return status;
}

tandem_status from_code(tandem::sdk::Code code) {
  switch (code) {
    case tandem::sdk::Code::ok: return TANDEM_OK;
    case tandem::sdk::Code::invalid_input: return TANDEM_ERR_INVALID_INPUT;
    case tandem::sdk::Code::not_found: return TANDEM_ERR_INVALID_INPUT;
    case tandem::sdk::Code::unavailable: return TANDEM_ERR_UNAVAILABLE;
    default: return TANDEM_ERR_INTERNAL;
  }
}

std::unique_ptr<tandem_result> work(tandem_engine& e, std::uint64_t ticket, const std::string& raw) {
  auto result = std::make_unique<tandem_result>();
  nlohmann::ordered_json out = {{"ticket", ticket}};
  auto read = tandem::read_mail(raw, e.engine->pipeline().mail, *e.services);
  if (!read.is_ok()) {
    result->state = TANDEM_MESSAGE_UNREADABLE;
    out["state"] = "unreadable";
    out["error"] = read.status().message();
    result->json = out.dump();
    return result;
  }
  const tandem::MailMessage& mail = read.value();
  const tandem::sdk::Message& m = mail.message;
  result->case_id = m.id;
  out["state"] = "done";
  out["case_id"] = m.id;
  out["message_id"] = m.message_id;
  out["thread_id"] = m.thread_id;
  out["subject"] = m.subject;
  out["from"] = {{"name", m.from.name}, {"address", m.from.address}};
  out["language"] = m.language;
  out["zone"] = m.sender_zone;
  out["locale"] = m.sender_locale;
  const tandem::MessageResult r = e.engine->process(m, mail.context);
  nlohmann::ordered_json annotations = nlohmann::ordered_json::array();
  for (const auto& a : r.annotations) {
    nlohmann::ordered_json candidates = nlohmann::ordered_json::array();
    for (const auto& c : a.variable.distribution.candidates()) candidates.push_back({{"value", c.value}, {"p", c.p}});
    nlohmann::ordered_json item = {{"variable", a.variable.name}, {"candidates", candidates}, {"source", a.source}};
    if (!a.span.empty()) item["span"] = {a.span.begin, a.span.end};
    annotations.push_back(std::move(item));
  }
  out["annotations"] = annotations;
  out["tasks"] = nlohmann::ordered_json::array();
  out["problems"] = mail.problems;
  if (r.state == tandem::MessageResult::State::failed) {
    result->state = TANDEM_MESSAGE_FAILED;
    out["state"] = "failed";
    out["error"] = r.error;
    out["retryable"] = r.retryable;
  } else if (e.store) {
    auto seen = e.store->has_case(m.id);
    if (seen.is_ok() && seen.value()) {
      out["seen_before"] = true;  // the same mail again: its case stands, nobody is asked twice
      result->json = out.dump();
      return result;
    }
    auto routed = e.store->route(e.engine->pipeline(), m, r);
    if (!routed.is_ok()) {
      result->state = TANDEM_MESSAGE_FAILED;
      out["state"] = "failed";
      out["error"] = routed.status().message();
      out["retryable"] = routed.status().retryable();
    } else {
      for (const auto& t : routed.value().tasks)
        out["tasks"].push_back({{"id", t.id}, {"variable", t.variable}, {"kind", t.kind}, {"options", t.options}});
      if (!routed.value().tasks.empty()) {
        result->state = TANDEM_MESSAGE_ASKED;
        out["state"] = "asked";
      }
    }
  }
  result->json = out.dump();
  return result;
}

void worker_loop(tandem_engine* e) {
  for (;;) {
    std::pair<std::uint64_t, std::string> job;
    {
      std::unique_lock<std::mutex> lock(e->mutex);
      e->work_cv.wait(lock, [e] { return e->closing || !e->queue.empty(); });
      if (e->queue.empty()) return;  // closing, and nothing left
      job = std::move(e->queue.front());
      e->queue.pop_front();
    }
    std::unique_ptr<tandem_result> r;
    try {
      r = work(*e, job.first, job.second);
    } catch (const std::exception& ex) {
      r = std::make_unique<tandem_result>();
      r->state = TANDEM_MESSAGE_FAILED;
      r->json = nlohmann::ordered_json({{"ticket", job.first}, {"state", "failed"},
                                        {"error", std::string("internal error: ") + ex.what()}, {"retryable", true}})
                    .dump();
    }
    {
      const std::lock_guard<std::mutex> lock(e->mutex);
      e->finished[job.first] = std::move(r);
    }
    e->done_cv.notify_all();
  }
}

tandem_status take(tandem_engine* e, std::uint64_t ticket, int timeout_ms, tandem_result** result, char** error) {
  if (e == nullptr || result == nullptr) return fail(error, TANDEM_ERR_INVALID_ARGUMENT, "engine and result must not be NULL");
  std::unique_lock<std::mutex> lock(e->mutex);
  if (e->known.find(ticket) == e->known.end())
    return fail(error, TANDEM_ERR_INVALID_ARGUMENT,
                "unknown ticket " + std::to_string(ticket) + " (never submitted, or its result was fetched already)");
  const auto ready = [&] { return e->finished.count(ticket) != 0; };
  if (timeout_ms < 0) e->done_cv.wait(lock, ready);
  else if (timeout_ms > 0) e->done_cv.wait_for(lock, std::chrono::milliseconds(timeout_ms), ready);
  if (!ready()) return TANDEM_PENDING;
  *result = e->finished[ticket].release();
  e->finished.erase(ticket);
  e->known.erase(ticket);
  return TANDEM_OK;
}

}  // namespace

extern "C" {

const char* tandem_version(void) {
  static const std::string v = tandem::version();
  return v.c_str();
}

const char* tandem_status_name(tandem_status status) {
  switch (status) {
    case TANDEM_OK: return "TANDEM_OK";
    case TANDEM_PENDING: return "TANDEM_PENDING";
    case TANDEM_ERR_INVALID_ARGUMENT: return "TANDEM_ERR_INVALID_ARGUMENT";
    case TANDEM_ERR_INVALID_INPUT: return "TANDEM_ERR_INVALID_INPUT";
    case TANDEM_ERR_UNAVAILABLE: return "TANDEM_ERR_UNAVAILABLE";
    case TANDEM_ERR_INTERNAL: return "TANDEM_ERR_INTERNAL";
  }
  return "TANDEM_ERR_UNKNOWN";
}

tandem_status tandem_engine_open(const char* pipeline_path, const char* store_path, int threads,
                                 tandem_engine** engine, char** error) {
  if (engine == nullptr) return fail(error, TANDEM_ERR_INVALID_ARGUMENT, "engine must not be NULL");
  *engine = nullptr;
  if (pipeline_path == nullptr) return fail(error, TANDEM_ERR_INVALID_ARGUMENT, "pipeline_path must not be NULL");
  if (threads < 0) return fail(error, TANDEM_ERR_INVALID_ARGUMENT, "threads must be 0 or more");
  try {
    auto e = std::make_unique<tandem_engine>();
    e->services = tandem::make_services();
    auto opened = tandem::Engine::open(pipeline_path, e->services);
    if (!opened.engine) {
      std::string all;
      for (const auto& line : opened.errors) all += (all.empty() ? "" : "\n") + line;
      return fail(error, TANDEM_ERR_INVALID_INPUT, all);
    }
    e->engine = std::move(opened.engine);
    if (store_path != nullptr) {
      auto store = tandem::CaseStore::open(store_path);
      if (!store.is_ok()) return fail(error, from_code(store.status().code()), store.status().message());
      e->store = std::move(store).value();
    }
    const int n = threads == 0 ? 1 : threads;
    for (int i = 0; i < n; ++i) e->workers.emplace_back(worker_loop, e.get());
    *engine = e.release();
    return TANDEM_OK;
  } catch (const std::bad_alloc&) {
    return fail(error, TANDEM_ERR_INTERNAL, "out of memory");
  } catch (const std::exception& ex) {
    return fail(error, TANDEM_ERR_INTERNAL, std::string("internal error: ") + ex.what());
  }
}

void tandem_engine_close(tandem_engine* engine) {
  if (engine == nullptr) return;
  {
    const std::lock_guard<std::mutex> lock(engine->mutex);
    engine->closing = true;
  }
  engine->work_cv.notify_all();
  for (auto& t : engine->workers)
    if (t.joinable()) t.join();
  delete engine;
}

tandem_status tandem_submit(tandem_engine* engine, const char* raw, size_t raw_len, uint64_t* ticket, char** error) {
  if (engine == nullptr || ticket == nullptr) return fail(error, TANDEM_ERR_INVALID_ARGUMENT, "engine and ticket must not be NULL");
  if (raw == nullptr && raw_len != 0) return fail(error, TANDEM_ERR_INVALID_ARGUMENT, "raw is NULL but raw_len is not 0");
  try {
    std::string copy(raw == nullptr ? "" : std::string(raw, raw_len));
    {
      const std::lock_guard<std::mutex> lock(engine->mutex);
      if (engine->closing) return fail(error, TANDEM_ERR_INVALID_ARGUMENT, "the engine is closing");
      *ticket = engine->next_ticket++;
      engine->known[*ticket] = true;
      engine->queue.emplace_back(*ticket, std::move(copy));
    }
    engine->work_cv.notify_one();
    return TANDEM_OK;
  } catch (const std::bad_alloc&) {
    return fail(error, TANDEM_ERR_INTERNAL, "out of memory");
  }
}

tandem_status tandem_poll(tandem_engine* engine, uint64_t ticket, tandem_result** result, char** error) {
  return take(engine, ticket, 0, result, error);
}

tandem_status tandem_wait(tandem_engine* engine, uint64_t ticket, int timeout_ms, tandem_result** result, char** error) {
  return take(engine, ticket, timeout_ms, result, error);
}

const char* tandem_result_json(const tandem_result* result) { return result == nullptr ? "" : result->json.c_str(); }
tandem_message_state tandem_result_state(const tandem_result* result) {
  return result == nullptr ? TANDEM_MESSAGE_UNREADABLE : result->state;
}
const char* tandem_result_case_id(const tandem_result* result) { return result == nullptr ? "" : result->case_id.c_str(); }
void tandem_result_free(tandem_result* result) { delete result; }
void tandem_free(void* p) { std::free(p); }

}  // extern "C"
