// tandem::mail::extract_reply, rule by rule in en, de, fr, es (tests/data/mail/reply/rule_cases.yaml, texts
// written for these tests), and ReplyRules: the bundled files, extra directories, errors with positions,
// linear time on hostile input, use from many threads.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "mail/reply_rules.hpp"
#include "tandem/reply.hpp"

namespace {

namespace fs = std::filesystem;
using tandem::mail::extract_reply;
using tandem::mail::ReplyRules;
using tandem::mail::ReplyRulesError;

const fs::path kData = fs::path(TANDEM_TEST_DATA_DIR) / "mail" / "reply";

struct RuleCase {
  std::string name;
  std::string input;
  std::string reply;
  std::string kind;  // empty: nothing removed
};

std::vector<RuleCase> load_rule_cases() {
  std::vector<RuleCase> out;
  const YAML::Node doc = YAML::LoadFile((kData / "rule_cases.yaml").string());
  for (const auto& n : doc) {
    RuleCase c;
    c.name = n["name"].as<std::string>();
    c.input = n["input"].as<std::string>();
    c.reply = n["reply"].as<std::string>();
    if (n["kind"]) c.kind = n["kind"].as<std::string>();
    out.push_back(std::move(c));
  }
  return out;
}

class ReplyRuleCases : public ::testing::TestWithParam<RuleCase> {};

TEST_P(ReplyRuleCases, ExtractsTheReply) {
  const RuleCase& c = GetParam();
  const auto parts = extract_reply(c.input);
  EXPECT_EQ(parts.reply, c.reply) << c.name;
  if (c.kind.empty()) {
    EXPECT_TRUE(parts.removed.empty()) << c.name << ": removed " << tandem::mail::to_string(parts.removed.front().kind);
  } else {
    ASSERT_FALSE(parts.removed.empty()) << c.name;
    EXPECT_EQ(tandem::mail::to_string(parts.removed.front().kind), c.kind) << c.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Mail, ReplyRuleCases, ::testing::ValuesIn(load_rule_cases()),
                         [](const ::testing::TestParamInfo<RuleCase>& p) { return p.param.name; });

TEST(ExtractReply, SplitsReplyQuotedAndSignatureAndSaysWhy) {
  const auto parts = extract_reply(
      "Tuesday works.\n\n-- \nSam\n\nOn Mon, 3 Mar 2025 at 09:12, Dana <dana@example.org> wrote:\n> When?\n");
  EXPECT_EQ(parts.reply, "Tuesday works.");
  EXPECT_EQ(parts.signature, "--\nSam");  // lines lose trailing white space
  EXPECT_EQ(parts.quoted, "On Mon, 3 Mar 2025 at 09:12, Dana <dana@example.org> wrote:\n> When?");
  ASSERT_EQ(parts.removed.size(), 2u);
  EXPECT_EQ(parts.removed[0].kind, tandem::mail::ReplyRemoval::Kind::signature);
  EXPECT_EQ(parts.removed[0].first_line, 3u);
  EXPECT_TRUE(parts.removed[0].to_signature);
  EXPECT_EQ(parts.removed[1].kind, tandem::mail::ReplyRemoval::Kind::quote_header);
  EXPECT_EQ(parts.removed[1].rule, "On * wrote:");
  EXPECT_EQ(parts.removed[1].language, "en");
  EXPECT_EQ(parts.removed[1].first_line, 6u);
  EXPECT_EQ(parts.removed[1].last_line, 7u);
}

TEST(ExtractReply, SenderNameMarksTheirSignature) {
  const std::string body = "Fine, see you there.\n\nStavros Pappas\nvia tablet\n";
  EXPECT_EQ(extract_reply(body).reply, "Fine, see you there.\n\nStavros Pappas\nvia tablet");
  tandem::mail::ReplyHints hints;
  hints.sender_name = "Stavros Pappas";
  EXPECT_EQ(extract_reply(body, hints).reply, "Fine, see you there.");
}

TEST(ExtractReply, EmptyAndBlankInput) {
  EXPECT_EQ(extract_reply("").reply, "");
  EXPECT_EQ(extract_reply("\n\r\n  \n").reply, "");
  EXPECT_TRUE(extract_reply("").removed.empty());
}

// Inputs built to make a backtracking matcher blow up: every rule looks at a bounded window, so time
// grows with the length. 4 MB of each shape must take well under a second apiece on this machine.
TEST(ExtractReply, LinearTimeOnHostileInput) {
  std::vector<std::string> inputs;
  std::string s;
  for (int i = 0; i < 40000; ++i) s += "On on on on on on on on on on on on on on on on on on on on on on on on wrote wrote\n";
  inputs.push_back(s);
  inputs.push_back(std::string(4'000'000, '>'));
  inputs.push_back("x\n" + std::string(4'000'000, '-'));
  s.clear();
  for (int i = 0; i < 200000; ++i) s += "From: a\n";
  inputs.push_back(s);
  s.clear();
  for (int i = 0; i < 100000; ++i) s += "> q\nanswer\n";
  inputs.push_back(s);
  s.clear();
  for (int i = 0; i < 100000; ++i) s += "Thanks,\nJohn Doe\n\n";
  inputs.push_back(s);
  for (const auto& in : inputs) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto parts = extract_reply(in);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(secs, 3.0) << in.size() << " bytes starting " << in.substr(0, 30);
    (void)parts;
  }
}

TEST(ExtractReply, ManyThreadsShareTheBundledRules) {
  const std::string body = "Ok for 3pm.\n\nOn Mon, 3 Mar 2025, Dana <dana@example.org> wrote:\n> 3pm?\n";
  std::vector<std::thread> threads;
  std::vector<int> good(8, 0);
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) good[t] += extract_reply(body).reply == "Ok for 3pm." ? 1 : 0;
    });
  for (auto& th : threads) th.join();
  for (int g : good) EXPECT_EQ(g, 200);
}

TEST(ReplyRules, EveryBundledFileReadsWithoutErrors) {
  std::size_t count = 0;
  const auto* files = tandem::mail::detail::bundled_reply_files(count);
  ASSERT_GE(count, 13u);
  for (std::size_t i = 0; i < count; ++i) {
    tandem::mail::detail::LanguageFile f;
    std::vector<std::string> errors;
    EXPECT_TRUE(tandem::mail::detail::read_language_file(files[i].name, std::string_view(files[i].text, files[i].size),
                                                         f, errors))
        << files[i].name << ": " << (errors.empty() ? "" : errors.front());
    EXPECT_FALSE(f.quote_headers.empty()) << files[i].name;
    EXPECT_FALSE(f.sign_offs.empty()) << files[i].name;
  }
  const auto langs = ReplyRules::bundled().languages();
  for (const char* l : {"da", "de", "en", "es", "fi", "fr", "it", "nl", "no", "pl", "pt", "ru", "sv"})
    EXPECT_NE(std::find(langs.begin(), langs.end(), l), langs.end()) << l;
}

TEST(ReplyRules, DirectoryAddsToALanguageAndAddsNewOnes) {
  const ReplyRules rules = ReplyRules::load((kData / "override").string());
  const auto langs = rules.languages();
  EXPECT_NE(std::find(langs.begin(), langs.end(), "xx"), langs.end());
  const std::string footer = "See you at 5.\n\nTyped on a tiny keyboard\n";
  EXPECT_EQ(extract_reply(footer).reply, "See you at 5.\n\nTyped on a tiny keyboard");
  EXPECT_EQ(extract_reply(footer, rules).reply, "See you at 5.");
  EXPECT_EQ(extract_reply("Yes.\n\nZog 4.3.2025 Dana zig:\nold text\n", rules).reply, "Yes.");
  // The bundled English rules are still there.
  EXPECT_EQ(extract_reply("Yes.\n\nSent from my iPhone\n", rules).reply, "Yes.");
}

TEST(ReplyRules, ReplaceDropsTheBundledLanguage) {
  const ReplyRules rules = ReplyRules::from_texts({{"fr.yaml", "language: fr\nreplace: true\nsign_offs: [Ciao]\n"}});
  EXPECT_EQ(extract_reply("Oui.\n\nEnvoyé de mon iPhone\n", rules).reply, "Oui.\n\nEnvoyé de mon iPhone");
  EXPECT_EQ(extract_reply("Oui.\n\nEnvoyé de mon iPhone\n").reply, "Oui.");
}

TEST(ReplyRules, ErrorsNameFileLineAndColumn) {
  try {
    (void)ReplyRules::load((kData / "bad").string());
    FAIL() << "expected ReplyRulesError";
  } catch (const ReplyRulesError& e) {
    const auto& errors = e.errors();
    ASSERT_EQ(errors.size(), 3u) << e.what();
    EXPECT_NE(errors[0].find("en.yaml:2:1: error: "), std::string::npos) << errors[0];
    EXPECT_NE(errors[0].find("quote_header"), std::string::npos) << errors[0];
    EXPECT_NE(errors[0].find("quote_headers"), std::string::npos) << errors[0];  // the suggestion
    EXPECT_NE(errors[1].find("en.yaml:5:5: error: mobile_footers[0]: two \"*\" in a row"), std::string::npos)
        << errors[1];
    EXPECT_NE(errors[2].find("en.yaml:7:5: error: sign_offs[0]: a whole phrase"), std::string::npos) << errors[2];
  }
  EXPECT_THROW((void)ReplyRules::load((kData / "no_such_directory").string()), ReplyRulesError);
  try {
    (void)ReplyRules::from_texts({{"x.yaml", "language: en\nsign_offs: [a, b\n"}});
    FAIL() << "expected ReplyRulesError";
  } catch (const ReplyRulesError& e) {
    EXPECT_NE(std::string(e.what()).find("x.yaml:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("YAML syntax"), std::string::npos) << e.what();
  }
}

}  // namespace
