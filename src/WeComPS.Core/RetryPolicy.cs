using System;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>
    /// How the client retries WeCom's transient failures (-1, 6000, 45033, HTTP 5xx, resets, timeouts):
    /// exponential backoff with full jitter, a bounded number of attempts, cancellable.
    /// </summary>
    public sealed class RetryPolicy
    {
        private static readonly Random Jitter = new Random();

        /// <summary>Attempts in all, the first included.</summary>
        public int MaxAttempts { get; set; } = 5;
        /// <summary>Retries after WeCom answers -1 (system busy): at most 3, as WeCom's error page advises.</summary>
        public int MaxBusyRetries { get; set; } = 3;
        /// <summary>The backoff before the second attempt; it doubles each attempt after.</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);
        /// <summary>No single wait is longer than this.</summary>
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);
        /// <summary>An attempt that has not answered by then is abandoned and retried.</summary>
        public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>
        /// After Ctrl+C no new change starts; the ones already sent get this long to finish, and each is reported as done,
        /// failed or (still open after it) outcome unknown.
        /// </summary>
        public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(10);
        /// <summary>
        /// The longest the client waits for WeCom to lift a 45009 block (60 s after the per-minute limit, 60 min after
        /// the per-hour one) before ending the command with one error instead; zero never waits.
        /// </summary>
        public TimeSpan MaxBlockWait { get; set; } = TimeSpan.FromSeconds(90);

        /// <summary>As Format-List shows it: "MaxAttempts 5, MaxBusyRetries 3, BaseDelay 00:00:00.25, ...".</summary>
        public override string ToString() =>
            $"MaxAttempts {MaxAttempts}, MaxBusyRetries {MaxBusyRetries}, BaseDelay {BaseDelay}, MaxDelay {MaxDelay}, AttemptTimeout {AttemptTimeout}, MaxBlockWait {MaxBlockWait}";

        /// <summary>Whether failed attempt <paramref name="attempt"/> (1-based) was the last: the budget is spent, or -1 was retried <see cref="MaxBusyRetries"/> times.</summary>
        public bool IsSpent(int attempt, WeComException error) =>
            attempt >= MaxAttempts || (error.ErrCode == -1 && attempt > MaxBusyRetries);

        /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based): a random time up to the capped exponential.</summary>
        public TimeSpan DelayAfter(int attempt)
        {
            var cap = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
            double fraction;
            lock (Jitter)
            {
                fraction = Jitter.NextDouble();
            }

            // Full jitter, floored at half the cap so that waits still grow.
            return TimeSpan.FromMilliseconds(cap / 2 + fraction * cap / 2);
        }
    }
}
