// server/cli.cpp — command-line parsing and the two commands.
#include "cli.hpp"

#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <thread>

#include "cli_internal.hpp"
#include "http/app.hpp"
#include "http/auth.hpp"
#include "http/httplib_adapter.hpp"
#include "http/openapi.hpp"
#include "leadflow/scenario.hpp"
#include "leadflow/wire.hpp"
#include "runtime/outbox.hpp"
#include "runtime/scheduler.hpp"
#include "store/open_store.hpp"
#include "store/sqlite_store.hpp"
#include "util/webhook_signature.hpp"

namespace leadflow::server {

std::string usage_text() {
    return R"(leadflow-server — the Leadflow REST API over an embedded SQLite database.

Usage:
  leadflow-server serve --db PATH --port N [options]
  leadflow-server keys create --db PATH --org NAME [--expires-in-days N] [--read-only true]
  leadflow-server keys list --db PATH [--org NAME]
  leadflow-server keys revoke --db PATH KEY_ID
  leadflow-server keys rotate --db PATH KEY_ID [--overlap-hours N] [--expires-in-days N]
  leadflow-server backup --db PATH --to FILE
  leadflow-server migrate --db PATH
  leadflow-server openapi
  leadflow-server --help

backup: copy the database into FILE, a new file (never overwritten), as of one instant,
  while a server may be using it; the copy is checked before it takes its name.
migrate: apply the schema migrations this build knows to the database (serve and keys
  do so too) and say which version it went from and to; nothing else changes.
openapi: print the OpenAPI 3 document of the API (what GET /v1/openapi.json answers).

serve: answer HTTP requests until interrupted (SIGINT/SIGTERM).
  --db PATH             SQLite file, also written sqlite:PATH (created and migrated if
                        needed; every command takes --db this way). Created mode 0600;
                        an existing file (or its -wal/-shm) open to group or others is
                        changed to owner-only, with a warning on stderr
  --port N              TCP port; 0 picks a free port. The line
                        "listening on http://HOST:PORT" is printed once bound.
  --host ADDR           interface to bind (default 127.0.0.1)
  --web-root DIR        serve the web app's files at / from DIR
  --provider NAME       call provider for live progression: sandbox (default) or webhook
  --time-scale X        virtual clock speed of live progression, X > 0 (default 1):
                        TIME holds, sandbox call durations, calling windows and
                        history timestamps run X times faster than the wall clock
  --sandbox-scenario FILE
                        the sandbox draws every workflow's calls and actions from
                        this scenario (SPEC JSON) instead of each version's own: a
                        "reality" apart from the plan, for demos and drift drills
  --compat dialnexa     answer in the DialNexa v1 response envelope by default
                        (per request: header X-Response-Envelope: dialnexa)
  --rate-limit N        requests per second per API key, bursts up to N; 0 = unlimited
                        (default 100); over the limit → 429 with Retry-After
  --threads N           HTTP worker threads (default 64); a worker serves one request
                        whose head has fully arrived; idle and slow connections
                        wait without one (see docs/deployment.md)
  --max-connections N   open client connections in all (default 10000, at most the
                        open-file limit minus 64); more are answered 503 and closed
  --max-connections-per-peer N  open connections from one IP address (default 256)
  --header-timeout-ms N  a request head (request line and headers) must arrive
                        within N ms of its first byte (default 10000); else 408
  --idle-timeout-ms N   a keep-alive connection without a request is closed after
                        N ms (default 60000)
  --body-timeout-ms N   a request body must arrive within N ms of its head
                        (default 60000); else 408
  --shutdown-grace-ms N  on SIGINT/SIGTERM, requests in progress may finish for N ms
                        (default 10000); then the server exits (status 1) without them
  --call-webhook-url URL     webhook provider: where calls are dispatched (signed POST)
  --call-webhook-secret-file PATH  Standard Webhooks secret for dispatches and
                             POST /v1/calls/{id}/result, read from PATH (first line);
                             also LEADFLOW_CALL_WEBHOOK_SECRET; "whsec_<base64>" or raw
  --call-webhook-secret S    the same secret on the command line (visible in ps: prefer
                             the file or the environment)
  --public-url URL           base of the callback_url sent to the voice platform
                             (default http://HOST:PORT)
  --call-grace-seconds N     a webhook call without a result after max_call_seconds + N
                             ends FAILED (reason call_timeout); default 60
  --allow-outbound HOST[:PORT]  host that webhooks may reach even when it is or resolves
                             to a loopback, private, link-local or other internal address
                             (repeatable; for development, e.g. 127.0.0.1:9000). Public
                             hosts need no flag; internal ones are refused without it
  --deny-loopback true       accepted for compatibility: loopback is always refused unless
                             named with --allow-outbound
  --outbound-timeout-ms N    timeout of outbound requests (default 5000)
  --outbox-lease-seconds N   several servers on one PostgreSQL database: a delivery one
                             server claimed waits this long before another may retry it
                             (default 600; 1-86400)
  --scheduler-lease-seconds N  several servers on one PostgreSQL database: a workflow whose
                             server stopped renewing its lease is taken over after N
                             seconds (default 10; 1-3600)
  --retry-backoff-ms N       wall time before the 2nd attempt of an outbound request;
                             doubles after each failure (default 1000)
  --outbound-breaker-cooldown-ms N  after 5 failures in a row to one host:port, its
                             deliveries wait N ms, then one trial decides (default 30000)
  --scheduler-batch N        engine steps per transaction (default 2000)
  --live false               do not run the scheduler (API only)
  --metrics-listen HOST:PORT also answer GET /metrics without an API key, over every
                             organization, on this second address (for the scrape);
                             on the API port /metrics needs a key and shows only the
                             key's organization. Its line "metrics on http://HOST:PORT"
                             is printed after the "listening on" line
  --first-key-org NAME       when the database has no API key yet, create organization
                             NAME and a key for it and print the key once (stdout, after
                             the "listening on" line); later starts print none

keys create: create organization NAME if new and a new API key for it. The key
  ("key_id:secret") is printed once, as the last line of stdout; only a salted
  SHA-256 hash of the secret is stored. Use it as "Authorization: Bearer KEY".
  --expires-in-days N   the key is refused (401 "API key has expired") N days from now;
                        N > 0, fractions allowed, at most 36500 (default: never expires)
  --read-only true      the key may call GET and HEAD routes only (others: 403)
keys list: one line per key, oldest first: id, organization, created, expires,
  revoked, access (read-write or read-only). Secrets are never shown.
keys revoke: refuse KEY_ID from now on (401 "API key has been revoked"), also on a
  server that is running.
keys rotate: a new key for KEY_ID's organization (read-only if KEY_ID is), printed
  once; KEY_ID keeps working for --overlap-hours N more hours (default 24; 0 = ends
  now; N from 0 to 8760), then expires. A revoked key cannot be rotated.
)";
}

namespace {

using Options = CliOptions;

bool parse_number(const std::string& s, double* out) {
    if (s.empty()) return false;
    char* end = nullptr;
    *out = std::strtod(s.c_str(), &end);
    return end && *end == '\0';
}

TimeMs wall_now() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Splits "keys <verb> [KEY_ID] --opt v …": the one positional argument (if any) and the options.
bool parse_keys_args(const std::vector<std::string>& args, const std::vector<std::string>& allowed,
                     bool want_key_id, std::string* key_id, Options* o, std::ostream& err) {
    std::vector<std::string> rest(args.begin(), args.begin() + 2);
    for (std::size_t i = 2; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.rfind("--", 0) == 0) {
            rest.push_back(a);
            if (a.find('=') == std::string::npos && i + 1 < args.size()) rest.push_back(args[++i]);
        } else if (want_key_id && key_id->empty()) {
            *key_id = a;
        } else {
            err << "leadflow-server: unexpected argument '" << a << "'\n";
            return false;
        }
    }
    if (!parse_options(rest, 2, allowed, o, err)) return false;
    if (!o->count("db")) {
        err << "leadflow-server: keys " << args[1] << " needs --db PATH\n";
        return false;
    }
    if (want_key_id && key_id->empty()) {
        err << "leadflow-server: keys " << args[1] << " needs a KEY_ID (see keys list)\n";
        return false;
    }
    return true;
}

// --expires-in-days into *opts (absent: never expires).
bool parse_key_expiry(Options& o, TimeMs now, KeyOptions* opts, std::ostream& err) {
    if (!o.count("expires-in-days")) return true;
    double days = 0;
    if (!parse_number(o["expires-in-days"], &days) || !(days > 0) || days > 36500) {
        err << "leadflow-server: --expires-in-days must be a number > 0 and at most 36500\n";
        return false;
    }
    opts->expires_at = now + static_cast<TimeMs>(days * 86400.0 * 1000.0);
    return true;
}

std::string iso_time(TimeMs t) {
    std::time_t secs = static_cast<std::time_t>(t / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

void print_created_key(const CreatedKey& key, std::ostream& out) {
    if (key.expires_at) out << "expires " << iso_time(*key.expires_at) << "\n";
    if (key.read_only) out << "read-only: GET and HEAD routes only\n";
    out << "API key created; it is shown only once:\n" << key.key << std::endl;
}

int keys_create(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    Options o;
    if (!parse_options(args, 2, {"db", "org", "expires-in-days", "read-only"}, &o, err)) return 2;
    if (!o.count("db") || !o.count("org")) {
        err << "leadflow-server: keys create needs --db PATH and --org NAME\n";
        return 2;
    }
    const TimeMs now = wall_now();
    KeyOptions opts;
    if (!parse_key_expiry(o, now, &opts, err)) return 2;
    if (o.count("read-only")) {
        if (o["read-only"] != "true" && o["read-only"] != "false") {
            err << "leadflow-server: --read-only takes true or false\n";
            return 2;
        }
        opts.read_only = o["read-only"] == "true";
    }
    auto store = open_store(o["db"]);
    if (!store.ok()) {
        err << "leadflow-server: " << store.status().message() << "\n";
        return 1;
    }
    auto key = create_api_key(*store.value(), o["org"], now, opts);
    if (!key.ok()) return store_error(key.status(), err);
    out << "organization " << key->organization.name << " (" << key->organization.id << ")\n";
    print_created_key(key.value(), out);
    return 0;
}

int keys_list(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    Options o;
    std::string none;
    if (!parse_keys_args(args, {"db", "org"}, false, &none, &o, err)) return 2;
    auto store = open_store(o["db"]);
    if (!store.ok()) {
        err << "leadflow-server: " << store.status().message() << "\n";
        return 1;
    }
    std::vector<ApiKeyInfo> keys;
    Status st = store.value()->read([&](StoreTx& tx) {
        auto k = tx.list_api_keys(o.count("org") ? o["org"] : "");
        if (!k.ok()) return k.status();
        keys = std::move(k).value();
        return Status::ok();
    });
    if (!st) return store_error(st, err);
    const TimeMs now = wall_now();
    out << "KEY_ID\tORGANIZATION\tCREATED\tEXPIRES\tREVOKED\tACCESS\n";
    for (const ApiKeyInfo& i : keys) {
        const ApiKeyRecord& k = i.key;
        std::string expires = "never";
        if (k.expires_at) {
            expires = iso_time(*k.expires_at) + (*k.expires_at <= now ? " (expired)" : "");
        }
        out << k.id << "\t" << i.organization_name << "\t" << iso_time(k.created_at) << "\t"
            << expires << "\t" << (k.revoked_at ? iso_time(*k.revoked_at) : "no") << "\t"
            << (k.read_only ? "read-only" : "read-write") << "\n";
    }
    out << std::flush;
    return 0;
}

int keys_revoke(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    Options o;
    std::string key_id;
    if (!parse_keys_args(args, {"db"}, true, &key_id, &o, err)) return 2;
    auto store = open_store(o["db"]);
    if (!store.ok()) {
        err << "leadflow-server: " << store.status().message() << "\n";
        return 1;
    }
    if (Status st = revoke_api_key(*store.value(), key_id, wall_now()); !st) {
        return store_error(st, err);
    }
    out << "API key " << key_id << " revoked" << std::endl;
    return 0;
}

int keys_rotate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    Options o;
    std::string key_id;
    if (!parse_keys_args(args, {"db", "overlap-hours", "expires-in-days"}, true, &key_id, &o,
                         err)) {
        return 2;
    }
    double hours = 24;
    if (o.count("overlap-hours") &&
        (!parse_number(o["overlap-hours"], &hours) || hours < 0 || hours > 8760)) {
        err << "leadflow-server: --overlap-hours must be a number from 0 to 8760\n";
        return 2;
    }
    const TimeMs now = wall_now();
    KeyOptions opts;
    if (!parse_key_expiry(o, now, &opts, err)) return 2;
    auto store = open_store(o["db"]);
    if (!store.ok()) {
        err << "leadflow-server: " << store.status().message() << "\n";
        return 1;
    }
    const TimeMs overlap = static_cast<TimeMs>(hours * 3600.0 * 1000.0);
    auto key = rotate_api_key(*store.value(), key_id, now, overlap, opts);
    if (!key.ok()) return store_error(key.status(), err);
    out << "API key " << key_id << " stays valid until " << iso_time(now + overlap)
        << " at the latest\n";
    print_created_key(key.value(), out);
    return 0;
}

int serve(const std::vector<std::string>& all_args, std::ostream& out, std::ostream& err) {
    Options o;
    // --allow-outbound repeats; every other option takes one value.
    std::vector<std::string> args, allow_outbound;
    for (std::size_t i = 0; i < all_args.size(); ++i) {
        const std::string& a = all_args[i];
        if (a == "--allow-outbound" && i + 1 < all_args.size()) {
            allow_outbound.push_back(all_args[++i]);
        } else if (a.rfind("--allow-outbound=", 0) == 0) {
            allow_outbound.push_back(a.substr(17));
        } else {
            args.push_back(a);
        }
    }
    if (!parse_options(args, 1,
                       // clang-format off
                       {"db", "port", "host", "web-root", "provider", "time-scale", "compat",
                        "rate-limit", "threads", "call-webhook-url", "call-webhook-secret",
                        "call-webhook-secret-file",
                        "public-url", "call-grace-seconds", "deny-loopback", "outbound-timeout-ms",
                        "retry-backoff-ms", "scheduler-batch", "live",
                        "max-connections", "max-connections-per-peer", "header-timeout-ms",
                        "idle-timeout-ms", "body-timeout-ms", "shutdown-grace-ms",
                        "metrics-listen", "first-key-org", "outbound-breaker-cooldown-ms",
                        "outbox-lease-seconds", "scheduler-lease-seconds",
                        "sandbox-scenario"},
                       // clang-format on
                       &o, err)) {
        return 2;
    }
    RuntimeConfig live_config;
    OutboxConfig outbox_config;
    for (std::string h : allow_outbound) {
        for (auto& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (h.empty() || h.find('/') != std::string::npos) {
            err << "leadflow-server: --allow-outbound takes HOST or HOST:PORT\n";
            return 2;
        }
        outbox_config.policy.allowed.push_back(h);
    }
    auto number_option = [&](const char* name, double lo, double hi, double* v) {
        if (!o.count(name)) return true;
        if (!parse_number(o[name], v) || *v < lo || *v > hi) {
            err << "leadflow-server: --" << name << " must be a number from " << lo << " to " << hi
                << "\n";
            return false;
        }
        return true;
    };
    double grace = 60, timeout_ms = 5000, backoff = 1000, batch = 2000, cooldown = 30000;
    double lease_s = outbox_config.lease_ms / 1000;
    double scheduler_lease_s = static_cast<double>(live_config.lease_ms) / 1000;
    if (!number_option("outbound-breaker-cooldown-ms", 0, 3600000, &cooldown) ||
        !number_option("outbox-lease-seconds", 1, 86400, &lease_s) ||
        !number_option("scheduler-lease-seconds", 1, 3600, &scheduler_lease_s)) {
        return 2;
    }
    live_config.lease_ms = static_cast<std::int64_t>(scheduler_lease_s * 1000);
    outbox_config.breaker_cooldown_ms = static_cast<int>(cooldown);
    outbox_config.lease_ms = static_cast<int>(lease_s * 1000);
    if (!number_option("call-grace-seconds", 0, 86400, &grace) ||
        !number_option("outbound-timeout-ms", 1, 600000, &timeout_ms) ||
        !number_option("retry-backoff-ms", 0, 3600000, &backoff) ||
        !number_option("scheduler-batch", 1, 100000, &batch)) {
        return 2;
    }
    ConnectionLimits limits;
    double max_conns = limits.max_connections, per_peer = limits.max_connections_per_peer,
           header_ms = limits.header_timeout_ms, idle_ms = limits.idle_timeout_ms,
           body_ms = limits.body_timeout_ms, grace_ms = limits.shutdown_grace_ms;
    if (!number_option("max-connections", 1, 1000000, &max_conns) ||
        !number_option("max-connections-per-peer", 1, 1000000, &per_peer) ||
        !number_option("header-timeout-ms", 1, 3600000, &header_ms) ||
        !number_option("idle-timeout-ms", 1, 86400000, &idle_ms) ||
        !number_option("body-timeout-ms", 1, 86400000, &body_ms) ||
        !number_option("shutdown-grace-ms", 0, 3600000, &grace_ms)) {
        return 2;
    }
    limits.max_connections = static_cast<int>(max_conns);
    limits.max_connections_per_peer = static_cast<int>(per_peer);
    limits.header_timeout_ms = static_cast<int>(header_ms);
    limits.idle_timeout_ms = static_cast<int>(idle_ms);
    limits.body_timeout_ms = static_cast<int>(body_ms);
    limits.shutdown_grace_ms = static_cast<int>(grace_ms);
    live_config.call_grace_ms = static_cast<std::int64_t>(grace * 1000);
    live_config.batch = static_cast<int>(batch);
    outbox_config.policy.timeout_ms = static_cast<int>(timeout_ms);
    outbox_config.backoff_base_ms = static_cast<int>(backoff);
    if (o.count("deny-loopback") && o["deny-loopback"] != "true") {
        err << "leadflow-server: --deny-loopback takes only true (loopback is refused by "
               "default; allow a host with --allow-outbound 127.0.0.1:PORT)\n";
        return 2;
    }
    // What the sandbox draws calls from, when not each version's own scenario.
    Json sandbox_scenario;
    if (o.count("sandbox-scenario")) {
        std::ifstream in(o["sandbox-scenario"], std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!in && !in.eof()) {
            err << "leadflow-server: --sandbox-scenario: cannot read " << o["sandbox-scenario"]
                << "\n";
            return 2;
        }
        auto parsed = parse_json(text);
        if (!parsed.ok() || !parse_scenario(parsed.value()).ok()) {
            err << "leadflow-server: --sandbox-scenario " << o["sandbox-scenario"] << ": "
                << (parsed.ok() ? parse_scenario(parsed.value()).status().message()
                                : parsed.status().message())
                << "\n";
            return 2;
        }
        sandbox_scenario = std::move(parsed.value());
    }
    // The call webhook secret: a file or the environment keep it out of ps; the flag stays.
    std::string call_secret;
    if (o.count("call-webhook-secret-file")) {
        std::ifstream in(o["call-webhook-secret-file"]);
        if (!in || !std::getline(in, call_secret)) {
            err << "leadflow-server: --call-webhook-secret-file: cannot read "
                << o["call-webhook-secret-file"] << "\n";
            return 2;
        }
        while (!call_secret.empty() && (call_secret.back() == '\r' || call_secret.back() == ' ')) {
            call_secret.pop_back();
        }
    } else if (o.count("call-webhook-secret")) {
        call_secret = o["call-webhook-secret"];
    } else if (const char* env = std::getenv("LEADFLOW_CALL_WEBHOOK_SECRET")) {
        call_secret = env;
    }
    if (!call_secret.empty() && !webhook_key(call_secret)) {
        err << "leadflow-server: the call webhook secret starts with whsec_ but the rest is "
               "not base64\n";
        return 2;
    }
    const bool run_live = !(o.count("live") && o["live"] == "false");
    if (o.count("call-webhook-url")) {
        auto s = check_outbound(outbox_config.policy, o["call-webhook-url"]);
        if (!s) {
            err << "leadflow-server: --call-webhook-url: " << s.message() << "\n";
            return 2;
        }
    }
    if (!o.count("db") || !o.count("port")) {
        err << "leadflow-server: serve needs --db PATH and --port N\n";
        return 2;
    }
    ServerConfig config;
    double port = 0, threads = 64;
    if (!parse_number(o["port"], &port) || port < 0 || port > 65535 ||
        port != static_cast<int>(port)) {
        err << "leadflow-server: --port must be an integer from 0 to 65535\n";
        return 2;
    }
    const std::string host = o.count("host") ? o["host"] : "127.0.0.1";
    std::string metrics_host;
    int metrics_port = -1;
    if (o.count("metrics-listen")) {
        const std::string& v = o["metrics-listen"];
        const auto colon = v.rfind(':');
        double p = -1;
        if (colon != std::string::npos && colon > 0) {
            metrics_host = v.substr(0, colon);
            if (metrics_host.size() > 2 && metrics_host.front() == '[' &&
                metrics_host.back() == ']') {
                metrics_host = metrics_host.substr(1, metrics_host.size() - 2);
            }
        }
        if (metrics_host.empty() || !parse_number(v.substr(colon + 1), &p) || p < 0 || p > 65535 ||
            p != static_cast<int>(p)) {
            err << "leadflow-server: --metrics-listen takes HOST:PORT (port 0 to 65535)\n";
            return 2;
        }
        metrics_port = static_cast<int>(p);
    }
    if (o.count("first-key-org") &&
        (o["first-key-org"].empty() || o["first-key-org"].size() > 100)) {
        err << "leadflow-server: --first-key-org takes an organization name of 1 to 100 "
               "characters\n";
        return 2;
    }
    if (o.count("provider")) {
        if (o["provider"] != "sandbox" && o["provider"] != "webhook") {
            err << "leadflow-server: --provider must be sandbox or webhook\n";
            return 2;
        }
        config.provider = o["provider"];
    }
    if (o.count("time-scale") &&
        (!parse_number(o["time-scale"], &config.time_scale) || !(config.time_scale > 0))) {
        err << "leadflow-server: --time-scale must be a number > 0\n";
        return 2;
    }
    if (o.count("compat")) {
        if (o["compat"] != "dialnexa") {
            err << "leadflow-server: --compat accepts only dialnexa\n";
            return 2;
        }
        config.compat_dialnexa = true;
    }
    if (o.count("rate-limit") &&
        (!parse_number(o["rate-limit"], &config.rate_limit) || config.rate_limit < 0)) {
        err << "leadflow-server: --rate-limit must be a number >= 0\n";
        return 2;
    }
    if (o.count("threads") &&
        (!parse_number(o["threads"], &threads) || threads < 1 || threads > 1024)) {
        err << "leadflow-server: --threads must be from 1 to 1024\n";
        return 2;
    }
    if (o.count("web-root")) {
        config.web_root = o["web-root"];
        struct stat st {};
        if (stat(config.web_root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
            err << "leadflow-server: warning: web root " << config.web_root
                << " is not a folder yet; / answers 404 until it exists\n";
        }
    }
    // Signals go to one waiting thread (blocked everywhere else: blocked here before any thread
    // starts, the store's and httplib's threads inherit the mask).
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto store = open_store(o["db"]);
    if (!store.ok()) {
        err << "leadflow-server: " << store.status().message() << "\n";
        return 1;
    }

    if (config.provider == "webhook" && (!o.count("call-webhook-url") || call_secret.empty())) {
        err << "leadflow-server: --provider webhook needs --call-webhook-url and a secret "
               "(--call-webhook-secret-file, LEADFLOW_CALL_WEBHOOK_SECRET or "
               "--call-webhook-secret)\n";
        return 2;
    }
    // The first key is shown only by the start that creates it; every start says how to
    // manage keys instead.
    std::optional<CreatedKey> first_key;
    {
        std::size_t key_count = 0;
        Status st = store.value()->read([&](StoreTx& tx) {
            auto k = tx.list_api_keys("");
            if (!k.ok()) return k.status();
            key_count = k->size();
            return Status::ok();
        });
        if (!st) {
            err << "leadflow-server: " << st.message() << "\n";
            return 1;
        }
        if (key_count == 0 && o.count("first-key-org")) {
            auto k = create_api_key(*store.value(), o["first-key-org"], wall_now());
            if (!k.ok()) {
                err << "leadflow-server: " << k.status().message() << "\n";
                return 1;
            }
            first_key = std::move(k).value();
        } else if (key_count == 0) {
            err << "leadflow-server: no API key yet; create one with: leadflow-server keys "
                   "create --db "
                << printable_store_location(o["db"]) << " --org NAME\n";
        } else {
            err << "leadflow-server: " << key_count << " API key(s) in the database (not shown); "
                << "list them with: leadflow-server keys list --db "
                << printable_store_location(o["db"])
                << "; create one with: leadflow-server keys create --db "
                << printable_store_location(o["db"]) << " --org NAME\n";
        }
    }
    App app(*store.value(), config);
    limits.workers = static_cast<int>(threads);
    HttpServer server(app, limits);
    auto bound = server.bind(host, static_cast<int>(port));
    if (!bound.ok()) {
        err << "leadflow-server: " << bound.status().message() << "\n";
        return 1;
    }
    // The operator's scrape listener: its own small App (GET /metrics only) and server.
    std::unique_ptr<App> metrics_app;
    std::unique_ptr<HttpServer> metrics_server;
    int metrics_bound = 0;
    if (metrics_port >= 0) {
        ServerConfig mc = config;
        mc.metrics_only = true;
        metrics_app = std::make_unique<App>(*store.value(), mc);
        metrics_app->set_metrics_source(&app);
        ConnectionLimits metrics_limits = limits;
        metrics_limits.workers = 2;
        metrics_server = std::make_unique<HttpServer>(*metrics_app, metrics_limits);
        auto mb = metrics_server->bind(metrics_host, metrics_port);
        if (!mb.ok()) {
            err << "leadflow-server: --metrics-listen: " << mb.status().message() << "\n";
            return 1;
        }
        metrics_bound = mb.value();
    }
    live_config.provider = config.provider;
    live_config.time_scale = config.time_scale;
    live_config.sandbox_scenario = sandbox_scenario;
    live_config.call_webhook_url = o.count("call-webhook-url") ? o["call-webhook-url"] : "";
    live_config.call_webhook_secret = call_secret;
    live_config.public_url = o.count("public-url")
                                 ? o["public-url"]
                                 : "http://" + host + ":" + std::to_string(bound.value());
    outbox_config.call_webhook_url = live_config.call_webhook_url;
    outbox_config.call_webhook_secret = live_config.call_webhook_secret;
    Clock clock = system_clock();
    Scheduler scheduler(*store.value(), live_config, clock.now, clock.monotonic_ms);
    OutboxWorker outbox(*store.value(), scheduler, outbox_config, clock.now);
    if (run_live) {
        if (Status s = scheduler.init(); !s) {
            err << "leadflow-server: " << s.message() << "\n";
            return 1;
        }
        app.set_live(&scheduler);
        scheduler.start();
        outbox.start();
        // Another server's API write may have made work due here (several servers on one
        // PostgreSQL database): look now rather than at the next poll.
        store.value()->on_remote_work([&scheduler] { scheduler.wake(); });
    }
    out << "listening on http://" << host << ":" << bound.value() << std::endl;
    if (metrics_server) {
        out << "metrics on http://" << metrics_host << ":" << metrics_bound << std::endl;
    }
    if (first_key) {
        out << "organization " << first_key->organization.name << " (" << first_key->organization.id
            << ")\n"
            << "API key created; it is shown only once:\n"
            << first_key->key << std::endl;
    }
    std::thread metrics_thread;
    std::atomic<bool> metrics_done{false};
    if (metrics_server) {
        metrics_thread = std::thread([&] {
            metrics_server->run();
            metrics_done = true;
        });
    }
    std::atomic<bool> serving_done{false};
    std::thread waiter([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        // stop() does nothing before run() has started listening (a signal right after the
        // "listening on" line): repeat until run() has returned.
        while (!serving_done) {
            server.stop();
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
    const ConnectionGuard::Outcome outcome = server.run();
    serving_done = true;
    if (metrics_server) {
        // stop() does nothing before run() has started listening: repeat until it returned.
        while (!metrics_done) {
            metrics_server->stop();
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        metrics_thread.join();
    }
    if (outcome == ConnectionGuard::Outcome::kGraceExpired) {
        // Workers are still inside handlers that use the store: exit without unwinding.
        err << "leadflow-server: requests still running after the shutdown grace; exiting"
            << std::endl;
        std::fflush(nullptr);
        std::_Exit(1);
    }
    const bool ok = outcome == ConnectionGuard::Outcome::kStopped;
    store.value()->on_remote_work(nullptr);
    outbox.stop();
    scheduler.stop();
    // If the server stopped by itself, wake the waiter so it can be joined.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    return ok ? 0 : 1;
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        out << usage_text();
        return args.empty() ? 2 : 0;
    }
    for (const auto& a : args) {
        if (a == "--help" || a == "-h") {
            out << usage_text();
            return 0;
        }
    }
    if (args[0] == "serve") return serve(args, out, err);
    if (args[0] == "backup") return db_backup(args, out, err);
    if (args[0] == "migrate") return db_migrate(args, out, err);
    if (args[0] == "openapi" && args.size() == 1) {
        Router router;
        register_api_routes(router);
        out << openapi_document(router).dump(2) << '\n';
        return 0;
    }
    if (args[0] == "keys" && args.size() >= 2) {
        if (args[1] == "create") return keys_create(args, out, err);
        if (args[1] == "list") return keys_list(args, out, err);
        if (args[1] == "revoke") return keys_revoke(args, out, err);
        if (args[1] == "rotate") return keys_rotate(args, out, err);
    }
    err << "leadflow-server: unknown command '" << args[0] << "' (see --help)\n";
    return 2;
}

}  // namespace leadflow::server
