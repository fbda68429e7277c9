// server/store/pg_live_batch.hpp — private to server/store/pg_*.cpp: the writes of a scheduler
// transaction (PgStore::live_transact) that are held back and sent as one statement per kind.
//
// A scheduler batch steps up to thousands of leads, and each step writes a lead row, one or two
// history rows and often a call row. One statement per write costs PostgreSQL its statement
// overhead (plan lookup, executor start, a round trip) every time; the rows themselves cost far
// less when many arrive in one statement over unnest() arrays. So PgTx hands these writes to a
// LiveBatch, and sends them (flush) before any other statement of the transaction and before it
// commits: every statement still sees every write made before it, and what commits is exactly
// what one statement per write would have committed.
//
// What changes is when a failure is seen: a write to a lead that does not exist, or a call id
// that exists already, fails the flush rather than the call that made it (the Store contract
// allows live writes to report failures when the transaction ends). PgTx keeps such a failure
// and fails every later statement and the commit with it.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/pg_query.hpp"
#include "store/store.hpp"

namespace leadflow::server::pg_internal {

class LiveBatch {
  public:
    bool empty() const {
        return saves_.empty() && history_.empty() && calls_.empty() && call_ends_.empty() &&
               outbox_.empty();
    }
    // The rows held (PgTx flushes a batch that grows past a few thousand).
    std::size_t rows() const {
        return saves_.size() + history_.size() + calls_.size() + call_ends_.size() + outbox_.size();
    }

    // PgTx::live_save. A second save of the same lead before the flush replaces the first; a
    // column group (status, phase, slot queue) the first wrote and the second leaves alone keeps
    // the first's value.
    void save(const LiveLeadUpdate& u);
    // PgTx::live_append_history: appended in the order of the calls.
    void append_history(const std::string& lead_id, const std::string& entry) {
        history_.push_back({lead_id, entry});
    }
    // PgTx::insert_call (in the order of the calls) and PgTx::live_update_call (the last update
    // of a call wins; an update of a call inserted in the same batch applies after the insert).
    void insert_call(const CallRecord& c) { calls_.push_back(c); }
    void update_call(const CallRecord& c);
    // PgTx::live_outbox_insert, in the order of the calls; a key already stored keeps its row.
    void insert_outbox(const OutboxRow& r) { outbox_.push_back(r); }

    // Sends everything held, in this order: calls inserted, calls ended, leads saved (with the
    // lead counts their status changes move), history, outbox. Empties the batch either way.
    // kConflict when a call id existed already, kNotFound when a saved lead or a history row's
    // lead does not exist, or the statement's failure.
    Status flush(Connection& c);

  private:
    void clear();
    Status flush_calls(Connection& c);
    Status flush_call_ends(Connection& c);
    Status flush_saves(Connection& c);
    Status flush_history(Connection& c);
    Status flush_outbox(Connection& c);

    struct HistoryRow {
        std::string lead_id, entry;
    };
    std::vector<LiveLeadUpdate> saves_;
    std::unordered_map<std::string, std::size_t> save_of_;  // lead id → index in saves_
    std::vector<HistoryRow> history_;
    std::vector<CallRecord> calls_;
    std::vector<CallRecord> call_ends_;
    std::unordered_map<std::string, std::size_t> call_end_of_;  // call id → index in call_ends_
    std::vector<OutboxRow> outbox_;
};

}  // namespace leadflow::server::pg_internal
