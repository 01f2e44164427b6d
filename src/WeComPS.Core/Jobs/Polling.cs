using System;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>Polls a job until it is done: the first wait a tenth of the longest, then doubling up to it.</summary>
    internal static class Polling
    {
        /// <summary>
        /// Calls <paramref name="poll"/> until it answers done, and returns its last value; after <paramref name="maxWait"/>
        /// (no limit when null) throws what <paramref name="timedOut"/> makes of the time waited.
        /// </summary>
        public static async Task<T> UntilDoneAsync<T>(
            Func<int, CancellationToken, Task<(bool Done, T Value)>> poll, TimeSpan maxInterval, CancellationToken cancellationToken, TimeSpan? maxWait = null, Func<TimeSpan, Exception>? timedOut = null)
        {
            var delay = TimeSpan.FromTicks(maxInterval.Ticks / 10);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            for (var polls = 1; ; polls++)
            {
                var (done, value) = await poll(polls, cancellationToken).ConfigureAwait(false);
                if (done)
                {
                    return value;
                }

                if (maxWait is { } limit && watch.Elapsed + delay > limit)
                {
                    throw timedOut?.Invoke(watch.Elapsed) ?? new TimeoutException();
                }

                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maxInterval.Ticks));
            }
        }
    }
}
