// JSON codec for the wire format. Decoders check every type and name the offending field;
// unknown keys go to `extra` so that nothing a client or a newer version sent is lost.
#include "leadflow/wire.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "leadflow/civil_time.hpp"

namespace leadflow {

// [SECTION] Field reader

namespace {

// Reads the fields of one JSON object, remembering which keys were consumed and recording the
// first error with the field's full path.
class Reader {
  public:
    Reader(const Json& j, std::string path) : j_(j), path_(std::move(path)) {
        if (!j_.is_object()) fail_at(path_, "expected an object, got " + type_of(j_));
    }

    bool ok() const { return status_.is_ok(); }
    const Status& status() const { return status_; }
    bool has(const char* key) const { return j_.is_object() && j_.contains(key); }
    const Json* get(const char* key) {
        if (!j_.is_object()) return nullptr;
        auto it = j_.find(key);
        if (it == j_.end()) return nullptr;
        used_.insert(key);
        return &*it;
    }
    std::string field(const char* key) const { return path_.empty() ? key : path_ + "." + key; }

    void fail_at(const std::string& where, const std::string& why) {
        if (status_.is_ok()) status_ = Status::invalid(where + ": " + why);
    }
    void fail(const char* key, const std::string& why) { fail_at(field(key), why); }

    static std::string type_of(const Json& v) {
        if (v.is_number()) return "number";
        return v.type_name();
    }

    // A required or optional string. Absent: returns false and leaves `out` unchanged.
    bool str(const char* key, std::string& out, bool required = false) {
        const Json* v = get(key);
        if (!v) {
            if (required) fail(key, "is required");
            return false;
        }
        if (!v->is_string()) {
            fail(key, "expected a string, got " + type_of(*v));
            return false;
        }
        out = v->get<std::string>();
        return true;
    }
    // String or null.
    void opt_str(const char* key, std::optional<std::string>& out) {
        const Json* v = get(key);
        if (!v || v->is_null()) return;
        if (!v->is_string()) return fail(key, "expected a string or null, got " + type_of(*v));
        out = v->get<std::string>();
    }
    void number(const char* key, double& out) {
        const Json* v = get(key);
        if (!v || v->is_null()) return;
        if (!v->is_number()) return fail(key, "expected a number, got " + type_of(*v));
        out = v->get<double>();
        if (!std::isfinite(out)) fail(key, "must be finite");
    }
    bool integer(const char* key, std::int64_t& out) {
        const Json* v = get(key);
        if (!v || v->is_null()) return false;
        if (v->is_number_integer()) {
            out = v->get<std::int64_t>();
            return true;
        }
        if (v->is_number_float()) {
            const double d = v->get<double>();
            if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) {
                out = static_cast<std::int64_t>(d);
                return true;
            }
        }
        fail(key, "expected an integer, got " + (v->is_number() ? v->dump() : type_of(*v)));
        return false;
    }
    void boolean(const char* key, bool& out) {
        const Json* v = get(key);
        if (!v || v->is_null()) return;
        if (!v->is_boolean()) return fail(key, "expected true or false, got " + type_of(*v));
        out = v->get<bool>();
    }
    void timestamp(const char* key, std::optional<TimeMs>& out) {
        const Json* v = get(key);
        if (!v || v->is_null()) return;
        if (!v->is_string()) return fail(key, "expected an ISO-8601 string, got " + type_of(*v));
        auto t = parse_timestamp(v->get<std::string>());
        if (!t.ok()) return fail(key, t.status().message());
        out = *t;
    }
    // Every key not consumed, in input order.
    Json rest() const {
        Json extra = Json::object();
        if (!j_.is_object()) return extra;
        for (auto it = j_.begin(); it != j_.end(); ++it) {
            if (!used_.count(it.key())) extra[it.key()] = it.value();
        }
        return extra;
    }

  private:
    const Json& j_;
    std::string path_;
    std::set<std::string> used_;
    Status status_;
};

Json time_or_null(const std::optional<TimeMs>& t) {
    return t ? Json(format_timestamp(*t)) : Json(nullptr);
}
Json str_or_null(const std::optional<std::string>& s) {
    return s ? Json(*s) : Json(nullptr);
}

// Canvas coordinates are usually whole numbers: write them without a fraction ("120", not
// "120.0") so documents and share links stay short and read as they were written.
Json number(double v) {
    if (v == std::floor(v) && std::fabs(v) < 9.0e15) return Json(static_cast<std::int64_t>(v));
    return Json(v);
}

void append_extra(Json& out, const Json& extra) {
    if (!extra.is_object()) return;
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        if (!out.contains(it.key())) out[it.key()] = it.value();
    }
}

// Lead variables are strings; scalars are accepted and kept as their text.
bool scalar_text(const Json& v, std::string& out) {
    if (v.is_string())
        out = v.get<std::string>();
    else if (v.is_boolean())
        out = v.get<bool>() ? "true" : "false";
    else if (v.is_number())
        out = v.dump();
    else if (v.is_null())
        out.clear();
    else
        return false;
    return true;
}

}  // namespace

// [SECTION] Parsing

Status check_json_limits(std::string_view text, const JsonLimits& limits) {
    // Per open container: whether it is an array, and how many elements it has seen so far
    // (commas + 1 once a value started). Depth is bounded by max_depth, so is the stack.
    struct Open {
        bool array = false;
        bool has_value = false;
        std::size_t elements = 0;
    };
    std::vector<Open> open;
    open.reserve(static_cast<std::size_t>(std::max(limits.max_depth, 0)) + 1);
    bool in_string = false;
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n; ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
        if (c == ']' || c == '}') {
            if (!open.empty()) open.pop_back();
            continue;
        }
        if (c == ',') {
            if (!open.empty()) open.back().has_value = false;
            continue;
        }
        if (c == ':') continue;
        // The start of a value (or of an object key, which counts for nothing).
        if (!open.empty() && open.back().array && !open.back().has_value) {
            open.back().has_value = true;
            if (limits.max_array_elements > 0 &&
                ++open.back().elements > limits.max_array_elements) {
                return Status::invalid("JSON array with more than " +
                                       std::to_string(limits.max_array_elements) +
                                       " elements at byte " + std::to_string(i));
            }
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (static_cast<int>(open.size()) >= limits.max_depth) {
                return Status::invalid("JSON nesting deeper than " +
                                       std::to_string(limits.max_depth) + " levels at byte " +
                                       std::to_string(i));
            }
            open.push_back({c == '[', false, 0});
        }
    }
    return Status::ok();
}

Result<Json> parse_json(std::string_view text, const JsonLimits& limits) {
    if (Status s = check_json_limits(text, limits); !s) return s;
    try {
        return Json::parse(text.begin(), text.end());
    } catch (const Json::parse_error& e) {
        std::string what = e.what();
        // "[json.exception.parse_error.101] parse error at line 1, column 2: …" → keep the tail.
        const auto p = what.find("parse error");
        if (p != std::string::npos) what = what.substr(p);
        return Status::invalid("malformed JSON: " + what);
    } catch (const std::exception& e) {
        return Status::invalid(std::string("malformed JSON: ") + e.what());
    }
}

// [SECTION] Settings

Json to_json(const Settings& s) {
    Json j = Json::object();
    j["timezone"] = s.timezone;
    if (s.calling_window) {
        Json w = Json::object();
        w["days"] = s.calling_window->days;
        w["start"] = s.calling_window->start;
        w["end"] = s.calling_window->end;
        j["calling_window"] = w;
    } else {
        j["calling_window"] = nullptr;
    }
    j["respect_lead_local_time"] = s.respect_lead_local_time;
    j["local_calling_hours"] =
        Json{{"start", s.local_calling_hours.start}, {"end", s.local_calling_hours.end}};
    j["max_concurrent_calls"] =
        s.max_concurrent_calls ? Json(*s.max_concurrent_calls) : Json(nullptr);
    j["max_steps_per_lead"] = s.max_steps_per_lead;
    j["auto_complete"] = s.auto_complete;
    j["default_region"] = s.default_region;
    append_extra(j, s.extra);
    return j;
}

Result<Settings> settings_from_json(const Json& j, const std::string& path) {
    Settings s;
    if (j.is_null()) return s;
    Reader r(j, path);
    r.str("timezone", s.timezone);
    if (const Json* w = r.get("calling_window"); w && !w->is_null()) {
        Reader wr(*w, r.field("calling_window"));
        CallingWindow cw;
        if (const Json* days = wr.get("days")) {
            if (!days->is_array()) {
                wr.fail("days", "expected an array of day names, got " + Reader::type_of(*days));
            } else {
                for (std::size_t i = 0; i < days->size(); ++i) {
                    const Json& d = (*days)[i];
                    if (!d.is_string()) {
                        wr.fail_at(wr.field("days") + "[" + std::to_string(i) + "]",
                                   "expected a day name like \"mon\", got " + Reader::type_of(d));
                        break;
                    }
                    cw.days.push_back(d.get<std::string>());
                }
            }
        } else {
            cw.days = {"mon", "tue", "wed", "thu", "fri"};
        }
        wr.str("start", cw.start);
        wr.str("end", cw.end);
        if (!wr.ok()) return wr.status();
        s.calling_window = cw;
    }
    r.boolean("respect_lead_local_time", s.respect_lead_local_time);
    if (const Json* h = r.get("local_calling_hours"); h && !h->is_null()) {
        Reader hr(*h, r.field("local_calling_hours"));
        hr.str("start", s.local_calling_hours.start);
        hr.str("end", s.local_calling_hours.end);
        if (!hr.ok()) return hr.status();
    }
    std::int64_t v = 0;
    if (r.integer("max_concurrent_calls", v)) {
        if (v < 1)
            r.fail("max_concurrent_calls", "must be at least 1 (or null = unlimited)");
        else
            s.max_concurrent_calls = static_cast<int>(v);
    }
    if (r.integer("max_steps_per_lead", v)) {
        if (v < 1 || v > 1000000)
            r.fail("max_steps_per_lead", "must be between 1 and 1000000");
        else
            s.max_steps_per_lead = static_cast<int>(v);
    }
    r.boolean("auto_complete", s.auto_complete);
    r.str("default_region", s.default_region);
    if (!r.ok()) return r.status();
    s.extra = r.rest();
    return s;
}

// [SECTION] Workflow

Json to_json(const Workflow& w) {
    Json j = Json::object();
    j["id"] = w.id;
    j["organization_id"] = w.organization_id;
    j["title"] = w.title;
    j["description"] = w.description;
    j["status"] = to_string(w.status);
    j["entry_node_id"] = str_or_null(w.entry_node_id);
    j["settings"] = to_json(w.settings);
    if (w.published_version) j["published_version"] = *w.published_version;
    if (w.problems.is_array() && !w.problems.empty()) j["problems"] = w.problems;
    append_extra(j, w.extra);
    j["created_at"] = time_or_null(w.created_at);
    j["updated_at"] = time_or_null(w.updated_at);
    j["activated_at"] = time_or_null(w.activated_at);
    j["completed_at"] = time_or_null(w.completed_at);
    return j;
}

Result<Workflow> workflow_from_json(const Json& j, const std::string& path) {
    Workflow w;
    Reader r(j, path);
    r.str("id", w.id);
    r.str("organization_id", w.organization_id);
    if (!r.str("title", w.title)) r.str("name", w.title);
    if (const Json* d = r.get("description"); d && !d->is_null()) {
        if (!d->is_string())
            r.fail("description", "expected a string, got " + Reader::type_of(*d));
        else
            w.description = d->get<std::string>();
    }
    std::string status;
    if (r.str("status", status)) {
        auto s = parse_workflow_status(status);
        if (!s) {
            r.fail("status", "unknown status '" + status +
                                 "' (draft, active, running, paused, completed, cancelled)");
        } else {
            w.status = *s;
        }
    }
    r.opt_str("entry_node_id", w.entry_node_id);
    if (const Json* s = r.get("settings")) {
        auto settings = settings_from_json(*s, r.field("settings"));
        if (!settings.ok()) return settings.status();
        w.settings = std::move(settings).value();
    }
    r.timestamp("created_at", w.created_at);
    r.timestamp("updated_at", w.updated_at);
    r.timestamp("activated_at", w.activated_at);
    r.timestamp("completed_at", w.completed_at);
    if (const Json* v = r.get("published_version"); v && !v->is_null()) {
        if (!v->is_number_integer())
            r.fail("published_version", "expected an integer, got " + Reader::type_of(*v));
        else
            w.published_version = v->get<std::int64_t>();
    }
    if (const Json* p = r.get("problems"); p && !p->is_null()) {
        if (!p->is_array())
            r.fail("problems", "expected an array, got " + Reader::type_of(*p));
        else
            w.problems = *p;
    }
    if (!r.ok()) return r.status();
    w.extra = r.rest();
    return w;
}

// [SECTION] Nodes and edges

Json to_json(const Node& n) {
    Json j = Json::object();
    j["id"] = n.id;
    j["node_type"] = n.node_type_raw.empty() ? to_string(n.type) : n.node_type_raw;
    j["label"] = n.label;
    j["position_x"] = number(n.position_x);
    j["position_y"] = number(n.position_y);
    j["config"] = n.config;
    append_extra(j, n.extra);
    return j;
}

Result<Node> node_from_json(const Json& j, const std::string& path) {
    Node n;
    Reader r(j, path);
    r.str("id", n.id);
    if (r.str("node_type", n.node_type_raw, /*required=*/true)) {
        n.type = parse_node_type(n.node_type_raw);
        if (n.node_type_raw.empty()) r.fail("node_type", "must not be empty");
    }
    if (const Json* l = r.get("label"); l && !l->is_null()) {
        if (!l->is_string())
            r.fail("label", "expected a string, got " + Reader::type_of(*l));
        else
            n.label = l->get<std::string>();
    }
    r.number("position_x", n.position_x);
    r.number("position_y", n.position_y);
    if (const Json* c = r.get("config"); c && !c->is_null()) {
        if (!c->is_object())
            r.fail("config", "expected an object, got " + Reader::type_of(*c));
        else
            n.config = *c;
    }
    if (!r.ok()) return r.status();
    n.extra = r.rest();
    return n;
}

Json to_json(const Edge& e) {
    Json j = Json::object();
    j["id"] = e.id;
    j["from_node_id"] = e.from_node_id;
    j["to_node_id"] = e.to_node_id;
    j["label"] = str_or_null(e.label);
    j["position"] = e.position;
    append_extra(j, e.extra);
    return j;
}

Result<Edge> edge_from_json(const Json& j, const std::string& path) {
    Edge e;
    Reader r(j, path);
    r.str("id", e.id);
    r.str("from_node_id", e.from_node_id, /*required=*/true);
    r.str("to_node_id", e.to_node_id, /*required=*/true);
    r.opt_str("label", e.label);
    r.integer("position", e.position);
    if (!r.ok()) return r.status();
    e.extra = r.rest();
    return e;
}

// [SECTION] Graph

Json to_json(const Graph& g) {
    Json j = Json::object();
    j["workflow"] = to_json(g.workflow);
    Json nodes = Json::array();
    for (const Node& n : g.nodes) nodes.push_back(to_json(n));
    Json edges = Json::array();
    for (const Edge& e : g.edges) edges.push_back(to_json(e));
    j["nodes"] = std::move(nodes);
    j["edges"] = std::move(edges);
    return j;
}

Result<Graph> graph_from_json(const Json& j) {
    if (!j.is_object()) {
        return Status::invalid("graph: expected an object {workflow, nodes, edges}, got " +
                               Reader::type_of(j));
    }
    Graph g;
    if (j.contains("workflow") && !j["workflow"].is_null()) {
        auto w = workflow_from_json(j["workflow"], "workflow");
        if (!w.ok()) return w.status();
        g.workflow = std::move(w).value();
    }
    std::set<std::string> ids;
    if (j.contains("nodes") && !j["nodes"].is_null()) {
        const Json& nodes = j["nodes"];
        if (!nodes.is_array()) {
            return Status::invalid("nodes: expected an array, got " + Reader::type_of(nodes));
        }
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            const std::string path = "nodes[" + std::to_string(i) + "]";
            auto n = node_from_json(nodes[i], path);
            if (!n.ok()) return n.status();
            if (n->id.empty()) return Status::invalid(path + ".id: is required");
            if (!ids.insert(n->id).second) {
                return Status::invalid(path + ".id: duplicate node id '" + n->id + "'");
            }
            g.nodes.push_back(std::move(n).value());
        }
    }
    if (j.contains("edges") && !j["edges"].is_null()) {
        const Json& edges = j["edges"];
        if (!edges.is_array()) {
            return Status::invalid("edges: expected an array, got " + Reader::type_of(edges));
        }
        std::set<std::string> edge_ids;
        for (std::size_t i = 0; i < edges.size(); ++i) {
            const std::string path = "edges[" + std::to_string(i) + "]";
            auto e = edge_from_json(edges[i], path);
            if (!e.ok()) return e.status();
            if (e->id.empty()) return Status::invalid(path + ".id: is required");
            if (!edge_ids.insert(e->id).second) {
                return Status::invalid(path + ".id: duplicate edge id '" + e->id + "'");
            }
            // Default edge order is list (creation) order.
            if (!edges[i].contains("position") || edges[i]["position"].is_null()) {
                e->position = static_cast<std::int64_t>(i);
            }
            g.edges.push_back(std::move(e).value());
        }
    }
    return g;
}

Result<Graph> parse_graph(std::string_view text) {
    auto j = parse_json(text);
    if (!j.ok()) return j.status();
    return graph_from_json(*j);
}

// [SECTION] Leads, executions, history

Json to_json(const Lead& l) {
    Json j = Json::object();
    j["id"] = l.id;
    j["workflow_id"] = l.workflow_id;
    j["phone_number"] = l.phone_number;
    Json vars = Json::object();
    for (const auto& [k, v] : l.variables) vars[k] = v;
    j["variables"] = vars;
    j["metadata"] = l.metadata.is_object() ? l.metadata : Json::object();
    j["status"] = to_string(l.status);
    j["current_node_id"] = str_or_null(l.current_node_id);
    if (l.version) j["version"] = *l.version;
    j["created_at"] = time_or_null(l.created_at);
    j["updated_at"] = time_or_null(l.updated_at);
    j["completed_at"] = time_or_null(l.completed_at);
    return j;
}

Result<Lead> lead_from_json(const Json& j, const std::string& path) {
    Lead l;
    Reader r(j, path);
    r.str("id", l.id);
    r.str("workflow_id", l.workflow_id);
    r.str("phone_number", l.phone_number);
    const Json* vars = r.get("variables");
    if (!vars || vars->is_null()) vars = r.get("dynamic_variables");
    if (vars && !vars->is_null()) {
        if (!vars->is_object()) {
            r.fail("variables", "expected an object of strings, got " + Reader::type_of(*vars));
        } else {
            for (auto it = vars->begin(); it != vars->end(); ++it) {
                std::string text;
                if (!scalar_text(it.value(), text)) {
                    r.fail_at(
                        r.field("variables") + "." + it.key(),
                        "expected a string, number or boolean, got " + Reader::type_of(it.value()));
                    break;
                }
                l.variables[it.key()] = text;
            }
        }
    }
    r.get("dynamic_variables");
    if (const Json* m = r.get("metadata"); m && !m->is_null()) {
        if (!m->is_object())
            r.fail("metadata", "expected an object, got " + Reader::type_of(*m));
        else
            l.metadata = *m;
    }
    std::string status;
    if (r.str("status", status)) {
        auto s = parse_lead_status(status);
        if (!s)
            r.fail("status", "unknown lead status '" + status + "'");
        else
            l.status = *s;
    }
    r.opt_str("current_node_id", l.current_node_id);
    if (const Json* v = r.get("version"); v && !v->is_null()) {
        if (!v->is_number_integer())
            r.fail("version", "expected an integer, got " + Reader::type_of(*v));
        else
            l.version = v->get<std::int64_t>();
    }
    r.timestamp("created_at", l.created_at);
    r.timestamp("updated_at", l.updated_at);
    r.timestamp("completed_at", l.completed_at);
    if (!r.ok()) return r.status();
    return l;
}

Json to_json(const Execution& e) {
    Json j = Json::object();
    j["current_node_id"] = str_or_null(e.current_node_id);
    j["phase"] = to_string(e.phase);
    j["entered_at"] = time_or_null(e.entered_at);
    j["release_at"] = time_or_null(e.release_at);
    j["call_id"] = str_or_null(e.call_id);
    j["steps"] = e.steps;
    return j;
}

Result<Execution> execution_from_json(const Json& j, const std::string& path) {
    Execution e;
    Reader r(j, path);
    r.opt_str("current_node_id", e.current_node_id);
    std::string phase;
    if (r.str("phase", phase)) {
        auto p = parse_phase(phase);
        if (!p)
            r.fail("phase", "unknown phase '" + phase + "'");
        else
            e.phase = *p;
    }
    r.timestamp("entered_at", e.entered_at);
    r.timestamp("release_at", e.release_at);
    r.opt_str("call_id", e.call_id);
    r.integer("steps", e.steps);
    if (!r.ok()) return r.status();
    return e;
}

Json to_json(const HistoryEntry& h) {
    Json j = Json::object();
    j["node_id"] = h.node_id;
    j["node_type"] = h.node_type;
    j["label"] = h.label;
    j["status"] = h.status;
    j["outcome"] = str_or_null(h.outcome);
    j["edge_id"] = str_or_null(h.edge_id);
    j["edge_label"] = str_or_null(h.edge_label);
    j["to_node_id"] = str_or_null(h.to_node_id);
    j["call_id"] = str_or_null(h.call_id);
    j["reason"] = str_or_null(h.reason);
    j["started_at"] = time_or_null(h.started_at);
    j["ended_at"] = time_or_null(h.ended_at);
    j["ends_at"] = time_or_null(h.ends_at);
    return j;
}

Result<HistoryEntry> history_entry_from_json(const Json& j, const std::string& path) {
    HistoryEntry h;
    Reader r(j, path);
    r.str("node_id", h.node_id);
    r.str("node_type", h.node_type);
    r.str("label", h.label);
    r.str("status", h.status);
    r.opt_str("outcome", h.outcome);
    r.opt_str("edge_id", h.edge_id);
    r.opt_str("edge_label", h.edge_label);
    r.opt_str("to_node_id", h.to_node_id);
    r.opt_str("call_id", h.call_id);
    r.opt_str("reason", h.reason);
    r.timestamp("started_at", h.started_at);
    r.timestamp("ended_at", h.ended_at);
    r.timestamp("ends_at", h.ends_at);
    if (!r.ok()) return r.status();
    return h;
}

}  // namespace leadflow
