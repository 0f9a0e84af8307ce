#include "file_backend.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <system_error>

#include <nlohmann/json.hpp>

#include "line_files.hpp"

namespace tandem::plugins {
namespace {

namespace fs = std::filesystem;
using common::config_path;
using common::is_blank;
using common::json_error;
using common::quote;
using common::split_lines;
using Json = nlohmann::json;

constexpr const char* kSchema = R"({
  "type": "object",
  "description": "Human tasks through a folder: tasks are appended to <inbox>/tasks.jsonl, answers are read from <answers>/*.jsonl.",
  "properties": {
    "inbox": {
      "type": "string",
      "minLength": 1,
      "description": "Folder of tasks.jsonl, where post() and cancel() append one JSON line each. Relative to the config file's folder."
    },
    "answers": {
      "type": "string",
      "minLength": 1,
      "description": "Folder whose *.jsonl files poll() reads, one answer per line; a file read is renamed to <file>.done at the next poll, once its answers are recorded. Relative to the config file's folder."
    },
    "create_dirs": {
      "type": "boolean",
      "default": true,
      "description": "Create the two folders when they do not exist."
    }
  },
  "required": ["inbox", "answers"],
  "additionalProperties": false
})";

constexpr std::string_view kTasksFile = "tasks.jsonl";

// The offset of the first byte that is not part of well-formed UTF-8, or npos.
std::size_t invalid_utf8_at(std::string_view s) noexcept {
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < s.size()) {
    const unsigned char lead = byte(i);
    if (lead < 0x80) { ++i; continue; }
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) n = 2;
    else if (lead >= 0xE0 && lead <= 0xEF) { n = 3; if (lead == 0xE0) lo = 0xA0; if (lead == 0xED) hi = 0x9F; }
    else if (lead >= 0xF0 && lead <= 0xF4) { n = 4; if (lead == 0xF0) lo = 0x90; if (lead == 0xF4) hi = 0x8F; }
    else return i;
    if (i + n > s.size() || byte(i + 1) < lo || byte(i + 1) > hi) return i;
    for (std::size_t k = 2; k < n; ++k)
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return i;
    i += n;
  }
  return std::string_view::npos;
}


// "cannot write "/x/tasks.jsonl": Permission denied".
sdk::Status io_failure(std::string_view what, const fs::path& path, int err) {
  return sdk::Status::unavailable(std::string(what) + " " + quote(path.string()) + ": " +
                                  std::error_code(err, std::generic_category()).message());
}

// The configured folder, absolute (relative ones to the config file's folder).
fs::path resolve(const sdk::ConfigNode& node) {
  const fs::path p = config_path(node);
  std::error_code ec;
  fs::path absolute = fs::absolute(p, ec);
  return ec ? p : absolute.lexically_normal();
}

// The first name in `dir` of the form <stem><suffix>, <stem>.2<suffix>, ... that does not exist.
fs::path unused_name(const fs::path& dir, const std::string& stem, const std::string& suffix) {
  fs::path candidate = dir / (stem + suffix);
  std::error_code ec;
  for (int n = 2; fs::exists(candidate, ec) && n < 100000; ++n)
    candidate = dir / (stem + "." + std::to_string(n) + suffix);
  return candidate;
}

bool read_file(const fs::path& path, std::string& out, int& err) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) { err = errno != 0 ? errno : EIO; return false; }
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) { err = EIO; return false; }
  return true;
}

// Appends `data` to `path` in one write.
bool append_file(const fs::path& path, const std::string& data, int& err) {
  errno = 0;
  std::FILE* f = std::fopen(path.c_str(), "ab");
  if (f == nullptr) { err = errno != 0 ? errno : EIO; return false; }
  const bool wrote = std::fwrite(data.data(), 1, data.size(), f) == data.size() && std::fflush(f) == 0;
  const int write_err = errno;
  const bool closed = std::fclose(f) == 0;
  if (!wrote || !closed) { err = write_err != 0 ? write_err : EIO; return false; }
  return true;
}


// One answer line to an Answer, or the reason it is not one.
std::optional<std::string> parse_answer(std::string_view line, const std::string& backend, sdk::Answer& a) {
  Json j;
  try {
    j = Json::parse(line.begin(), line.end());
  } catch (const Json::exception& e) {
    return "not JSON: " + json_error(e);
  }
  if (!j.is_object()) return std::string("expected a JSON object, got ") + j.type_name();
  const auto text_field = [&](const char* key, bool required, std::string& out) -> std::optional<std::string> {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required) return std::string("\"") + key + "\" is missing";
      return std::nullopt;
    }
    if (!it->is_string()) return std::string("\"") + key + "\": expected a string, got " + it->type_name();
    out = it->get<std::string>();
    return std::nullopt;
  };
  std::string answered_at;
  for (const auto& problem : {text_field("task_id", true, a.task_id), text_field("worker", true, a.worker.id),
                              text_field("value", false, a.value), text_field("other_text", false, a.other_text),
                              text_field("answered_at", true, answered_at)})
    if (problem) return problem;
  if (a.task_id.empty()) return std::string("\"task_id\" is empty");
  if (a.worker.id.empty()) return std::string("\"worker\" is empty");
  if (a.value.empty() && a.other_text.empty()) return std::string("neither \"value\" nor \"other_text\" is given");
  const auto at = parse_utc(answered_at);
  if (!at) return "\"answered_at\": expected an ISO 8601 UTC time like \"2026-12-01T15:00:00Z\", got " + quote(answered_at);
  a.answered_at = *at;
  a.worker.backend = backend;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    if (key != "task_id" && key != "worker" && key != "value" && key != "other_text" && key != "answered_at")
      return "unknown field " + quote(key) + " (the fields are task_id, worker, value, other_text, answered_at)";
  }
  return std::nullopt;
}

}  // namespace

std::string format_utc(std::chrono::sys_seconds t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss<seconds> hms(t - day);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::optional<std::chrono::sys_seconds> parse_utc(std::string_view s) {
  using namespace std::chrono;
  const auto digits = [&](std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!digits(0, 4, y) || s.size() < 20 || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-' || !digits(8, 2, d) ||
      s[10] != 'T' || !digits(11, 2, h) || s[13] != ':' || !digits(14, 2, mi) || s[16] != ':' ||
      !digits(17, 2, sec))
    return std::nullopt;
  std::size_t i = 19;
  if (s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return std::nullopt;
  }
  const std::string_view zone = s.substr(i);
  if (zone != "Z" && zone != "+00:00") return std::nullopt;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  return sys_days(ymd) + hours(h) + minutes(mi) + seconds(sec);
}

FileBackend::FileBackend(const sdk::PluginContext& ctx)
    : services_(ctx.services()),
      instance_(ctx.instance_name()),
      inbox_(resolve(ctx.config()["inbox"])),
      answers_(resolve(ctx.config()["answers"])),
      create_dirs_(ctx.config().get_bool("create_dirs", true)) {
  // The folders may live on storage that comes and goes: a folder that cannot be opened now is not a
  // config error; each call reports it as `unavailable` until it can.
  std::lock_guard<std::mutex> lock(mu_);
  const sdk::Status s = open_inbox_locked();
  if (!s.is_ok()) warn(s.message() + "; tasks cannot be posted until this is fixed");
}

void FileBackend::warn(const std::string& message) const {
  services_.logger().log(sdk::LogLevel::warning, instance_, message);
}

sdk::Status FileBackend::open_inbox_locked() {
  if (inbox_open_) return sdk::Status::ok();
  std::error_code ec;
  if (create_dirs_) {
    fs::create_directories(inbox_, ec);
    if (ec) return io_failure("cannot create the inbox folder", inbox_, ec.value());
  } else if (!fs::is_directory(inbox_, ec)) {
    return sdk::Status::unavailable("the inbox folder " + quote(inbox_.string()) +
                                    " does not exist (create it, or set create_dirs: true)");
  }
  const fs::path tasks = inbox_ / kTasksFile;
  if (fs::exists(tasks, ec)) {
    std::string text;
    int err = 0;
    if (!read_file(tasks, text, err)) return io_failure("cannot read", tasks, err);
    const auto lines = split_lines(text);
    for (std::size_t n = 0; n < lines.size(); ++n) {
      if (is_blank(lines[n])) continue;
      try {
        const Json j = Json::parse(lines[n].begin(), lines[n].end());
        const std::string type = j.value("type", "");
        if (type == "task") {
          const std::string id = j.at("id").get<std::string>();
          std::string worker;
          if (auto w = j.find("worker"); w != j.end() && w->is_object()) worker = w->value("id", "");
          posted_.emplace(id, worker);
          task_ids_.insert(id);
        } else if (type == "cancel") {
          cancelled_.insert(j.at("task_id").get<std::string>());
        } else {
          warn(tasks.string() + ":" + std::to_string(n + 1) + ": not a task or cancel line; ignored");
        }
      } catch (const Json::exception& e) {
        // A torn last line after a crash: the task it held was not acknowledged, so it will be posted
        // again; say so rather than stop.
        warn(tasks.string() + ":" + std::to_string(n + 1) + ": unreadable line ignored (" + json_error(e) + ")");
      }
    }
    needs_newline_ = !text.empty() && text.back() != '\n';
  }
  inbox_open_ = true;
  return sdk::Status::ok();
}

sdk::Status FileBackend::append_task_line_locked(const std::string& line) {
  const fs::path tasks = inbox_ / kTasksFile;
  if (create_dirs_) {  // the folder may have been removed since it was opened
    std::error_code ec;
    fs::create_directories(inbox_, ec);
    if (ec) return io_failure("cannot create the inbox folder", inbox_, ec.value());
  }
  std::string data;
  data.reserve(line.size() + 2);
  if (needs_newline_) data += '\n';
  data += line;
  data += '\n';
  int err = 0;
  if (!append_file(tasks, data, err)) return io_failure("cannot write", tasks, err);
  needs_newline_ = false;
  return sdk::Status::ok();
}

sdk::Status FileBackend::on_post(const sdk::Task& task, const sdk::WorkerRef& worker) {
  if (task.id.empty()) return sdk::Status::invalid_input("the task has no id");
  const std::string who = "task " + quote(task.id) + ": ";
  if (task.options.empty() && !task.allow_other)
    return sdk::Status::invalid_input(who + "no options and \"other\" is not allowed: there is nothing to answer");
  const std::pair<const char*, const std::string*> fields[] = {
      {"id", &task.id},
      {"case_id", &task.case_id},
      {"variable", &task.variable},
      {"instructions", &task.instructions},
      {"snippet", &task.snippet},
      {"language", &task.language},
      {"worker.id", &worker.id},
      {"worker.backend", &worker.backend},
  };
  for (const auto& [name, value] : fields) {
    const std::size_t at = invalid_utf8_at(*value);
    if (at != std::string_view::npos)
      return sdk::Status::invalid_input(who + name + " is not valid UTF-8 (byte " + std::to_string(at) + ")");
  }
  for (std::size_t i = 0; i < task.options.size(); ++i) {
    const std::size_t at = invalid_utf8_at(task.options[i]);
    if (at != std::string_view::npos)
      return sdk::Status::invalid_input(who + "options[" + std::to_string(i) + "] is not valid UTF-8 (byte " +
                                        std::to_string(at) + ")");
  }
  if (!task.highlight.fits(task.snippet))
    return sdk::Status::invalid_input(who + "highlight [" + std::to_string(task.highlight.begin) + ", " +
                                      std::to_string(task.highlight.end) + ") does not fit the snippet of " +
                                      std::to_string(task.snippet.size()) + " bytes");

  Json line = {
      {"type", "task"},
      {"id", task.id},
      {"case_id", task.case_id},
      {"variable", task.variable},
      {"options", task.options},
      {"allow_other", task.allow_other},
      {"instructions", task.instructions},
      {"snippet", task.snippet},
      {"highlight", {{"begin", task.highlight.begin}, {"end", task.highlight.end}}},
      {"language", task.language},
      {"created", format_utc(task.created)},
      {"worker", {{"id", worker.id}, {"backend", worker.backend}}},
  };
  const std::string text = line.dump();

  std::lock_guard<std::mutex> lock(mu_);
  if (sdk::Status s = open_inbox_locked(); !s.is_ok()) return s;
  if (posted_.count({task.id, worker.id}) != 0) return sdk::Status::ok();  // at-least-once delivery
  if (sdk::Status s = append_task_line_locked(text); !s.is_ok()) return s;
  posted_.emplace(task.id, worker.id);
  task_ids_.insert(task.id);
  return sdk::Status::ok();
}

sdk::Status FileBackend::on_cancel(std::string_view task_id) {
  const std::string id(task_id);
  std::lock_guard<std::mutex> lock(mu_);
  if (sdk::Status s = open_inbox_locked(); !s.is_ok()) return s;
  // Unknown ids are not an error; a second cancel of the same task writes nothing.
  if (task_ids_.count(id) == 0 || cancelled_.count(id) != 0) return sdk::Status::ok();
  const auto now = std::chrono::floor<std::chrono::seconds>(services_.clock().now());
  const Json line = {{"type", "cancel"}, {"task_id", id}, {"cancelled_at", format_utc(now)}};
  if (sdk::Status s = append_task_line_locked(line.dump()); !s.is_ok()) return s;
  cancelled_.insert(id);
  return sdk::Status::ok();
}

sdk::Status FileBackend::take_answer_file_locked(const fs::path& file, std::vector<sdk::Answer>& out) {
  std::string text;
  int err = 0;
  if (!read_file(file, text, err)) return io_failure("cannot read", file, err);

  std::vector<sdk::Answer> answers;
  std::vector<Reject> rejects;
  const auto lines = split_lines(text);
  for (std::size_t n = 0; n < lines.size(); ++n) {
    if (is_blank(lines[n])) continue;
    sdk::Answer a;
    if (auto reason = parse_answer(lines[n], instance_, a)) rejects.push_back({n + 1, std::string(lines[n]), *reason});
    else answers.push_back(std::move(a));
  }

  // The file is handed over now and renamed to .done at the next poll, once the host has recorded what
  // this poll returned (it polls again only then): a crash in between leaves the file in place, and the
  // next process returns its answers again (at-least-once; the host drops an answer it has already).
  const std::string name = file.filename().string();
  handed_.push_back(file);

  if (!rejects.empty()) {
    const fs::path rejected = file.parent_path() / (name + ".rejected");
    std::string data;
    for (const auto& r : rejects) {
      warn(file.string() + ":" + std::to_string(r.line) + ": answer rejected: " + r.reason + "; the line is kept in " +
           rejected.string());
      data += r.text;
      data += '\n';
    }
    if (!append_file(rejected, data, err))
      services_.logger().log(sdk::LogLevel::error, instance_,
                             io_failure("cannot write", rejected, err).message() + "; the rejected lines are still in " +
                                 file.string());
  }
  out.insert(out.end(), std::make_move_iterator(answers.begin()), std::make_move_iterator(answers.end()));
  return sdk::Status::ok();
}

sdk::Status FileBackend::on_poll(std::vector<sdk::Answer>& out) {
  std::lock_guard<std::mutex> lock(mu_);
  std::error_code ec;
  if (create_dirs_) {
    fs::create_directories(answers_, ec);
    if (ec) return io_failure("cannot create the answers folder", answers_, ec.value());
  }
  // What the last poll returned has been recorded: those files become .done now. One that cannot be
  // renamed stays handed over (never returned twice by this process) and is retried at the next poll.
  std::vector<fs::path> still_handed;
  for (const auto& file : handed_) {
    const fs::path done = unused_name(file.parent_path(), file.filename().string(), ".done");
    std::error_code rename_ec;
    fs::rename(file, done, rename_ec);
    if (rename_ec && fs::exists(file)) {
      warn(io_failure("cannot rename the answers file", file, rename_ec.value()).message() +
           "; will retry at the next poll");
      still_handed.push_back(file);
    }
  }
  handed_ = std::move(still_handed);

  std::vector<fs::path> files;
  fs::directory_iterator it(answers_, ec);
  if (ec) return io_failure("cannot read the answers folder", answers_, ec.value());
  for (const fs::directory_iterator end; it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->path().extension() == ".jsonl" && it->is_regular_file(type_ec)) files.push_back(it->path());
  }
  if (ec) return io_failure("cannot read the answers folder", answers_, ec.value());
  std::sort(files.begin(), files.end());

  // A file that fails is left in place for the next poll; the others still deliver their answers.
  const std::size_t before = out.size();
  std::optional<sdk::Status> first_failure;
  for (const auto& file : files) {
    if (std::find(handed_.begin(), handed_.end(), file) != handed_.end()) continue;
    sdk::Status s = take_answer_file_locked(file, out);
    if (s.is_ok()) continue;
    warn(s.message() + "; will retry at the next poll");
    if (!first_failure) first_failure = std::move(s);
  }
  if (first_failure && out.size() == before) return *first_failure;
  return sdk::Status::ok();
}

}  // namespace tandem::plugins

TANDEM_PLUGIN(tandem::plugins::FileBackend, .name = "tandem.backend.file", .version = "0.1.0", .status = "alpha",
              .summary = "Human tasks through a folder: tasks.jsonl out, answer files in",
              .config_schema = tandem::plugins::kSchema, .thread_safe = true);
