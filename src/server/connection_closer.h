// CloseConnection: ends one client connection from inside cpp-httplib's
// request loop, after its response was written.
//
// Why: a request refused before its body is read (a chunked or compressed
// body: Debian's cpp-httplib 0.11.4 applies no size limit to either) leaves
// that body in the socket, and the library, keeping the connection alive,
// would read it as the next request, so a body could smuggle in a request
// of its own. 0.11.4 offers no way for a handler to close the connection
// (only the client's "Connection: close" does). So, once the response is
// out (from the request logger), the socket is found by its addresses among
// this process's open descriptors; its sending side is shut so the client
// sees the response end; what the client already sent is read and dropped
// for a moment; and the descriptor is swapped, atomically with dup2, for an
// unconnected socket, which the library then fails to read and closes.
//
// Costs a scan of the open descriptors and up to `drain_ms`, so it is for
// rare refusals only.
#ifndef STEADY_SERVER_CONNECTION_CLOSER_H_
#define STEADY_SERVER_CONNECTION_CLOSER_H_

#include <string>

namespace steady {

// Closes the TCP connection of this process whose local port is
// `local_port` and whose peer is `peer_addr`:`peer_port`, as described
// above. Returns whether it was found.
bool CloseConnection(int local_port, const std::string& peer_addr, int peer_port,
                     int drain_ms = 200);

}  // namespace steady

#endif  // STEADY_SERVER_CONNECTION_CLOSER_H_
