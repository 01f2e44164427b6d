using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    public class RateLimiterTests
    {
        /// <summary>A limiter on a clock that only moves when a caller waits.</summary>
        private sealed class FakeClock
        {
            public TimeSpan Now { get; private set; } = TimeSpan.FromHours(5);
            public List<TimeSpan> Waits { get; } = new List<TimeSpan>();

            public RateLimiter Limiter(params RateLimit[] limits) => new RateLimiter(limits, () => Now, (wait, _) =>
            {
                Waits.Add(wait);
                Now += wait;
                return Task.CompletedTask;
            });

            public void Advance(TimeSpan by) => Now += by;
        }

        [Fact]
        public async Task Calls_under_the_limit_never_wait()
        {
            var clock = new FakeClock();
            var limiter = clock.Limiter(RateLimiter.WeComLimits.ToArray());

            for (var i = 0; i < 10000; i++)
            {
                await limiter.WaitAsync("corp|user/list", CancellationToken.None);
            }

            Assert.Empty(clock.Waits);
            Assert.Equal(0, limiter.Waits);
        }

        [Fact]
        public async Task The_call_over_the_limit_waits_until_the_oldest_slot_has_left_the_window()
        {
            var clock = new FakeClock();
            // 10,000 a minute in one-second slots, as WeCom allows per API.
            var limiter = clock.Limiter(RateLimiter.WeComLimits[0]);
            for (var i = 0; i < 10000; i++)
            {
                await limiter.WaitAsync("corp|user/list", CancellationToken.None);
                if (i % 1000 == 999)
                {
                    clock.Advance(TimeSpan.FromSeconds(5));
                }
            }

            await limiter.WaitAsync("corp|user/list", CancellationToken.None);

            // 50 s after the first 1,000 calls (all in the first second) the minute is full; their slot counts until a
            // minute after it ended, so the next call waits 11 s.
            Assert.Equal(new[] { TimeSpan.FromSeconds(11) }, clock.Waits);
            Assert.Equal(1, limiter.Waits);
        }

        [Fact]
        public async Task No_span_as_long_as_the_window_ever_holds_more_calls_than_allowed()
        {
            var clock = new FakeClock();
            var limit = new RateLimit(20, TimeSpan.FromSeconds(10), 10);
            var limiter = clock.Limiter(limit);
            var times = new List<TimeSpan>();
            var random = new Random(1);

            for (var i = 0; i < 500; i++)
            {
                clock.Advance(TimeSpan.FromMilliseconds(random.Next(0, 400)));
                await limiter.WaitAsync("k", CancellationToken.None);
                times.Add(clock.Now);
            }

            Assert.True(limiter.Waits > 0);
            for (var i = 0; i < times.Count; i++)
            {
                Assert.True(times.Count(t => t >= times[i] && t < times[i] + limit.Window) <= limit.MaxCalls, $"more than {limit.MaxCalls} calls in the window from {times[i]}");
            }
        }

        [Fact]
        public async Task The_hourly_limit_holds_as_well_as_the_minute_one()
        {
            var clock = new FakeClock();
            var limiter = clock.Limiter(new RateLimit(10, TimeSpan.FromMinutes(1), 60), new RateLimit(15, TimeSpan.FromHours(1), 60));
            for (var i = 0; i < 15; i++)
            {
                await limiter.WaitAsync("k", CancellationToken.None);
                clock.Advance(TimeSpan.FromMinutes(1));
            }

            var before = clock.Now;
            await limiter.WaitAsync("k", CancellationToken.None);

            Assert.True(clock.Now - before > TimeSpan.FromMinutes(30), "the 16th call of the hour did not wait for the hourly window");
        }

        [Fact]
        public async Task Apis_and_corps_have_budgets_of_their_own()
        {
            var clock = new FakeClock();
            var limiter = clock.Limiter(new RateLimit(3, TimeSpan.FromMinutes(1), 60));
            foreach (var key in new[] { "corpA|user/list", "corpA|user/get", "corpB|user/list" })
            {
                for (var i = 0; i < 3; i++)
                {
                    await limiter.WaitAsync(key, CancellationToken.None);
                }
            }

            Assert.Empty(clock.Waits);
            await limiter.WaitAsync("corpA|user/list", CancellationToken.None);
            Assert.Single(clock.Waits);
        }

        [Fact]
        public async Task A_waiting_call_can_be_cancelled()
        {
            var limiter = new RateLimiter(new[] { new RateLimit(1, TimeSpan.FromMinutes(1), 60) });
            await limiter.WaitAsync("k", CancellationToken.None);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.WaitAsync("k", cts.Token));
        }

        [Fact]
        public async Task A_connection_waits_for_its_limiter_before_each_call()
        {
            await using var corp = await TestCorp.StartAsync(OrganisationGenerator.Generate(40, 400));
            var limiter = new RateLimiter(new[] { new RateLimit(15, TimeSpan.FromMilliseconds(300), 10) });
            var connection = corp.Connect(limiter: limiter);

            var users = await connection.Users.GetAllAsync().ValuesAsync();

            Assert.Equal(400, users.Count);
            Assert.Equal(40, corp.Sandbox.CallCount("user/list"));
            Assert.True(limiter.Waits > 0, "40 calls at 15 per 300 ms had to wait");
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void Concurrent_callers_never_exceed_any_limit_in_any_window(int seed)
        {
            var limits = new[] { new RateLimit(50, TimeSpan.FromSeconds(1), 10), new RateLimit(200, TimeSpan.FromSeconds(10), 10) };
            var clock = new SimulatedClock();
            var limiter = new RateLimiter(limits, () => clock.Now, clock.Delay);
            var taken = new System.Collections.Concurrent.ConcurrentBag<TimeSpan>();
            const int workers = 16, callsEach = 60;
            var start = clock.Now;

            async Task Work(int worker)
            {
                var random = new Random(seed * 1000 + worker);
                for (var i = 0; i < callsEach; i++)
                {
                    await limiter.WaitAsync("corp|user/list", CancellationToken.None);
                    taken.Add(clock.Now);
                    if (random.Next(3) == 0)
                    {
                        await clock.Delay(TimeSpan.FromMilliseconds(random.Next(1, 400)), CancellationToken.None);
                    }
                }
            }

            clock.Run(workers, Work);

            var times = taken.OrderBy(t => t).ToList();
            Assert.Equal(workers * callsEach, times.Count);
            foreach (var limit in limits)
            {
                // Every span of the window's length, ending at any call, holds at most the limit.
                for (int first = 0, last = 0; last < times.Count; last++)
                {
                    while (times[last] - times[first] >= limit.Window)
                    {
                        first++;
                    }

                    Assert.True(last - first + 1 <= limit.MaxCalls, $"{last - first + 1} calls within {limit.Window} ending at {times[last]}");
                }
            }

            // ... and the limiter holds calls back no more than needed: within twice the time the hourly-style limit takes.
            var least = TimeSpan.FromTicks(limits[1].Window.Ticks * (workers * callsEach / limits[1].MaxCalls - 1));
            Assert.InRange(clock.Now - start, least, least + least + limits[1].Window);
        }

        /// <summary>
        /// Virtual time that moves only while no worker runs: then it jumps to the earliest wake-up. Each call is counted at
        /// an exact time however the threads interleave, and no assertion depends on real time.
        /// </summary>
        private sealed class SimulatedClock
        {
            private readonly object _gate = new object();
            private readonly List<(TimeSpan At, TaskCompletionSource<bool> Wake)> _sleepers = new List<(TimeSpan, TaskCompletionSource<bool>)>();
            private TimeSpan _now = TimeSpan.FromHours(1);
            private int _running;

            public TimeSpan Now
            {
                get
                {
                    lock (_gate)
                    {
                        return _now;
                    }
                }
            }

            public Task Delay(TimeSpan wait, CancellationToken cancellationToken)
            {
                var wake = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (_gate)
                {
                    _sleepers.Add((_now + wait, wake));
                    _running--;
                    Monitor.PulseAll(_gate);
                }

                return wake.Task;
            }

            /// <summary>Runs <paramref name="count"/> workers concurrently on the thread pool and drives time until all are done.</summary>
            public void Run(int count, Func<int, Task> work)
            {
                lock (_gate)
                {
                    _running = count;
                }

                var all = Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(async () =>
                {
                    try
                    {
                        await work(i);
                    }
                    finally
                    {
                        lock (_gate)
                        {
                            _running--;
                            Monitor.PulseAll(_gate);
                        }
                    }
                })));
                while (true)
                {
                    lock (_gate)
                    {
                        while (_running > 0)
                        {
                            Monitor.Wait(_gate);
                        }

                        if (_sleepers.Count == 0)
                        {
                            break;
                        }

                        _now = _sleepers.Min(s => s.At);
                        var due = _sleepers.Where(s => s.At <= _now).ToList();
                        _sleepers.RemoveAll(s => s.At <= _now);
                        _running += due.Count;
                        due.ForEach(s => s.Wake.SetResult(true));
                    }
                }

                all.GetAwaiter().GetResult();
            }
        }
    }
}
