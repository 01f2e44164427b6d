using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    internal static class Concurrent
    {
        /// <summary>An item whose turn came after its command had ended.</summary>
        private sealed class NotStartedException : Exception
        {
        }

        /// <summary>
        /// Runs <paramref name="selector"/> over <paramref name="source"/> with at most <paramref name="maxConcurrency"/>
        /// calls in flight and yields the results in source order as soon as each is ready, so output streams,
        /// stays deterministic, and one failed item is reported without stopping the others.
        /// </summary>
        public static async IAsyncEnumerable<(TSource Item, Task<TResult> Result)> OrderedSelectAsync<TSource, TResult>(
            IEnumerable<TSource> source,
            Func<TSource, CancellationToken, Task<TResult>> selector,
            int maxConcurrency,
            [EnumeratorCancellation] CancellationToken cancellationToken,
            Func<bool>? stopStarting = null)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var throttle = new SemaphoreSlim(maxConcurrency, maxConcurrency);
            var window = new Queue<(TSource, Task<TResult>)>();
            var lookahead = maxConcurrency * 8;

            async Task<TResult> Run(TSource item)
            {
                await throttle.WaitAsync(cts.Token).ConfigureAwait(false);
                try
                {
                    if (stopStarting?.Invoke() == true)
                    {
                        throw new NotStartedException();
                    }

                    return await selector(item, cts.Token).ConfigureAwait(false);
                }
                finally
                {
                    throttle.Release();
                }
            }

            using var e = source.GetEnumerator();
            try
            {
                while (true)
                {
                    while (window.Count < lookahead && e.MoveNext())
                    {
                        window.Enqueue((e.Current, Run(e.Current)));
                    }

                    if (window.Count == 0)
                    {
                        yield break;
                    }

                    var head = window.Dequeue();
                    try
                    {
                        await head.Item2.ConfigureAwait(false);
                    }
                    catch (Exception) when (!cancellationToken.IsCancellationRequested)
                    {
                        // The caller reads the failure from the task.
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    yield return head;
                }
            }
            finally
            {
                // Stopped early (Ctrl+C, or the consumer gave up): cancel what is in flight and let it settle.
                cts.Cancel();
                foreach (var (_, pending) in window)
                {
                    try
                    {
                        await pending.ConfigureAwait(false);
                    }
                    catch (Exception)
                    {
                        // Abandoned.
                    }
                }
            }
        }

        /// <summary>
        /// One call per item, for changes: every item is checked by <paramref name="validate"/> before any request is
        /// sent, then the valid ones are sent at most <paramref name="maxConcurrency"/> at once. Each item's outcome
        /// comes in input order; a failure names its item (<paramref name="describe"/>) and the others go on, unless
        /// <see cref="FailurePolicy"/> says it ends the command, or <paramref name="cancellationToken"/> stops it
        /// (Ctrl+C): then no new item starts, the ones in flight get <paramref name="stopGrace"/> to finish (after it,
        /// each still open is outcome unknown), each is reported (done, failed, or outcome unknown), and one error ends
        /// the run, saying how far it got. Reads pass no grace (null): they stop at once.
        /// </summary>
        public static async IAsyncEnumerable<ItemResult<TResult>> EachAsync<TItem, TResult>(
            IEnumerable<TItem> items,
            Func<TItem, WeComException?> validate,
            Func<TItem, CancellationToken, Task<TResult>> call,
            Func<TItem, (object Target, string Describe)> describe,
            string apiPath,
            int maxConcurrency,
            TimeSpan? stopGrace,
            IProgress<WeComProgress>? progress,
            string activity,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var (valid, invalid) = ItemResults.Split<TItem, TResult>(items, validate, item => describe(item).Target);
            foreach (var failure in invalid)
            {
                yield return failure;
            }

            using var settle = new Settling(cancellationToken, stopGrace ?? TimeSpan.Zero);

            // The policy hears of each outcome as it happens, so that no new item starts once the command has ended.
            var policy = new FailurePolicy();
            string? endedAt = null;
            async Task<TResult> Call(TItem item, CancellationToken abandoned)
            {
                using var either = CancellationTokenSource.CreateLinkedTokenSource(abandoned, settle.Token);
                try
                {
                    var result = await call(item, either.Token).ConfigureAwait(false);
                    policy.Succeeded();
                    return result;
                }
                catch (WeComException error) when (policy.Ends(error) && ReferenceEquals(policy.Ended, error))
                {
                    endedAt = describe(item).Describe;
                    throw;
                }
                catch (OperationCanceledException) when (settle.Token.IsCancellationRequested && stopGrace != null)
                {
                    throw WeComException.WriteOutcomeUnknown(
                        apiPath,
                        Msg.Get("StoppedInFlight", stopGrace.GetValueOrDefault().TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)),
                        Msg.Get("CheckBeforeChanging", describe(item).Describe));
                }
            }

            var (completed, succeeded, notSent) = (0, 0, 0);
            var settledAfterStop = new List<string>();
            bool StopStarting() => policy.Ended != null || cancellationToken.IsCancellationRequested;
            // A read (no grace) stops at once; changes settle, so the loop itself is not cancelled.
            var loopToken = stopGrace is null ? cancellationToken : CancellationToken.None;
            await foreach (var (item, result) in OrderedSelectAsync(valid, Call, maxConcurrency, loopToken, StopStarting).ConfigureAwait(false))
            {
                if (IsNotStarted(result))
                {
                    notSent++;
                    continue;
                }

                progress?.Report(new WeComProgress(activity, ++completed, valid.Count));
                var (target, what) = describe(item);
                var error = FailureOf(result, apiPath);
                if (cancellationToken.IsCancellationRequested)
                {
                    var outcome = error is null ? "SettledDone" : error.ErrorId == "WriteOutcomeUnknown" ? "SettledUnknown" : "SettledFailed";
                    settledAfterStop.Add(Msg.Get(outcome, what));
                }

                if (error is null)
                {
                    succeeded++;
                    yield return ItemResult<TResult>.Ok(result.Result);
                }
                else if (error.ErrorId == "WriteOutcomeUnknown" || (!ReferenceEquals(error, policy.Ended) && (policy.Ended is null || !error.AffectsAllItems)))
                {
                    // Settled after the end too: in flight when the command ended, it failed or its outcome is unknown. A
                    // change that may have been applied is always its own result, even when its failure ended the command.
                    yield return ItemResult<TResult>.Failed(error.About(what), target);
                }
            }

            var howFar = Msg.Get("HowFarChanges", succeeded, valid.Count, notSent);
            if (policy.Ended is { } ended)
            {
                throw Stopped(endedAt is null ? ended : ended.About(endedAt), howFar);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                throw Stopped(WeComException.CommandStopped(apiPath, settledAfterStop), howFar);
            }
        }

        /// <summary>
        /// A token for a change already under way: it is not cut off by a stop, since it may already have reached WeCom
        /// and a change abandoned there is one nobody can report. It is cancelled <c>grace</c> after the stop.
        /// </summary>
        public sealed class Settling : IDisposable
        {
            private readonly CancellationTokenSource _settle = new CancellationTokenSource();
            private readonly CancellationTokenRegistration _onStop;

            public Settling(CancellationToken stopping, TimeSpan grace) => _onStop = stopping.Register(() => _settle.CancelAfter(grace));

            public CancellationToken Token => _settle.Token;

            public void Dispose()
            {
                _onStop.Dispose();
                _settle.Dispose();
            }
        }

        /// <summary>The failure that ended a command, with how far the command got.</summary>
        public static WeComException Stopped(WeComException ended, string howFar)
        {
            var error = ended.Copy(Msg.Get("StoppedHowFar", howFar, ended.Message));
            error.EndsCommand = true;
            return error;
        }

        /// <summary>True for an item that was never started because the command had ended.</summary>
        public static bool IsNotStarted(Task task) => task.IsFaulted && task.Exception!.GetBaseException() is NotStartedException;

        /// <summary>The WeComException a finished task failed with, wrapping anything else.</summary>
        public static WeComException? FailureOf(Task task, string apiPath)
        {
            if (!task.IsFaulted)
            {
                return null;
            }

            var inner = task.Exception!.GetBaseException();
            return inner as WeComException ?? WeComException.Unexpected(apiPath, inner);
        }
    }
}
