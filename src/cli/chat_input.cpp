#include "cli/chat_input.h"

#include <unistd.h>

#include <iostream>

namespace steady {

int ForEachChatLine(std::istream& in, std::ostream& out,
                    const std::function<int(int, const std::string&)>& handle) {
  const bool interactive = isatty(STDIN_FILENO) && &in == &std::cin;
  std::string line;
  for (int number = 1;; ++number) {
    if (interactive) out << "you> " << std::flush;
    if (!std::getline(in, line)) return 0;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!interactive) out << "you: " << line << "\n";
    const int rc = handle(number, line);
    out.flush();
    if (rc >= 0) return rc;
  }
}

}  // namespace steady
