// server/runtime/outbox_payloads.hpp — the outbox rows a lead's step writes.
//
// Each row is an effect performed after the step commits: a call dispatch to the webhook
// provider, an APPLICATION webhook, or a user-webhook delivery of `workflow.lead.completed`.
// Its idempotency key names the lead, the node and the step (or the webhook), so a step that is
// replayed after a crash inserts the same key and the effect happens once. The payloads are
// what providers and users receive: their shapes are part of the API (docs/api.md#call-results,
// docs/api.md#user-webhooks).
#pragma once

#include <string>

#include "leadflow/model.hpp"
#include "leadflow/node_config.hpp"
#include "store/store.hpp"

namespace leadflow::server {

// The key of one step of a lead on a node: "<lead>:<node>:<steps>".
std::string step_key(const LiveLead& lead, const Node& node, std::int64_t steps);

// Dispatch of call `call_id` on VOICE_CALL `node` (its typed config `call`) to the webhook
// provider; results come back to `public_url` + /v1/calls/{call_id}/result.
OutboxRow call_dispatch_row(const LiveLead& lead, const Node& node, const VoiceCallConfig& call,
                            const std::string& call_id, const std::string& key,
                            const std::string& public_url, TimeMs now);

// An APPLICATION `node`'s webhook action (its typed config `action`) for the lead.
OutboxRow action_row(const LiveLead& lead, const Node& node, const ApplicationConfig& action,
                     const std::string& key, TimeMs now);

// The `workflow.lead.completed` delivery to `hook` for a lead that ended `completed` (or
// `dropped` when `completed` is false) on node `terminal_node_id`.
OutboxRow lead_completed_row(const LiveLead& lead, const UserWebhook& hook, bool completed,
                             const std::string& terminal_node_id, TimeMs now);

}  // namespace leadflow::server
