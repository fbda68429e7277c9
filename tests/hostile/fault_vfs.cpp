// tests/hostile/fault_vfs.cpp — see fault_vfs.hpp.
#include "fault_vfs.hpp"

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <mutex>

namespace leadflow::server::testing {
namespace {

// Per operation: fail every call (always), or only when the countdown reaches zero.
struct OpFaults {
    std::atomic<bool> always{false};
    std::atomic<std::int64_t> countdown{0};  // > 0: the countdown-th call from now fails
    std::atomic<bool> disk_full{true};
    std::atomic<std::int64_t> seen{0}, injected{0};
};

OpFaults g_ops[3];

OpFaults& faults(FaultOp op) {
    return g_ops[static_cast<int>(op)];
}

// True when this call of `op` must fail (and counts it).
bool should_fail(FaultOp op) {
    OpFaults& f = faults(op);
    f.seen.fetch_add(1);
    bool fail = f.always.load();
    if (!fail) {
        std::int64_t c = f.countdown.load();
        while (c > 0 && !f.countdown.compare_exchange_weak(c, c - 1)) {
        }
        fail = c == 1;
    }
    if (fail) f.injected.fetch_add(1);
    return fail;
}

sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;

// The shim's file: its methods, then the real VFS's file (szOsFile bytes) right after it.
struct FaultFile {
    sqlite3_file base;
    sqlite3_file* real;
};

sqlite3_file* real_of(sqlite3_file* f) {
    return reinterpret_cast<FaultFile*>(f)->real;
}

int f_close(sqlite3_file* f) {
    sqlite3_file* r = real_of(f);
    int rc = r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
    f->pMethods = nullptr;
    return rc;
}
int f_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
    if (should_fail(FaultOp::kRead)) return SQLITE_IOERR_READ;
    sqlite3_file* r = real_of(f);
    return r->pMethods->xRead(r, buf, n, off);
}
int f_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
    if (should_fail(FaultOp::kWrite)) {
        return faults(FaultOp::kWrite).disk_full.load() ? SQLITE_FULL : SQLITE_IOERR_WRITE;
    }
    sqlite3_file* r = real_of(f);
    return r->pMethods->xWrite(r, buf, n, off);
}
int f_truncate(sqlite3_file* f, sqlite3_int64 size) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xTruncate(r, size);
}
int f_sync(sqlite3_file* f, int flags) {
    if (should_fail(FaultOp::kSync)) return SQLITE_IOERR_FSYNC;
    sqlite3_file* r = real_of(f);
    return r->pMethods->xSync(r, flags);
}
int f_file_size(sqlite3_file* f, sqlite3_int64* size) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xFileSize(r, size);
}
int f_lock(sqlite3_file* f, int level) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xLock(r, level);
}
int f_unlock(sqlite3_file* f, int level) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xUnlock(r, level);
}
int f_check_reserved(sqlite3_file* f, int* out) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xCheckReservedLock(r, out);
}
int f_file_control(sqlite3_file* f, int op, void* arg) {
    // No memory-mapped I/O through the shim: every read must reach f_read.
    if (op == SQLITE_FCNTL_MMAP_SIZE) {
        if (arg) *static_cast<sqlite3_int64*>(arg) = 0;
        return SQLITE_OK;
    }
    sqlite3_file* r = real_of(f);
    return r->pMethods->xFileControl(r, op, arg);
}
int f_sector_size(sqlite3_file* f) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xSectorSize(r);
}
int f_device_characteristics(sqlite3_file* f) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xDeviceCharacteristics(r);
}
int f_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xShmMap(r, page, size, extend, out);
}
int f_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xShmLock(r, offset, n, flags);
}
void f_shm_barrier(sqlite3_file* f) {
    sqlite3_file* r = real_of(f);
    r->pMethods->xShmBarrier(r);
}
int f_shm_unmap(sqlite3_file* f, int del) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xShmUnmap(r, del);
}

// Version 2: shared memory (WAL) but no xFetch/xUnfetch, so SQLite never maps the file.
const sqlite3_io_methods kMethods = {
    2,
    f_close,
    f_read,
    f_write,
    f_truncate,
    f_sync,
    f_file_size,
    f_lock,
    f_unlock,
    f_check_reserved,
    f_file_control,
    f_sector_size,
    f_device_characteristics,
    f_shm_map,
    f_shm_lock,
    f_shm_barrier,
    f_shm_unmap,
    nullptr,
    nullptr,
};

int v_open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
    auto* ff = reinterpret_cast<FaultFile*>(f);
    ff->base.pMethods = nullptr;
    ff->real = reinterpret_cast<sqlite3_file*>(ff + 1);
    std::memset(ff->real, 0, static_cast<std::size_t>(g_real->szOsFile));
    int rc = g_real->xOpen(g_real, name, ff->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (ff->real->pMethods) ff->real->pMethods->xClose(ff->real);
        return rc;
    }
    ff->base.pMethods = &kMethods;
    return SQLITE_OK;
}
int v_delete(sqlite3_vfs*, const char* name, int sync_dir) {
    return g_real->xDelete(g_real, name, sync_dir);
}
int v_access(sqlite3_vfs*, const char* name, int flags, int* out) {
    return g_real->xAccess(g_real, name, flags, out);
}
int v_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
    return g_real->xFullPathname(g_real, name, n, out);
}
void* v_dl_open(sqlite3_vfs*, const char* name) {
    return g_real->xDlOpen(g_real, name);
}
void v_dl_error(sqlite3_vfs*, int n, char* msg) {
    g_real->xDlError(g_real, n, msg);
}
void (*v_dl_sym(sqlite3_vfs*, void* h, const char* sym))(void) {
    return g_real->xDlSym(g_real, h, sym);
}
void v_dl_close(sqlite3_vfs*, void* h) {
    g_real->xDlClose(g_real, h);
}
int v_randomness(sqlite3_vfs*, int n, char* out) {
    return g_real->xRandomness(g_real, n, out);
}
int v_sleep(sqlite3_vfs*, int us) {
    return g_real->xSleep(g_real, us);
}
int v_current_time(sqlite3_vfs*, double* out) {
    return g_real->xCurrentTime(g_real, out);
}
int v_get_last_error(sqlite3_vfs*, int n, char* out) {
    return g_real->xGetLastError ? g_real->xGetLastError(g_real, n, out) : 0;
}
int v_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
    return g_real->xCurrentTimeInt64(g_real, out);
}

}  // namespace

bool register_fault_vfs() {
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] {
        g_real = sqlite3_vfs_find(nullptr);
        if (!g_real || g_real->iVersion < 2) return;
        g_vfs = sqlite3_vfs{};
        g_vfs.iVersion = 2;
        g_vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + g_real->szOsFile;
        g_vfs.mxPathname = g_real->mxPathname;
        g_vfs.zName = kFaultVfsName;
        g_vfs.xOpen = v_open;
        g_vfs.xDelete = v_delete;
        g_vfs.xAccess = v_access;
        g_vfs.xFullPathname = v_full_pathname;
        g_vfs.xDlOpen = v_dl_open;
        g_vfs.xDlError = v_dl_error;
        g_vfs.xDlSym = v_dl_sym;
        g_vfs.xDlClose = v_dl_close;
        g_vfs.xRandomness = v_randomness;
        g_vfs.xSleep = v_sleep;
        g_vfs.xCurrentTime = v_current_time;
        g_vfs.xGetLastError = v_get_last_error;
        g_vfs.xCurrentTimeInt64 = v_current_time_int64;
        ok = sqlite3_vfs_register(&g_vfs, 0) == SQLITE_OK;
    });
    return ok;
}

void fail_from_now(FaultOp op, bool disk_full) {
    faults(op).disk_full = disk_full;
    faults(op).always = true;
}

void fail_nth(FaultOp op, std::int64_t n, bool disk_full) {
    faults(op).disk_full = disk_full;
    faults(op).countdown = n;
}

void clear_faults() {
    for (OpFaults& f : g_ops) {
        f.always = false;
        f.countdown = 0;
    }
}

std::int64_t fault_ops(FaultOp op) {
    return faults(op).seen.load();
}

std::int64_t faults_injected(FaultOp op) {
    return faults(op).injected.load();
}

}  // namespace leadflow::server::testing
