#include "cli/serve_options.h"

#include <cerrno>
#include <cstdlib>
#include <iomanip>
#include <limits>

#include "adapters/messaging_adapters.h"

namespace steady {
namespace {

using Setter = std::function<bool(const std::string& value, ServeConfig* config)>;

struct OptionSpec {
  const char* flag;
  const char* env;
  const char* value_name;  // nullptr: a switch without a value
  const char* help;
  Setter set;
};

bool ParseLong(const std::string& text, long min, long max, long* out) {
  if (text.empty()) return false;
  errno = 0;
  char* end = nullptr;
  long v = std::strtol(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || v < min || v > max) return false;
  *out = v;
  return true;
}

Setter IntInto(int ServerOptions::*field, long min, long max) {
  return [=](const std::string& v, ServeConfig* c) {
    long n = 0;
    if (!ParseLong(v, min, max, &n)) return false;
    c->server.*field = static_cast<int>(n);
    return true;
  };
}

Setter RateInto(RateLimit ServerOptions::*field, double RateLimit::*part) {
  return [=](const std::string& v, ServeConfig* c) {
    long n = 0;
    if (!ParseLong(v, 0, 1000000, &n)) return false;
    (c->server.*field).*part = static_cast<double>(n);
    return true;
  };
}

bool Truthy(const std::string& v, bool* out) {
  if (v == "1" || v == "true" || v == "yes" || v == "on") return *out = true, true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return *out = false, true;
  return false;
}

const std::vector<OptionSpec>& Specs() {
  static const std::vector<OptionSpec> specs = {
      {"--host", "STEADY_HOST", "ADDR", "address to listen on (default 127.0.0.1)",
       [](const std::string& v, ServeConfig* c) {
         if (v.empty()) return false;
         c->server.host = v;
         return true;
       }},
      {"--port", "STEADY_PORT", "N", "port to listen on; 0 picks a free one (default 8080)",
       IntInto(&ServerOptions::port, 0, 65535)},
      {"--db", "STEADY_DB", "PATH|URL",
       "SQLite file, or postgresql://user@host/db shared by several servers (var/steady.db)",
       [](const std::string& v, ServeConfig* c) {
         if (v.empty()) return false;
         c->db = v;
         return true;
       }},
      {"--content", "STEADY_CONTENT", "DIR", "folder holding intents/ and dialogs/ (default: ./)",
       [](const std::string& v, ServeConfig* c) {
         c->content = v;
         return true;
       }},
      {"--threads", "STEADY_THREADS", "N", "worker threads = connections served at once (16)",
       IntInto(&ServerOptions::threads, 1, 1024)},
      {"--max-body-bytes", "STEADY_MAX_BODY_BYTES", "N", "largest request body (65536)",
       [](const std::string& v, ServeConfig* c) {
         long n = 0;
         if (!ParseLong(v, 1024, 16L * 1024 * 1024, &n)) return false;
         c->server.max_body_bytes = static_cast<size_t>(n);
         return true;
       }},
      {"--max-text-chars", "STEADY_MAX_TEXT_CHARS", "N", "longest message in characters (2000)",
       [](const std::string& v, ServeConfig* c) {
         long n = 0;
         if (!ParseLong(v, 1, 100000, &n)) return false;
         c->max_text_chars = static_cast<size_t>(n);
         return true;
       }},
      {"--read-timeout", "STEADY_READ_TIMEOUT", "SECONDS", "time to receive a request (5)",
       IntInto(&ServerOptions::read_timeout_seconds, 1, 3600)},
      {"--write-timeout", "STEADY_WRITE_TIMEOUT", "SECONDS", "time to send a response (5)",
       IntInto(&ServerOptions::write_timeout_seconds, 1, 3600)},
      {"--keep-alive-max", "STEADY_KEEP_ALIVE_MAX", "N", "requests per connection (1000)",
       IntInto(&ServerOptions::keep_alive_max_requests, 1, 1000000)},
      {"--keep-alive-timeout", "STEADY_KEEP_ALIVE_TIMEOUT", "SECONDS",
       "idle time before a connection closes (5)",
       IntInto(&ServerOptions::keep_alive_timeout_seconds, 1, 3600)},
      {"--session-rate", "STEADY_SESSION_RATE", "N",
       "messages per minute per session; 0 = no limit (60)",
       RateInto(&ServerOptions::session_rate, &RateLimit::per_minute)},
      {"--session-burst", "STEADY_SESSION_BURST", "N", "messages a session may send at once (20)",
       RateInto(&ServerOptions::session_rate, &RateLimit::burst)},
      {"--address-rate", "STEADY_ADDRESS_RATE", "N",
       "API requests per minute per client address; 0 = no limit (600)",
       RateInto(&ServerOptions::address_rate, &RateLimit::per_minute)},
      {"--address-burst", "STEADY_ADDRESS_BURST", "N",
       "requests a client address may send at once (120)",
       RateInto(&ServerOptions::address_rate, &RateLimit::burst)},
      {"--trust-forwarded-for", "STEADY_TRUST_FORWARDED_FOR", nullptr,
       "client address from X-Forwarded-For (only behind your own proxy)",
       [](const std::string& v, ServeConfig* c) { return Truthy(v, &c->server.trust_forwarded_for); }},
      {"--allow-origin", "STEADY_ALLOW_ORIGIN", "ORIGIN",
       "website allowed to call the API (repeatable; env: comma-separated; none by default)",
       [](const std::string& v, ServeConfig* c) {
         if (v.empty() || v.find_first_of(" \t\r\n,") != std::string::npos) return false;
         if (v.rfind("https://", 0) != 0 && v.rfind("http://", 0) != 0) return false;
         if (v.back() == '/') return false;  // browsers send origins without a slash
         c->server.allow_origins.push_back(v);
         return true;
       }},
      {"--retention-days", "STEADY_RETENTION_DAYS", "N", "days transcripts are kept (30)",
       IntInto(&ServerOptions::retention_days, 1, 36500)},
      {"--purge-interval", "STEADY_PURGE_INTERVAL", "SECONDS",
       "how often expired transcripts are purged (3600)",
       IntInto(&ServerOptions::purge_interval_seconds, 1, 86400)},
      {"--sync-every-commit", "STEADY_SYNC_EVERY_COMMIT", nullptr,
       "fsync every turn (survives power loss; slower)",
       [](const std::string& v, ServeConfig* c) { return Truthy(v, &c->sync_every_commit); }},
      {"--no-access-log", "STEADY_NO_ACCESS_LOG", nullptr,
       "no JSON line per request on stderr",
       [](const std::string& v, ServeConfig* c) {
         bool off = false;
         if (!Truthy(v, &off)) return false;
         c->server.access_log = !off;
         return true;
       }},
      {"--escalation-url", "STEADY_ESCALATION_URL", "URL",
       "POST a signed event for every crisis turn to this http(s) URL (off)",
       [](const std::string& v, ServeConfig* c) {
         HttpUrl parsed;
         std::string ignored;
         if (!ParseHttpUrl(v, &parsed, &ignored)) return false;
         c->escalation.url = v;
         return true;
       }},
      {"--escalation-secret", "STEADY_ESCALATION_SECRET", "SECRET",
       "key of the events' HMAC-SHA256 signature; 16+ characters (required with a URL)",
       [](const std::string& v, ServeConfig* c) {
         if (v.size() < 16) return false;
         c->escalation.secret = v;
         return true;
       }},
      {"--escalation-include-text", "STEADY_ESCALATION_INCLUDE_TEXT", nullptr,
       "put the person's message in the event (off: category, time and session only)",
       [](const std::string& v, ServeConfig* c) { return Truthy(v, &c->escalation.include_text); }},
      {"--escalation-retry-seconds", "STEADY_ESCALATION_RETRY_SECONDS", "SECONDS",
       "first retry of a failed delivery; doubles each time (2)",
       [](const std::string& v, ServeConfig* c) {
         long n = 0;
         if (!ParseLong(v, 1, 3600, &n)) return false;
         c->escalation.initial_backoff_seconds = static_cast<int>(n);
         return true;
       }},
      {"--escalation-max-retry-seconds", "STEADY_ESCALATION_MAX_RETRY_SECONDS", "SECONDS",
       "longest wait between retries (900)",
       [](const std::string& v, ServeConfig* c) {
         long n = 0;
         if (!ParseLong(v, 1, 86400, &n)) return false;
         c->escalation.max_backoff_seconds = static_cast<int>(n);
         return true;
       }},
      {"--escalation-timeout", "STEADY_ESCALATION_TIMEOUT", "SECONDS",
       "time one delivery attempt may take (10)",
       [](const std::string& v, ServeConfig* c) {
         long n = 0;
         if (!ParseLong(v, 1, 300, &n)) return false;
         c->escalation.timeout_seconds = static_cast<int>(n);
         return true;
       }},
      {"--telegram-secret", "STEADY_TELEGRAM_SECRET", "TOKEN",
       "enables POST /v1/adapters/telegram: the secret_token given to setWebhook "
       "(1-256 of A-Z a-z 0-9 _ -; off)",
       [](const std::string& v, ServeConfig* c) {
         if (!IsValidTelegramSecret(v)) return false;
         c->adapters.telegram_secret = v;
         return true;
       }},
      {"--twilio-auth-token", "STEADY_TWILIO_AUTH_TOKEN", "TOKEN",
       "enables POST /v1/adapters/twilio/sms: the Twilio account's auth token (off)",
       [](const std::string& v, ServeConfig* c) {
         if (!IsValidTwilioAuthToken(v)) return false;
         c->adapters.twilio_auth_token = v;
         return true;
       }},
      {"--public-url", "STEADY_PUBLIC_URL", "URL",
       "this server's address as Twilio calls it, https://host[/prefix] (none)",
       [](const std::string& v, ServeConfig* c) {
         if (!IsValidPublicUrl(v)) return false;
         c->adapters.public_url = v;
         return true;
       }},
      {"--secret", "STEADY_SECRET", "SECRET",
       "key for hashing platform user ids, 32+ characters (default: steady.secret "
       "next to the database, made on first use)",
       [](const std::string& v, ServeConfig* c) {
         if (!IsValidServerSecret(v)) return false;
         c->adapters.secret = v;
         return true;
       }},
  };
  return specs;
}

const OptionSpec* FindSpec(const std::string& flag) {
  for (const OptionSpec& spec : Specs()) {
    if (flag == spec.flag) return &spec;
  }
  return nullptr;
}

std::string BadValue(const OptionSpec& spec, const std::string& from) {
  return std::string("bad value for ") + from + " (" + spec.help + ")";
}

}  // namespace

bool ParseServeOptions(const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env, ServeConfig* config,
                       std::string* error) {
  // The environment first, so flags override it.
  for (const OptionSpec& spec : Specs()) {
    auto it = env.find(spec.env);
    if (it == env.end()) continue;
    if (std::string(spec.flag) == "--allow-origin") {
      std::string list = it->second;
      size_t start = 0;
      while (start <= list.size()) {
        size_t comma = list.find(',', start);
        std::string item = list.substr(start, comma == std::string::npos ? comma : comma - start);
        while (!item.empty() && item.front() == ' ') item.erase(item.begin());
        while (!item.empty() && item.back() == ' ') item.pop_back();
        if (!item.empty() && !spec.set(item, config)) {
          *error = BadValue(spec, spec.env);
          return false;
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      continue;
    }
    if (!spec.set(it->second, config)) {
      *error = BadValue(spec, spec.env);
      return false;
    }
  }

  bool origins_from_flags = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::string value;
    bool has_value = false;
    if (size_t eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      has_value = true;
    }
    if (flag == "-h" || flag == "--help") {
      config->help = true;
      continue;
    }
    const OptionSpec* spec = FindSpec(flag);
    if (spec == nullptr) {
      *error = "unknown option '" + flag + "' (see steady serve --help)";
      return false;
    }
    if (spec->value_name == nullptr) {
      if (has_value) {
        *error = flag + " takes no value";
        return false;
      }
      value = "1";
    } else if (!has_value) {
      if (i + 1 >= args.size()) {
        *error = flag + " needs a value";
        return false;
      }
      value = args[++i];
    }
    if (flag == "--allow-origin" && !origins_from_flags) {
      config->server.allow_origins.clear();  // flags replace the environment's list
      origins_from_flags = true;
    }
    if (!spec->set(value, config)) {
      *error = BadValue(*spec, flag);
      return false;
    }
  }
  // Options that only make sense together.
  if (config->escalation.enabled() && config->escalation.secret.empty()) {
    *error = "--escalation-url needs --escalation-secret (events are signed)";
    return false;
  }
  if (config->escalation.max_backoff_seconds < config->escalation.initial_backoff_seconds) {
    *error = "--escalation-max-retry-seconds is shorter than --escalation-retry-seconds";
    return false;
  }
  if (!config->adapters.twilio_auth_token.empty() && config->adapters.public_url.empty()) {
    *error = "--twilio-auth-token needs --public-url, the address Twilio calls (it signs it)";
    return false;
  }
  return true;
}

std::map<std::string, std::string> ServeEnvironment() {
  std::map<std::string, std::string> env;
  for (const OptionSpec& spec : Specs()) {
    if (const char* v = std::getenv(spec.env)) env[spec.env] = v;
  }
  return env;
}

void PrintServeHelp(std::ostream& out) {
  out << "usage: steady serve [options]\n"
         "\n"
         "Serves the HTTP chat API (docs/api.md). Every option can also be set by\n"
         "the environment variable shown; a flag wins over its variable.\n"
         "\n";
  for (const OptionSpec& spec : Specs()) {
    std::string left = std::string(spec.flag) + (spec.value_name ? " " : "") +
                       (spec.value_name ? spec.value_name : "");
    out << "  " << std::left << std::setw(30) << left << spec.help << "\n"
        << "  " << std::setw(30) << "" << "env " << spec.env << "\n";
  }
  out << "\nSignals: SIGTERM/SIGINT stop gracefully; SIGHUP reloads the content\n"
         "(content that fails validation is refused and the old content keeps serving).\n";
}

}  // namespace steady
