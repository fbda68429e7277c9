// core/src/history.cpp — folds a lead's history events into node visits (history.hpp).
#include "leadflow/history.hpp"

#include <utility>

namespace leadflow {

namespace {

bool same_visit(const HistoryEntry& visit, const HistoryEntry& row) {
    if (row.node_id != visit.node_id || row.node_id.empty()) return false;
    if (!visit.ended_at) return true;
    return row.started_at && visit.started_at && *row.started_at == *visit.started_at;
}

template <class T>
void take_if_set(std::optional<T>& into, std::optional<T>&& from) {
    if (from) into = std::move(from);
}

// Statuses that end the lead: a later row of the same visit (a call that finishes after the
// lead was removed) adds its outcome but does not undo how the lead ended.
bool ends_the_lead(const std::string& status) {
    return status == "removed" || status == "cancelled" || status == "failed" ||
           status == "converted" || status == "dropped";
}

void fold(HistoryEntry& visit, HistoryEntry&& row) {
    if (!ends_the_lead(visit.status)) {
        visit.status = std::move(row.status);
        visit.reason = std::move(row.reason);
        visit.ended_at = row.ended_at;
    } else if (row.ended_at) {
        visit.ended_at = row.ended_at;
    }
    if (!visit.started_at) visit.started_at = row.started_at;
    if (visit.node_type.empty()) visit.node_type = std::move(row.node_type);
    if (visit.label.empty()) visit.label = std::move(row.label);
    take_if_set(visit.outcome, std::move(row.outcome));
    take_if_set(visit.edge_id, std::move(row.edge_id));
    take_if_set(visit.edge_label, std::move(row.edge_label));
    take_if_set(visit.to_node_id, std::move(row.to_node_id));
    take_if_set(visit.call_id, std::move(row.call_id));
    take_if_set(visit.ends_at, std::move(row.ends_at));
}

}  // namespace

std::vector<HistoryEntry> history_visits(const std::vector<HistoryEntry>& events) {
    std::vector<HistoryEntry> visits;
    visits.reserve(events.size());
    for (const HistoryEntry& e : events) {
        if (!visits.empty() && same_visit(visits.back(), e)) {
            fold(visits.back(), HistoryEntry(e));
        } else {
            visits.push_back(e);
        }
    }
    return visits;
}

}  // namespace leadflow
