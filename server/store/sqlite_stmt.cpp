// server/store/sqlite_stmt.cpp — SQLite failures as Status (sqlite_stmt.hpp).
#include "store/sqlite_stmt.hpp"

namespace leadflow::server::sqlite_internal {

Status sqlite_failure(int rc, std::string msg) {
    switch (rc & 0xFF) {
        case SQLITE_FULL:
        case SQLITE_IOERR:
            return Status::unavailable(std::move(msg));
        case SQLITE_CONSTRAINT:
            return Status::conflict(std::move(msg));
        default:
            return Status::internal(std::move(msg));
    }
}

}  // namespace leadflow::server::sqlite_internal
