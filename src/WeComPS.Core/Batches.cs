using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>One list of targets in a batch call (users, departments, tags), with WeCom's per-call limit for it.</summary>
    internal sealed class TargetList
    {
        public TargetList(string field, string invalidField, int limit, string noun, IEnumerable<object> items)
        {
            Field = field;
            InvalidField = invalidField;
            Limit = limit;
            Noun = noun;
            Items = items.ToList();
        }

        /// <summary>The body field that carries the list, e.g. <c>userlist</c>.</summary>
        public string Field { get; }
        /// <summary>The answer field that names the rejected ones, e.g. <c>invalidlist</c>.</summary>
        public string InvalidField { get; }
        public int Limit { get; }
        public string Noun { get; }
        public IReadOnlyList<object> Items { get; }

        public string Describe(object item) => item is string text ? $"{Noun} '{text}'" : $"{Noun} {item}";
    }

    /// <summary>
    /// Calls that take lists of users, departments and tags at once (tag/addtagusers, tag/deltagusers, batch/invite):
    /// sent in as few calls as WeCom's per-list limits allow, with one outcome per item. WeCom answers errcode 0 and
    /// names the rejected items in the answer, a pipe-delimited string or an array depending on the API; both are read.
    /// A failure that <c>endsAll</c> applies to (e.g. an unknown tag) ends the whole operation, named by its scope.
    /// </summary>
    internal static class Batches
    {
        public static async IAsyncEnumerable<ItemResult<object>> SendAsync(
            WeComClient client,
            string path,
            IReadOnlyDictionary<string, object> common,
            IReadOnlyList<TargetList> lists,
            (Func<WeComException, bool> Applies, string Scope) endsAll,
            Func<string, WeComException> rejected,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var calls = lists.Max(l => (l.Items.Count + l.Limit - 1) / l.Limit);
            var policy = new FailurePolicy();
            for (var call = 0; call < calls; call++)
            {
                var parts = lists.Select(l => (List: l, Items: l.Items.Skip(call * l.Limit).Take(l.Limit).ToList())).Where(p => p.Items.Count > 0).ToList();
                var body = common.ToDictionary(p => p.Key, p => p.Value);
                foreach (var (list, items) in parts)
                {
                    body[list.Field] = items;
                }

                JsonElement answer = default;
                WeComException? failure = null;
                try
                {
                    answer = await client.PostAsync(path, body, cancellationToken).ConfigureAwait(false);
                    policy.Succeeded();
                }
                catch (WeComException ex)
                {
                    if (endsAll.Applies(ex))
                    {
                        throw ex.About(endsAll.Scope);
                    }

                    if (policy.Ends(ex))
                    {
                        throw Concurrent.Stopped(ex, $"{call} of {calls} calls to {path} done");
                    }

                    // All of this call's items share the failure (40070/40031: none was valid); the next calls still go.
                    failure = ex;
                }

                foreach (var (list, items) in parts)
                {
                    var invalid = failure is null ? Named(answer, list.InvalidField) : null;
                    foreach (var item in items)
                    {
                        var what = list.Describe(item);
                        yield return failure != null ? ItemResult<object>.Failed(failure.About(what), item)
                            : invalid!.Contains(Key(item)) ? ItemResult<object>.Failed(rejected(what), item)
                            : ItemResult<object>.Ok(item);
                    }
                }
            }
        }

        /// <summary>The ids an answer names in <paramref name="field"/>: a "u1|u2" string or an array.</summary>
        private static HashSet<string> Named(JsonElement answer, string field)
        {
            var names = answer.Prop(field) is { ValueKind: JsonValueKind.Array }
                ? answer.StrArray(field)!
                : (answer.Str(field) ?? "").Split(new[] { '|' }, StringSplitOptions.RemoveEmptyEntries);
            return new HashSet<string>(names.Select(n => n.Trim()), StringComparer.OrdinalIgnoreCase);
        }

        private static string Key(object item) => Convert.ToString(item, CultureInfo.InvariantCulture) ?? "";

        /// <summary>
        /// Deletes items one after another with <c>GET path?key=id</c> (department/delete, tag/delete), each id checked
        /// by <paramref name="check"/> first and looked up in <paramref name="existing"/>, read just before: an id that
        /// is not there is reported without a request, and a delete whose answer is lost counts as done only because
        /// its item was there before. One outcome per id, named "<paramref name="noun"/> id".
        /// </summary>
        public static IAsyncEnumerable<ItemResult<int>> DeleteEachAsync(
            WeComClient client,
            IEnumerable<int> ids,
            ICollection<int> existing,
            string path,
            string key,
            string noun,
            Func<int, Violation?> check,
            IProgress<WeComProgress>? progress,
            CancellationToken cancellationToken) =>
            Concurrent.EachAsync(
                ids,
                id => Rules.IdError(noun, id, check) ?? (existing.Contains(id) ? null
                    : WeComException.NotFound($"{noun}NotFound", Msg.Get("IdNotFound", Msg.Get(noun), id), path, Msg.Get("CheckIdWith", noun))),
                async (id, ct) =>
                {
                    await client.GetAsync(path, key + "=" + id.ToString(CultureInfo.InvariantCulture), ct, existed: true).ConfigureAwait(false);
                    return id;
                },
                id => (id, $"{noun} {id}"),
                path,
                1,
                client.Retry.StopGrace,
                progress,
                $"Removing {noun.ToLowerInvariant()}s",
                cancellationToken);

        /// <summary>Splits <paramref name="items"/> into runs of at most <paramref name="size"/>.</summary>
        public static IEnumerable<List<T>> Chunk<T>(IReadOnlyList<T> items, int size)
        {
            for (var start = 0; start < items.Count; start += size)
            {
                yield return items.Skip(start).Take(size).ToList();
            }
        }
    }
}
