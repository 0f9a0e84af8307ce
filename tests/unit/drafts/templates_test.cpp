// Reply templates: the bundled files check and are complete for en, de, fr, es; errors name
// file:line:column and what is wrong (data/bad_templates.yaml against data/bad_templates.expected);
// a directory adds a language or overrides keys; a missing key falls back to English with a note.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "drafts/templates.hpp"
#include "tandem/drafts.hpp"
#include "unit/drafts/helpers.hpp"

namespace fs = std::filesystem;
using namespace std::chrono;
using tandem::drafts::Templates;
using tandem::drafts::TemplatesError;

namespace {

using tandem::drafts::testing::has;

fs::path data_dir() { return fs::path(TANDEM_SOURCE_DIR) / "tests" / "unit" / "drafts" / "data"; }

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') out.push_back(line);
  return out;
}

TEST(Templates, BundledFilesCheckAndAreComplete) {
  // Read again here, so a broken bundled file fails with its errors rather than going missing.
  std::size_t count = 0;
  const auto* files = tandem::drafts::detail::bundled_template_files(count);
  ASSERT_GE(count, 4u);
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<std::string> errors;
    tandem::drafts::detail::LanguageTemplates t;
    EXPECT_TRUE(tandem::drafts::detail::read_template_file(files[i].name, std::string(files[i].text, files[i].size), t, errors))
        << files[i].name << ":\n" << (errors.empty() ? "" : errors.front());
  }
  const Templates& b = Templates::bundled();
  EXPECT_EQ(b.languages(), (std::vector<std::string>{"de", "en", "es", "fr"}));
  EXPECT_TRUE(b.notes().empty()) << b.notes().front();
}

TEST(Templates, ErrorsNameFileLineColumnAndWhat) {
  const std::string text = read(data_dir() / "bad_templates.yaml");
  ASSERT_FALSE(text.empty());
  try {
    Templates::from_texts({{"bad_templates.yaml", text}});
    FAIL() << "bad_templates.yaml was accepted";
  } catch (const TemplatesError& e) {
    const std::vector<std::string> want = lines_of(read(data_dir() / "bad_templates.expected"));
    EXPECT_EQ(e.errors(), want);
    for (const auto& line : e.errors()) EXPECT_EQ(line.rfind("bad_templates.yaml:", 0), 0u) << line;
  }
}

TEST(Templates, EveryProblemOfEveryFileAtOnce) {
  try {
    Templates::from_texts({{"a.yaml", "language: xx\nnone: \"{nope}\"\n"}, {"b.yaml", "language: yy\nnone: \"{\"\n"}});
    FAIL();
  } catch (const TemplatesError& e) {
    ASSERT_EQ(e.errors().size(), 2u);
    EXPECT_EQ(e.errors()[0].rfind("a.yaml:2:9: error: none: unknown argument {nope}", 0), 0u) << e.errors()[0];
    EXPECT_EQ(e.errors()[1].rfind("b.yaml:2:", 0), 0u) << e.errors()[1];
  }
}

TEST(Templates, MissingOtherIsFoundInsideNestedArguments) {
  try {
    Templates::from_texts({{"n.yaml", "language: xx\nnone: \"'{'x {has_name, select, yes {{count, plural, one {a}}} other {b}}\"\n"}});
    FAIL();
  } catch (const TemplatesError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    // Column 7 is the quote; the inner plural's "{" is the 30th character of the value (a quoted brace first).
    EXPECT_EQ(e.errors()[0].rfind("n.yaml:2:37: error: none: ICU MessageFormat does not parse it: U_DEFAULT_KEYWORD_MISSING", 0), 0u)
        << e.errors()[0];
  }
}

TEST(Templates, YamlSyntaxErrorsArePositioned) {
  try {
    Templates::from_texts({{"s.yaml", "language: de\ngreeting: [Hallo\n"}});
    FAIL();
  } catch (const TemplatesError& e) {
    ASSERT_FALSE(e.errors().empty());
    EXPECT_EQ(e.errors()[0].rfind("s.yaml:", 0), 0u) << e.errors()[0];
  }
}

TEST(Templates, MissingKeysFallBackToEnglishWithANote) {
  const Templates t = Templates::from_texts({{"it.yaml", read(data_dir() / "partial_it.yaml")}});
  EXPECT_EQ(t.languages(), (std::vector<std::string>{"de", "en", "es", "fr", "it"}));
  ASSERT_FALSE(t.notes().empty());
  EXPECT_TRUE(has(t.notes().front(), "it.yaml: note: it has no template")) << t.notes().front();

  tandem::drafts::DraftInput in;
  in.kind = tandem::drafts::DraftInput::Kind::propose;
  in.organizer = {"Ana Ruiz", "ana@example.com", "es_ES", "Europe/Rome", false};
  in.recipient = {"Giulia Rossi", "giulia@example.it", "it_IT", "Europe/Rome", false};
  in.sender_zone = "Europe/Rome";
  in.slots = {{sys_days{year{2026} / 3 / 3} + hours{13}, sys_days{year{2026} / 3 / 3} + hours{14}}};
  in.now = sys_days{year{2026} / 2 / 27};
  auto d = tandem::drafts::draft(in, t);
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_EQ(d->language, "it");
  EXPECT_EQ(d->body.rfind("Ciao Giulia,\n\n", 0), 0u) << d->body;
  EXPECT_TRUE(has(d->body, "Cordiali saluti,\nAna Ruiz")) << d->body;
  EXPECT_TRUE(has(d->body, "martedì")) << d->body;  // the dates stay the recipient's (ICU, it_IT)
  bool noted = false;
  for (const auto& n : d->notes) noted = noted || has(n, "it: no template \"propose\"");
  EXPECT_TRUE(noted);
}

TEST(Templates, DirectoryOverridesSomeKeysOfALanguage) {
  const fs::path dir = fs::temp_directory_path() / ("tandem_drafts_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  fs::create_directories(dir);
  fs::copy_file(data_dir() / "override_de.yaml", dir / "de.yaml", fs::copy_options::overwrite_existing);
  const Templates t = Templates::load(dir.string());
  fs::remove_all(dir);
  tandem::drafts::DraftInput in;
  in.kind = tandem::drafts::DraftInput::Kind::none;
  in.organizer = {"Ana Ruiz", "ana@example.com", "es_ES", "Europe/Berlin", false};
  in.recipient = {"Jonas Weber", "jonas@example.de", "de_DE", "Europe/Berlin", false};
  auto d = tandem::drafts::draft(in, t);
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_EQ(d->body.rfind("Guten Tag Jonas Weber,", 0), 0u) << d->body;
  EXPECT_TRUE(has(d->body, "Mit freundlichen Grüßen\nAna Ruiz")) << d->body;
  EXPECT_TRUE(has(d->body, "vielen Dank für Ihre Nachricht")) << d->body;  // the bundled "none"
  EXPECT_TRUE(d->notes.empty());
  EXPECT_THROW(Templates::load((dir / "absent").string()), TemplatesError);
}

}  // namespace
