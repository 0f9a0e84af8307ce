// The milter on libmilter (Sendmail's milter library, as Postfix speaks it): see tandem/milter.hpp.
#include "tandem/milter.hpp"

#include <arpa/inet.h>
#include <libmilter/mfapi.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "tandem/pipeline.hpp"

namespace tandem {

struct MilterServer::Impl : std::enable_shared_from_this<MilterServer::Impl> {
  MilterOptions options;
  MilterHandler handler;
  MilterLog log;
  std::string spec;
  std::thread loop;
  std::atomic<bool> stopped{false};
  int main_result = MI_SUCCESS;

  mutable std::mutex stats_mutex;
  MilterStats stats;

  std::mutex flight_mutex;
  std::condition_variable flight_cv;
  int in_flight = 0;

  void say(const std::string& line) const {
    if (log) log(line);
  }
  void count(std::uint64_t MilterStats::*field) {
    const std::lock_guard<std::mutex> lock(stats_mutex);
    ++(stats.*field);
  }
};

namespace {

std::mutex g_mutex;                       // guards g_server
MilterServer::Impl* g_server = nullptr;   // libmilter's callbacks are plain functions: the one running server

bool same_address(std::string_view a, std::string_view b) { return MailSpec::equal_address(a, b); }

// "<a@b>" -> "a@b"
std::string bare(const char* s) {
  std::string_view v = s != nullptr ? s : "";
  while (!v.empty() && (v.front() == '<' || v.front() == ' ')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == '>' || v.back() == ' ')) v.remove_suffix(1);
  return std::string(v);
}

// Whether a To/Cc header value names one of the addresses: an address counts where it stands between
// characters that cannot be part of an address.
bool header_names(std::string_view value, const std::vector<std::string>& addresses) {
  for (const std::string& a : addresses) {
    if (a.empty() || value.size() < a.size()) continue;
    for (std::size_t i = 0; i + a.size() <= value.size(); ++i) {
      if (!same_address(value.substr(i, a.size()), a)) continue;
      const auto boundary = [](char c) {
        return c == '<' || c == '>' || c == ' ' || c == ',' || c == '\t' || c == '\r' || c == '\n' || c == ';' ||
               c == '"' || c == ':' || c == '(' || c == ')';
      };
      const bool left = i == 0 || boundary(value[i - 1]);
      const bool right = i + a.size() == value.size() || boundary(value[i + a.size()]);
      if (left && right) return true;
    }
  }
  return false;
}

bool for_assistant(const std::vector<std::string>& addresses, std::string_view recipient) {
  for (const std::string& a : addresses)
    if (same_address(a, recipient)) return true;
  return false;
}

// One SMTP connection's state; a connection may carry several messages.
struct Connection {
  MilterMessage message;
  bool addressed = false;
  bool oversized = false;
  void reset() {
    message = MilterMessage{};
    addressed = false;
    oversized = false;
  }
};

Connection* conn(SMFICTX* ctx) { return static_cast<Connection*>(smfi_getpriv(ctx)); }

MilterServer::Impl* server() {
  const std::lock_guard<std::mutex> lock(g_mutex);
  return g_server;
}

// Every callback accepts or continues: nothing here ever rejects, holds or drops mail.
extern "C" sfsistat on_connect(SMFICTX* ctx, char*, _SOCK_ADDR*) {
  try {
    smfi_setpriv(ctx, new Connection());
  } catch (...) {
    return SMFIS_ACCEPT;  // no memory for our state: the message passes untouched
  }
  return SMFIS_CONTINUE;
}

extern "C" sfsistat on_envfrom(SMFICTX* ctx, char** argv) {
  Connection* c = conn(ctx);
  if (c == nullptr) return SMFIS_ACCEPT;
  try {
    c->reset();
    if (argv != nullptr && argv[0] != nullptr) c->message.envelope_from = bare(argv[0]);
    if (MilterServer::Impl* s = server()) s->count(&MilterStats::messages);
  } catch (...) {
    return SMFIS_ACCEPT;
  }
  return SMFIS_CONTINUE;
}

extern "C" sfsistat on_envrcpt(SMFICTX* ctx, char** argv) {
  Connection* c = conn(ctx);
  MilterServer::Impl* s = server();
  if (c == nullptr || s == nullptr) return SMFIS_ACCEPT;
  try {
    if (argv != nullptr && argv[0] != nullptr) {
      c->message.recipients.push_back(bare(argv[0]));
      if (for_assistant(s->options.assistant, c->message.recipients.back())) c->addressed = true;
    }
  } catch (...) {
    return SMFIS_ACCEPT;
  }
  return SMFIS_CONTINUE;
}

extern "C" sfsistat on_header(SMFICTX* ctx, char* name, char* value) {
  Connection* c = conn(ctx);
  MilterServer::Impl* s = server();
  if (c == nullptr || s == nullptr) return SMFIS_ACCEPT;
  try {
    const std::string_view n = name != nullptr ? name : "";
    const std::string_view v = value != nullptr ? value : "";
    if (c->message.raw.size() + n.size() + v.size() + 4 > s->options.max_bytes) {
      c->oversized = true;
      return SMFIS_CONTINUE;
    }
    c->message.raw.append(n).append(": ");
    // Folded values come with bare LF line ends: write them back as the CRLF of the wire.
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v[i] == '\n' && (i == 0 || v[i - 1] != '\r')) c->message.raw += '\r';
      c->message.raw += v[i];
    }
    c->message.raw += "\r\n";
    if (!c->addressed && (same_address(n, "to") || same_address(n, "cc")) && header_names(v, s->options.assistant))
      c->addressed = true;
  } catch (...) {
    return SMFIS_ACCEPT;
  }
  return SMFIS_CONTINUE;
}

extern "C" sfsistat on_eoh(SMFICTX* ctx) {
  Connection* c = conn(ctx);
  MilterServer::Impl* s = server();
  if (c == nullptr || s == nullptr) return SMFIS_ACCEPT;
  if (!c->addressed) {
    s->count(&MilterStats::passed);
    return SMFIS_ACCEPT;  // not the assistant's: no need to see the body
  }
  try {
    c->message.raw += "\r\n";
  } catch (...) {
    return SMFIS_ACCEPT;
  }
  return SMFIS_CONTINUE;
}

extern "C" sfsistat on_body(SMFICTX* ctx, unsigned char* chunk, size_t len) {
  Connection* c = conn(ctx);
  MilterServer::Impl* s = server();
  if (c == nullptr || s == nullptr) return SMFIS_ACCEPT;
  if (c->oversized || c->message.raw.size() + len > s->options.max_bytes) {
    c->oversized = true;
    s->count(&MilterStats::oversized);
    s->say("milter: a message to the assistant from <" + c->message.envelope_from + "> is over " +
           std::to_string(s->options.max_bytes) + " bytes (mail.max_bytes): passed on unchanged, not read");
    return SMFIS_ACCEPT;
  }
  try {
    c->message.raw.append(reinterpret_cast<const char*>(chunk), len);
  } catch (...) {
    return SMFIS_ACCEPT;
  }
  return SMFIS_CONTINUE;
}

struct Job {
  std::mutex m;
  std::condition_variable cv;
  bool done = false;
  MilterVerdict verdict;
  std::string error;
};

extern "C" sfsistat on_eom(SMFICTX* ctx) {
  Connection* c = conn(ctx);
  MilterServer::Impl* s = server();
  if (c == nullptr || s == nullptr || !c->addressed) return SMFIS_ACCEPT;
  if (c->oversized) {
    s->count(&MilterStats::oversized);
    s->say("milter: a message to the assistant from <" + c->message.envelope_from + "> is over " +
           std::to_string(s->options.max_bytes) + " bytes (mail.max_bytes): passed on unchanged, not read");
    return SMFIS_ACCEPT;
  }
  try {
    if (const char* qid = smfi_getsymval(ctx, const_cast<char*>("i"))) c->message.queue_id = qid;
    auto job = std::make_shared<Job>();
    auto message = std::make_shared<MilterMessage>(std::move(c->message));
    c->reset();
    {
      const std::lock_guard<std::mutex> lock(s->flight_mutex);
      ++s->in_flight;
    }
    // The handler runs on a thread of its own, so that a slow engine costs the mail server at most the
    // budget; whatever it does after that still happens (the case is written), only the header is not added.
    std::thread([s = s->shared_from_this(), job, message] {
      MilterVerdict verdict;
      std::string error;
      try {
        verdict = s->handler(*message);
      } catch (const std::exception& e) {
        error = e.what();
      } catch (...) {
        error = "unknown exception";
      }
      {
        const std::lock_guard<std::mutex> lock(job->m);
        job->verdict = std::move(verdict);
        job->error = std::move(error);
        job->done = true;
      }
      job->cv.notify_all();
      {
        const std::lock_guard<std::mutex> lock(s->flight_mutex);
        --s->in_flight;
      }
      s->flight_cv.notify_all();
    }).detach();

    std::unique_lock<std::mutex> lock(job->m);
    const std::string who = message->queue_id.empty() ? "<" + message->envelope_from + ">" : message->queue_id;
    if (!job->cv.wait_for(lock, s->options.budget, [&] { return job->done; })) {
      s->count(&MilterStats::late);
      s->say("milter: message " + who + ": tandem did not answer within " + std::to_string(s->options.budget.count()) +
             " ms: passed on unchanged; its work goes on in the background");
      return SMFIS_ACCEPT;
    }
    if (!job->error.empty()) {
      s->count(&MilterStats::failed);
      s->say("milter: message " + who + ": tandem failed (" + job->error + "): passed on unchanged");
      return SMFIS_ACCEPT;
    }
    s->count(&MilterStats::handled);
    if (!job->verdict.header_name.empty()) {
      if (smfi_addheader(ctx, job->verdict.header_name.data(), job->verdict.header_value.data()) == MI_SUCCESS) {
        s->count(&MilterStats::headers_added);
      } else {
        s->count(&MilterStats::failed);
        s->say("milter: message " + who + ": the mail server refused the header " + job->verdict.header_name +
               ": passed on unchanged");
      }
    }
  } catch (...) {
    s->count(&MilterStats::failed);
  }
  return SMFIS_ACCEPT;
}

extern "C" sfsistat on_abort(SMFICTX* ctx) {
  if (Connection* c = conn(ctx)) c->reset();
  return SMFIS_CONTINUE;
}

extern "C" sfsistat on_close(SMFICTX* ctx) {
  delete conn(ctx);
  smfi_setpriv(ctx, nullptr);
  return SMFIS_CONTINUE;
}

// libmilter answers the mail server in several small writes per step; on a TCP socket Nagle's algorithm
// holds each next write until the last is acknowledged, and the peer delays that acknowledgement (about
// 40 ms a step, measured: bench/milter/run.sh). libmilter does not hand out its sockets, so the listening
// socket it opened is found among this process's descriptors by its port and given TCP_NODELAY, which the
// connections it accepts inherit. A unix socket needs nothing.
void disable_nagle_on_listener(const std::string& spec) {
  if (spec.rfind("inet", 0) != 0) return;
  const std::size_t colon = spec.find(':');
  const std::size_t at = spec.find('@');
  const std::string port_text = spec.substr(colon + 1, at == std::string::npos ? std::string::npos : at - colon - 1);
  const int port = std::atoi(port_text.c_str());
  if (port <= 0) return;
  for (int fd = 0; fd < 4096; ++fd) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) continue;
    int listening = 0;
    socklen_t optlen = sizeof listening;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &optlen) != 0 || listening == 0) continue;
    int bound = -1;
    if (addr.ss_family == AF_INET) bound = ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
    else if (addr.ss_family == AF_INET6) bound = ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
    if (bound != port) continue;
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
}

}  // namespace

std::string milter_socket_spec(std::string_view socket) {
  const auto starts = [&](std::string_view p) { return socket.substr(0, p.size()) == p; };
  if (starts("unix:") || starts("local:")) return std::string(socket);
  for (std::string_view scheme : {std::string_view("inet:"), std::string_view("inet6:")}) {
    if (!starts(scheme)) continue;
    const std::string_view rest = socket.substr(scheme.size());
    if (rest.empty()) return {};
    if (rest.find('@') != std::string_view::npos) return std::string(socket);  // libmilter's PORT@HOST
    const std::size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos) return std::string(scheme) + std::string(rest);  // a port alone
    std::string_view host = rest.substr(0, colon);
    const std::string_view port = rest.substr(colon + 1);
    if (port.empty() || host.empty()) return {};
    if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return std::string(scheme) + std::string(port) + "@" + std::string(host);
  }
  return {};
}

MilterServer::MilterServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

MilterServer::~MilterServer() { stop(); }

sdk::Result<std::unique_ptr<MilterServer>> MilterServer::start(const MilterOptions& options, MilterHandler handler,
                                                               MilterLog log) {
  auto impl = std::make_shared<Impl>();
  impl->options = options;
  impl->handler = std::move(handler);
  impl->log = std::move(log);
  impl->spec = milter_socket_spec(options.socket);
  if (impl->spec.empty())
    return sdk::Status::invalid_input("milter socket \"" + options.socket +
                                      "\": expected inet:HOST:PORT (inet:127.0.0.1:8899), inet:PORT@HOST or "
                                      "unix:/path/to/socket");
  if (!impl->handler) return sdk::Status::invalid_input("milter: no handler given");
  {
    const std::lock_guard<std::mutex> lock(g_mutex);
    if (g_server != nullptr) return sdk::Status::unavailable("a milter is already running in this process");
    g_server = impl.get();
  }
  const auto give_up = [&](std::string why) -> sdk::Status {
    const std::lock_guard<std::mutex> lock(g_mutex);
    g_server = nullptr;
    return sdk::Status::unavailable(std::move(why));
  };
  static char name[] = "tandem";
  smfiDesc desc{};
  desc.xxfi_name = name;
  desc.xxfi_version = SMFI_VERSION;
  desc.xxfi_flags = SMFIF_ADDHDRS;
  desc.xxfi_connect = on_connect;
  desc.xxfi_envfrom = on_envfrom;
  desc.xxfi_envrcpt = on_envrcpt;
  desc.xxfi_header = on_header;
  desc.xxfi_eoh = on_eoh;
  desc.xxfi_body = on_body;
  desc.xxfi_eom = on_eom;
  desc.xxfi_abort = on_abort;
  desc.xxfi_close = on_close;
  if (smfi_setconn(impl->spec.data()) == MI_FAILURE) return give_up("milter: libmilter refused the socket " + impl->spec);
  smfi_settimeout(options.timeout_seconds);
  if (smfi_register(desc) == MI_FAILURE) return give_up("milter: libmilter refused to register the filter");
  if (smfi_opensocket(true) == MI_FAILURE)
    return give_up("milter: cannot open the socket " + options.socket + " (in use, or no permission)");
  disable_nagle_on_listener(impl->spec);
  Impl* raw = impl.get();
  impl->loop = std::thread([raw] { raw->main_result = smfi_main(); });
  impl->say("milter: listening on " + options.socket);
  return std::unique_ptr<MilterServer>(new MilterServer(std::move(impl)));
}

void MilterServer::stop() {
  if (!impl_ || impl_->stopped.exchange(true)) return;
  smfi_stop();
  if (impl_->loop.joinable()) impl_->loop.join();
  {
    std::unique_lock<std::mutex> lock(impl_->flight_mutex);
    if (!impl_->flight_cv.wait_for(lock, impl_->options.drain, [&] { return impl_->in_flight == 0; }))
      impl_->say("milter: " + std::to_string(impl_->in_flight) + " message(s) still being read at shutdown");
  }
  const std::lock_guard<std::mutex> lock(g_mutex);
  if (g_server == impl_.get()) g_server = nullptr;
}

MilterStats MilterServer::stats() const {
  const std::lock_guard<std::mutex> lock(impl_->stats_mutex);
  return impl_->stats;
}

}  // namespace tandem
