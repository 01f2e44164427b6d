using System.Collections.Generic;

namespace WeComPS
{
    /// <summary>One item of a multi-item read: its value, or the error that names it. One failure never hides the others.</summary>
    internal sealed class ItemResult<T>
    {
        private ItemResult(T? value, WeComException? error, object? target)
        {
            Value = value;
            Error = error;
            Target = target;
        }

        public T? Value { get; }
        public WeComException? Error { get; }
        /// <summary>The item the error is about (a user id, a department id).</summary>
        public object? Target { get; }

        public static ItemResult<T> Ok(T value) => new ItemResult<T>(value, null, null);

        public static ItemResult<T> Failed(WeComException error, object target) => new ItemResult<T>(default, error, target);

        /// <summary>The same outcome with the value mapped by <paramref name="selector"/>; a failure stays as it is.</summary>
        public ItemResult<TOut> Select<TOut>(System.Func<T, TOut> selector) =>
            Error is null ? ItemResult<TOut>.Ok(selector(Value!)) : ItemResult<TOut>.Failed(Error, Target!);
    }

    /// <summary>How far a long read is.</summary>
    internal sealed class WeComProgress
    {
        public WeComProgress(string activity, int completed, int total)
        {
            Activity = activity;
            Completed = completed;
            Total = total;
        }

        public string Activity { get; }
        public int Completed { get; }
        public int Total { get; }
        public int Percent => Total == 0 ? 100 : (int)(100L * Completed / Total);
    }

    internal static class ItemResults
    {
        /// <summary>
        /// <paramref name="items"/> split, in order, into those <paramref name="check"/> passes and a failure for each
        /// of the others, aimed at its <paramref name="target"/>: input refused before any request.
        /// </summary>
        public static (List<TItem> Valid, List<ItemResult<T>> Invalid) Split<TItem, T>(
            IEnumerable<TItem> items, System.Func<TItem, WeComException?> check, System.Func<TItem, object> target)
        {
            var valid = new List<TItem>();
            var invalid = new List<ItemResult<T>>();
            foreach (var item in items)
            {
                if (check(item) is { } error)
                {
                    invalid.Add(ItemResult<T>.Failed(error, target(item)));
                }
                else
                {
                    valid.Add(item);
                }
            }

            return (valid, invalid);
        }
    }
}
