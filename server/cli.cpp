// server/cli.cpp — command-line parsing and the two commands.
#include "cli.hpp"

#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <ostream>
#include <thread>

#include "http/app.hpp"
#include "http/auth.hpp"
#include "http/httplib_adapter.hpp"
#include "runtime/outbox.hpp"
#include "runtime/scheduler.hpp"
#include "store/sqlite_store.hpp"
#include "util/webhook_signature.hpp"

namespace leadflow::server {

std::string usage_text() {
    return R"(leadflow-server — the Leadflow REST API (SPEC §2) over an embedded SQLite database.

Usage:
  leadflow-server serve --db PATH --port N [options]
  leadflow-server keys create --db PATH --org NAME
  leadflow-server --help

serve: answer HTTP requests until interrupted (SIGINT/SIGTERM).
  --db PATH             SQLite file (created and migrated if needed)
  --port N              TCP port; 0 picks a free port. The line
                        "listening on http://HOST:PORT" is printed once bound.
  --host ADDR           interface to bind (default 127.0.0.1)
  --web-root DIR        serve the web app's files at / from DIR
  --provider NAME       call provider for live progression: sandbox (default) or webhook
  --time-scale X        virtual clock speed of live progression, X > 0 (default 1):
                        TIME holds, sandbox call durations, calling windows and
                        history timestamps run X times faster than the wall clock
  --compat dialnexa     answer in the DialNexa v1 response envelope by default
                        (per request: header X-Response-Envelope: dialnexa)
  --rate-limit N        requests per second per API key, bursts up to N; 0 = unlimited
                        (default 100); over the limit → 429 with Retry-After
  --threads N           HTTP worker threads (default 64); each open keep-alive
                        connection holds one
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
  --retry-backoff-ms N       wall time before the 2nd attempt of an outbound request;
                             doubles after each failure (default 1000)
  --outbound-breaker-cooldown-ms N  after 5 failures in a row to one host:port, its
                             deliveries wait N ms, then one trial decides (default 30000)
  --scheduler-batch N        engine steps per transaction (default 2000)
  --live false               do not run the scheduler (API only)

keys create: create organization NAME if new and a new API key for it. The key
  ("key_id:secret") is printed once, as the last line of stdout; only a salted
  SHA-256 hash of the secret is stored. Use it as "Authorization: Bearer KEY".
)";
}

namespace {

using Options = std::map<std::string, std::string>;

// Parses "--name value" pairs; every option takes a value. Fails on unknown names.
bool parse_options(const std::vector<std::string>& args, std::size_t start,
                   const std::vector<std::string>& allowed, Options* out, std::ostream& err) {
    for (std::size_t i = start; i < args.size(); ++i) {
        const std::string& a = args[i];
        std::string name, value;
        auto eq = a.find('=');
        if (a.rfind("--", 0) != 0) {
            err << "leadflow-server: unexpected argument '" << a << "'\n";
            return false;
        }
        if (eq != std::string::npos) {
            name = a.substr(2, eq - 2);
            value = a.substr(eq + 1);
        } else {
            name = a.substr(2);
            if (i + 1 >= args.size()) {
                err << "leadflow-server: --" << name << " needs a value\n";
                return false;
            }
            value = args[++i];
        }
        bool known = false;
        for (const auto& n : allowed) known = known || n == name;
        if (!known) {
            err << "leadflow-server: unknown option --" << name << " (see --help)\n";
            return false;
        }
        (*out)[name] = value;
    }
    return true;
}

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

int keys_create(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    Options o;
    if (!parse_options(args, 2, {"db", "org"}, &o, err)) return 2;
    if (!o.count("db") || !o.count("org")) {
        err << "leadflow-server: keys create needs --db PATH and --org NAME\n";
        return 2;
    }
    auto store = open_sqlite_store(o["db"]);
    if (!store.ok()) {
        err << "leadflow-server: " << store.status().message() << "\n";
        return 1;
    }
    auto key = create_api_key(*store.value(), o["org"], wall_now());
    if (!key.ok()) {
        err << "leadflow-server: " << key.status().message() << "\n";
        return key.status().code() == StatusCode::kInvalidArgument ? 2 : 1;
    }
    out << "organization " << key->organization.name << " (" << key->organization.id << ")\n"
        << "API key created; it is shown only once:\n"
        << key->key << std::endl;
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
                       {"db", "port", "host", "web-root", "provider", "time-scale", "compat",
                        "rate-limit", "threads", "call-webhook-url", "call-webhook-secret",
                        "call-webhook-secret-file",
                        "public-url", "call-grace-seconds", "deny-loopback", "outbound-timeout-ms",
                        "retry-backoff-ms", "scheduler-batch", "live",
                        "outbound-breaker-cooldown-ms"},
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
            err << "leadflow-server: --" << name << " must be a number from " << lo << " to "
                << hi << "\n";
            return false;
        }
        return true;
    };
    double grace = 60, timeout_ms = 5000, backoff = 1000, batch = 2000, cooldown = 30000;
    if (!number_option("outbound-breaker-cooldown-ms", 0, 3600000, &cooldown)) return 2;
    outbox_config.breaker_cooldown_ms = static_cast<int>(cooldown);
    if (!number_option("call-grace-seconds", 0, 86400, &grace) ||
        !number_option("outbound-timeout-ms", 1, 600000, &timeout_ms) ||
        !number_option("retry-backoff-ms", 0, 3600000, &backoff) ||
        !number_option("scheduler-batch", 1, 100000, &batch)) {
        return 2;
    }
    live_config.call_grace_ms = static_cast<std::int64_t>(grace * 1000);
    live_config.batch = static_cast<int>(batch);
    outbox_config.policy.timeout_ms = static_cast<int>(timeout_ms);
    outbox_config.backoff_base_ms = static_cast<int>(backoff);
    if (o.count("deny-loopback") && o["deny-loopback"] != "true") {
        err << "leadflow-server: --deny-loopback takes only true (loopback is refused by "
               "default; allow a host with --allow-outbound 127.0.0.1:PORT)\n";
        return 2;
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

    auto store = open_sqlite_store(o["db"]);
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
    App app(*store.value(), config);
    HttpServer server(app, static_cast<int>(threads));
    auto bound = server.bind(host, static_cast<int>(port));
    if (!bound.ok()) {
        err << "leadflow-server: " << bound.status().message() << "\n";
        return 1;
    }
    live_config.provider = config.provider;
    live_config.time_scale = config.time_scale;
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
    }
    out << "listening on http://" << host << ":" << bound.value() << std::endl;
    std::thread waiter([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        server.stop();
    });
    bool ok = server.run();
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
    if (args[0] == "keys" && args.size() >= 2 && args[1] == "create") {
        return keys_create(args, out, err);
    }
    err << "leadflow-server: unknown command '" << args[0] << "' (see --help)\n";
    return 2;
}

}  // namespace leadflow::server
