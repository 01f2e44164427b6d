using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>
    /// What makes a retried write count once. A retry is only sent when an attempt failed; if that attempt may have
    /// been applied although its answer was lost (no answer, a broken one, HTTP 5xx, -1), the retry finds the change
    /// already made and WeCom refuses it: user/create answers 60102 (or 60104/60106 for the mobile or email it now
    /// holds), department/create 60008, tag/create 40071, a delete "not found". For those answers only, and only
    /// after a lost answer, this reads back whether the change is there as sent; if it is, the write is done, and the
    /// answer it would have had is returned. Any other answer stands as it is.
    /// <para>
    /// Writes that are not listed can be applied twice without harm (updates set the same fields again; tag members
    /// added or removed again answer 0). batch/invite may send an invitation twice. A refused retry cannot tell the
    /// lost attempt's change from the same change made before it (a member created earlier with the same userid,
    /// name, mobile and email, a delete of an id that never existed): both read as done, which is the state asked for.
    /// </para>
    /// </summary>
    internal static class ExactlyOnce
    {
        private static readonly JsonElement Done = Answer(new Dictionary<string, object>());

        private static readonly Dictionary<string, (int[] Codes, Func<WeComClient, Request, CancellationToken, Task<JsonElement?>> Confirm)> Writes =
            new Dictionary<string, (int[], Func<WeComClient, Request, CancellationToken, Task<JsonElement?>>)>(StringComparer.Ordinal)
            {
                ["user/create"] = (new[] { 60102, 60104, 60106 }, UserCreatedAsync),
                ["user/update"] = (new[] { 60111, 60102 }, UserRenamedAsync),
                ["user/delete"] = (new[] { 60111 }, (client, r, ct) => UsersGoneAsync(client, new[] { r.Query("userid") }, ct)),
                ["user/batchdelete"] = (new[] { 60111, 40031 }, BatchDeletedAsync),
                ["department/create"] = (new[] { 60008 }, DepartmentCreatedAsync),
                ["department/delete"] = (new[] { 60003 }, (_, _, _) => Task.FromResult<JsonElement?>(Done)),
                ["tag/create"] = (new[] { 40071, 40068 }, TagCreatedAsync),
                ["tag/delete"] = (new[] { 40068 }, (_, _, _) => Task.FromResult<JsonElement?>(Done)),
            };

        /// <summary>
        /// The answer for a write to <paramref name="path"/> whose retry was refused with <paramref name="refusal"/> after
        /// an attempt that lost its answer, when the change is in place; null when the refusal stands.
        /// </summary>
        public static async Task<JsonElement?> ConfirmAsync(WeComClient client, string path, string? query, string? body, WeComException refusal, CancellationToken cancellationToken)
        {
            if (refusal.ErrCode is not { } code || !Writes.TryGetValue(path, out var write) || !write.Codes.Contains(code))
            {
                return null;
            }

            JsonElement? done;
            try
            {
                done = await write.Confirm(client, new Request(query, body), cancellationToken).ConfigureAwait(false);
            }
            catch (WeComException checkFailure) when (!checkFailure.AffectsAllItems)
            {
                // The check itself failed (e.g. a contacts-sync IP that may not call user/get): the refusal would
                // wrongly say the change is not in place, so say that its outcome is unknown instead.
                throw WeComException.WriteOutcomeUnknown(path, refusal, checkFailure);
            }

            if (done != null)
            {
                WeComLog.Verbose($"{path} answered {code} after an attempt whose answer was lost; that attempt was applied, so the change counts as done once.");
            }

            return done;
        }

        /// <summary>The member exists with the name, mobile and email sent (those WeCom shows this secret).</summary>
        private static async Task<JsonElement?> UserCreatedAsync(WeComClient client, Request request, CancellationToken cancellationToken)
        {
            var user = await FindUserAsync(client, request.Body("userid"), cancellationToken).ConfigureAwait(false);
            return user is { } found && Matches(found, request, "name", "mobile", "email") ? Done : null;
        }

        /// <summary>A renamed member answers to the new userid and no longer to the old one.</summary>
        private static async Task<JsonElement?> UserRenamedAsync(WeComClient client, Request request, CancellationToken cancellationToken)
        {
            if (request.Body("new_userid") is not { } newUserId || await FindUserAsync(client, newUserId, cancellationToken).ConfigureAwait(false) is not { } renamed)
            {
                return null;
            }

            return Matches(renamed, request, "name") && await FindUserAsync(client, request.Body("userid"), cancellationToken).ConfigureAwait(false) is null ? Done : null;
        }

        /// <summary>The member no longer exists.</summary>
        private static async Task<JsonElement?> UsersGoneAsync(WeComClient client, IEnumerable<string?> userIds, CancellationToken cancellationToken)
        {
            foreach (var userId in userIds)
            {
                if (await FindUserAsync(client, userId, cancellationToken).ConfigureAwait(false) != null)
                {
                    return null;
                }
            }

            return Done;
        }

        /// <summary>
        /// None of the members exists any more: user/batchdelete deletes all of a call's members or none, so one left
        /// means the lost attempt was not applied. Checked against every userid (user/list_id, which the contacts-sync
        /// secret that batch-deletes may call) in a few calls rather than one call per member.
        /// </summary>
        private static async Task<JsonElement?> BatchDeletedAsync(WeComClient client, Request request, CancellationToken cancellationToken)
        {
            var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var cursor = "";
            do
            {
                var page = await client.PostAsync("user/list_id", new Dictionary<string, object> { ["cursor"] = cursor, ["limit"] = 10000 }, cancellationToken).ConfigureAwait(false);
                existing.UnionWith(page.Items("dept_user").Select(row => row.Str("userid") ?? ""));
                cursor = page.Str("next_cursor") ?? "";
            }
            while (cursor.Length > 0);

            return request.Strings("useridlist").Any(id => id != null && existing.Contains(id)) ? null : Done;
        }

        /// <summary>A department with the name sent exists below the parent sent (with the id sent, if one was): its id is the answer.</summary>
        private static async Task<JsonElement?> DepartmentCreatedAsync(WeComClient client, Request request, CancellationToken cancellationToken)
        {
            var parent = request.Body("parentid");
            var id = request.Body("id");
            var answer = id is null
                ? await client.GetAsync("department/list", "id=" + Uri.EscapeDataString(parent ?? ""), cancellationToken).ConfigureAwait(false)
                : await Absent(client.GetAsync("department/get", "id=" + Uri.EscapeDataString(id), cancellationToken), 60003).ConfigureAwait(false);
            var candidates = answer is not { } found ? Enumerable.Empty<JsonElement>()
                : id is null ? found.Items("department")
                : found.Prop("department") is { } one ? new[] { one } : Enumerable.Empty<JsonElement>();
            var created = candidates.FirstOrDefault(d => d.Str("parentid") == parent && Matches(d, request, "name"));
            return created.ValueKind == JsonValueKind.Object ? Answer(new Dictionary<string, object> { ["id"] = created.Int("id") ?? 0 }) : null;
        }

        /// <summary>A tag with the name sent exists (with the id sent, if one was): its id is the answer.</summary>
        private static async Task<JsonElement?> TagCreatedAsync(WeComClient client, Request request, CancellationToken cancellationToken)
        {
            var tags = await client.GetAsync("tag/list", null, cancellationToken).ConfigureAwait(false);
            var id = request.Body("tagid");
            var created = tags.Items("taglist").FirstOrDefault(t => Matches(t, request, "tagname") && (id is null || t.Str("tagid") == id));
            return created.ValueKind == JsonValueKind.Object ? Answer(new Dictionary<string, object> { ["tagid"] = created.Int("tagid") ?? 0 }) : null;
        }

        /// <summary>The member as user/get shows it, or null when WeCom says there is none.</summary>
        private static Task<JsonElement?> FindUserAsync(WeComClient client, string? userId, CancellationToken cancellationToken) =>
            userId is null
                ? Task.FromResult<JsonElement?>(null)
                : Absent(client.GetAsync("user/get", "userid=" + Uri.EscapeDataString(userId), cancellationToken), 60111, 46004);

        /// <summary>The answer of <paramref name="read"/>, or null when it fails with one of <paramref name="notFound"/>.</summary>
        private static async Task<JsonElement?> Absent(Task<JsonElement> read, params int[] notFound)
        {
            try
            {
                return await read.ConfigureAwait(false);
            }
            catch (WeComException ex) when (ex.ErrCode is { } code && notFound.Contains(code))
            {
                return null;
            }
        }

        /// <summary>True when every field of <paramref name="fields"/> that the request sent reads the same, or is withheld, in <paramref name="found"/>.</summary>
        private static bool Matches(JsonElement found, Request request, params string[] fields) =>
            fields.All(f => request.Body(f) is not { } sent || found.Str(f) is not { } shown || string.Equals(sent, shown, StringComparison.OrdinalIgnoreCase));

        private static JsonElement Answer(Dictionary<string, object> fields)
        {
            fields["errcode"] = 0;
            fields["errmsg"] = "ok";
            using var document = JsonDocument.Parse(JsonSerializer.Serialize(fields));
            return document.RootElement.Clone();
        }

        /// <summary>The query and body of the refused write, read back field by field.</summary>
        private sealed class Request
        {
            private readonly string? _query;
            private readonly JsonElement _body;

            public Request(string? query, string? body)
            {
                _query = query;
                if (!string.IsNullOrEmpty(body))
                {
                    using var document = JsonDocument.Parse(body!);
                    _body = document.RootElement.Clone();
                }
            }

            public string? Body(string name) => _body.Str(name);

            public IEnumerable<string?> Strings(string name) => _body.StrArray(name) ?? new string[0];

            public string? Query(string name) =>
                (_query ?? "").Split('&')
                    .Select(p => p.Split(new[] { '=' }, 2))
                    .Where(p => p.Length == 2 && p[0] == name)
                    .Select(p => Uri.UnescapeDataString(p[1]))
                    .FirstOrDefault();
        }
    }
}
