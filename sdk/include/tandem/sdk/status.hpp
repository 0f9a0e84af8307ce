// tandem SDK — Status and Result<T>: how expected failures travel, inside a library and across the
// plugin boundary.
//
// Expected failures (bad input, a zone that does not exist, a backend that is down) are values, never
// exceptions. A plugin call returns a Status; the SDK's plugin bases turn any exception a plugin throws
// into Status::plugin_failed before it leaves the plugin, so nothing unwinds through the host.
//
// Thread-safety: values; copy freely. A Status owns its message.
#ifndef TANDEM_SDK_STATUS_HPP_
#define TANDEM_SDK_STATUS_HPP_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tandem::sdk {

enum class Code {
  ok = 0,
  invalid_input,   // the input given to the call is malformed; retrying the same input will fail again
  not_found,       // a named thing (zone, locale, task, file) does not exist
  unavailable,     // a resource is down or busy; retrying later may succeed
  plugin_failed,   // the plugin itself broke (threw, or reported an internal error)
  internal,        // a bug in tandem
};

// The wire name of a code: "ok", "invalid_input", ...
constexpr std::string_view code_name(Code c) noexcept {
  switch (c) {
    case Code::ok: return "ok";
    case Code::invalid_input: return "invalid_input";
    case Code::not_found: return "not_found";
    case Code::unavailable: return "unavailable";
    case Code::plugin_failed: return "plugin_failed";
    case Code::internal: return "internal";
  }
  return "unknown";
}

class Status {
 public:
  Status() noexcept = default;  // ok
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() noexcept { return Status(); }
  static Status invalid_input(std::string m) { return {Code::invalid_input, std::move(m)}; }
  static Status not_found(std::string m) { return {Code::not_found, std::move(m)}; }
  static Status unavailable(std::string m) { return {Code::unavailable, std::move(m)}; }
  static Status plugin_failed(std::string m) { return {Code::plugin_failed, std::move(m)}; }
  static Status internal(std::string m) { return {Code::internal, std::move(m)}; }

  bool is_ok() const noexcept { return code_ == Code::ok; }
  explicit operator bool() const noexcept { return is_ok(); }
  Code code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }

  // True when the same call may succeed later without a change of input: the engine marks the
  // message failed-retryable. invalid_input is the one code that is not worth retrying.
  bool retryable() const noexcept { return code_ != Code::ok && code_ != Code::invalid_input; }

  // "plugin_failed: boom" — or "ok".
  std::string to_string() const {
    std::string s(code_name(code_));
    if (!message_.empty()) s.append(": ").append(message_);
    return s;
  }

  // A copy with `context` in front of the message: "stage extract: plugin x: boom".
  Status with_context(std::string_view context) const {
    if (is_ok()) return *this;
    std::string m(context);
    if (!message_.empty()) m.append(": ").append(message_);
    return {code_, std::move(m)};
  }

 private:
  Code code_ = Code::ok;
  std::string message_;
};

// A value or the Status that says why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}                    // NOLINT: implicit on purpose
  Result(Status error) : v_(std::move(error)) {                // NOLINT: implicit on purpose
    if (std::get<Status>(v_).is_ok()) v_ = Status::internal("Result built from an ok Status");
  }

  bool is_ok() const noexcept { return std::holds_alternative<T>(v_); }
  explicit operator bool() const noexcept { return is_ok(); }

  // Precondition: is_ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &std::get<T>(v_); }
  const T* operator->() const { return &std::get<T>(v_); }
  T& operator*() & { return std::get<T>(v_); }
  const T& operator*() const& { return std::get<T>(v_); }

  // Status::ok() when there is a value.
  Status status() const { return is_ok() ? Status() : std::get<Status>(v_); }

  T value_or(T fallback) const { return is_ok() ? std::get<T>(v_) : std::move(fallback); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace tandem::sdk

#endif  // TANDEM_SDK_STATUS_HPP_
