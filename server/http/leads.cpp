// server/http/leads.cpp — leads: upload (CSV or .xlsx multipart, JSON single, JSON bulk), list,
// variable keys, detail, removal, history, and lead counts per node (live view).
//
// Index
//   [SECTION] Reading uploads
//   [SECTION] Upload
//   [SECTION] Reading leads
//   [SECTION] Registration
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <thread>
#include <unordered_map>

#include "http/app.hpp"
#include "http/handler_util.hpp"
#include "http/json_text.hpp"
#include "http/limits.hpp"
#include "http/publish.hpp"
#include "leadflow/civil_time.hpp"
#include "leadflow/history.hpp"
#include "leadflow/text.hpp"
#include "leadflow/wire.hpp"
#include "runtime/lead_commands.hpp"
#include "store/stored_values.hpp"
#include "util/crypto.hpp"
#include "util/csv.hpp"
#include "util/phone.hpp"
#include "util/utf8.hpp"
#include "util/xlsx.hpp"

namespace leadflow::server {
namespace {

// [SECTION] Reading uploads

struct UploadRow {
    std::size_t position = 0;  // 1-based: data row of the table (header excluded) or list index
    std::string phone;
    std::map<std::string, std::string> variables;
    Json metadata;  // JSON uploads only: the lead's `metadata` object, or null
};

// Problems grouped by reason, in the order reasons are first seen: every row counts, the first
// limits::kMaxErrorRowsPerReason of each reason are listed, so the reply stays small whatever
// the upload's size.
class RowErrors {
  public:
    static constexpr std::size_t kEchoedPhoneBytes = 64;

    void add(const std::string& reason, std::size_t position, const std::string& phone) {
        auto it = std::find_if(groups_.begin(), groups_.end(),
                               [&](const Group& g) { return g.reason == reason; });
        if (it == groups_.end()) {
            groups_.push_back({reason, 0, Json::array()});
            it = groups_.end() - 1;
        }
        ++it->count;
        if (it->rows.size() < limits::kMaxErrorRowsPerReason) {
            // The phone as sent, cut to a length no number needs, so that the reply stays small.
            it->rows.push_back(
                Json{{"position", position}, {"phone_number", phone.substr(0, kEchoedPhoneBytes)}});
        }
    }
    bool empty() const { return groups_.empty(); }
    Response response() const {
        Json errors = Json::array();
        Json messages = Json::array();
        for (const Group& g : groups_) {
            errors.push_back(Json{{"reason", g.reason}, {"count", g.count}, {"rows", g.rows}});
            messages.push_back(g.reason + ": " + std::to_string(g.count) + " row(s)");
        }
        return error_response(400, messages, &errors);
    }

  private:
    struct Group {
        std::string reason;
        std::size_t count = 0;
        Json rows;  // the first kMaxErrorRowsPerReason
    };
    std::vector<Group> groups_;
};

std::string too_long_value_reason() {
    return "Variable value longer than " + std::to_string(limits::kMaxVariableValueBytes) +
           " bytes";
}

// An uploaded table (a CSV file or a workbook's first sheet): how its messages name it, and
// its reader, which hands over record by record and stops at the first failed Status.
struct UploadTable {
    std::string name;   // "CSV" or "sheet"
    std::string empty;  // the message for a file with no record
    std::function<Status(const std::function<Status(CsvRecord&)>&)> for_each_record;
};

UploadTable csv_table(const std::string& text) {
    return {"CSV", "The CSV file is empty", [&text](const auto& on_record) {
                return for_each_csv_record(text, limits::kMaxCsvColumns, on_record);
            }};
}

UploadTable xlsx_table(const std::string& bytes) {
    return {"sheet", "The first sheet of the workbook is empty", [&bytes](const auto& on_record) {
                XlsxLimits l;
                l.max_entries = limits::kMaxXlsxEntries;
                l.max_unpacked_bytes = limits::kMaxXlsxUnpackedBytes;
                l.max_columns = limits::kMaxCsvColumns;
                l.max_text_bytes = limits::kMaxXlsxTextBytes;
                return for_each_xlsx_record(bytes, l, on_record);
            }};
}

// Reads the table record by record, stopping at the first record past the limits (rows,
// columns) or with bytes that are not UTF-8 (the whole upload is refused: nothing is
// enrolled). Rows that are readable but wrong go to *errors. CSV and .xlsx uploads share
// every rule here.
Status read_table_rows(const UploadTable& table, std::vector<UploadRow>* rows, RowErrors* errors) {
    std::vector<std::string> header;
    std::size_t phone_col = 0;
    std::size_t data_rows = 0;
    bool have_header = false;
    auto read_header = [&](const CsvRecord& rec) -> Status {
        for (std::size_t i = 0; i < rec.fields.size(); ++i) {
            if (!is_valid_utf8(rec.fields[i])) {
                return Status::invalid("header row, column " + std::to_string(i + 1) +
                                       ": not valid UTF-8");
            }
            header.push_back(trim(rec.fields[i]));
        }
        phone_col = header.size();
        for (std::size_t i = 0; i < header.size(); ++i) {
            if (lower(header[i]) == "phone_number") phone_col = i;
        }
        if (phone_col == header.size()) {
            return Status::invalid("The " + table.name + " header must have a phone_number column");
        }
        for (std::size_t i = 0; i < header.size(); ++i) {
            if (header[i].empty()) {
                return Status::invalid(table.name + " header column " + std::to_string(i + 1) +
                                       " has no name");
            }
            if (header[i].size() > limits::kMaxVariableNameBytes) {
                return Status::invalid(table.name + " header column " + std::to_string(i + 1) +
                                       ": a column name may have at most " +
                                       std::to_string(limits::kMaxVariableNameBytes) + " bytes");
            }
        }
        return Status::ok();
    };
    Status st = table.for_each_record([&](CsvRecord& rec) -> Status {
        if (!have_header) {
            have_header = true;
            return read_header(rec);
        }
        if (++data_rows > limits::kMaxCsvRows) {
            return Status::invalid("The " + table.name + " has more than " +
                                   std::to_string(limits::kMaxCsvRows) +
                                   " rows (the limit per upload; split the file)");
        }
        std::vector<std::string>& fields = rec.fields;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (is_valid_utf8(fields[i])) continue;
            const std::string column = i < header.size() ? header[i] : "#" + std::to_string(i + 1);
            return Status::invalid("row " + std::to_string(data_rows) + ", column " + column +
                                   ": not valid UTF-8");
        }
        UploadRow row;
        row.position = data_rows;
        if (fields.size() != header.size()) {
            row.phone = phone_col < fields.size() ? trim(fields[phone_col]) : "";
            errors->add("Wrong number of columns", row.position, row.phone);
            return Status::ok();
        }
        row.phone = trim(fields[phone_col]);
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i == phone_col) continue;
            if (fields[i].size() > limits::kMaxVariableValueBytes) {
                errors->add(too_long_value_reason(), row.position, row.phone);
                return Status::ok();
            }
            row.variables[header[i]] = std::move(fields[i]);
        }
        rows->push_back(std::move(row));
        return Status::ok();
    });
    if (!st) return st;
    if (!have_header) return Status::invalid(table.empty);
    return Status::ok();
}

// One lead of a JSON upload: {phone_number, variables | dynamic_variables, metadata}.
void read_json_lead(const Json& j, std::size_t position, std::vector<UploadRow>* rows,
                    RowErrors* errors) {
    UploadRow row;
    row.position = position;
    if (!j.is_object()) {
        errors->add("Lead must be an object", position, "");
        return;
    }
    auto phone = j.find("phone_number");
    if (phone != j.end() && phone->is_string()) row.phone = trim(phone->get<std::string>());
    if (phone != j.end() && phone->is_number_integer()) row.phone = phone->dump();
    const Json* vars = nullptr;
    if (j.contains("variables"))
        vars = &j["variables"];
    else if (j.contains("dynamic_variables"))
        vars = &j["dynamic_variables"];
    if (vars && !vars->is_null()) {
        if (!vars->is_object()) {
            errors->add("Variables must be an object of strings", position, row.phone);
            return;
        }
        if (vars->size() > limits::kMaxVariablesPerLead + 1) {  // + a phone_number key
            errors->add("More than " + std::to_string(limits::kMaxVariablesPerLead) + " variables",
                        position, row.phone);
            return;
        }
        for (auto it = vars->begin(); it != vars->end(); ++it) {
            if (it.key() == "phone_number") continue;
            if (it.key().size() > limits::kMaxVariableNameBytes) {
                errors->add("Variable name longer than " +
                                std::to_string(limits::kMaxVariableNameBytes) + " bytes",
                            position, row.phone);
                return;
            }
            std::string value;
            if (it->is_string()) {
                value = it->get<std::string>();
            } else if (it->is_number() || it->is_boolean()) {
                value = it->dump();
            } else if (!it->is_null()) {
                errors->add("Variables must be an object of strings", position, row.phone);
                return;
            } else {
                continue;
            }
            if (value.size() > limits::kMaxVariableValueBytes) {
                errors->add(too_long_value_reason(), position, row.phone);
                return;
            }
            row.variables[it.key()] = std::move(value);
        }
        if (row.variables.size() > limits::kMaxVariablesPerLead) {
            errors->add("More than " + std::to_string(limits::kMaxVariablesPerLead) + " variables",
                        position, row.phone);
            return;
        }
    }
    if (auto m = j.find("metadata"); m != j.end() && !m->is_null()) {
        const std::string reason = "Metadata must be a JSON object of at most " +
                                   std::to_string(limits::kMaxLeadMetadataBytes) + " bytes";
        if (!m->is_object()) {
            errors->add(reason, position, row.phone);
            return;
        }
        if (m->dump().size() > limits::kMaxLeadMetadataBytes) {
            errors->add(reason, position, row.phone);
            return;
        }
        row.metadata = *m;
    }
    rows->push_back(std::move(row));
}

// [SECTION] Upload

Response upload_leads(const Request& req, RequestContext& ctx) {
    const std::string workflow_id = req.path_param("id");
    // Region and status first (a short read), then parse outside any lock, then enroll in
    // one transaction that re-checks the status.
    Workflow w;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto found = find_workflow(tx, ctx, workflow_id);
        if (!found.ok()) return found.status();
        w = found.value();
        return Status::ok();
    });
    if (!st) return status_response(st);
    if (is_terminal_workflow(w.status)) {
        return error_response(
            409, std::string("Leads cannot be added to a ") + to_string(w.status) + " workflow");
    }

    std::vector<UploadRow> rows;
    RowErrors errors;
    if (req.content_type == "multipart/form-data") {
        auto file = std::find_if(req.files.begin(), req.files.end(),
                                 [](const UploadedFile& f) { return f.name == "file"; });
        if (file == req.files.end()) {
            return error_response(400,
                                  "The multipart form needs a 'file' field with the CSV or .xlsx");
        }
        if (looks_like_compound_file(file->content)) {
            return error_response(400,
                                  "The file is a legacy .xls workbook or a password-protected "
                                  ".xlsx: save it as .xlsx without a password, or as CSV");
        }
        const UploadTable table = looks_like_xlsx(file->content, file->filename, file->content_type)
                                      ? xlsx_table(file->content)
                                      : csv_table(file->content);
        if (Status s = read_table_rows(table, &rows, &errors); !s) return status_response(s);
    } else {
        Json body;
        Response err;
        if (!read_json_body(req, &body, &err)) {
            if (err.status == 415) {
                return error_response(415,
                                      "Content-Type must be application/json or "
                                      "multipart/form-data");
            }
            return err;
        }
        if (body.contains("leads")) {
            if (!body["leads"].is_array()) return error_response(400, "leads must be an array");
            if (body["leads"].size() > limits::kMaxLeadsPerRequest) {
                return error_response(400, "leads: at most " +
                                               std::to_string(limits::kMaxLeadsPerRequest) +
                                               " leads per request");
            }
            std::size_t i = 0;
            for (const Json& j : body["leads"]) read_json_lead(j, ++i, &rows, &errors);
        } else {
            read_json_lead(body, 1, &rows, &errors);
        }
    }
    const std::string region = w.settings.default_region.empty() ? "US" : w.settings.default_region;
    // libphonenumber costs tens of microseconds a number: large uploads use every core.
    std::vector<std::optional<std::string>> normalized(rows.size());
    auto normalize_range = [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            if (rows[i].phone.empty()) continue;
            auto e164 = normalize_phone(rows[i].phone, region);
            if (e164.ok()) normalized[i] = std::move(e164.value());
        }
    };
    const std::size_t workers =
        rows.size() < 2000 ? 1 : std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    const std::size_t chunk = (rows.size() + workers - 1) / workers;
    for (std::size_t w = 1; w < workers; ++w) {
        pool.emplace_back(normalize_range, std::min(rows.size(), w * chunk),
                          std::min(rows.size(), (w + 1) * chunk));
    }
    normalize_range(0, std::min(rows.size(), chunk));
    for (std::thread& t : pool) t.join();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        UploadRow& row = rows[i];
        if (row.phone.empty()) {
            errors.add("Missing phone number", row.position, row.phone);
        } else if (!normalized[i]) {
            errors.add("Invalid phone number", row.position, row.phone);
        } else {
            row.phone = std::move(*normalized[i]);
        }
    }
    if (!errors.empty()) return errors.response();
    if (rows.empty()) return error_response(400, "No leads to upload");

    // Phone → lead ids in first-seen order. ordered_json looks keys up linearly, so the map is
    // built here with a hash index and handed to the JSON object in one go.
    std::vector<std::pair<std::string, Json>> by_phone;
    std::unordered_map<std::string, std::size_t> phone_index;
    st = ctx.store.transact([&](StoreTx& tx) {
        auto found = find_workflow(tx, ctx, workflow_id);
        if (!found.ok()) return found.status();
        if (is_terminal_workflow(found->status)) {
            return Status::conflict(std::string("Leads cannot be added to a ") +
                                    to_string(found->status) + " workflow");
        }
        // A lead's entry node is that of the version it starts on, resolved when it starts.
        const LeadStatus status =
            is_active_workflow(found->status) ? LeadStatus::kActive : LeadStatus::kPending;
        std::vector<LeadRecord> records;
        records.reserve(rows.size());
        for (UploadRow& row : rows) {
            LeadRecord r;
            r.lead.id = new_id("wlead_");
            r.lead.workflow_id = workflow_id;
            r.lead.phone_number = row.phone;
            r.lead.variables = std::move(row.variables);
            r.lead.metadata = std::move(row.metadata);
            r.lead.status = status;
            r.lead.created_at = r.lead.updated_at = ctx.now;
            r.execution.phase = Phase::kEntering;
            r.execution.entered_at = ctx.now;
            auto [it, fresh] = phone_index.try_emplace(r.lead.phone_number, by_phone.size());
            if (fresh) by_phone.emplace_back(r.lead.phone_number, Json::array());
            by_phone[it->second].second.push_back(r.lead.id);
            records.push_back(std::move(r));
        }
        if (Status s = tx.insert_leads(records); !s) return s;
        Workflow touched = found.value();
        touched.updated_at = ctx.now;
        return tx.update_workflow(touched);
    });
    if (!st) return status_response(st);
    Json data = Json::object();
    auto& entries = data.get_ref<Json::object_t&>();
    entries.reserve(by_phone.size());
    for (auto& [phone, ids] : by_phone) {
        // Keys are unique already: append without ordered_map's linear duplicate check.
        static_cast<std::vector<std::pair<const std::string, Json>>&>(entries).emplace_back(
            std::move(phone), std::move(ids));
    }
    const auto n = static_cast<std::int64_t>(rows.size());
    if (ctx.envelope) {
        return json_response(201, Json{{"statusCode", 201},
                                       {"message", "Leads uploaded successfully"},
                                       {"data", std::move(data)},
                                       {"count", n}});
    }
    return json_response(201, Json{{"data", std::move(data)}, {"count", n}, {"leads_enrolled", n}});
}

// [SECTION] Reading leads

// The LIKE pattern of the lead list's `phone` search. Spaces, dashes, dots and parentheses are
// dropped ("(415) 555" is "415555"); what is left must be digits, with an optional leading '+'.
// Digits match anywhere in the stored E.164 number; a leading '+' anchors them at its start
// ("+4420" finds the numbers starting with +44 20, "4420" also "+1 212 4420…").
Result<std::string> phone_search_pattern(const std::string& text) {
    if (text.size() > limits::kMaxPhoneSearchBytes) {
        return Status::invalid("phone may be at most " +
                               std::to_string(limits::kMaxPhoneSearchBytes) + " characters");
    }
    std::string digits;
    bool plus = false;
    for (char c : text) {
        if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') continue;
        if (c == '+' && digits.empty() && !plus) {
            plus = true;
        } else if (c >= '0' && c <= '9') {
            digits.push_back(c);
        } else {
            return Status::invalid(
                "phone must be digits, with an optional leading + (spaces, dashes, dots and "
                "parentheses are ignored)");
        }
    }
    if (digits.empty()) return Status::invalid("phone must contain at least one digit");
    if (digits.size() > limits::kMaxPhoneSearchDigits) {
        return Status::invalid("phone may hold at most " +
                               std::to_string(limits::kMaxPhoneSearchDigits) + " digits");
    }
    return (plus ? std::string("+") : std::string("%")) + stored::escape_like(digits) + "%";
}

Result<LeadQuery> read_lead_query(const Request& req) {
    LeadQuery q;
    auto page = read_page(req);
    if (!page.ok()) return page.status();
    q.page = page->page;
    q.limit = page->limit;
    if (auto s = req.param("status"); s && !s->empty()) {
        auto status = parse_lead_status(*s);
        if (!status) {
            return Status::invalid(
                "status must be one of pending, active (in_progress), "
                "completed, dropped, removed, failed, cancelled");
        }
        q.statuses.push_back(*status);
    }
    if (auto s = req.param("leadIds"); s && !s->empty()) {
        std::size_t i = 0;
        while (i <= s->size()) {
            std::size_t j = s->find(',', i);
            if (j == std::string::npos) j = s->size();
            std::string id = trim(s->substr(i, j - i));
            if (!id.empty()) q.ids.push_back(id);
            i = j + 1;
        }
        if (q.ids.size() > 1000) return Status::invalid("leadIds may list at most 1000 ids");
    }
    if (auto s = req.param("phone"); s && !trim(*s).empty()) {
        auto pattern = phone_search_pattern(trim(*s));
        if (!pattern.ok()) return pattern.status();
        q.phone_like = std::move(pattern.value());
    }
    return q;
}

// Shows each lead on the version (and node) it runs on now: a publish with `move` moves
// running leads at once (versions.hpp), though the scheduler rewrites their rows only at their
// next step.
Status place_leads(StoreTx& tx, const Workflow& w, std::vector<Lead>& leads) {
    auto placed = current_placements(tx, w, leads);
    if (!placed.ok()) return placed.status();
    for (Lead& l : leads) {
        auto it = placed->find(l.id);
        if (it == placed->end()) continue;
        l.version = it->second.version;
        if (!it->second.node_id.empty()) l.current_node_id = it->second.node_id;
    }
    return Status::ok();
}

// The DialNexa envelope's lead list (docs/api.md#the-dialnexa-envelope): `data` holds the page
// asked for with `page` / `limit`, or, when neither is given, every matching lead (read a page at a
// time inside one read transaction, so the reply is one snapshot); `count` is always the number of
// leads in `data`.
Response compat_list_leads(const Request& req, RequestContext& ctx, LeadQuery q) {
    const bool everything = !req.param("page") && !req.param("limit");
    if (everything) q.limit = 100;
    std::string body = "{\"statusCode\":200,\"message\":\"Leads fetched successfully\",\"data\":[";
    std::int64_t count = 0;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        for (;; ++q.page) {
            auto found = tx.list_leads(w->id, q);
            if (!found.ok()) return found.status();
            if (Status s = place_leads(tx, w.value(), found->items); !s) return s;
            for (const Lead& l : found->items) {
                if (count++ > 0) body.push_back(',');
                append_compat_lead_json(body, l);
            }
            if (body.size() > limits::kMaxEnvelopeLeadListBytes) {
                return Status::invalid(
                    std::to_string(found->total) +
                    " leads match, too many for one reply: ask for them a page at a time "
                    "with page and limit");
            }
            const auto seen = static_cast<std::int64_t>(q.page) * q.limit;
            if (!everything || found->items.empty() || seen >= found->total) break;
        }
        return Status::ok();
    });
    if (!st) return status_response(st);
    body += "],\"count\":";
    append_json_int(body, count);
    body.push_back('}');
    Response out;
    out.body = std::move(body);
    return out;
}

Response list_leads(const Request& req, RequestContext& ctx) {
    auto q = read_lead_query(req);
    if (!q.ok()) return status_response(q.status());
    if (ctx.envelope) return compat_list_leads(req, ctx, std::move(q.value()));
    PageOf<Lead> page;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto found = tx.list_leads(w->id, q.value());
        if (!found.ok()) return found.status();
        page = std::move(found.value());
        return place_leads(tx, w.value(), page.items);
    });
    if (!st) return status_response(st);
    // The hot path: written directly, byte for byte what page_json + lead_json would dump.
    Response out;
    out.body = lead_page_body(page.items, {q->page, q->limit}, page.total);
    return out;
}

Response variable_keys(const Request& req, RequestContext& ctx) {
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto keys = tx.variable_keys(w->id);
        if (!keys.ok()) return keys.status();
        Json list = Json::array();
        for (const std::string& k : keys.value()) {
            if (k != "phone_number") list.push_back(k);
        }
        if (ctx.envelope) {
            out = json_response(200, Json{{"statusCode", 200},
                                          {"message", "Variable keys fetched successfully"},
                                          {"data", Json{{"keys", std::move(list)}}}});
        } else {
            out = json_response(200, Json{{"keys", std::move(list)}});
        }
        return Status::ok();
    });
    return finish(st, out);
}

Response get_lead(const Request& req, RequestContext& ctx) {
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto r = tx.get_lead(w->id, req.path_param("leadId"));
        if (!r.ok()) return r.status();
        std::vector<Lead> one{r->lead};
        if (Status s = place_leads(tx, w.value(), one); !s) return s;
        if (one[0].current_node_id != r->lead.current_node_id) {
            r->execution.current_node_id = one[0].current_node_id;
        }
        Json j = lead_json(one[0]);
        j["execution"] = to_json(r->execution);
        out = json_response(200, j);
        return Status::ok();
    });
    return finish(st, out);
}

Response delete_lead(const Request& req, RequestContext& ctx) {
    Status st = ctx.store.transact([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        return remove_lead(tx, w.value(), req.path_param("leadId"), ctx.now);
    });
    if (!st) return status_response(st);
    if (ctx.envelope) {
        return json_response(200,
                             Json{{"statusCode", 200}, {"message", "Lead removed successfully"}});
    }
    return json_response(200, message_json("Lead removed from workflow."));
}

// One entry per node visit (core history_visits); `?events=true` gives the stored event rows.
Response lead_history(const Request& req, RequestContext& ctx) {
    auto raw = read_bool_param(req, "events", false);
    if (!raw.ok()) return status_response(raw.status());
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto r = tx.get_lead(w->id, req.path_param("leadId"));
        if (!r.ok()) return r.status();
        auto h = tx.history(r->lead.id);
        if (!h.ok()) return h.status();
        Json entries = Json::array();
        const std::vector<HistoryEntry> rows =
            raw.value() ? std::move(h.value()) : history_visits(h.value());
        for (const HistoryEntry& e : rows) {
            if (ctx.envelope) {
                entries.push_back(Json{{"node_id", e.node_id},
                                       {"node_type", e.node_type},
                                       {"label", e.label},
                                       {"status", e.status},
                                       {"call_id", e.call_id ? Json(*e.call_id) : Json(nullptr)},
                                       {"started_at", time_json(e.started_at)},
                                       {"ended_at", time_json(e.ended_at)}});
            } else {
                entries.push_back(to_json(e));
            }
        }
        if (ctx.envelope) {
            Json lead = lead_json(r->lead);
            lead["createdAt"] = time_json(r->lead.created_at);
            out = json_response(
                200,
                Json{{"statusCode", 200},
                     {"message", "Lead history fetched successfully"},
                     {"data", Json{{"lead", std::move(lead)}, {"history", std::move(entries)}}}});
        } else {
            out = json_response(200, Json{{"lead", lead_json(r->lead)},
                                          {"execution", to_json(r->execution)},
                                          {"history", std::move(entries)}});
        }
        return Status::ok();
    });
    return finish(st, out);
}

// Live view: the workflow's leads counted per current node and status, from one GROUP BY
// query, so the count is exact for any number of leads. Nodes of the graph come first in graph
// order (zero counts included); a current node no longer in the graph follows, sorted by id.
Response node_counts(const Request& req, RequestContext& ctx) {
    // The server's clock (the scheduler's, which `serve --time-scale` speeds up): the time of
    // the counts, so that a client can set them against a forecast.
    const TimeMs live_now = ctx.app.live() ? ctx.app.live()->live_now() : ctx.now;
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto nodes = tx.list_nodes(w->id);
        if (!nodes.ok()) return nodes.status();
        auto groups = tx.lead_counts_by_node(w->id);
        if (!groups.ok()) return groups.status();

        std::vector<std::string> order;
        std::unordered_map<std::string, std::map<LeadStatus, std::int64_t>> per_node;
        for (const Node& n : nodes.value()) {
            order.push_back(n.id);
            per_node[n.id];
        }
        std::vector<std::string> gone;
        std::map<LeadStatus, std::int64_t> totals;
        for (LeadStatus s : all_lead_statuses()) totals[s] = 0;
        std::int64_t not_started = 0;
        std::int64_t enrolled = 0;
        for (const NodeStatusCount& g : groups.value()) {
            enrolled += g.count;
            totals[g.status] += g.count;
            if (!g.node_id) {
                not_started += g.count;
                continue;
            }
            auto [it, added] = per_node.try_emplace(*g.node_id);
            if (added) gone.push_back(*g.node_id);
            it->second[g.status] += g.count;
        }
        std::sort(gone.begin(), gone.end());
        order.insert(order.end(), gone.begin(), gone.end());

        Json data = Json::array();
        for (const std::string& id : order) {
            const auto& counts = per_node[id];
            Json by_status = Json::object();
            std::int64_t total = 0;
            for (LeadStatus s : all_lead_statuses()) {
                auto it = counts.find(s);
                if (it == counts.end()) continue;
                by_status[to_string(s)] = it->second;
                total += it->second;
            }
            data.push_back(
                Json{{"node_id", id}, {"total", total}, {"by_status", std::move(by_status)}});
        }
        Json lead_counts = Json::object();
        for (LeadStatus s : all_lead_statuses()) lead_counts[to_string(s)] = totals[s];
        out = json_response(200, Json{{"data", std::move(data)},
                                      {"not_started", not_started},
                                      {"lead_counts", std::move(lead_counts)},
                                      {"enrolled_leads", enrolled},
                                      {"now", format_timestamp(live_now)}});
        return Status::ok();
    });
    return finish(st, out);
}

}  // namespace

// [SECTION] Registration

void register_lead_routes(Router& r) {
    r.add("POST", "/v1/workflows/{id}/leads", Access::kApiKey, upload_leads,
          RouteDoc("Leads",
                   "Enroll leads: a CSV or .xlsx file (multipart field 'file'), one JSON lead, "
                   "or {leads: [...]}")
              .status(201)
              .reply("LeadUpload")
              .envelope_reply("EnvelopeLeadUpload")
              .lead_upload_body("LeadInput"));
    r.add("GET", "/v1/workflows/{id}/leads", Access::kApiKey, list_leads,
          RouteDoc("Leads",
                   "List leads (status, leadIds, phone); the envelope without page and limit lists "
                   "every matching lead")
              .reply("LeadPage")
              .envelope_reply("EnvelopeLeadList")
              .params(QueryKind::kLeadList));
    r.add("GET", "/v1/workflows/{id}/leads/variable-keys", Access::kApiKey, variable_keys,
          RouteDoc("Leads", "Names of every lead variable uploaded")
              .reply("VariableKeys")
              .envelope_reply("EnvelopeVariableKeys"));
    r.add("GET", "/v1/workflows/{id}/leads/{leadId}", Access::kApiKey, get_lead,
          RouteDoc("Leads", "Read a lead with its execution").reply("LeadDetail"));
    r.add("DELETE", "/v1/workflows/{id}/leads/{leadId}", Access::kApiKey, delete_lead,
          RouteDoc("Leads", "Remove a lead from the workflow (kept for history)")
              .envelope_reply("EnvelopeMessage"));
    r.add("GET", "/v1/workflows/{id}/leads/{leadId}/history", Access::kApiKey, lead_history,
          RouteDoc("Leads",
                   "A lead's steps: one entry per node visit (?events=true: the raw event log)")
              .reply("LeadHistory")
              .envelope_reply("EnvelopeLeadHistory")
              .params(QueryKind::kHistory));
    r.add("GET", "/v1/workflows/{id}/node-counts", Access::kApiKey, node_counts,
          RouteDoc("Leads",
                   "Lead counts per current node and status (live view; by_status lists "
                   "non-zero statuses)")
              .reply("NodeCounts"));
}

}  // namespace leadflow::server
