// web/app/share_link.cpp — share-link payloads for the editor (graph + scenario + view).
#include "share_link.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "leadflow/scenario.hpp"
#include "leadflow/share.hpp"
#include "leadflow/wire.hpp"

namespace leadflow::web {

namespace {

// Rounded numbers keep links short; integers are written without a fraction.
Json rounded(double v, double unit) {
    const double r = std::round(v / unit) * unit;
    if (r == std::floor(r) && std::fabs(r) < 1e15) return static_cast<std::int64_t>(r);
    // Re-parse the shortest decimal form so 0.1-steps do not carry binary noise.
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", r);
    return std::strtod(buf, nullptr);
}

}  // namespace

Json link_view_json(const LinkView& v) {
    Json j = Json::object();
    j["center"] = Json::array({rounded(v.center.x, 0.1), rounded(v.center.y, 0.1)});
    // Three significant digits at least: zoom goes down to 0.01% (fit view of huge graphs), where
    // a fixed 0.001 step would round it to 0 and the link would lose its view.
    double zoom_unit = 0.001;
    if (v.zoom > 0)
        zoom_unit = std::min(zoom_unit, std::pow(10.0, std::floor(std::log10(v.zoom)) - 2));
    j["zoom"] = rounded(v.zoom, zoom_unit);
    if (!v.panel.empty()) j["panel"] = v.panel;
    return j;
}

std::optional<LinkView> link_view_from_json(const Json& j) {
    if (!j.is_object() || !j.contains("center") || !j.contains("zoom")) return std::nullopt;
    const Json& c = j["center"];
    const Json& z = j["zoom"];
    if (!c.is_array() || c.size() != 2 || !c[0].is_number() || !c[1].is_number() ||
        !z.is_number()) {
        return std::nullopt;
    }
    LinkView v;
    v.center = {c[0].get<float>(), c[1].get<float>()};
    v.zoom = z.get<float>();
    if (!std::isfinite(v.center.x) || !std::isfinite(v.center.y) || !std::isfinite(v.zoom) ||
        v.zoom <= 0) {
        return std::nullopt;
    }
    if (j.contains("panel") && j["panel"].is_string()) v.panel = j["panel"].get<std::string>();
    return v;
}

std::string make_share_fragment(const Graph& graph, const Json& scenario, const LinkView& view) {
    SharePayload p;
    p.graph = to_json(graph);
    p.scenario = scenario;
    p.view = link_view_json(view);
    return encode_share_fragment(p);
}

Result<OpenedLink> open_share_fragment(std::string_view fragment) {
    Result<SharePayload> p = decode_share_fragment(fragment);
    if (!p.ok()) return p.status();
    Result<Graph> g = graph_from_json(p->graph);
    if (!g.ok()) {
        return Status::invalid("This link's workflow cannot be read: " + g.status().message());
    }
    OpenedLink out;
    out.graph = std::move(*g);
    if (!p->scenario.is_null()) {
        Result<Scenario> s = parse_scenario(p->scenario);
        if (!s.ok()) {
            return Status::invalid("This link's scenario is invalid: " + s.status().message());
        }
        out.scenario = p->scenario;
    }
    out.view = link_view_from_json(p->view);
    return out;
}

}  // namespace leadflow::web
