// The jti replay cache (RFC 9449 11.1): first use, repeat, per-htu scope, expiry, bounds.

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/dpop/replay_cache.hpp"

namespace tether::dpop {
namespace {

TEST(replay_cache, second_use_within_window_is_a_replay) {
  replay_cache cache;
  EXPECT_TRUE(cache.first_use("jti-1", "https://e.com/x", 400, 100));
  EXPECT_FALSE(cache.first_use("jti-1", "https://e.com/x", 400, 150));
  EXPECT_FALSE(cache.first_use("jti-1", "https://e.com/x", 400, 400));  // live while now <= expiry
  EXPECT_EQ(cache.size(), 1u);
}

TEST(replay_cache, same_jti_at_another_htu_is_not_a_replay) {
  // 11.1 scopes jti "in the context of the target URI".
  replay_cache cache;
  EXPECT_TRUE(cache.first_use("jti-1", "https://e.com/x", 400, 100));
  EXPECT_TRUE(cache.first_use("jti-1", "https://e.com/y", 400, 100));
  EXPECT_FALSE(cache.first_use("jti-1", "https://e.com/y", 400, 100));
}

TEST(replay_cache, jti_and_htu_boundaries_do_not_blur) {
  replay_cache cache;
  EXPECT_TRUE(cache.first_use("ab", "c", 400, 100));
  EXPECT_TRUE(cache.first_use("a", "bc", 400, 100));
}

TEST(replay_cache, after_expiry_the_jti_is_accepted_again) {
  replay_cache cache;
  EXPECT_TRUE(cache.first_use("jti-1", "https://e.com/x", 400, 100));
  EXPECT_TRUE(cache.first_use("jti-1", "https://e.com/x", 700, 401));
  EXPECT_FALSE(cache.first_use("jti-1", "https://e.com/x", 700, 402));
}

TEST(replay_cache, expired_entries_are_dropped) {
  replay_cache cache;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(cache.first_use("jti-" + std::to_string(i), "h", 100 + i, 50));
  }
  EXPECT_EQ(cache.size(), 10u);
  EXPECT_TRUE(cache.first_use("other", "h", 500, 105));  // drops 100..104
  EXPECT_EQ(cache.size(), 6u);
}

TEST(replay_cache, an_already_expired_entry_is_not_stored) {
  replay_cache cache;
  EXPECT_TRUE(cache.first_use("jti-1", "h", 99, 100));
  EXPECT_EQ(cache.size(), 0u);
}

TEST(replay_cache, at_capacity_the_entry_expiring_first_is_evicted) {
  replay_cache cache(3);
  EXPECT_TRUE(cache.first_use("late", "h", 900, 0));
  EXPECT_TRUE(cache.first_use("early", "h", 100, 0));
  EXPECT_TRUE(cache.first_use("middle", "h", 500, 0));
  EXPECT_TRUE(cache.first_use("new", "h", 800, 0));  // evicts "early"
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_TRUE(cache.first_use("early", "h", 100, 0));  // forgotten (and now evicts "middle")
  EXPECT_FALSE(cache.first_use("late", "h", 900, 0));
  EXPECT_FALSE(cache.first_use("new", "h", 800, 0));
  EXPECT_EQ(cache.size(), 3u);
}

TEST(replay_cache, memory_stays_bounded_with_huge_jti_values) {
  replay_cache cache(1000);
  const std::string big(64 * 1024, 'j');
  for (int i = 0; i < 5000; ++i) {
    ASSERT_TRUE(cache.first_use(big + std::to_string(i), "h", 1000, 0));
  }
  EXPECT_EQ(cache.size(), 1000u);
  EXPECT_EQ(cache.capacity(), 1000u);
}

TEST(replay_cache, concurrent_identical_uses_let_exactly_one_through) {
  replay_cache cache;
  std::atomic<int> firsts{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 50; ++t) {
    threads.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      if (cache.first_use("same", "https://e.com/x", 400, 100)) ++firsts;
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(firsts.load(), 1);
}

}  // namespace
}  // namespace tether::dpop
