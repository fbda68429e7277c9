// tests/server/live_process_test.cpp — live progression in a real `leadflow-server` process on
// 127.0.0.1: crash tests (SIGKILL mid-run, restart on the same database, every lead finishes
// exactly once; SIGKILL during a `move` publish, the leads all on one version), the webhook call
// provider against a fake voice platform (normal, duplicate, late and missing results), APPLICATION
// webhooks with templating, user webhooks, and the outbound allow-list.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_receiver.hpp"
#include "leadflow/json.hpp"
#include "process_test_util.hpp"
#include "runtime/outbound.hpp"
#include "runtime/outbox.hpp"
#include "runtime/scheduler.hpp"
#include "server_test_util.hpp"
#include "util/webhook_signature.hpp"

namespace leadflow::server::testing {
namespace {

// The settings of a workflow whose calls run at any hour: new workflows hold calls for the
// leads' local hours (docs/calling-hours.md), which this file does not test.
const Json kAnyHour = {"settings", Json{{"respect_lead_local_time", false}}};

using namespace std::chrono_literals;

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

class LiveProcess : public ::testing::Test {
  protected:
    void start(std::vector<std::string> extra) {
        if (key_.empty()) key_ = create_key(db_);
        // The test receivers listen on loopback, which outbound requests may reach only when
        // the operator names it.
        std::vector<std::string> args{"serve",    "--db",         db_, "--port",
                                      "0",        "--rate-limit", "0", "--allow-outbound",
                                      "127.0.0.1"};
        args.insert(args.end(), extra.begin(), extra.end());
        proc_ = std::make_unique<ServerProcess>(args);
        ASSERT_GT(proc_->port(), 0);
        client_ = std::make_unique<httplib::Client>("127.0.0.1", proc_->port());
        client_->set_read_timeout(30, 0);
    }
    Json call(const std::string& method, const std::string& path, const Json& body = Json(),
              int expect = 0) {
        httplib::Headers h{{"Authorization", "Bearer " + key_}};
        httplib::Result r =
            method == "GET"     ? client_->Get(path.c_str(), h)
            : method == "PUT"   ? client_->Put(path.c_str(), h, body.dump(), "application/json")
            : method == "PATCH" ? client_->Patch(path.c_str(), h, body.dump(), "application/json")
                                : client_->Post(path.c_str(), h, body.is_null() ? "" : body.dump(),
                                                "application/json");
        EXPECT_TRUE(r) << method << " " << path;
        if (!r) return Json();
        if (expect) {
            EXPECT_EQ(r->status, expect) << method << " " << path << ": " << r->body;
        }
        Json j = Json::parse(r->body, nullptr, false);
        return j.is_discarded() ? Json(r->body) : j;
    }
    std::string import_fixture(const std::string& name) {
        Json g = Json::parse(read_file(std::string(LEADFLOW_FIXTURES_DIR) + "/" + name + ".json"));
        std::string wf = call("POST", "/v1/workflows", Json{{"title", name}, kAnyHour}, 201)["id"]
                             .get<std::string>();
        call("PUT", "/v1/workflows/" + wf + "/graph",
             Json{{"nodes", g["nodes"]}, {"edges", g["edges"]}}, 200);
        call("PATCH", "/v1/workflows/" + wf, Json{{"settings", g["workflow"]["settings"]}}, 200);
        call("PUT", "/v1/workflows/" + wf + "/scenario",
             Json::parse(
                 read_file(std::string(LEADFLOW_FIXTURES_DIR) + "/" + name + ".scenario.json")),
             200);
        return wf;
    }
    std::vector<std::string> enrol(const std::string& wf, int n,
                                   const std::function<Json(int)>& vars = nullptr) {
        std::vector<std::string> ids;
        Json leads = Json::array();
        for (int i = 0; i < n; ++i) {
            char phone[32];
            std::snprintf(phone, sizeof phone, "+1415%07d", 2000000 + i);
            Json l{{"phone_number", phone}};
            if (vars) l["variables"] = vars(i);
            leads.push_back(l);
        }
        Json b = call("POST", "/v1/workflows/" + wf + "/leads", Json{{"leads", leads}}, 201);
        for (int i = 0; i < n; ++i) {
            char phone[32];
            std::snprintf(phone, sizeof phone, "+1415%07d", 2000000 + i);
            ids.push_back(b["data"][phone][0].get<std::string>());
        }
        return ids;
    }
    bool wait_status(const std::string& wf, const std::string& status, int seconds) {
        for (int i = 0; i < seconds * 20; ++i) {
            if (call("GET", "/v1/workflows/" + wf)["status"] == status) return true;
            std::this_thread::sleep_for(50ms);
        }
        return false;
    }
    Json history(const std::string& wf, const std::string& id) {
        return call("GET", "/v1/workflows/" + wf + "/leads/" + id + "/history", Json(),
                    200)["history"];
    }
    static int count_terminal(const Json& h) {
        int n = 0;
        for (const auto& e : h) {
            n += e["status"] == "converted" || e["status"] == "dropped" || e["status"] == "failed";
        }
        return n;
    }

    TempDir dir_;
    std::string db_ = dir_.path() + "/live.db";
    std::string key_;
    std::unique_ptr<ServerProcess> proc_;
    std::unique_ptr<httplib::Client> client_;
};

TEST_F(LiveProcess, SigkillMidRunThenRestartFinishesEveryLeadExactlyOnce) {
    Receiver hooks;
    std::mutex mu;
    std::map<std::string, int> deliveries;  // idempotency key → requests
    hooks.server().Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard<std::mutex> lock(mu);
        ++deliveries[req.get_header_value("X-Leadflow-Idempotency-Key")];
        res.status = 200;
    });
    // Two days of waiting take about 1.7 wall seconds.
    start({"--time-scale", "100000"});
    call("POST", "/v1/user-webhooks",
         Json{{"url", hooks.url("/hook")},
              {"events", Json::array({"workflow.lead.completed"})},
              {"secret", "s3cret"}},
         201);
    std::string wf = import_fixture("lead_nurture");
    const int n = 400;
    auto ids = enrol(wf, n);
    call("POST", "/v1/workflows/" + wf + "/activate", Json(), 200);
    std::this_thread::sleep_for(1500ms);
    Json before = call("GET", "/v1/workflows/" + wf);
    proc_->stop(SIGKILL);
    // The kill happened mid-run: some leads had finished and others had not.
    EXPECT_GT(before["lead_counts"]["active"].get<int>(), 0) << before.dump();
    EXPECT_GT(before["lead_counts"]["completed"].get<int>(), 0)
        << before.dump();  // mid-run: some leads done, most waiting or in a call
    start({"--time-scale", "100000"});
    ASSERT_TRUE(wait_status(wf, "completed", 60));
    Json w = call("GET", "/v1/workflows/" + wf);
    EXPECT_EQ(w["lead_counts"]["completed"].get<int>() + w["lead_counts"]["dropped"].get<int>() +
                  w["lead_counts"]["failed"].get<int>(),
              n);
    for (const auto& id : ids) EXPECT_EQ(count_terminal(history(wf, id)), 1) << id;
    // Every lead's completion webhook arrives (retries may repeat a request whose success
    // was not recorded before the kill; receivers deduplicate by the idempotency key).
    for (int i = 0; i < 200; ++i) {
        {
            std::lock_guard<std::mutex> lock(mu);
            if (deliveries.size() == static_cast<std::size_t>(n)) break;
        }
        std::this_thread::sleep_for(50ms);
    }
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(deliveries.size(), static_cast<std::size_t>(n));
    int repeated = 0;
    for (const auto& [k, c] : deliveries) repeated += c > 1;
    EXPECT_LE(repeated, 64) << "only requests in flight at the kill may repeat";
}

TEST_F(LiveProcess, SigkillDuringAMovePublishLeavesEveryLeadOnOneVersion) {
    // 300 leads: after one call (30 s at time scale 100) ~70% wait 30 days at n_wait and ~30%
    // are stuck at n_call1 (no edge for BUSY). Every `move` publish moves them all (both nodes
    // are in every version) and wakes the stuck ones, which the scheduler re-evaluates and
    // rewrites at once, so the kill also lands among those writes.
    start({"--time-scale", "100"});
    std::string wf =
        call("POST", "/v1/workflows", Json{{"title", "Kill during publish"}, kAnyHour}, 201)["id"]
            .get<std::string>();
    auto node = [](const std::string& id, const std::string& type, const Json& config) {
        Json n{{"id", id}, {"node_type", type}, {"label", id}};
        if (!config.is_null()) n["config"] = config;
        return n;
    };
    Json nodes = Json::array(
        {node("n_call1", "VOICE_CALL",
              Json{{"agent_id", "a1"}, {"from_phone_number", "+14155552671"}}),
         node("n_wait", "TIME", Json{{"duration_value", 30}, {"duration_unit", "days"}}),
         node("n_won", "CONVERTED", Json())});
    Json edges =
        Json::array({Json{{"id", "e_ok"},
                          {"from_node_id", "n_call1"},
                          {"to_node_id", "n_wait"},
                          {"label", "COMPLETED"}},
                     Json{{"id", "e_won"}, {"from_node_id", "n_wait"}, {"to_node_id", "n_won"}}});
    call("PUT", "/v1/workflows/" + wf + "/graph", Json{{"nodes", nodes}, {"edges", edges}}, 200);
    call("PUT", "/v1/workflows/" + wf + "/scenario",
         Json{{"seed", 7},
              {"nodes",
               Json{{"n_call1", Json{{"outcomes", Json{{"COMPLETED", 0.7},
                                                       {"NO_ANSWER", 0},
                                                       {"BUSY", 0.3},
                                                       {"VOICEMAIL", 0},
                                                       {"FAILED", 0}}},
                                     {"call_duration_s", Json{{"mean", 30}, {"sd", 0}}}}}}}},
         200);
    const int n = 300;
    auto ids = enrol(wf, n);
    call("POST", "/v1/workflows/" + wf + "/activate", Json(), 200);
    // Every first call ends (0.3 wall seconds).
    auto calls_done = [&] {
        Json c = call("GET", "/v1/calls?workflow_id=" + wf + "&limit=1");
        if (c["meta"]["total"] != n) return false;
        for (int page = 1; page <= 3; ++page) {
            Json p = call(
                "GET", "/v1/calls?workflow_id=" + wf + "&limit=100&page=" + std::to_string(page));
            for (const auto& row : p["data"]) {
                if (row["status"] == "in_progress") return false;
            }
        }
        return true;
    };
    for (int i = 0; i < 100 && !calls_done(); ++i) std::this_thread::sleep_for(50ms);
    ASSERT_TRUE(calls_done());
    // The leads by id as the API shows them.
    auto leads_now = [&] {
        std::map<std::string, Json> out;
        for (int page = 1; page <= 3; ++page) {
            Json p = call("GET",
                          "/v1/workflows/" + wf + "/leads?limit=100&page=" + std::to_string(page));
            for (const auto& l : p["data"]) out[l["id"].get<std::string>()] = l;
        }
        return out;
    };
    const Json counts = call("GET", "/v1/workflows/" + wf)["lead_counts"];
    ASSERT_EQ(counts["active"], n) << counts.dump();
    std::map<std::string, Json> node_of;  // where each lead waits (or is stuck) throughout
    int stuck = 0;
    for (const auto& [id, l] : leads_now()) {
        node_of[id] = l["current_node_id"];
        stuck += l["current_node_id"] == "n_call1";
    }
    ASSERT_GT(stuck, 0);
    ASSERT_LT(stuck, n);
    int published_before = 1, published_seen = 0, killed_before_reply = 0;
    for (int delay_ms : {0, 1, 2, 3, 5, 7, 9, 12, 15, 19, 24, 30, 36, 43, 50}) {
        std::atomic<bool> sending{false};
        std::atomic<int> reply_status{0};
        std::thread publisher([&] {
            httplib::Client c("127.0.0.1", proc_->port());
            c.set_read_timeout(10, 0);
            // A warm connection (and verified key), so that the delay counts from the publish.
            c.Get(("/v1/workflows/" + wf).c_str(), {{"Authorization", "Bearer " + key_}});
            sending = true;
            auto r = c.Post(("/v1/workflows/" + wf + "/publish").c_str(),
                            {{"Authorization", "Bearer " + key_}},
                            R"({"migrate":"move","note":"kill -9"})", "application/json");
            if (r) reply_status = r->status;
        });
        while (!sending) std::this_thread::yield();
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        proc_->stop(SIGKILL);
        publisher.join();
        start({"--time-scale", "100"});
        const Json w = call("GET", "/v1/workflows/" + wf, Json(), 200);
        const int published = w["published_version"].get<int>();
        ASSERT_TRUE(published == published_before || published == published_before + 1)
            << "delay " << delay_ms << " ms: version " << published << " after "
            << published_before;
        if (reply_status == 201) {
            EXPECT_EQ(published, published_before + 1) << "a publish that replied 201 is durable";
        } else {
            ++killed_before_reply;
        }
        published_seen += published > published_before;
        std::printf("kill %2d ms after sending: reply %d, version %d -> %d\n", delay_ms,
                    reply_status.load(), published_before, published);
        // No version row without the workflow pointing at it, none missing.
        Json versions = call("GET", "/v1/workflows/" + wf + "/versions?limit=1", Json(), 200);
        EXPECT_EQ(versions["meta"]["total"], published);
        EXPECT_EQ(versions["data"][0]["number"], published);
        EXPECT_EQ(versions["data"][0]["current"], true);
        // Every running lead runs on the newest version (all moved, or the publish never
        // happened), at the node it was at; no lead lost, none changed status.
        auto leads = leads_now();
        ASSERT_EQ(leads.size(), static_cast<std::size_t>(n));
        for (const auto& id : ids) {
            const Json& l = leads.at(id);
            ASSERT_EQ(l["status"], "active") << "delay " << delay_ms << " ms: " << l.dump();
            ASSERT_EQ(l["version"], published) << "delay " << delay_ms << " ms: " << l.dump();
            ASSERT_EQ(l["current_node_id"], node_of.at(id)) << l.dump();
        }
        EXPECT_EQ(w["lead_counts"], counts) << "delay " << delay_ms << " ms";
        published_before = published;
    }
    std::printf("%d of 15 publishes survived the kill; %d killed before their reply\n",
                published_seen, killed_before_reply);
    // The last version gives BUSY an edge; at an instant time scale the waits end and every
    // lead finishes once, on that version.
    proc_->stop(SIGKILL);
    start({"--time-scale", "1000000"});
    edges.push_back(Json{{"id", "e_lost"}, {"from_node_id", "n_call1"}, {"to_node_id", "n_lost"}});
    nodes.push_back(node("n_lost", "DROPPED", Json()));
    call("PUT", "/v1/workflows/" + wf + "/graph?publish=false",
         Json{{"nodes", nodes}, {"edges", edges}}, 200);
    Json last = call("POST", "/v1/workflows/" + wf + "/publish", Json{{"migrate", "move"}}, 201);
    EXPECT_EQ(last["leads"]["move"], n) << last.dump();
    ASSERT_TRUE(wait_status(wf, "completed", 60));
    auto leads = leads_now();
    int dropped = 0;
    for (const auto& id : ids) {
        const Json& l = leads.at(id);
        EXPECT_TRUE(l["status"] == "completed" || l["status"] == "dropped") << l.dump();
        dropped += l["status"] == "dropped";
        EXPECT_EQ(l["version"], last["version"]["number"]) << l.dump();
        EXPECT_EQ(count_terminal(history(wf, id)), 1) << id;
    }
    EXPECT_EQ(dropped, stuck) << "the stuck leads, and only they, took the new edge";
    Json calls = call("GET", "/v1/calls?workflow_id=" + wf + "&limit=1");
    EXPECT_EQ(calls["meta"]["total"], n) << "one call per lead, none placed twice";
}

TEST_F(LiveProcess, WebhookProviderHandlesNormalDuplicateLateAndMissingResults) {
    const std::string secret = "platform-secret";
    Receiver platform;
    std::mutex mu;
    std::vector<std::thread> senders;
    std::map<std::string, std::vector<int>> callback_codes;  // mode → result codes
    std::atomic<int> bad_signatures{0};
    platform.server().Post("/dispatch", [&](const httplib::Request& req, httplib::Response& res) {
        WebhookHeaders h{req.get_header_value("webhook-id"),
                         req.get_header_value("webhook-timestamp"),
                         req.get_header_value("webhook-signature")};
        if (!verify_webhook(secret, h, req.body, std::time(nullptr))) ++bad_signatures;
        Json d = Json::parse(req.body);
        std::string mode = d["variables"]["mode"].get<std::string>();
        std::string url = d["callback_url"].get<std::string>();
        res.status = 202;
        if (mode == "missing") return;
        std::lock_guard<std::mutex> lock(mu);
        senders.emplace_back([&, mode, url] {
            if (mode == "late") std::this_thread::sleep_for(1500ms);
            auto parsed = parse_url(url).value();
            httplib::Client c("127.0.0.1", parsed.port);
            std::string body =
                Json{{"status", "completed"}, {"duration_s", 42}, {"analysis", {{"x", "1"}}}}
                    .dump();
            int times = mode == "duplicate" ? 2 : 1;
            for (int i = 0; i < times; ++i) {
                WebhookHeaders h = sign_webhook(secret, "res_" + url + std::to_string(i),
                                                std::time(nullptr), body);
                auto r = c.Post(parsed.path.c_str(),
                                {{"webhook-id", h.id},
                                 {"webhook-timestamp", h.timestamp},
                                 {"webhook-signature", h.signature}},
                                body, "application/json");
                std::lock_guard<std::mutex> lock2(mu);
                callback_codes[mode].push_back(r ? r->status : 0);
                if (r && Json::parse(r->body)["duplicate"] == true) {
                    callback_codes[mode + "_dup"].push_back(1);
                }
            }
        });
    });
    // max_call_seconds 300 + grace 60 = 6 virtual minutes = 0.36 wall s at scale 1000.
    start({"--time-scale", "1000", "--provider", "webhook", "--call-webhook-url",
           platform.url("/dispatch"), "--call-webhook-secret", secret});
    std::string wf =
        call("POST", "/v1/workflows", Json{{"title", "Webhook calls"}, kAnyHour}, 201)["id"]
            .get<std::string>();
    std::string callnode = call("POST", "/v1/workflows/" + wf + "/nodes",
                                Json{{"node_type", "VOICE_CALL"},
                                     {"config", Json{{"agent_id", "a1"},
                                                     {"from_phone_number", "+14155552671"},
                                                     {"max_call_seconds", 300}}}},
                                201)["id"]
                               .get<std::string>();
    std::string won =
        call("POST", "/v1/workflows/" + wf + "/nodes", Json{{"node_type", "CONVERTED"}}, 201)["id"]
            .get<std::string>();
    std::string lost =
        call("POST", "/v1/workflows/" + wf + "/nodes", Json{{"node_type", "DROPPED"}}, 201)["id"]
            .get<std::string>();
    call("POST", "/v1/workflows/" + wf + "/edges",
         Json{{"from_node_id", callnode}, {"to_node_id", won}, {"label", "COMPLETED"}}, 201);
    call("POST", "/v1/workflows/" + wf + "/edges",
         Json{{"from_node_id", callnode}, {"to_node_id", lost}}, 201);
    const std::vector<std::string> modes{"normal", "duplicate", "late", "missing"};
    auto ids = enrol(wf, 4, [&](int i) { return Json{{"mode", modes[i]}}; });
    call("POST", "/v1/workflows/" + wf + "/activate", Json(), 200);
    ASSERT_TRUE(wait_status(wf, "completed", 30));
    std::this_thread::sleep_for(2000ms);  // the late result arrives after the timeout
    {
        std::lock_guard<std::mutex> lock(mu);
        for (auto& t : senders) t.join();
        senders.clear();
    }
    EXPECT_EQ(bad_signatures.load(), 0);
    auto status_of = [&](int i) {
        return call("GET", "/v1/workflows/" + wf + "/leads/" + ids[i])["status"];
    };
    EXPECT_EQ(status_of(0), "completed");
    EXPECT_EQ(status_of(1), "completed");
    EXPECT_EQ(status_of(2), "dropped");
    EXPECT_EQ(status_of(3), "dropped");
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(callback_codes["duplicate"], (std::vector<int>{200, 200}));
    EXPECT_EQ(callback_codes["duplicate_dup"].size(), 1u) << "the second result is ignored";
    EXPECT_EQ(callback_codes["late_dup"].size(), 1u) << "a result after the timeout is ignored";
    for (int i : {2, 3}) {
        Json h = history(wf, ids[i]);
        bool timeout = false;
        for (const auto& e : h) timeout = timeout || e["reason"] == "call_timeout";
        EXPECT_TRUE(timeout) << h.dump();
    }
    Json calls = call("GET", "/v1/calls?workflow_id=" + wf + "&lead_id=" + ids[1]);
    ASSERT_EQ(calls["data"].size(), 1u);
    EXPECT_EQ(calls["data"][0]["outcome"], "COMPLETED");
    EXPECT_EQ(calls["data"][0]["analysis"]["x"], "1");
    // A forged result is refused.
    httplib::Client c("127.0.0.1", proc_->port());
    auto r = c.Post(("/v1/calls/" + calls["data"][0]["id"].get<std::string>() + "/result").c_str(),
                    {{"webhook-id", "msg_forged"},
                     {"webhook-timestamp", std::to_string(std::time(nullptr))},
                     {"webhook-signature", "v1,AAAA"}},
                    "{\"status\":\"busy\"}", "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
}

TEST_F(LiveProcess, ApplicationWebhookRendersTemplatesAndReportsSuccessOrFailure) {
    Receiver app;
    std::mutex mu;
    std::vector<std::string> bodies;
    std::atomic<int> flaky_calls{0};
    app.server().Post("/ok", [&](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard<std::mutex> lock(mu);
        bodies.push_back(req.body);
        res.set_content("{\"booked\": true}", "application/json");
    });
    app.server().Post("/flaky", [&](const httplib::Request&, httplib::Response& res) {
        res.status = ++flaky_calls < 3 ? 503 : 200;  // succeeds on the third attempt
    });
    start({"--time-scale", "1000", "--retry-backoff-ms", "50"});
    auto make = [&](const std::string& url) {
        std::string wf = call("POST", "/v1/workflows", Json{{"title", "App"}, kAnyHour}, 201)["id"]
                             .get<std::string>();
        std::string a =
            call("POST", "/v1/workflows/" + wf + "/nodes",
                 Json{{"node_type", "APPLICATION"},
                      {"config",
                       Json{{"provider_key", "webhook"},
                            {"action_key", "notify"},
                            {"action_config", Json{{"url", url},
                                                   {"body_template",
                                                    "{\"to\": \"{{lead.phone_number}}\", \"name\": "
                                                    "\"{{ lead.name }}\"}"}}}}}},
                 201)["id"]
                .get<std::string>();
        std::string won = call("POST", "/v1/workflows/" + wf + "/nodes",
                               Json{{"node_type", "CONVERTED"}}, 201)["id"]
                              .get<std::string>();
        std::string lost = call("POST", "/v1/workflows/" + wf + "/nodes",
                                Json{{"node_type", "DROPPED"}}, 201)["id"]
                               .get<std::string>();
        call("POST", "/v1/workflows/" + wf + "/edges",
             Json{{"from_node_id", a}, {"to_node_id", won}, {"label", "success"}}, 201);
        call("POST", "/v1/workflows/" + wf + "/edges",
             Json{{"from_node_id", a}, {"to_node_id", lost}, {"label", "failure"}}, 201);
        return wf;
    };
    std::string ok_wf = make(app.url("/ok"));
    auto ok_ids = enrol(ok_wf, 2, [](int i) {
        return i == 0 ? Json{{"name", "Asha"}} : Json::object();  // the second lacks `name`
    });
    std::string flaky_wf = make(app.url("/flaky"));
    auto flaky_ids = enrol(flaky_wf, 1, [](int) { return Json{{"name", "Ravi"}}; });
    std::string denied_wf = make("http://10.255.255.1:9/x");  // not on the allow-list
    auto denied_ids = enrol(denied_wf, 1, [](int) { return Json{{"name", "Li"}}; });
    for (const auto& wf : {ok_wf, flaky_wf, denied_wf}) {
        call("POST", "/v1/workflows/" + wf + "/activate", Json(), 200);
    }
    for (const auto& wf : {ok_wf, flaky_wf, denied_wf}) {
        ASSERT_TRUE(wait_status(wf, "completed", 30)) << wf;
    }
    auto status = [&](const std::string& wf, const std::string& id) {
        return call("GET", "/v1/workflows/" + wf + "/leads/" + id)["status"];
    };
    EXPECT_EQ(status(ok_wf, ok_ids[0]), "completed");
    EXPECT_EQ(status(ok_wf, ok_ids[1]), "dropped") << "a missing placeholder value fails";
    EXPECT_EQ(status(flaky_wf, flaky_ids[0]), "completed") << "retried with backoff";
    EXPECT_EQ(flaky_calls.load(), 3);
    EXPECT_EQ(status(denied_wf, denied_ids[0]), "dropped") << "outbound host not allowed";
    std::lock_guard<std::mutex> lock(mu);
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_EQ(Json::parse(bodies[0]), (Json{{"to", "+14152000000"}, {"name", "Asha"}}));
}

int exit_code(const std::string& args) {
    std::string cmd = std::string(LEADFLOW_SERVER_BINARY) + " " + args + " >/dev/null 2>&1";
    int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(LiveFlags, BadLiveOptionsAreUsageErrors) {
    TempDir dir;
    const std::string db = " --db " + dir.path() + "/x.db --port 0";
    EXPECT_EQ(exit_code("serve" + db + " --provider webhook"), 2) << "needs URL and secret";
    EXPECT_EQ(exit_code("serve" + db + " --allow-outbound http://a/b"), 2);
    EXPECT_EQ(exit_code("serve" + db + " --call-grace-seconds -1"), 2);
    EXPECT_EQ(exit_code("serve" + db + " --scheduler-batch 0"), 2);
    EXPECT_EQ(exit_code("serve" + db + " --scheduler-lease-seconds 0"), 2);
    EXPECT_EQ(exit_code("serve" + db + " --scheduler-lease-seconds 3601"), 2);
    EXPECT_EQ(exit_code("serve" + db +
                        " --provider webhook --call-webhook-secret s --call-webhook-url "
                        "http://10.1.2.3/dispatch"),
              2)
        << "the dispatch host must be allowed";
}

TEST(Outbound, AllowListAndUrlParsing) {
    OutboundPolicy p;
    EXPECT_EQ(check_outbound(p, "http://127.0.0.1:8080/x").code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(check_outbound(p, "http://localhost/x").code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(check_outbound(p, "http://10.0.0.5/x").code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(check_outbound(p, "ftp://example.com/").code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(check_outbound(p, "http://user@example.com/").code(), StatusCode::kInvalidArgument);
    EXPECT_TRUE(check_outbound(p, "https://hooks.example.com/a?b=1").is_ok())
        << "a name is checked when it resolves (resolve_outbound)";
    p.allowed = {"10.0.0.5", "127.0.0.1:8443"};
    EXPECT_TRUE(check_outbound(p, "https://10.0.0.5/a?b=1").is_ok());
    EXPECT_TRUE(check_outbound(p, "https://127.0.0.1:8443/").is_ok());
    EXPECT_FALSE(check_outbound(p, "https://127.0.0.1/").is_ok()) << "another port";
    auto u = parse_url("https://[::1]:9000/p?q");
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(u->host, "::1");
    EXPECT_EQ(u->port, 9000);
    EXPECT_EQ(u->path, "/p?q");
}

TEST(Outbound, TemplatesNameTheMissingPlaceholder) {
    Json vars{{"name", "Asha"}};
    Json analysis{{"slot", "3 PM"}};
    auto r = render_template("Hi {{lead.name}} at {{ call.analysis.slot }} ({{lead.phone_number}})",
                             "+1415", vars, analysis);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), "Hi Asha at 3 PM (+1415)");
    auto missing = render_template("{{lead.city}}", "+1", vars, analysis);
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.status().message().find("lead.city"), std::string::npos);
}

}  // namespace
}  // namespace leadflow::server::testing
