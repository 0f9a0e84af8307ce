// The mail a command is given: .eml files, mbox files, Maildir folders, or bare text bodies.
#ifndef TANDEM_CLI_MAIL_INPUT_HPP_
#define TANDEM_CLI_MAIL_INPUT_HPP_

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::cli {

struct MailInput {
  enum class Kind { message, body };
  std::string name;   // the file, "FILE#3" for the third message of an mbox
  Kind kind = Kind::message;
  std::string raw;
  std::string error;  // set when it could not be read (then raw is empty)
};

// Every message the paths hold, in order: a file starting with "From " is an mbox (each message in
// turn); a folder with cur/ or new/ is a Maildir (new/ then cur/, by file name; tmp/ is not read); another
// folder is read file by file (.eml, .mbox, .txt and files without an extension, by name); any other
// file is one message when its first lines are a header block (an .eml), else a bare text body.
// A path that cannot be read gives one entry with `error` set.
std::vector<MailInput> collect_mail(const std::vector<std::filesystem::path>& paths);

// Whether `raw` (read from `file`) is a whole message rather than a bare body: an .eml name, or a first
// block of header fields with at least one of From, Date, Subject, Message-ID, MIME-Version, Received.
bool looks_like_message(const std::filesystem::path& file, std::string_view raw);

// Reads a whole file; on failure prints "FILE: error: ..." and returns false.
bool read_file(const std::filesystem::path& file, std::string& out);

// "2026-11-24T09:30:00-08:00": the instant at the given offset.
std::string iso_instant(std::chrono::sys_seconds t, int offset_minutes);

}  // namespace tandem::cli

#endif  // TANDEM_CLI_MAIL_INPUT_HPP_
