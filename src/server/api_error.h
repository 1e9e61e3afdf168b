// ApiError: a refusal the client can act on, as DESIGN.md shapes it:
//   {"error": {"code": "snake_case", "message": "human sentence"}}
// The message is for the person or developer reading it; it never holds
// message text, session ids or internal details.
#ifndef STEADY_SERVER_API_ERROR_H_
#define STEADY_SERVER_API_ERROR_H_

#include <string>

namespace steady {

struct ApiError {
  int status = 0;    // HTTP status
  std::string code;  // stable, snake_case; clients switch on it
  std::string message;

  bool ok() const { return status == 0; }
  // The JSON body.
  std::string Body() const;
};

// The error body for a status the HTTP library produced on its own (a
// route that doesn't exist, a request it could not parse...).
ApiError ErrorForStatus(int status);

}  // namespace steady

#endif  // STEADY_SERVER_API_ERROR_H_
