// server/http/handler_util.cpp
#include "http/handler_util.hpp"

#include <cmath>
#include <limits>

#include "http/json_text.hpp"
#include "http/limits.hpp"
#include "leadflow/civil_time.hpp"
#include "leadflow/wire.hpp"
#include "util/phone.hpp"

namespace leadflow::server {

bool read_json_body(const Request& req, Json* out, Response* error, bool required) {
    const bool empty = req.body.find_first_not_of(" \t\r\n") == std::string::npos;
    if (!req.content_type.empty() && req.content_type != "application/json" &&
        !(empty && !required)) {
        *error = error_response(415, "Content-Type must be application/json");
        return false;
    }
    if (empty) {
        if (required) {
            *error = error_response(400, "Request body must be a JSON object");
            return false;
        }
        *out = Json::object();
        return true;
    }
    if (req.content_type.empty()) {
        *error = error_response(415, "Content-Type must be application/json");
        return false;
    }
    // Depth and array sizes are checked on the text before anything is built.
    auto parsed = parse_json(req.body, {limits::kMaxJsonDepth, limits::kMaxJsonArrayElements});
    if (!parsed.ok()) {
        // The parser's "malformed JSON: …" (bad syntax, bytes that are not UTF-8 in a string)
        // is shown as "Malformed JSON: …"; a limit's message stands as it is.
        std::string message = parsed.status().message();
        const std::string parser_prefix = "malformed JSON: ";
        if (message.compare(0, parser_prefix.size(), parser_prefix) == 0) {
            message = "Malformed JSON: " + message.substr(parser_prefix.size());
        }
        *error = error_response(400, message);
        return false;
    }
    if (!parsed->is_object()) {
        *error = error_response(400, "Request body must be a JSON object");
        return false;
    }
    *out = std::move(parsed.value());
    return true;
}

namespace {

Result<int> read_int_param(const Request& req, const std::string& name, int def, int lo, int hi) {
    auto v = req.param(name);
    if (!v) return def;
    const std::string& s = *v;
    bool digits =
        !s.empty() && s.size() <= 9 && s.find_first_not_of("0123456789") == std::string::npos;
    int n = digits ? std::stoi(s) : -1;
    if (!digits || n < lo || n > hi) {
        return Status::invalid(
            name + " must be an integer from " + std::to_string(lo) +
            (hi == std::numeric_limits<int>::max() ? " up" : " to " + std::to_string(hi)));
    }
    return n;
}

}  // namespace

Result<PageParams> read_page(const Request& req) {
    PageParams p;
    auto page = read_int_param(req, "page", 1, 1, std::numeric_limits<int>::max());
    if (!page.ok()) return page.status();
    auto limit = read_int_param(req, "limit", 20, 1, 100);
    if (!limit.ok()) return limit.status();
    p.page = page.value();
    p.limit = limit.value();
    return p;
}

Result<bool> read_bool_param(const Request& req, const std::string& name, bool fallback) {
    auto v = req.param(name);
    if (!v || v->empty()) return fallback;
    if (*v == "true" || *v == "1") return true;
    if (*v == "false" || *v == "0") return false;
    return Status::invalid(name + " must be true or false");
}

Json page_json(Json data, const PageParams& p, std::int64_t total) {
    Json out = Json::object();
    out["data"] = std::move(data);
    out["meta"] = {{"page", p.page},
                   {"limit", p.limit},
                   {"total", total},
                   {"totalPages", (total + p.limit - 1) / p.limit}};
    return out;
}

Result<std::optional<std::string>> opt_string(const Json& body, const std::string& key,
                                              std::size_t max_len) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return std::optional<std::string>();
    if (!it->is_string()) return Status::invalid(key + " must be a string");
    std::string s = it->get<std::string>();
    if (s.size() > max_len) {
        return Status::invalid(key + " must be at most " + std::to_string(max_len) + " characters");
    }
    return std::optional<std::string>(std::move(s));
}

Result<std::optional<double>> opt_number(const Json& body, const std::string& key) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return std::optional<double>();
    if (!it->is_number()) return Status::invalid(key + " must be a number");
    double v = it->get<double>();
    if (!std::isfinite(v)) return Status::invalid(key + " must be a finite number");
    return std::optional<double>(v);
}

Result<std::optional<std::int64_t>> opt_integer(const Json& body, const std::string& key) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return std::optional<std::int64_t>();
    if (!it->is_number_integer()) return Status::invalid(key + " must be an integer");
    return std::optional<std::int64_t>(it->get<std::int64_t>());
}

Json message_json(const std::string& text) {
    return Json{{"message", text}};
}

Json time_json(const std::optional<TimeMs>& t) {
    return t ? Json(format_timestamp(*t)) : Json(nullptr);
}

Json workflow_json(const Workflow& w, const WorkflowCounts& counts) {
    return Json::parse(workflow_body(w, counts));
}

Json compat_workflow_json(const Workflow& w) {
    WorkflowStatus s = w.status;
    return Json{{"id", w.id},
                {"title", w.title},
                {"status", to_string(s)},
                {"description", w.description},
                {"createdAt", time_json(w.created_at)},
                {"updatedAt", time_json(w.updated_at)}};
}

Json lead_json(const Lead& l) {
    std::string text;
    append_lead_json(text, l);
    return Json::parse(text);
}

Json nodes_json(const std::vector<Node>& nodes) {
    Json a = Json::array();
    for (const Node& n : nodes) a.push_back(to_json(n));
    return a;
}

Json edges_json(const std::vector<Edge>& edges) {
    Json a = Json::array();
    for (const Edge& e : edges) a.push_back(to_json(e));
    return a;
}

Result<Workflow> find_workflow(StoreTx& tx, const RequestContext& ctx, const std::string& id) {
    return tx.get_workflow(ctx.organization_id, id);
}

bool is_terminal_workflow(WorkflowStatus s) {
    return s == WorkflowStatus::kCompleted || s == WorkflowStatus::kCancelled;
}

bool is_active_workflow(WorkflowStatus s) {
    return s == WorkflowStatus::kActive;
}

std::vector<Diagnostic> validate_graph(const Graph& g) {
    std::vector<Diagnostic> diags = validate(g);
    for (const Node& n : g.nodes) {
        if (n.type != NodeType::kVoiceCall || !n.config.is_object()) continue;
        auto it = n.config.find("from_phone_number");
        if (it == n.config.end() || !it->is_string()) continue;
        const std::string phone = it->get<std::string>();
        if (!is_e164_syntax(phone) || is_valid_e164(phone)) continue;
        bool reported = false;
        for (const Diagnostic& d : diags) {
            if (d.code == "INVALID_PHONE_NUMBER" && d.node_id == n.id) reported = true;
        }
        if (reported) continue;
        Diagnostic d;
        d.severity = Severity::kError;
        d.code = "INVALID_PHONE_NUMBER";
        d.message = "Node '" + (n.label.empty() ? n.id : n.label) + "': from_phone_number " +
                    phone + " is not a valid phone number";
        d.node_id = n.id;
        diags.push_back(std::move(d));
    }
    return diags;
}

Response validation_failure(const std::vector<Diagnostic>& diags) {
    Json messages = Json::array();
    Json errors = Json::array();
    for (const Diagnostic& d : diags) {
        if (d.severity != Severity::kError) continue;
        messages.push_back(d.message);
        errors.push_back(to_json(d));
    }
    return error_response(400, messages, &errors);
}

}  // namespace leadflow::server

namespace leadflow::server {

namespace {
const char kAbortMessage[] = "\x01 transaction aborted by handler";
}

Status abort_transaction() {
    return Status::conflict(kAbortMessage);
}

Response finish(const Status& st, Response out) {
    if (st.is_ok() || (st.code() == StatusCode::kConflict && st.message() == kAbortMessage)) {
        return out;
    }
    return status_response(st);
}

}  // namespace leadflow::server
