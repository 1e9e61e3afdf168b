// A small parser for subcommand arguments: "--name VALUE", "--name=VALUE",
// boolean "--flag", positionals, and "--" to end options.
#ifndef STEADY_CLI_ARG_PARSER_H_
#define STEADY_CLI_ARG_PARSER_H_

#include <map>
#include <set>
#include <string>
#include <vector>

namespace steady {

struct ParsedArgs {
  std::map<std::string, std::string> values;  // "--db" -> "var/steady.db"
  std::set<std::string> flags;                // "--json"
  std::vector<std::string> positional;

  std::string Value(const std::string& name, const std::string& fallback = "") const {
    auto it = values.find(name);
    return it == values.end() ? fallback : it->second;
  }
  bool Has(const std::string& flag) const { return flags.count(flag) > 0; }
};

// `value_options` take a value, `flag_options` do not. Unknown options and a
// missing value are errors: returns false with a one-line *error.
bool ParseArgs(const std::vector<std::string>& args, const std::set<std::string>& value_options,
               const std::set<std::string>& flag_options, ParsedArgs* out, std::string* error);

}  // namespace steady

#endif  // STEADY_CLI_ARG_PARSER_H_
