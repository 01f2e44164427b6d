using System;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>Polls a job until it is done: the first wait a tenth of the longest, then doubling up to it.</summary>
    internal static class Polling
    {
        /// <summary>Calls <paramref name="poll"/> until it answers done, and returns its last value.</summary>
        public static async Task<T> UntilDoneAsync<T>(Func<int, CancellationToken, Task<(bool Done, T Value)>> poll, TimeSpan maxInterval, CancellationToken cancellationToken)
        {
            var delay = TimeSpan.FromTicks(maxInterval.Ticks / 10);
            for (var polls = 1; ; polls++)
            {
                var (done, value) = await poll(polls, cancellationToken).ConfigureAwait(false);
                if (done)
                {
                    return value;
                }

                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maxInterval.Ticks));
            }
        }
    }
}
