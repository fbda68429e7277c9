// web/app/scenario_edit.cpp — scenario JSON helpers for the simulation panel.
#include "scenario_edit.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <utility>
#include <vector>

#include "leadflow/text.hpp"

namespace leadflow::web {

namespace {

double round4(double v) {
    return std::round(v * 10000.0) / 10000.0;
}

}  // namespace

void rebalance_outcomes(std::array<double, 5>& p, int changed, double value) {
    if (changed < 0 || changed >= 5) return;
    const auto c = static_cast<std::size_t>(changed);
    if (!(value >= 0)) value = 0;  // also NaN
    if (value > 1) value = 1;
    value = round4(value);
    double others = 0;
    for (std::size_t i = 0; i < 5; ++i) {
        if (i != c) others += p[i] > 0 ? p[i] : 0;
    }
    const double rest = 1.0 - value;
    std::size_t largest = c == 0 ? 1 : 0;
    for (std::size_t i = 0; i < 5; ++i) {
        if (i == c) continue;
        const double old = p[i] > 0 ? p[i] : 0;
        p[i] = round4(others > 0 ? old * rest / others : rest / 4.0);
        if (p[i] > p[largest] || largest == c) largest = i;
    }
    p[c] = value;
    // Rounding remainder (a multiple of 1e-4 up to float noise) onto the largest other value.
    double sum = 0;
    for (double v : p) sum += v;
    p[largest] = round4(p[largest] + (1.0 - sum));
    if (p[largest] < 0) p[largest] = 0;
}

std::array<double, 5> scenario_outcomes(const Json& scenario, const std::string& node_id) {
    if (!scenario.is_object() || !scenario.contains("nodes") || !scenario["nodes"].is_object() ||
        !scenario["nodes"].contains(node_id)) {
        return kDefaultOutcomes;
    }
    const Json& m = scenario["nodes"][node_id];
    if (!m.is_object() || !m.contains("outcomes") || !m["outcomes"].is_object()) {
        return kDefaultOutcomes;
    }
    std::array<double, 5> p{};
    for (std::size_t i = 0; i < 5; ++i) p[i] = number_at(m["outcomes"], kScenarioOutcomes[i], 0);
    return p;
}

void set_scenario_outcomes(Json& scenario, const std::string& node_id,
                           const std::array<double, 5>& p) {
    Json o = Json::object();
    for (std::size_t i = 0; i < 5; ++i) set_number(o, kScenarioOutcomes[i], p[i]);
    scenario_node(scenario, node_id)["outcomes"] = o;
}

Json& scenario_node(Json& scenario, const std::string& node_id) {
    if (!scenario.is_object()) scenario = Json::object();
    if (!scenario.contains("nodes") || !scenario["nodes"].is_object()) {
        scenario["nodes"] = Json::object();
    }
    Json& n = scenario["nodes"][node_id];
    if (!n.is_object()) n = Json::object();
    return n;
}

double number_at(const Json& j, const char* key, double fallback) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return fallback;
    return j[key].get<double>();
}

void set_number(Json& j, const char* key, double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9e15) {
        j[key] = static_cast<std::int64_t>(v);
    } else {
        j[key] = v;
    }
}

void normalize_phone_shares(Json& mix) {
    if (!mix.is_array() || mix.empty()) return;
    constexpr double kSteps = 10000.0;  // the 1e-4 grid
    std::vector<double> weight(mix.size(), 0.0);
    double total = 0;
    for (std::size_t i = 0; i < mix.size(); ++i) {
        const double w = number_at(mix[i], "share", 0);
        weight[i] = std::isfinite(w) && w > 0 ? w : 0;
        total += weight[i];
    }
    if (!(total > 0) || !std::isfinite(total)) {
        std::fill(weight.begin(), weight.end(), 1.0);
        total = static_cast<double>(weight.size());
    }
    // Largest remainders: every row gets the grid steps below its exact share, then the steps
    // left go one each to the rows with the largest fractions (the first of equal ones).
    std::vector<std::int64_t> steps(mix.size());
    std::vector<std::pair<double, std::size_t>> fraction(mix.size());
    std::int64_t given = 0;
    for (std::size_t i = 0; i < mix.size(); ++i) {
        const double exact = weight[i] / total * kSteps;
        steps[i] = static_cast<std::int64_t>(std::floor(exact));
        fraction[i] = {exact - static_cast<double>(steps[i]), i};
        given += steps[i];
    }
    std::stable_sort(fraction.begin(), fraction.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; given < static_cast<std::int64_t>(kSteps); ++k, ++given) {
        ++steps[fraction[k % fraction.size()].second];
    }
    for (std::size_t i = 0; i < mix.size(); ++i) {
        if (!mix[i].is_object()) mix[i] = Json::object();
        set_number(mix[i], "share", static_cast<double>(steps[i]) / kSteps);
    }
}

Result<Json> parse_value_list(std::string_view text) {
    Json out = Json::object();
    std::set<std::string> seen;
    double sum = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t comma = text.find(',', pos);
        if (comma == std::string_view::npos) comma = text.size();
        const std::string part = trim(text.substr(pos, comma - pos));
        pos = comma + 1;
        if (part.empty()) {
            if (comma == text.size()) break;
            continue;
        }
        std::size_t eq = part.find('=');
        if (eq == std::string::npos) eq = part.rfind(':');
        if (eq == std::string::npos) {
            return Status::invalid("'" + part + "': write value=probability");
        }
        const std::string name = trim(std::string_view(part).substr(0, eq));
        const std::string num = trim(std::string_view(part).substr(eq + 1));
        if (name.empty()) return Status::invalid("'" + part + "': the value has no name");
        if (!seen.insert(name).second) return Status::invalid("'" + name + "' appears twice");
        char* end = nullptr;
        const double p = std::strtod(num.c_str(), &end);
        if (num.empty() || end == nullptr || *end != '\0' || !(p >= 0 && p <= 1)) {
            return Status::invalid("'" + name + "': the probability must be a number from 0 to 1");
        }
        set_number(out, name.c_str(), p);
        sum += p;
    }
    if (out.empty()) return Status::invalid("no values given (write a=0.6, b=0.4)");
    if (std::fabs(sum - 1.0) > 1e-6) {
        Json s = sum;
        return Status::invalid("the probabilities sum to " + s.dump() + ", not 1");
    }
    return out;
}

std::string format_value_list(const Json& values) {
    std::string out;
    if (!values.is_object()) return out;
    for (auto it = values.begin(); it != values.end(); ++it) {
        if (!out.empty()) out += ", ";
        out += it.key() + "=" + it.value().dump();
    }
    return out;
}

}  // namespace leadflow::web
