// Internal: sets of instants as sorted, disjoint, half-open intervals of seconds since the epoch. The solver
// describes every rule as the set of starts it allows or forbids, and combines them with these operations,
// so that a rule costs one pass over its events, not one pass per candidate start.
//
// Thread-safety: a value type without shared state.
#ifndef TANDEM_ENGINE_SCHEDULING_INTERVAL_SET_HPP_
#define TANDEM_ENGINE_SCHEDULING_INTERVAL_SET_HPP_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace tandem::scheduling::detail {

using Sec = std::int64_t;

// floor(a / b) and ceil(a / b) * b for b > 0, also for negative a.
inline Sec floor_div(Sec a, Sec b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
inline Sec ceil_to(Sec a, Sec b) { return -floor_div(-a, b) * b; }

class IntervalSet {
 public:
  struct Span {
    Sec lo;
    Sec hi;
  };

  IntervalSet() = default;
  static IntervalSet of(Sec lo, Sec hi) {
    IntervalSet s;
    if (lo < hi) s.spans_.push_back({lo, hi});
    return s;
  }

  // Adds [lo, hi) in any order; call normalize() before reading.
  void add(Sec lo, Sec hi) {
    if (lo < hi) spans_.push_back({lo, hi});
  }
  void normalize() {
    std::sort(spans_.begin(), spans_.end(), [](const Span& a, const Span& b) { return a.lo < b.lo; });
    std::size_t out = 0;
    for (std::size_t i = 0; i < spans_.size(); ++i) {
      if (out > 0 && spans_[i].lo <= spans_[out - 1].hi) {
        spans_[out - 1].hi = std::max(spans_[out - 1].hi, spans_[i].hi);
      } else {
        spans_[out++] = spans_[i];
      }
    }
    spans_.resize(out);
  }

  const std::vector<Span>& spans() const noexcept { return spans_; }
  bool empty() const noexcept { return spans_.empty(); }

  bool contains(Sec x) const {
    auto it = std::upper_bound(spans_.begin(), spans_.end(), x, [](Sec v, const Span& s) { return v < s.lo; });
    return it != spans_.begin() && x < std::prev(it)->hi;
  }

  // The span holding x, or nullptr.
  const Span* span_at(Sec x) const {
    auto it = std::upper_bound(spans_.begin(), spans_.end(), x, [](Sec v, const Span& s) { return v < s.lo; });
    if (it == spans_.begin() || x >= std::prev(it)->hi) return nullptr;
    return &*std::prev(it);
  }

  IntervalSet intersect(const IntervalSet& o) const {
    IntervalSet r;
    std::size_t i = 0, j = 0;
    while (i < spans_.size() && j < o.spans_.size()) {
      const Sec lo = std::max(spans_[i].lo, o.spans_[j].lo);
      const Sec hi = std::min(spans_[i].hi, o.spans_[j].hi);
      if (lo < hi) r.spans_.push_back({lo, hi});
      if (spans_[i].hi < o.spans_[j].hi) ++i;
      else ++j;
    }
    return r;
  }

  // This set without `o`.
  IntervalSet minus(const IntervalSet& o) const {
    IntervalSet r;
    std::size_t j = 0;
    for (const Span& s : spans_) {
      Sec lo = s.lo;
      while (j < o.spans_.size() && o.spans_[j].hi <= lo) ++j;
      std::size_t k = j;
      while (k < o.spans_.size() && o.spans_[k].lo < s.hi) {
        if (o.spans_[k].lo > lo) r.spans_.push_back({lo, o.spans_[k].lo});
        lo = std::max(lo, o.spans_[k].hi);
        if (o.spans_[k].hi >= s.hi) break;
        ++k;
      }
      if (lo < s.hi) r.spans_.push_back({lo, s.hi});
    }
    return r;
  }

  IntervalSet shifted(Sec by) const {
    IntervalSet r = *this;
    for (Span& s : r.spans_) {
      s.lo += by;
      s.hi += by;
    }
    return r;
  }

  // Calls f(x) for every multiple x of `grid` in the set, in order.
  template <class F>
  void for_each_on_grid(Sec grid, F&& f) const {
    for (const Span& s : spans_)
      for (Sec x = ceil_to(s.lo, grid); x < s.hi; x += grid) f(x);
  }
  std::size_t count_on_grid(Sec grid) const {
    std::size_t n = 0;
    for (const Span& s : spans_) {
      const Sec first = ceil_to(s.lo, grid);
      if (first < s.hi) n += static_cast<std::size_t>((s.hi - 1 - first) / grid + 1);
    }
    return n;
  }

 private:
  std::vector<Span> spans_;
};

}  // namespace tandem::scheduling::detail

#endif  // TANDEM_ENGINE_SCHEDULING_INTERVAL_SET_HPP_
