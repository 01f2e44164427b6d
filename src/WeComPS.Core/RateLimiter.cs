using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>At most <see cref="MaxCalls"/> calls in any <see cref="Window"/>, counted in <see cref="Slots"/> slots.</summary>
    internal sealed class RateLimit
    {
        public RateLimit(int maxCalls, TimeSpan window, int slots)
        {
            MaxCalls = maxCalls;
            Window = window;
            Slots = slots;
        }

        public int MaxCalls { get; }
        public TimeSpan Window { get; }
        public int Slots { get; }
        public TimeSpan SlotLength => TimeSpan.FromTicks(Window.Ticks / Slots);
    }

    /// <summary>
    /// Keeps this process under WeCom's frequency limits (D/90454), so that a big run never trips 45009 on its own:
    /// WeCom allows each API 10,000 calls a minute and 150,000 an hour per corp, then answers 45009 and blocks that API
    /// for a minute or an hour. The limiter is shared process-wide, like the token cache, so every connection and every
    /// runspace draws on one budget per endpoint, corp and API path: WeCom counts per corp, so the apps of a corp share
    /// it. Each limit is a sliding window of counters (the minute in one-second slots, the hour in one-minute slots) that
    /// also counts the slot just left, so no span of the limit's length ever holds more calls than allowed. A call that
    /// would exceed a limit waits, cancellably, until enough of the oldest slot has left the window; calls under the
    /// limits never wait (a read of 1,000 departments is nowhere near them). Calls from other processes or machines
    /// are not seen: when WeCom answers 45009 all the same, <see cref="Block"/> closes the API's window for as long as
    /// WeCom blocks it (60 s; 60 min when it answers 45009 again right after a block), and calls wait for it to open,
    /// up to the caller's limit, or end with one error. Nothing is retried within seconds.
    /// </summary>
    internal sealed class RateLimiter
    {
        /// <summary>WeCom's published per-corp, per-API limits.</summary>
        public static readonly IReadOnlyList<RateLimit> WeComLimits = new[]
        {
            new RateLimit(10000, TimeSpan.FromMinutes(1), 60),
            new RateLimit(150000, TimeSpan.FromHours(1), 60),
        };

        /// <summary>WeCom's errcode for a call over the frequency limit: the API is blocked.</summary>
        public const int BlockedCode = 45009;

        /// <summary>How long WeCom blocks an API after the per-minute limit, and after the per-hour one.</summary>
        public static readonly TimeSpan MinuteBlock = TimeSpan.FromMinutes(1), HourBlock = TimeSpan.FromHours(1);

        /// <summary>The limiter every connection of the process uses.</summary>
        public static readonly RateLimiter Shared = new RateLimiter(WeComLimits);

        private static readonly Stopwatch Clock = Stopwatch.StartNew();
        private readonly IReadOnlyList<RateLimit> _limits;
        private readonly Func<TimeSpan> _now;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay;
        private readonly ConcurrentDictionary<string, Budget> _budgets = new ConcurrentDictionary<string, Budget>(StringComparer.Ordinal);
        private long _waits;

        /// <summary>A limiter with <paramref name="limits"/>; <paramref name="now"/> and <paramref name="delay"/> replace the clock in tests.</summary>
        public RateLimiter(IReadOnlyList<RateLimit> limits, Func<TimeSpan>? now = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
        {
            _limits = limits;
            _now = now ?? (() => Clock.Elapsed);
            _delay = delay ?? Task.Delay;
        }

        /// <summary>How many calls had to wait for the window to move on.</summary>
        public long Waits => Interlocked.Read(ref _waits);

        /// <summary>
        /// Returns once one more call for <paramref name="key"/> (endpoint, corp and API path) keeps within every limit,
        /// and counts it. While WeCom blocks the API it waits for the block to end, unless that is more than
        /// <paramref name="maxBlockWait"/> away: then it throws the 45009 error that ends the command.
        /// </summary>
        public async Task WaitAsync(string key, TimeSpan maxBlockWait, CancellationToken cancellationToken)
        {
            var budget = _budgets.GetOrAdd(key, _ => new Budget(_limits));
            var waited = false;
            while (budget.TryTake(_now()) is { } wait)
            {
                if (budget.IsBlocked(_now()))
                {
                    if (wait > maxBlockWait)
                    {
                        var blocked = WeComException.FromApi(ApiPathOf(key), BlockedCode, $"blocked for another {wait.TotalSeconds:0} s, longer than the {maxBlockWait.TotalSeconds:0} s this connection waits (Retry.MaxBlockWait)");
                        blocked.EndsCommand = true;
                        throw blocked;
                    }

                    WeComLog.Verbose($"WeCom blocks {ApiPathOf(key)} (45009): waiting {wait.TotalSeconds:0} s for the block to end.");
                }
                else if (!waited)
                {
                    waited = true;
                    Interlocked.Increment(ref _waits);
                    WeComLog.Verbose($"Holding calls to {ApiPathOf(key)} for {wait.TotalSeconds:0.#} s to stay under WeCom's frequency limit.");
                }

                await _delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Returns once one more call for <paramref name="key"/> keeps within every limit, never waiting for a block.</summary>
        public Task WaitAsync(string key, CancellationToken cancellationToken) => WaitAsync(key, TimeSpan.Zero, cancellationToken);

        /// <summary>
        /// WeCom answered 45009 for <paramref name="key"/>: no call goes until the block ends. A 45009 during a block
        /// changes nothing (it was sent before the block was known); one soon after a block means the hourly limit.
        /// </summary>
        public void Block(string key) => _budgets.GetOrAdd(key, _ => new Budget(_limits)).Block(_now());

        private static string ApiPathOf(string key) => key.Substring(key.LastIndexOf('|') + 1);

        /// <summary>The calls of one key in every limit's window.</summary>
        private sealed class Budget
        {
            private readonly object _gate = new object();
            private readonly Window[] _windows;
            private TimeSpan _blockedUntil;
            private bool _blockedBefore;

            public Budget(IReadOnlyList<RateLimit> limits)
            {
                _windows = new Window[limits.Count];
                for (var i = 0; i < limits.Count; i++)
                {
                    _windows[i] = new Window(limits[i]);
                }
            }

            public bool IsBlocked(TimeSpan now)
            {
                lock (_gate)
                {
                    return now < _blockedUntil;
                }
            }

            public void Block(TimeSpan now)
            {
                lock (_gate)
                {
                    if (now >= _blockedUntil)
                    {
                        var again = _blockedBefore && now - _blockedUntil < MinuteBlock + MinuteBlock;
                        _blockedUntil = now + (again ? HourBlock : MinuteBlock);
                        _blockedBefore = true;
                    }
                }
            }

            /// <summary>Counts a call made <paramref name="now"/> and answers null, or answers how long to wait before trying again.</summary>
            public TimeSpan? TryTake(TimeSpan now)
            {
                lock (_gate)
                {
                    if (now < _blockedUntil)
                    {
                        return _blockedUntil - now;
                    }

                    TimeSpan? wait = null;
                    foreach (var window in _windows)
                    {
                        if (window.FullUntil(now) is { } until && (wait is null || until > wait))
                        {
                            wait = until;
                        }
                    }

                    if (wait is null)
                    {
                        foreach (var window in _windows)
                        {
                            window.Add(now);
                        }
                    }

                    return wait;
                }
            }
        }

        /// <summary>
        /// One limit's calls in a ring of counters, one per slot: the current slot and the <see cref="RateLimit.Slots"/>
        /// before it, so the counted span is always at least the limit's window.
        /// </summary>
        private sealed class Window
        {
            private readonly RateLimit _limit;
            private readonly long[] _slot;
            private readonly int[] _calls;

            public Window(RateLimit limit)
            {
                _limit = limit;
                _slot = new long[limit.Slots + 1];
                _calls = new int[limit.Slots + 1];
            }

            /// <summary>Null when one more call fits now; else how long until the oldest counted slot leaves.</summary>
            public TimeSpan? FullUntil(TimeSpan now)
            {
                var current = now.Ticks / _limit.SlotLength.Ticks;
                var total = 0;
                var oldest = long.MaxValue;
                for (var i = 0; i < _slot.Length; i++)
                {
                    if (_calls[i] > 0 && _slot[i] >= current - _limit.Slots)
                    {
                        total += _calls[i];
                        oldest = Math.Min(oldest, _slot[i]);
                    }
                }

                return total < _limit.MaxCalls ? (TimeSpan?)null : TimeSpan.FromTicks((oldest + _limit.Slots + 1) * _limit.SlotLength.Ticks) - now;
            }

            public void Add(TimeSpan now)
            {
                var current = now.Ticks / _limit.SlotLength.Ticks;
                var i = (int)(current % _slot.Length);
                if (_slot[i] != current)
                {
                    _slot[i] = current;
                    _calls[i] = 0;
                }

                _calls[i]++;
            }
        }
    }
}
