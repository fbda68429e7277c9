// server/store/pg_tx_claims.cpp — PgTx: work claimed by one of several servers.
#include "store/pg_internal.hpp"

namespace leadflow::server::pg_internal {

Result<std::vector<OutboxRow>> PgTx::live_outbox_claim(TimeMs, TimeMs, int) {
    return Status::internal("postgres: live_outbox_claim is not written yet");
}

}  // namespace leadflow::server::pg_internal
