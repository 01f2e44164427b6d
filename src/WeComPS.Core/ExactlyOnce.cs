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
    /// What makes a retried confirmable write (<see cref="Delivery.Confirmable"/>) count once. A retry is only sent when
    /// an attempt failed; if that attempt may have been applied although its answer was lost (no answer, a broken one,
    /// HTTP 5xx, -1), the retry finds the change already made and WeCom refuses it: user/create answers 60102 (or
    /// 60104/60106 for the mobile or email it now holds), department/create 60008, tag/create 40071, a delete "not
    /// found". For those answers only, and only after a lost answer, this reads back what WeCom holds and decides:
    /// <list type="bullet">
    /// <item>a create is done only when the record shows every field the request set; the answer then carries that
    /// record (<see cref="Confirmed"/>), which the caller returns instead of its input, marked as found in place
    /// rather than created, since the lost attempt and an earlier identical change cannot be told apart;</item>
    /// <item>a delete is done only when the item existed before the first attempt (<see cref="ExistsAsync"/>, or the
    /// caller saw it) and is gone now;</item>
    /// <item>a record that differs, or an item that never existed, leaves the refusal as it is;</item>
    /// <item>a read-back that fails, or a field WeCom does not show, makes the outcome unknown, never "failed" and
    /// never "succeeded".</item>
    /// </list>
    /// Writes not listed here set the same state when sent again (updates, tag members added or removed).
    /// </summary>
    internal static class ExactlyOnce
    {
        private const string ConfirmedField = "wecomps_confirmed";
        private static readonly JsonElement Done = Answer(new Dictionary<string, object>());

        /// <summary>Fields of a request that are instructions, not state a read shows.</summary>
        private static readonly HashSet<string> NotShown = new HashSet<string>(StringComparer.Ordinal) { "userid", "new_userid", "to_invite", "enable", "extattr", "id", "tagid" };

        private static readonly Dictionary<string, (int[] Codes, Func<WeComClient, Request, CancellationToken, Task<JsonElement?>> Confirm)> Writes =
            new Dictionary<string, (int[], Func<WeComClient, Request, CancellationToken, Task<JsonElement?>>)>(StringComparer.Ordinal)
            {
                ["user/create"] = (new[] { 60102, 60104, 60106 }, UserCreatedAsync),
                ["user/update"] = (new[] { 60111, 60102 }, UserRenamedAsync),
                ["user/delete"] = (new[] { 60111, 46004 }, async (client, r, ct) => await UserAsync(client, r.Query("userid"), ct).ConfigureAwait(false) is null ? Done : null),
                ["user/batchdelete"] = (new[] { 60111, 46004, 40031 }, async (client, r, ct) => (await ExistingUserIdsAsync(client, ct).ConfigureAwait(false)).Overlaps(r.Strings("useridlist")) ? null : Done),
                ["department/create"] = (new[] { 60008 }, DepartmentCreatedAsync),
                ["department/delete"] = (new[] { 60003 }, async (client, r, ct) => await DepartmentAsync(client, r.Query("id"), ct).ConfigureAwait(false) is null ? Done : null),
                ["tag/create"] = (new[] { 40071, 40068 }, TagCreatedAsync),
                ["tag/delete"] = (new[] { 40068 }, async (client, r, ct) => await TagAsync(client, r.Query("tagid"), ct).ConfigureAwait(false) is null ? Done : null),
            };

        /// <summary>True for the deletes, which count as done after a lost answer only if the item existed before.</summary>
        public static bool IsDelete(string path) => path.EndsWith("delete", StringComparison.Ordinal) && Writes.ContainsKey(path);

        /// <summary>Whether every item the delete names exists now, before its first attempt; null when that cannot be read.</summary>
        public static async Task<bool?> ExistsAsync(WeComClient client, string path, string? query, string? body, CancellationToken cancellationToken)
        {
            try
            {
                return await ExistAsync(client, path, new Request(query, body), cancellationToken).ConfigureAwait(false);
            }
            catch (WeComException ex) when (!ex.EndsCommand)
            {
                // E.g. a contacts-sync IP that may not call user/get (48009): the delete still goes, and a lost answer is then unknown.
                WeComLog.Verbose($"{path}: could not read whether the item exists before deleting it ({ex.ErrorId}).");
                return null;
            }
        }

        private static async Task<bool> ExistAsync(WeComClient client, string path, Request r, CancellationToken cancellationToken)
        {
            return path switch
            {
                "user/delete" => await UserAsync(client, r.Query("userid"), cancellationToken).ConfigureAwait(false) != null,
                "user/batchdelete" => (await ExistingUserIdsAsync(client, cancellationToken).ConfigureAwait(false)).IsSupersetOf(r.Strings("useridlist")),
                "department/delete" => await DepartmentAsync(client, r.Query("id"), cancellationToken).ConfigureAwait(false) != null,
                _ => await TagAsync(client, r.Query("tagid"), cancellationToken).ConfigureAwait(false) != null,
            };
        }

        /// <summary>The record a confirmed create's answer carries: what WeCom holds, read back after a lost answer.</summary>
        public static JsonElement? Confirmed(JsonElement answer) => answer.Prop(ConfirmedField);

        /// <summary>What the admin can do to find out whether a write to <paramref name="path"/> whose outcome is unknown was applied.</summary>
        public static string HowToCheck(string path) => path switch
        {
            "batch/syncuser" or "batch/replaceuser" => Msg.Get("CheckUserImport"),
            "batch/replaceparty" => Msg.Get("CheckDepartmentImport"),
            "batch/invite" => Msg.Get("CheckInvitations"),
            _ when path.StartsWith("user/", StringComparison.Ordinal) => Msg.Get("CheckMember"),
            _ when path.StartsWith("department/", StringComparison.Ordinal) => Msg.Get("CheckDepartment"),
            _ when path.StartsWith("tag/", StringComparison.Ordinal) => Msg.Get("CheckTag"),
            _ => Msg.Get("CheckCall"),
        };

        /// <summary>
        /// The answer for a write to <paramref name="path"/> whose retry was refused with <paramref name="refusal"/> after
        /// an attempt that lost its answer, when the change is in place as asked; null when the refusal stands.
        /// </summary>
        public static async Task<JsonElement?> ConfirmAsync(WeComClient client, string path, string? query, string? body, bool? existed, WeComException refusal, CancellationToken cancellationToken)
        {
            if (refusal.ErrCode is not { } code || !Writes.TryGetValue(path, out var write) || !write.Codes.Contains(code) || (IsDelete(path) && existed == false))
            {
                return null;
            }

            if (IsDelete(path) && existed is null)
            {
                throw WeComException.WriteOutcomeUnknown(path, Msg.Get("LostRefusedUnread", code, refusal.Meaning), HowToCheck(path), refusal);
            }

            JsonElement? done;
            try
            {
                done = await write.Confirm(client, new Request(query, body), cancellationToken).ConfigureAwait(false);
            }
            catch (WeComException checkFailure)
            {
                // The check itself failed: the refusal would wrongly say the change is not in place, so its outcome is unknown.
                var unknown = WeComException.WriteOutcomeUnknown(path, Msg.Get("LostRefusedCheckFailed", code, refusal.Meaning, checkFailure.Message.TrimEnd('.', '。')), HowToCheck(path), checkFailure);
                // A secret refused the read-back of details (48009) still makes the other changes: only this one is unknown.
                unknown.EndsCommand = checkFailure.AffectsAllItems && checkFailure.ErrCode != SecretRouting.DetailsForbidden;
                throw unknown;
            }

            if (done != null)
            {
                WeComLog.Verbose($"{path} answered {code} after an attempt whose answer was lost; WeCom holds the change as asked, so it counts as done once.");
            }

            return done;
        }

        /// <summary>The member exists and shows every field sent.</summary>
        private static async Task<JsonElement?> UserCreatedAsync(WeComClient client, Request request, CancellationToken cancellationToken) =>
            await UserAsync(client, request.Body("userid"), cancellationToken).ConfigureAwait(false) is { } found && Shows(found, request, "user/create") ? Record(found) : null;

        /// <summary>A renamed member answers to the new userid, shows every field sent, and no longer answers to the old one.</summary>
        private static async Task<JsonElement?> UserRenamedAsync(WeComClient client, Request request, CancellationToken cancellationToken)
        {
            if (request.Body("new_userid") is not { } newUserId || await UserAsync(client, newUserId, cancellationToken).ConfigureAwait(false) is not { } renamed)
            {
                return null;
            }

            return Shows(renamed, request, "user/update") && await UserAsync(client, request.Body("userid"), cancellationToken).ConfigureAwait(false) is null ? Done : null;
        }

        /// <summary>A department with every field sent exists (with the id sent, or below the parent sent with the name sent): its id is the answer.</summary>
        private static async Task<JsonElement?> DepartmentCreatedAsync(WeComClient client, Request request, CancellationToken cancellationToken)
        {
            var id = request.Body("id");
            IEnumerable<JsonElement> candidates = id is null
                ? (await client.ReadDetails(c => c.GetAsync("department/list", "id=" + Uri.EscapeDataString(request.Body("parentid") ?? ""), cancellationToken)).ConfigureAwait(false)).Items("department")
                    .Where(d => d.Str("parentid") == request.Body("parentid") && string.Equals(d.Str("name"), request.Body("name"), StringComparison.Ordinal))
                : await DepartmentAsync(client, id, cancellationToken).ConfigureAwait(false) is { } one ? new[] { one } : Enumerable.Empty<JsonElement>();
            var created = candidates.Where(d => Shows(d, request, "department/create")).ToList();
            return created.Count == 1 ? Record(created[0], ("id", created[0].Int("id") ?? 0)) : null;
        }

        /// <summary>A tag with the name sent exists (with the id sent, if one was): its id is the answer.</summary>
        private static async Task<JsonElement?> TagCreatedAsync(WeComClient client, Request request, CancellationToken cancellationToken)
        {
            var tags = await client.GetAsync("tag/list", null, cancellationToken).ConfigureAwait(false);
            var id = request.Body("tagid");
            var created = tags.Items("taglist").FirstOrDefault(t => t.Str("tagname") == request.Body("tagname") && (id is null || t.Str("tagid") == id));
            return created.ValueKind == JsonValueKind.Object ? Record(created, ("tagid", created.Int("tagid") ?? 0)) : null;
        }

        /// <summary>
        /// True when <paramref name="found"/> shows every field the request set as sent; false when one differs. A field
        /// WeCom does not show proves nothing, so the outcome is unknown.
        /// </summary>
        private static bool Shows(JsonElement found, Request request, string path)
        {
            // WeCom ignores a new mobile once the member has activated (user/update answers "updated" all the same).
            var mobileKept = path == "user/update" && found.Int("status") is { } activation && activation != (int)WeComUserStatus.NotActivated;
            foreach (var field in request.Fields.Where(f => !NotShown.Contains(f.Name) && !(mobileKept && f.Name == "mobile")))
            {
                if (found.Prop(field.Name) is not { } shown)
                {
                    throw WeComException.WriteOutcomeUnknown(path, Msg.Get("LostFieldNotShown", field.Name), HowToCheck(path));
                }

                if (!string.Equals(Text(field.Value), Text(shown), StringComparison.OrdinalIgnoreCase))
                {
                    WeComLog.Verbose($"{path}: the record WeCom holds differs in {field.Name}; the refusal stands.");
                    return false;
                }
            }

            if (request.Field("enable") is { } enable && found.Int("status") is { } status && (status == (int)WeComUserStatus.Disabled) != (Text(enable) == "0"))
            {
                return false;
            }

            return request.Field("extattr") is not { } sent || sent.Items("attrs").All(a =>
                found.Prop("extattr")?.Items("attrs").Any(f => f.Str("name") == a.Str("name") && f.Prop("text")?.Str("value") == a.Prop("text")?.Str("value")) == true);
        }

        /// <summary>A JSON value as text to compare: numbers, strings and booleans alike, arrays item by item.</summary>
        private static string Text(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.String => e.GetString() ?? "",
            JsonValueKind.True => "1",
            JsonValueKind.False => "0",
            JsonValueKind.Array => "[" + string.Join(",", e.EnumerateArray().Select(Text)) + "]",
            JsonValueKind.Null => "",
            _ => e.GetRawText(),
        };

        private static Task<JsonElement?> UserAsync(WeComClient client, string? userId, CancellationToken cancellationToken) =>
            userId is null ? Task.FromResult<JsonElement?>(null) : Absent(client.ReadDetails(c => c.GetAsync("user/get", "userid=" + Uri.EscapeDataString(userId), cancellationToken)), 60111, 46004);

        private static async Task<JsonElement?> DepartmentAsync(WeComClient client, string? id, CancellationToken cancellationToken) =>
            id is null ? null : (await Absent(client.ReadDetails(c => c.GetAsync("department/get", "id=" + Uri.EscapeDataString(id), cancellationToken)), 60003, 60123).ConfigureAwait(false))?.Prop("department");

        private static Task<JsonElement?> TagAsync(WeComClient client, string? id, CancellationToken cancellationToken) =>
            id is null ? Task.FromResult<JsonElement?>(null) : Absent(client.GetAsync("tag/get", "tagid=" + Uri.EscapeDataString(id), cancellationToken), 40068);

        /// <summary>Every userid of the corp (user/list_id, which the contacts-sync secret that deletes may call), in a few calls.</summary>
        internal static async Task<HashSet<string>> ExistingUserIdsAsync(WeComClient client, CancellationToken cancellationToken)
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

            return existing;
        }

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

        /// <summary>A success answer carrying <paramref name="record"/> as read back, and <paramref name="fields"/> as the write would have answered.</summary>
        private static JsonElement Record(JsonElement record, params (string Name, object Value)[] fields)
        {
            var answer = fields.ToDictionary(f => f.Name, f => f.Value);
            answer[ConfirmedField] = record;
            return Answer(answer);
        }

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

            public IEnumerable<JsonProperty> Fields => _body.ValueKind == JsonValueKind.Object ? _body.EnumerateObject() : Enumerable.Empty<JsonProperty>();

            public JsonElement? Field(string name) => _body.ValueKind == JsonValueKind.Object ? _body.Prop(name) : null;

            public string? Body(string name) => _body.ValueKind == JsonValueKind.Object ? _body.Str(name) : null;

            public IEnumerable<string> Strings(string name) => (_body.ValueKind == JsonValueKind.Object ? _body.StrArray(name) : null) ?? new string[0];

            public string? Query(string name) =>
                (_query ?? "").Split('&')
                    .Select(p => p.Split(new[] { '=' }, 2))
                    .Where(p => p.Length == 2 && p[0] == name)
                    .Select(p => Uri.UnescapeDataString(p[1]))
                    .FirstOrDefault();
        }
    }
}
