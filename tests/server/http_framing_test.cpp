// A refused request's body is never read as the next request on the same
// connection (request smuggling), whatever the refusal.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "server/api_helpers.h"
#include "support/server_process.h"

namespace steady::testing {
namespace {

// Sends `request` on a fresh connection (then `later`, after a pause, if
// given), reads for up to a second and returns the status codes of every
// response that came back.
std::vector<std::string> RawExchange(int port, const std::string& request,
                                     const std::string& later = "") {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval timeout{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  if (!later.empty()) {
    usleep(200 * 1000);
    send(fd, later.data(), later.size(), MSG_NOSIGNAL);
  }
  std::string received;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) received.append(buf, static_cast<size_t>(n));
  close(fd);
  std::vector<std::string> statuses;
  for (size_t at = received.find("HTTP/1.1 "); at != std::string::npos;
       at = received.find("HTTP/1.1 ", at + 1)) {
    statuses.push_back(received.substr(at + 9, 3));
  }
  return statuses;
}

}  // namespace

TEST_CASE("a refused body is never run as a second request", "[server]") {
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db")});
  httplib::Client client = server.Client();
  const std::string id = StartConversation(client);
  // The hidden request arrives in a later packet than the refused one, as
  // it would from a proxy forwarding another client's request.
  const std::string hidden = "DELETE /v1/sessions/" + id + " HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string head = "POST /v1/sessions/" + id + "/messages HTTP/1.1\r\nHost: x\r\n"
                           "Content-Type: application/json\r\n";

  SECTION("a compressed body") {
    RawExchange(server.port(), head + "Content-Encoding: gzip\r\nContent-Length: " +
                                   std::to_string(hidden.size()) + "\r\n\r\n",
                hidden);
  }
  SECTION("a body over the size limit") {
    RawExchange(server.port(), head + "Content-Length: 70000\r\n\r\n", hidden);
  }
  SECTION("a method the route doesn't take") {
    RawExchange(server.port(), "PUT /v1/sessions/" + id + " HTTP/1.1\r\nHost: x\r\n"
                               "Content-Length: " + std::to_string(hidden.size()) +
                               "\r\n\r\n",
                hidden);
  }
  SECTION("a chunked body") {
    RawExchange(server.port(), head + "Transfer-Encoding: chunked\r\n\r\n", hidden);
  }
  CHECK(client.Get("/v1/sessions/" + id)->status == 200);  // not deleted
}

TEST_CASE("a body refused by the rate limit is never run as a second request", "[server]") {
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db"), "--address-rate", "1", "--address-burst", "2"});
  httplib::Client client = server.Client();
  const std::string id = StartConversation(client);  // the first of two tokens
  const std::string hidden = "DELETE /v1/sessions/" + id + " HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string head = "POST /v1/sessions/" + id + "/messages HTTP/1.1\r\nHost: x\r\n"
                           "Content-Type: application/json\r\nContent-Length: " +
                           std::to_string(hidden.size()) + "\r\n\r\n";
  RawExchange(server.port(), head, hidden);  // the second token: a 400, body read
  std::vector<std::string> limited = RawExchange(server.port(), head, hidden);
  CHECK(limited.size() == 1);
  CHECK(limited.front() == "429");
  CHECK(client.Get("/healthz")->status == 200);
  // The session is still there (GET is limited too, so read it from the file).
  ServerProcess reader({"--db", dir.File("s.db")});
  CHECK(reader.Client().Get("/v1/sessions/" + id)->status == 200);
}

TEST_CASE("two requests on one kept-alive connection are both answered", "[server]") {
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db")});
  std::vector<std::string> statuses =
      RawExchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
                  "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(statuses == std::vector<std::string>{"200", "200"});
}

TEST_CASE("a refused chunked body still gets its answer, and the connection closes",
          "[server]") {
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db")});
  std::vector<std::string> statuses = RawExchange(
      server.port(),
      "POST /v1/sessions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(statuses == std::vector<std::string>{"411"});
  CHECK(server.Client().Get("/healthz")->status == 200);  // the server is fine
}

}  // namespace steady::testing
