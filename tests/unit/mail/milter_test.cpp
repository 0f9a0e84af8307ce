#include "tandem/milter.hpp"

#include <gtest/gtest.h>

namespace tandem {
namespace {

TEST(MilterSocketSpec, HostColonPortBecomesLibmiltersPortAtHost) {
  EXPECT_EQ(milter_socket_spec("inet:127.0.0.1:8899"), "inet:8899@127.0.0.1");
  EXPECT_EQ(milter_socket_spec("inet:localhost:10025"), "inet:10025@localhost");
  EXPECT_EQ(milter_socket_spec("inet6:[::1]:8899"), "inet6:8899@::1");
}

TEST(MilterSocketSpec, LibmiltersOwnFormsAndUnixSocketsPassAsTheyAre) {
  EXPECT_EQ(milter_socket_spec("inet:8899@127.0.0.1"), "inet:8899@127.0.0.1");
  EXPECT_EQ(milter_socket_spec("unix:/run/tandem/milter.sock"), "unix:/run/tandem/milter.sock");
  EXPECT_EQ(milter_socket_spec("local:/run/tandem/milter.sock"), "local:/run/tandem/milter.sock");
}

TEST(MilterSocketSpec, AnythingElseIsRefused) {
  EXPECT_EQ(milter_socket_spec("127.0.0.1:8899"), "");
  EXPECT_EQ(milter_socket_spec("tcp:127.0.0.1:8899"), "");
  EXPECT_EQ(milter_socket_spec("inet:"), "");
  EXPECT_EQ(milter_socket_spec("inet:127.0.0.1:"), "");
}

TEST(MilterServer, ABadSocketSpecIsAClearError) {
  MilterOptions o;
  o.socket = "127.0.0.1:8899";
  auto r = MilterServer::start(o, [](const MilterMessage&) { return MilterVerdict{}; }, nullptr);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("expected inet:HOST:PORT"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace tandem
