// server/runtime/outbox_payloads.cpp — see outbox_payloads.hpp.
#include "runtime/outbox_payloads.hpp"

#include "leadflow/civil_time.hpp"

namespace leadflow::server {

namespace {

Json variables_json(const LiveLead& l) {
    Json vars = Json::object();
    for (const auto& [k, v] : l.variables) vars[k] = v;
    return vars;
}

OutboxRow row_for(const LiveLead& l, std::string key, const char* kind, Json payload, TimeMs now) {
    OutboxRow o;
    o.idempotency_key = std::move(key);
    o.kind = kind;
    o.workflow_id = l.workflow_id;
    o.lead_id = l.id;
    o.payload = std::move(payload);
    o.created_at = now;
    return o;
}

}  // namespace

std::string step_key(const LiveLead& lead, const Node& node, std::int64_t steps) {
    return lead.id + ":" + node.id + ":" + std::to_string(steps);
}

OutboxRow call_dispatch_row(const LiveLead& l, const Node& node, const VoiceCallConfig& call,
                            const std::string& call_id, const std::string& key,
                            const std::string& public_url, TimeMs now) {
    Json payload{{"call_id", call_id},
                 {"workflow_id", l.workflow_id},
                 {"lead_id", l.id},
                 {"node_id", node.id},
                 {"agent_id", call.agent_id},
                 {"from_phone_number", call.from_phone_number},
                 {"to_phone_number", l.phone_number},
                 {"variables", variables_json(l)},
                 {"callback_url", public_url + "/v1/calls/" + call_id + "/result"}};
    return row_for(l, "call:" + key, "call_dispatch", std::move(payload), now);
}

OutboxRow action_row(const LiveLead& l, const Node& node, const ApplicationConfig& action,
                     const std::string& key, TimeMs now) {
    Json payload{{"action_config", action.action_config},
                 {"phone_number", l.phone_number},
                 {"variables", variables_json(l)},
                 {"analysis", l.last_analysis},
                 {"node_id", node.id}};
    return row_for(l, "action:" + key, "action", std::move(payload), now);
}

OutboxRow lead_completed_row(const LiveLead& l, const UserWebhook& hook, bool completed,
                             const std::string& terminal_node_id, TimeMs now) {
    Json lead{{"id", l.id}, {"phone_number", l.phone_number}, {"variables", variables_json(l)}};
    Json body{{"event_type", "workflow.lead.completed"},
              {"payload", Json{{"workflow_id", l.workflow_id},
                               {"lead", std::move(lead)},
                               {"final_status", completed ? "completed" : "dropped"},
                               {"terminal_node_id", terminal_node_id},
                               {"completed_at", format_timestamp(now)}}}};
    Json payload{{"webhook_id", hook.id},
                 {"organization_id", hook.organization_id},
                 {"body", std::move(body)}};
    return row_for(l, "lead.completed:" + l.id + ":" + hook.id, "user_webhook", std::move(payload),
                   now);
}

}  // namespace leadflow::server
