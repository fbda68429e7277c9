// server/cli_options.cpp — see cli_internal.hpp.
#include <ostream>

#include "cli_internal.hpp"

namespace leadflow::server {

bool parse_options(const std::vector<std::string>& args, std::size_t start,
                   const std::vector<std::string>& allowed, CliOptions* out, std::ostream& err) {
    for (std::size_t i = start; i < args.size(); ++i) {
        const std::string& a = args[i];
        std::string name, value;
        auto eq = a.find('=');
        if (a.rfind("--", 0) != 0) {
            err << "leadflow-server: unexpected argument '" << a << "'\n";
            return false;
        }
        if (eq != std::string::npos) {
            name = a.substr(2, eq - 2);
            value = a.substr(eq + 1);
        } else {
            name = a.substr(2);
            if (i + 1 >= args.size()) {
                err << "leadflow-server: --" << name << " needs a value\n";
                return false;
            }
            value = args[++i];
        }
        bool known = false;
        for (const auto& n : allowed) known = known || n == name;
        if (!known) {
            err << "leadflow-server: unknown option --" << name << " (see --help)\n";
            return false;
        }
        (*out)[name] = value;
    }
    return true;
}

int store_error(const Status& s, std::ostream& err) {
    err << "leadflow-server: " << s.message() << "\n";
    if (s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound ||
        s.code() == StatusCode::kFailedPrecondition) {
        return 2;
    }
    return 1;
}

}  // namespace leadflow::server
