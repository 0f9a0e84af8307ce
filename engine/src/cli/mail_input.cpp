#include "cli/mail_input.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tandem/intake.hpp"

namespace tandem::cli {
namespace {

bool read_whole(const std::filesystem::path& file, std::string& out, std::string& why) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    why = "is a folder";
    return false;
  }
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    why = errno != 0 ? std::strerror(errno) : "cannot open";
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    why = "read error";
    return false;
  }
  out = std::move(buffer).str();
  return true;
}

bool ieq_prefix(std::string_view line, std::string_view name) {
  if (line.size() < name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char a = line[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (a != name[i]) return false;
  }
  return true;
}

}  // namespace

bool read_file(const std::filesystem::path& file, std::string& out) {
  std::string why;
  if (read_whole(file, out, why)) return true;
  std::cerr << file.string() << ": error: cannot read the file: " << why << "\n";
  return false;
}

bool looks_like_message(const std::filesystem::path& file, std::string_view raw) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".eml") return true;
  std::size_t pos = 0;
  int fields = 0;
  bool telling = false;
  while (pos < raw.size()) {
    std::size_t end = raw.find('\n', pos);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view line = raw.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;                                   // the end of the header block
    if (line[0] == ' ' || line[0] == '\t') {
      if (fields == 0) return false;                           // a continuation with nothing to continue
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos || colon > 76) return false;
    for (char c : line.substr(0, colon))
      if (c <= ' ' || c > '~') return false;                   // a field name is printable ASCII, no space
    ++fields;
    for (std::string_view name : {"from:", "date:", "subject:", "message-id:", "mime-version:", "received:"})
      if (ieq_prefix(line, name)) telling = true;
  }
  return fields >= 2 && telling;
}

std::vector<MailInput> collect_mail(const std::vector<std::filesystem::path>& paths) {
  std::vector<MailInput> out;
  for (const auto& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      const bool maildir = std::filesystem::is_directory(path / "new", ec) || std::filesystem::is_directory(path / "cur", ec);
      if (!maildir) {
        // A plain folder of messages: its .eml, .mbox and .txt files (and files without an extension), by
        // name; other files (notes, data) are not mail and are left alone.
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
          const std::string name = entry.path().filename().string();
          const std::string ext = entry.path().extension().string();
          if (!entry.is_regular_file(ec) || name.empty() || name[0] == '.') continue;
          if (ext == ".eml" || ext == ".mbox" || ext == ".txt" || ext.empty()) files.push_back(entry.path());
        }
        std::sort(files.begin(), files.end());
        if (files.empty()) {
          out.push_back({path.string(), MailInput::Kind::message, "",
                         "is a folder without mail (no .eml, .mbox or .txt files, and not a Maildir)"});
          continue;
        }
        std::vector<MailInput> inner = collect_mail(files);
        for (auto& m : inner) out.push_back(std::move(m));
        continue;
      }
      for (const char* sub : {"new", "cur"}) {
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(path / sub, ec))
          if (entry.is_regular_file(ec)) files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
          MailInput m{f.string(), MailInput::Kind::message, "", ""};
          if (!read_whole(f, m.raw, m.error)) m.error = "cannot read the file: " + m.error;
          out.push_back(std::move(m));
        }
      }
      continue;
    }
    std::string raw;
    std::string why;
    if (!read_whole(path, raw, why)) {
      out.push_back({path.string(), MailInput::Kind::message, "", "cannot read the file: " + why});
      continue;
    }
    if (raw.rfind("From ", 0) == 0) {
      std::size_t n = 0;
      for (auto& m : split_mbox(raw))
        out.push_back({path.string() + "#" + std::to_string(++n), MailInput::Kind::message, std::move(m), ""});
      continue;
    }
    const bool message = looks_like_message(path, raw);
    out.push_back({path.string(), message ? MailInput::Kind::message : MailInput::Kind::body, std::move(raw), ""});
  }
  return out;
}

std::string iso_instant(std::chrono::sys_seconds t, int offset_minutes) {
  const auto local = t + std::chrono::minutes(offset_minutes);
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{local - day};
  const int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()), offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
  return buf;
}

}  // namespace tandem::cli
