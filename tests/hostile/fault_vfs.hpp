// tests/hostile/fault_vfs.hpp — a SQLite VFS shim that injects storage faults, the way SQLite
// tests itself (its test_vfs.c / "malfunctioning VFS" tests): registered with
// sqlite3_vfs_register under kFaultVfsName, it wraps the default VFS and forwards every call,
// except that writes, syncs and reads of the database, WAL and journal files fail on demand —
// at the N-th operation from now, or every operation from now until clear_faults(). A failing
// write answers SQLITE_FULL (a full disk) or SQLITE_IOERR_WRITE, a failing sync
// SQLITE_IOERR_FSYNC, a failing read SQLITE_IOERR_READ.
//
// The shim's files do not support memory-mapped I/O (so every read goes through xRead and can
// fail). Faults are process-wide: one test at a time drives them.
#pragma once

#include <cstdint>

namespace leadflow::server::testing {

inline constexpr const char* kFaultVfsName = "leadflow-fault";

// Registers the shim (once; not as the default VFS). Returns false when SQLite refused.
bool register_fault_vfs();

enum class FaultOp { kWrite, kSync, kRead };

// Every `op` from now on fails until clear_faults(). For kWrite, `disk_full` picks
// SQLITE_FULL (else SQLITE_IOERR_WRITE).
void fail_from_now(FaultOp op, bool disk_full = true);
// Only the n-th `op` from now (n >= 1) fails, once.
void fail_nth(FaultOp op, std::int64_t n, bool disk_full = true);
// Every operation succeeds again.
void clear_faults();

// Operations seen through the shim and failures injected, since the process started.
std::int64_t fault_ops(FaultOp op);
std::int64_t faults_injected(FaultOp op);

}  // namespace leadflow::server::testing
