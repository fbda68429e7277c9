// server/main.cpp — leadflow-server entry point (see cli.hpp).
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    return leadflow::server::run_cli(args, std::cout, std::cerr);
}
