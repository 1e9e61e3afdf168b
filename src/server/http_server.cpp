#include "server/http_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include <nlohmann/json.hpp>

#include "server/connection_closer.h"
#include "server/receive_limits.h"
#include "server/request_parser.h"
#include "server/routes.h"
#include "server/static_files.h"
#include "store/session_id.h"

namespace steady {
namespace {

using Clock = std::chrono::steady_clock;

// When the current request started, on this worker thread: cpp-httplib
// runs a request's pre-routing handler, handler and logger on one thread.
thread_local Clock::time_point request_start;
thread_local bool request_started = false;
// The current request's connection must close after its response (its body
// was left unread).
thread_local bool close_after_response = false;

constexpr char kJson[] = "application/json";
// How long a client should wait after a 503, in seconds.
constexpr char kRetryAfterUnavailable[] = "5";

// Methods are logged and counted by name only when they are ours, so a
// request line can't put arbitrary text into logs or metric labels.
std::string KnownMethod(const std::string& method) {
  for (const char* m : {"GET", "POST", "DELETE", "OPTIONS", "HEAD", "PUT", "PATCH"}) {
    if (method == m) return method;
  }
  return "OTHER";
}

std::string SessionIdOf(const httplib::Request& req) {
  return req.matches.size() > 1 ? std::string(req.matches[1]) : std::string();
}

// The session id in a path, for logging, when the path is a session route.
std::string SessionIdInPath(const std::string& path, const std::string& route) {
  if (route.find("{id}") == std::string::npos) return "";
  const size_t start = std::strlen("/v1/sessions/");
  const size_t end = path.find('/', start);
  std::string id = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
  return IsWellFormedSessionId(id) ? id : "";
}

// "GET, DELETE": the methods a route template takes; "" for none of ours.
std::string AllowedMethods(const std::string& route) {
  std::string allow;
  for (const Route& r : ApiRoutes()) {
    if (route == r.path) allow += std::string(allow.empty() ? "" : ", ") + r.method;
  }
  return allow;
}

bool IsAllowed(const std::string& method, const std::string& allow) {
  size_t start = 0;
  while (start < allow.size()) {
    size_t end = allow.find(", ", start);
    if (allow.substr(start, end == std::string::npos ? end : end - start) == method) return true;
    if (end == std::string::npos) break;
    start = end + 2;
  }
  return false;
}

ApiError UnknownSession() {
  return {404, "unknown_session", "There is no conversation with this id. Start a new one."};
}

// Whether the request's Origin is the host it was sent to: a page this
// server handed out (the demo page) calling its own API.
bool FromOwnHost(const httplib::Request& req) {
  std::string origin = req.get_header_value("Origin");
  std::string host = req.get_header_value("Host");
  const size_t scheme_end = origin.find("://");
  if (scheme_end == std::string::npos || host.empty()) return false;
  origin.erase(0, scheme_end + 3);
  for (std::string* s : {&origin, &host}) {
    for (char& c : *s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return origin == host;
}

}  // namespace

void SendError(const ApiError& error, httplib::Response& res) {
  res.status = error.status;
  res.set_content(error.Body(), kJson);
}

HttpServer::HttpServer(const ServerOptions& options, const ServerDeps& deps)
    : options_(options),
      deps_(deps),
      http_(std::make_unique<httplib::Server>()),
      session_limiter_(options.session_rate),
      address_limiter_(options.address_rate) {
  Configure();
  RegisterRoutes();
}

HttpServer::~HttpServer() = default;

void HttpServer::Configure() {
  httplib::Server& http = *http_;
  const size_t threads = static_cast<size_t>(std::max(1, options_.threads));
  // Each request must arrive whole within the read timeout and the size
  // limits, however it trickles in (receive_limits.h).
  ReceiveLimits limits;
  limits.deadline = std::chrono::seconds(options_.read_timeout_seconds);
  limits.max_bytes = options_.max_head_bytes + options_.max_body_bytes;
  http.new_task_queue = [threads, limits] { return new GuardedTaskQueue(threads, limits); };
  // Without this every response waits ~40 ms for Nagle's algorithm.
  http.set_tcp_nodelay(true);
  http.set_socket_options([this](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listen_fd_ = sock;  // only the listening socket passes through here
  });
  http.set_payload_max_length(options_.max_body_bytes);
  http.set_read_timeout(options_.read_timeout_seconds, 0);
  http.set_write_timeout(options_.write_timeout_seconds, 0);
  http.set_keep_alive_max_count(static_cast<size_t>(std::max(1, options_.keep_alive_max_requests)));
  http.set_keep_alive_timeout(options_.keep_alive_timeout_seconds);

  // Requests are refused before their body is read only when no body can
  // follow (so the connection stays in step) or when reading it would be the
  // danger: a chunked body, which the library's size limit does not cover.
  // Everything else is refused after the library has read (or, over the
  // size limit, skipped) the body, so a refused body is never read as the
  // next request on a kept-alive connection.
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    request_start = Clock::now();
    request_started = true;
    // Chunked and compressed bodies are refused unread (the library's size
    // limit covers neither), and the connection is closed after the answer
    // so the unread body can't be taken for the next request.
    if (req.has_header("Transfer-Encoding") || req.has_header("Content-Encoding")) {
      if (req.has_header("Transfer-Encoding")) {
        SendError({411, "length_required", "Send the body with a Content-Length, not chunked."},
                  res);
      } else {
        SendError({415, "unsupported_encoding", "Send the body uncompressed."}, res);
      }
      res.set_header("Connection", "close");
      close_after_response = true;  // done by the logger, once the answer is out
      return httplib::Server::HandlerResponse::Handled;
    }
    // A body over the limit is refused before a byte of it is read (the
    // library would read and drop all of it first, however large), and so
    // is a length that is not one plain number (the library would read
    // "12abc" as 12 and the rest as the next request); either way the
    // connection closes after the answer.
    if (req.has_header("Content-Length")) {
      const std::string length = req.get_header_value("Content-Length");
      const bool number = !length.empty() && length.size() <= 18 &&
                          length.find_first_not_of("0123456789") == std::string::npos &&
                          req.get_header_value_count("Content-Length") == 1;
      if (!number || std::stoull(length) > options_.max_body_bytes) {
        SendError(ErrorForStatus(number ? 413 : 400), res);
        res.set_header("Connection", "close");
        close_after_response = true;
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    // The library refuses a POST without Content-Length as malformed, but
    // `curl -X POST .../v1/sessions` sends none: its body is empty, which
    // is all that route needs. The message route needs its length.
    if (req.method == "POST" && !req.has_header("Content-Length")) {
      const std::string route = RouteTemplate(req.path);
      if (route == "/v1/sessions") {
        create_session_(req, res);
        return httplib::Server::HandlerResponse::Handled;
      }
      if (route == "/v1/sessions/{id}/messages" || route.rfind("/v1/adapters/", 0) == 0) {
        SendError({411, "length_required", "Send the message body with a Content-Length."}, res);
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // Anything the library answers on its own (no such route, a request it
  // could not parse, a body over the limit) still gets our JSON error body.
  // A known address asked with a method it doesn't take is a 405.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        // A request cut by its receive limits: say which limit.
        if (const int cut = ReceiveCutStatus()) {
          SendError(ErrorForStatus(cut), res);
          res.set_header("Connection", "close");
          return httplib::Server::HandlerResponse::Handled;
        }
        const std::string allow = AllowedMethods(RouteTemplate(req.path));
        if ((res.status == 404 || res.status == 400) && !allow.empty() &&
            !IsAllowed(req.method, allow)) {
          SendError({405, "method_not_allowed", "This address does not take that method."}, res);
          res.set_header("Allow", allow);
          return httplib::Server::HandlerResponse::Handled;
        }
        SendError(ErrorForStatus(res.status), res);
        return httplib::Server::HandlerResponse::Handled;
      }));

  // No exception text ever reaches a client.
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        SendError(ErrorForStatus(500), res);
      });

  http.set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    AddResponseHeaders(req, res);
    // Counted here, before the response is written, so a client that reads
    // /metrics right after its request always sees it counted.
    if (deps_.metrics) {
      deps_.metrics->CountRequest(KnownMethod(req.method), RouteTemplate(req.path), res.status);
    }
  });

  http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    ReceiveNextRequest();  // the response is out: the next bytes are a new request
    const std::string route = RouteTemplate(req.path);
    const std::string method = KnownMethod(req.method);
    if (deps_.access_log) {
      double ms = 0;
      if (request_started) {
        ms = std::chrono::duration<double, std::milli>(Clock::now() - request_start).count();
      }
      deps_.access_log->Write(method, route, res.status, ms, SessionIdInPath(req.path, route));
    }
    request_started = false;
    if (close_after_response) {
      close_after_response = false;
      CloseConnection(port_, req.remote_addr, req.remote_port);
    }
  });
}

void HttpServer::RegisterRoutes() {
  httplib::Server& http = *http_;
  for (const Route& route : ApiRoutes()) {
    const std::string method = route.method;
    const std::string path = route.path;
    if (path.rfind("/v1/adapters/", 0) == 0) {
      RegisterWebhook(route);
      continue;
    }
    httplib::Server::Handler handler;
    if (path == "/v1/sessions") {
      handler = [this](const httplib::Request& q, httplib::Response& r) { CreateSession(q, r); };
      create_session_ = Guarded(handler);
    } else if (path == "/v1/sessions/{id}/messages") {
      handler = [this](const httplib::Request& q, httplib::Response& r) { PostMessage(q, r); };
    } else if (path == "/v1/sessions/{id}" && method == "GET") {
      handler = [this](const httplib::Request& q, httplib::Response& r) { GetSession(q, r); };
    } else if (path == "/v1/sessions/{id}" && method == "DELETE") {
      handler = [this](const httplib::Request& q, httplib::Response& r) { DeleteSession(q, r); };
    } else if (path == "/healthz") {
      handler = [](const httplib::Request&, httplib::Response& r) {
        r.set_content(R"({"status":"ok"})", kJson);
      };
    } else if (path == "/readyz") {
      handler = [this](const httplib::Request&, httplib::Response& r) { Ready(r); };
    } else if (path == "/metrics") {
      handler = [this](const httplib::Request&, httplib::Response& r) {
        r.set_content(deps_.metrics ? deps_.metrics->Render() : std::string(),
                      "text/plain; version=0.0.4; charset=utf-8");
      };
    } else if (const StaticFile* file = FindStaticFile(path)) {
      // The web widget and its demo page, from memory.
      handler = [file](const httplib::Request& q, httplib::Response& r) {
        ServeStaticFile(*file, q.get_header_value("If-None-Match"), r);
      };
    }
    if (path.rfind("/v1/", 0) == 0) handler = Guarded(std::move(handler));
    if (method == "GET") http.Get(route.pattern, handler);
    if (method == "POST") http.Post(route.pattern, handler);
    if (method == "DELETE") http.Delete(route.pattern, handler);
  }
  // CORS preflight for the widget. The answer's headers are added with
  // every other response's (AddResponseHeaders); a disallowed origin gets
  // none, so the browser refuses.
  http.Options(R"(/v1/.*)", [this](const httplib::Request& req, httplib::Response& res) {
    if (AllowedOrigin(req) == nullptr) {
      SendError({403, "origin_not_allowed", "This website is not allowed to call the API."},
                res);
      return;
    }
    res.status = 204;
  });
}

// A webhook reads its body itself (a content-reader handler): cpp-httplib
// 0.11.4 refuses form bodies over 8 KiB when it reads them on its own, and
// an SMS of 1,600 characters in another script can be longer than that.
// The body is still bounded by max_body_bytes. The route exists whether or
// not its adapter is enabled, so a disabled one answers 404 with our body.
void HttpServer::RegisterWebhook(const Route& route) {
  auto found = deps_.webhooks.find(route.path);
  WebhookHandler webhook = found == deps_.webhooks.end() ? nullptr : found->second;
  http_->Post(route.pattern, [this, webhook](const httplib::Request& req, httplib::Response& res,
                                             const httplib::ContentReader& read) {
    std::string body;
    const bool complete = read([&body](const char* data, size_t size) {
      body.append(data, size);
      return true;
    });
    if (!complete) {
      if (res.status < 400) res.status = 400;  // the library set 413 for a body over the limit
      return;
    }
    if (RateLimited(address_limiter_, ClientAddress(req), "address", res)) return;
    if (!webhook) {
      return SendError({404, "adapter_not_enabled",
                        "This messaging adapter is not enabled on this server."},
                       res);
    }
    webhook(req, body, res);
  });
}

httplib::Server::Handler HttpServer::Guarded(httplib::Server::Handler handler) {
  return [this, handler = std::move(handler)](const httplib::Request& req,
                                              httplib::Response& res) {
    if (RateLimited(address_limiter_, ClientAddress(req), "address", res)) return;
    handler(req, res);
  };
}

bool HttpServer::Bind(std::string* error) {
  httplib::Server& http = *http_;
  if (options_.port == 0) {
    port_ = http.bind_to_any_port(options_.host);
    if (port_ <= 0) {
      *error = "cannot listen on " + options_.host + " (any port)";
      return false;
    }
  } else {
    if (!http.bind_to_port(options_.host, options_.port)) {
      *error = "cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
               " (in use, or not an address of this machine?)";
      return false;
    }
    port_ = options_.port;
  }
  // cpp-httplib listens with a backlog of 5, which drops connections under
  // a burst; listen() again on the bound socket raises it (Linux allows it).
  if (listen_fd_ >= 0) ::listen(listen_fd_, SOMAXCONN);
  return true;
}

bool HttpServer::Serve() { return http_->listen_after_bind(); }

void HttpServer::Stop() { http_->stop(); }

std::string HttpServer::ClientAddress(const httplib::Request& req) const {
  if (options_.trust_forwarded_for && req.has_header("X-Forwarded-For")) {
    // The proxy appends the address it saw last; earlier entries are the
    // client's own claims.
    std::string forwarded = req.get_header_value("X-Forwarded-For");
    size_t comma = forwarded.rfind(',');
    std::string last = comma == std::string::npos ? forwarded : forwarded.substr(comma + 1);
    size_t b = last.find_first_not_of(' ');
    size_t e = last.find_last_not_of(' ');
    if (b != std::string::npos) return last.substr(b, e - b + 1);
  }
  return req.remote_addr;
}

bool HttpServer::RateLimited(RateLimiter& limiter, const std::string& key, const char* scope,
                             httplib::Response& res) {
  const int wait = limiter.Take(key);
  if (wait == 0) return false;
  if (deps_.metrics) deps_.metrics->CountRateLimited(scope);
  SendError({429, "too_many_requests", "Too many messages too fast; wait a moment and try again."},
            res);
  res.set_header("Retry-After", std::to_string(wait));
  return true;
}

const std::string* HttpServer::AllowedOrigin(const httplib::Request& req) const {
  if (options_.allow_origins.empty() || !req.has_header("Origin")) return nullptr;
  const std::string origin = req.get_header_value("Origin");
  for (const std::string& allowed : options_.allow_origins) {
    if (origin == allowed) return &allowed;
  }
  return nullptr;
}

void HttpServer::AddResponseHeaders(const httplib::Request& req, httplib::Response& res) const {
  auto set_default = [&res](const char* name, const char* value) {
    if (!res.has_header(name)) res.set_header(name, value);
  };
  set_default("X-Content-Type-Options", "nosniff");
  set_default("Referrer-Policy", "no-referrer");
  set_default("Cache-Control", "no-store");
  set_default("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  set_default("X-Frame-Options", "DENY");
  // Our configured string is sent, never the request's header value.
  if (const std::string* origin = AllowedOrigin(req)) {
    res.set_header("Access-Control-Allow-Origin", *origin);
    res.set_header("Vary", "Origin");
    res.set_header("Access-Control-Expose-Headers", "Retry-After");
    if (req.method == "OPTIONS") {
      res.set_header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
      res.set_header("Access-Control-Allow-Headers", "Content-Type");
      res.set_header("Access-Control-Max-Age", "600");
    }
  }
}

void HttpServer::CreateSession(const httplib::Request& req, httplib::Response& res) {
  // A page on any website can make its visitors' browsers send this
  // request without asking first (with no body it needs no CORS
  // preflight): CORS would hide the answer but not stop the conversation
  // being made. Browsers say which page sent it, so unless that is an
  // allowed origin or this server itself, nothing is started
  // (docs/security.md). Clients that are not browsers send no Origin.
  if (req.has_header("Origin") && AllowedOrigin(req) == nullptr && !FromOwnHost(req)) {
    return SendError({403, "origin_not_allowed", "This website is not allowed to call the API."},
                     res);
  }
  ApiError error = ParseCreateSessionRequest(req.get_header_value("Content-Type"), req.body);
  if (!error.ok()) return SendError(error, res);
  std::string session_id, body;
  Status s = deps_.conversations->StartSession(&session_id, &body);
  if (!s.ok()) {
    SendError({503, "store_unavailable", "Conversations can't be started right now. "
                                         "If you are in danger, call or text 988 or call 911."},
              res);
    res.set_header("Retry-After", kRetryAfterUnavailable);
    return;
  }
  res.status = 201;
  res.set_header("Location", "/v1/sessions/" + session_id);
  res.set_content(body, kJson);
}

void HttpServer::PostMessage(const httplib::Request& req, httplib::Response& res) {
  const auto start = Clock::now();
  const std::string session_id = SessionIdOf(req);
  if (!IsWellFormedSessionId(session_id)) return SendError(UnknownSession(), res);
  MessageRequest message;
  ApiError error = ParseMessageRequest(req.get_header_value("Content-Type"), req.body, &message);
  if (!error.ok()) return SendError(error, res);
  if (RateLimited(session_limiter_, session_id, "session", res)) return;

  TurnOutcome outcome =
      deps_.conversations->PostMessage(session_id, message.text, message.client_message_id);
  using Kind = TurnOutcome::Kind;
  switch (outcome.kind) {
    case Kind::kAnswered:
    case Kind::kReplayed:
      res.status = 200;
      res.set_content(outcome.response, kJson);
      break;
    case Kind::kRefused:
      if (outcome.input_error == InputError::kTooLong) {
        SendError({413, "text_too_long", outcome.error_message}, res);
      } else {
        SendError({400, "invalid_utf8", outcome.error_message}, res);
      }
      break;
    case Kind::kNotFound:
      SendError(UnknownSession(), res);
      break;
    case Kind::kUnavailable:
    case Kind::kInternal: {
      // The error says nothing was saved; a crisis reply rides along so the
      // person still sees it.
      const bool unavailable = outcome.kind == Kind::kUnavailable;
      ApiError e = unavailable
                       ? ApiError{503, "store_unavailable",
                                  "Your message could not be saved right now. Please try again "
                                  "in a moment. If you are in danger, call or text 988 or call "
                                  "911."}
                       : ErrorForStatus(500);
      nlohmann::json body = nlohmann::json::parse(e.Body());
      if (!outcome.response.empty()) {
        nlohmann::json reply = nlohmann::json::parse(outcome.response, nullptr, false);
        if (reply.is_object()) body.update(reply);
      }
      res.status = e.status;
      if (unavailable) res.set_header("Retry-After", kRetryAfterUnavailable);
      res.set_content(body.dump(), kJson);
      break;
    }
  }
  if (deps_.metrics && (outcome.kind == Kind::kAnswered || outcome.kind == Kind::kReplayed)) {
    deps_.metrics->ObserveTurn(std::chrono::duration<double>(Clock::now() - start).count());
  }
}

void HttpServer::GetSession(const httplib::Request& req, httplib::Response& res) {
  const std::string session_id = SessionIdOf(req);
  if (!IsWellFormedSessionId(session_id)) return SendError(UnknownSession(), res);
  nlohmann::json view;
  Status s = deps_.conversations->DescribeSession(session_id, &view);
  if (s.code() == Status::Code::kNotFound) return SendError(UnknownSession(), res);
  if (!s.ok()) {
    SendError({503, "store_unavailable", "The conversation can't be read right now."}, res);
    res.set_header("Retry-After", kRetryAfterUnavailable);
    return;
  }
  res.set_content(view.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), kJson);
}

void HttpServer::DeleteSession(const httplib::Request& req, httplib::Response& res) {
  const std::string session_id = SessionIdOf(req);
  if (!IsWellFormedSessionId(session_id)) return SendError(UnknownSession(), res);
  Status s = deps_.conversations->DeleteSession(session_id);
  if (s.code() == Status::Code::kNotFound) return SendError(UnknownSession(), res);
  if (!s.ok()) {
    SendError({503, "store_unavailable", "The conversation can't be deleted right now."}, res);
    res.set_header("Retry-After", kRetryAfterUnavailable);
    return;
  }
  res.status = 204;
}

void HttpServer::Ready(httplib::Response& res) {
  const bool content = deps_.engines && deps_.engines->Get() != nullptr;
  const bool store = deps_.store && deps_.store->Ping().ok();
  if (content && store) {
    res.set_content(R"({"status":"ready"})", kJson);
    return;
  }
  SendError({503, "not_ready", content ? "The database is not reachable." : "No content loaded."},
            res);
}

}  // namespace steady
