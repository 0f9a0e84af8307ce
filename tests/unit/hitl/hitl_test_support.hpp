// Test support for the human-in-the-loop tests: one German message with an unsure request and an unsure
// polarity of its time, as the router and the service loop tests route it.
#ifndef TANDEM_TESTS_UNIT_HITL_HITL_TEST_SUPPORT_HPP_
#define TANDEM_TESTS_UNIT_HITL_HITL_TEST_SUPPORT_HPP_

#include <vector>

#include "tandem/sdk/types.hpp"

namespace tandem::hitl::testing {

inline sdk::Message german_message() {
  sdk::Message m;
  m.id = "case-7";
  m.message_id = "m7@mail.example.org";
  m.language = "de";
  m.sender_locale = "de_DE";
  m.text = "Passt dir Dienstag um 15 Uhr?";
  return m;
}

// request: schedule 0.6 / cancel 0.4; time[0].polarity over "Dienstag um 15 Uhr": positive and negative as given.
inline std::vector<sdk::Annotation> german_annotations(double positive, double negative) {
  sdk::Annotation req;
  req.variable = {"request", sdk::Distribution({{"schedule", 0.6}, {"cancel", 0.4}})};
  sdk::Annotation pol;
  pol.variable = {"time[0].polarity", sdk::Distribution({{"positive", positive}, {"negative", negative}})};
  pol.span = {10, 28};
  return {req, pol};
}

}  // namespace tandem::hitl::testing

#endif  // TANDEM_TESTS_UNIT_HITL_HITL_TEST_SUPPORT_HPP_
