using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    internal static class Concurrent
    {
        /// <summary>
        /// Runs <paramref name="selector"/> over <paramref name="source"/> with at most <paramref name="maxConcurrency"/>
        /// calls in flight and yields the results in source order as soon as each is ready, so output streams,
        /// stays deterministic, and one failed item is reported without stopping the others.
        /// </summary>
        public static async IAsyncEnumerable<(TSource Item, Task<TResult> Result)> OrderedSelectAsync<TSource, TResult>(
            IEnumerable<TSource> source,
            Func<TSource, CancellationToken, Task<TResult>> selector,
            int maxConcurrency,
            [EnumeratorCancellation] CancellationToken cancellationToken)
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
        /// comes in input order; a failure names its item (<paramref name="describe"/>) and the others go on, except
        /// one that no item can escape (<see cref="WeComException.AffectsAllItems"/>), which ends the run.
        /// </summary>
        public static async IAsyncEnumerable<ItemResult<TResult>> EachAsync<TItem, TResult>(
            IEnumerable<TItem> items,
            Func<TItem, WeComException?> validate,
            Func<TItem, CancellationToken, Task<TResult>> call,
            Func<TItem, (object Target, string Describe)> describe,
            string apiPath,
            int maxConcurrency,
            IProgress<WeComProgress>? progress,
            string activity,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var (valid, invalid) = ItemResults.Split<TItem, TResult>(items, validate, item => describe(item).Target);
            foreach (var failure in invalid)
            {
                yield return failure;
            }

            var completed = 0;
            await foreach (var (item, result) in OrderedSelectAsync(valid, call, maxConcurrency, cancellationToken).ConfigureAwait(false))
            {
                progress?.Report(new WeComProgress(activity, ++completed, valid.Count));
                var (target, what) = describe(item);
                yield return Settle(result, target, what, apiPath);
            }
        }

        /// <summary>The outcome of one item's finished call; throws a failure that affects every item.</summary>
        public static ItemResult<T> Settle<T>(Task<T> call, object target, string describe, string apiPath)
        {
            if (FailureOf(call, apiPath) is not { } error)
            {
                return ItemResult<T>.Ok(call.Result);
            }

            if (error.AffectsAllItems)
            {
                throw error;
            }

            return ItemResult<T>.Failed(error.About(describe), target);
        }

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
