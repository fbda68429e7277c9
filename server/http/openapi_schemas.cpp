// server/http/openapi_schemas.cpp — the schemas of the OpenAPI document's components.
//
// Replies are described as the handlers write them: `object()` lists every field as required and
// admits no other, so the response checks of the API suites (tests/openapi) fail when a reply
// and its schema part. Request bodies are described with `open()`: the server ignores fields it
// does not know, and most fields are optional.
#include <initializer_list>
#include <string>
#include <utility>

#include "http/openapi.hpp"

namespace leadflow::server {
namespace {

using Fields = std::initializer_list<std::pair<const char*, Json>>;

Json ref(const std::string& name) {
    return Json{{"$ref", "#/components/schemas/" + name}};
}

Json type(const char* t) {
    return Json{{"type", t}};
}
Json str() {
    return type("string");
}
Json integer() {
    return type("integer");
}
Json number() {
    return type("number");
}
Json boolean() {
    return type("boolean");
}
Json time() {
    return Json{{"type", "string"}, {"format", "date-time"}};
}
Json any_value() {
    return Json::object();
}

Json described(Json schema, const char* description) {
    schema["description"] = description;
    return schema;
}

Json nullable(Json schema) {
    if (schema.contains("$ref")) {
        // OpenAPI 3.0 has no null type: a reference or null is written as anyOf the reference
        // and a schema that admits null only.
        const Json null_only = {{"type", "object"}, {"nullable", true}, {"enum", {nullptr}}};
        return Json{{"anyOf", Json::array({std::move(schema), null_only})}};
    }
    schema["nullable"] = true;
    return schema;
}

Json enum_of(std::initializer_list<const char*> values) {
    Json e = Json::array();
    for (const char* v : values) e.push_back(v);
    return Json{{"type", "string"}, {"enum", std::move(e)}};
}

Json array_of(Json items) {
    return Json{{"type", "array"}, {"items", std::move(items)}};
}

// An object whose keys are chosen by the data (ids, labels, variable names).
Json map_of(Json values) {
    return Json{{"type", "object"}, {"additionalProperties", std::move(values)}};
}

Json properties(Fields fields) {
    Json props = Json::object();
    for (const auto& [name, schema] : fields) props[name] = schema;
    return props;
}

// A reply object: exactly these fields, except those named in `optional`.
Json object(Fields fields, std::initializer_list<const char*> optional = {}) {
    Json required = Json::array();
    for (const auto& [name, schema] : fields) {
        bool opt = false;
        for (const char* o : optional) opt = opt || std::string(o) == name;
        if (!opt) required.push_back(name);
    }
    Json j = {{"type", "object"}, {"properties", properties(fields)}};
    if (!required.empty()) j["required"] = std::move(required);
    j["additionalProperties"] = false;
    return j;
}

// A reply object of a kind that keeps the fields a client sent and the server does not know
// (nodes, edges, workflows, settings): these fields, and any others.
Json keeping_extra(Json object_schema) {
    object_schema["additionalProperties"] = true;
    return object_schema;
}

// A request object: these fields, with `required` required, others ignored.
Json open(Fields fields, std::initializer_list<const char*> required = {}) {
    Json j = {{"type", "object"}, {"properties", properties(fields)}};
    if (required.size() > 0) {
        Json r = Json::array();
        for (const char* name : required) r.push_back(name);
        j["required"] = std::move(r);
    }
    return j;
}

// The DialNexa envelope around `data`.
Json envelope(Json data) {
    return object({{"statusCode", integer()}, {"message", str()}, {"data", std::move(data)}});
}

const char* const kLeadStatuses[] = {"pending", "active", "completed", "dropped",
                                     "removed", "failed", "cancelled"};

Json lead_counts() {
    Json props = Json::object();
    Json required = Json::array();
    for (const char* s : kLeadStatuses) {
        props[s] = integer();
        required.push_back(s);
    }
    return Json{{"type", "object"},
                {"properties", std::move(props)},
                {"required", std::move(required)},
                {"additionalProperties", false}};
}

void add_common(Json& s) {
    s["Message"] = object({{"message", str()}});
    s["EnvelopeMessage"] = object({{"statusCode", integer()}, {"message", str()}});
    s["Problem"] =
        object({{"severity", enum_of({"error", "warning"})},
                {"code", described(str(), "A stable code: docs/workflows.md lists them")},
                {"message", str()},
                {"node_id", str()},
                {"edge_id", str()},
                {"source", described(enum_of({"draft", "version"}),
                                     "On a workflow's problems: what has the problem")},
                {"version", described(integer(), "The version that cannot run")}},
               {"node_id", "edge_id", "source", "version"});
    s["UploadErrorGroup"] =
        object({{"reason", str()},
                {"count", integer()},
                {"rows", array_of(object({{"position", integer()}, {"phone_number", str()}}))}});
    s["Error"] = object(
        {{"statusCode", integer()},
         {"message", Json{{"oneOf", Json::array({str(), array_of(str())})}}},
         {"error", str()},
         {"errors",
          array_of(Json{{"anyOf", Json::array({ref("Problem"), ref("UploadErrorGroup")})}})}},
        {"errors"});
    s["PageMeta"] = object({{"page", integer()},
                            {"limit", integer()},
                            {"total", integer()},
                            {"totalPages", integer()}});
    s["Empty"] = described(Json{{"type", "object"}}, "An empty object, or no body at all");
}

void add_workflows(Json& s) {
    const Json hhmm = Json{{"type", "string"}, {"pattern", "^[0-9]{2}:[0-9]{2}$"}};
    s["CallingWindow"] =
        object({{"days", array_of(enum_of({"mon", "tue", "wed", "thu", "fri", "sat", "sun"}))},
                {"start", hhmm},
                {"end", hhmm}});
    s["Settings"] = keeping_extra(
        object({{"timezone", described(str(), "IANA time zone of the calling window")},
                {"calling_window", nullable(ref("CallingWindow"))},
                {"respect_lead_local_time", boolean()},
                {"local_calling_hours", object({{"start", hhmm}, {"end", hhmm}})},
                {"max_concurrent_calls", nullable(integer())},
                {"max_steps_per_lead", integer()},
                {"auto_complete", boolean()},
                {"default_region", str()}}));
    s["Workflow"] = keeping_extra(
        object({{"id", str()},
                {"organization_id", str()},
                {"title", str()},
                {"description", str()},
                {"status", enum_of({"draft", "active", "paused", "completed", "cancelled"})},
                {"entry_node_id", nullable(str())},
                {"settings", ref("Settings")},
                {"published_version", nullable(integer())},
                {"problems", array_of(ref("Problem"))},
                {"node_count", integer()},
                {"edge_count", integer()},
                {"enrolled_leads", integer()},
                {"lead_counts", lead_counts()},
                {"created_at", time()},
                {"updated_at", time()},
                {"activated_at", nullable(time())},
                {"completed_at", nullable(time())}}));
    s["WorkflowPage"] = object({{"data", array_of(ref("Workflow"))}, {"meta", ref("PageMeta")}});
    s["CompatWorkflow"] = object({{"id", str()},
                                  {"title", str()},
                                  {"status", str()},
                                  {"description", str()},
                                  {"createdAt", time()},
                                  {"updatedAt", time()}});
    s["EnvelopeWorkflow"] = envelope(ref("CompatWorkflow"));
    s["EnvelopeWorkflowPage"] = envelope(object({{"data", array_of(ref("CompatWorkflow"))},
                                                 {"meta", object({{"totalItems", integer()},
                                                                  {"itemsPerPage", integer()},
                                                                  {"totalPages", integer()},
                                                                  {"currentPage", integer()}})}}));
    const Json settings_input =
        described(Json{{"type", "object"}},
                  "Settings to set; on PATCH merged into the current ones (null resets a key)");
    s["WorkflowInput"] =
        open({{"title", described(str(), "Required (or `name`)")},
              {"name", described(str(), "DialNexa's name for title")},
              {"description", str()},
              {"status", described(enum_of({"draft", "active"}),
                                   "active activates the workflow once it has a valid graph")},
              {"settings", settings_input},
              {"entry_node_id", nullable(str())}});
    s["WorkflowPatch"] = open({{"title", str()},
                               {"name", str()},
                               {"description", str()},
                               {"settings", settings_input},
                               {"entry_node_id", nullable(str())}});
    s["StatusAction"] =
        open({{"action", enum_of({"activate", "deactivate", "pause", "resume"})}}, {"action"});
    s["DuplicateRequest"] = open({{"title", described(str(), "Default: the title + \" (copy)\"")}});
    s["ValidationReport"] = object({{"valid", boolean()},
                                    {"errors", array_of(ref("Problem"))},
                                    {"warnings", array_of(ref("Problem"))}});
}

void add_graph(Json& s) {
    const Json node_type =
        described(str(),
                  "VOICE_CALL, TIME, CONDITIONAL, SWITCH, APPLICATION, CONVERTED, DROPPED, END, "
                  "SPLIT (a Leadflow extension) "
                  "(docs/workflows.md)");
    const Json config = described(Json{{"type", "object"}},
                                  "The node type's settings (docs/workflows.md lists each)");
    s["Node"] =
        keeping_extra(object({{"id", str()},
                              {"node_type", node_type},
                              {"label", str()},
                              {"position_x", number()},
                              {"position_y", number()},
                              {"config", config},
                              {"workflow_id", described(str(), "On the node routes' replies")}},
                             {"workflow_id"}));
    s["NodeList"] = object({{"data", array_of(ref("Node"))}});
    s["Edge"] =
        keeping_extra(object({{"id", str()},
                              {"from_node_id", str()},
                              {"to_node_id", str()},
                              {"label", described(nullable(str()),
                                                  "The outcome, branch or condition it stands for; "
                                                  "null for the default edge")},
                              {"position", integer()},
                              {"workflow_id", described(str(), "On the edge routes' replies")}},
                             {"workflow_id"}));
    s["EdgeList"] = object({{"data", array_of(ref("Edge"))}});
    s["Graph"] = object({{"workflow", ref("Workflow")},
                         {"nodes", array_of(ref("Node"))},
                         {"edges", array_of(ref("Edge"))}});
    s["RestoredGraph"] = object({{"workflow", ref("Workflow")},
                                 {"nodes", array_of(ref("Node"))},
                                 {"edges", array_of(ref("Edge"))},
                                 {"restored", described(integer(), "The version restored")}});
    s["NodeInput"] = open({{"id", str()},
                           {"node_type", node_type},
                           {"label", str()},
                           {"position_x", number()},
                           {"position_y", number()},
                           {"config", config}},
                          {"node_type"});
    s["NodePatch"] = open(
        {{"label", str()}, {"position_x", number()}, {"position_y", number()}, {"config", config}});
    s["EdgeInput"] = open({{"id", str()},
                           {"from_node_id", str()},
                           {"to_node_id", str()},
                           {"label", nullable(str())},
                           {"position", integer()}},
                          {"from_node_id", "to_node_id"});
    s["EdgePatch"] = open({{"label", nullable(str())}, {"position", integer()}});
    // The editor's sticky notes (leadflow/notes.hpp; docs/workflows.md#notes).
    s["Note"] = object({{"id", str()},
                        {"text", str()},
                        {"x", number()},
                        {"y", number()},
                        {"color", enum_of({"yellow", "green", "blue", "pink", "purple"})}},
                       {"color"});
    s["GraphInput"] = open({{"nodes", array_of(ref("NodeInput"))},
                            {"edges", array_of(ref("EdgeInput"))},
                            {"entry_node_id", nullable(str())},
                            {"workflow", open({{"entry_node_id", nullable(str())},
                                               {"notes", nullable(array_of(ref("Note")))}})}},
                           {"nodes", "edges"});
}

void add_versions(Json& s) {
    s["Version"] = object({{"number", integer()},
                           {"workflow_id", str()},
                           {"created_at", time()},
                           {"note", str()},
                           {"published_by", nullable(str())},
                           {"migrate", enum_of({"keep", "move"})},
                           {"node_map", map_of(str())},
                           {"node_count", integer()},
                           {"edge_count", integer()},
                           {"current", boolean()}});
    s["VersionPage"] = object({{"data", array_of(ref("Version"))}, {"meta", ref("PageMeta")}});
    s["VersionGraph"] = object({{"version", ref("Version")},
                                {"workflow", object({{"id", str()},
                                                     {"entry_node_id", nullable(str())},
                                                     {"settings", ref("Settings")}})},
                                {"nodes", array_of(ref("Node"))},
                                {"edges", array_of(ref("Edge"))},
                                {"scenario", ref("Scenario")}});
    s["MigrationSummary"] = object(
        {{"move", integer()},
         {"stay", integer()},
         {"not_started", integer()},
         {"stay_by_version", array_of(object({{"version", integer()}, {"leads", integer()}}))},
         {"stay_by_node",
          array_of(object({{"version", integer()}, {"node_id", str()}, {"leads", integer()}}))}});
    s["PublishResult"] = Json{
        {"oneOf",
         Json::array({object({{"version", ref("Version")},
                              {"leads", ref("MigrationSummary")},
                              {"warnings", array_of(ref("Problem"))}}),
                      described(object({{"dry_run", Json{{"type", "boolean"}, {"enum", {true}}}},
                                        {"valid", boolean()},
                                        {"version", integer()},
                                        {"migrate", enum_of({"keep", "move"})},
                                        {"leads", ref("MigrationSummary")},
                                        {"errors", array_of(ref("Problem"))},
                                        {"warnings", array_of(ref("Problem"))}}),
                                "dry_run: what publishing would do (status 200)")})}};
    s["PublishRequest"] =
        open({{"note", str()},
              {"migrate", described(enum_of({"keep", "move"}),
                                    "keep: running leads finish on their version; move: they "
                                    "continue on the new one (default keep)")},
              {"node_map",
               described(map_of(str()), "Old node id → new node id, for leads on removed nodes")},
              {"dry_run", boolean()}});
    const Json change = object({{"field", str()}, {"before", any_value()}, {"after", any_value()}},
                               {"before", "after"});
    auto section = [&](const char* item) {
        return object({{"added", array_of(ref(item))},
                       {"removed", array_of(ref(item))},
                       {"changed", array_of(object({{"id", str()},
                                                    {"label", nullable(str())},
                                                    {"changes", array_of(change)}}))}});
    };
    s["GraphDiff"] = object({{"nodes", section("Node")},
                             {"edges", section("Edge")},
                             {"workflow", object({{"changes", array_of(change)}})},
                             {"summary", object({{"nodes_added", integer()},
                                                 {"nodes_removed", integer()},
                                                 {"nodes_changed", integer()},
                                                 {"edges_added", integer()},
                                                 {"edges_removed", integer()},
                                                 {"edges_changed", integer()},
                                                 {"workflow_changes", integer()},
                                                 {"empty", boolean()}})},
                             {"from", str()},
                             {"to", str()}});
}

void add_simulation(Json& s) {
    const Json probability = Json{{"type", "number"}, {"minimum", 0}, {"maximum", 1}};
    s["Scenario"] = described(
        open({{"version", Json{{"type", "integer"}, {"enum", {1}}}},
              {"seed", integer()},
              {"leads", Json{{"type", "integer"}, {"minimum", 1}, {"maximum", 33554432}}},
              {"start_time", time()},
              {"horizon_days", number()},
              {"arrivals",
               open({{"mode", enum_of({"all_at_start", "uniform"})}, {"over_days", number()}})},
              {"cost_per_minute", number()},
              {"nodes",
               map_of(open({{"outcomes", map_of(probability)},
                            {"call_duration_s", open({{"mean", number()}, {"sd", number()}})},
                            {"ring_s", number()},
                            {"analysis", map_of(open({{"type", enum_of({"bool", "values"})},
                                                      {"p_true", probability},
                                                      {"values", map_of(probability)}}))},
                            {"success_rate", probability},
                            {"latency_s", number()}}))},
              {"variables", map_of(open({{"values", map_of(probability)}}, {"values"}))},
              {"phone_numbers",
               array_of(open({{"number", str()}, {"share", probability}}, {"number", "share"}))}}),
        "A simulation scenario (docs/simulation.md); absent keys take their defaults");
    const Json share =
        object({{"count", integer()}, {"share", number()}, {"ci95", array_of(number())}});
    const Json exact_terminal = object({{"completed", number()},
                                        {"dropped", number()},
                                        {"failed", number()},
                                        {"stuck", number()}});
    const Json interval = array_of(number());
    // One branch of a SPLIT node (docs/simulation.md#per-branch-results-of-split-nodes).
    const Json branch =
        object({{"leads", integer()},
                {"share", number()},
                {"completed", share},
                {"dropped", share},
                {"calls_per_lead", number()},
                {"minutes_per_lead", number()},
                {"cost", object({{"mean", number()}, {"ci95", interval}})},
                {"hours_to_terminal",
                 object({{"leads", integer()}, {"mean", number()}, {"ci95", interval}})},
                {"p_best", number()}});
    s["ExactResults"] =
        object({{"available", boolean()},
                {"reason", nullable(str())},
                {"terminal", nullable(exact_terminal)},
                {"expected_visits", nullable(map_of(number()))},
                {"expected_calls", nullable(number())},
                {"states", integer()},
                {"splits", nullable(map_of(map_of(object({{"leads", number()},
                                                          {"completed", nullable(number())},
                                                          {"dropped", nullable(number())}}))))}},
               {"states", "splits"});
    s["SimulationResults"] = object(
        {{"leads", integer()},
         {"seed", integer()},
         {"terminal", object({{"completed", share},
                              {"dropped", share},
                              {"failed", share},
                              {"stuck", share},
                              {"unfinished", share}})},
         {"nodes",
          map_of(object({{"entries", integer()}, {"leads", integer()}, {"share", number()}}))},
         {"edges", map_of(object({{"traversals", integer()}}))},
         {"calls", object({{"placed", integer()},
                           {"per_lead", number()},
                           {"minutes", number()},
                           {"cost", number()}})},
         {"time_to_terminal_hours",
          object(
              {{"p50", number()},
               {"p90", number()},
               {"p99", number()},
               {"histogram",
                array_of(object({{"from", number()}, {"to", number()}, {"count", integer()}}))}})},
         {"in_progress", array_of(object({{"t_hours", number()}, {"count", integer()}}))},
         {"exact", ref("ExactResults")},
         {"splits", map_of(map_of(branch))},
         {"start_time", time()},
         {"horizon_days", number()},
         {"events", integer()},
         {"warnings", array_of(str())}},
        {"splits"});
    s["SimulateRequest"] = open({{"scenario", ref("Scenario")},
                                 {"leads", integer()},
                                 {"seed", integer()},
                                 {"exact", boolean()}});
}

void add_leads(Json& s) {
    const Json variables = map_of(str());
    const Json metadata = described(Json{{"type", "object"}}, "The client's own data, as sent");
    s["Lead"] = object({{"id", str()},
                        {"workflow_id", str()},
                        {"phone_number", str()},
                        {"variables", variables},
                        {"metadata", metadata},
                        {"status", enum_of({"pending", "active", "completed", "dropped", "removed",
                                            "failed", "cancelled"})},
                        {"current_node_id", nullable(str())},
                        {"version", described(integer(), "The published version it runs on")},
                        {"created_at", time()},
                        {"updated_at", time()},
                        {"completed_at", nullable(time())},
                        {"dynamic_variables", variables}},
                       {"version"});
    s["LeadPage"] = object({{"data", array_of(ref("Lead"))}, {"meta", ref("PageMeta")}});
    s["Execution"] = object({{"current_node_id", nullable(str())},
                             {"phase", str()},
                             {"entered_at", nullable(time())},
                             {"release_at", nullable(time())},
                             {"call_id", nullable(str())},
                             {"steps", integer()}});
    Json detail = s["Lead"];
    detail["properties"]["execution"] = ref("Execution");
    detail["required"].push_back("execution");
    s["LeadDetail"] = std::move(detail);
    s["HistoryEntry"] = object({{"node_id", str()},
                                {"node_type", str()},
                                {"label", str()},
                                {"status", str()},
                                {"outcome", nullable(str())},
                                {"edge_id", nullable(str())},
                                {"edge_label", nullable(str())},
                                {"to_node_id", nullable(str())},
                                {"call_id", nullable(str())},
                                {"reason", nullable(str())},
                                {"started_at", nullable(time())},
                                {"ended_at", nullable(time())},
                                {"ends_at", nullable(time())}});
    s["LeadHistory"] = object({{"lead", ref("Lead")},
                               {"execution", ref("Execution")},
                               {"history", array_of(ref("HistoryEntry"))}});
    Json compat_lead = s["Lead"];
    compat_lead["properties"]["createdAt"] = time();
    compat_lead["required"].push_back("createdAt");
    s["EnvelopeLeadHistory"] =
        envelope(object({{"lead", compat_lead},
                         {"history", array_of(object({{"node_id", str()},
                                                      {"node_type", str()},
                                                      {"label", str()},
                                                      {"status", str()},
                                                      {"call_id", nullable(str())},
                                                      {"started_at", nullable(time())},
                                                      {"ended_at", nullable(time())}}))}}));
    s["EnvelopeLeadList"] =
        object({{"statusCode", integer()},
                {"message", str()},
                {"data", array_of(object({{"id", str()},
                                          {"phone_number", str()},
                                          {"dynamic_variables", variables},
                                          {"status", str()},
                                          {"createdAt", time()},
                                          {"metadata", metadata}}))},
                {"count", described(integer(), "The number of leads in data")}});
    const Json ids_by_phone =
        described(map_of(array_of(str())), "Phone number (E.164) → the ids of its new leads");
    s["LeadUpload"] =
        object({{"data", ids_by_phone}, {"count", integer()}, {"leads_enrolled", integer()}});
    s["EnvelopeLeadUpload"] = object({{"statusCode", integer()},
                                      {"message", str()},
                                      {"data", ids_by_phone},
                                      {"count", integer()}});
    const Json lead_input = open({{"phone_number", str()},
                                  {"variables", Json{{"type", "object"}}},
                                  {"dynamic_variables", Json{{"type", "object"}}},
                                  {"metadata", metadata}});
    s["LeadInput"] = described(
        Json{{"anyOf",
              Json::array({open({{"leads", array_of(lead_input)}}, {"leads"}), lead_input})}},
        "{leads: [...]} (at most 10,000) or one lead");
    s["VariableKeys"] = object({{"keys", array_of(str())}});
    s["EnvelopeVariableKeys"] = envelope(ref("VariableKeys"));
    s["NodeCounts"] = object({{"data", array_of(object({{"node_id", str()},
                                                        {"total", integer()},
                                                        {"by_status", map_of(integer())}}))},
                              {"not_started", integer()},
                              {"lead_counts", lead_counts()},
                              {"enrolled_leads", integer()},
                              {"now", time()}});
}

void add_operations(Json& s) {
    s["Call"] = object({{"id", str()},
                        {"workflow_id", str()},
                        {"lead_id", str()},
                        {"node_id", str()},
                        {"status", str()},
                        {"outcome", nullable(str())},
                        {"end_reason", nullable(str())},
                        {"duration_s", nullable(number())},
                        {"analysis", Json{{"type", "object"}}},
                        {"created_at", time()},
                        {"ended_at", nullable(time())}});
    s["CallPage"] = object({{"data", array_of(ref("Call"))}, {"meta", ref("PageMeta")}});
    s["CallResult"] =
        open({{"call_id", described(str(), "When given, must be the call in the path")},
              {"status", enum_of({"completed", "no_answer", "busy", "voicemail", "failed"})},
              {"duration_s", Json{{"type", "number"}, {"minimum", 0}, {"maximum", 86400}}},
              {"analysis", described(Json{{"type", "object"}}, "Post-call analysis values")},
              {"end_reason", str()}},
             {"status"});
    s["CallResultReceipt"] = object(
        {{"message", str()},
         {"duplicate", described(boolean(), "The same result was recorded before (idempotent)")}});
    s["Webhook"] = object({{"id", str()},
                           {"url", str()},
                           {"events", array_of(str())},
                           {"created_at", time()},
                           {"secret", described(str(),
                                                "Only in the reply that created it, when "
                                                "the server generated it")}},
                          {"secret"});
    s["WebhookList"] = object({{"data", array_of(ref("Webhook"))}});
    s["WebhookInput"] =
        open({{"url", str()}, {"events", array_of(str())}, {"secret", str()}}, {"url"});
    s["ShareLink"] = object({{"id", str()}, {"path", str()}, {"length", integer()}});
    s["ShareLinkInput"] =
        open({{"fragment", described(str(), "The link's fragment, \"s=1.…\"")}}, {"fragment"});
    s["Health"] = object({{"status", str()},
                          {"schema_version", integer()},
                          {"provider", described(str(), "sandbox or webhook")}});
    s["Readiness"] = object(
        {{"status", enum_of({"ready", "not_ready"})},
         {"message", str()},
         {"storage", object({{"write", enum_of({"ok", "failed"})}, {"error", str()}}, {"error"})},
         {"scheduler", object({{"running", boolean()},
                               {"last_progress_at", nullable(time())},
                               {"backing_off", boolean()},
                               {"failed_attempts", integer()},
                               {"retry_in_ms", integer()},
                               {"last_error", nullable(str())},
                               {"last_error_at", nullable(time())}},
                              {"last_progress_at", "backing_off", "failed_attempts", "retry_in_ms",
                               "last_error", "last_error_at"})},
         {"statusCode", integer()},
         {"error", str()}},
        {"statusCode", "error"});
    s["OpenApiDocument"] = described(
        open({{"openapi", str()}, {"paths", Json{{"type", "object"}}}}, {"openapi", "paths"}),
        "This document");
    s["MetricsText"] = described(str(), "Prometheus text exposition format 0.0.4");
    s["StaticFile"] = described(str(), "A file of the web app");
}

void add_calibration(Json& s) {
    const Json interval = array_of(number());
    const Json share = object(
        {{"count", integer()}, {"share", number()}, {"ci95", interval}, {"prior", number()}});
    const auto moments = [](const char* count) {
        return object(
            {{count, integer()}, {"mean", nullable(number())}, {"sd", nullable(number())}});
    };
    const Json call_node =
        object({{"type", enum_of({"VOICE_CALL"})},
                {"calls", integer()},
                {"fitted", boolean()},
                {"note", nullable(str())},
                {"outcomes", map_of(share)},
                {"call_duration_s", moments("calls")},
                {"analysis", map_of(object({{"calls", integer()}, {"values", map_of(share)}}))}});
    const Json action_node = object({{"type", enum_of({"APPLICATION"})},
                                     {"actions", integer()},
                                     {"fitted", boolean()},
                                     {"note", nullable(str())},
                                     {"success_rate", share},
                                     {"latency_s", moments("actions")}});
    s["Calibration"] =
        object({{"workflow_id", str()},
                {"version", nullable(integer())},
                {"since", nullable(time())},
                {"scenario", ref("Scenario")},
                {"current", ref("Scenario")},
                {"prior_weight", number()},
                {"min_calls", integer()},
                {"arrivals", object({{"leads", integer()},
                                     {"per_day", number()},
                                     {"from", nullable(time())},
                                     {"to", nullable(time())}})},
                {"nodes", map_of(Json{{"oneOf", Json::array({call_node, action_node})}})}});
    const Json outcome = object({{"observed", nullable(number())},
                                 {"plan", number()},
                                 {"low", number()},
                                 {"high", number()},
                                 {"drifted", boolean()}});
    s["Drift"] = object({{"workflow_id", str()},
                         {"version", nullable(integer())},
                         {"since", nullable(time())},
                         {"flagged", array_of(str())},
                         {"nodes", map_of(object({{"name", str()},
                                                  {"calls", integer()},
                                                  {"flagged", boolean()},
                                                  {"message", nullable(str())},
                                                  {"outcomes", map_of(outcome)}}))}});
    const Json band = object({{"expected", number()}, {"low", number()}, {"high", number()}});
    s["ForecastRequest"] = open({{"scenario", enum_of({"calibrated", "stored"})},
                                 {"seed", integer()},
                                 {"horizon_days", number()},
                                 {"arrival_days", number()}});
    // The scenario a forecast ran: a Scenario whose `leads` (the leads still to arrive) may be 0.
    Json forecast_scenario = s["Scenario"];
    forecast_scenario["properties"]["leads"]["minimum"] = 0;
    s["ForecastScenario"] = forecast_scenario;
    s["Forecast"] = object(
        {{"workflow_id", str()},
         {"version", integer()},
         {"scenario_source", enum_of({"calibrated", "stored"})},
         {"scenario", ref("ForecastScenario")},
         {"ended_before",
          object({{"completed", integer()}, {"dropped", integer()}, {"failed", integer()}})},
         {"pending", integer()},
         {"now", time()},
         {"running", integer()},
         {"arrivals", integer()},
         {"leads", integer()},
         {"final",
          object({{"completed", band}, {"dropped", band}, {"failed", band}, {"unfinished", band}})},
         {"by_day", array_of(open({{"day", integer()},
                                   {"at", time()},
                                   {"completed", band},
                                   {"dropped", band},
                                   {"failed", band}},
                                  {"day", "at", "completed", "dropped", "failed"}))},
         {"last_finish", nullable(time())},
         {"last_finish_days", nullable(number())},
         {"simulation", ref("SimulationResults")}});
}

}  // namespace

Json openapi_schemas() {
    Json s = Json::object();
    add_common(s);
    add_workflows(s);
    add_graph(s);
    add_versions(s);
    add_simulation(s);
    add_calibration(s);
    add_leads(s);
    add_operations(s);
    return s;
}

}  // namespace leadflow::server
