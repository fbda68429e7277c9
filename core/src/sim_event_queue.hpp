// core/src/sim_event_queue.hpp — the simulator's pending events, internal to the core
// (simulate.cpp): keys ordered by (time, lead), a total order, so that a run does not depend on
// any library's heap or sort.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "leadflow/scenario.hpp"

namespace leadflow::sim {

// Keys order events by (time, lead): time since the start in ms in the high 39 bits (the
// horizon is at most 3650 days < 2^39 ms), the lead in the low 25 bits. A lead has at most one
// pending event, so keys are unique and the order is total: the run never depends on how a
// library breaks ties. The queue holds keys only (8 bytes); the event's payload waits in a
// per-lead array.
constexpr int kLeadBits = 25;
constexpr std::uint64_t kLeadMask = (std::uint64_t{1} << kLeadBits) - 1;
constexpr std::uint64_t kNoKey = ~std::uint64_t{0};
static_assert(kMaxScenarioLeads <= (std::int64_t{1} << kLeadBits), "leads must fit the key");

// A radix heap (Ahuja, Mehlhorn, Orlin, Tarjan): a monotone priority queue for integer keys.
// Every key pushed is >= the last key popped (virtual time never goes back, and every event is
// scheduled at least 1 ms after the one being processed), which lets it keep 65 buckets by the
// highest bit in which a key differs from the last minimum. Pushes append; a pop redistributes
// one bucket when the smallest is empty. The current minimum is kept up to date (min()) without
// redistributing, so the queue can compare it with its lanes before choosing where to pop.
// Bucket capacity is kept between pops, so the steady state allocates nothing.
class RadixHeap {
  public:
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    // The smallest key; kNoKey when empty.
    std::uint64_t min() const { return min_; }
    void push(std::uint64_t key) {
        buckets_[bucket(key)].push_back(key);
        ++size_;
        if (key < min_) min_ = key;
    }
    // Calls f(key) for every key, in no particular order.
    template <class F>
    void for_each(F&& f) const {
        for (const std::vector<std::uint64_t>& b : buckets_) {
            for (const std::uint64_t k : b) f(k);
        }
    }
    // Removes min(); the heap must not be empty.
    void pop() {
        if (buckets_[0].empty()) {
            // The minimum lies in the lowest non-empty bucket: spread that bucket around it.
            std::size_t i = 1;
            while (buckets_[i].empty()) ++i;
            std::vector<std::uint64_t>& from = buckets_[i];
            last_ = min_;
            for (const std::uint64_t k : from) buckets_[bucket(k)].push_back(k);
            from.clear();
        }
        buckets_[0].pop_back();
        --size_;
        if (!buckets_[0].empty()) return;  // min_ == last_ again
        min_ = kNoKey;
        if (size_ == 0) return;
        std::size_t i = 1;
        while (buckets_[i].empty()) ++i;
        std::uint64_t m = kNoKey;
        for (const std::uint64_t k : buckets_[i]) m = k < m ? k : m;
        min_ = m;
    }

  private:
    std::size_t bucket(std::uint64_t key) const {
        const std::uint64_t diff = key ^ last_;
        return diff == 0 ? 0 : static_cast<std::size_t>(64 - __builtin_clzll(diff));
    }
    std::vector<std::uint64_t> buckets_[65];
    std::uint64_t last_ = 0;
    std::uint64_t min_ = kNoKey;
    std::size_t size_ = 0;
};

// A FIFO of keys pushed in increasing order (a ring buffer that doubles when full).
class Lane {
  public:
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    std::uint64_t front() const { return buf_[head_]; }
    std::uint64_t back() const { return back_; }
    void push(std::uint64_t key) {
        if (size_ == buf_.size()) grow();
        buf_[(head_ + size_) & (buf_.size() - 1)] = key;
        ++size_;
        back_ = key;
    }
    void pop() {
        head_ = (head_ + 1) & (buf_.size() - 1);
        --size_;
    }
    // Calls f(key) for every key, oldest first.
    template <class F>
    void for_each(F&& f) const {
        for (std::size_t i = 0; i < size_; ++i) f(buf_[(head_ + i) & (buf_.size() - 1)]);
    }

  private:
    void grow() {
        std::vector<std::uint64_t> bigger(buf_.empty() ? 1024 : buf_.size() * 2);
        for (std::size_t i = 0; i < size_; ++i) bigger[i] = buf_[(head_ + i) & (buf_.size() - 1)];
        buf_.swap(bigger);
        head_ = 0;
    }
    std::vector<std::uint64_t> buf_;
    std::size_t head_ = 0, size_ = 0;
    std::uint64_t back_ = 0;
};

// The pending events, popped in increasing key order. Most events come a fixed delay after the
// event that caused them (a TIME node's wait, a ring that is never answered, a busy line, an
// action's latency); since events are processed in key order, keys pushed with one such delay
// arrive already sorted, so they wait in a FIFO lane per delay (an append and a read each,
// cache-friendly for a million leads). Every other key (sampled call durations, window
// openings), and any key that would break a lane's order (a lead granted a freed call slot),
// goes to the radix heap. A pop takes the smallest of the lanes' fronts and the heap's minimum:
// the same total order as one priority queue. The leads' arrivals, already sorted, use a lane
// too (kArrivalLane), one arrival at a time.
class EventQueue {
  public:
    static constexpr std::int64_t kNoLane = -1;
    static constexpr std::int64_t kArrivalLane = -2;
    // A forecast's running leads' first events, pushed at once in increasing key order.
    static constexpr std::int64_t kPlacedLane = -3;

    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    // Adds `key`. `lane`: the delay in ms that produced it when that delay is fixed (a lane
    // keeps it), kArrivalLane for arrivals, kNoLane for sampled delays (the heap keeps it).
    void push(std::uint64_t key, std::int64_t lane) {
        ++size_;
        if (lane != kNoLane) {
            for (int i = 0; i < kMaxLanes; ++i) {
                if (lane_delay_[i] == lane) {
                    if (lanes_[i].empty() || lanes_[i].back() < key) {
                        lanes_[i].push(key);
                        return;
                    }
                    break;
                }
                if (i == n_lanes_) {
                    ++n_lanes_;
                    lane_delay_[i] = lane;
                    lanes_[i].push(key);
                    return;
                }
            }
        }
        heap_.push(key);
    }
    // The smallest key without removing it; the queue must not be empty.
    std::uint64_t peek() const {
        std::uint64_t best = heap_.min();
        for (int i = 0; i < n_lanes_; ++i) {
            if (!lanes_[i].empty() && lanes_[i].front() < best) best = lanes_[i].front();
        }
        return best;
    }
    // Calls f(key) for every pending key, in no particular order.
    template <class F>
    void for_each(F&& f) const {
        for (int i = 0; i < n_lanes_; ++i) lanes_[i].for_each(f);
        heap_.for_each(f);
    }
    // Removes and returns the smallest key; the queue must not be empty.
    std::uint64_t pop() {
        std::uint64_t best = heap_.min();
        int from = -1;
        for (int i = 0; i < n_lanes_; ++i) {
            if (!lanes_[i].empty() && lanes_[i].front() < best) {
                best = lanes_[i].front();
                from = i;
            }
        }
        if (from < 0) {
            heap_.pop();
        } else {
            lanes_[from].pop();
        }
        --size_;
        return best;
    }

  private:
    static constexpr int kMaxLanes = 8;
    Lane lanes_[kMaxLanes];
    std::int64_t lane_delay_[kMaxLanes] = {kNoLane, kNoLane, kNoLane, kNoLane,
                                           kNoLane, kNoLane, kNoLane, kNoLane};
    int n_lanes_ = 0;
    RadixHeap heap_;
    std::size_t size_ = 0;
};

}  // namespace leadflow::sim
