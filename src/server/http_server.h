// HttpServer: DESIGN.md's HTTP API (v1) on cpp-httplib. Thin: it parses,
// applies limits, calls ConversationService, and serializes.
//
//   HttpServer server(options, deps);
//   if (!server.Bind(&error)) ...;   // then server.port() is known
//   server.Serve();                  // blocks until Stop()
//
// Stop() may be called from any thread (a signal thread): the server stops
// accepting, finishes the requests in flight, and Serve() returns.
//
// Hardening of Debian's cpp-httplib 0.11.4 lives here: request bodies sent
// chunked or compressed, or over the size limit by their Content-Length,
// are refused before they are read (the library reads an oversized body to
// its end, and applies no limit to the others); each request must arrive
// whole within the read timeout and a byte budget (receive_limits.h),
// however slowly it trickles in; exceptions never reach a client as
// text, no request header is ever copied into a response, and the listen
// socket does not use SO_REUSEPORT (a second server on the same port fails
// instead of silently sharing it).
#ifndef STEADY_SERVER_HTTP_SERVER_H_
#define STEADY_SERVER_HTTP_SERVER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "server/access_log.h"
#include "server/api_error.h"
#include "server/conversation_service.h"
#include "server/engine_holder.h"
#include "server/metrics.h"
#include "server/rate_limiter.h"
#include "server/server_options.h"
#include "store/session_store.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace steady {

struct Route;  // server/routes.h

// A messaging adapter's webhook (src/adapters/): the request, its whole
// body as sent, and the response to fill. Called after the per-address
// rate limit.
using WebhookHandler = std::function<void(const httplib::Request& req, const std::string& body,
                                          httplib::Response& res)>;

// What the server uses; none of it is owned, all must outlive the server.
struct ServerDeps {
  ConversationService* conversations = nullptr;
  EngineHolder* engines = nullptr;
  SessionStore* store = nullptr;  // for /readyz
  Metrics* metrics = nullptr;
  AccessLog* access_log = nullptr;  // may be null: no request log
  // Webhooks by route path ("/v1/adapters/telegram"). An adapter route
  // without one answers 404: that adapter is not enabled.
  std::map<std::string, WebhookHandler> webhooks;
};

class HttpServer {
 public:
  HttpServer(const ServerOptions& options, const ServerDeps& deps);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds options.host:options.port (port 0: any free port). On failure
  // returns false with a sentence in *error.
  bool Bind(std::string* error);
  // The bound port. REQUIRES: Bind() succeeded.
  int port() const { return port_; }

  // Serves until Stop(). Returns false if the server failed to run.
  bool Serve();
  // Thread-safe; safe to call before Serve() starts or after it returns.
  void Stop();

 private:
  void Configure();
  void RegisterRoutes();
  // Registers a messaging adapter's webhook route (ServerDeps::webhooks).
  void RegisterWebhook(const Route& route);

  // Route handlers.
  void CreateSession(const httplib::Request& req, httplib::Response& res);
  void PostMessage(const httplib::Request& req, httplib::Response& res);
  void GetSession(const httplib::Request& req, httplib::Response& res);
  void DeleteSession(const httplib::Request& req, httplib::Response& res);
  void Ready(httplib::Response& res);

  // Wraps an API route's handler with what every API request gets first:
  // the per-address rate limit (checked after the body was read, so a
  // refused body never stays in the connection).
  std::function<void(const httplib::Request&, httplib::Response&)> Guarded(
      std::function<void(const httplib::Request&, httplib::Response&)> handler);

  // Returns true (and answers 429) when `key` is over `limiter`'s rate.
  bool RateLimited(RateLimiter& limiter, const std::string& key, const char* scope,
                   httplib::Response& res);
  std::string ClientAddress(const httplib::Request& req) const;
  void AddResponseHeaders(const httplib::Request& req, httplib::Response& res) const;
  const std::string* AllowedOrigin(const httplib::Request& req) const;

  const ServerOptions options_;
  const ServerDeps deps_;
  std::unique_ptr<httplib::Server> http_;
  RateLimiter session_limiter_;
  RateLimiter address_limiter_;
  // POST /v1/sessions, guarded; also called for a POST without a body.
  std::function<void(const httplib::Request&, httplib::Response&)> create_session_;
  int listen_fd_ = -1;
  int port_ = 0;
};

// Sends `error` as the response.
void SendError(const ApiError& error, httplib::Response& res);

}  // namespace steady

#endif  // STEADY_SERVER_HTTP_SERVER_H_
