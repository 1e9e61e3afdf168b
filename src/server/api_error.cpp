#include "server/api_error.h"

#include <nlohmann/json.hpp>

namespace steady {

std::string ApiError::Body() const {
  nlohmann::json j = {{"error", {{"code", code}, {"message", message}}}};
  return j.dump();
}

ApiError ErrorForStatus(int status) {
  switch (status) {
    case 400:
      return {400, "bad_request", "The request could not be read."};
    case 404:
      return {404, "not_found", "There is nothing at this address."};
    case 405:
      return {405, "method_not_allowed", "This address does not take that method."};
    case 408:
      return {408, "request_timeout", "The request took too long to arrive."};
    case 411:
      return {411, "length_required", "Send the body with a Content-Length, not chunked."};
    case 413:
      return {413, "body_too_large", "The request body is too large."};
    case 414:
      return {414, "uri_too_long", "The address is too long."};
    case 415:
      return {415, "unsupported_media_type", "Send JSON with Content-Type: application/json."};
    case 416:
      return {416, "range_not_satisfiable", "Ranges are not supported here."};
    case 431:
      return {431, "headers_too_large", "The request headers are too large."};
    case 429:
      return {429, "too_many_requests", "Too many requests; wait a moment and try again."};
    case 503:
      return {503, "unavailable", "The service is not available right now; try again soon."};
    default:
      break;
  }
  if (status >= 500) return {status, "internal", "Something went wrong on our side."};
  return {status, "bad_request", "The request could not be handled."};
}

}  // namespace steady
