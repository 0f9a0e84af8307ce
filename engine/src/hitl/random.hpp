// Internal: counter-based random streams for the simulation (SIMULATION.md §1). A stream is named by
// what it draws for and up to two indices ("answers", item, worker); its state is a SplitMix64 counter
// keyed by a 64-bit hash of the seed, the name and the indices, so a stream's draws never depend on how
// many draws other streams made: the common random numbers every policy shares.
//
// Thread-safety: a Stream is a value; separate streams may be used on separate threads.
#ifndef TANDEM_ENGINE_HITL_RANDOM_HPP_
#define TANDEM_ENGINE_HITL_RANDOM_HPP_

#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

namespace tandem::detail::hitl {

class Stream {
 public:
  Stream(std::uint64_t seed, std::string_view name, std::uint64_t a = 0, std::uint64_t b = 0) {
    std::uint64_t h = 14695981039346656037ull;  // FNV-1a of the name
    for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
    state_ = mix(seed ^ mix(h ^ mix(a ^ mix(b ^ 0x632be59bd9b4e019ull))));
  }

  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ull;
    return mix(state_);
  }
  // Uniform on [0, 1), 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; the bias is below 2^-32 for our n).
  std::size_t below(std::size_t n) {
    __extension__ using Wide = unsigned __int128;  // a GCC/Clang extension: say so, -Wpedantic stays quiet
    return static_cast<std::size_t>((static_cast<Wide>(next()) * n) >> 64);
  }
  double normal() {
    // Box–Muller; the second value is dropped so that each call is one fixed number of draws.
    double u = uniform();
    while (u <= 0) u = uniform();
    const double v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * v);
  }
  // Gamma(k, 1): Marsaglia and Tsang (2000); k < 1 by boosting to k + 1.
  double gamma(double k) {
    if (k < 1) {
      double u = uniform();
      while (u <= 0) u = uniform();
      return gamma(k + 1) * std::pow(u, 1.0 / k);
    }
    const double d = k - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
      double x = normal();
      double v = 1 + c * x;
      if (v <= 0) continue;
      v = v * v * v;
      const double u = uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (u > 0 && std::log(u) < 0.5 * x * x + d * (1 - v + std::log(v))) return d * v;
    }
  }
  double beta(double a, double b) {
    const double x = gamma(a);
    const double y = gamma(b);
    return x + y > 0 ? x / (x + y) : 0.5;
  }
  std::vector<double> dirichlet(const std::vector<double>& alpha) {
    std::vector<double> out(alpha.size());
    double sum = 0;
    for (std::size_t i = 0; i < alpha.size(); ++i) sum += out[i] = gamma(alpha[i]);
    for (double& x : out) x = sum > 0 ? x / sum : 1.0 / static_cast<double>(alpha.size());
    return out;
  }
  // An index drawn with probabilities p[0..n) (they sum to 1 up to rounding; the last index takes the rest).
  std::size_t categorical(const double* p, std::size_t n) {
    const double u = uniform();
    double acc = 0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      acc += p[i];
      if (u < acc) return i;
    }
    return n - 1;
  }

 private:
  static std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  std::uint64_t state_;
};

}  // namespace tandem::detail::hitl

#endif  // TANDEM_ENGINE_HITL_RANDOM_HPP_
