// tests/hostile/api_client.hpp — a JSON API client over a real socket (cpp-httplib) for the
// hostile suites: calls with an organization's key, a TIME-chain workflow that ends in
// CONVERTED, lead enrolment, and polling with a generous deadline.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "leadflow/json.hpp"

namespace leadflow::server::testing {

struct ApiReply {
    int status = 0;  // 0: no answer (connection failed)
    Json body;
};

class ApiClient {
  public:
    explicit ApiClient(int port) : client_(std::make_unique<httplib::Client>("127.0.0.1", port)) {
        client_->set_read_timeout(60, 0);
        client_->set_write_timeout(60, 0);
    }

    ApiReply call(const std::string& method, const std::string& path, const std::string& key,
                  const Json& body = Json()) {
        httplib::Headers h;
        if (!key.empty()) h.emplace("Authorization", "Bearer " + key);
        const std::string text = body.is_null() ? "" : body.dump();
        httplib::Result r =
            method == "GET"     ? client_->Get(path.c_str(), h)
            : method == "PUT"   ? client_->Put(path.c_str(), h, text, "application/json")
            : method == "PATCH" ? client_->Patch(path.c_str(), h, text, "application/json")
                                : client_->Post(path.c_str(), h, text, "application/json");
        return reply(r);
    }
    // POST multipart/form-data with the CSV as the "file" field.
    ApiReply upload_csv(const std::string& path, const std::string& key, const std::string& csv) {
        httplib::Headers h{{"Authorization", "Bearer " + key}};
        httplib::MultipartFormDataItems items{{"file", csv, "leads.csv", "text/csv"}};
        return reply(client_->Post(path.c_str(), h, items));
    }

    // A draft workflow of `key`'s organization: `holds` TIME nodes of `minutes` each in a
    // chain ending in CONVERTED. Returns its id (empty on failure).
    std::string time_chain_workflow(const std::string& key, int holds, int minutes) {
        ApiReply w = call("POST", "/v1/workflows", key, Json{{"title", "chain"}});
        EXPECT_EQ(w.status, 201) << w.body.dump();
        if (w.status != 201) return "";
        const std::string wf = w.body["id"].get<std::string>();
        std::string prev;
        for (int i = 0; i <= holds; ++i) {
            Json node = i < holds ? Json{{"node_type", "TIME"},
                                         {"config", Json{{"duration_value", minutes},
                                                         {"duration_unit", "minutes"}}}}
                                  : Json{{"node_type", "CONVERTED"}};
            ApiReply n = call("POST", "/v1/workflows/" + wf + "/nodes", key, node);
            EXPECT_EQ(n.status, 201) << n.body.dump();
            if (n.status != 201) return "";
            const std::string id = n.body["id"].get<std::string>();
            if (!prev.empty()) {
                ApiReply e = call("POST", "/v1/workflows/" + wf + "/edges", key,
                                  Json{{"from_node_id", prev}, {"to_node_id", id}});
                EXPECT_EQ(e.status, 201) << e.body.dump();
            }
            prev = id;
        }
        return wf;
    }

    // Enrols `n` leads (JSON bulk) with phone numbers from `first`; returns their ids.
    std::vector<std::string> enrol(const std::string& key, const std::string& wf, int n,
                                   int first = 2000000) {
        Json leads = Json::array();
        std::vector<std::string> phones;
        for (int i = 0; i < n; ++i) {
            char phone[32];
            std::snprintf(phone, sizeof phone, "+1415%07d", first + i);
            phones.emplace_back(phone);
            leads.push_back(Json{{"phone_number", phone}});
        }
        ApiReply r = call("POST", "/v1/workflows/" + wf + "/leads", key, Json{{"leads", leads}});
        EXPECT_EQ(r.status, 201) << r.body.dump();
        std::vector<std::string> ids;
        if (r.status != 201) return ids;
        for (const std::string& p : phones) ids.push_back(r.body["data"][p][0].get<std::string>());
        return ids;
    }

  private:
    static ApiReply reply(const httplib::Result& r) {
        ApiReply out;
        if (!r) return out;
        out.status = r->status;
        out.body = Json::parse(r->body, nullptr, false);
        if (out.body.is_discarded()) out.body = Json(r->body);
        return out;
    }

    std::unique_ptr<httplib::Client> client_;
};

// Polls `done` every 20 ms until it holds or `seconds` pass; whether it held.
inline bool poll_until(const std::function<bool()>& done, int seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
}

}  // namespace leadflow::server::testing
